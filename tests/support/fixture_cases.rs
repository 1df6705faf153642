//! The derived boundary cases of a generator fixture (`cases.json`, written by
//! `tests/vendor.rs` from `netapi_codegen::cases`), run through the crate generated from
//! the same fixture: each case's body gets the verdict the cases expect.

use netapi::CheckError;
use serde_json::Value;

#[test]
fn every_derived_boundary_case_gets_the_expected_verdict() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/cases.json");
    let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in &cases {
        let operation = case["operation"].as_str().unwrap();
        let body = case["body"].to_string();
        let result = netapi::check_request_json(operation, &body);
        let verdict = match (case["expect"].as_str().unwrap(), result) {
            ("accept", Ok(())) => Ok(()),
            ("accept", Err(error)) => Err(format!("refused:\n{error}")),
            (_, Ok(())) => Err("accepted".to_owned()),
            (_, Err(CheckError::Body(violations))) => {
                let path = case["path"].as_str().unwrap();
                let rules: Vec<&str> = case["rules"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                if violations
                    .iter()
                    .any(|v| v.path == path && rules.contains(&v.kind.name()))
                {
                    Ok(())
                } else {
                    Err(format!("refused, but not with {rules:?} at `{path}`:\n{violations}"))
                }
            }
            (_, Err(other)) => Err(format!("refused for another reason: {other}")),
        };
        if let Err(why) = verdict {
            failures.push(format!("{}: {why}\n  body: {body}", case["name"]));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
