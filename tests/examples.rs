//! Every example body of every page goes through the generated models: request examples
//! deserialize and re-serialize to the same JSON, response examples deserialize with
//! unknown keys kept.

use std::path::Path;

use netapi::{Operation, OperationVisitor};
use serde_json::Value;

/// Parses a body as the operation's request or success-response type and serializes it back.
struct RoundTrip<'a> {
    body: &'a str,
    request: bool,
}

impl OperationVisitor for RoundTrip<'_> {
    type Output = Result<Value, String>;
    fn visit<O: Operation>(self) -> Self::Output {
        fn go<T: serde::Serialize + serde::de::DeserializeOwned>(
            body: &str,
        ) -> Result<Value, String> {
            let typed: T = serde_json::from_str(body).map_err(|e| e.to_string())?;
            serde_json::to_value(&typed).map_err(|e| e.to_string())
        }
        if self.request {
            go::<O::Request>(self.body)
        } else {
            go::<O::Response>(self.body)
        }
    }
}

/// The value with every `null` member removed: an unset optional field is not sent, so a
/// documented `null` comes back as an absent key.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Whether two JSON values are equal when strings compare without ASCII case.
fn same_ignoring_ascii_case(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_ignoring_ascii_case(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, v)| b.get(k).is_some_and(|w| same_ignoring_ascii_case(v, w)))
        }
        (a, b) => a == b,
    }
}

/// `body` read into operation `id`'s request type and written back.
fn round_trip_request(id: &str, body: &Value) -> Result<Value, String> {
    let body = body.to_string();
    netapi::visit_operation(
        id,
        RoundTrip {
            body: &body,
            request: true,
        },
    )
    .unwrap_or_else(|| panic!("operation {id} is not in the registry"))
}

#[test]
fn every_example_round_trips_through_the_generated_models() {
    let checked = netapi_codegen::check_dir(Path::new("spec")).expect("spec/ passes its checks");
    let mut count = 0;
    for file in &checked.files {
        let op = &file.spec.operation;
        for example in &file.spec.examples {
            // Error bodies are read by the client's error reader; see the test below.
            if example.direction == netapi_codegen::spec::ExampleDirection::Error {
                continue;
            }
            let request = example.direction == netapi_codegen::spec::ExampleDirection::Request;
            // Example URLs have no body; the checks parse them against the parameters.
            let Some(body) = &example.body else { continue };
            let original: Value = serde_json::from_str(body).unwrap();
            let result = netapi::visit_operation(&op.id, RoundTrip { body, request })
                .unwrap_or_else(|| panic!("operation {} is not in the registry", op.id));
            let what = format!("{} example `{}`", op.id, example.name);
            match result {
                Ok(reserialized) if request && example.errata.is_empty() => {
                    assert_eq!(reserialized, original, "{what} changes in a round trip");
                }
                Ok(reserialized) => {
                    assert_eq!(
                        without_nulls(&reserialized),
                        without_nulls(&original),
                        "{what} loses data in a round trip"
                    );
                }
                // A request example that an erratum says breaks the page's own rules may be
                // refused by the strict request model; response models must read everything.
                Err(error) if request && !example.errata.is_empty() => {
                    eprintln!("{what} is refused as documented by its errata: {error}");
                }
                Err(error) => panic!("{what} does not parse: {error}"),
            }
            count += 1;
        }
    }
    assert!(
        count >= 16,
        "the five pages alone have 16 examples, found {count}"
    );
}

/// Every accepted boundary case (derived from the IR: among them every value of every
/// request enum) reads into the operation's typed request body and writes back the JSON it
/// was read from. For enums, this holds the text an enum reads (its `WireEnum::WIRE` table)
/// and the text it writes (its generated `as_str`) to the same values.
#[test]
fn every_accepted_boundary_case_round_trips_through_the_request_model() {
    use netapi_codegen::cases::Expect;
    let api = netapi_codegen::Config::new("spec")
        .lower()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    let mut count = 0;
    for case in netapi_codegen::cases::cases(&api) {
        if !matches!(case.expect, Expect::Accept) {
            continue;
        }
        let result = round_trip_request(&case.operation, &case.body);
        count += 1;
        match result {
            Ok(back) if back == without_nulls(&case.body) => {}
            // A request enum documented in two casings reads any casing and sends the
            // documented one: the same text up to ASCII case, which reads back as itself.
            Ok(back)
                if same_ignoring_ascii_case(&back, &without_nulls(&case.body))
                    && round_trip_request(&case.operation, &back) == Ok(back.clone()) => {}
            Ok(back) => failures.push(format!(
                "{}: {}
  wrote back {back}",
                case.operation, case.name
            )),
            Err(error) => failures.push(format!(
                "{}: {}
  refused: {error}",
                case.operation, case.name
            )),
        }
    }
    assert!(count > 0, "the specs derive no accepted case");
    assert!(
        failures.is_empty(),
        "{} of {count} cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn response_models_keep_unknown_keys_and_values() {
    use netapi::vpn::create_vpn_connection::CreateVpnConnectionResponseBody;
    use netapi::vpn::types::ResponseVpnConnectionStyle as ResponseStyle;
    let body = r#"{"vpn_connection": {"id": "x", "style": "ROUTE_BASED_V9", "brand_new": {"a": [1, 2]}}, "request_id": "r", "trace": 7}"#;
    let parsed: CreateVpnConnectionResponseBody = serde_json::from_str(body).unwrap();
    let connection = parsed.vpn_connection.as_ref().unwrap();
    assert_eq!(
        connection.style,
        Some(ResponseStyle::Unknown("ROUTE_BASED_V9".to_owned()))
    );
    assert_eq!(
        connection.extra["brand_new"],
        serde_json::json!({"a": [1, 2]})
    );
    assert_eq!(parsed.extra["trace"], serde_json::json!(7));
    let back: Value = serde_json::to_value(&parsed).unwrap();
    assert_eq!(back, serde_json::from_str::<Value>(body).unwrap());
}

#[test]
fn request_models_are_strict() {
    use netapi::vpn::create_vpn_connection::CreateVpnConnectionRequestBody;
    let ok =
        r#"{"vpn_connection": {"vgw_id": "a", "vgw_ip": "b", "cgw_id": "c", "style": "POLICY"}}"#;
    let parsed: CreateVpnConnectionRequestBody =
        serde_json::from_str(ok).expect("documented casing variants are accepted");
    // The documented casing is what gets sent.
    assert!(
        serde_json::to_string(&parsed)
            .unwrap()
            .contains(r#""style":"policy""#)
    );
    for (body, expected) in [
        (
            r#"{"vpn_connection": {"vgw_id": "a", "vgw_ip": "b", "cgw_id": "c", "colour": 1}}"#,
            "unknown field `colour`",
        ),
        (
            r#"{"vpn_connection": {"vgw_ip": "b", "cgw_id": "c"}}"#,
            "missing field `vgw_id`",
        ),
        (
            r#"{"vpn_connection": {"vgw_id": "a", "vgw_id": "a", "vgw_ip": "b", "cgw_id": "c"}}"#,
            "duplicate field `vgw_id`",
        ),
        (
            r#"{"vpn_connection": {"vgw_id": "a", "vgw_ip": "b", "cgw_id": "c", "style": "ospf"}}"#,
            "one of `static`, `policy`, `bgp`",
        ),
        (
            r#"{"vpn_connection": {"vgw_id": 7, "vgw_ip": "b", "cgw_id": "c"}}"#,
            "invalid type: integer `7`, expected a string",
        ),
    ] {
        let error = serde_json::from_str::<CreateVpnConnectionRequestBody>(body)
            .unwrap_err()
            .to_string();
        assert!(error.contains(expected), "{body}: {error}");
    }
}

#[test]
fn wide_integers_and_secrets() {
    use netapi::dcaas::create_vif_peer::CreateVifPeer;
    let body = r#"{"name": "p", "address_family": "IPv6", "local_gateway_ip": "fd00::1/64", "remote_gateway_ip": "fd00::2/64", "vif_id": "86f9556a-fa68-42b7-93c2-dd407408430b", "bgp_asn": 4294967295, "bgp_md5": "s3cr3t-md5"}"#;
    let peer: CreateVifPeer = serde_json::from_str(body).unwrap();
    assert_eq!(peer.bgp_asn, Some(4_294_967_295i64));
    let debug = format!("{peer:?}");
    assert!(!debug.contains("s3cr3t-md5"), "{debug}");
    assert_eq!(
        peer.bgp_md5.as_ref().map(|s| s.expose()),
        Some("s3cr3t-md5")
    );
}

#[test]
fn registry_lists_every_operation() {
    let keys: Vec<(&str, &str)> = netapi::operations()
        .iter()
        .map(|d| (d.service, d.id))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "sorted by service, then id");
    // Exactly the operations of `spec/`: each file is `spec/<service>/<operation_id>.yaml`.
    let mut in_spec = Vec::new();
    for service in std::fs::read_dir("spec").unwrap() {
        let service = service.unwrap().path();
        if !service.is_dir() {
            continue;
        }
        let name = service.file_name().unwrap().to_str().unwrap().to_owned();
        for file in std::fs::read_dir(&service).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == "yaml") {
                let id = file.file_stem().unwrap().to_str().unwrap().to_owned();
                in_spec.push((name.clone(), id));
            }
        }
    }
    in_spec.sort();
    let listed: Vec<(String, String)> = keys
        .iter()
        .map(|(service, id)| ((*service).to_owned(), (*id).to_owned()))
        .collect();
    assert_eq!(listed, in_spec);
    let d = netapi::operations()
        .iter()
        .find(|d| d.id == "create_vpn_connection")
        .unwrap();
    assert_eq!(
        (d.method, d.path, d.service, d.success),
        ("POST", "/v5/{project_id}/vpn-connection", "vpn", &[201][..])
    );
}

/// Every error example, of the real specs and of the generator fixtures, is read by the
/// client's error reader (`ApiError::parse`, what `read_response` returns for an error
/// status) with a code and a message: the checker's error shapes and the client agree.
#[test]
fn every_error_example_is_read_by_the_client_with_a_code_and_a_message() {
    let mut dirs = vec![std::path::PathBuf::from("spec")];
    for case in netapi_tests::fixture_cases("tests/fixtures/generate") {
        dirs.push(Path::new("tests/fixtures/generate").join(case).join("spec"));
    }
    let mut count = 0;
    for dir in dirs {
        let checked = netapi_codegen::check_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
        for file in &checked.files {
            for example in &file.spec.examples {
                if example.direction != netapi_codegen::spec::ExampleDirection::Error {
                    continue;
                }
                let status = example.status.unwrap_or(400);
                let body = example.body.as_deref().unwrap_or_default();
                let error = netapi::runtime::client::ApiError::parse(status, None, body.as_bytes());
                let what = format!("{} example `{}`", file.spec.operation.id, example.name);
                assert!(error.code.is_some(), "{what}: no code in {error:?}");
                assert!(error.message.is_some(), "{what}: no message in {error:?}");
                count += 1;
            }
        }
    }
    assert!(
        count >= 3,
        "the fixtures hold error examples of every shape"
    );
}
