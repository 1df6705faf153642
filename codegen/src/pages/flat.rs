//! The reader of HTML flattened to text: one cell per line (blank lines between cells or
//! not), a `Table N caption` line (sometimes with the first header cell on it), a header
//! row of `Parameter`/`Attribute`, `Mandatory`, `Type` and `Description` in any order,
//! then the rows. A cell may be empty, so a row is recognised by its shape: a name,
//! then a cell that reads as a type or as Yes/No.

use super::{
    Column, Example, Note, Page, Rendering, Row, Section, Table, after_target, bullet_len,
    example_heading, is_identifier, is_type_like, request_line, split_request_line, status_in,
};
use crate::spec::Direction;

/// A non-blank line: its number, its text trimmed, and whether it was indented.
struct Item<'a> {
    line: usize,
    text: &'a str,
}

/// Headings of the flattened pages, lower case, without a leading list marker.
const HEADINGS: &[&str] = &[
    "function",
    "uri",
    "request",
    "response",
    "request parameters",
    "response parameters",
    "request message",
    "response message",
    "example",
    "examples",
    "example request",
    "example requests",
    "example response",
    "example responses",
    "status code",
    "status codes",
    "error code",
    "error codes",
    "returned values",
    "calling method",
    "note",
    "notes",
    "feedback",
];

const HEADER_WORDS: &[&str] = &[
    "parameter",
    "attribute",
    "name",
    "mandatory",
    "type",
    "description",
];

/// A cell's text: trimmed, without the ` |` a flattened Markdown table leaves.
fn cell(text: &str) -> &str {
    text.trim().trim_end_matches('|').trim()
}

fn heading_of(text: &str) -> Option<String> {
    let t = cell(text);
    let t = t
        .strip_prefix("- ")
        .unwrap_or(t)
        .trim_end_matches(':')
        .trim();
    let lower = t.to_ascii_lowercase();
    HEADINGS.contains(&lower.as_str()).then_some(lower)
}

fn is_header_word(text: &str) -> bool {
    HEADER_WORDS.contains(&cell(text).to_ascii_lowercase().as_str())
}

fn is_yes_no(text: &str) -> bool {
    matches!(cell(text).to_ascii_lowercase().as_str(), "yes" | "no")
}

fn is_separator(text: &str) -> bool {
    let t = text.trim();
    t.contains("---") && t.chars().all(|c| matches!(c, '-' | '|' | ':' | ' '))
}

/// Reads a flattened page.
pub(super) fn read(text: &str) -> Page {
    let lines: Vec<&str> = text.lines().collect();
    let items: Vec<Item<'_>> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| Item {
            line: i + 1,
            text: l.trim(),
        })
        .collect();
    let mut page = Page {
        rendering: Rendering::Flat,
        ..Page::default()
    };
    let mut section = Section::Uri;
    let mut heading = String::new();
    let mut function: Vec<String> = Vec::new();
    let mut caption: Option<String> = None;
    let mut example_dir: Option<Direction> = None;
    let mut status: Option<u16> = None;
    let mut uncaptioned: Vec<usize> = Vec::new();
    let mut k = 0;
    while k < items.len() {
        let item = &items[k];
        let text = item.text;
        if page.title.is_none() {
            if !text.starts_with("Updated on") {
                page.title = Some(text.to_owned());
            }
            k += 1;
            continue;
        }
        if let Some(h) = heading_of(text) {
            if h.contains("response") {
                section = Section::Response;
            } else if h.contains("request") {
                section = Section::Request;
            } else if h == "uri" {
                section = Section::Uri;
            }
            if h.starts_with("example") {
                example_dir = example_heading(&h);
            }
            if h == "note" || h == "notes" {
                let mut note = Vec::new();
                let mut j = k + 1;
                while j < items.len()
                    && heading_of(items[j].text).is_none()
                    && caption_at(&items, j).is_none()
                {
                    note.push(flat_line(items[j].text));
                    j += 1;
                }
                page.notes.push(Note {
                    line: item.line,
                    text: note.join("\n"),
                });
            }
            caption = Some(cell(text).trim_start_matches("- ").to_owned());
            heading = h;
            k += 1;
            continue;
        }
        // A table: a caption line, or a header row without one.
        let captioned = caption_at(&items, k);
        let header_start = match &captioned {
            Some((_, _, inline_header)) => {
                if *inline_header {
                    Some(k)
                } else {
                    Some(k + 1)
                }
            }
            None if is_header_row(&items, k) => Some(k),
            None => None,
        };
        if let Some(start) = header_start {
            let mut columns = Vec::new();
            let mut j = start;
            if let Some((_, _, true)) = captioned {
                // "Table 2 Request parameters Parameter": the first header cell is on the
                // caption line.
                let word = cell(items[k].text).rsplit(' ').next().unwrap_or("");
                columns.push(Column::from_header(word));
                j = k + 1;
            }
            // The header ends at the first cell that is no header word, or that names a
            // column already seen (a row called "name" right after the header).
            while j < items.len() && is_header_word(items[j].text) {
                let column = Column::from_header(items[j].text);
                if columns.contains(&column) {
                    break;
                }
                columns.push(column);
                j += 1;
            }
            while j < items.len() && is_separator(items[j].text) {
                j += 1;
            }
            let (rows, end) = read_rows(&items, j, &columns);
            let (number, table_caption) = match captioned {
                Some((n, c, _)) => (Some(n), c),
                None => {
                    uncaptioned.push(page.tables.len());
                    (None, String::new())
                }
            };
            page.tables.push(Table {
                number,
                number_inferred: false,
                caption: table_caption,
                anchor: None,
                line: item.line,
                section,
                columns,
                rows,
            });
            k = end.max(k + 1);
            continue;
        }
        // An example body: a line that opens JSON, or a request line before one.
        let opens = |t: &str| t.starts_with('{') || t.starts_with('[');
        let after_request = request_line(text).map(|_| after_target(text));
        if opens(text)
            || after_request.is_some_and(|rest| {
                opens(rest) || (rest.is_empty() && items.get(k + 1).is_some_and(|n| opens(n.text)))
            })
        {
            let (block, end_line) = balanced_block(&lines, item.line - 1);
            let body = super::dedent(&block);
            let (request, body) = split_request_line(&body);
            let direction = example_dir.or(match section {
                Section::Request => Some(Direction::Request),
                Section::Response => Some(Direction::Response),
                Section::Uri => None,
            });
            page.examples.push(Example {
                line: item.line,
                direction,
                caption: caption.clone(),
                status: if direction == Some(Direction::Response) {
                    status
                } else {
                    None
                },
                request_line: request,
                body,
            });
            while k < items.len() && items[k].line <= end_line {
                k += 1;
            }
            continue;
        }
        // Any other paragraph.
        if heading == "uri" && page.method.is_none() {
            if let Some((method, path)) = request_line(cell(text)) {
                page.method = Some(method);
                page.path = Some(path);
            }
        }
        if heading == "function" {
            function.push(flat_line(text));
        }
        if let Some(code) = status_in(text) {
            status = Some(code);
            page.statuses.push(code);
        }
        if let Some(direction) = example_heading(text) {
            example_dir = Some(direction);
        }
        let shown = match bullet_len(text) {
            Some(len) => text.chars().skip(len).collect::<String>().trim().to_owned(),
            None => text.to_owned(),
        };
        caption = Some(shown);
        k += 1;
    }
    // A table whose caption was lost takes the number before the next captioned table.
    for index in uncaptioned {
        let next = page.tables[index..].iter().find_map(|t| t.number);
        let guess = match next {
            Some(n) if n > 1 => Some(n - 1),
            None if index == 0 => Some(1),
            _ => None,
        };
        if let Some(n) = guess {
            if page.tables.iter().all(|t| t.number != Some(n)) {
                page.tables[index].number = Some(n);
                page.tables[index].number_inferred = true;
            }
        }
    }
    if !function.is_empty() {
        page.function = Some(function.join("\n"));
    }
    page
}

/// `Table N caption` at item `k`, followed by a header row (or with its first header cell
/// on the same line): the number, the caption and whether the header starts inline.
fn caption_at(items: &[Item<'_>], k: usize) -> Option<(u32, String, bool)> {
    let text = cell(items.get(k)?.text);
    let after = text.strip_prefix("Table ")?;
    let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
    let number = digits.parse::<u32>().ok()?;
    let rest = after[digits.len()..].trim();
    if let Some((caption, last)) = rest.rsplit_once(' ') {
        if matches!(last, "Parameter" | "Attribute" | "Name")
            && items.get(k + 1).is_some_and(|n| is_header_word(n.text))
        {
            return Some((number, caption.trim().to_owned(), true));
        }
    }
    if items.get(k + 1).is_some_and(|n| is_header_word(n.text))
        && items.get(k + 2).is_some_and(|n| is_header_word(n.text))
    {
        return Some((number, rest.to_owned(), false));
    }
    None
}

/// A header row without a caption: a name header and at least two more header cells.
fn is_header_row(items: &[Item<'_>], k: usize) -> bool {
    matches!(
        cell(items[k].text).to_ascii_lowercase().as_str(),
        "parameter" | "attribute"
    ) && items.get(k + 1).is_some_and(|n| is_header_word(n.text))
        && items.get(k + 2).is_some_and(|n| is_header_word(n.text))
}

/// Whether item `k` ends a table: a heading, another table, a list item naming an example
/// or a parameter list, an example body.
fn ends_table(items: &[Item<'_>], k: usize) -> bool {
    let text = items[k].text;
    let t = cell(text);
    heading_of(text).is_some()
        || caption_at(items, k).is_some()
        || is_header_row(items, k)
        || t.starts_with('{')
        || request_line(t).is_some()
        || t.to_ascii_lowercase().starts_with("returned status code")
        || {
            let lower = t.trim_start_matches("- ").to_ascii_lowercase();
            lower.starts_with("example ")
                || lower == "request parameters"
                || lower == "response parameters"
        }
}

/// Whether a row starts at item `k`: a name, then a cell of the column after it.
fn starts_row(items: &[Item<'_>], k: usize, columns: &[Column]) -> bool {
    let Some(item) = items.get(k) else {
        return false;
    };
    if !is_identifier(cell(item.text)) {
        return false;
    }
    let Some(next) = items.get(k + 1) else {
        return false;
    };
    // "name" and "description" are rows too, unless a header row goes on after them.
    if is_header_word(item.text) && is_header_word(next.text) {
        return false;
    }
    match columns.get(1) {
        Some(Column::Type) | Some(Column::Mandatory) => {
            is_type_like(cell(next.text)) || is_yes_no(next.text)
        }
        _ => is_type_like(cell(next.text)),
    }
}

/// Reads rows from item `k` on; returns them and the item after the table.
fn read_rows(items: &[Item<'_>], mut k: usize, columns: &[Column]) -> (Vec<Row>, usize) {
    let mut rows = Vec::new();
    while k < items.len() && !ends_table(items, k) && starts_row(items, k, columns) {
        let name_item = &items[k];
        let mut row = Row {
            name: cell(name_item.text).to_owned(),
            line: name_item.line,
            ..Row::default()
        };
        k += 1;
        for column in columns.iter().skip(1) {
            let Some(item) = items.get(k) else { break };
            match column {
                Column::Type if is_type_like(cell(item.text)) => {
                    row.ty = cell(item.text).to_owned();
                    k += 1;
                }
                Column::Mandatory if is_yes_no(item.text) => {
                    row.mandatory = Some(cell(item.text).eq_ignore_ascii_case("yes"));
                    k += 1;
                }
                _ => {}
            }
        }
        let mut description = Vec::new();
        if columns.contains(&Column::Description) {
            while k < items.len() && !ends_table(items, k) && !starts_row(items, k, columns) {
                description.push(flat_line(items[k].text));
                k += 1;
            }
        }
        row.description = description.join("\n");
        rows.push(row);
    }
    (rows, k)
}

/// One line of flattened text: list markers as `- `, numbers kept, `|` cell ends removed.
fn flat_line(text: &str) -> String {
    let t = cell(text);
    match bullet_len(t) {
        Some(len) if t.starts_with(['•', '-', '*', '+']) => {
            format!("- {}", t.chars().skip(len).collect::<String>().trim())
        }
        _ => t.to_owned(),
    }
}

/// The text from line index `start` to where its brackets balance (strings respected),
/// and the 1-based number of the last line taken. An unbalanced body runs to the next
/// heading or the end of the page.
fn balanced_block(lines: &[&str], start: usize) -> (String, usize) {
    let mut depth: i64 = 0;
    let mut opened = false;
    let mut in_string = false;
    let mut escaped = false;
    let mut taken = Vec::new();
    for (offset, line) in lines[start..].iter().enumerate() {
        if offset > 0 && depth <= 0 && heading_of(line).is_some() {
            break;
        }
        taken.push(*line);
        // The target of a request line may hold braces (`https://{endpoint}/v1`).
        let scanned = if offset == 0 && request_line(line).is_some() {
            after_target(line)
        } else {
            line
        };
        for c in scanned.chars() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' if opened => in_string = true,
                '{' | '[' => {
                    depth += 1;
                    opened = true;
                }
                '}' | ']' => depth -= 1,
                _ => {}
            }
        }
        if opened && depth <= 0 {
            return (taken.join("\n"), start + offset + 1);
        }
    }
    let end = start + taken.len().max(1);
    (taken.join("\n"), end)
}

#[cfg(test)]
mod tests {
    use super::super::{PageType, read};
    use crate::spec::Direction;

    const PAGE: &str = "\
Creating a Thing
Function
This API creates a thing.
URI
POST /v5/{project_id}/things
Parameter |
Type |
Mandatory |
Description |
---|---|---|---|
project_id |
String |
Yes |
Specifies a project ID. |
Request
Table 2 Request parameters Parameter
Type
Mandatory
Description
thing
Yes
Specifies the thing.
Table 3 Thing Parameter
Mandatory
Type
Description
name
No
String
- Specifies a name.
- The value is a string of 1 to 64 characters.
style
No
String
tags
No
Array of Tag objects
Tags.
- Example requests
- Create a thing.
POST https://{Endpoint}/v5/{project_id}/things { \"thing\": { \"name\": \"t\" } }
Response
Returned status code 201: successful operation
Table 4 Response Parameter
Type
Description
id
String
Specifies the ID.
Example Response

{
    \"id\": \"x\"
}
";

    #[test]
    fn reads_cells_in_any_order_with_empty_cells() {
        let page = read(PAGE, "x.txt");
        assert_eq!(page.problems, vec![]);
        assert_eq!(page.method.as_deref(), Some("POST"));
        assert_eq!(page.path.as_deref(), Some("/v5/{project_id}/things"));
        assert_eq!(page.function.as_deref(), Some("This API creates a thing."));
        let numbers: Vec<_> = page
            .tables
            .iter()
            .map(|t| (t.number, t.number_inferred))
            .collect();
        assert_eq!(
            numbers,
            vec![
                (Some(1), true),
                (Some(2), false),
                (Some(3), false),
                (Some(4), false)
            ]
        );
        assert_eq!(page.tables[0].rows[0].name, "project_id");
        assert_eq!(page.tables[0].rows[0].mandatory, Some(true));
        let wrapper = &page.tables[1].rows[0];
        assert_eq!(
            (
                wrapper.name.as_str(),
                wrapper.ty.as_str(),
                wrapper.mandatory
            ),
            ("thing", "", Some(true))
        );
        let rows = &page.tables[2].rows;
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0].description,
            "- Specifies a name.\n- The value is a string of 1 to 64 characters."
        );
        assert_eq!(rows[1].description, "");
        assert_eq!(
            PageType::parse(&rows[2].ty),
            PageType::Array(Some(Box::new(PageType::Object(Some("Tag".into())))))
        );
        assert_eq!(page.tables[3].rows.len(), 1);
        assert_eq!(page.examples.len(), 2);
        assert_eq!(page.examples[0].direction, Some(Direction::Request));
        assert_eq!(page.examples[0].caption.as_deref(), Some("Create a thing."));
        assert_eq!(
            page.examples[0].json().unwrap(),
            serde_json::json!({"thing": {"name": "t"}})
        );
        assert_eq!(page.examples[1].direction, Some(Direction::Response));
        assert_eq!(page.examples[1].status, Some(201));
        assert_eq!(page.statuses, vec![201]);
    }
}
