//! Checks of the operation header, the parameters and the path template.

use std::collections::BTreeMap;

use super::{FileCx, TypeExpr, is_snake_case};
use crate::diag::{Diagnostic, Diagnostics};
use crate::spec::{CLOUDS, CRATE_FEATURES, LoadedFile, METHODS, NodePath, ParamLocation, SERVICES};

/// Rule: operation ids are unique across all files, because they name modules and registry
/// entries.
pub(super) fn check_unique_ids(files: &[LoadedFile], diagnostics: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, &LoadedFile> = BTreeMap::new();
    let node = NodePath::root().key("operation").key("id");
    for file in files {
        let id = file.spec.operation.id.as_str();
        match seen.get(id) {
            Some(first) => diagnostics.push(
                Diagnostic::error(file.locate(&node), format!("duplicate operation id `{id}`"))
                    .with_help(format!("also defined at {}", first.locate(&node))),
            ),
            None => {
                seen.insert(id, file);
            }
        }
    }
}

/// Rule: a sub-feature (`feature:`) belongs to one service, because the service's own
/// feature turns its sub-features on, and a feature shared by two services would turn part
/// of the other one on too. The feature belongs to the service whose name it starts with,
/// when one of its files has such a service, or else to the first file's; each file of
/// another service is reported.
pub(super) fn check_features_per_service(files: &[LoadedFile], diagnostics: &mut Diagnostics) {
    let node = NodePath::root().key("operation").key("feature");
    let mut users: BTreeMap<&str, Vec<&LoadedFile>> = BTreeMap::new();
    for file in files {
        if let Some(feature) = file.spec.operation.feature.as_deref() {
            users.entry(feature).or_default().push(file);
        }
    }
    for (feature, files) in users {
        let service = |f: &LoadedFile| f.spec.operation.service.clone();
        let Some(owner) = files
            .iter()
            .find(|f| feature.starts_with(f.spec.operation.service.as_str()))
            .or(files.first())
        else {
            continue;
        };
        for file in files.iter().filter(|f| service(f) != service(owner)) {
            diagnostics.push(
                Diagnostic::error(
                    file.locate(&node),
                    format!(
                        "feature `{feature}` is a feature of service `{}`, not of `{}`: a feature belongs to one service",
                        service(owner),
                        service(file)
                    ),
                )
                .with_help(format!("`{}` names it at {}", service(owner), owner.locate(&node))),
            );
        }
    }
}

/// Checks one file's operation header, parameters, path template and statuses.
pub(super) fn check_file(cx: &mut FileCx<'_>) {
    check_header(cx);
    check_feature(cx);
    check_parameters(cx);
    check_path_template(cx);
    check_statuses(cx);
}

/// Rule: the header names a known service, method and cloud, the id is snake_case and
/// matches the file's name and folder, so that a file is found where its id says.
fn check_header(cx: &mut FileCx<'_>) {
    let op = &cx.file.spec.operation;
    let node = NodePath::root().key("operation");
    if !is_snake_case(&op.id) {
        cx.error(
            &node.key("id"),
            format!("operation id `{}` is not snake_case", op.id),
        );
    }
    // An operation id names a module; a keyword would need `r#` in every `use`.
    if crate::naming::is_keyword(&op.id) {
        cx.error_help(
            &node.key("id"),
            format!("operation id `{}` is a Rust keyword", op.id),
            "choose a descriptive id such as `create_widget`",
        );
    }
    let stem = cx
        .file
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem != op.id {
        cx.error_help(
            &node.key("id"),
            format!(
                "operation id `{}` does not match the file name `{stem}`",
                op.id
            ),
            format!("rename the file to `{}.yaml`", op.id),
        );
    }
    if !SERVICES.contains(&op.service.as_str()) {
        cx.unknown(
            &node.key("service"),
            "service",
            &op.service,
            SERVICES.iter().copied(),
        );
    } else {
        let folder = cx
            .file
            .path
            .parent()
            .and_then(|p| p.file_name())
            .map(|s| s.to_string_lossy().into_owned());
        if folder.as_deref() != Some(op.service.as_str()) {
            cx.error_help(
                &node.key("service"),
                format!(
                    "service `{}` does not match the folder `{}`",
                    op.service,
                    folder.unwrap_or_default()
                ),
                format!("move the file to `spec/{}/`", op.service),
            );
        }
    }
    if !METHODS.contains(&op.method.as_str()) {
        cx.unknown(
            &node.key("method"),
            "HTTP method",
            &op.method,
            METHODS.iter().copied(),
        );
    }
    if let Some(cloud) = &op.source.cloud {
        if !CLOUDS.contains(&cloud.as_str()) {
            cx.unknown(
                &node.key("source").key("cloud"),
                "cloud",
                cloud,
                CLOUDS.iter().copied(),
            );
        }
    }
    if op.source.page.trim().is_empty() {
        cx.error(&node.key("source").key("page"), "`source.page` is empty");
    }
    if op.title.trim().is_empty() {
        cx.error(&node.key("title"), "`title` is empty");
    }
}

/// Rule: an operation's `feature:` names a cargo feature of its own service: lowercase
/// kebab-case (ASCII letters, digits and single hyphens, as crates name features), neither a
/// service's feature nor one of the crate's own (which mean something else already), and
/// the service's name followed by a suffix (`vpn-v5`, `vpnaas`), so that a list of
/// features says which service each one is part of. One problem is reported per name: a
/// name that is not kebab-case is not judged further.
fn check_feature(cx: &mut FileCx<'_>) {
    let op = &cx.file.spec.operation;
    let Some(feature) = op.feature.clone() else {
        return;
    };
    let service = op.service.clone();
    let node = NodePath::root().key("operation").key("feature");
    let example = format!("`{service}-v2`");
    if !is_kebab_case(&feature) {
        let help = match kebab_case(&feature) {
            Some(fixed) => format!("did you mean `{fixed}`?"),
            None => format!(
                "use lower-case ASCII letters, digits and single hyphens, starting with a letter, such as {example}"
            ),
        };
        cx.error_help(
            &node,
            format!("feature `{feature}` is not lowercase kebab-case"),
            help,
        );
    } else if SERVICES.contains(&feature.as_str()) {
        cx.error_help(
            &node,
            format!("feature `{feature}` is the feature of service `{feature}`"),
            format!(
                "leave `feature:` out to compile the operation with its service's feature, or name a part of the service, such as {example}"
            ),
        );
    } else if CRATE_FEATURES.contains(&feature.as_str()) {
        cx.error_help(
            &node,
            format!(
                "feature `{feature}` is one of the crate's own features ({})",
                CRATE_FEATURES.join(", ")
            ),
            format!("name a part of the service, such as {example}"),
        );
    } else if SERVICES.contains(&service.as_str())
        && !(feature.starts_with(service.as_str()) && feature.len() > service.len())
    {
        cx.error_help(
            &node,
            format!("feature `{feature}` does not start with its service's name `{service}`"),
            format!("name it `{service}-{feature}`"),
        );
    }
}

/// `name` in lowercase kebab-case, when lower-casing it and joining its words (split at
/// `-`, `_` and spaces) with single hyphens makes a valid name.
fn kebab_case(name: &str) -> Option<String> {
    let fixed = name
        .to_ascii_lowercase()
        .split(['-', '_', ' '])
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    is_kebab_case(&fixed).then_some(fixed)
}

/// Lowercase kebab-case: words of lower-case ASCII letters and digits joined by single
/// hyphens, the first starting with a letter.
fn is_kebab_case(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Rule: a parameter has a name, a location, a table and a scalar type, and names are
/// unique per location (headers compare case-insensitively, as HTTP does).
fn check_parameters(cx: &mut FileCx<'_>) {
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (i, parameter) in cx.file.spec.parameters.iter().enumerate() {
        let node = NodePath::root().key("parameters").index(i);
        let Some(name) = &parameter.name else {
            cx.error(&node, "parameter has no `name`");
            continue;
        };
        let Some(location) = parameter.location else {
            cx.error_help(
                &node,
                format!("parameter `{name}` has no `in`"),
                "add `in: path`, `in: query` or `in: header`",
            );
            continue;
        };
        if parameter.table.is_none() {
            cx.error_help(
                &node,
                format!("parameter `{name}` has no `table`"),
                "add the number of the table that lists it",
            );
        }
        let key = match location {
            ParamLocation::Header => ("header".to_owned(), name.to_ascii_lowercase()),
            ParamLocation::Path => ("path".to_owned(), name.clone()),
            ParamLocation::Query => ("query".to_owned(), name.clone()),
        };
        if let Some(&first) = seen.get(&key) {
            let first_at = cx.locate(&NodePath::root().key("parameters").index(first));
            cx.error_help(
                &node.key("name"),
                format!("duplicate parameter `{name}`"),
                format!("first declared at {first_at}"),
            );
        } else {
            seen.insert(key, i);
        }
        if location == ParamLocation::Header
            && !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))
        {
            cx.error(
                &node.key("name"),
                format!("`{name}` is not a valid HTTP header name"),
            );
        }
        super::parameters::check_encoding(cx, parameter, name, location, &node);
        if location == ParamLocation::Path && parameter.required != Some(true) {
            cx.error_help(
                &node.key("required"),
                format!("path parameter `{name}` is not required"),
                "path parameters are always required: add `required: true`",
            );
        }
        if let Some(Ok(ty)) = parameter.type_expr() {
            let scalar = |t: &TypeExpr| {
                matches!(
                    t,
                    TypeExpr::String | TypeExpr::Integer | TypeExpr::Number | TypeExpr::Boolean
                )
            };
            let ok = scalar(ty)
                || (location == ParamLocation::Query
                    && ty.element().is_some_and(scalar)
                    && matches!(ty, TypeExpr::Array(_)));
            if !ok {
                cx.error(&node.key("type"), format!("parameter `{name}` has type `{ty}`; parameters are strings, numbers or booleans"));
            }
        }
    }
}

/// The `{name}` placeholders of a path template, or the reason it is malformed.
pub(crate) fn path_placeholders(path: &str) -> Result<Vec<&str>, String> {
    if !path.starts_with('/') {
        return Err(format!("path `{path}` does not start with `/`"));
    }
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err(format!("unmatched `}}` in path `{path}`"));
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(format!("unclosed `{{` in path `{path}`"));
        };
        let name = &after[..close];
        if name.is_empty()
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            || name.contains('{')
        {
            return Err(format!(
                "`{{{name}}}` in path `{path}` is not a valid placeholder"
            ));
        }
        names.push(name);
        rest = &after[close + 1..];
    }
    Ok(names)
}

/// Rule: every `{placeholder}` of the path is declared as a path parameter, and every path
/// parameter appears in the path, so that a request can always be built.
fn check_path_template(cx: &mut FileCx<'_>) {
    let node = NodePath::root().key("operation").key("path");
    let path = cx.file.spec.operation.path.clone();
    let placeholders = match path_placeholders(&path) {
        Ok(p) => p,
        Err(message) => return cx.error(&node, message),
    };
    let declared: Vec<(usize, &str)> = cx
        .file
        .spec
        .parameters
        .iter()
        .enumerate()
        .filter(|(_, p)| p.location == Some(ParamLocation::Path))
        .filter_map(|(i, p)| Some((i, p.name.as_deref()?)))
        .collect();
    let mut seen = Vec::new();
    for name in &placeholders {
        if seen.contains(name) {
            cx.error(
                &node,
                format!("placeholder `{{{name}}}` appears twice in the path"),
            );
        }
        seen.push(name);
        if !declared.iter().any(|(_, d)| d == name) {
            cx.error_help(
                &node,
                format!("path placeholder `{{{name}}}` is not declared as a parameter"),
                format!("add a parameter `{name}` with `in: path`"),
            );
        }
    }
    for (i, name) in declared {
        if !placeholders.contains(&name) {
            cx.error_help(
                &NodePath::root().key("parameters").index(i).key("name"),
                format!("path parameter `{name}` does not appear in the path `{path}`"),
                format!("add `{{{name}}}` to the path or change `in`"),
            );
        }
    }
}

/// Rule: statuses are valid HTTP codes, listed once, with at least one success status, and
/// bodies refer to response types (checked with the types).
fn check_statuses(cx: &mut FileCx<'_>) {
    let Some(response) = &cx.file.spec.response else {
        return cx.error_help(
            &NodePath::root().key("operation"),
            "the operation documents no response",
            "add `response.statuses` with at least one 2xx status",
        );
    };
    let mut seen = Vec::new();
    for (i, status) in response.statuses.iter().enumerate() {
        let node = NodePath::root()
            .key("response")
            .key("statuses")
            .index(i)
            .key("status");
        if !(100..=599).contains(&status.status) {
            cx.error(
                &node,
                format!("`{}` is not an HTTP status code", status.status),
            );
        }
        if seen.contains(&status.status) {
            cx.error(&node, format!("status {} is listed twice", status.status));
        }
        seen.push(status.status);
    }
    if !seen.iter().any(|s| (200..300).contains(s)) {
        cx.error_help(
            &NodePath::root().key("response").key("statuses"),
            "no success status (2xx) is documented",
            "list the status the page gives for success",
        );
    }
}
