//! Reading API reference pages: the ground truth the specs transcribe.
//!
//! A page comes in one of two renderings: reStructuredText (grid and simple tables under
//! `.. table::` directives, notes, literal blocks), read by `rst`, or HTML flattened to
//! text (one cell per line, a `Table N caption` line, a header row), read by `flat`. Both
//! yield the same [`Page`]: the method and path, every table with its rows, and every
//! example block with the headings above it. [`audit`](audit::audit) compares pages with
//! specs; [`draft`](draft::draft) writes a spec skeleton from a page.
//!
//! **Invariant:** reading never panics and never loops without consuming a line: whatever
//! the reader cannot make sense of becomes a [`Problem`] with the page's line number.

pub mod audit;
pub mod draft;
mod flat;
mod rst;

use std::path::{Path, PathBuf};

pub use audit::{Finding, FindingKind, Report, audit};
pub use draft::draft;

/// Pages above this size are refused: the largest real page is about 100 KiB.
pub const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// One API reference page, as the reader understood it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// The name the page was read under (its path relative to its page folder).
    pub name: String,
    /// Which rendering the text is in.
    pub rendering: Rendering,
    /// The page title, if the reader found one.
    pub title: Option<String>,
    /// The text of the "Function" section, paragraphs joined by newlines.
    pub function: Option<String>,
    /// The HTTP method of the "URI" section.
    pub method: Option<String>,
    /// The path template of the "URI" section.
    pub path: Option<String>,
    /// Every table, in page order (numbered tables and unnumbered ones such as status codes).
    pub tables: Vec<Table>,
    /// Every literal block that holds a JSON body, in page order.
    pub examples: Vec<Example>,
    /// Notes (`.. note::` blocks and "Note" paragraphs), in page order.
    pub notes: Vec<Note>,
    /// Status codes the page names ("Status code: 201", a status-code table).
    pub statuses: Vec<u16>,
    /// What the reader could not read.
    pub problems: Vec<Problem>,
}

impl Page {
    /// The table numbered `number`, if the page has one.
    pub fn table(&self, number: u32) -> Option<&Table> {
        self.tables.iter().find(|t| t.number == Some(number))
    }
}

/// The two renderings pages come in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Rendering {
    /// reStructuredText source (seeds 000 and 001, every page under `pages/`).
    #[default]
    Rst,
    /// HTML flattened to text, one cell per line (seeds 002, 003 and 004).
    Flat,
}

/// The part of the page a table sits in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Section {
    /// Before any request or response heading (the "URI" section: path parameters).
    #[default]
    Uri,
    /// Under a request heading.
    Request,
    /// Under a response heading.
    Response,
}

/// What a column of a table holds, from its header cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Column {
    /// "Parameter", "Attribute", "Name": the row's name.
    Name,
    /// "Mandatory": Yes or No.
    Mandatory,
    /// "Type".
    Type,
    /// "Description".
    Description,
    /// Any other header, as printed.
    Other(String),
}

impl Column {
    fn from_header(text: &str) -> Column {
        match text
            .trim()
            .trim_end_matches('|')
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "parameter" | "parameters" | "attribute" | "name" | "field" => Column::Name,
            "mandatory" | "required" => Column::Mandatory,
            "type" => Column::Type,
            "description" => Column::Description,
            other => Column::Other(other.to_owned()),
        }
    }
}

/// One table of a page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// The number of its caption (`Table 3`); `None` for tables without one.
    pub number: Option<u32>,
    /// Whether the number was inferred rather than printed (a flattened table whose
    /// caption was lost takes the number before the next captioned table).
    pub number_inferred: bool,
    /// The caption after the number, markup removed.
    pub caption: String,
    /// The RST label just above the table (what `:ref:` type cells point to).
    pub anchor: Option<String>,
    /// The line of the caption (or of the table's first line).
    pub line: usize,
    /// The section the table sits in.
    pub section: Section,
    /// The columns, from the header row.
    pub columns: Vec<Column>,
    /// The rows below the header.
    pub rows: Vec<Row>,
}

impl Table {
    /// Whether the table has a column of this kind.
    pub fn has(&self, column: &Column) -> bool {
        self.columns.contains(column)
    }
}

/// One row of a table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// The parameter name, as printed.
    pub name: String,
    /// The Type cell, markup removed (`String`, `Array of PolicyRule objects`).
    pub ty: String,
    /// The label a `:ref:` in the Type cell points to.
    pub ty_target: Option<String>,
    /// The Mandatory cell: `Some(true)` for Yes, `Some(false)` for No, `None` when the
    /// table has no such column or the cell says something else.
    pub mandatory: Option<bool>,
    /// The Description cell: paragraphs and bullet items one per line, bullets as `- `,
    /// nested items indented by two spaces.
    pub description: String,
    /// The row's first line on the page.
    pub line: usize,
}

/// A literal block of the page holding a JSON body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Example {
    /// The line where the block's text starts.
    pub line: usize,
    /// Whether it is a request or a response example, from the nearest "Example request"
    /// or "Example response" heading above it (or the section it sits in).
    pub direction: Option<crate::spec::Direction>,
    /// The nearest heading or list item above the block that says what it shows.
    pub caption: Option<String>,
    /// The status code named above a response example.
    pub status: Option<u16>,
    /// A request line (`POST https://...`) that preceded the body in the block.
    pub request_line: Option<String>,
    /// The body as printed (dedented), without the request line.
    pub body: String,
}

impl Example {
    /// The body as JSON, or why it is not JSON.
    pub fn json(&self) -> Result<serde_json::Value, String> {
        serde_json::from_str(&self.body).map_err(|e| e.to_string())
    }
}

/// A note of the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Note {
    /// The note's first line.
    pub line: usize,
    /// Its text, paragraphs one per line.
    pub text: String,
}

/// Something the reader could not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The page line it concerns.
    pub line: usize,
    /// What went wrong.
    pub message: String,
}

/// Reads a page in whichever rendering it is in. `name` is what the page is called in
/// reports (its path relative to its page folder). Never panics; what cannot be read is
/// in [`Page::problems`].
pub fn read(text: &str, name: &str) -> Page {
    let mut page = if is_rst(text, name) {
        rst::read(text)
    } else {
        flat::read(text)
    };
    page.name = name.to_owned();
    page.statuses.sort_unstable();
    page.statuses.dedup();
    // Every numbered table must name its rows and their types: the audit and the draft
    // depend on both columns.
    let mut problems = Vec::new();
    for table in &page.tables {
        if let Some(number) = table.number {
            if !table.has(&Column::Name) || !table.has(&Column::Type) {
                problems.push(Problem {
                    line: table.line,
                    message: format!("Table {number} has no Parameter or no Type column"),
                });
            }
            if table.rows.is_empty() {
                problems.push(Problem {
                    line: table.line,
                    message: format!("Table {number} has no rows"),
                });
            }
        }
    }
    page.problems.extend(problems);
    page.problems.sort_by_key(|p| p.line);
    page
}

/// Reads the page file at `path`, named `name`. A file that cannot be read, is too large
/// or is not UTF-8 is an error.
pub fn read_file(path: &Path, name: &str) -> Result<Page, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(format!(
            "{} is larger than {} MiB",
            path.display(),
            MAX_PAGE_BYTES >> 20
        ));
    }
    let text =
        String::from_utf8(bytes).map_err(|e| format!("{} is not UTF-8: {e}", path.display()))?;
    Ok(read(&text, name))
}

/// Finds the page `name` (a path relative to a page folder, as `source.page` holds it) in
/// the first of `folders` that has it.
pub fn find_page(folders: &[PathBuf], name: &str) -> Option<PathBuf> {
    // A name that climbs out of its folder is no page of that folder.
    let relative = Path::new(name);
    if name.is_empty()
        || relative.is_absolute()
        || relative
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return None;
    }
    folders
        .iter()
        .map(|folder| folder.join(relative))
        .find(|path| path.is_file())
}

/// Whether the text is reStructuredText: its name says so, or it has RST directives or
/// section underlines.
fn is_rst(text: &str, name: &str) -> bool {
    if name.ends_with(".rst") {
        return true;
    }
    let lines: Vec<&str> = text.lines().take(400).collect();
    lines.iter().any(|l| {
        let t = l.trim_start();
        t.starts_with(".. table::")
            || t.starts_with(".. code-block::")
            || t.starts_with(":original_name:")
    }) || lines.windows(2).any(|w| {
        !w[0].trim().is_empty()
            && !w[0].starts_with(' ')
            && is_underline(w[1])
            && w[1].chars().count() >= w[0].trim().chars().count()
    })
}

/// A section underline: one punctuation character repeated, at least three times.
fn is_underline(line: &str) -> bool {
    let t = line.trim_end();
    let mut chars = t.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    "=-~^\"'`#*+".contains(first) && t.chars().count() >= 3 && t.chars().all(|c| c == first)
}

/// The type a Type cell names, normalized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageType {
    /// `String`.
    String,
    /// `Integer`, `Long`, `Int`.
    Integer,
    /// `Float`, `Double`, `Number`.
    Number,
    /// `Boolean`.
    Boolean,
    /// `Object`, or `X object` with the name it gives.
    Object(Option<String>),
    /// `Array of X`, `List<X>`, `X[]`; `None` for a bare `List` or `Array`.
    Array(Option<Box<PageType>>),
    /// `Map<String,X>`; `None` for a bare `Map`.
    Map(Option<Box<PageType>>),
    /// An empty cell.
    Empty,
    /// Anything else, as printed.
    Unknown(String),
}

impl PageType {
    /// Reads a Type cell.
    pub fn parse(text: &str) -> PageType {
        Self::parse_depth(text, 0)
    }

    fn parse_depth(text: &str, depth: usize) -> PageType {
        let t = text.trim().trim_end_matches('.').trim();
        if t.is_empty() {
            return PageType::Empty;
        }
        if depth > 8 {
            return PageType::Unknown(t.to_owned());
        }
        let lower = t.to_ascii_lowercase();
        match lower.as_str() {
            "string" | "strings" | "str" | "char" => return PageType::String,
            "integer" | "integers" | "int" | "long" | "int32" | "int64" | "short" => {
                return PageType::Integer;
            }
            "float" | "double" | "number" | "decimal" | "bigdecimal" => return PageType::Number,
            "boolean" | "booleans" | "bool" => return PageType::Boolean,
            "object" | "objects" | "json" | "dict" => return PageType::Object(None),
            "array" | "list" => return PageType::Array(None),
            "map" => return PageType::Map(None),
            _ => {}
        }
        for prefix in ["array of ", "list of "] {
            if lower.starts_with(prefix) {
                let inner = &t[prefix.len()..];
                return PageType::Array(Some(Box::new(Self::parse_depth(inner, depth + 1))));
            }
        }
        for head in ["list<", "array<", "set<"] {
            if lower.starts_with(head) && lower.ends_with('>') {
                let inner = &t[head.len()..t.len() - 1];
                return PageType::Array(Some(Box::new(Self::parse_depth(inner, depth + 1))));
            }
        }
        if lower.starts_with("map<") && lower.ends_with('>') {
            let inner = &t[4..t.len() - 1];
            let value = inner.rsplit(',').next().unwrap_or(inner);
            return PageType::Map(Some(Box::new(Self::parse_depth(value, depth + 1))));
        }
        if let Some(inner) = t.strip_suffix("[]") {
            return PageType::Array(Some(Box::new(Self::parse_depth(inner, depth + 1))));
        }
        for suffix in [" objects", " object", " Objects", " Object"] {
            if let Some(name) = t.strip_suffix(suffix) {
                let name = name.trim();
                if is_identifier(name) {
                    return PageType::Object(Some(name.to_owned()));
                }
            }
        }
        PageType::Unknown(t.to_owned())
    }
}

/// Whether a Type cell reads as a type: the flattened reader uses it to tell cells apart.
fn is_type_like(text: &str) -> bool {
    !matches!(
        PageType::parse(text),
        PageType::Empty | PageType::Unknown(_)
    )
}

/// Whether `text` could be a parameter or type name: letters, digits, `_`, `-`, `.`, `[]`.
fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && text.len() <= 80
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']' | ':'))
}

/// Leading spaces of a line, in characters.
fn indent_of(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ').count()
}

/// A list-item marker at the start of `text` (after indentation): its length in
/// characters, or `None`.
fn bullet_len(text: &str) -> Option<usize> {
    for marker in ["- ", "* ", "• ", "+ ", "#. "] {
        if text.starts_with(marker) {
            return Some(marker.chars().count());
        }
    }
    let digits = text.chars().take_while(|c| c.is_ascii_digit()).count();
    if (1..=3).contains(&digits) {
        let rest = &text[digits..];
        if rest.starts_with(". ") || rest.starts_with(") ") {
            return Some(digits + 2);
        }
    }
    None
}

/// Removes RST inline markup: roles (`:ref:`Text <target>`` → `Text`), literals, strong
/// and emphasis, and backslash escapes.
fn clean_inline(text: &str) -> String {
    // Escapes first, to private-use placeholders, so escaped markup survives stripping.
    let mut escaped = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                // An escaped space separates markup from text and is itself nothing.
                Some(' ') => escaped.push('\u{E004}'),
                None => {}
                Some('*') => escaped.push('\u{E001}'),
                Some('`') => escaped.push('\u{E002}'),
                Some('_') => escaped.push('\u{E003}'),
                Some(other) => escaped.push(other),
            }
        } else {
            escaped.push(c);
        }
    }
    let roles = strip_roles(&escaped);
    let literals = roles.replace("``", "");
    let strong = literals.replace("**", "");
    let emphasis = strip_emphasis(&strong);
    emphasis
        .replace('\u{E001}', "*")
        .replace('\u{E002}', "`")
        .replace('\u{E003}', "_")
        .replace('\u{E004}', "")
}

/// `:role:`Text <target>`` → `Text`; `:role:`text`` → `text`.
fn strip_roles(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = find_role(rest) {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        // `after` is `:name:`...`; the content runs to the next backquote.
        let open = after.find('`').unwrap_or(after.len());
        let content_start = (open + 1).min(after.len());
        let Some(len) = after[content_start..].find('`') else {
            out.push_str(after);
            return out;
        };
        let content = &after[content_start..content_start + len];
        let shown = match content.rfind('<') {
            Some(lt) if content.ends_with('>') && lt > 0 => content[..lt].trim_end(),
            Some(lt) if content.ends_with('>') => &content[lt + 1..content.len() - 1],
            _ => content,
        };
        out.push_str(shown);
        rest = &after[content_start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// The byte offset of the next `:name:`` role in `text`.
fn find_role(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':' {
            let mut j = i + 1;
            while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-') {
                j += 1;
            }
            if j > i + 1 && j + 1 < bytes.len() && bytes[j] == b':' && bytes[j + 1] == b'`' {
                return Some(i);
            }
        }
        i += 1;
    }
    None
}

/// The `:ref:` target in a cell (`:ref:`Name <target>``), if any.
fn ref_target(text: &str) -> Option<String> {
    let start = text.find(":ref:`")?;
    let rest = &text[start + 6..];
    let end = rest.find('`')?;
    let content = &rest[..end];
    let lt = content.rfind('<')?;
    let target = content[lt + 1..].strip_suffix('>')?;
    Some(target.trim().to_owned())
}

/// Removes single-star emphasis around words, keeping stars that are not markup
/// (`vpn-****`, `a * b`).
fn strip_emphasis(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == '*' {
            let prev = if i == 0 {
                None
            } else {
                chars.get(i - 1).copied()
            };
            let next = chars.get(i + 1).copied();
            let boundary = |c: Option<char>| {
                c.is_none_or(|c| c.is_whitespace() || "(\"'<[\u{E004}".contains(c))
            };
            let end_boundary = |c: Option<char>| {
                c.is_none_or(|c| c.is_whitespace() || ".,;:)\"'>]\u{E004}".contains(c))
            };
            let opens = boundary(prev) && next.is_some_and(|n| !n.is_whitespace() && n != '*');
            let closes = prev.is_some_and(|p| !p.is_whitespace() && p != '*') && end_boundary(next);
            if opens || closes {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Joins the lines of a cell or block into text: paragraphs and list items one per line,
/// list items as `- ` (numbered ones keep their number), nested items indented by two
/// spaces, wrapped lines joined with a space.
fn join_lines<S: AsRef<str>>(lines: &[S]) -> String {
    let base = lines
        .iter()
        .map(|l| l.as_ref())
        .filter(|l| !l.trim().is_empty())
        .map(indent_of)
        .min()
        .unwrap_or(0);
    let mut out: Vec<String> = Vec::new();
    // Indentation of the text of the current item, and whether a blank line ended it.
    let mut open: Option<usize> = None;
    let mut bullets: Vec<usize> = Vec::new();
    for line in lines {
        let line = line.as_ref();
        if line.trim().is_empty() {
            open = None;
            continue;
        }
        let indent = indent_of(line).saturating_sub(base);
        let text = line.trim();
        if let Some(len) = bullet_len(text) {
            while bullets.last().is_some_and(|&b| b > indent) {
                bullets.pop();
            }
            let level = bullets.len();
            bullets.push(indent + 1);
            let marker = &text[..text.char_indices().nth(len).map_or(text.len(), |(b, _)| b)];
            let rest = text[marker.len()..].trim();
            let marker = if marker.starts_with(['-', '*', '•', '+']) {
                "- ".to_owned()
            } else {
                format!("{} ", marker.trim())
            };
            out.push(format!("{}{marker}{rest}", "  ".repeat(level)));
            open = Some(indent + len);
            continue;
        }
        match open {
            Some(_) if !out.is_empty() => {
                let last = out.last_mut().expect("checked non-empty");
                last.push(' ');
                last.push_str(text);
            }
            _ => {
                while bullets.last().is_some_and(|&b| b > indent) {
                    bullets.pop();
                }
                let level = if indent > 0 { bullets.len() } else { 0 };
                if indent == 0 {
                    bullets.clear();
                }
                out.push(format!("{}{text}", "  ".repeat(level)));
                open = Some(indent);
            }
        }
    }
    out.join("\n")
}

/// `(GET|POST|...) <path>` at the start of a line: the method and the target.
fn request_line(text: &str) -> Option<(String, String)> {
    let t = text.trim();
    let (method, rest) = t.split_once(' ')?;
    if !matches!(method, "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD") {
        return None;
    }
    let target = rest.split_whitespace().next()?;
    if !(target.starts_with('/') || target.starts_with("http")) {
        return None;
    }
    Some((method.to_owned(), target.to_owned()))
}

/// A status code named in a line: "Status code: 201", "Returned status code 201".
fn status_in(text: &str) -> Option<u16> {
    let lower = text.to_ascii_lowercase();
    let at = lower.find("status code")?;
    let rest = &lower[at + "status code".len()..];
    let digits: String = rest
        .trim_start_matches([':', ' ', '*'])
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    match digits.parse::<u16>() {
        Ok(code) if (100..600).contains(&code) && digits.len() == 3 => Some(code),
        _ => None,
    }
}

/// Which example heading a line is: "Example request(s)" or "Example response(s)".
fn example_heading(text: &str) -> Option<crate::spec::Direction> {
    let lower = text.to_ascii_lowercase();
    let at = lower.find("example")?;
    let rest = lower[at + "example".len()..].trim_start();
    if rest.starts_with("request") {
        Some(crate::spec::Direction::Request)
    } else if rest.starts_with("response") {
        Some(crate::spec::Direction::Response)
    } else {
        None
    }
}

/// What follows the method and target of a request line, trimmed at the start (the target
/// itself may hold braces: `https://{endpoint}/v1`).
fn after_target(line: &str) -> &str {
    let t = line.trim_start();
    let Some((_, rest)) = t.split_once(' ') else {
        return "";
    };
    let rest = rest.trim_start();
    match rest.find(char::is_whitespace) {
        Some(end) => rest[end..].trim_start(),
        None => "",
    }
}

/// Splits a block's text into an optional request line and the body after it.
fn split_request_line(text: &str) -> (Option<String>, String) {
    let trimmed = text.trim_start();
    let first_line = trimmed.lines().next().unwrap_or("");
    if request_line(first_line).is_some() {
        // A flattened page may print the request line and the body on one line.
        let rest = after_target(first_line);
        if !rest.is_empty() {
            let line = first_line[..first_line.len() - rest.len()]
                .trim()
                .to_owned();
            let body = trimmed[first_line.len() - rest.len()..].trim().to_owned();
            return (Some(line), body);
        }
        let body = trimmed[first_line.len()..].trim_matches('\n').to_owned();
        return (Some(first_line.trim().to_owned()), dedent(&body));
    }
    (None, text.trim_matches('\n').to_owned())
}

/// Removes the indentation all non-blank lines share, and trailing blank lines.
fn dedent(text: &str) -> String {
    let base = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(indent_of)
        .min()
        .unwrap_or(0);
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            l.chars()
                .skip(base.min(indent_of(l)))
                .collect::<String>()
                .trim_end()
                .to_owned()
        })
        .collect();
    let mut out = lines.join("\n");
    while out.ends_with('\n') {
        out.pop();
    }
    out.trim_start_matches('\n').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_cells_are_normalized() {
        assert_eq!(PageType::parse("String"), PageType::String);
        assert_eq!(PageType::parse("Long"), PageType::Integer);
        assert_eq!(
            PageType::parse("Array of String"),
            PageType::Array(Some(Box::new(PageType::String)))
        );
        assert_eq!(
            PageType::parse("Array of vpn_connection objects"),
            PageType::Array(Some(Box::new(PageType::Object(Some(
                "vpn_connection".into()
            )))))
        );
        assert_eq!(
            PageType::parse("Map<String,String>"),
            PageType::Map(Some(Box::new(PageType::String)))
        );
        assert_eq!(
            PageType::parse("List<String>"),
            PageType::Array(Some(Box::new(PageType::String)))
        );
        assert_eq!(
            PageType::parse("peering object"),
            PageType::Object(Some("peering".into()))
        );
        assert_eq!(PageType::parse(""), PageType::Empty);
        assert!(matches!(
            PageType::parse("Specifies the ID."),
            PageType::Unknown(_)
        ));
    }

    #[test]
    fn inline_markup_is_removed() {
        assert_eq!(
            clean_inline(":ref:`CreateVifPeer <anchor_x>` object"),
            "CreateVifPeer object"
        );
        assert_eq!(
            clean_inline("The value can be **static** or *bgp*."),
            "The value can be static or bgp."
        );
        assert_eq!(clean_inline("vpn-\\*\\*\\*\\* and ``x``"), "vpn-**** and x");
        assert_eq!(clean_inline("**169.254.195.**\\ *xxx*"), "169.254.195.xxx");
        assert_eq!(ref_target(":ref:`A <b_c>` object").as_deref(), Some("b_c"));
    }

    #[test]
    fn cell_lines_keep_lists() {
        let lines = [
            "The key",
            "",
            "-  Can contain 6 to 128 characters.",
            "-  Can contain only:",
            "",
            "   -  Digits",
            "   -  Uppercase",
            "      letters",
            "",
            "Last paragraph",
            "wrapped.",
        ];
        assert_eq!(
            join_lines(&lines),
            "The key\n- Can contain 6 to 128 characters.\n- Can contain only:\n  - Digits\n  - Uppercase letters\nLast paragraph wrapped."
        );
    }

    #[test]
    fn statuses_and_request_lines() {
        assert_eq!(status_in("**Status code: 201**"), Some(201));
        assert_eq!(
            status_in("Returned status code 201: successful operation"),
            Some(201)
        );
        assert_eq!(status_in("Status Codes"), None);
        assert_eq!(
            split_request_line("POST https://x/v1 { \"a\": 1 }"),
            (Some("POST https://x/v1".into()), "{ \"a\": 1 }".into())
        );
    }
}
