//! The runtime signer against the vectors of an independent Python implementation
//! (`tests/sign/vectors.py`), so that a misreading of the algorithm shared by the Rust code
//! and its unit tests still shows up.

use netapi_runtime::sign::{self, SignInput};
use serde_json::Value;
use std::fmt::Display;

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/sign/vectors.json");

/// The string at `key` (a field name or an array position); the file is ours, so a missing
/// or mistyped entry is a bug of the vectors and may panic.
fn text<K: serde_json::value::Index + Display>(vector: &Value, key: K) -> &str {
    vector[&key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not a string in {vector}"))
}

/// Panics with the first differing line of `expected` and `actual`, then both in full,
/// escaped, since canonical requests differ in invisible places (a newline, a space).
fn assert_same(name: &str, what: &str, expected: &str, actual: &str) {
    if expected == actual {
        return;
    }
    let mut expected_lines = expected.split('\n');
    let mut actual_lines = actual.split('\n');
    let mut line = 1;
    let (want, got) = loop {
        match (expected_lines.next(), actual_lines.next()) {
            (Some(want), Some(got)) if want == got => line += 1,
            (want, got) => {
                let show =
                    |l: Option<&str>| l.map_or("(no such line)".to_owned(), |l| format!("{l:?}"));
                break (show(want), show(got));
            }
        }
    };
    panic!(
        "vector `{name}`: {what} differs at line {line}\n  expected: {want}\n  \
         actual:   {got}\n\nexpected in full:\n{}\n\nactual in full:\n{}\n",
        numbered(expected),
        numbered(actual),
    );
}

/// `text` with numbered, escaped lines.
fn numbered(text: &str) -> String {
    text.split('\n')
        .enumerate()
        .map(|(i, l)| format!("{:>3} | {}", i + 1, l.escape_debug()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn runtime_signer_matches_the_python_vectors() {
    let json = std::fs::read_to_string(VECTORS)
        .unwrap_or_else(|e| panic!("{VECTORS}: {e}; run python3 tests/sign/vectors.py"));
    let vectors: Vec<Value> = serde_json::from_str(&json).expect("vectors.json is a JSON array");
    assert!(vectors.len() >= 6, "only {} vectors", vectors.len());
    for vector in &vectors {
        let name = text(vector, "name");
        let headers: Vec<(&str, &str)> = vector["headers"]
            .as_array()
            .expect("headers is an array")
            .iter()
            .map(|pair| (text(pair, 0usize), text(pair, 1usize)))
            .collect();
        let input = SignInput {
            method: text(vector, "method"),
            path: text(vector, "path"),
            query: text(vector, "query"),
            headers: &headers,
            body: text(vector, "body").as_bytes(),
        };
        let sdk_date = text(vector, "sdk_date");

        let canonical = sign::canonical_request(&input);
        assert_same(
            name,
            "canonical request",
            text(vector, "canonical_request"),
            &canonical,
        );
        let string_to_sign = sign::string_to_sign(&canonical, sdk_date);
        assert_same(
            name,
            "string to sign",
            text(vector, "string_to_sign"),
            &string_to_sign,
        );
        let signature = sign::signature(text(vector, "secret_key"), &string_to_sign);
        assert_same(name, "signature", text(vector, "signature"), &signature);
        let authorization = sign::authorization(
            text(vector, "access_key"),
            text(vector, "secret_key"),
            &input,
            sdk_date,
        );
        assert_same(
            name,
            "authorization",
            text(vector, "authorization"),
            &authorization,
        );
    }
}
