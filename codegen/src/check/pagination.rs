//! Checks and resolution of a list operation's `pagination:`: the items, the page size and
//! marker parameters, and where a page says where the next one starts.

use super::resolve::Scope;
use super::{FileCx, TypeExpr, TypeTable};
use crate::ir::{FieldIndex, NextPage, ParamIndex};
use crate::spec::{Direction, FieldSpec, NodePath, ParamLocation, SpecFile, TypeSpec};

/// A checked `pagination:`, by position in the spec.
#[derive(Clone, Debug)]
pub struct ResolvedPagination {
    /// The 2xx body type, by its index among the response types (a `SectionIndex`, which
    /// `resolve` makes of it: this module does not name `resolve`, which names it).
    pub body: usize,
    /// The items field of the body.
    pub items: FieldIndex,
    /// Where a page says where the next one starts.
    pub next: NextPage,
    /// The page size parameter.
    pub limit: ParamIndex,
    /// The marker parameter.
    pub marker: ParamIndex,
}

/// Rule: a paginated operation is a GET; `limit` is an optional integer query parameter and
/// `marker` an optional string one (the walk sets them itself); `items` is an array field
/// of the first 2xx body; exactly one of `next_marker` (a dotted path through response
/// types to a string field) and `links` (an array field of objects with string `rel` and
/// `href`) says where the next page starts. Anything else would generate a walk that cannot
/// run, or never ends. The body is the operation's own type, but the types below it (a page
/// info, a link) may be the service's shared response types, as any field's may.
pub(super) fn check_pagination(cx: &mut FileCx<'_>, table: &TypeTable<'_>) {
    let spec = &cx.file.spec;
    let Some(p) = &spec.pagination else { return };
    let node = NodePath::root().key("pagination");
    if spec.operation.method != "GET" {
        cx.error(
            &node,
            format!(
                "a paginated operation is a GET, not a {}",
                spec.operation.method
            ),
        );
    }
    for (key, name, expected, role) in [
        ("limit", &p.limit, TypeExpr::Integer, "sets the page size"),
        ("marker", &p.marker, TypeExpr::String, "takes the marker"),
    ] {
        let at = node.key(key);
        match parameter(spec, name) {
            None => cx.error_help(
                &at,
                format!("no query parameter `{name}`"),
                format!("`{key}` names the query parameter that {role}"),
            ),
            Some((_, param)) => {
                let fits = matches!(param.type_expr(), Some(Ok(t)) if *t == expected)
                    && param.enum_values.is_none();
                if !fits {
                    let word = if key == "limit" {
                        "an integer"
                    } else {
                        "a string"
                    };
                    cx.error(&at, format!("`{key}` parameter `{name}` is not {word}"));
                }
                if param.required == Some(true) {
                    cx.error(&at, format!("`{key}` parameter `{name}` is required, but the walk sets it page by page"));
                }
            }
        }
    }
    let Some(name) = body_name(spec) else {
        return cx.error(
            &node,
            "a paginated operation needs a 2xx response with a body",
        );
    };
    let types = response_types(spec);
    let Some(body) = type_named(types, name) else {
        // An unknown body is reported by the type checks; a shared one has no place for
        // this page's items.
        if table.get(Direction::Response, name).is_some() {
            cx.error_help(
                &node,
                format!("the body `{name}` of a paginated operation is a shared type"),
                "the list page's body table is its own response type",
            );
        }
        return;
    };
    let lookup = |name: &str| table.get(Direction::Response, name).map(|e| e.spec);
    match field(&types[body.0], &p.items) {
        Some((_, f)) if matches!(f.type_expr(), Some(Ok(TypeExpr::Array(_)))) => {}
        Some(_) => cx.error(
            &node.key("items"),
            format!(
                "`{}` is not an array field of `{}`",
                p.items, types[body.0].name
            ),
        ),
        None => cx.error(
            &node.key("items"),
            format!("`{}` has no field `{}`", types[body.0].name, p.items),
        ),
    }
    match (&p.next_marker, &p.links) {
        (Some(path), None) => {
            if let Err(message) = marker_path(&types[body.0], &lookup, path) {
                cx.error(&node.key("next_marker"), message);
            }
        }
        (None, Some(links)) => {
            if let Err(message) = links_field(&types[body.0], &lookup, links) {
                cx.error(&node.key("links"), message);
            }
        }
        _ => cx.error_help(
            &node,
            "pagination needs exactly one of `next_marker` and `links`",
            "`next_marker: page_info.next_marker` (marker style) or `links: <resources>_links` (Neutron style)",
        ),
    }
}

/// The checked pagination of a file that passed every check; `response` resolves names as
/// the file's response types do.
pub(super) fn resolve(spec: &SpecFile, response: &Scope<'_>) -> Option<Option<ResolvedPagination>> {
    let Some(p) = &spec.pagination else {
        return Some(None);
    };
    let types = response_types(spec);
    let body = type_named(types, body_name(spec)?)?;
    let lookup = |name: &str| response.lookup(name).map(|(_, t)| t);
    Some(Some(ResolvedPagination {
        body: body.0,
        items: field(&types[body.0], &p.items)?.0,
        next: match (&p.next_marker, &p.links) {
            (Some(path), None) => {
                NextPage::Marker(marker_path(&types[body.0], &lookup, path).ok()?)
            }
            (None, Some(links)) => {
                NextPage::Links(links_field(&types[body.0], &lookup, links).ok()?)
            }
            _ => return None,
        },
        limit: parameter(spec, &p.limit)?.0,
        marker: parameter(spec, &p.marker)?.0,
    }))
}

/// A response type, by its index among the file's response types.
#[derive(Clone, Copy, Debug)]
struct Body(usize);

fn response_types(spec: &SpecFile) -> &[TypeSpec] {
    spec.response.as_ref().map_or(&[], |r| &r.types)
}

/// The query parameter `name`.
fn parameter<'s>(spec: &'s SpecFile, name: &str) -> Option<(ParamIndex, &'s FieldSpec)> {
    spec.parameters
        .iter()
        .enumerate()
        .find(|(_, p)| p.location == Some(ParamLocation::Query) && p.name.as_deref() == Some(name))
        .map(|(i, p)| (ParamIndex(i), p))
}

/// The body type's name of the first 2xx status that has one.
fn body_name(spec: &SpecFile) -> Option<&str> {
    spec.response
        .as_ref()?
        .statuses
        .iter()
        .filter(|s| (200..300).contains(&s.status))
        .find_map(|s| s.body.as_deref())
}

fn type_named(types: &[TypeSpec], name: &str) -> Option<Body> {
    types.iter().position(|t| t.name == name).map(Body)
}

fn field<'t>(ty: &'t TypeSpec, wire: &str) -> Option<(FieldIndex, &'t FieldSpec)> {
    ty.fields
        .iter()
        .enumerate()
        .find(|(_, f)| f.name.as_deref() == Some(wire))
        .map(|(i, f)| (FieldIndex(i), f))
}

/// The fields from the body down to the next marker, or why the path does not get there;
/// `lookup` resolves a response type's name (own first, then shared).
fn marker_path<'t>(
    body: &'t TypeSpec,
    lookup: &impl Fn(&str) -> Option<&'t TypeSpec>,
    path: &str,
) -> Result<Vec<FieldIndex>, String> {
    let steps: Vec<&str> = path.split('.').collect();
    let mut ty = body;
    let mut out = Vec::new();
    for (n, step) in steps.iter().enumerate() {
        let Some((index, f)) = field(ty, step) else {
            return Err(format!("`{path}`: `{}` has no field `{step}`", ty.name));
        };
        out.push(index);
        let expr = f.type_expr().and_then(Result::ok);
        if n + 1 == steps.len() {
            if !matches!(expr, Some(TypeExpr::String)) || f.enum_values.is_some() {
                return Err(format!("`{path}` does not end at a string field"));
            }
        } else {
            let Some(TypeExpr::Named(next)) = expr else {
                return Err(format!(
                    "`{path}`: `{step}` is not an object, so it has no field `{}`",
                    steps[n + 1]
                ));
            };
            let Some(next) = lookup(next) else {
                return Err(format!("`{path}`: no response type `{next}`"));
            };
            ty = next;
        }
    }
    Ok(out)
}

/// The body's `<resources>_links` field, or why it is not one; `lookup` resolves a response
/// type's name (own first, then shared).
fn links_field<'t>(
    ty: &'t TypeSpec,
    lookup: &impl Fn(&str) -> Option<&'t TypeSpec>,
    wire: &str,
) -> Result<FieldIndex, String> {
    let Some((index, f)) = field(ty, wire) else {
        return Err(format!("`{}` has no field `{wire}`", ty.name));
    };
    let link = match f.type_expr().and_then(Result::ok) {
        Some(TypeExpr::Array(inner)) => match inner.as_ref() {
            TypeExpr::Named(name) => lookup(name),
            _ => None,
        },
        _ => None,
    };
    let Some(link) = link else {
        return Err(format!("`{wire}` is not an array of link objects"));
    };
    for key in ["rel", "href"] {
        let string = field(link, key)
            .is_some_and(|(_, f)| matches!(f.type_expr(), Some(Ok(TypeExpr::String))));
        if !string {
            return Err(format!(
                "the links' type `{}` has no string field `{key}`",
                link.name
            ));
        }
    }
    Ok(index)
}
