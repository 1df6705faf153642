//! Validators and the checking entry points.
//!
//! The boundary cases are derived from the IR (`netapi_codegen::cases`), not listed by
//! hand: every constraint of every request field at its limit and one past it, every enum
//! value, character class and cross-field rule both ways.

use netapi::{CheckError, ViolationKind};
use netapi_codegen::cases::{Case, Expect};
use netapi_codegen::{Config, spec::ExampleDirection};

fn cases() -> Vec<Case> {
    let api = Config::new("spec")
        .lower()
        .unwrap_or_else(|e| panic!("{e}"));
    netapi_codegen::cases::cases(&api)
}

fn verdict(case: &Case) -> Result<(), String> {
    let body = serde_json::to_string(&case.body).unwrap();
    let result = netapi::check_request_json(&case.operation, &body);
    match (&case.expect, result) {
        (Expect::Accept, Ok(())) => Ok(()),
        (Expect::Accept, Err(error)) => Err(format!("refused:\n{error}")),
        (Expect::Reject { .. }, Ok(())) => Err("accepted".to_owned()),
        (Expect::Reject { path, rules }, Err(CheckError::Body(violations))) => {
            // The cases come from the generator, which reads the runtime crate
            // (`netapi_runtime`); `netapi`, like every generated crate, carries its own copy
            // of the runtime's source, so the two `ViolationKind`s are distinct types: kinds
            // compare by name.
            if violations
                .iter()
                .any(|v| &v.path == path && rules.iter().any(|r| r.name() == v.kind.name()))
            {
                Ok(())
            } else {
                Err(format!(
                    "refused, but not with {rules:?} at `{path}`:\n{violations}"
                ))
            }
        }
        (Expect::Reject { .. }, Err(other)) => Err(format!("refused for another reason: {other}")),
    }
}

#[test]
fn every_derived_boundary_case_gets_the_expected_verdict() {
    let cases = cases();
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(why) = verdict(case) {
            failures.push(format!(
                "{} / {}: {why}\n  body: {}",
                case.operation, case.name, case.body
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    let rejects = cases
        .iter()
        .filter(|c| matches!(c.expect, Expect::Reject { .. }))
        .count();
    eprintln!("{} cases, {} of them rejections", cases.len(), rejects);
    assert!(cases.len() > 500, "only {} cases", cases.len());
}

/// Every kind of rule the specs use is exercised by at least one rejection.
#[test]
fn derived_cases_cover_every_rule_kind_in_the_specs() {
    let covered: std::collections::BTreeSet<&str> = cases()
        .iter()
        .filter_map(|c| match &c.expect {
            Expect::Reject { rules, .. } => Some(rules[0].name()),
            Expect::Accept => None,
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    for rule in [
        ViolationKind::Structure,
        ViolationKind::MinLength,
        ViolationKind::MaxLength,
        ViolationKind::Minimum,
        ViolationKind::Maximum,
        ViolationKind::Fixed,
        ViolationKind::Charset,
        ViolationKind::CharClasses,
        ViolationKind::Format,
        ViolationKind::PrefixLength,
        ViolationKind::Within,
        ViolationKind::Reserved,
        ViolationKind::HostAddress,
        ViolationKind::MaxItems,
        ViolationKind::UniqueBy,
        ViolationKind::RequiredWhen,
        ViolationKind::OnlyWhen,
        ViolationKind::SameSubnet,
    ] {
        assert!(
            covered.contains(rule.name()),
            "no case rejects with {}",
            rule.name()
        );
    }
}

#[test]
fn request_examples_validate_unless_an_erratum_says_otherwise() {
    let checked = netapi_codegen::check_dir(std::path::Path::new("spec")).unwrap();
    for file in &checked.files {
        for example in file
            .spec
            .examples
            .iter()
            .filter(|e| e.direction == ExampleDirection::Request)
        {
            // Example URLs have no body; the checks read them against the parameters.
            let Some(body) = &example.body else { continue };
            let result = netapi::check_request_json(&file.spec.operation.id, body);
            if example.errata.is_empty() {
                assert!(
                    result.is_ok(),
                    "{} `{}`: {}",
                    file.spec.operation.id,
                    example.name,
                    result.unwrap_err()
                );
            }
        }
    }
}

#[test]
fn response_examples_and_lenient_variants_pass() {
    let checked = netapi_codegen::check_dir(std::path::Path::new("spec")).unwrap();
    for file in &checked.files {
        let id = &file.spec.operation.id;
        for example in file
            .spec
            .examples
            .iter()
            .filter(|e| e.direction == ExampleDirection::Response)
        {
            let status = example.status.unwrap();
            // The checks refuse a response example without a body.
            let body = example
                .body
                .as_deref()
                .expect("checked: responses have a body");
            let check = |body: &str| netapi::check_response_json(id, status, body);
            assert!(
                check(body).is_ok(),
                "{id} `{}`: {:?}",
                example.name,
                check(body)
            );
            let mut value: serde_json::Value = serde_json::from_str(body).unwrap();
            // An unknown key, and every documented string member turned into an unknown
            // value or a null, at every depth.
            value
                .as_object_mut()
                .unwrap()
                .insert("brand_new_key".into(), serde_json::json!({"x": [1]}));
            let mut unknown = value.clone();
            mutate_strings(&mut unknown, &|_| {
                serde_json::json!("A_VALUE_NO_PAGE_LISTS")
            });
            assert!(
                check(&unknown.to_string()).is_ok(),
                "{id} `{}` with unknown values: {:?}",
                example.name,
                check(&unknown.to_string())
            );
            let mut nulls = value.clone();
            mutate_strings(&mut nulls, &|_| serde_json::Value::Null);
            assert!(
                check(&nulls.to_string()).is_ok(),
                "{id} `{}` with nulls: {:?}",
                example.name,
                check(&nulls.to_string())
            );
            // A wrong JSON type for a documented field is still an error.
            let mut wrong = value.clone();
            mutate_strings(&mut wrong, &|_| serde_json::json!({"an": "object"}));
            assert!(
                check(&wrong.to_string()).is_err(),
                "{id} `{}` with wrong types passed",
                example.name
            );
        }
    }
}

fn mutate_strings(value: &mut serde_json::Value, f: &dyn Fn(&str) -> serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, member) in map.iter_mut() {
                if key == "brand_new_key" {
                    continue;
                }
                match member {
                    serde_json::Value::String(s) => *member = f(s),
                    other => mutate_strings(other, f),
                }
            }
        }
        serde_json::Value::Array(items) => {
            items.iter_mut().for_each(|item| mutate_strings(item, f))
        }
        _ => {}
    }
}

#[test]
fn entry_points_report_unknown_operations_and_statuses() {
    let error = netapi::check_request_json("create_vpn_conection", "{}").unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, CheckError::UnknownOperation { .. }));
    assert!(
        text.contains("create_vpn_connection") && text.contains("create_vif_peer"),
        "{text}"
    );
    let error = netapi::check_response_json("create_vpn_connection", 418, "{}").unwrap_err();
    assert_eq!(
        error.to_string(),
        "status 418 is not documented for `create_vpn_connection` (documented: 201)"
    );
    let error = netapi::check_request_json("create_vpn_service", "{\"vpnservice\": ").unwrap_err();
    let violations = error.violations().unwrap();
    assert_eq!(
        violations.iter().next().unwrap().kind,
        ViolationKind::Syntax
    );
}

#[test]
fn every_problem_is_reported_at_once_with_paths_and_masked_secrets() {
    let body = r#"{"vpn_connection": {"vgw_id": "b32d91a4-demo-a8df-va86-e907174eb11d", "vgw_ip": "10.0.0.1",
        "cgw_id": "5247ae10-9e2b-4d3a-a8df-dd36659a7f5d", "style": "policy", "psk": "abcdefghij",
        "tags": [{"key": "a", "value": "b"}, {"key": "a", "value": "c"}, {"key": "x<y", "value": "z"}],
        "ikepolicy": {"dpd": {"timeout": 61}}}}"#;
    let error = netapi::check_request_json("create_vpn_connection", body).unwrap_err();
    let violations: Vec<_> = error
        .violations()
        .unwrap()
        .iter()
        .map(|v| (v.path.as_str(), v.kind))
        .collect();
    assert!(
        violations.contains(&("vpn_connection.vgw_id", ViolationKind::Format)),
        "{violations:?}"
    );
    assert!(
        violations.contains(&("vpn_connection.psk", ViolationKind::CharClasses)),
        "{violations:?}"
    );
    assert!(
        violations.contains(&("vpn_connection.tags[2].key", ViolationKind::Charset)),
        "{violations:?}"
    );
    assert!(
        violations.contains(&(
            "vpn_connection.ikepolicy.dpd.timeout",
            ViolationKind::Maximum
        )),
        "{violations:?}"
    );
    assert!(
        !error.to_string().contains("abcdefghij"),
        "the psk leaked: {error}"
    );

    let structural =
        r#"{"vpn_connection": {"vgw_id": 5, "cgw_id": "x", "colour": 1, "tags": [{"key": 1}]}}"#;
    let error = netapi::check_request_json("create_vpn_connection", structural).unwrap_err();
    let paths: Vec<&str> = error
        .violations()
        .unwrap()
        .iter()
        .map(|v| v.path.as_str())
        .collect();
    for expected in [
        "vpn_connection.vgw_id",
        "vpn_connection.vgw_ip",
        "vpn_connection.colour",
        "vpn_connection.tags[0].key",
        "vpn_connection.tags[0].value",
    ] {
        assert!(
            paths.contains(&expected),
            "{expected} missing from {paths:?}"
        );
    }
}

/// Every entry point's verdict on one body: the typed reading (`serde_json` into the
/// model, then `validate()` for requests), `check_request_json` or `check_response_json`,
/// and for responses `read_response`.
struct Verdicts<'a> {
    request: bool,
    status: u16,
    body: &'a str,
}

impl netapi::OperationVisitor for Verdicts<'_> {
    type Output = Vec<(&'static str, bool)>;
    fn visit<O: netapi::Operation>(self) -> Self::Output {
        use netapi::Validate;
        let id = O::DESCRIPTOR.id;
        if self.request {
            let typed = serde_json::from_str::<O::Request>(self.body)
                .is_ok_and(|body| body.validate().is_ok());
            vec![
                ("typed reading", typed),
                (
                    "check_request_json",
                    netapi::check_request_json(id, self.body).is_ok(),
                ),
            ]
        } else {
            let response = http::Response::builder()
                .status(self.status)
                .body(self.body.as_bytes().to_vec())
                .unwrap();
            vec![
                (
                    "typed reading",
                    serde_json::from_str::<O::Response>(self.body).is_ok(),
                ),
                (
                    "check_response_json",
                    netapi::check_response_json(id, self.status, self.body).is_ok(),
                ),
                (
                    "read_response",
                    netapi::runtime::client::read_response::<O>(response).is_ok(),
                ),
            ]
        }
    }
}

/// `value` as compact JSON with object member number `target` (in document order) written
/// twice, the first time with `first` as its value.
fn with_duplicate(value: &serde_json::Value, target: usize, first: &str) -> Option<String> {
    fn write(
        value: &serde_json::Value,
        target: usize,
        first: &str,
        seen: &mut usize,
        out: &mut String,
    ) {
        match value {
            serde_json::Value::Object(map) => {
                out.push('{');
                for (i, (key, member)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let key_json = serde_json::to_string(key).unwrap();
                    if *seen == target {
                        let first = if first.is_empty() {
                            member.to_string()
                        } else {
                            first.to_owned()
                        };
                        out.push_str(&format!("{key_json}:{first},"));
                    }
                    *seen += 1;
                    out.push_str(&format!("{key_json}:"));
                    write(member, target, first, seen, out);
                }
                out.push('}');
            }
            serde_json::Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(item, target, first, seen, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut seen = 0;
    let mut out = String::new();
    write(value, target, first, &mut seen, &mut out);
    (target < seen).then_some(out)
}

#[test]
fn every_entry_point_refuses_a_key_twice_in_either_direction() {
    let checked = netapi_codegen::check_dir(std::path::Path::new("spec")).unwrap();
    let mut bodies = 0;
    for file in &checked.files {
        let id = &file.spec.operation.id;
        for example in &file.spec.examples {
            // Error bodies are read by the client's error reader, not by these entry points.
            let request = match example.direction {
                ExampleDirection::Request => true,
                ExampleDirection::Response => false,
                ExampleDirection::Error => continue,
            };
            // Example URLs have no body.
            let Some(body) = &example.body else { continue };
            let status = example.status.unwrap_or(0);
            let value: serde_json::Value = serde_json::from_str(body).unwrap();
            let original = netapi::visit_operation(
                id,
                Verdicts {
                    request,
                    status,
                    body,
                },
            )
            .unwrap();
            if original.iter().any(|(_, ok)| !ok) {
                continue; // An example an erratum waives; its duplicates prove nothing.
            }
            // Each member twice: once with its own value, once with `null` first (the case
            // where last-wins reading hides an invalid first value), and once with a value
            // of the wrong type first.
            for target in 0.. {
                let Some(same) = with_duplicate(&value, target, "") else {
                    break;
                };
                for body in [
                    same,
                    with_duplicate(&value, target, "null").unwrap(),
                    with_duplicate(&value, target, "\"x\"").unwrap(),
                ] {
                    bodies += 1;
                    let verdicts = netapi::visit_operation(
                        id,
                        Verdicts {
                            request,
                            status,
                            body: &body,
                        },
                    )
                    .unwrap();
                    for (entry_point, ok) in verdicts {
                        assert!(!ok, "{id} {entry_point} accepted a duplicate key: {body}");
                    }
                }
            }
        }
    }
    assert!(bodies > 0);
}

#[test]
fn the_report_keeps_the_first_thousand_problems_and_counts_the_rest() {
    let keys: Vec<String> = (0..20_000).map(|i| format!("\"k{i}\": {i}")).collect();
    let body = format!(
        r#"{{"peering": {{"name": "n", "request_vpc_info": {{"vpc_id": "a"}}, "accept_vpc_info": {{"vpc_id": "b"}}, {}}}}}"#,
        keys.join(", ")
    );
    let error = netapi::check_request_json("create_vpc_peering", &body).unwrap_err();
    let violations = error.violations().unwrap();
    assert_eq!(violations.len(), netapi::Violations::LIMIT);
    assert_eq!(violations.omitted(), 20_000 - netapi::Violations::LIMIT);
    let text = error.to_string();
    assert!(text.starts_with("20000 problems"), "{}", &text[..100]);
    assert!(
        text.len() < 200 * netapi::Violations::LIMIT,
        "{} bytes",
        text.len()
    );
    // The same cap holds for `validate()`.
    let mut many = netapi::Violations::new();
    for _ in 0..3000 {
        many.push(violations.iter().next().unwrap().clone());
    }
    assert_eq!((many.len(), many.omitted()), (1000, 2000));
}
