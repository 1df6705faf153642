//! The reStructuredText reader: section titles, `.. table::` directives with grid
//! (`+---+`) and simple (`=== ===`) tables, notes, and literal blocks (`::` and
//! `.. code-block::`).

use super::{
    Column, Example, Note, Page, Problem, Rendering, Row, Section, Table, clean_inline,
    example_heading, indent_of, is_underline, join_lines, ref_target, request_line,
    split_request_line, status_in,
};

/// A table's cells before interpretation: each cell as its lines.
struct RawTable {
    header: Vec<String>,
    rows: Vec<(usize, Vec<Vec<String>>)>,
}

/// Reads an RST page.
pub(super) fn read(text: &str) -> Page {
    let lines: Vec<&str> = text.lines().collect();
    let mut page = Page {
        rendering: Rendering::Rst,
        ..Page::default()
    };
    let mut section = Section::Uri;
    let mut heading = String::new();
    let mut function: Vec<String> = Vec::new();
    let mut anchor: Option<String> = None;
    let mut caption: Option<String> = None;
    let mut example_dir = None;
    let mut status: Option<u16> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        let number = i + 1;

        if is_heading(&lines, i) {
            let title = clean_inline(trimmed);
            if page.title.is_none() {
                page.title = Some(title.clone());
            } else {
                let lower = title.to_ascii_lowercase();
                if lower.contains("response") {
                    section = Section::Response;
                } else if lower.contains("request") {
                    section = Section::Request;
                } else if lower == "uri" {
                    section = Section::Uri;
                }
                example_dir = example_heading(&title);
                caption = Some(title.clone());
            }
            heading = title;
            i += 2;
            continue;
        }

        if let Some(label) = trimmed.strip_prefix(".. _") {
            anchor = label.strip_suffix(':').map(str::to_owned);
            i += 1;
            continue;
        }

        if let Some(rest) = trimmed.strip_prefix(".. table::") {
            let (table_number, table_caption) = parse_caption(rest);
            let mut j = i + 1;
            while j < lines.len()
                && (lines[j].trim().is_empty() || lines[j].trim().starts_with(':'))
            {
                j += 1;
            }
            let parsed = match lines.get(j).map(|l| l.trim_start()) {
                Some(t) if t.starts_with('+') => grid(&lines, j),
                Some(t) if t.starts_with('=') => simple(&lines, j),
                _ => Err(("`.. table::` is not followed by a table".to_owned(), i + 1)),
            };
            let anchor = anchor.take();
            i = add_table(&mut page, parsed, number, section, |table| {
                table.number = table_number;
                table.caption = table_caption;
                table.anchor = anchor;
            })
            .max(i + 1);
            continue;
        }

        if is_grid_border(trimmed) || is_simple_border(trimmed) {
            let parsed = if trimmed.starts_with('+') {
                grid(&lines, i)
            } else {
                simple(&lines, i)
            };
            i = add_table(&mut page, parsed, number, section, |_| {}).max(i + 1);
            continue;
        }

        let directive = directive_name(trimmed);
        if matches!(
            directive,
            Some("note" | "important" | "caution" | "warning" | "notice")
        ) {
            let (block, _end) = indented_block(&lines, i);
            let after = trimmed.split_once("::").map_or("", |(_, r)| r).trim();
            let mut text_lines: Vec<String> = Vec::new();
            if !after.is_empty() {
                text_lines.push(clean_inline(after));
            }
            text_lines.extend(block.iter().map(|(_, l)| clean_inline(l)));
            page.notes.push(Note {
                line: number,
                text: join_lines(&text_lines),
            });
            // Tables inside a note are still read: scanning goes on inside the block.
            i += 1;
            continue;
        }

        let literal = matches!(directive, Some("code-block" | "code" | "sourcecode"))
            || (trimmed.ends_with("::") && directive.is_none() && !trimmed.starts_with(".."));
        if literal {
            let (block, end) = indented_block(&lines, i);
            let text: Vec<&str> = block.iter().map(|(_, l)| *l).collect();
            let body = super::dedent(&text.join("\n"));
            let (request, body) = split_request_line(&body);
            // A block with only a request line (`GET https://{endpoint}/...`) is no body.
            if body.contains(['{', '[']) {
                let direction = example_dir.or(match section {
                    Section::Request => Some(crate::spec::Direction::Request),
                    Section::Response => Some(crate::spec::Direction::Response),
                    Section::Uri => None,
                });
                page.examples.push(Example {
                    line: block.first().map_or(number, |(n, _)| *n),
                    direction,
                    caption: caption.clone(),
                    status: if direction == Some(crate::spec::Direction::Response) {
                        status
                    } else {
                        None
                    },
                    request_line: request,
                    body,
                });
            }
            i = end.max(i + 1);
            continue;
        }

        if directive.is_none() && !trimmed.is_empty() {
            let text = clean_inline(trimmed);
            if let Some(code) = status_in(&text) {
                status = Some(code);
                page.statuses.push(code);
            }
            if let Some(direction) = example_heading(&text) {
                example_dir = Some(direction);
            }
            let shown = match super::bullet_len(&text) {
                Some(len) => text.chars().skip(len).collect::<String>().trim().to_owned(),
                None => text.clone(),
            };
            caption = Some(shown);
            if heading.eq_ignore_ascii_case("uri") && page.method.is_none() {
                if let Some((method, path)) = request_line(&text) {
                    page.method = Some(method);
                    page.path = Some(path);
                }
            }
            if heading.eq_ignore_ascii_case("function") {
                function.push(line.to_owned());
            }
        } else if trimmed.is_empty() && heading.eq_ignore_ascii_case("function") {
            function.push(String::new());
        }
        i += 1;
    }
    let function: Vec<String> = function.iter().map(|l| clean_inline(l)).collect();
    let function = join_lines(&function);
    if !function.is_empty() {
        page.function = Some(function);
    }
    page
}

/// Status codes listed in a status-code table (first column "Status Code").
/// Adds a parsed table (read at `line`, under `section`, with `label` setting what a
/// `.. table::` directive gives it), or the reason it could not be read, to `page`; returns
/// the line after the table.
fn add_table(
    page: &mut Page,
    parsed: Parsed,
    line: usize,
    section: Section,
    label: impl FnOnce(&mut Table),
) -> usize {
    match parsed {
        Ok((raw, end, problems)) => {
            page.problems.extend(problems);
            let mut table = interpret(raw, line);
            label(&mut table);
            table.section = section;
            collect_statuses(&table, &mut page.statuses);
            page.tables.push(table);
            end
        }
        Err((message, end)) => {
            page.problems.push(Problem { line, message });
            end
        }
    }
}

fn collect_statuses(table: &Table, statuses: &mut Vec<u16>) {
    if table.number.is_none()
        && matches!(table.columns.first(), Some(Column::Other(h)) if h.contains("status"))
    {
        statuses.extend(table.rows.iter().filter_map(|r| {
            let code = r.name.trim().parse::<u16>().ok()?;
            (100..600).contains(&code).then_some(code)
        }));
    }
}

/// The name of a directive (`.. name::`), if the line is one.
fn directive_name(trimmed: &str) -> Option<&str> {
    let rest = trimmed.strip_prefix(".. ")?;
    let (name, _) = rest.split_once("::")?;
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then_some(name)
}

/// Whether line `i` is a section title: unindented text over an underline at least as
/// long.
fn is_heading(lines: &[&str], i: usize) -> bool {
    let line = lines[i];
    let Some(next) = lines.get(i + 1) else {
        return false;
    };
    !line.trim().is_empty()
        && !line.starts_with(' ')
        && !line.starts_with("..")
        && !is_grid_border(line.trim())
        && !is_simple_border(line.trim())
        && is_underline(next)
        && next.trim_end().chars().count() >= line.trim_end().chars().count()
}

/// `**Table 3** Caption` → `(Some(3), "Caption")`.
fn parse_caption(rest: &str) -> (Option<u32>, String) {
    let text = clean_inline(rest.trim());
    if let Some(after) = text.strip_prefix("Table ") {
        let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
        if let Ok(n) = digits.parse::<u32>() {
            return (Some(n), after[digits.len()..].trim().to_owned());
        }
    }
    (None, text)
}

/// The lines indented deeper than line `i`, after it (blank lines inside kept), with
/// their line numbers, and the index after the block.
fn indented_block<'a>(lines: &[&'a str], i: usize) -> (Vec<(usize, &'a str)>, usize) {
    let base = indent_of(lines[i]);
    let mut j = i + 1;
    let mut block = Vec::new();
    while j < lines.len() {
        let line = lines[j];
        if !line.trim().is_empty() && indent_of(line) <= base {
            break;
        }
        block.push((j + 1, line));
        j += 1;
    }
    while block.last().is_some_and(|(_, l)| l.trim().is_empty()) {
        block.pop();
    }
    while block.first().is_some_and(|(_, l)| l.trim().is_empty()) {
        block.remove(0);
    }
    (block, j)
}

fn is_grid_border(trimmed: &str) -> bool {
    trimmed.len() >= 3
        && trimmed.starts_with('+')
        && trimmed.ends_with('+')
        && trimmed.contains(['-', '='])
        && trimmed.chars().all(|c| matches!(c, '+' | '-' | '='))
}

fn is_simple_border(trimmed: &str) -> bool {
    trimmed.len() >= 2 && trimmed.starts_with("==") && trimmed.chars().all(|c| c == '=' || c == ' ')
}

type Parsed = Result<(RawTable, usize, Vec<Problem>), (String, usize)>;

/// Reads a grid table whose top border is line `start`. Column boundaries are the `+` of
/// the top border; cells are the text between them; `+===+` ends the header.
fn grid(lines: &[&str], start: usize) -> Parsed {
    let top: Vec<char> = lines[start].chars().collect();
    let bounds: Vec<usize> = top
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == '+')
        .map(|(i, _)| i)
        .collect();
    if bounds.len() < 2 {
        return Err(("grid table border has no columns".to_owned(), start + 1));
    }
    let columns = bounds.len() - 1;
    let mut problems = Vec::new();
    let mut rows: Vec<(usize, Vec<Vec<String>>)> = Vec::new();
    let mut header_end = None;
    let mut cells: Vec<Vec<String>> = vec![Vec::new(); columns];
    let mut row_line = start + 2;
    let mut has_content = false;
    let mut closed = true;
    let mut j = start + 1;
    while j < lines.len() {
        let line = lines[j];
        let trimmed = line.trim();
        if trimmed.is_empty() {
            break;
        }
        if is_grid_border(trimmed) {
            if has_content {
                rows.push((
                    row_line,
                    std::mem::replace(&mut cells, vec![Vec::new(); columns]),
                ));
            }
            if trimmed.contains('=') && header_end.is_none() {
                header_end = Some(rows.len());
            }
            has_content = false;
            closed = true;
            row_line = j + 2;
            j += 1;
            continue;
        }
        if !(trimmed.starts_with('|') || trimmed.starts_with('+')) {
            break;
        }
        let chars: Vec<char> = line.chars().collect();
        if chars.len() < bounds[columns] {
            problems.push(Problem {
                line: j + 1,
                message: "grid table line is shorter than its border".to_owned(),
            });
        }
        for (c, cell) in cells.iter_mut().enumerate() {
            let from = (bounds[c] + 1).min(chars.len());
            let to = bounds[c + 1].min(chars.len());
            let text: String = chars[from..to].iter().collect();
            // A row-span border crossing this cell is not text.
            if text.trim().chars().all(|c| matches!(c, '-' | '=' | '+')) && !text.trim().is_empty()
            {
                continue;
            }
            let text = text
                .strip_prefix(' ')
                .unwrap_or(&text)
                .trim_end()
                .to_owned();
            cell.push(text);
        }
        has_content = true;
        closed = false;
        j += 1;
    }
    if !closed && has_content {
        problems.push(Problem {
            line: j,
            message: "grid table has no closing border".to_owned(),
        });
        rows.push((row_line, cells));
    }
    let header_end = header_end.unwrap_or(usize::from(!rows.is_empty()));
    let header_rows: Vec<(usize, Vec<Vec<String>>)> =
        rows.drain(..header_end.min(rows.len())).collect();
    let header = (0..columns)
        .map(|c| {
            let words: Vec<&str> = header_rows
                .iter()
                .flat_map(|(_, cells)| cells[c].iter().map(|s| s.trim()))
                .filter(|s| !s.is_empty())
                .collect();
            words.join(" ")
        })
        .collect();
    Ok((RawTable { header, rows }, j, problems))
}

/// Reads a simple table whose top border is line `start`: columns are the runs of `=`; a
/// line whose first column is blank continues the row above.
fn simple(lines: &[&str], start: usize) -> Parsed {
    let border: Vec<char> = lines[start].chars().collect();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k < border.len() {
        if border[k] == '=' {
            let from = k;
            while k < border.len() && border[k] == '=' {
                k += 1;
            }
            spans.push((from, k));
        } else {
            k += 1;
        }
    }
    if spans.is_empty() {
        return Err(("simple table border has no columns".to_owned(), start + 1));
    }
    let indent = indent_of(lines[start]);
    // Sections between borders: header (if a second border follows it) and body.
    let mut sections: Vec<Vec<(usize, &str)>> = vec![Vec::new()];
    let mut j = start + 1;
    let mut borders = 1;
    while j < lines.len() {
        let line = lines[j];
        let trimmed = line.trim();
        if is_simple_border(trimmed) && indent_of(line) == indent {
            borders += 1;
            j += 1;
            // The table ends at a border that is not followed by more rows.
            let next = lines.get(j).map_or("", |l| l.trim());
            if borders >= 3 || next.is_empty() {
                break;
            }
            sections.push(Vec::new());
            continue;
        }
        if !trimmed.is_empty() && indent_of(line) < indent {
            break;
        }
        if let Some(section) = sections.last_mut() {
            section.push((j + 1, line));
        }
        j += 1;
    }
    let mut problems = Vec::new();
    if borders < 2 {
        problems.push(Problem {
            line: start + 1,
            message: "simple table has no closing border".to_owned(),
        });
    }
    let cut = |line: &str, c: usize| -> String {
        let chars: Vec<char> = line.chars().collect();
        let from = spans[c].0.min(chars.len());
        let to = if c + 1 < spans.len() {
            spans[c + 1].0.min(chars.len())
        } else {
            chars.len()
        };
        chars[from..to]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_owned()
    };
    let (header_lines, body_lines) = if sections.len() >= 2 {
        (sections[0].clone(), sections[1..].concat())
    } else {
        (Vec::new(), sections.concat())
    };
    let header: Vec<String> = (0..spans.len())
        .map(|c| {
            header_lines
                .iter()
                .map(|(_, l)| cut(l, c).trim().to_owned())
                .filter(|s| !s.is_empty() && !s.chars().all(|ch| ch == '-'))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let mut rows: Vec<(usize, Vec<Vec<String>>)> = Vec::new();
    for (number, line) in body_lines {
        if line.trim().is_empty() {
            if let Some((_, cells)) = rows.last_mut() {
                for cell in cells.iter_mut() {
                    cell.push(String::new());
                }
            }
            continue;
        }
        let first = cut(line, 0);
        let cells: Vec<String> = (0..spans.len()).map(|c| cut(line, c)).collect();
        match rows.last_mut() {
            Some((_, row)) if first.trim().is_empty() => {
                for (cell, text) in row.iter_mut().zip(cells) {
                    cell.push(text);
                }
            }
            _ => rows.push((number, cells.into_iter().map(|c| vec![c]).collect())),
        }
    }
    Ok((RawTable { header, rows }, j, problems))
}

/// Turns raw cells into a table: columns from the header, rows by column.
fn interpret(raw: RawTable, line: usize) -> Table {
    let columns: Vec<Column> = raw
        .header
        .iter()
        .map(|h| Column::from_header(&clean_inline(h)))
        .collect();
    let find = |column: &Column| columns.iter().position(|c| c == column);
    let name_at = find(&Column::Name).unwrap_or(0);
    let type_at = find(&Column::Type);
    let mandatory_at = find(&Column::Mandatory);
    let description_at = find(&Column::Description);
    let rows = raw
        .rows
        .into_iter()
        .map(|(row_line, cells)| {
            let cell = |at: Option<usize>| -> Vec<String> {
                at.and_then(|a| cells.get(a)).cloned().unwrap_or_default()
            };
            let name_lines: Vec<String> = cell(Some(name_at))
                .iter()
                .map(|l| clean_inline(l))
                .collect();
            let name = join_lines(&name_lines)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_owned();
            let ty_raw = cell(type_at)
                .iter()
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join(" ");
            let mandatory = match cell(mandatory_at)
                .iter()
                .map(|l| l.trim())
                .collect::<String>()
                .to_ascii_lowercase()
                .as_str()
            {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            };
            let description: Vec<String> = cell(description_at)
                .iter()
                .map(|l| clean_inline(l))
                .collect();
            Row {
                name,
                ty: clean_inline(ty_raw.trim()),
                ty_target: ref_target(&ty_raw),
                mandatory,
                description: join_lines(&description),
                line: row_line,
            }
        })
        .collect();
    Table {
        line,
        columns,
        rows,
        ..Table::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "\
Creating a Thing
================

URI
---

POST /v1/{project_id}/things

.. table:: **Table 1** Path parameters

   ========== ========= ====== =========================
   Parameter  Mandatory Type   Description
   ========== ========= ====== =========================
   project_id Yes       String Specifies the project ID.
                               Second line.
   ========== ========= ====== =========================

Request Parameters
------------------

.. _anchor_thing:

.. table:: **Table 2** Thing

   +-----------+-----------+------------------+--------------------------+
   | Parameter | Mandatory | Type             | Description              |
   +===========+===========+==================+==========================+
   | name      | Yes       | String           | The name.                |
   |           |           |                  |                          |
   |           |           |                  | -  **1** to **64**       |
   +-----------+-----------+------------------+--------------------------+
   | tags      | No        | Array of strings | Tags.                    |
   +-----------+-----------+------------------+--------------------------+

.. note::

   Only one thing.

Example Requests
----------------

-  Create a thing

   .. code-block:: text

      POST https://{endpoint}/v1/p/things
      {
          \"name\": \"t\"
      }
";

    #[test]
    fn reads_both_table_kinds_notes_and_examples() {
        let page = super::super::read(PAGE, "x.rst");
        assert_eq!(page.problems, vec![]);
        assert_eq!(page.title.as_deref(), Some("Creating a Thing"));
        assert_eq!(page.method.as_deref(), Some("POST"));
        assert_eq!(page.path.as_deref(), Some("/v1/{project_id}/things"));
        assert_eq!(page.tables.len(), 2);
        let t1 = &page.tables[0];
        assert_eq!(
            (t1.number, t1.caption.as_str(), t1.section),
            (Some(1), "Path parameters", Section::Uri)
        );
        assert_eq!(t1.rows[0].name, "project_id");
        assert_eq!(
            t1.rows[0].description,
            "Specifies the project ID. Second line."
        );
        let t2 = &page.tables[1];
        assert_eq!(t2.anchor.as_deref(), Some("anchor_thing"));
        assert_eq!(t2.section, Section::Request);
        assert_eq!(t2.rows.len(), 2);
        assert_eq!(t2.rows[0].description, "The name.\n- 1 to 64");
        assert_eq!(t2.rows[0].mandatory, Some(true));
        assert_eq!(t2.rows[1].ty, "Array of strings");
        assert_eq!(t2.rows[1].line, 32);
        assert_eq!(page.notes.len(), 1);
        assert_eq!(page.notes[0].text, "Only one thing.");
        assert_eq!(page.examples.len(), 1);
        let example = &page.examples[0];
        assert_eq!(example.direction, Some(crate::spec::Direction::Request));
        assert_eq!(example.caption.as_deref(), Some("Create a thing"));
        assert_eq!(
            example.request_line.as_deref(),
            Some("POST https://{endpoint}/v1/p/things")
        );
        assert_eq!(example.json().unwrap(), serde_json::json!({"name": "t"}));
    }
}
