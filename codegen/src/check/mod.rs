//! Semantic checks over the parsed specs.
//!
//! Each check is a small function that states its rule in its doc comment. All of them run
//! over all files and push into one [`Diagnostics`]; nothing stops at the first problem.
//! Lowering to the IR only ever sees a spec set that passed every check here.

mod examples;
mod operation;
mod pagination;
mod parameters;
mod resolve;
mod resource;
mod types;
mod urls;
mod value;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use crate::diag::{Diagnostic, Diagnostics, Location, did_you_mean};
pub use crate::spec::TypeExpr;
use crate::spec::{
    ARRAY, Direction, FieldSpec, LoadedFile, LoadedResource, MAP, NodePath, PRIMITIVE_TYPES,
    SpecSet, TypeSpec,
};
pub use resolve::{
    NamedIndex, Resolved, ResolvedConstraints, ResolvedField, ResolvedService, ResolvedTy,
    ResolvedType, SectionIndex, SharedIndex,
};

/// A spec set that passed every check, ready to be lowered.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The files, sorted by path.
    pub files: Vec<LoadedFile>,
    /// Each file resolved for lowering, in the order of `files`.
    pub resolved: Vec<Resolved>,
    /// The resource files, sorted by path.
    pub resources: Vec<LoadedResource>,
    /// Each service's shared types resolved for lowering, by service name.
    pub services: Vec<ResolvedService>,
    /// Every file and directory read, for `cargo:rerun-if-changed`.
    pub inputs: Vec<PathBuf>,
    /// What the specs hold, for the `check` summary line.
    pub stats: Stats,
}

/// Counts of what the specs hold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Operations (one per file).
    pub operations: usize,
    /// Distinct source tables (a flat table that yields two types counts once).
    pub tables: usize,
    /// Named object types.
    pub types: usize,
    /// Fields of types plus parameters.
    pub fields: usize,
    /// Constraint keys set on fields, parameters and items, plus cross-field rules.
    pub constraints: usize,
    /// Example bodies.
    pub examples: usize,
    /// Errata.
    pub errata: usize,
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} operations, {} tables, {} types, {} fields, {} constraints, {} examples, {} errata",
            self.operations,
            self.tables,
            self.types,
            self.fields,
            self.constraints,
            self.examples,
            self.errata
        )
    }
}

/// Runs every check over every file.
pub fn check(set: SpecSet) -> Result<Checked, Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    operation::check_unique_ids(&set.files, &mut diagnostics);
    operation::check_features_per_service(&set.files, &mut diagnostics);
    let shared = resource::Shared::collect(&set.resources, &mut diagnostics);
    for file in &set.files {
        let mut cx = FileCx {
            file,
            diagnostics: &mut diagnostics,
        };
        operation::check_file(&mut cx);
        let tables = shared.tables(&file.spec.operation.service);
        let types = TypeTable::new(&mut cx, &tables);
        types::check_types(&mut cx, &types);
        parameters::check_parameter_rules(&mut cx, &types);
        pagination::check_pagination(&mut cx, &types);
        examples::check_examples(&mut cx, &types);
    }
    resource::check_resources(&set.resources, &set.files, &shared, &mut diagnostics);
    let stats = stats(&set.files, &set.resources);
    let (resolved, services) = resolve_all(&set.files, &set.resources, &shared, &mut diagnostics);
    drop(shared);
    diagnostics.finish(Checked {
        files: set.files,
        resolved,
        resources: set.resources,
        services,
        inputs: set.inputs,
        stats,
    })
}

/// Resolves every file for lowering once every check has passed (a file with errors need
/// not resolve). A checked file that does not resolve is a generator bug: it is reported
/// as an internal error, so bad input never panics.
fn resolve_all(
    files: &[LoadedFile],
    resources: &[LoadedResource],
    shared: &resource::Shared<'_>,
    diagnostics: &mut Diagnostics,
) -> (Vec<Resolved>, Vec<ResolvedService>) {
    if !diagnostics.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let internal = |path: &std::path::Path| {
        Diagnostic::error(
            Location::whole(path),
            "internal error: the file passed every check but could not be resolved",
        )
        .with_help("this is a bug in netapi-codegen; please report it with the file")
    };
    let operations: BTreeMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.spec.operation.id.as_str(), i))
        .collect();
    let mut services = Vec::new();
    for (service, (types, places)) in shared.sorted() {
        let waiters = resolve_waiters(resources, files, &operations, service, &types);
        match (
            resolve::service(service, &types, &places, &operations),
            waiters,
        ) {
            (Some(r), Some(waiters)) => services.push(ResolvedService { waiters, ..r }),
            _ => diagnostics.push(internal(std::path::Path::new(service))),
        }
    }
    let mut resolved = Vec::with_capacity(files.len());
    for file in files {
        let (types, _) = shared.sorted_of(&file.spec.operation.service);
        match resolve::file(file, &types) {
            Some(r) => resolved.push(r),
            None => diagnostics.push(internal(&file.path)),
        }
    }
    (resolved, services)
}

/// The waiters of `service`'s resource files, resolved; `None` only if a check missed
/// something.
fn resolve_waiters(
    resources: &[LoadedResource],
    files: &[LoadedFile],
    operations: &BTreeMap<&str, usize>,
    service: &str,
    shared: &[(Direction, &crate::spec::SharedTypeSpec)],
) -> Option<Vec<resolve::ResolvedWaiter>> {
    let mut waiters = Vec::new();
    for (r, resource) in resources.iter().enumerate() {
        if resource::folder_service(&resource.path) != Some(service) {
            continue;
        }
        for (index, waiter) in resource.spec.waiters.iter().enumerate() {
            let operation = *operations.get(waiter.operation.as_str())?;
            let (status, _) =
                resolve::status_path(files.get(operation)?, shared, &waiter.status).ok()?;
            waiters.push(resolve::ResolvedWaiter {
                file: r,
                index,
                operation,
                status,
            });
        }
    }
    Some(waiters)
}

/// The file being checked (an operation file by default, or a resource file) and the
/// shared collector.
pub(crate) struct FileCx<'a, S = crate::spec::SpecFile> {
    pub(crate) file: &'a LoadedFile<S>,
    diagnostics: &'a mut Diagnostics,
}

impl<S> FileCx<'_, S> {
    fn locate(&self, node: &NodePath) -> Location {
        self.file.locate(node)
    }

    fn error(&mut self, node: &NodePath, message: impl Into<String>) {
        let location = self.locate(node);
        self.diagnostics.error(location, message);
    }

    fn error_help(&mut self, node: &NodePath, message: impl Into<String>, help: impl Into<String>) {
        let location = self.locate(node);
        self.diagnostics
            .push(Diagnostic::error(location, message).with_help(help));
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Reports an unknown name with a did-you-mean hint drawn from `known`.
    fn unknown<'k>(
        &mut self,
        node: &NodePath,
        what: &str,
        name: &str,
        known: impl IntoIterator<Item = &'k str>,
    ) {
        self.missing(node, format!("unknown {what} `{name}`"), what, name, known);
    }

    /// Reports `message` about a name that is not among `known` (a list of `what`s), with a
    /// did-you-mean hint or the list of names.
    fn missing<'k>(
        &mut self,
        node: &NodePath,
        message: String,
        what: &str,
        name: &str,
        known: impl IntoIterator<Item = &'k str>,
    ) {
        let known: Vec<&str> = known.into_iter().collect();
        match did_you_mean(name, known.iter().copied()) {
            Some(s) => self.error_help(node, message, format!("did you mean `{s}`?")),
            None if known.is_empty() => self.error(node, message),
            None => self.error_help(
                node,
                message,
                format!("known {what}s: {}", known.join(", ")),
            ),
        }
    }
}

/// The node path of a direction's section: `request` or `response`.
fn section(direction: Direction) -> NodePath {
    NodePath::root().key(match direction {
        Direction::Request => "request",
        Direction::Response => "response",
    })
}

/// The node of a shared type seen from an operation file: the root, never reported on.
static SHARED_NODE: NodePath = NodePath::root();

/// A type of one file, with the node path of its definition.
#[derive(Clone, Copy)]
pub(crate) struct TypeEntry<'a> {
    pub(crate) spec: &'a TypeSpec,
    pub(crate) node: &'a NodePath,
}

/// The types of one file by direction and name, with the service's shared types behind
/// them: a name resolves to the file's own type of that direction first, then to the shared
/// type (an operation type that shadows a shared one is refused by `resource`). Duplicates
/// are reported while building it and only the first definition is kept, so later checks
/// see one type per name. Iteration yields the file's own types only.
pub(crate) struct TypeTable<'a> {
    nodes: Vec<NodePath>,
    by_name: BTreeMap<(Direction, &'a str), (usize, &'a TypeSpec)>,
    shared: BTreeMap<(Direction, &'a str), &'a TypeSpec>,
}

impl<'a> TypeTable<'a> {
    /// Rule: type names are unique within a direction, so that references are unambiguous.
    fn new(cx: &mut FileCx<'a>, shared: &[(Direction, &'a TypeSpec)]) -> Self {
        let spec = &cx.file.spec;
        let sections = [
            (Direction::Request, spec.request.as_ref().map(|r| &r.types)),
            (
                Direction::Response,
                spec.response.as_ref().map(|r| &r.types),
            ),
        ];
        let mut entries = Vec::new();
        for (direction, types) in sections {
            for (i, ty) in types.into_iter().flatten().enumerate() {
                entries.push((direction, ty, section(direction).key("types").index(i)));
            }
        }
        Self::from_entries(cx, entries, shared)
    }

    /// A table of the given definitions (each with its node in `cx`'s file) in front of
    /// `shared`, the types of other files it may refer to.
    pub(crate) fn from_entries<S>(
        cx: &mut FileCx<'_, S>,
        entries: Vec<(Direction, &'a TypeSpec, NodePath)>,
        shared: &[(Direction, &'a TypeSpec)],
    ) -> Self {
        let mut table = TypeTable {
            nodes: Vec::new(),
            by_name: BTreeMap::new(),
            shared: shared
                .iter()
                .map(|&(d, t)| ((d, t.name.as_str()), t))
                .collect(),
        };
        for (direction, ty, node) in entries {
            if let Some(&(first, _)) = table.by_name.get(&(direction, ty.name.as_str())) {
                let first_location = cx.locate(&table.nodes[first]);
                cx.error_help(
                    &node.key("name"),
                    format!("duplicate {} type `{}`", direction_word(direction), ty.name),
                    format!("first defined at {first_location}"),
                );
                continue;
            }
            table
                .by_name
                .insert((direction, ty.name.as_str()), (table.nodes.len(), ty));
            table.nodes.push(node);
        }
        table
    }

    /// The type `name` resolves to in `direction`. A shared type's node is in its
    /// resource file, so it is never used to locate anything in this file: only own types,
    /// which `iter` yields, are reported on.
    pub(crate) fn get(&self, direction: Direction, name: &str) -> Option<TypeEntry<'_>> {
        match self.by_name.get(&(direction, name)) {
            Some(&(i, spec)) => Some(TypeEntry {
                spec,
                node: &self.nodes[i],
            }),
            None => self.shared.get(&(direction, name)).map(|spec| TypeEntry {
                spec,
                node: &SHARED_NODE,
            }),
        }
    }

    /// The names known in `direction`, own and shared, for hints.
    pub(crate) fn names(&self, direction: Direction) -> impl Iterator<Item = &'a str> + '_ {
        let own = self.by_name.keys();
        let shared = self
            .shared
            .keys()
            .filter(|key| !self.by_name.contains_key(key));
        own.chain(shared)
            .filter(move |(d, _)| *d == direction)
            .map(|(_, n)| *n)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (Direction, TypeEntry<'_>)> + '_ {
        self.by_name.iter().map(|(&(d, _), &(i, spec))| {
            (
                d,
                TypeEntry {
                    spec,
                    node: &self.nodes[i],
                },
            )
        })
    }
}

fn direction_word(direction: Direction) -> &'static str {
    match direction {
        Direction::Request => "request",
        Direction::Response => "response",
    }
}

/// How many constraint keys a field (with its items) sets.
pub(crate) fn count_constraints(field: &FieldSpec) -> usize {
    let flags = [
        field.min_length.is_some(),
        field.max_length.is_some(),
        field.minimum.is_some(),
        field.maximum.is_some(),
        field.fixed.is_some(),
        field.enum_values.is_some(),
        field.charset.is_some(),
        field.char_classes.is_some(),
        field.format.is_some(),
        field.prefix_length.is_some(),
        !field.within.is_empty(),
        !field.reserved.is_empty(),
        field.host_address == Some(true),
        field.min_items.is_some(),
        field.max_items.is_some(),
        field.unique_items == Some(true),
        !field.unique_by.is_empty(),
    ];
    flags.iter().filter(|&&f| f).count() + field.items.as_deref().map_or(0, count_constraints)
}

fn stats(files: &[LoadedFile], resources: &[LoadedResource]) -> Stats {
    let mut stats = Stats {
        operations: files.len(),
        ..Stats::default()
    };
    for file in files {
        let spec = &file.spec;
        let mut tables = std::collections::BTreeSet::new();
        let all_types = spec
            .request
            .iter()
            .flat_map(|r| &r.types)
            .chain(spec.response.iter().flat_map(|r| &r.types));
        for ty in all_types {
            tables.insert(ty.table);
            stats.types += 1;
            stats.fields += ty.fields.len();
            stats.constraints +=
                ty.fields.iter().map(count_constraints).sum::<usize>() + ty.rules.len();
        }
        for parameter in &spec.parameters {
            tables.extend(parameter.table);
            stats.fields += 1;
            stats.constraints += count_constraints(parameter);
        }
        stats.tables += tables.len();
        stats.examples += spec.examples.len();
        stats.errata += spec.errata.len();
    }
    // A shared type is one type, printed as a table on each of its pages.
    for resource in resources {
        for ty in &resource.spec.types {
            stats.tables += ty.printed_on.len();
            stats.types += 1;
            stats.fields += ty.fields.len();
            stats.constraints +=
                ty.fields.iter().map(count_constraints).sum::<usize>() + ty.rules.len();
        }
        stats.errata += resource.spec.errata.len();
    }
    stats
}

/// True for names such as `create_vpn_connection`.
pub(crate) fn is_snake_case(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !s.contains("__")
        && !s.ends_with('_')
}

/// True for names such as `PolicyRule`.
pub(crate) fn is_upper_camel_case(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// True for names such as `bad-json-example`.
pub(crate) fn is_kebab_case(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.contains("--")
        && !s.ends_with('-')
}

/// The primitive type names, for hints.
pub(crate) fn type_keywords() -> impl Iterator<Item = &'static str> {
    PRIMITIVE_TYPES.iter().copied().chain([ARRAY, MAP])
}
