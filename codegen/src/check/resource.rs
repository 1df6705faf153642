//! Checks of resource files, and of how operation files use the shared types they define.
//!
//! The rules are spec/README.md's "Resource files: shared types". A shared type's rows are
//! checked by the same functions as an operation's tables (`types::check_type`), on a
//! [`TypeTable`] of the resource file's types in front of the service's other shared types.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::types::{check_errata_ids, check_rust_type_names, check_type, find_cycle};
use super::{FileCx, TypeTable, direction_word, is_snake_case};
use crate::diag::{Diagnostic, Diagnostics};
use crate::spec::{
    Direction, FieldSpec, LoadedFile, LoadedResource, NodePath, SERVICES, SharedTypeSpec, TypeSpec,
};

/// One shared type: the resource file (an index into the set's resources) and its place.
#[derive(Clone, Copy)]
pub(super) struct SharedEntry<'a> {
    pub(super) file: usize,
    pub(super) index: usize,
    pub(super) spec: &'a SharedTypeSpec,
}

/// The shared types of every service, by name (unique per service across directions).
#[derive(Default)]
pub(super) struct Shared<'a> {
    by_service: BTreeMap<&'a str, BTreeMap<&'a str, SharedEntry<'a>>>,
}

impl<'a> Shared<'a> {
    /// Rule: a shared type's name is unique in its service, across all its resource files
    /// and both directions, so that `netapi::<service>::types` has one type per name and an
    /// operation's reference to it is unambiguous. Only the first definition is kept.
    pub(super) fn collect(resources: &'a [LoadedResource], diagnostics: &mut Diagnostics) -> Self {
        let mut shared = Shared::default();
        for (file, resource) in resources.iter().enumerate() {
            let Some(service) = folder_service(&resource.path) else {
                continue;
            };
            let types = shared.by_service.entry(service).or_default();
            for (index, ty) in resource.spec.types.iter().enumerate() {
                if let Some(first) = types.get(ty.name.as_str()) {
                    let first_at = resources[first.file].locate(&type_node(first.index));
                    diagnostics.push(
                        Diagnostic::error(
                            resource.locate(&type_node(index).key("name")),
                            format!(
                                "duplicate shared type `{}` in service `{service}`",
                                ty.name
                            ),
                        )
                        .with_help(format!(
                            "first defined at {first_at}; shared type names are unique per service, across its resource files and both directions"
                        )),
                    );
                    continue;
                }
                types.insert(
                    &ty.name,
                    SharedEntry {
                        file,
                        index,
                        spec: ty,
                    },
                );
            }
        }
        shared
    }

    /// The shared types of `service`, by name.
    pub(super) fn service(&self, service: &str) -> Option<&BTreeMap<&'a str, SharedEntry<'a>>> {
        self.by_service.get(service)
    }

    /// Every service's shared types sorted by name, each with its file and place.
    pub(super) fn sorted(&self) -> Vec<(&'a str, SortedShared<'a>)> {
        self.by_service
            .keys()
            .map(|service| (*service, self.sorted_of(service)))
            .collect()
    }

    /// The shared types of `service` sorted by name, each with its file and place.
    pub(super) fn sorted_of(&self, service: &str) -> SortedShared<'a> {
        self.service(service)
            .into_iter()
            .flat_map(|types| types.values())
            .map(|e| ((e.spec.direction, e.spec), (e.file, e.index)))
            .unzip()
    }

    /// The shared types of `service` as operation tables, for a [`TypeTable`].
    pub(super) fn tables(&self, service: &str) -> Vec<(Direction, &'a TypeSpec)> {
        self.service(service)
            .into_iter()
            .flat_map(|types| types.values())
            .map(|entry| (entry.spec.direction, entry.spec.as_type()))
            .collect()
    }
}

/// A service's shared types sorted by name, and the file and place of each.
pub(super) type SortedShared<'a> = (Vec<(Direction, &'a SharedTypeSpec)>, Vec<(usize, usize)>);

/// The service folder a file lies in: `vpn` for `spec/vpn/resources/x.yaml`.
pub(super) fn folder_service(path: &Path) -> Option<&str> {
    path.parent()?.parent()?.file_name()?.to_str()
}

fn type_node(index: usize) -> NodePath {
    NodePath::root().key("types").index(index)
}

/// Checks every resource file: its header, its types' rows (as any table's), their
/// provenance and cycles among shared types.
pub(super) fn check_resources(
    resources: &[LoadedResource],
    files: &[LoadedFile],
    shared: &Shared<'_>,
    diagnostics: &mut Diagnostics,
) {
    let operations = Operations::collect(files, shared);
    for (r, resource) in resources.iter().enumerate() {
        let mut cx = FileCx {
            file: resource,
            diagnostics,
        };
        check_header(&mut cx);
        let spec = &resource.spec;
        check_errata_ids(&mut cx, &spec.errata);
        let errata: BTreeSet<&str> = spec.errata.iter().map(|e| e.id.as_str()).collect();
        let service = folder_service(&resource.path).unwrap_or_default();
        let own = spec
            .types
            .iter()
            .enumerate()
            .filter(|(i, ty)| {
                shared
                    .service(service)
                    .and_then(|types| types.get(ty.name.as_str()))
                    .is_some_and(|first| first.file == r && first.index == *i)
            })
            .map(|(i, ty)| (ty.direction, ty.as_type(), type_node(i)))
            .collect();
        let table = TypeTable::from_entries(&mut cx, own, &shared.tables(service));
        for (direction, entry) in table.iter() {
            check_type(&mut cx, &table, &errata, direction, entry);
        }
        check_rust_type_names(&mut cx, &table);
        for (i, ty) in spec.types.iter().enumerate() {
            check_printed_on(&mut cx, &operations, service, ty, &type_node(i));
        }
        check_shared_cycles(&mut cx, &table);
        let (sorted, _) = shared.sorted_of(service);
        check_waiters(&mut cx, &operations, service, &sorted);
    }
    for file in files {
        let mut cx = FileCx { file, diagnostics };
        check_operation_uses(&mut cx, resources, shared, &operations);
    }
}

/// Rule: `resource.name` is snake_case and equals the file name, and `resource.service`
/// equals the service folder, so a resource is found where its name says.
fn check_header(cx: &mut FileCx<'_, crate::spec::ResourceFile>) {
    let header = &cx.file.spec.resource;
    let node = NodePath::root().key("resource");
    let stem = cx
        .file
        .path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if !is_snake_case(&header.name) {
        cx.error(
            &node.key("name"),
            format!("resource name `{}` is not snake_case", header.name),
        );
    }
    if header.name != stem {
        cx.error_help(
            &node.key("name"),
            format!(
                "resource name `{}` differs from the file name `{stem}`",
                header.name
            ),
            format!("rename the file to `{}.yaml` or the resource", header.name),
        );
    }
    let folder = folder_service(&cx.file.path).unwrap_or_default();
    if header.service != folder {
        cx.error_help(
            &node.key("service"),
            format!(
                "resource service `{}` differs from its folder `{folder}`",
                header.service
            ),
            format!("resource files of `{folder}` live in `{folder}/resources/`"),
        );
    }
}

/// The operations of the spec set: service, and the shared types each refers to.
struct Operations<'a> {
    by_id: BTreeMap<&'a str, OperationUse<'a>>,
}

struct OperationUse<'a> {
    file: &'a LoadedFile,
    service: &'a str,
    /// The shared types the operation refers to, directly or through its own types or other
    /// shared types.
    shared: BTreeSet<&'a str>,
}

impl<'a> Operations<'a> {
    fn collect(files: &'a [LoadedFile], shared: &Shared<'a>) -> Self {
        let mut by_id = BTreeMap::new();
        for file in files {
            let op = &file.spec.operation;
            let service = op.service.as_str();
            let types = shared.service(service);
            by_id.entry(op.id.as_str()).or_insert_with(|| OperationUse {
                file,
                service,
                shared: reached_shared(file, types),
            });
        }
        Operations { by_id }
    }
}

/// The shared types an operation file reaches from its bodies. A name resolves to the file's
/// own type of the direction first, then to a shared type of that direction.
fn reached_shared<'a>(
    file: &'a LoadedFile,
    shared: Option<&BTreeMap<&'a str, SharedEntry<'a>>>,
) -> BTreeSet<&'a str> {
    let spec = &file.spec;
    let own = |direction: Direction, name: &str| -> Option<&'a TypeSpec> {
        let types = match direction {
            Direction::Request => spec.request.as_ref().map(|r| &r.types),
            Direction::Response => spec.response.as_ref().map(|r| &r.types),
        };
        types.into_iter().flatten().find(|t| t.name == name)
    };
    let mut stack: Vec<(Direction, &'a str)> = Vec::new();
    if let Some(request) = &spec.request {
        stack.push((Direction::Request, &request.body));
    }
    for status in spec.response.iter().flat_map(|r| &r.statuses) {
        stack.extend(status.body.as_deref().map(|b| (Direction::Response, b)));
    }
    let mut seen: BTreeSet<(Direction, &'a str)> = BTreeSet::new();
    let mut reached = BTreeSet::new();
    while let Some((direction, name)) = stack.pop() {
        if !seen.insert((direction, name)) {
            continue;
        }
        let ty = match own(direction, name) {
            Some(ty) => ty,
            None => match shared.and_then(|s| s.get(name)) {
                Some(entry) if entry.spec.direction == direction => {
                    reached.insert(entry.spec.name.as_str());
                    entry.spec.as_type()
                }
                _ => continue,
            },
        };
        // A row a shared type prints only on other pages does not lead this operation's
        // page to the type the row names: that table is printed where the row is.
        let printed_here = |field: &&FieldSpec| {
            field.printed_on.is_empty() || field.printed_on.contains(&spec.operation.id)
        };
        for field in ty.fields.iter().filter(printed_here) {
            if let Some(Ok(expr)) = field.type_expr() {
                if let Some(child) = expr.named() {
                    stack.push((direction, child));
                }
            }
        }
    }
    reached
}

/// Rule: a shared type lists at least one page; each page is an operation of the same
/// service that refers to the type, listed once, with a table number from 1; and a row's
/// `printed_on` names only the type's pages. Provenance that names a page which does not
/// print the table would send a reader to the wrong page.
fn check_printed_on(
    cx: &mut FileCx<'_, crate::spec::ResourceFile>,
    operations: &Operations<'_>,
    service: &str,
    ty: &SharedTypeSpec,
    node: &NodePath,
) {
    if ty.printed_on.is_empty() {
        cx.error_help(
            node,
            format!("shared type `{}` has no `printed_on`", ty.name),
            "list every page that prints the table: `printed_on: [{operation: show_x, table: 4}]`",
        );
    }
    let mut pages: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, page) in ty.printed_on.iter().enumerate() {
        let page_node = node.key("printed_on").index(i);
        if page.table == 0 {
            cx.error(&page_node.key("table"), "table numbers start at 1");
        }
        if let Some(first) = pages.insert(&page.operation, i) {
            let first_at = cx.locate(&node.key("printed_on").index(first));
            cx.error_help(
                &page_node.key("operation"),
                format!("`{}` is listed twice in `printed_on`", page.operation),
                format!("first listed at {first_at}"),
            );
        }
        match operations.by_id.get(page.operation.as_str()) {
            None => {
                let known: Vec<&str> = operations
                    .by_id
                    .iter()
                    .filter(|(_, op)| op.service == service)
                    .map(|(id, _)| *id)
                    .collect();
                cx.unknown(
                    &page_node.key("operation"),
                    "operation",
                    &page.operation,
                    known,
                );
            }
            Some(op) if op.service != service => cx.error(
                &page_node.key("operation"),
                format!(
                    "operation `{}` is in service `{}`, not `{service}`",
                    page.operation, op.service
                ),
            ),
            Some(op) if !op.shared.contains(ty.name.as_str()) => cx.error_help(
                &page_node.key("operation"),
                format!(
                    "operation `{}` does not refer to `{}`",
                    page.operation, ty.name
                ),
                format!(
                    "refer to `{}` from a field or a body of `{}`, or remove the page",
                    ty.name, page.operation
                ),
            ),
            Some(_) => {}
        }
    }
    for (f, field) in ty.fields.iter().enumerate() {
        let field_node = node.key("fields").index(f);
        for (i, page) in field.printed_on.iter().enumerate() {
            if !pages.contains_key(page.as_str()) {
                cx.missing(
                    &field_node.key("printed_on").index(i),
                    format!(
                        "`{page}` is not a page of `{}`: a row's `printed_on` names only the type's pages",
                        ty.name
                    ),
                    "page",
                    page,
                    pages.keys().copied(),
                );
            }
        }
        if let Some(items) = &field.items {
            refuse_printed_on(cx, items, &field_node.key("items"));
        }
    }
}

/// Rules on waiters: a snake_case name unique in the file; the operation is a GET of the
/// same service without a request body (a waiter polls it with the parameters alone); its
/// `status` path leads through its first 2xx body to a string field; `done`, `failed` and
/// `pending` are disjoint and, when the field is an enum, its values; `gone: true` has an
/// empty `done` (the 404 ends the wait), any other waiter a non-empty one.
fn check_waiters(
    cx: &mut FileCx<'_, crate::spec::ResourceFile>,
    operations: &Operations<'_>,
    service: &str,
    shared: &[(Direction, &SharedTypeSpec)],
) {
    let mut names: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, waiter) in cx.file.spec.waiters.iter().enumerate() {
        let node = NodePath::root().key("waiters").index(i);
        if !is_snake_case(&waiter.name) {
            cx.error(
                &node.key("name"),
                format!("waiter name `{}` is not snake_case", waiter.name),
            );
        }
        if let Some(first) = names.insert(&waiter.name, i) {
            let first_at = cx.locate(&NodePath::root().key("waiters").index(first));
            cx.error_help(
                &node.key("name"),
                format!("duplicate waiter `{}`", waiter.name),
                format!("first defined at {first_at}"),
            );
        }
        check_waiter_values(cx, waiter, &node);
        let op_node = node.key("operation");
        let Some(op) = operations.by_id.get(waiter.operation.as_str()) else {
            let known: Vec<&str> = operations
                .by_id
                .iter()
                .filter(|(_, op)| op.service == service)
                .map(|(id, _)| *id)
                .collect();
            cx.unknown(&op_node, "operation", &waiter.operation, known);
            continue;
        };
        let spec = &op.file.spec;
        if op.service != service {
            cx.error(
                &op_node,
                format!(
                    "operation `{}` is in service `{}`, not `{service}`",
                    waiter.operation, op.service
                ),
            );
            continue;
        }
        if spec.operation.method != "GET" || spec.request.is_some() {
            cx.error_help(
                &op_node,
                format!(
                    "operation `{}` is `{}`{}; a waiter polls a GET without a request body",
                    waiter.operation,
                    spec.operation.method,
                    if spec.request.is_some() {
                        " with a request body"
                    } else {
                        ""
                    }
                ),
                "name the resource's show operation",
            );
            continue;
        }
        match super::resolve::status_path(op.file, shared, &waiter.status) {
            Err(message) => cx.error(
                &node.key("status"),
                format!("`status: {}`: {message}", waiter.status),
            ),
            Ok((_, field)) => {
                let Some(values) = &field.enum_values else {
                    continue;
                };
                let values: BTreeSet<&str> = values.iter().filter_map(|v| v.as_str()).collect();
                for (key, list) in [
                    ("done", &waiter.done),
                    ("failed", &waiter.failed),
                    ("pending", &waiter.pending),
                ] {
                    for (j, value) in list.iter().enumerate() {
                        if !values.contains(value.as_str()) {
                            cx.missing(
                                &node.key(key).index(j),
                                format!(
                                    "`{value}` is not a value of the status field `{}`",
                                    waiter.status
                                ),
                                "value",
                                value,
                                values.iter().copied(),
                            );
                        }
                    }
                }
            }
        }
    }
}

/// The value lists of a waiter: disjoint, with `done` empty exactly when `gone` is set.
fn check_waiter_values(
    cx: &mut FileCx<'_, crate::spec::ResourceFile>,
    waiter: &crate::spec::WaiterSpec,
    node: &NodePath,
) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (key, list) in [
        ("done", &waiter.done),
        ("failed", &waiter.failed),
        ("pending", &waiter.pending),
    ] {
        for (j, value) in list.iter().enumerate() {
            if let Some(first) = seen.insert(value, key) {
                cx.error(
                    &node.key(key).index(j),
                    format!("`{value}` is in `{first}` and in `{key}`: the lists are disjoint"),
                );
            }
        }
    }
    if waiter.gone && !waiter.done.is_empty() {
        cx.error_help(
            &node.key("done"),
            format!(
                "waiter `{}` has `gone: true` and a `done` list",
                waiter.name
            ),
            "with `gone: true` the wait ends on 404; leave `done` empty",
        );
    }
    if !waiter.gone && waiter.done.is_empty() {
        cx.error_help(
            node,
            format!("waiter `{}` has no `done` values", waiter.name),
            "list the statuses that end the wait in `done`, or set `gone: true` to wait for a 404",
        );
    }
}

/// Rule: no shared type contains itself, across the service's resource files.
fn check_shared_cycles(cx: &mut FileCx<'_, crate::spec::ResourceFile>, table: &TypeTable<'_>) {
    let children = |direction: Direction, ty: &TypeSpec| -> Vec<String> {
        ty.fields
            .iter()
            .filter_map(|f| f.type_expr()?.ok()?.named().map(str::to_owned))
            .filter(|n| table.get(direction, n).is_some())
            .collect()
    };
    for (direction, entry) in table.iter() {
        let start = entry.spec.name.as_str();
        let mut trail = vec![start.to_owned()];
        if let Some(cycle) = find_cycle(table, direction, start, &children, &mut trail) {
            if cycle.iter().min().map(String::as_str) == Some(start) {
                cx.error_help(
                    &entry.node.key("name"),
                    format!("type `{start}` contains itself ({})", cycle.join(" → ")),
                    "recursive types are not supported; tables on these pages never recurse",
                );
            }
        }
    }
}

/// Rule: `printed_on` is a key of a shared type's rows only.
fn refuse_printed_on<S>(cx: &mut FileCx<'_, S>, field: &FieldSpec, node: &NodePath) {
    if !field.printed_on.is_empty() {
        cx.error_help(
            &node.key("printed_on"),
            "`printed_on` is allowed only on the fields of a shared type",
            "an operation's own tables are printed on its own page; remove the key",
        );
    }
    if let Some(items) = &field.items {
        refuse_printed_on(cx, items, &node.key("items"));
    }
}

/// Rules on an operation file's use of shared types: its id is not a service name (OpenAPI
/// components are named `<service>.<Name>` and `<operation_id>.<Name>`); none of its types
/// shadows a shared type of its direction (a reader would not know which one is meant); no
/// row says `printed_on`; and every shared type it refers to lists it in `printed_on`, so
/// provenance is complete.
fn check_operation_uses(
    cx: &mut FileCx<'_>,
    resources: &[LoadedResource],
    shared: &Shared<'_>,
    operations: &Operations<'_>,
) {
    let spec = &cx.file.spec;
    let op = &spec.operation;
    if SERVICES.contains(&op.id.as_str()) {
        cx.error(
            &NodePath::root().key("operation").key("id"),
            format!(
                "operation id `{}` is a service name; OpenAPI component names would collide",
                op.id
            ),
        );
    }
    let types = shared.service(&op.service);
    for (i, parameter) in spec.parameters.iter().enumerate() {
        refuse_printed_on(cx, parameter, &NodePath::root().key("parameters").index(i));
    }
    let sections = [
        (
            "request",
            Direction::Request,
            spec.request.as_ref().map(|r| &r.types),
        ),
        (
            "response",
            Direction::Response,
            spec.response.as_ref().map(|r| &r.types),
        ),
    ];
    for (key, direction, section) in sections {
        for (i, ty) in section.into_iter().flatten().enumerate() {
            let node = NodePath::root().key(key).key("types").index(i);
            for (f, field) in ty.fields.iter().enumerate() {
                refuse_printed_on(cx, field, &node.key("fields").index(f));
            }
            let Some(entry) = types.and_then(|t| t.get(ty.name.as_str())) else {
                continue;
            };
            if entry.spec.direction == direction {
                cx.error_help(
                    &node.key("name"),
                    format!(
                        "{} type `{}` shadows the shared type of service `{}`",
                        direction_word(direction),
                        ty.name,
                        op.service
                    ),
                    "refer to the shared type (and list this page in its `printed_on`), or rename this type",
                );
            }
        }
    }
    let Some(uses) = operations.by_id.get(op.id.as_str()) else {
        return;
    };
    for name in &uses.shared {
        let Some(entry) = types.and_then(|t| t.get(name)) else {
            continue;
        };
        // An empty `printed_on` is reported once, on the type, rather than once per user.
        // A listed operation transcribed from the same page counts: a user who adds an
        // endpoint by copying a spec under a new id keeps its page, and with it the page's
        // provenance (the pages audit reads the copy's tables from the same entries).
        let same_page = |listed: &str| {
            operations
                .by_id
                .get(listed)
                .is_some_and(|other| other.file.spec.operation.source.page == op.source.page)
        };
        if entry.spec.printed_on.is_empty()
            || entry
                .spec
                .printed_on
                .iter()
                .any(|p| p.operation == op.id || same_page(&p.operation))
        {
            continue;
        }
        // Reported where the fix goes: the shared type's `printed_on`.
        let at = resources[entry.file].locate(&type_node(entry.index).key("printed_on"));
        cx.push(
            Diagnostic::error(
                at,
                format!(
                    "shared type `{name}` is used by `{}` but its `printed_on` does not list it",
                    op.id
                ),
            )
            .with_help(format!(
                "add `{{operation: {}, table: N}}` to `printed_on`, N being the table's number on that page",
                op.id
            )),
        );
    }
}
