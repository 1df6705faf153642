//! Prints the derived boundary cases: `cargo run -p netapi-codegen --features cases --example cases -- spec`.
//!
//! With `--json`, prints them as one JSON array instead, for harnesses that run the cases
//! through other generators' types (`scripts/compare-progenitor`): each case has
//! `operation`, `name`, `body`, `expect` (`accept` or `reject`), and for rejections the
//! JSON `path` and the `rule` (its spec name: `max_length`, `charset`, ...).

use netapi_codegen::cases::{Case, Expect};
use serde_json::{Value, json};

fn main() {
    let mut json_output = false;
    let mut dir = "spec".to_owned();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--json" => json_output = true,
            other => dir = other.to_owned(),
        }
    }
    let api = match netapi_codegen::Config::new(&dir).lower() {
        Ok(api) => api,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    };
    let cases = netapi_codegen::cases::cases(&api);
    if json_output {
        let all: Vec<Value> = cases.iter().map(case_json).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&all).expect("a Value serializes")
        );
        return;
    }
    for case in cases {
        let verdict = match &case.expect {
            Expect::Accept => "accept".to_owned(),
            Expect::Reject { path, rules } => {
                format!("reject {} at {path}", rules[0].name())
            }
        };
        println!("{:<30} {:<70} {verdict}", case.operation, case.name);
    }
}

fn case_json(case: &Case) -> Value {
    let mut out = json!({
        "operation": case.operation,
        "name": case.name,
        "body": case.body,
    });
    match &case.expect {
        Expect::Accept => out["expect"] = json!("accept"),
        Expect::Reject { path, rules } => {
            out["expect"] = json!("reject");
            out["path"] = json!(path);
            out["rule"] = json!(rules[0].name());
        }
    }
    out
}
