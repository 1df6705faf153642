//! Checks a request body file against an operation's spec.
//!
//! ```text
//! cargo run -p netapi --bin netapi-validate -- <operation-id> <request.json>
//! cargo run -p netapi --bin netapi-validate -- --response <operation-id> <status> <response.json>
//! ```
//!
//! Prints every violation and exits 1, or prints `ok` and exits 0; exits 2 on usage errors.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (result, what) = match args.as_slice() {
        [flag, id, status, path] if flag == "--response" => {
            let Ok(status) = status.parse::<u16>() else {
                eprintln!("error: `{status}` is not an HTTP status");
                return ExitCode::from(2);
            };
            match std::fs::read_to_string(path) {
                Ok(body) => (netapi::check_response_json(id, status, &body), path),
                Err(error) => return read_error(path, &error),
            }
        }
        [id, path] if !id.starts_with('-') => match std::fs::read_to_string(path) {
            Ok(body) => (netapi::check_request_json(id, &body), path),
            Err(error) => return read_error(path, &error),
        },
        _ => {
            eprintln!(
                "usage: netapi-validate <operation-id> <request.json>\n       netapi-validate --response <operation-id> <status> <response.json>"
            );
            eprintln!(
                "operations: {}",
                netapi::operations()
                    .iter()
                    .map(|d| d.id)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => {
            println!("ok: {what}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            println!("{what}: {error}");
            ExitCode::FAILURE
        }
    }
}

fn read_error(path: &str, error: &std::io::Error) -> ExitCode {
    eprintln!("error: cannot read {path}: {error}");
    ExitCode::from(2)
}
