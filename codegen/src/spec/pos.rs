//! A position index: where each node of a YAML file starts.
//!
//! serde gives a location only for the errors it raises itself. Semantic checks (an unknown
//! type, a duplicate name) happen after deserialization, on plain structs, so they need
//! another way back to the text. This index is built by a small scanner over the same text.
//! It understands the block style the specs are written in, plus flow collections and
//! quoted, plain and block scalars; when it cannot place a node, lookups fall back to the
//! nearest ancestor, so a diagnostic is at worst a few lines off, never missing.

use std::collections::BTreeMap;
use std::fmt;

/// The path of a node in a spec file, as `request.types[0].fields[3].max_length`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodePath(String);

impl NodePath {
    /// The document root.
    pub const fn root() -> Self {
        NodePath(String::new())
    }

    /// The value of mapping key `key` under this node.
    pub fn key(&self, key: &str) -> Self {
        if self.0.is_empty() {
            NodePath(key.to_owned())
        } else {
            NodePath(format!("{}.{key}", self.0))
        }
    }

    /// Item `index` of the sequence at this node.
    pub fn index(&self, index: usize) -> Self {
        NodePath(format!("{}[{index}]", self.0))
    }

    /// The parent node, or `None` at the root.
    pub fn parent(&self) -> Option<Self> {
        if self.0.is_empty() {
            return None;
        }
        let cut = self.0.rfind(['.', '[']).unwrap_or(0);
        Some(NodePath(self.0[..cut].to_owned()))
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NodePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Line and column (1-based) of every node the scanner could place.
#[derive(Clone, Debug, Default)]
pub struct PositionIndex {
    positions: BTreeMap<NodePath, (usize, usize)>,
}

impl PositionIndex {
    /// Scans `text` and records where each mapping key and sequence item starts.
    pub fn build(text: &str) -> Self {
        let mut scanner = Scanner {
            index: PositionIndex::default(),
            frames: Vec::new(),
        };
        scanner.run(text);
        scanner.index
    }

    /// The position of `path`, or of its nearest ancestor the scanner placed.
    pub fn find(&self, path: &NodePath) -> (usize, usize) {
        let mut current = Some(path.clone());
        while let Some(p) = current {
            if let Some(&pos) = self.positions.get(&p) {
                return pos;
            }
            current = p.parent();
        }
        (1, 1)
    }

    /// The exact position of `path`, if the scanner placed it.
    pub fn get(&self, path: &NodePath) -> Option<(usize, usize)> {
        self.positions.get(path).copied()
    }

    fn record(&mut self, path: NodePath, line: usize, column: usize) {
        self.positions.entry(path).or_insert((line, column));
    }
}

#[derive(Debug)]
enum FrameKind {
    Map,
    Seq { next: usize },
}

#[derive(Debug)]
struct Frame {
    indent: usize,
    path: NodePath,
    kind: FrameKind,
}

struct Scanner {
    index: PositionIndex,
    frames: Vec<Frame>,
}

/// What the rest of a line after a key or dash turned out to be.
enum Tail {
    /// Nothing: the value of the node at `path`, whose key or dash sits at column `indent`,
    /// starts on a later line, more indented (or a `-` at the same indent).
    Pending { indent: usize, path: NodePath },
    /// A scalar or collection that ends on this line, or continues on later lines indented
    /// deeper than `indent` (plain and block scalars): those lines are skipped.
    Skip { indent: usize },
    /// A flow collection or quoted scalar that continues past this line: skip until it ends.
    Continues { until_line: usize, indent: usize },
}

impl Scanner {
    fn run(&mut self, text: &str) {
        let lines: Vec<&str> = text.lines().collect();
        // The value at `pending` has not started yet; its first line decides its kind.
        let mut pending: Option<(usize, NodePath)> = None;
        // Lines more indented than this belong to a scalar and hold no keys.
        let mut skip_deeper: Option<usize> = None;
        let mut line_no = 0;
        while line_no < lines.len() {
            let raw = lines[line_no];
            line_no += 1;
            let indent = raw.len() - raw.trim_start_matches(' ').len();
            let content = strip_comment(&raw[indent..]);
            if content.trim().is_empty() || content.starts_with("---") || content.starts_with("...")
            {
                continue;
            }
            if let Some(limit) = skip_deeper {
                if indent > limit {
                    continue;
                }
                skip_deeper = None;
            }
            if let Some((parent_indent, path)) = pending.take() {
                let is_dash = is_dash(content);
                if (is_dash && indent >= parent_indent) || indent > parent_indent {
                    let kind = if is_dash {
                        FrameKind::Seq { next: 0 }
                    } else {
                        FrameKind::Map
                    };
                    self.frames.push(Frame { indent, path, kind });
                }
            }
            self.pop_deeper(indent);
            match self.line(text, &lines, line_no, indent, content) {
                Tail::Pending { indent, path } => pending = Some((indent, path)),
                Tail::Continues { until_line, indent } => {
                    line_no = until_line;
                    skip_deeper = Some(indent);
                }
                Tail::Skip { indent } => skip_deeper = Some(indent),
            }
        }
    }

    /// Drops frames nested deeper than `indent`.
    fn pop_deeper(&mut self, indent: usize) {
        while self.frames.last().is_some_and(|f| f.indent > indent) {
            self.frames.pop();
        }
    }

    /// Handles the content of one line that starts at `indent` (0-based column).
    fn line(
        &mut self,
        text: &str,
        lines: &[&str],
        line_no: usize,
        indent: usize,
        content: &str,
    ) -> Tail {
        let skip = Tail::Skip { indent };
        // A key at the indent of a sequence that was written flush with its own key
        // (`fields:` then `- name:` at the same column) ends that sequence.
        if !is_dash(content)
            && self
                .frames
                .last()
                .is_some_and(|f| f.indent == indent && matches!(f.kind, FrameKind::Seq { .. }))
        {
            self.frames.pop();
        }
        let parent = if self.frames.is_empty() && !is_dash(content) {
            self.frames.push(Frame {
                indent,
                path: NodePath::root(),
                kind: FrameKind::Map,
            });
            NodePath::root()
        } else {
            match self.frames.last_mut() {
                Some(frame) if frame.indent == indent => frame.path.clone(),
                _ => return skip,
            }
        };
        if is_dash(content) {
            let Some(Frame {
                kind: FrameKind::Seq { next },
                path,
                ..
            }) = self.frames.last_mut()
            else {
                return skip;
            };
            let item = path.index(*next);
            *next += 1;
            self.index.record(item.clone(), line_no, indent + 1);
            let rest = content[1..].trim_start();
            if rest.is_empty() {
                return Tail::Pending { indent, path: item };
            }
            let rest_indent = indent + (content.len() - rest.len());
            let kind = if is_dash(rest) {
                FrameKind::Seq { next: 0 }
            } else {
                FrameKind::Map
            };
            if is_dash(rest) || split_key(rest).is_some() {
                self.frames.push(Frame {
                    indent: rest_indent,
                    path: item.clone(),
                    kind,
                });
                return self.line(text, lines, line_no, rest_indent, rest);
            }
            return self.value(text, lines, line_no, rest_indent, rest, &item);
        }
        if !matches!(self.frames.last().map(|f| &f.kind), Some(FrameKind::Map)) {
            return skip;
        }
        let Some((key, value_offset)) = split_key(content) else {
            return skip;
        };
        let path = parent.key(&key);
        self.index.record(path.clone(), line_no, indent + 1);
        let value = content[value_offset..].trim_start();
        if value.is_empty() {
            return Tail::Pending { indent, path };
        }
        let value_indent = indent + (content.len() - value.len());
        match self.value(text, lines, line_no, value_indent, value, &path) {
            // Continuation lines belong to this key's value: deeper than the key itself.
            Tail::Skip { .. } => skip,
            Tail::Continues { until_line, .. } => Tail::Continues { until_line, indent },
            pending => pending,
        }
    }

    /// Records positions inside an inline value and says how far it reaches.
    fn value(
        &mut self,
        text: &str,
        lines: &[&str],
        line_no: usize,
        column: usize,
        value: &str,
        path: &NodePath,
    ) -> Tail {
        match value.as_bytes()[0] {
            b'[' | b'{' | b'"' | b'\'' => {
                let start = line_start_offset(lines, line_no) + column;
                let mut flow = FlowScanner {
                    text,
                    offset: start,
                    line: line_no,
                    column: column + 1,
                };
                flow.node(&mut self.index, path);
                if flow.line > line_no {
                    Tail::Continues {
                        until_line: flow.line,
                        indent: column,
                    }
                } else {
                    Tail::Skip { indent: column }
                }
            }
            _ => Tail::Skip { indent: column },
        }
    }
}

/// Reads a flow collection or quoted scalar character by character, across lines.
struct FlowScanner<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    column: usize,
}

impl FlowScanner<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.offset..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.offset += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' | '\n' => {
                    self.bump();
                }
                '#' => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                _ => break,
            }
        }
    }

    /// Skips one character when an item consumed nothing (a stray `}` inside `[...]`), so
    /// that every loop over a flow collection ends, whatever the text.
    fn ensure_progress(&mut self, before: usize) {
        if self.offset == before {
            self.bump();
        }
    }

    /// Reads one node, recording the keys and items inside it under `path`.
    fn node(&mut self, index: &mut PositionIndex, path: &NodePath) {
        self.skip_space();
        match self.peek() {
            Some('[') => {
                self.bump();
                let mut i = 0;
                loop {
                    self.skip_space();
                    match self.peek() {
                        None => return,
                        Some(']') => {
                            self.bump();
                            return;
                        }
                        Some(',') => {
                            self.bump();
                        }
                        Some(_) => {
                            let before = self.offset;
                            let item = path.index(i);
                            index.record(item.clone(), self.line, self.column);
                            i += 1;
                            self.node(index, &item);
                            self.ensure_progress(before);
                        }
                    }
                }
            }
            Some('{') => {
                self.bump();
                loop {
                    self.skip_space();
                    match self.peek() {
                        None => return,
                        Some('}') => {
                            self.bump();
                            return;
                        }
                        Some(',') => {
                            self.bump();
                        }
                        Some(_) => {
                            let before = self.offset;
                            let (line, column) = (self.line, self.column);
                            let key = self.scalar();
                            let child = path.key(&key);
                            index.record(child.clone(), line, column);
                            self.skip_space();
                            if self.peek() == Some(':') {
                                self.bump();
                                self.node(index, &child);
                            }
                            self.ensure_progress(before);
                        }
                    }
                }
            }
            Some(_) => {
                self.scalar();
            }
            None => {}
        }
    }

    /// Reads a quoted or plain scalar inside a flow collection and returns its text.
    fn scalar(&mut self) -> String {
        let mut out = String::new();
        match self.peek() {
            Some(q @ ('"' | '\'')) => {
                self.bump();
                while let Some(c) = self.bump() {
                    if c == q {
                        // A doubled single quote is an escaped quote.
                        if q == '\'' && self.peek() == Some('\'') {
                            self.bump();
                            out.push('\'');
                            continue;
                        }
                        break;
                    }
                    if c == '\\' && q == '"' {
                        if let Some(escaped) = self.bump() {
                            out.push(escaped);
                        }
                        continue;
                    }
                    out.push(c);
                }
            }
            _ => {
                while let Some(c) = self.peek() {
                    if matches!(c, ',' | ']' | '}' | '\n')
                        || (c == ':'
                            && self.text[self.offset + 1..].starts_with([' ', ',', '\n', ']', '}']))
                    {
                        break;
                    }
                    out.push(c);
                    self.bump();
                }
            }
        }
        out.trim().to_owned()
    }
}

fn line_start_offset(lines: &[&str], line_no: usize) -> usize {
    // `str::lines` drops `\n` (and `\r\n`); the scanner only runs on text whose line ends
    // it can count, so this sums lengths plus one terminator byte per line, with `\r` kept
    // in the line itself when present.
    lines[..line_no - 1].iter().map(|l| l.len() + 1).sum()
}

fn is_dash(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// Splits `key: value` (or `key:` at the end), returning the key and the value's offset.
fn split_key(content: &str) -> Option<(String, usize)> {
    let bytes = content.as_bytes();
    if let Some(q @ (b'"' | b'\'')) = bytes.first().copied() {
        let end = content[1..].find(q as char)? + 1;
        let rest = &content[end + 1..];
        let rest_trimmed = rest.trim_start();
        if let Some(after) = rest_trimmed.strip_prefix(':') {
            if after.is_empty() || after.starts_with(' ') {
                let offset = content.len() - after.len();
                return Some((content[1..end].to_owned(), offset));
            }
        }
        return None;
    }
    if matches!(
        bytes.first(),
        Some(b'[' | b'{' | b'|' | b'>' | b'&' | b'*' | b'!')
    ) {
        return None;
    }
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
            return Some((content[..i].trim_end().to_owned(), i + 1));
        }
        i += 1;
    }
    None
}

/// Removes a trailing ` # comment` that is not inside quotes.
fn strip_comment(content: &str) -> &str {
    if content.starts_with('#') {
        return "";
    }
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (i, c) in content.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'')
                && matches!(previous, ' ' | ':' | '[' | '{' | ',' | '-') =>
            {
                quote = Some(c);
            }
            None if c == '#' && previous == ' ' => return content[..i].trim_end(),
            None => {}
        }
        previous = c;
    }
    content
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(index: &PositionIndex, path: &str) -> Option<(usize, usize)> {
        index.get(&NodePath(path.to_owned()))
    }

    #[test]
    fn places_block_keys_and_items() {
        let text = "\
operation:
  id: x   # trailing comment
  description: >
    folded text: with a colon
    more
request:
  body: Body
  types:
    - name: Body
      table: 2
      fields:
      - name: a
        type: string
      - name: \"b\"
        enum: [x, {k: v}]
";
        let index = PositionIndex::build(text);
        assert_eq!(at(&index, "operation"), Some((1, 1)));
        assert_eq!(at(&index, "operation.id"), Some((2, 3)));
        assert_eq!(at(&index, "operation.description"), Some((3, 3)));
        assert_eq!(at(&index, "request.body"), Some((7, 3)));
        assert_eq!(at(&index, "request.types[0]"), Some((9, 5)));
        assert_eq!(at(&index, "request.types[0].name"), Some((9, 7)));
        assert_eq!(at(&index, "request.types[0].table"), Some((10, 7)));
        assert_eq!(at(&index, "request.types[0].fields[0].name"), Some((12, 9)));
        assert_eq!(at(&index, "request.types[0].fields[1].type"), None);
        assert_eq!(at(&index, "request.types[0].fields[1].enum"), Some((15, 9)));
        assert_eq!(
            at(&index, "request.types[0].fields[1].enum[1]"),
            Some((15, 19))
        );
        assert_eq!(
            at(&index, "request.types[0].fields[1].enum[1].k"),
            Some((15, 20))
        );
        // Text inside the folded scalar is not mistaken for a key.
        assert_eq!(at(&index, "operation.folded text"), None);
    }

    #[test]
    fn malformed_flow_text_ends() {
        // The scanner sees only text serde accepted, but must end on anything.
        for text in [
            "a: [x}",
            "a: {k]",
            "a: [,,]",
            "a: {: : :}",
            "a: [[[",
            "a: {{{",
            "a: [\"x",
            "a: ['x''",
        ] {
            let _ = PositionIndex::build(text);
        }
    }

    #[test]
    fn falls_back_to_ancestor() {
        let index = PositionIndex::build("a:\n  b: 1\n");
        assert_eq!(index.find(&NodePath("a.b.c[3]".into())), (2, 3));
        assert_eq!(index.find(&NodePath("zzz".into())), (1, 1));
    }

    #[test]
    fn multi_line_flow_and_quoted() {
        let text = "a: [1,\n  2]\nb: \"x:\n  y: z\"\nc: 3\n";
        let index = PositionIndex::build(text);
        assert_eq!(at(&index, "a[1]"), Some((2, 3)));
        assert_eq!(at(&index, "c"), Some((5, 1)));
        assert_eq!(at(&index, "y"), None);
    }
}
