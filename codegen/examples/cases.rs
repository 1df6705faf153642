//! Prints the derived boundary cases: `cargo run -p netapi-codegen --example cases -- spec`.

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "spec".to_owned());
    let api = match netapi_codegen::Config::new(&dir).lower() {
        Ok(api) => api,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    };
    for case in netapi_codegen::cases::cases(&api) {
        let verdict = match &case.expect {
            netapi_codegen::cases::Expect::Accept => "accept".to_owned(),
            netapi_codegen::cases::Expect::Reject { path, rules } => {
                format!("reject {} at {path}", rules[0].name())
            }
        };
        println!("{:<30} {:<70} {verdict}", case.operation, case.name);
    }
}
