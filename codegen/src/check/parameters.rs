//! Checks of what parameters say about themselves beyond their type: the query encoding of
//! arrays.

use super::{FileCx, TypeExpr};
use crate::spec::{FieldSpec, NodePath, ParamLocation};

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
