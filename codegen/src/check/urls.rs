//! Checks of example URLs: a request example given as `url:` (the request line's path and
//! query, as the page prints them after the host) is matched against the path template and
//! read with the parameters' types, encodings, constraints and rules.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::value::{Violation, check_value, condition_holds, describe_condition};
use super::{TypeExpr, TypeTable};
use crate::spec::{Direction, FieldSpec, ParamLocation, QueryEncoding, SpecFile};

/// Every deviation of `url` from the operation's path and parameters, each at the path
/// `path.<name>`, `query.<name>` (waivable by errata, as body deviations are) or, for a
/// path that does not match the template at all, the empty path.
///
/// A value written `{name}`, naming its own parameter, is the page's placeholder for "some
/// value": it counts as present and is not parsed. A literal value is parsed with the
/// parameter's type (and encoding, for arrays) and checked against its constraints.
pub(super) fn violations(types: &TypeTable<'_>, spec: &SpecFile, url: &str) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut violation = |path: String, message: String| out.push(Violation { path, message });
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let query = query.split('#').next().unwrap_or_default();
    // The parameters the page's request line sets, by name: parsed values, and placeholders.
    let mut set: BTreeMap<String, Value> = BTreeMap::new();
    let mut placeholders: BTreeSet<String> = BTreeSet::new();
    let mut values: Vec<(String, Value, &FieldSpec, TypeExpr)> = Vec::new();

    let template: Vec<&str> = spec.operation.path.split('/').collect();
    let actual: Vec<&str> = path.split('/').collect();
    if template.len() != actual.len() {
        violation(
            String::new(),
            format!(
                "the path `{path}` does not match the template `{}`",
                spec.operation.path
            ),
        );
    } else {
        for (t, a) in template.iter().zip(&actual) {
            let Some(name) = t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) else {
                if t != a {
                    violation(
                        String::new(),
                        format!(
                            "the path `{path}` does not match the template `{}`: `{a}` is not `{t}`",
                            spec.operation.path
                        ),
                    );
                }
                continue;
            };
            if a == t {
                placeholders.insert(name.to_owned());
                continue;
            }
            let Some(parameter) = find(spec, ParamLocation::Path, name) else {
                continue;
            };
            let Some(Ok(ty)) = parameter.type_expr() else {
                continue;
            };
            match parse(ty, &decode(a)) {
                Ok(value) => values.push((format!("path.{name}"), value, parameter, ty.clone())),
                Err(message) => violation(format!("path.{name}"), message),
            }
        }
    }

    // Values of each query parameter in order of appearance, raw (not yet decoded), so
    // that a comma-encoded array splits on its literal commas only.
    let mut raw: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode(name);
        if find(spec, ParamLocation::Query, &name).is_none() {
            violation(
                format!("query.{name}"),
                format!("no query parameter `{name}` is documented"),
            );
            continue;
        }
        if value == format!("{{{name}}}") {
            placeholders.insert(name);
            continue;
        }
        raw.entry(name).or_default().push(value);
    }
    for (name, raws) in &raw {
        let Some(parameter) = find(spec, ParamLocation::Query, name) else {
            continue;
        };
        let Some(Ok(ty)) = parameter.type_expr() else {
            continue;
        };
        let at = format!("query.{name}");
        let parsed = match (ty, parameter.encoding) {
            (TypeExpr::Array(element), encoding) => {
                let texts: Vec<String> = match encoding {
                    Some(QueryEncoding::Comma) if raws.len() > 1 => {
                        violation(
                            at.clone(),
                            format!(
                                "given {} times, but its values are joined by commas (`encoding: comma`)",
                                raws.len()
                            ),
                        );
                        continue;
                    }
                    Some(QueryEncoding::Comma) => raws[0].split(',').map(decode).collect(),
                    _ => raws.iter().map(|r| decode(r)).collect(),
                };
                texts
                    .iter()
                    .map(|t| parse(element, t))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array)
            }
            _ if raws.len() > 1 => {
                violation(
                    at.clone(),
                    format!("given {} times, but it takes one value", raws.len()),
                );
                continue;
            }
            _ => parse(ty, &decode(raws[0])),
        };
        match parsed {
            Ok(value) => values.push((at, value, parameter, ty.clone())),
            Err(message) => violation(at, message),
        }
    }

    for (at, value, parameter, ty) in values {
        out.extend(check_value(
            types,
            Direction::Request,
            parameter,
            &ty,
            &value,
            &at,
        ));
        if let Some(name) = parameter.name.clone() {
            set.insert(name, value);
        }
    }
    out.extend(rule_violations(spec, &set, &placeholders));
    out
}

/// The parameter of `location` named `name`.
fn find<'s>(spec: &'s SpecFile, location: ParamLocation, name: &str) -> Option<&'s FieldSpec> {
    spec.parameters
        .iter()
        .find(|p| p.location == Some(location) && p.name.as_deref() == Some(name))
}

/// The value of a parameter of scalar type `ty` written as `text` in a URL.
fn parse(ty: &TypeExpr, text: &str) -> Result<Value, String> {
    match ty {
        TypeExpr::Integer => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("`{text}` is not an integer")),
        TypeExpr::Number => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("`{text}` is not a number")),
        TypeExpr::Boolean => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("`{text}` is not `true` or `false`")),
        },
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// The `parameter_rules` the request line breaks. A placeholder counts as set; a condition
/// on a placeholder's value is unknown and is not judged.
fn rule_violations(
    spec: &SpecFile,
    set: &BTreeMap<String, Value>,
    placeholders: &BTreeSet<String>,
) -> Vec<Violation> {
    let ty = super::parameters::caller_parameters(spec);
    let present = |name: &str| set.contains_key(name) || placeholders.contains(name);
    // Placeholders are present for `present: true`; their value is not known.
    let mut map: serde_json::Map<String, Value> =
        set.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    for name in placeholders {
        map.entry(name.clone()).or_insert(Value::Bool(true));
    }
    let known = |c: &crate::spec::ConditionSpec| {
        c.present == Some(true) || !placeholders.contains(&c.field)
    };
    let mut out = Vec::new();
    let place = |name: &str| match spec
        .parameters
        .iter()
        .find(|p| p.name.as_deref() == Some(name))
        .and_then(|p| p.location)
    {
        Some(ParamLocation::Path) => "path",
        Some(ParamLocation::Header) => "header",
        _ => "query",
    };
    for rule in &ty.rules {
        if let Some(r) = &rule.required_when {
            if known(&r.condition) && condition_holds(&ty, &map, &r.condition) && !present(&r.field)
            {
                out.push(Violation {
                    path: format!("{}.{}", place(&r.field), r.field),
                    message: format!(
                        "required when {}, but the URL leaves it out",
                        describe_condition(&r.condition)
                    ),
                });
            }
        }
        if let Some(r) = &rule.only_when {
            if known(&r.condition) && present(&r.field) && !condition_holds(&ty, &map, &r.condition)
            {
                out.push(Violation {
                    path: format!("{}.{}", place(&r.field), r.field),
                    message: format!(
                        "allowed only under its condition on `{}`, which the URL does not meet",
                        r.condition.field
                    ),
                });
            }
        }
    }
    out
}

/// Percent-decodes URL text; a `%` not followed by two hex digits stays as it is, and `+`
/// stays a plus (the pages print paths and queries, not form bodies). The generator has no
/// URL crate, and this is all it needs of one.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_escapes_and_keeps_the_rest() {
        assert_eq!(decode("a%2Cb"), "a,b");
        assert_eq!(decode("a%2"), "a%2");
        assert_eq!(decode("%zz+1"), "%zz+1");
        assert_eq!(decode("%41"), "A");
    }
}
