//! `pages audit`: every spec compared with its source page, table by table, row by row,
//! example by example.
//!
//! A finding names the spec's `file:line:col` and the page's `file:line`. An erratum whose
//! `where:` names the place (`Table 3, row psk`; `Table 2 (dpd parameters)` for a whole
//! table; `Example response "..."`) acknowledges the findings there: they are reported as
//! acknowledged, not as problems. A spec example whose body differs from the page's block
//! must also list the erratum in its own `errata`, and when both are JSON the erratum must
//! name the key that differs, since an erratum that names "all examples" for one reason
//! says nothing about another difference.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{Page, PageType, Table};
use crate::check::{Checked, TypeExpr};
use crate::diag::{Diagnostics, Location};
use crate::spec::{
    Direction, ErratumSpec, ExampleDirection, FieldSpec, LoadedFile, LoadedResource, NodePath,
};

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FindingKind {
    /// The page has something the reader could not read.
    Unreadable,
    /// A row on the page is missing from the spec.
    MissingRow,
    /// A row in the spec is not on the page.
    ExtraRow,
    /// The page's Type cell and the spec's `type` disagree.
    Type,
    /// The page's Mandatory cell and the spec's `required` disagree.
    Mandatory,
    /// A table of the page has no spec type or parameter.
    MissingTable,
    /// A spec type or parameter names a table the page does not have.
    UnknownTable,
    /// An example block of the page has no spec example.
    MissingExample,
    /// A spec example's body does not match the page's block (or has none).
    Example,
    /// A description quotes values the field's `enum` lacks (a warning).
    Enum,
}

impl FindingKind {
    /// Every kind, in report order.
    pub const ALL: [FindingKind; 10] = [
        FindingKind::Unreadable,
        FindingKind::MissingRow,
        FindingKind::ExtraRow,
        FindingKind::Type,
        FindingKind::Mandatory,
        FindingKind::MissingTable,
        FindingKind::UnknownTable,
        FindingKind::MissingExample,
        FindingKind::Example,
        FindingKind::Enum,
    ];

    /// The kind's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            FindingKind::Unreadable => "unreadable",
            FindingKind::MissingRow => "missing-row",
            FindingKind::ExtraRow => "extra-row",
            FindingKind::Type => "type",
            FindingKind::Mandatory => "mandatory",
            FindingKind::MissingTable => "missing-table",
            FindingKind::UnknownTable => "unknown-table",
            FindingKind::MissingExample => "missing-example",
            FindingKind::Example => "example",
            FindingKind::Enum => "enum",
        }
    }

    /// Warnings are reported but do not fail the audit: the enum heuristic reads prose.
    pub fn is_warning(self) -> bool {
        self == FindingKind::Enum
    }
}

/// One difference between a spec and its page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// What it is about.
    pub kind: FindingKind,
    /// Where in the spec.
    pub spec: Location,
    /// Where on the page: `page-path:line`.
    pub page: String,
    /// What differs.
    pub message: String,
    /// The erratum that acknowledges it, if one does.
    pub acknowledged: Option<String>,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match (&self.acknowledged, self.kind.is_warning()) {
            (Some(_), _) => "acknowledged",
            (None, true) => "warning",
            (None, false) => "error",
        };
        write!(
            f,
            "{}: {level}[{}]: {}",
            self.spec,
            self.kind.name(),
            self.message
        )?;
        if let Some(id) = &self.acknowledged {
            write!(f, " (erratum `{id}`)")?;
        }
        write!(f, "\n  page: {}", self.page)
    }
}

/// What the audit compared and found.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Pages read and compared (one per spec whose page was found).
    pub pages: usize,
    /// Page tables compared with spec tables.
    pub tables: usize,
    /// Rows found on both sides and compared.
    pub rows: usize,
    /// Page example blocks compared.
    pub examples: usize,
    /// Every finding, sorted by spec location.
    pub findings: Vec<Finding>,
    /// Specs whose page is in none of the folders, with the page name.
    pub not_found: Vec<(PathBuf, String)>,
}

impl Report {
    /// Findings that are neither acknowledged nor warnings: the audit fails on these.
    pub fn unacknowledged(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.acknowledged.is_none() && !f.kind.is_warning())
            .count()
    }

    /// The summary: what was compared, and the findings by kind.
    pub fn summary(&self) -> String {
        let mut out = format!(
            "audited {} pages: {} tables, {} rows compared, {} example blocks",
            self.pages, self.tables, self.rows, self.examples
        );
        if !self.not_found.is_empty() {
            out.push_str(&format!(
                "; {} specs skipped (page not found)",
                self.not_found.len()
            ));
        }
        out.push_str("\nfindings by kind (unacknowledged, acknowledged):");
        for kind in FindingKind::ALL {
            let of_kind = self.findings.iter().filter(|f| f.kind == kind);
            let (open, acknowledged) = of_kind.fold((0, 0), |(o, a), f| {
                if f.acknowledged.is_some() {
                    (o, a + 1)
                } else {
                    (o + 1, a)
                }
            });
            let note = if kind.is_warning() { " (warnings)" } else { "" };
            out.push_str(&format!(
                "\n  {:<16} {open:>3} {acknowledged:>3}{note}",
                kind.name()
            ));
        }
        let open = self.unacknowledged();
        if open == 0 {
            out.push_str("\nok: no unacknowledged findings");
        } else {
            out.push_str(&format!("\nerror: {open} unacknowledged findings"));
        }
        out
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (spec, page) in &self.not_found {
            writeln!(
                f,
                "{}: note: page `{page}` is in none of the page folders; not audited",
                spec.display()
            )?;
        }
        for finding in &self.findings {
            writeln!(f, "{finding}")?;
        }
        write!(f, "{}", self.summary())
    }
}

/// Loads and checks the specs under `spec_dir` (as `check` does) and audits each against
/// its page, looked up in `page_dirs` in order. Fails with the check's diagnostics when the
/// specs do not pass it.
pub fn audit(spec_dir: &Path, page_dirs: &[PathBuf]) -> Result<Report, Diagnostics> {
    let checked = crate::check_dir(spec_dir)?;
    Ok(audit_checked(&checked, page_dirs))
}

/// Audits specs that passed `check`.
pub fn audit_checked(checked: &Checked, page_dirs: &[PathBuf]) -> Report {
    let mut report = Report::default();
    for file in &checked.files {
        let name = &file.spec.operation.source.page;
        let Some(path) = super::find_page(page_dirs, name) else {
            report.not_found.push((file.path.clone(), name.clone()));
            continue;
        };
        let shown = path.to_string_lossy().replace('\\', "/");
        let page_node = NodePath::root().key("operation").key("source").key("page");
        match super::read_file(&path, name) {
            Ok(page) => {
                report.pages += 1;
                let listed_as = listed_as(file, &checked.files, &checked.resources);
                audit_file(
                    file,
                    listed_as,
                    &checked.resources,
                    &page,
                    &shown,
                    &mut report,
                );
            }
            Err(message) => report.findings.push(Finding {
                kind: FindingKind::Unreadable,
                spec: file.locate(&page_node),
                page: shown,
                message,
                acknowledged: None,
            }),
        }
    }
    report
        .findings
        .sort_by(|a, b| (&a.spec, a.kind, &a.message).cmp(&(&b.spec, b.kind, &b.message)));
    report
}

/// The operation id under which `file`'s page is named in resource files' `printed_on`: its
/// own, or, for an operation no resource file names, the id of a named operation transcribed
/// from the same page. A user who adds an endpoint by copying a spec under a new id gets the
/// shared tables of the page it was copied from, as `check` accepts.
fn listed_as<'a>(
    file: &'a LoadedFile,
    files: &'a [LoadedFile],
    resources: &[LoadedResource],
) -> &'a str {
    let op = &file.spec.operation;
    let named = |id: &str| {
        same_service(file, resources).any(|r| {
            r.spec
                .types
                .iter()
                .any(|t| t.printed_on.iter().any(|p| p.operation == id))
        })
    };
    if named(&op.id) {
        return &op.id;
    }
    files
        .iter()
        .map(|f| &f.spec.operation)
        .find(|other| other.source.page == op.source.page && other.id != op.id && named(&other.id))
        .map_or(&op.id, |other| &other.id)
}

/// A node of the operation's file (`None`) or of a resource file.
type Anchor<'a> = (Option<&'a LoadedResource>, NodePath);

/// A row of a spec table: a parameter or a field of a type with that table number, in the
/// operation's file or (a shared type printed on its page) in a resource file.
struct SpecRow<'a> {
    field: &'a FieldSpec,
    node: NodePath,
    resource: Option<&'a LoadedResource>,
}

/// The spec's side of one table: its rows and the nodes of the types that transcribe it.
#[derive(Default)]
struct SpecTable<'a> {
    rows: Vec<SpecRow<'a>>,
    /// Where the table is named (`table:` keys), for findings about the table.
    nodes: Vec<Anchor<'a>>,
}

/// The tables of `file`'s page as the specs transcribe them: its parameters and own types,
/// and every shared type of its service whose `printed_on` names this page, with only the
/// rows this page lists (a row's `printed_on`, when given, names it).
fn spec_tables<'a>(
    file: &'a LoadedFile,
    id: &str,
    resources: &'a [LoadedResource],
) -> BTreeMap<u32, SpecTable<'a>> {
    let spec = &file.spec;
    let mut tables: BTreeMap<u32, SpecTable<'_>> = BTreeMap::new();
    for (i, parameter) in spec.parameters.iter().enumerate() {
        let node = NodePath::root().key("parameters").index(i);
        if let Some(n) = parameter.table {
            let table = tables.entry(n).or_default();
            table.nodes.push((None, node.key("table")));
            table.rows.push(SpecRow {
                field: parameter,
                node,
                resource: None,
            });
        }
    }
    for resource in same_service(file, resources) {
        for (i, ty) in resource.spec.types.iter().enumerate() {
            let node = NodePath::root().key("types").index(i);
            for (p, page) in ty.printed_on.iter().enumerate() {
                if page.operation != id {
                    continue;
                }
                let table = tables.entry(page.table).or_default();
                let at = node.key("printed_on").index(p).key("table");
                table.nodes.push((Some(resource), at));
                for (j, field) in ty.fields.iter().enumerate() {
                    if field.printed_on.is_empty() || field.printed_on.iter().any(|o| o == id) {
                        table.rows.push(SpecRow {
                            field,
                            node: node.key("fields").index(j),
                            resource: Some(resource),
                        });
                    }
                }
            }
        }
    }
    let directions = [
        ("request", spec.request.as_ref().map(|b| &b.types)),
        ("response", spec.response.as_ref().map(|r| &r.types)),
    ];
    for (key, types) in directions {
        for (i, ty) in types.into_iter().flatten().enumerate() {
            let node = NodePath::root().key(key).key("types").index(i);
            let table = tables.entry(ty.table).or_default();
            table.nodes.push((None, node.key("table")));
            for (j, field) in ty.fields.iter().enumerate() {
                table.rows.push(SpecRow {
                    field,
                    node: node.key("fields").index(j),
                    resource: None,
                });
            }
        }
    }
    tables
}

/// The resource files of `file`'s service.
fn same_service<'a>(
    file: &LoadedFile,
    resources: &'a [LoadedResource],
) -> impl Iterator<Item = &'a LoadedResource> {
    let service = file.spec.operation.service.clone();
    resources
        .iter()
        .filter(move |r| r.spec.resource.service == service)
}

/// The errata that may acknowledge findings on `file`'s page: its own, and each erratum of
/// its service's resource files whose `where` starts with `<operation id>: `, with that
/// prefix removed (the rest names the place on this page as an operation's erratum does).
fn page_errata(file: &LoadedFile, id: &str, resources: &[LoadedResource]) -> Vec<ErratumSpec> {
    let prefix = format!("{id}:");
    let mut errata = file.spec.errata.clone();
    for resource in same_service(file, resources) {
        for erratum in &resource.spec.errata {
            if let Some(rest) = erratum.place.strip_prefix(&prefix) {
                errata.push(ErratumSpec {
                    place: rest.trim_start().to_owned(),
                    ..erratum.clone()
                });
            }
        }
    }
    errata
}

/// Collects one file's findings; `shown` is the page's path as reports print it, and
/// `listed_as` the operation id that resource files name its page by.
fn audit_file(
    file: &LoadedFile,
    listed_as: &str,
    resources: &[LoadedResource],
    page: &Page,
    shown: &str,
    report: &mut Report,
) {
    let places = Places::new(&page_errata(file, listed_as, resources), page);
    let at = |line: usize| format!("{shown}:{line}");
    let page_node = NodePath::root().key("operation").key("source").key("page");
    let locate = |(resource, node): &Anchor<'_>| match resource {
        Some(resource) => resource.locate(node),
        None => file.locate(node),
    };
    let push_at = |report: &mut Report, kind, spec, line, message: String, ack| {
        report.findings.push(Finding {
            kind,
            spec,
            page: at(line),
            message,
            acknowledged: ack,
        });
    };
    let mut push = |report: &mut Report, kind, node: &NodePath, line, message: String, ack| {
        push_at(report, kind, file.locate(node), line, message, ack);
    };
    for problem in &page.problems {
        push(
            report,
            FindingKind::Unreadable,
            &page_node,
            problem.line,
            problem.message.clone(),
            None,
        );
    }
    let tables = spec_tables(file, listed_as, resources);
    for table in page.tables.iter().filter(|t| t.number.is_some()) {
        let n = table.number.unwrap_or_default();
        let Some(spec_table) = tables.get(&n) else {
            let ack = places.table(n);
            push(
                report,
                FindingKind::MissingTable,
                &page_node,
                table.line,
                format!(
                    "Table {n} ({}) has no spec type or parameter",
                    table.caption
                ),
                ack,
            );
            continue;
        };
        report.tables += 1;
        let anchor = spec_table
            .nodes
            .first()
            .cloned()
            .unwrap_or_else(|| (None, page_node.clone()));
        let mut matched = BTreeSet::new();
        for row in &table.rows {
            let found = spec_table
                .rows
                .iter()
                .enumerate()
                .find(|(_, r)| r.field.name.as_deref() == Some(row.name.as_str()));
            let Some((index, spec_row)) = found else {
                push_at(
                    report,
                    FindingKind::MissingRow,
                    locate(&anchor),
                    row.line,
                    format!("Table {n}, row {}: on the page, not in the spec", row.name),
                    places.row(n, &row.name),
                );
                continue;
            };
            matched.insert(index);
            report.rows += 1;
            compare_row(
                n,
                table,
                row,
                spec_row,
                &places,
                &mut |kind, node, message, ack| {
                    let spec = locate(&(spec_row.resource, node));
                    push_at(report, kind, spec, row.line, message, ack);
                },
            );
        }
        for (index, spec_row) in spec_table.rows.iter().enumerate() {
            if matched.contains(&index) {
                continue;
            }
            let name = spec_row.field.name.clone().unwrap_or_default();
            push_at(
                report,
                FindingKind::ExtraRow,
                locate(&(spec_row.resource, spec_row.node.clone())),
                table.line,
                format!("Table {n}, row {name}: in the spec, not on the page"),
                places.row(n, &name),
            );
        }
    }
    for (n, spec_table) in &tables {
        if page.table(*n).is_none() {
            for anchor in &spec_table.nodes {
                push_at(
                    report,
                    FindingKind::UnknownTable,
                    locate(anchor),
                    1,
                    format!("the spec names Table {n}, which the page does not have"),
                    places.table(*n),
                );
            }
        }
    }
    audit_examples(file, page, &places, report, &mut push);
}

/// Compares the cells of one row present on both sides.
fn compare_row(
    n: u32,
    table: &Table,
    row: &super::Row,
    spec_row: &SpecRow<'_>,
    places: &Places,
    push: &mut dyn FnMut(FindingKind, NodePath, String, Option<String>),
) {
    let field = spec_row.field;
    let name = &row.name;
    let spec_ty = field.type_expr();
    if table.has(&super::Column::Type) {
        let page_ty = PageType::parse(&row.ty);
        if let Some(Ok(expr)) = &spec_ty {
            if !compatible(&page_ty, expr) {
                let page_text = if row.ty.is_empty() {
                    "the page's Type cell is empty".to_owned()
                } else {
                    format!("the page's type is `{}`", row.ty)
                };
                push(
                    FindingKind::Type,
                    spec_row.node.key("type"),
                    format!("Table {n}, row {name}: {page_text}, the spec's is `{expr}`"),
                    places.row(n, name),
                );
            }
        }
    }
    if let Some(mandatory) = row.mandatory {
        let required = field.required.unwrap_or(false);
        if mandatory != required {
            let node = if field.required.is_some() {
                spec_row.node.key("required")
            } else {
                spec_row.node.clone()
            };
            push(
                FindingKind::Mandatory,
                node,
                format!(
                    "Table {n}, row {name}: the page says Mandatory {}, the spec has `required: {required}`",
                    if mandatory { "Yes" } else { "No" }
                ),
                places.row(n, name),
            );
        }
    }
    let stringly = matches!(&spec_ty, Some(Ok(TypeExpr::String)))
        || matches!(&spec_ty, Some(Ok(TypeExpr::Array(inner))) if **inner == TypeExpr::String);
    if stringly && field.fixed.is_none() {
        let values = enum_values(&row.description);
        if values.len() >= 2 {
            let known: BTreeSet<String> = field
                .enum_values
                .iter()
                .flatten()
                .chain(
                    field
                        .items
                        .iter()
                        .flat_map(|i| i.enum_values.iter().flatten()),
                )
                .filter_map(|v| v.as_str().map(str::to_ascii_lowercase))
                .collect();
            let absent: Vec<&String> = values
                .iter()
                .filter(|v| !known.contains(&v.to_ascii_lowercase()))
                .collect();
            if !absent.is_empty() {
                let list = absent
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let node = if field.enum_values.is_some() {
                    spec_row.node.key("enum")
                } else {
                    spec_row.node.clone()
                };
                push(
                    FindingKind::Enum,
                    node,
                    format!(
                        "Table {n}, row {name}: the description lists {list}, which the field's `enum` lacks"
                    ),
                    places.row(n, name),
                );
            }
        }
    }
}

/// Whether a page type and a spec type agree. Object names are not compared: the page's
/// name is a caption, the spec's a Rust type name.
fn compatible(page: &PageType, spec: &TypeExpr) -> bool {
    match (page, spec) {
        (PageType::String, TypeExpr::String)
        | (PageType::Integer, TypeExpr::Integer)
        | (PageType::Number, TypeExpr::Number)
        | (PageType::Boolean, TypeExpr::Boolean) => true,
        (PageType::Object(_), TypeExpr::Object | TypeExpr::Named(_) | TypeExpr::Map(_)) => true,
        (PageType::Array(None), TypeExpr::Array(_)) => true,
        (PageType::Array(Some(inner)), TypeExpr::Array(spec_inner)) => {
            compatible(inner, spec_inner)
        }
        (PageType::Map(None), TypeExpr::Map(_) | TypeExpr::Object) => true,
        (PageType::Map(Some(inner)), TypeExpr::Map(spec_inner)) => compatible(inner, spec_inner),
        (PageType::Map(Some(_)), TypeExpr::Object) => true,
        _ => false,
    }
}

/// Values a description quotes as the allowed ones: "The value can be `a`, `b` or `c`",
/// "Possible values are ...", "Enumeration values:" or "Value range:" followed by a list,
/// and a list of upper-case words. Only lists of two or more single words count; prose
/// after "can be" is not a list.
pub(crate) fn enum_values(description: &str) -> Vec<String> {
    let lines: Vec<&str> = description.lines().collect();
    let mut out: Vec<String> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let lower = line.to_ascii_lowercase();
        for phrase in [
            "value can be",
            "which can be",
            "possible values are",
            "the options are",
            "enumeration values",
            "value range",
        ] {
            let Some(at) = lower.find(phrase) else {
                continue;
            };
            let mut rest = line[at + phrase.len()..]
                .trim_start_matches([':', ' '])
                .to_owned();
            for prefix in ["as follows", "as follows:"] {
                if rest.to_ascii_lowercase().starts_with(prefix) {
                    rest = rest[prefix.len()..]
                        .trim_start_matches([':', ' ', '.'])
                        .to_owned();
                }
            }
            let sentence = rest
                .split(". ")
                .next()
                .unwrap_or("")
                .trim_end_matches('.')
                .to_owned();
            let candidates = if sentence.trim().is_empty() {
                // The list is below: list items or the next line.
                let mut items = Vec::new();
                for next in &lines[i + 1..] {
                    let t = next.trim();
                    match t.strip_prefix("- ") {
                        Some(item) => items.push(item.trim_end_matches('.').to_owned()),
                        None if items.is_empty() => {
                            items.extend(split_list(t.trim_end_matches('.')));
                            break;
                        }
                        None => break,
                    }
                }
                items
            } else {
                split_list(&sentence)
            };
            if candidates.len() >= 2 && candidates.iter().all(|c| is_value_word(c)) {
                out.extend(candidates);
            }
        }
    }
    // A list of upper-case words: status values.
    let upper: Vec<String> = lines
        .iter()
        .filter_map(|l| l.trim().strip_prefix("- "))
        .map(|t| t.trim_end_matches(['.', ',', ';']).to_owned())
        .filter(|t| {
            t.len() >= 2
                && t.chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
        })
        .collect();
    if upper.len() >= 2 {
        out.extend(upper);
    }
    let mut seen = BTreeSet::new();
    out.retain(|v| {
        let lower = v.to_ascii_lowercase();
        lower != "true" && lower != "false" && seen.insert(v.clone())
    });
    out
}

fn split_list(text: &str) -> Vec<String> {
    text.replace(", or ", ",")
        .replace(", and ", ",")
        .replace(" or ", ",")
        .replace(" and ", ",")
        .split(',')
        .map(|s| {
            s.trim()
                .trim_matches(['"', '\'', '`', '*'])
                .trim_end_matches('.')
                .to_owned()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

fn is_value_word(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 40
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && text
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Records one finding: kind, spec node, page line, message, acknowledging erratum.
type Push<'a> = dyn FnMut(&mut Report, FindingKind, &NodePath, usize, String, Option<String>) + 'a;

/// Pairs page example blocks with spec examples: equal bodies first, then equal titles,
/// then page order within each direction.
fn audit_examples(
    file: &LoadedFile,
    page: &Page,
    places: &Places,
    report: &mut Report,
    push: &mut Push<'_>,
) {
    let specs = &file.spec.examples;
    report.examples += page.examples.len();
    let json = |text: &str| serde_json::from_str::<Value>(text).ok();
    let page_json: Vec<Option<Value>> = page.examples.iter().map(|e| json(&e.body)).collect();
    let spec_json: Vec<Option<Value>> = specs
        .iter()
        .map(|e| e.body.as_deref().and_then(json))
        .collect();
    let same_direction = |p: usize, s: usize| {
        page.examples[p]
            .direction
            .is_none_or(|d| d == page_side(specs[s].direction))
    };
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut page_free: Vec<bool> = vec![true; page.examples.len()];
    // An example URL (`url:`, no body) transcribes a request line, which the page prints in
    // a text block the audit does not read as an example: it pairs with no block, and the
    // checker judges it instead.
    let mut spec_free: Vec<bool> = specs.iter().map(|e| e.body.is_some()).collect();
    let pair = |pairs: &mut Vec<(usize, usize)>,
                page_free: &mut Vec<bool>,
                spec_free: &mut Vec<bool>,
                p: usize,
                s: usize| {
        page_free[p] = false;
        spec_free[s] = false;
        pairs.push((p, s));
    };
    for (p, parsed) in page_json.iter().enumerate() {
        let found = (0..specs.len()).find(|&s| {
            spec_free[s] && same_direction(p, s) && parsed.is_some() && *parsed == spec_json[s]
        });
        if let Some(s) = found {
            pair(&mut pairs, &mut page_free, &mut spec_free, p, s);
        }
    }
    let norm = |t: &str| {
        t.trim()
            .trim_end_matches('.')
            .to_ascii_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    for p in 0..page.examples.len() {
        if !page_free[p] {
            continue;
        }
        let Some(caption) = &page.examples[p].caption else {
            continue;
        };
        let found = (0..specs.len()).find(|&s| {
            spec_free[s]
                && same_direction(p, s)
                && specs[s]
                    .title
                    .as_deref()
                    .is_some_and(|t| norm(t) == norm(caption))
        });
        if let Some(s) = found {
            pair(&mut pairs, &mut page_free, &mut spec_free, p, s);
        }
    }
    for p in 0..page.examples.len() {
        if !page_free[p] {
            continue;
        }
        if let Some(s) = (0..specs.len()).find(|&s| spec_free[s] && same_direction(p, s)) {
            pair(&mut pairs, &mut page_free, &mut spec_free, p, s);
        }
    }
    pairs.sort_unstable();
    for (p, s) in pairs {
        let block = &page.examples[p];
        let node = NodePath::root().key("examples").index(s).key("body");
        let mut key = None;
        let differs = match (&page_json[p], &spec_json[s]) {
            (Some(a), Some(b)) => first_difference(a, b, "").map(|path| {
                key = path
                    .rsplit(['.', '['])
                    .next()
                    .map(|k| k.trim_end_matches(']').to_owned());
                format!(
                    "differs from the page's block at `{}`",
                    if path.is_empty() { "(the body)" } else { &path }
                )
            }),
            (None, _) => {
                let squeeze =
                    |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
                (squeeze(&block.body) != squeeze(specs[s].body.as_deref().unwrap_or_default()))
                    .then(|| {
                        format!(
                            "differs from the page's block, which is not valid JSON ({})",
                            block.json().err().unwrap_or_default()
                        )
                    })
            }
            (Some(_), None) => Some("is not valid JSON, and the page's block is".to_owned()),
        };
        if let Some(how) = differs {
            // The example must also list the erratum: one that names "all examples" for
            // another reason does not explain this difference.
            // When both are JSON, the erratum must also name the key that differs.
            let ack = places
                .example(
                    page_side(specs[s].direction),
                    &[block.caption.as_deref(), specs[s].title.as_deref()],
                    &specs[s].errata,
                )
                .filter(|id| specs[s].errata.contains(id))
                .filter(|id| key.as_deref().is_none_or(|k| places.mentions(id, k)));
            push(
                report,
                FindingKind::Example,
                &node,
                block.line,
                format!("example `{}` {how}", specs[s].name),
                ack,
            );
        }
    }
    let examples_node = NodePath::root().key("examples");
    for (_, block) in page
        .examples
        .iter()
        .enumerate()
        .filter(|(p, _)| page_free[*p])
    {
        let direction = block.direction.map_or("example", |d| match d {
            Direction::Request => "request example",
            Direction::Response => "response example",
        });
        let caption = block
            .caption
            .as_deref()
            .map(|c| format!(" \"{c}\""))
            .unwrap_or_default();
        let ack = match block.direction {
            Some(d) => places.example(d, &[block.caption.as_deref()], &[]),
            None => places
                .example(Direction::Request, &[block.caption.as_deref()], &[])
                .or_else(|| places.example(Direction::Response, &[block.caption.as_deref()], &[])),
        };
        push(
            report,
            FindingKind::MissingExample,
            &examples_node,
            block.line,
            format!("the page's {direction}{caption} has no spec example"),
            ack,
        );
    }
    for (s, example) in specs.iter().enumerate().filter(|(s, _)| spec_free[*s]) {
        let node = examples_node.index(s);
        let ack = places.example(
            page_side(example.direction),
            &[example.title.as_deref()],
            &example.errata,
        );
        push(
            report,
            FindingKind::Example,
            &node,
            1,
            format!("example `{}` has no block on the page", example.name),
            ack,
        );
    }
}

/// The side of the page a spec example is printed on: pages show error bodies among their
/// responses, under "Example Response" headings.
fn page_side(direction: ExampleDirection) -> Direction {
    match direction {
        ExampleDirection::Request => Direction::Request,
        ExampleDirection::Response | ExampleDirection::Error => Direction::Response,
    }
}

/// The JSON path of the first difference between two values, `None` when equal.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| {
                let inner = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match (x.get(k), y.get(k)) {
                    (Some(u), Some(v)) => first_difference(u, v, &inner),
                    _ => Some(inner),
                }
            })
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(path.to_owned());
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (u, v))| first_difference(u, v, &format!("{path}[{i}]")))
        }
        _ => (a != b).then(|| path.to_owned()),
    }
}

/// The places the errata name, read from their `where:`.
struct Places {
    places: Vec<(String, Place)>,
    /// Each erratum's text (place, what the page says, decision, waived paths).
    texts: BTreeMap<String, String>,
}

#[derive(Default, Debug)]
struct Place {
    tables: Vec<u32>,
    rows: Vec<String>,
    whole_table: bool,
    example: Option<ExamplePlace>,
}

#[derive(Debug)]
struct ExamplePlace {
    request: bool,
    response: bool,
    titles: Vec<String>,
}

impl Places {
    /// Reads every erratum's `where:`, segment by segment (`;` separates places). Row
    /// names are recognised among the rows of the tables a segment names.
    fn new(errata: &[ErratumSpec], page: &Page) -> Self {
        let mut places = Vec::new();
        for erratum in errata {
            for segment in erratum.place.split(';') {
                let segment = segment.trim();
                let mut place = Place::default();
                let words: Vec<&str> = segment
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                    .filter(|w| !w.is_empty())
                    .collect();
                for pair in words.windows(2) {
                    if pair[0].eq_ignore_ascii_case("table") {
                        if let Ok(n) = pair[1].parse::<u32>() {
                            place.tables.push(n);
                        }
                    }
                }
                let names: BTreeSet<&str> = place
                    .tables
                    .iter()
                    .filter_map(|n| page.table(*n))
                    .flat_map(|t| t.rows.iter().map(|r| r.name.as_str()))
                    .collect();
                // Rows the spec has and the page lacks are named too; any row-like word
                // after "row" or "rows" counts.
                let mut after_row = false;
                for word in &words {
                    if word.eq_ignore_ascii_case("row") || word.eq_ignore_ascii_case("rows") {
                        after_row = true;
                        continue;
                    }
                    if names.contains(word)
                        || (after_row
                            && super::is_identifier(word)
                            && !matches!(*word, "and" | "Table" | "table"))
                    {
                        place.rows.push((*word).to_owned());
                    }
                }
                place.whole_table = !place.tables.is_empty()
                    && place.rows.is_empty()
                    && segment.to_ascii_lowercase().starts_with("table");
                let lower = segment.to_ascii_lowercase();
                if lower.contains("example") {
                    let request = lower.contains("request");
                    let response = lower.contains("response");
                    let titles = quoted(segment);
                    place.example = Some(ExamplePlace {
                        request: request || !response,
                        response: response || !request,
                        titles,
                    });
                }
                places.push((erratum.id.clone(), place));
            }
        }
        let texts = errata
            .iter()
            .map(|e| {
                let text = format!(
                    "{} {} {} {}",
                    e.place,
                    e.page_says,
                    e.decision,
                    e.waives.join(" ")
                );
                (e.id.clone(), text)
            })
            .collect();
        Places { places, texts }
    }

    /// Whether erratum `id` mentions `key` as a word.
    fn mentions(&self, id: &str, key: &str) -> bool {
        self.texts.get(id).is_some_and(|text| {
            text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .any(|word| word == key)
        })
    }

    fn row(&self, table: u32, row: &str) -> Option<String> {
        self.places
            .iter()
            .find(|(_, p)| p.tables.contains(&table) && p.rows.iter().any(|r| r == row))
            .map(|(id, _)| id.clone())
    }

    fn table(&self, table: u32) -> Option<String> {
        self.places
            .iter()
            .find(|(_, p)| p.whole_table && p.tables.contains(&table))
            .map(|(id, _)| id.clone())
    }

    /// The erratum that names an example of `direction` with one of `titles`; among
    /// several, one the example itself lists in its `errata` (`listed`) is preferred.
    fn example(
        &self,
        direction: Direction,
        titles: &[Option<&str>],
        listed: &[String],
    ) -> Option<String> {
        let norm = |t: &str| t.trim().trim_end_matches('.').to_ascii_lowercase();
        let mut covering = self.places.iter().filter(|(_, p)| {
            p.example.as_ref().is_some_and(|e| {
                let covers = match direction {
                    Direction::Request => e.request,
                    Direction::Response => e.response,
                };
                covers
                    && (e.titles.is_empty()
                        || e.titles
                            .iter()
                            .any(|q| titles.iter().flatten().any(|t| norm(t) == norm(q))))
            })
        });
        let all: Vec<&String> = covering.by_ref().map(|(id, _)| id).collect();
        all.iter()
            .find(|id| listed.contains(id))
            .or(all.first())
            .map(|id| (*id).clone())
    }
}

/// The texts between double quotes in `text`.
fn quoted(text: &str) -> Vec<String> {
    let parts: Vec<&str> = text.split(['"', '\u{201c}', '\u{201d}']).collect();
    parts
        .iter()
        .skip(1)
        .step_by(2)
        .map(|s| (*s).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_values_are_read_from_prose_and_lists() {
        assert_eq!(
            enum_values("Specifies the mode. The value can be static or bgp."),
            ["static", "bgp"]
        );
        assert_eq!(
            enum_values(
                "- The value can be group1, group2, or group21.\n- The default value is group15."
            ),
            ["group1", "group2", "group21"]
        );
        assert_eq!(
            enum_values("Possible values are as follows:\n- PENDING\n- ACTIVE"),
            ["PENDING", "ACTIVE"]
        );
        assert_eq!(
            enum_values("Enumeration values:\n- bgp\n- static"),
            ["bgp", "static"]
        );
        assert!(enum_values("The value can be true or false.").is_empty());
        assert!(enum_values("The value can be a string of 1 to 64 characters.").is_empty());
    }

    #[test]
    fn types_agree_by_shape() {
        let parse = |t: &str| TypeExpr::parse(t).unwrap();
        assert!(compatible(
            &PageType::parse("Array of String"),
            &parse("array<string>")
        ));
        assert!(compatible(
            &PageType::parse("peering object"),
            &parse("Peering")
        ));
        assert!(!compatible(&PageType::parse("Integer"), &parse("string")));
        assert!(!compatible(
            &PageType::parse("Array of String"),
            &parse("string")
        ));
        assert!(!compatible(&PageType::parse(""), &parse("string")));
    }

    #[test]
    fn first_difference_names_the_path() {
        let a = serde_json::json!({"a": {"b": [1, 2]}, "c": 1});
        let b = serde_json::json!({"a": {"b": [1, 3]}, "c": 1});
        assert_eq!(first_difference(&a, &b, "").as_deref(), Some("a.b[1]"));
        assert_eq!(first_difference(&a, &a, ""), None);
    }
}
