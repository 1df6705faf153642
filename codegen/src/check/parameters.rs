//! Checks of what parameters say beyond their type: the query encoding of arrays, and the
//! rules between parameters (`parameter_rules`).

use super::{FileCx, TypeExpr, TypeTable};
use crate::spec::{Direction, FieldSpec, NodePath, ParamLocation, TypeSpec};

/// Rule: an array query parameter says how its values are written (`encoding: repeated` for
/// `?a=1&a=2`, `encoding: comma` for `?a=1,2`), because the pages differ and a guess sends a
/// filter the server reads differently; any other parameter has no `encoding`.
pub(super) fn check_encoding(
    cx: &mut FileCx<'_>,
    parameter: &FieldSpec,
    name: &str,
    location: ParamLocation,
    node: &NodePath,
) {
    let is_array = matches!(parameter.type_expr(), Some(Ok(TypeExpr::Array(_))));
    match (location == ParamLocation::Query && is_array, parameter.encoding) {
        (true, None) => cx.error_help(
            node,
            format!("array query parameter `{name}` has no `encoding`"),
            "add `encoding: repeated` (?a=1&a=2) or `encoding: comma` (?a=1,2), as the page or its examples show",
        ),
        (false, Some(_)) => cx.error(
            &node.key("encoding"),
            format!("`encoding` is not allowed on `{name}`: only array query parameters have one"),
        ),
        _ => {}
    }
}

/// Whether the client fills the parameter itself (the project id in the path, the token
/// header): the caller never sets it, so no rule between parameters can name it.
pub(crate) fn filled_by_client(parameter: &FieldSpec) -> bool {
    match (parameter.location, parameter.name.as_deref()) {
        (Some(ParamLocation::Path), Some("project_id")) => true,
        (Some(ParamLocation::Header), Some(name)) => name.eq_ignore_ascii_case("X-Auth-Token"),
        _ => false,
    }
}

/// The parameters the caller sets, as the type that `parameter_rules` are checked and
/// resolved against: its fields are those parameters, in file order.
pub(crate) fn caller_parameters(spec: &crate::spec::SpecFile) -> TypeSpec {
    TypeSpec {
        name: "parameters".to_owned(),
        table: 0,
        title: None,
        description: None,
        fields: spec
            .parameters
            .iter()
            .filter(|p| !filled_by_client(p))
            .cloned()
            .collect(),
        rules: spec.parameter_rules.clone(),
    }
}

/// Rule: `parameter_rules` obey everything a type's `rules` obey (one kind each, conditions
/// that can hold), naming parameters the caller sets: a rule on the project id or the token
/// could never be broken by a caller, nor checked on their parameters.
pub(super) fn check_parameter_rules(cx: &mut FileCx<'_>, types: &TypeTable<'_>) {
    let spec = &cx.file.spec;
    let ty = caller_parameters(spec);
    let all: Vec<&str> = spec
        .parameters
        .iter()
        .filter_map(|p| p.name.as_deref())
        .collect();
    let callers: Vec<&str> = ty.fields.iter().filter_map(|p| p.name.as_deref()).collect();
    for (i, rule) in spec.parameter_rules.iter().enumerate() {
        let node = NodePath::root().key("parameter_rules").index(i);
        let mut named: Vec<(NodePath, &str)> = Vec::new();
        for (key, conditional) in [
            ("required_when", &rule.required_when),
            ("only_when", &rule.only_when),
        ] {
            if let Some(c) = conditional {
                named.push((node.key(key).key("field"), c.field.as_str()));
                named.push((
                    node.key(key).key("if").key("field"),
                    c.condition.field.as_str(),
                ));
            }
        }
        if let Some(r) = &rule.format_when {
            named.push((node.key("format_when").key("field"), r.field.as_str()));
            named.push((
                node.key("format_when").key("if").key("field"),
                r.condition.field.as_str(),
            ));
        }
        for (key, names) in [
            ("same_subnet", rule.same_subnet.as_ref().map(|r| &r.fields)),
            ("server_side", rule.server_side.as_ref().map(|r| &r.fields)),
        ] {
            for (j, name) in names.into_iter().flatten().enumerate() {
                named.push((node.key(key).key("fields").index(j), name.as_str()));
            }
        }
        let mut ok = true;
        for (at, name) in named {
            if callers.contains(&name) {
                continue;
            }
            ok = false;
            if all.contains(&name) {
                cx.error(
                    &at,
                    format!("parameter `{name}` is filled by the client, so a rule cannot name it"),
                );
            } else {
                cx.missing(
                    &at,
                    format!("no parameter `{name}`"),
                    "parameter",
                    name,
                    callers.clone(),
                );
            }
        }
        if ok {
            super::types::check_rule(cx, types, Direction::Request, &ty, rule, &node);
        }
    }
}
