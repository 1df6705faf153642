//! Property-based fuzzing on the stable toolchain: the spec loader and checker on mutated
//! real specs and random YAML, the checking entry points on mutated example bodies, and
//! the client core's response reading on random statuses, headers and bytes. None of them
//! may panic; the loader must answer with success or located diagnostics.
//!
//! The entry points must also agree: the typed reading, `check_request_json`,
//! `check_response_json` and `read_response` give one verdict on each mutated body.
//!
//! A short pass runs with the tests. The long pass:
//!
//! ```sh
//! NETAPI_FUZZ_CASES=1000000 cargo test --release --test fuzz -- --nocapture --test-threads 1
//! ```
//!
//! prints executions per second for each target. Every crash found becomes a case in
//! `regressions()` below.

use std::path::{Path, PathBuf};
use std::time::Instant;

use netapi::{Operation, OperationVisitor};
use netapi_codegen::spec::{SpecSet, parse_file};
use netapi_codegen::{Config, Diagnostics};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};
use serde_json::Value;

fn cases(default: u32) -> u32 {
    std::env::var("NETAPI_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn run<S: Strategy>(
    name: &str,
    default_cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let cases = cases(default_cases);
    let mut runner = TestRunner::new(RunnerConfig {
        cases,
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    let started = Instant::now();
    if let Err(failure) = runner.run(&strategy, test) {
        panic!("{name}: {failure}");
    }
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "{name}: {cases} cases in {seconds:.1} s, {:.0} per second, 0 findings",
        f64::from(cases) / seconds.max(1e-9)
    );
}

/// The real spec files, as (path under `spec/`, bytes).
fn real_specs() -> Vec<(PathBuf, Vec<u8>)> {
    let checked = netapi_codegen::check_dir(Path::new("spec")).expect("spec/ passes");
    checked
        .files
        .iter()
        .map(|f| (f.path.clone(), f.text.clone().into_bytes()))
        .collect()
}

/// One edit of a spec's bytes.
#[derive(Clone, Debug)]
enum Edit {
    DeleteLines { at: usize, count: usize },
    DuplicateLine { at: usize },
    SwapLines { a: usize, b: usize },
    Indent { at: usize, by: i8 },
    InsertBytes { at: usize, bytes: Vec<u8> },
    ReplaceByte { at: usize, byte: u8 },
    Truncate { at: usize },
    ReplaceValue { at: usize, with: String },
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    let yamlish = prop_oneof![
        Just("[".to_owned()),
        Just("{".to_owned()),
        Just("*a".to_owned()),
        Just("&a x".to_owned()),
        Just("!tag".to_owned()),
        Just("- ".to_owned()),
        Just(": :".to_owned()),
        Just("\t".to_owned()),
        Just("\"".to_owned()),
        Just("|".to_owned()),
        Just("null".to_owned()),
        Just("-1".to_owned()),
        Just("99999999999999999999".to_owned()),
        Just("array<array<".to_owned()),
        Just("Tag".to_owned()),
        Just("[]".to_owned()),
        "[a-z_]{1,12}".prop_map(|s| s),
    ];
    prop_oneof![
        (any::<usize>(), 1usize..4).prop_map(|(at, count)| Edit::DeleteLines { at, count }),
        any::<usize>().prop_map(|at| Edit::DuplicateLine { at }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines { a, b }),
        (any::<usize>(), -4i8..5).prop_map(|(at, by)| Edit::Indent { at, by }),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Edit::InsertBytes { at, bytes }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Edit::ReplaceByte { at, byte }),
        any::<usize>().prop_map(|at| Edit::Truncate { at }),
        (any::<usize>(), yamlish).prop_map(|(at, with)| Edit::ReplaceValue { at, with }),
    ]
}

fn apply(bytes: &[u8], edit: &Edit) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let n = lines.len().max(1);
    match edit {
        Edit::DeleteLines { at, count } => {
            let start = at % n;
            let end = (start + count).min(lines.len());
            lines.drain(start..end);
        }
        Edit::DuplicateLine { at } => {
            if !lines.is_empty() {
                let line = lines[at % n].clone();
                lines.insert(at % n, line);
            }
        }
        Edit::SwapLines { a, b } => {
            if !lines.is_empty() {
                lines.swap(a % n, b % n);
            }
        }
        Edit::Indent { at, by } => {
            if let Some(line) = lines.get_mut(at % n) {
                if *by >= 0 {
                    line.splice(0..0, std::iter::repeat_n(b' ', *by as usize));
                } else {
                    let strip = line
                        .iter()
                        .take((-*by) as usize)
                        .take_while(|&&b| b == b' ')
                        .count();
                    line.drain(..strip);
                }
            }
        }
        Edit::InsertBytes {
            at,
            bytes: inserted,
        } => {
            let mut out = bytes.to_vec();
            let at = at % (out.len() + 1);
            out.splice(at..at, inserted.iter().copied());
            return out;
        }
        Edit::ReplaceByte { at, byte } => {
            let mut out = bytes.to_vec();
            if !out.is_empty() {
                let i = at % out.len();
                out[i] = *byte;
            }
            return out;
        }
        Edit::Truncate { at } => return bytes[..at % (bytes.len() + 1)].to_vec(),
        Edit::ReplaceValue { at, with } => {
            if let Some(line) = lines.get_mut(at % n) {
                if let Some(colon) = line.iter().position(|&b| b == b':') {
                    line.truncate(colon + 1);
                    line.push(b' ');
                    line.extend_from_slice(with.as_bytes());
                }
            }
        }
    }
    lines.join(&b'\n')
}

/// Loads, checks and (when the checks pass) generates one file in memory. Returns an error
/// message when a property breaks.
fn load_check_generate(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let (set, diagnostics) = match parse_file(path, bytes) {
        Ok(file) => (
            SpecSet {
                files: vec![file],
                resources: vec![],
                inputs: vec![],
            },
            Diagnostics::new(),
        ),
        Err(diagnostic) => {
            let mut d = Diagnostics::new();
            d.push(diagnostic);
            (SpecSet::default(), d)
        }
    };
    match Config::new("spec").generate_loaded(set, diagnostics) {
        Ok(generated) => {
            if generated.files.is_empty() {
                return Err("generation succeeded with no files".to_owned());
            }
            Ok(())
        }
        Err(netapi_codegen::GenerateError::Spec(diagnostics)) => {
            for d in diagnostics.sorted() {
                if d.location.line == 0 || d.location.column == 0 || d.message.is_empty() {
                    return Err(format!("a diagnostic without a location or message: {d}"));
                }
            }
            Ok(())
        }
        Err(internal) => Err(format!("generator bug: {internal}")),
    }
}

#[test]
fn spec_loader_and_checker_on_mutated_real_specs() {
    let specs = real_specs();
    let strategy = (
        0..specs.len(),
        proptest::collection::vec(edit_strategy(), 1..5),
    );
    run("mutated specs", 192, strategy, |(index, edits)| {
        let (path, original) = &specs[index];
        let mutated = edits
            .iter()
            .fold(original.clone(), |bytes, edit| apply(&bytes, edit));
        load_check_generate(path, &mutated).map_err(TestCaseError::fail)
    });
}

/// Random YAML documents built from the spec format's own keys, so they get past the parser
/// and exercise the checks.
fn yaml_value(depth: u32) -> BoxedStrategy<String> {
    let key = prop_oneof![
        Just("operation"),
        Just("id"),
        Just("service"),
        Just("method"),
        Just("path"),
        Just("source"),
        Just("page"),
        Just("request"),
        Just("response"),
        Just("body"),
        Just("types"),
        Just("name"),
        Just("table"),
        Just("fields"),
        Just("type"),
        Just("required"),
        Just("enum"),
        Just("min_length"),
        Just("max_length"),
        Just("rules"),
        Just("required_when"),
        Just("if"),
        Just("field"),
        Just("equals"),
        Just("examples"),
        Just("statuses"),
        Just("status"),
        Just("errata"),
        Just("items"),
        Just("format"),
        Just("within"),
        Just("unique_by"),
        Just("x"),
    ];
    let scalar = prop_oneof![
        Just("vpn".to_owned()),
        Just("POST".to_owned()),
        Just("/v1/{project_id}/x".to_owned()),
        Just("string".to_owned()),
        Just("array<Tag>".to_owned()),
        Just("Tag".to_owned()),
        Just("true".to_owned()),
        Just("201".to_owned()),
        Just("-1".to_owned()),
        Just("null".to_owned()),
        Just("\"{\\\"a\\\": 1}\"".to_owned()),
        Just("uuid".to_owned()),
        "[a-z_]{1,8}".prop_map(|s| s),
    ];
    if depth == 0 {
        return scalar.boxed();
    }
    prop_oneof![
        scalar,
        proptest::collection::vec((key, yaml_value(depth - 1)), 0..5).prop_map(|members| {
            let inner: Vec<String> = members
                .into_iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }),
        proptest::collection::vec(yaml_value(depth - 1), 0..4)
            .prop_map(|items| format!("[{}]", items.join(", "))),
    ]
    .boxed()
}

#[test]
fn spec_loader_and_checker_on_random_yaml() {
    let path = PathBuf::from("spec/vpn/create_widget.yaml");
    run("random YAML", 192, yaml_value(4), |document| {
        load_check_generate(&path, document.as_bytes()).map_err(TestCaseError::fail)
    });
}

/// One edit of a JSON body.
#[derive(Clone, Debug)]
enum JsonEdit {
    DeleteKey(usize),
    DuplicateKey(usize),
    SwapType(usize, u8),
    HugeNumber(usize, u8),
    Nest(usize, u16),
    LongString(usize, u32),
    BadEscape(usize, u8),
    Truncate(usize),
}

fn json_edit() -> impl Strategy<Value = JsonEdit> {
    prop_oneof![
        any::<usize>().prop_map(JsonEdit::DeleteKey),
        any::<usize>().prop_map(JsonEdit::DuplicateKey),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| JsonEdit::SwapType(a, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| JsonEdit::HugeNumber(a, b)),
        (any::<usize>(), 1u16..3000).prop_map(|(a, b)| JsonEdit::Nest(a, b)),
        (any::<usize>(), 1u32..200_000).prop_map(|(a, b)| JsonEdit::LongString(a, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| JsonEdit::BadEscape(a, b)),
        any::<usize>().prop_map(JsonEdit::Truncate),
    ]
}

/// Every object member of `value`, as paths of keys, in document order.
fn member_paths(value: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    if let Value::Object(map) = value {
        for (key, member) in map {
            path.push(key.clone());
            out.push(path.clone());
            member_paths(member, path, out);
            path.pop();
        }
    } else if let Value::Array(items) = value {
        for item in items {
            member_paths(item, path, out);
        }
    }
}

fn member_mut<'v>(value: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
    let mut current = value;
    for key in path {
        current = match current {
            Value::Object(map) => map.get_mut(key)?,
            Value::Array(items) => items
                .iter_mut()
                .find_map(|i| i.as_object_mut())
                .and_then(|m| m.get_mut(key))?,
            _ => return None,
        };
    }
    Some(current)
}

/// Applies an edit; returns the body as text (some edits only exist as text).
fn apply_json(body: &Value, edit: &JsonEdit) -> String {
    let mut value = body.clone();
    let mut paths = Vec::new();
    member_paths(&value, &mut Vec::new(), &mut paths);
    let pick = |i: &usize| paths.get(i % paths.len().max(1)).cloned();
    match edit {
        JsonEdit::DeleteKey(i) => {
            if let Some(path) = pick(i) {
                let (last, parent) = path.split_last().unwrap();
                if let Some(Value::Object(map)) = member_mut(&mut value, parent) {
                    map.remove(last);
                }
            }
        }
        JsonEdit::DuplicateKey(i) => {
            if let Some(path) = pick(i) {
                let key = path.last().unwrap();
                let text = value.to_string();
                let needle = format!("\"{key}\":");
                if let Some(at) = text.find(&needle) {
                    return format!("{}{needle}null,{}", &text[..at], &text[at..]);
                }
            }
        }
        JsonEdit::SwapType(i, kind) => {
            if let Some(member) = pick(i).and_then(|p| member_mut(&mut value, &p)) {
                *member = match kind % 6 {
                    0 => Value::Null,
                    1 => Value::Bool(true),
                    2 => serde_json::json!(-17),
                    3 => serde_json::json!("text"),
                    4 => serde_json::json!([1, "two"]),
                    _ => serde_json::json!({"k": 1}),
                };
            }
        }
        JsonEdit::HugeNumber(i, kind) => {
            if let Some(path) = pick(i) {
                let number = [
                    "1e400",
                    "-1e400",
                    "18446744073709551616",
                    "-9223372036854775809",
                    "1.5",
                    "0.0000001e-330",
                    "4294967296",
                ][usize::from(*kind) % 7];
                let key = path.last().unwrap();
                let text = value.to_string();
                let needle = format!("\"{key}\":");
                if let Some(at) = text.find(&needle) {
                    let start = at + needle.len();
                    let end = text[start..]
                        .find([',', '}'])
                        .map_or(text.len(), |e| start + e);
                    return format!("{}{number}{}", &text[..start], &text[end..]);
                }
            }
        }
        JsonEdit::Nest(i, depth) => {
            if let Some(member) = pick(i)
                .and_then(|p| member_mut(&mut value, &p))
                .map(|m| m.to_string())
            {
                let nested = format!(
                    "{}{member}{}",
                    "[".repeat(usize::from(*depth)),
                    "]".repeat(usize::from(*depth))
                );
                return value.to_string().replacen(&member, &nested, 1);
            }
        }
        JsonEdit::LongString(i, len) => {
            if let Some(member) = pick(i).and_then(|p| member_mut(&mut value, &p)) {
                *member = Value::String("ü".repeat(*len as usize / 2));
            }
        }
        JsonEdit::BadEscape(i, kind) => {
            let escape = ["\\ud800", "\\udc00\\ud800", "\\u00", "\\x41", "\\", "\u{0}"]
                [usize::from(*kind) % 6];
            let text = value.to_string();
            let quotes: Vec<usize> = text.match_indices('"').map(|(p, _)| p).collect();
            if !quotes.is_empty() {
                let at = quotes[i % quotes.len()] + 1;
                return format!("{}{escape}{}", &text[..at], &text[at..]);
            }
        }
        JsonEdit::Truncate(i) => {
            let text = value.to_string();
            let at = i % (text.len() + 1);
            let at = (0..=at)
                .rev()
                .find(|&a| text.is_char_boundary(a))
                .unwrap_or(0);
            return text[..at].to_owned();
        }
    }
    value.to_string()
}

/// Every example body of the specs with its operation, direction and status.
fn example_bodies() -> Vec<(String, bool, u16, Value)> {
    let checked = netapi_codegen::check_dir(Path::new("spec")).unwrap();
    let mut out = Vec::new();
    for file in &checked.files {
        for example in &file.spec.examples {
            // Example URLs have no body to mutate.
            let Some(body) = &example.body else { continue };
            let request = example.direction == netapi_codegen::spec::ExampleDirection::Request;
            let status = example.status.unwrap_or(0);
            out.push((
                file.spec.operation.id.clone(),
                request,
                status,
                serde_json::from_str(body).unwrap(),
            ));
        }
    }
    out
}

#[test]
fn checking_entry_points_on_mutated_examples() {
    let examples = example_bodies();
    let strategy = (
        0..examples.len(),
        proptest::collection::vec(json_edit(), 1..4),
        any::<u16>(),
    );
    run(
        "mutated example bodies",
        256,
        strategy,
        |(index, edits, status)| {
            let (id, request, documented, body) = &examples[index];
            let mut text = body.to_string();
            for edit in &edits {
                text = match serde_json::from_str::<Value>(&text) {
                    Ok(value) => apply_json(&value, edit),
                    Err(_) => text,
                };
            }
            let status = if status % 4 == 0 {
                status % 1000
            } else {
                *documented
            };
            // Any answer is fine, as long as every entry point gives the same one; a panic
            // fails the case.
            if *request {
                let _ = netapi::check_request_json(id, &text).map_err(|e| e.to_string());
            }
            let _ = netapi::check_response_json(id, status, &text).map_err(|e| e.to_string());
            netapi::visit_operation(
                id,
                Agree {
                    request: *request,
                    status,
                    body: &text,
                },
            )
            .unwrap()
            .map_err(TestCaseError::fail)
        },
    );
}

/// Every entry point gives one verdict on a body: for a request, the typed reading plus
/// `validate()` and `check_request_json`; for a response with a documented success status,
/// the typed reading, `check_response_json` and `read_response`.
struct Agree<'a> {
    request: bool,
    status: u16,
    body: &'a str,
}

impl OperationVisitor for Agree<'_> {
    type Output = Result<(), String>;
    fn visit<O: Operation>(self) -> Self::Output {
        use netapi::Validate;
        let id = O::DESCRIPTOR.id;
        let verdicts = if self.request {
            vec![
                serde_json::from_str::<O::Request>(self.body).is_ok_and(|b| b.validate().is_ok()),
                netapi::check_request_json(id, self.body).is_ok(),
            ]
        } else {
            let documented = O::DESCRIPTOR
                .responses
                .iter()
                .find(|(s, _)| *s == self.status);
            let Some((_, Some(_))) = documented.filter(|_| (200..300).contains(&self.status))
            else {
                return Ok(());
            };
            let response = http::Response::builder()
                .status(self.status)
                .body(self.body.as_bytes().to_vec())
                .map_err(|e| e.to_string())?;
            vec![
                serde_json::from_str::<O::Response>(self.body).is_ok(),
                netapi::check_response_json(id, self.status, self.body).is_ok(),
                netapi::runtime::client::read_response::<O>(response).is_ok(),
            ]
        };
        if verdicts.iter().all(|v| *v == verdicts[0]) {
            Ok(())
        } else {
            Err(format!(
                "{id}: the entry points disagree ({verdicts:?}) on {}",
                self.body
            ))
        }
    }
}

/// Reads a response for the visited operation.
struct Read(http::Response<Vec<u8>>);

impl OperationVisitor for Read {
    type Output = Result<(), String>;
    fn visit<O: Operation>(self) -> Self::Output {
        match netapi::runtime::client::read_response::<O>(self.0) {
            Ok(_) => Ok(()),
            Err(error) => {
                // Rendering the error must not panic either.
                let _ = (error.to_string(), format!("{error:?}"));
                Ok(())
            }
        }
    }
}

#[test]
fn response_reading_on_random_bytes_statuses_and_headers() {
    let ids: Vec<&str> = netapi::operations().iter().map(|d| d.id).collect();
    let body = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        Just(br#"{"error_code": "X", "error_msg": "m", "request_id": 1}"#.to_vec()),
        Just(br#"{"NeutronError": {"type": null, "message": [1], "detail": {}}}"#.to_vec()),
        Just(br#"{"error": {"code": 5}}"#.to_vec()),
        "[ -~]{0,64}".prop_map(String::into_bytes),
    ];
    let strategy = (
        0..ids.len(),
        100u16..1000,
        body,
        proptest::collection::vec(("[A-Za-z-]{1,16}", "[ -~]{0,32}"), 0..4),
    );
    run(
        "response reading",
        512,
        strategy,
        |(index, status, body, headers)| {
            let mut builder = http::Response::builder().status(status);
            for (name, value) in &headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            let Ok(response) = builder.body(body) else {
                return Ok(());
            };
            netapi::visit_operation(ids[index], Read(response))
                .unwrap()
                .map_err(TestCaseError::fail)
        },
    );
}

/// Inputs that once broke something, kept as regression tests. (The fuzzers above have not
/// found a crash yet; these are the hand-picked extremes they are built around.)
#[test]
fn regressions() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for body in [
        deep.as_str(),
        "\"\\ud800\"",
        "1e400",
        "{\"vpn_connection\": {\"vgw_id\": \"\\udc00\"}}",
        "",
    ] {
        let _ = netapi::check_request_json("create_vpn_connection", body);
        let _ = netapi::check_response_json("create_vpn_connection", 201, body);
    }
    let path = PathBuf::from("spec/vpn/create_widget.yaml");
    for text in [
        "",
        "\u{feff}",
        "operation: *a",
        "a: &a [*a]",
        "---\n---\n",
        "operation: {id: x, title: t, service: vpn, method: GET, path: '/{', source: {page: p}}",
    ] {
        load_check_generate(&path, text.as_bytes()).unwrap();
    }
}
