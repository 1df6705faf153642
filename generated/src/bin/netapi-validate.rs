//! Checks a request body file against an operation's spec.
//!
//! ```text
//! cargo run -p netapi --bin netapi-validate -- <operation-id> <request.json>
//! cargo run -p netapi --bin netapi-validate -- --response <operation-id> <status> <response.json>
//! ```
//!
//! Prints every violation (the first thousand, then a count of the rest) and exits 1, or
//! prints `ok` and exits 0; exits 2 on usage errors. `--help` and `--version` print to
//! standard output and exit 0.
//!
//! The arguments are few and fixed, so they are read by hand rather than with an argument
//! parser, which would become a dependency of every vendored copy of the crate.

use std::process::ExitCode;

const USAGE: &str = "usage: netapi-validate <operation-id> <request.json>
       netapi-validate --response <operation-id> <status> <response.json>
       netapi-validate --help | --version";

fn help() -> String {
    format!(
        "netapi-validate {version}: checks a JSON body against an operation's spec.

{USAGE}

A request body is read strictly (unknown and duplicate keys, undocumented enum values and
wrong types are refused) and every validator runs. A response body is read leniently, as
the client reads it. Every problem is printed with its JSON path (the first 1000, then a
count of the rest).

Options:
  --response   check a response body for <status> instead of a request body
  -h, --help   print this help
  -V, --version  print the version

Exit status: 0 when the body is valid, 1 when it is not, 2 on usage errors or an
unreadable file.

Operations: {operations}",
        version = env!("CARGO_PKG_VERSION"),
        operations = operation_ids()
    )
}

fn operation_ids() -> String {
    netapi::operations()
        .iter()
        .map(|d| d.id)
        .collect::<Vec<_>>()
        .join(", ")
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") || args.first().is_some_and(|a| a == "help")
    {
        println!("{}", help());
        return ExitCode::SUCCESS;
    }
    if args.iter().any(|a| a == "--version" || a == "-V") {
        println!("netapi-validate {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
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
            if let Some(option) = args
                .iter()
                .find(|a| a.starts_with('-') && *a != "--response")
            {
                eprintln!("error: unknown option `{option}`");
            }
            eprintln!("{USAGE}");
            eprintln!("operations: {}", operation_ids());
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
