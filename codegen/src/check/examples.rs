//! Checks of example bodies against the spec's own types, and of errata waivers.

use std::collections::{BTreeMap, BTreeSet};

use super::value::{Violation, check_value};
use super::{FileCx, TypeExpr, TypeTable, is_snake_case};
use crate::diag::{Diagnostic, Location};
use crate::spec::{Direction, ExampleDirection, FieldSpec, NodePath};

/// Checks every example of the file and the `waives` of every erratum.
pub(super) fn check_examples(cx: &mut FileCx<'_>, types: &TypeTable<'_>) {
    let spec = &cx.file.spec;
    let errata: BTreeMap<&str, usize> = spec
        .errata
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    // (erratum index, waived path) → whether some example used it.
    let mut used: BTreeSet<(usize, String)> = BTreeSet::new();
    let mut listed: BTreeSet<usize> = BTreeSet::new();
    let mut names = BTreeMap::new();
    for (i, example) in spec.examples.iter().enumerate() {
        let node = NodePath::root().key("examples").index(i);
        if !is_snake_case(&example.name) {
            cx.error(
                &node.key("name"),
                format!("example name `{}` is not snake_case", example.name),
            );
        }
        if let Some(first) = names.insert(example.name.as_str(), i) {
            let first_at = cx.locate(&NodePath::root().key("examples").index(first));
            cx.error_help(
                &node.key("name"),
                format!("duplicate example name `{}`", example.name),
                format!("first defined at {first_at}"),
            );
        }
        let mut waivers: Vec<(usize, &str)> = Vec::new();
        for (j, id) in example.errata.iter().enumerate() {
            match errata.get(id.as_str()) {
                Some(&e) => {
                    listed.insert(e);
                    waivers.extend(spec.errata[e].waives.iter().map(|w| (e, w.as_str())));
                }
                None => cx.unknown(
                    &node.key("errata").index(j),
                    "erratum",
                    id,
                    errata.keys().copied(),
                ),
            }
        }
        let (violations, at) = match (&example.url, &example.body) {
            (Some(_), Some(_)) => {
                cx.error(
                    &node.key("url"),
                    format!("example `{}` has both a `body` and a `url`", example.name),
                );
                continue;
            }
            (Some(_), None) if example.direction != ExampleDirection::Request => {
                cx.error(
                    &node.key("url"),
                    format!(
                        "example `{}`: only request examples take a `url`",
                        example.name
                    ),
                );
                continue;
            }
            (Some(url), None) => (super::urls::violations(types, spec, url), "url"),
            (None, None) => {
                cx.error_help(
                    &node,
                    format!("example `{}` has no `body`", example.name),
                    "add the page's JSON as `body`; a request example may give the request line as `url` instead",
                );
                continue;
            }
            (None, Some(body)) => match body_violations(cx, types, example, body, &node) {
                Some(violations) => (violations, "body"),
                None => continue,
            },
        };
        for violation in violations {
            let waived = waivers.iter().find(|(_, w)| covers(w, &violation.path));
            match waived {
                Some(&(e, w)) => {
                    used.insert((e, w.to_owned()));
                }
                None => {
                    let path = if violation.path.is_empty() {
                        format!("the {at}")
                    } else {
                        format!("`{}`", violation.path)
                    };
                    cx.error_help(
                        &node.key(at),
                        format!("example `{}`: {path}: {}", example.name, violation.message),
                        "fix the spec, or add an erratum that waives this path and list it in the example's `errata`",
                    );
                }
            }
        }
    }
    check_waiver_syntax(cx);
    check_waivers(cx, &used, &listed);
}

/// The deviations of a body example from its type (or from the error shapes), or `None`
/// when the example cannot be read at all (already reported).
fn body_violations(
    cx: &mut FileCx<'_>,
    types: &TypeTable<'_>,
    example: &crate::spec::ExampleSpec,
    body: &str,
    node: &NodePath,
) -> Option<Vec<Violation>> {
    // The type a request or response example is read as; error examples have the
    // error shapes instead.
    let body_type = match example.direction.types() {
        Some(direction) => match body_type(cx, types, direction, example.status, node) {
            Some(name) => Some((direction, name)),
            None => return None,
        },
        None => {
            check_error_status(cx, example.status, node);
            None
        }
    };
    let body: serde_json::Value = match serde_json::from_str::<StrictValue>(body) {
        Ok(StrictValue(body)) => body,
        Err(error) => {
            let location = body_location(cx, node, error.line(), error.column());
            cx.push(
                Diagnostic::error(
                    location,
                    format!("example `{}` cannot be read as JSON: {error}", example.name),
                )
                .with_help("fix the JSON and add an erratum that quotes the page's version"),
            );
            return None;
        }
    };
    let root = FieldSpec {
        required: Some(true),
        ..FieldSpec::default()
    };
    Some(match body_type {
        Some((direction, name)) => {
            check_value(types, direction, &root, &TypeExpr::Named(name), &body, "")
        }
        None => error_shape(&body),
    })
}

/// Rule: a waiver must excuse a real deviation of an example that lists its erratum; a
/// stale waiver would hide the next real mistake at that path.
fn check_waivers(cx: &mut FileCx<'_>, used: &BTreeSet<(usize, String)>, listed: &BTreeSet<usize>) {
    for (e, erratum) in cx.file.spec.errata.iter().enumerate() {
        for (w, path) in erratum.waives.iter().enumerate() {
            let node = NodePath::root()
                .key("errata")
                .index(e)
                .key("waives")
                .index(w);
            if !listed.contains(&e) {
                cx.error_help(
                    &node,
                    format!(
                        "erratum `{}` waives `{path}`, but no example lists it",
                        erratum.id
                    ),
                    "add the erratum to the example's `errata`",
                );
            } else if !used.contains(&(e, path.clone())) && steps(path).is_some() {
                cx.error_help(
                    &node,
                    format!(
                        "erratum `{}` waives `{path}`, but no example that lists it deviates there",
                        erratum.id
                    ),
                    "remove the path from `waives`",
                );
            }
        }
    }
}

/// One step of a JSON path: an object key, an array index, or `[*]`, any index.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step<'a> {
    Key(&'a str),
    Index(&'a str),
    AnyIndex,
}

/// Splits a JSON path as violations and waivers write it (`vpn_connection.tags[0].key`,
/// `tags[*].key`) into steps; `None` when it is not one (an empty key, an index that is
/// not a number or `*`, an unclosed bracket).
fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(tail) = rest.strip_prefix('[') {
            let (index, tail) = tail.split_once(']')?;
            out.push(match index {
                "*" => Step::AnyIndex,
                n if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => Step::Index(n),
                _ => return None,
            });
            rest = tail;
            continue;
        }
        if !out.is_empty() {
            rest = rest.strip_prefix('.')?;
        }
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        if end == 0 {
            return None;
        }
        out.push(Step::Key(&rest[..end]));
        rest = &rest[end..];
    }
    (!out.is_empty()).then_some(out)
}

/// True when waiver `waiver` covers a violation at `path`: the path itself or below it,
/// where a `[*]` of the waiver matches any index.
fn covers(waiver: &str, path: &str) -> bool {
    let (Some(waiver), Some(path)) = (steps(waiver), steps(path)) else {
        return false;
    };
    waiver.len() <= path.len()
        && waiver
            .iter()
            .zip(&path)
            .all(|(w, p)| w == p || (*w == Step::AnyIndex && matches!(p, Step::Index(_))))
}

/// Rule: a waiver is a JSON path (`widget.tags[0].key`, with `[*]` for any index); a
/// malformed one could never match, so it would stay silently unused.
fn check_waiver_syntax(cx: &mut FileCx<'_>) {
    for (e, erratum) in cx.file.spec.errata.iter().enumerate() {
        for (w, path) in erratum.waives.iter().enumerate() {
            if steps(path).is_none() {
                let node = NodePath::root()
                    .key("errata")
                    .index(e)
                    .key("waives")
                    .index(w);
                cx.error_help(
                    &node,
                    format!("erratum `{}` waives `{path}`, which is not a JSON path", erratum.id),
                    "write keys joined by `.` and indexes as `[0]`, or `[*]` for any index, e.g. `vpn_connection.tags[*].key`",
                );
            }
        }
    }
}

/// Rule: an error example's status, when the page gives one, is an error status (400 to
/// 599); the client reads any other status as a success or an undocumented answer, never
/// as an error body.
fn check_error_status(cx: &mut FileCx<'_>, status: Option<u16>, node: &NodePath) {
    if let Some(status) = status.filter(|s| !(400..=599).contains(s)) {
        cx.error_help(
            &node.key("status"),
            format!("error example with status {status}, which is not an error status"),
            "use a status from 400 to 599, leave `status` out if the page gives none, or make it a `response` example",
        );
    }
}

/// Rule: an error example is a body the client reads as an error with a code and a
/// message, in one of the shapes `ApiError::parse` (the runtime's `client.rs`) knows:
/// Huawei's `{"error_code", "error_msg"}`, `{"code", "message"}` at the top level or one
/// level down (`{"error": {...}}`), and Neutron's `{"NeutronError": {"type", "message",
/// "detail"}}`. Other keys are allowed (the client keeps the raw body); a body the client
/// would read without a code or a message is not the page's error format.
fn error_shape(body: &serde_json::Value) -> Vec<Violation> {
    use serde_json::Value;
    let mut out = Vec::new();
    let Value::Object(map) = body else {
        out.push(Violation {
            path: String::new(),
            message: "an error body is a JSON object".to_owned(),
        });
        return out;
    };
    let path = |prefix: &str, key: &str| {
        if prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{prefix}.{key}")
        }
    };
    // Each member the client reads: present, and a string (codes may be numbers).
    let mut expect = |object: &serde_json::Map<String, Value>,
                      prefix: &str,
                      keys: &[&str],
                      number_ok: bool,
                      required: bool| {
        let Some((key, value)) = keys.iter().find_map(|k| Some((*k, object.get(*k)?))) else {
            if required {
                out.push(Violation {
                    path: path(prefix, keys[0]),
                    message: format!(
                        "missing: the client reads the error's {} from `{}`",
                        if keys[0].contains("code") || keys[0] == "type" {
                            "code"
                        } else {
                            "message"
                        },
                        keys.join("` or `")
                    ),
                });
            }
            return;
        };
        let ok = value.is_string() || (number_ok && value.is_number());
        if !ok {
            out.push(Violation {
                path: path(prefix, key),
                message: format!(
                    "expected a string{}, found {}",
                    if number_ok { " or a number" } else { "" },
                    super::value::describe(value)
                ),
            });
        }
    };
    expect(map, "", &["request_id"], false, false);
    if map.contains_key("error_code") || map.contains_key("error_msg") {
        expect(map, "", &["error_code"], true, true);
        expect(map, "", &["error_msg"], false, true);
    } else if map.contains_key("code") || map.contains_key("message") {
        expect(map, "", &["code"], true, true);
        expect(map, "", &["message"], false, true);
    } else if let Some(neutron) = map.get("NeutronError") {
        match neutron {
            Value::Object(neutron) => {
                expect(neutron, "NeutronError", &["type"], false, true);
                expect(neutron, "NeutronError", &["message"], false, true);
                expect(neutron, "NeutronError", &["detail"], false, false);
            }
            other => out.push(Violation {
                path: "NeutronError".to_owned(),
                message: format!(
                    "expected an object, found {}",
                    super::value::describe(other)
                ),
            }),
        }
    } else if let Some((key, inner)) = map.iter().find_map(|(k, v)| match v {
        Value::Object(inner)
            if ["code", "message", "error_code"]
                .iter()
                .any(|c| inner.contains_key(*c)) =>
        {
            Some((k, inner))
        }
        _ => None,
    }) {
        expect(inner, key, &["code", "error_code"], true, true);
        expect(inner, key, &["message", "error_msg"], false, true);
        expect(inner, key, &["request_id"], false, false);
    } else {
        out.push(Violation {
            path: String::new(),
            message: "matches none of the error shapes the client reads: {\"error_code\", \"error_msg\"}, {\"code\", \"message\"}, {\"error\": {\"code\", \"message\"}} or {\"NeutronError\": {\"type\", \"message\", \"detail\"}}".to_owned(),
        });
    }
    out
}

/// Rule: a request example needs a request body; a response example names a documented
/// status with a body. Returns the body type's name.
fn body_type(
    cx: &mut FileCx<'_>,
    types: &TypeTable<'_>,
    direction: Direction,
    status: Option<u16>,
    node: &NodePath,
) -> Option<String> {
    let spec = &cx.file.spec;
    let name = match direction {
        Direction::Request => {
            if status.is_some() {
                cx.error(&node.key("status"), "request examples have no `status`");
            }
            match &spec.request {
                Some(request) => request.body.clone(),
                None => {
                    cx.error(
                        &node.key("direction"),
                        "request example, but the operation has no `request` body",
                    );
                    return None;
                }
            }
        }
        Direction::Response => {
            let statuses = spec.response.iter().flat_map(|r| &r.statuses);
            let Some(status) = status else {
                cx.error_help(
                    node,
                    "response example has no `status`",
                    "add the status it answers, e.g. `status: 201`",
                );
                return None;
            };
            match statuses.clone().find(|s| s.status == status) {
                Some(s) => match &s.body {
                    Some(body) => body.clone(),
                    None => {
                        cx.error(
                            &node.key("status"),
                            format!("status {status} is documented without a body"),
                        );
                        return None;
                    }
                },
                None => {
                    let known: Vec<String> = statuses.map(|s| s.status.to_string()).collect();
                    cx.error_help(
                        &node.key("status"),
                        format!("status {status} is not in `response.statuses`"),
                        format!("documented: {}", known.join(", ")),
                    );
                    return None;
                }
            }
        }
    };
    // An unknown body type is reported by the type checks; skip the example quietly.
    types.get(direction, &name).map(|_| name)
}

/// The file location of line `line`, column `column` (1-based) of an example's JSON body,
/// when the body is a block scalar; otherwise the location of the `body` key.
fn body_location(cx: &FileCx<'_>, node: &NodePath, line: usize, column: usize) -> Location {
    let key = cx.locate(&node.key("body"));
    let lines: Vec<&str> = cx.file.text.lines().collect();
    let key_line = lines.get(key.line - 1).copied().unwrap_or_default();
    let after_key = key_line
        .split_once("body:")
        .map(|(_, v)| v.trim())
        .unwrap_or_default();
    if !(after_key.starts_with('|') || after_key.starts_with('>')) || line == 0 {
        return key;
    }
    let target = key.line + line;
    let indent = lines
        .iter()
        .skip(key.line)
        .find(|l| !l.trim().is_empty())
        .map_or(0, |l| l.len() - l.trim_start().len());
    Location::new(&cx.file.path, target, indent + column.max(1))
}

/// A JSON value that refuses duplicate object keys. `serde_json::Value` keeps the last of
/// two equal keys silently, which would hide a page's broken example.
struct StrictValue(serde_json::Value);

impl<'de> serde::Deserialize<'de> for StrictValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{Error, MapAccess, SeqAccess, Visitor};
        use serde_json::Value;

        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = StrictValue;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E: Error>(self, v: bool) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::Bool(v)))
            }
            fn visit_i64<E: Error>(self, v: i64) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::from(v)))
            }
            fn visit_u64<E: Error>(self, v: u64) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::from(v)))
            }
            fn visit_f64<E: Error>(self, v: f64) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::from(v)))
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::String(v.to_owned())))
            }
            fn visit_unit<E: Error>(self) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::Null))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StrictValue, A::Error> {
                let mut items = Vec::new();
                while let Some(StrictValue(item)) = seq.next_element()? {
                    items.push(item);
                }
                Ok(StrictValue(Value::Array(items)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StrictValue, A::Error> {
                let mut object = serde_json::Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    if object.contains_key(&key) {
                        return Err(A::Error::custom(format!("duplicate key `{key}`")));
                    }
                    let StrictValue(value) = map.next_value()?;
                    object.insert(key, value);
                }
                Ok(StrictValue(Value::Object(object)))
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waivers_cover_their_path_and_below_with_wildcard_indexes() {
        assert!(covers("a.b[0].c", "a.b[0].c"));
        assert!(covers("a.b", "a.b[3].c"));
        assert!(covers("a.b[*].c", "a.b[12].c.d"));
        assert!(covers("a[*]", "a[0]"));
        assert!(!covers("a.b[*].c", "a.b[1].d"));
        assert!(!covers("a.b[0]", "a.b[1].c"));
        assert!(!covers("a.b", "a.bc"));
        // A wildcard stands for an index, never for a key.
        assert!(!covers("a[*]", "a.b"));
        assert!(!covers("a.b[*]", "a.b"));
    }

    #[test]
    fn malformed_paths_are_not_paths() {
        for bad in [
            "", "a..b", ".a", "a.", "a[x]", "a[", "a[]", "a[0]b", "a[-1]",
        ] {
            assert_eq!(steps(bad), None, "{bad:?}");
        }
        assert_eq!(
            steps("a.b[0][*].c"),
            Some(vec![
                Step::Key("a"),
                Step::Key("b"),
                Step::Index("0"),
                Step::AnyIndex,
                Step::Key("c")
            ])
        );
        assert_eq!(steps("[0].a"), Some(vec![Step::Index("0"), Step::Key("a")]));
    }
}
