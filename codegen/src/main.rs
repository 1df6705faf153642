//! The `netapi-codegen` command line.
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [cmd, dir] if cmd == "check" => match netapi_codegen::check_dir(&PathBuf::from(dir)) {
            Ok(checked) => {
                println!("ok: {}", checked.stats);
                ExitCode::SUCCESS
            }
            Err(d) => {
                eprintln!("{d}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: netapi-codegen check <spec-dir>");
            ExitCode::from(2)
        }
    }
}
