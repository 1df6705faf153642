//! `pages draft`: a spec skeleton from a page.
//!
//! The draft has the operation header, the parameter tables as `parameters`, every other
//! table as a type with every row (name, type, required, the description verbatim), the
//! statuses and every example. It removes the typing, not the reading: a `# TODO` marks
//! each field whose description states a limit in words, each cell the draft could not
//! map, and each problem `check` finds in the draft, so a person knows where to look.
//! Constraints, rules and errata are theirs to write.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::{Column, Page, PageType, Section, Table};
use crate::spec::Direction;

/// The YAML text being built: its lines, and comments to put above some of them.
#[derive(Default)]
struct Doc {
    lines: Vec<String>,
    todos: BTreeMap<usize, Vec<String>>,
}

impl Doc {
    fn push(&mut self, indent: usize, text: impl AsRef<str>) -> usize {
        self.lines
            .push(format!("{}{}", " ".repeat(indent), text.as_ref()));
        self.lines.len() - 1
    }

    fn todo(&mut self, line: usize, text: impl Into<String>) {
        let text = text.into();
        let todos = self.todos.entry(line).or_default();
        if !todos.contains(&text) {
            todos.push(text);
        }
    }

    /// `key: value` with the value as a plain or quoted scalar, or a block scalar when it
    /// spans lines.
    fn scalar(&mut self, indent: usize, key: &str, value: &str) -> usize {
        let value = value.replace('\t', "    ");
        let value = value.trim_end();
        if !value.contains('\n') {
            return self.push(indent, format!("{key}: {}", yaml_scalar(value)));
        }
        if value.starts_with([' ', '\n']) {
            // A block scalar whose first line is indented needs an indentation indicator;
            // a quoted string is simpler and as exact.
            return self.push(indent, format!("{key}: {}", json_string(value)));
        }
        let at = self.push(indent, format!("{key}: |-"));
        for line in value.lines() {
            if line.trim().is_empty() {
                self.lines.push(String::new());
            } else {
                self.push(indent + 2, line.trim_end());
            }
        }
        at
    }

    fn render(&self, with_todos: bool) -> String {
        let mut out = String::new();
        for (i, line) in self.lines.iter().enumerate() {
            if with_todos {
                let indent = line.len() - line.trim_start().len();
                for todo in self.todos.get(&i).into_iter().flatten() {
                    for (k, part) in todo.lines().enumerate() {
                        let lead = if k == 0 { "# TODO: " } else { "#   " };
                        out.push_str(&format!("{}{lead}{part}\n", " ".repeat(indent)));
                    }
                }
            }
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// The line a comment about line `line` goes above: the innermost list item holding
    /// it (`- name: ...`), or the line itself outside lists.
    fn item_of(&self, line: usize) -> usize {
        let indent_of = |l: &str| l.len() - l.trim_start().len();
        let Some(text) = self.lines.get(line) else {
            return self.lines.len().saturating_sub(1);
        };
        let indent = indent_of(text);
        for i in (0..=line).rev() {
            let candidate = &self.lines[i];
            if candidate.trim().is_empty() {
                continue;
            }
            let at = indent_of(candidate);
            if candidate.trim_start().starts_with("- ") && (at < indent || i == line) {
                return i;
            }
            if at == 0 {
                return line;
            }
        }
        line
    }
}

/// Writes a spec skeleton for `page`. Never fails: what the draft cannot decide is a
/// `# TODO`.
pub fn draft(page: &Page) -> String {
    let mut doc = Doc::default();
    let plan = Plan::new(page);
    doc.push(
        0,
        format!(
            "# A draft of a spec for {}, by `netapi-codegen pages draft`.",
            page.name
        ),
    );
    doc.push(0, "# Read the whole page: add constraints, rules and errata, then run `netapi-codegen check`.");
    header(page, &plan, &mut doc);
    parameters(page, &plan, &mut doc);
    bodies(page, &plan, &mut doc);
    examples(page, &mut doc);
    // What `check` says about the draft becomes a TODO at the item it concerns.
    let path = PathBuf::from(&plan.service).join(format!("{}.yaml", plan.id));
    for (line, message) in check_text(&path, &doc.render(false)) {
        let item = doc.item_of(line.saturating_sub(1));
        doc.todo(item, format!("check: {message}"));
    }
    doc.render(true)
}

/// Runs `check` on draft text as if it were the file `path`: each problem's line and
/// message.
fn check_text(path: &Path, text: &str) -> Vec<(usize, String)> {
    let diagnostics = match crate::spec::parse_file(path, text.as_bytes()) {
        Ok(file) => {
            let set = crate::spec::SpecSet {
                files: vec![file],
                resources: Vec::new(),
                inputs: Vec::new(),
            };
            match crate::check::check(set) {
                Ok(_) => return Vec::new(),
                Err(diagnostics) => diagnostics,
            }
        }
        Err(diagnostic) => {
            let mut all = crate::diag::Diagnostics::new();
            all.push(diagnostic);
            all
        }
    };
    diagnostics
        .sorted()
        .into_iter()
        .map(|d| {
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str(&format!(" ({help})"));
            }
            (d.location.line, message)
        })
        .collect()
}

/// The decisions the draft makes once: the operation id, the service, which tables are
/// parameters, and each body table's type name.
struct Plan {
    id: String,
    service: String,
    /// Type name per table index, for body tables.
    names: BTreeMap<usize, String>,
    /// Direction per table index, for body tables.
    directions: BTreeMap<usize, Direction>,
    /// Table indexes that list parameters.
    parameters: BTreeSet<usize>,
}

impl Plan {
    fn new(page: &Page) -> Plan {
        let title = page.title.clone().unwrap_or_default();
        let id = operation_id(&title);
        let service = service_of(page.path.as_deref().unwrap_or(""));
        let operation = id.to_upper_camel_case();
        let mut names = BTreeMap::new();
        let mut directions = BTreeMap::new();
        let mut parameters = BTreeSet::new();
        let mut taken: BTreeSet<(Direction, String)> = BTreeSet::new();
        for (index, table) in page.tables.iter().enumerate() {
            if table.number.is_none() || !table.has(&Column::Name) {
                continue;
            }
            let caption = table.caption.to_ascii_lowercase();
            if table.section == Section::Uri
                || ["path", "query", "header"]
                    .iter()
                    .any(|w| caption.contains(w))
            {
                parameters.insert(index);
                continue;
            }
            let direction = if table.section == Section::Response {
                Direction::Response
            } else {
                Direction::Request
            };
            let first = !directions.values().any(|d| *d == direction);
            let suffix = if direction == Direction::Request {
                "RequestBody"
            } else {
                "ResponseBody"
            };
            let mut name = caption_name(&table.caption).unwrap_or_else(|| {
                if first {
                    format!("{operation}{suffix}")
                } else {
                    format!("{operation}Table{}", table.number.unwrap_or_default())
                }
            });
            if taken.contains(&(direction, name.clone())) {
                name = format!("{name}{}", table.number.unwrap_or_default());
            }
            taken.insert((direction, name.clone()));
            names.insert(index, name);
            directions.insert(index, direction);
        }
        Plan {
            id,
            service,
            names,
            directions,
            parameters,
        }
    }

    /// The body type of a direction: its first table's type.
    fn body(&self, direction: Direction) -> Option<&String> {
        self.directions
            .iter()
            .find(|(_, d)| **d == direction)
            .and_then(|(i, _)| self.names.get(i))
    }

    /// The type a `X object` cell names, in `direction`: the table its `:ref:` points to,
    /// or the table whose type name is `X` in UpperCamelCase.
    fn resolve(
        &self,
        page: &Page,
        direction: Direction,
        name: &str,
        target: Option<&str>,
    ) -> Option<String> {
        if let Some(target) = target {
            let found = page.tables.iter().enumerate().find(|(i, t)| {
                t.anchor.as_deref() == Some(target) && self.directions.get(i) == Some(&direction)
            });
            if let Some((i, _)) = found {
                return self.names.get(&i).cloned();
            }
        }
        let wanted = name.to_upper_camel_case();
        self.names
            .iter()
            .find(|(i, n)| **n == wanted && self.directions.get(i) == Some(&direction))
            .map(|(_, n)| n.clone())
    }
}

/// An operation id from the page title: "Creating a VPN Connection" → `create_vpn_connection`.
fn operation_id(title: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for (i, word) in title.split_whitespace().enumerate() {
        let lower = word.to_ascii_lowercase();
        if i == 0 {
            let verb = match lower.as_str() {
                "creating" => "create",
                "updating" => "update",
                "deleting" => "delete",
                "querying" => "show",
                "accepting" => "accept",
                "refusing" | "rejecting" => "reject",
                other => other,
            };
            words.push(verb.to_owned());
            continue;
        }
        if matches!(
            lower.as_str(),
            "a" | "an" | "the" | "details" | "about" | "specified" | "of"
        ) {
            continue;
        }
        words.push(lower);
    }
    let id = words.join(" ").to_snake_case();
    if id.is_empty() {
        "operation".to_owned()
    } else {
        id
    }
}

/// The service of a path: its `dcaas`, `vpc` or `vpn*` segment.
fn service_of(path: &str) -> String {
    for segment in path.split('/') {
        match segment {
            "dcaas" => return "dcaas".to_owned(),
            "vpc" => return "vpc".to_owned(),
            s if s.starts_with("vpn") => return "vpn".to_owned(),
            _ => {}
        }
    }
    "unknown".to_owned()
}

/// A type name from a caption: a caption that is one name (`PolicyRule`), or the names in
/// it ("Description of the **vpc_info** field" → `VpcInfo`).
fn caption_name(caption: &str) -> Option<String> {
    let caption = caption.trim();
    if super::is_identifier(caption)
        && caption
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase())
        && !caption.contains(['-', '.', ':', '['])
    {
        return Some(caption.to_upper_camel_case());
    }
    const COMMON: &[&str] = &[
        "description",
        "of",
        "the",
        "field",
        "fields",
        "objects",
        "object",
        "parameters",
        "parameter",
        "request",
        "response",
        "body",
        "in",
        "a",
        "query",
        "header",
        "path",
        "returned",
        "for",
        "and",
        "list",
        "details",
        "data",
        "structure",
        "when",
        "is",
    ];
    let words: Vec<&str> = caption
        .split_whitespace()
        .filter(|w| super::is_identifier(w) && !COMMON.contains(&w.to_ascii_lowercase().as_str()))
        .collect();
    (!words.is_empty()).then(|| words.join("_").to_upper_camel_case())
}

fn header(page: &Page, plan: &Plan, doc: &mut Doc) {
    doc.push(0, "operation:");
    let id = doc.scalar(2, "id", &plan.id);
    doc.todo(id, "the id is derived from the page title; use the project's name for this operation (it is also the file name)");
    doc.scalar(2, "title", page.title.as_deref().unwrap_or(""));
    let service = doc.scalar(2, "service", &plan.service);
    if plan.service == "unknown" {
        doc.todo(
            service,
            "the path names no known service; say which (dcaas, vpc or vpn)",
        );
    }
    let method = doc.scalar(2, "method", page.method.as_deref().unwrap_or("GET"));
    if page.method.is_none() {
        doc.todo(method, "the page's URI section names no method");
    }
    let path = doc.scalar(2, "path", page.path.as_deref().unwrap_or("/"));
    if page.path.is_none() {
        doc.todo(path, "the page's URI section names no path");
    }
    doc.push(2, "source:");
    doc.scalar(4, "page", &page.name);
    if let Some(function) = &page.function {
        doc.scalar(2, "description", function);
    }
}

fn parameters(page: &Page, plan: &Plan, doc: &mut Doc) {
    let path = page.path.as_deref().unwrap_or("");
    let mut first = true;
    for (index, table) in page.tables.iter().enumerate() {
        if !plan.parameters.contains(&index) {
            continue;
        }
        if first {
            doc.push(0, "");
            doc.push(0, "parameters:");
            first = false;
        }
        let caption = table.caption.to_ascii_lowercase();
        for row in &table.rows {
            let location = if caption.contains("header") {
                "header"
            } else if path.contains(&format!("{{{}}}", row.name)) {
                "path"
            } else {
                "query"
            };
            let item = doc.push(2, format!("- name: {}", yaml_scalar(&row.name)));
            doc.push(4, format!("in: {location}"));
            doc.push(4, format!("table: {}", table.number.unwrap_or_default()));
            let (ty, todo) = scalar_type(&PageType::parse(&row.ty), &row.ty);
            doc.push(4, format!("type: {ty}"));
            if let Some(todo) = todo {
                doc.todo(item, todo);
            }
            if row.mandatory == Some(true) || location == "path" {
                doc.push(4, "required: true");
            }
            if row.name.eq_ignore_ascii_case("X-Auth-Token") {
                doc.push(4, "sensitive: true");
            }
            field_tail(row, doc, item);
        }
    }
}

/// A parameter's type: a scalar.
fn scalar_type(ty: &PageType, text: &str) -> (&'static str, Option<String>) {
    match ty {
        PageType::String => ("string", None),
        PageType::Integer => ("integer", None),
        PageType::Number => ("number", None),
        PageType::Boolean => ("boolean", None),
        PageType::Empty => (
            "string",
            Some("the page's Type cell is empty; `string` is a guess".to_owned()),
        ),
        _ => (
            "string",
            Some(format!(
                "the page's type `{text}` is not a parameter type; `string` is a guess"
            )),
        ),
    }
}

/// The description (last, so a field's other keys sit right under its name) and a TODO
/// when it states limits in words.
fn field_tail(row: &super::Row, doc: &mut Doc, item: usize) {
    let limits = limits_in_words(&row.description);
    if !limits.is_empty() {
        doc.todo(
            item,
            format!(
                "the description states limits in words ({}); transcribe them as constraints",
                limits.join(", ")
            ),
        );
    }
    if !row.description.is_empty() {
        doc.scalar(
            4 + item_indent_extra(doc, item),
            "description",
            &row.description,
        );
    }
}

/// Fields sit deeper than parameters: the extra indentation of the item at `item`.
fn item_indent_extra(doc: &Doc, item: usize) -> usize {
    let line = &doc.lines[item];
    (line.len() - line.trim_start().len()).saturating_sub(2)
}

/// Phrases that state a limit: lengths, ranges, counts, fixed values, value lists,
/// defaults, formats.
fn limits_in_words(description: &str) -> Vec<&'static str> {
    const PHRASES: &[&str] = &[
        "characters",
        "ranges from",
        "value range",
        "minimum",
        "maximum",
        "a maximum of",
        "at least",
        "up to",
        "no more than",
        "can only be",
        "must be",
        "cannot",
        "the value can be",
        "enumeration values",
        "possible values",
        "default",
        "uuid",
        "cidr",
        "format",
        "unique",
    ];
    let lower = description.to_ascii_lowercase();
    // Whole words only: "format" is not in "information".
    let has = |phrase: &str| {
        lower.match_indices(phrase).any(|(at, _)| {
            let before = lower[..at].chars().next_back();
            let after = lower[at + phrase.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_alphanumeric())
                && !after.is_some_and(|c| c.is_ascii_alphanumeric())
        })
    };
    let mut found: Vec<&'static str> = PHRASES.iter().copied().filter(|p| has(p)).collect();
    // "a maximum of" says more than "maximum", "ranges from" more than "value range".
    if found.contains(&"a maximum of") {
        found.retain(|p| *p != "maximum");
    }
    if found.contains(&"ranges from") {
        found.retain(|p| *p != "value range");
    }
    found
}

fn bodies(page: &Page, plan: &Plan, doc: &mut Doc) {
    for direction in [Direction::Request, Direction::Response] {
        let key = match direction {
            Direction::Request => "request",
            Direction::Response => "response",
        };
        let body = plan.body(direction).cloned();
        if direction == Direction::Request && body.is_none() {
            continue;
        }
        doc.push(0, "");
        doc.push(0, format!("{key}:"));
        if direction == Direction::Request {
            doc.scalar(2, "body", body.as_deref().unwrap_or_default());
        } else {
            statuses(page, body.as_deref(), doc);
        }
        if body.is_none() {
            continue;
        }
        doc.push(2, "types:");
        for (index, table) in page.tables.iter().enumerate() {
            if plan.directions.get(&index) != Some(&direction) {
                continue;
            }
            body_type(page, plan, direction, index, table, doc);
        }
    }
}

fn statuses(page: &Page, body: Option<&str>, doc: &mut Doc) {
    doc.push(2, "statuses:");
    let mut codes = page.statuses.clone();
    let guessed = codes.is_empty();
    if guessed {
        codes.push(match page.method.as_deref() {
            Some("POST") => 201,
            Some("DELETE") => 204,
            _ => 200,
        });
    }
    let mut body_given = false;
    for code in codes {
        let item = doc.push(4, format!("- status: {code}"));
        if guessed {
            doc.todo(item, "the page names no status; this one is a guess");
        }
        if (200..300).contains(&code) && !body_given {
            if let Some(body) = body {
                doc.push(6, format!("body: {}", yaml_scalar(body)));
                body_given = true;
            }
        }
    }
}

fn body_type(
    page: &Page,
    plan: &Plan,
    direction: Direction,
    index: usize,
    table: &Table,
    doc: &mut Doc,
) {
    let name = plan.names.get(&index).cloned().unwrap_or_default();
    let number = table.number.unwrap_or_default();
    let item = doc.push(4, format!("- name: {}", yaml_scalar(&name)));
    // One bare `Object` row among scalar rows is most likely the wrapper of the others.
    let objects: Vec<&str> = table
        .rows
        .iter()
        .filter(|r| PageType::parse(&r.ty) == PageType::Object(None))
        .map(|r| r.name.as_str())
        .collect();
    if let [wrapper] = objects[..] {
        if table.rows.len() > 2 {
            doc.todo(
                item,
                format!(
                    "the table lists `{wrapper}` (Object) beside other rows: if they are its fields, write two types with table {number} and an erratum"
                ),
            );
        }
    }
    doc.push(6, format!("table: {number}"));
    if !table.caption.is_empty() && table.caption != name {
        doc.scalar(6, "title", &table.caption);
    }
    if table.rows.is_empty() {
        return;
    }
    doc.push(6, "fields:");
    for row in &table.rows {
        let item = doc.push(8, format!("- name: {}", yaml_scalar(&row.name)));
        let (ty, todo) = field_type(page, plan, direction, row);
        doc.push(10, format!("type: {}", yaml_scalar(&ty)));
        if let Some(todo) = todo {
            doc.todo(item, todo);
        }
        if direction == Direction::Request && row.mandatory == Some(true) {
            doc.push(10, "required: true");
        }
        field_tail(row, doc, item);
    }
}

/// A field's type expression, and a TODO when the draft had to guess.
fn field_type(
    page: &Page,
    plan: &Plan,
    direction: Direction,
    row: &super::Row,
) -> (String, Option<String>) {
    let ty = PageType::parse(&row.ty);
    if ty == PageType::Empty {
        if let Some(name) = plan.resolve(page, direction, &row.name, None) {
            return (
                name,
                Some(
                    "the page's Type cell is empty; the type is the table named after the row"
                        .to_owned(),
                ),
            );
        }
        // A wrapper table's one row is the object of the table after it.
        if let Some(index) = page
            .tables
            .iter()
            .position(|t| t.rows.len() == 1 && t.rows[0] == *row)
        {
            let next = plan
                .directions
                .range(index + 1..)
                .find(|(_, d)| **d == direction);
            if let Some(name) = next.and_then(|(i, _)| plan.names.get(i)) {
                return (
                    name.clone(),
                    Some("the page's Type cell is empty; the type is the next table's".to_owned()),
                );
            }
        }
        return (
            "string".to_owned(),
            Some("the page's Type cell is empty; `string` is a guess".to_owned()),
        );
    }
    type_expr(page, plan, direction, &ty, row, &row.ty)
}

fn type_expr(
    page: &Page,
    plan: &Plan,
    direction: Direction,
    ty: &PageType,
    row: &super::Row,
    text: &str,
) -> (String, Option<String>) {
    match ty {
        PageType::String => ("string".to_owned(), None),
        PageType::Integer => ("integer".to_owned(), None),
        PageType::Number => ("number".to_owned(), None),
        PageType::Boolean => ("boolean".to_owned(), None),
        PageType::Object(name) => {
            let wanted = name.clone().unwrap_or_else(|| row.name.clone());
            match plan.resolve(page, direction, &wanted, row.ty_target.as_deref()) {
                Some(found) => (found, None),
                None if name.is_none() => ("object".to_owned(), None),
                None => (
                    "object".to_owned(),
                    Some(format!(
                        "no table of this page is `{wanted}`; `object` accepts any object"
                    )),
                ),
            }
        }
        PageType::Array(Some(inner)) => {
            let (inner, todo) = type_expr(page, plan, direction, inner, row, text);
            (format!("array<{inner}>"), todo)
        }
        PageType::Array(None) => (
            "array<string>".to_owned(),
            Some(format!(
                "the page's type `{text}` names no element type; `string` is a guess"
            )),
        ),
        PageType::Map(Some(inner)) => {
            let (inner, todo) = type_expr(page, plan, direction, inner, row, text);
            (format!("map<{inner}>"), todo)
        }
        PageType::Map(None) => (
            "map<string>".to_owned(),
            Some(format!(
                "the page's type `{text}` names no value type; `string` is a guess"
            )),
        ),
        PageType::Empty | PageType::Unknown(_) => (
            "string".to_owned(),
            Some(format!(
                "the page's type `{text}` is not one the format knows; `string` is a guess"
            )),
        ),
    }
}

fn examples(page: &Page, doc: &mut Doc) {
    if page.examples.is_empty() {
        return;
    }
    doc.push(0, "");
    doc.push(0, "examples:");
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let first_success = page
        .statuses
        .iter()
        .copied()
        .find(|c| (200..300).contains(c));
    for example in &page.examples {
        let direction = example.direction.unwrap_or(Direction::Request);
        let key = match direction {
            Direction::Request => "request",
            Direction::Response => "response",
        };
        let count = counts.entry(key).or_default();
        *count += 1;
        let item = doc.push(2, format!("- name: {key}_{count}"));
        if let Some(caption) = &example.caption {
            doc.scalar(4, "title", caption);
        }
        doc.push(4, format!("direction: {key}"));
        if example.direction.is_none() {
            doc.todo(
                item,
                "the page does not say whether this is a request or a response",
            );
        }
        if direction == Direction::Response {
            let status = example
                .status
                .or(first_success)
                .unwrap_or(match page.method.as_deref() {
                    Some("POST") => 201,
                    _ => 200,
                });
            doc.push(4, format!("status: {status}"));
        }
        if let Some(line) = &example.request_line {
            doc.push(
                4,
                format!("# The page's request line `{line}` is left out: only the body is JSON."),
            );
        }
        // A body that is not JSON gets its TODO from `check`, which says where it breaks.
        doc.scalar(4, "body", &format!("{}\n", example.body));
    }
}

/// A scalar as plain YAML when that reads back as the same string, else double-quoted.
fn yaml_scalar(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '_' || c == '(')
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " _.,()/{}<>-'".contains(c))
        && !value.ends_with([' ', ':'])
        && !value.contains(": ")
        && !matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "null" | "on" | "off" | "y" | "n"
        );
    if plain {
        value.to_owned()
    } else {
        json_string(value)
    }
}

/// A double-quoted scalar: JSON's string escapes are valid YAML.
fn json_string(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "\"\"".to_owned())
}

/// The name a page goes by in `source.page`: its path after a `pages/` or `seeds/`
/// folder, or its file name.
pub fn page_name(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    for folder in ["/pages/", "/seeds/"] {
        if let Some(at) = text.rfind(folder) {
            return text[at + folder.len()..].to_owned();
        }
    }
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_titles_captions_and_paths() {
        assert_eq!(
            operation_id("Creating a VPN Connection"),
            "create_vpn_connection"
        );
        assert_eq!(
            operation_id("Querying Details About an IKE Policy"),
            "show_ike_policy"
        );
        assert_eq!(caption_name("PolicyRule").as_deref(), Some("PolicyRule"));
        assert_eq!(
            caption_name("Description of the vpc_info field").as_deref(),
            Some("VpcInfo")
        );
        assert_eq!(caption_name("dpd parameters").as_deref(), Some("Dpd"));
        assert_eq!(caption_name("Request parameters"), None);
        assert_eq!(service_of("/v5/{project_id}/vpn-connection"), "vpn");
        assert_eq!(service_of("/v3/{project_id}/dcaas/vif-peers"), "dcaas");
        assert_eq!(
            page_name(Path::new("../shared/pages/vpn/x.rst")),
            "vpn/x.rst"
        );
        assert_eq!(page_name(Path::new("x/004.txt")), "004.txt");
    }

    #[test]
    fn scalars_read_back_as_written() {
        assert_eq!(yaml_scalar("Specifies the ID."), "Specifies the ID.");
        assert_eq!(yaml_scalar("yes"), "\"yes\"");
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar("#x"), "\"#x\"");
        assert_eq!(yaml_scalar("/v1/{project_id}/x"), "/v1/{project_id}/x");
    }
}
