//! A pre-scan of a spec file's text, before the YAML parser sees it.
//!
//! The parser's time grows with the square of the flow nesting depth (100,000 levels of `[`
//! took 22 s, so the size limit alone allowed hours), and it accepts what the spec format
//! has no use for: tags (`!!str 64` read as a number, `!Thing` ignored) and further
//! documents (reported at 1:1). This scan walks the text once, in linear time, knowing just
//! enough YAML to tell structure from scalars: indentation, the `- `, `? ` and `key:`
//! indicators, flow brackets, quoted and block scalars, comments and document markers. It
//! refuses the first of these problems it meets, with its position:
//!
//! - nesting deeper than [`MAX_SPEC_DEPTH`] (block collections and flow brackets together);
//! - a tag;
//! - a second document.
//!
//! Where the text is not valid YAML (an unclosed bracket or quote), the scan ends quietly
//! and leaves the error to the parser, which reports it with its own position.

/// How deeply collections may nest in a spec file. The format itself nests about ten levels
/// (`request.types[0].fields[2].items.charset.allow[0]` is eight); 64 leaves room for any
/// hand-written flow value while keeping the parser's quadratic cost in flow nesting to
/// microseconds. The parser's own recursion limit (128) is never reached.
pub const MAX_SPEC_DEPTH: usize = 64;

/// Why the scan refused a text, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// Byte offset of the offending token.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: &'static str,
}

/// Scans `text` (line breaks already normalised to `\n`) and refuses deep nesting, tags
/// and second documents.
pub(crate) fn prescan(text: &str) -> Result<(), Refusal> {
    let mut scan = Scan {
        bytes: text.as_bytes(),
        blocks: Vec::new(),
        started: false,
        closed: false,
    };
    scan.run()
}

/// A block collection that is open: the column of its indicators and what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    Map,
    Seq,
}

struct Scan<'a> {
    bytes: &'a [u8],
    /// Open block collections, innermost last, with the column of their keys or dashes.
    blocks: Vec<(usize, Block)>,
    /// A document has begun (a `---` or any content).
    started: bool,
    /// The document was ended by `...`: any content after it is another document.
    closed: bool,
}

/// How the lines after a node's line are read.
enum After {
    /// As structure.
    Structure,
    /// Lines indented deeper than this column belong to a scalar (a block scalar, or a
    /// plain scalar's continuation) and are skipped.
    SkipDeeper(usize),
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r')
}

fn is_flow_indicator(b: u8) -> bool {
    matches!(b, b'[' | b']' | b'{' | b'}' | b',')
}

impl Scan<'_> {
    fn eol(&self, from: usize) -> usize {
        self.bytes[from.min(self.bytes.len())..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |i| from + i)
    }

    /// The byte at `i`, or a newline past the end, so that every token ends there.
    fn at(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(b'\n')
    }

    /// True when the byte at `i` ends a token: a space, a line end or the end of the text.
    fn ends_token(&self, i: usize) -> bool {
        is_space(self.at(i)) || self.at(i) == b'\n'
    }

    fn run(&mut self) -> Result<(), Refusal> {
        let mut pos = 0;
        let mut skip_deeper: Option<usize> = None;
        while pos < self.bytes.len() {
            let line_start = pos;
            let eol = self.eol(pos);
            let indent = self.bytes[pos..eol]
                .iter()
                .take_while(|&&b| b == b' ')
                .count();
            let content = line_start + indent;
            let first = self.bytes[content..eol]
                .iter()
                .position(|&b| !is_space(b))
                .map(|i| self.bytes[content + i]);
            if first.is_none() || first == Some(b'#') {
                pos = eol + 1;
                continue;
            }
            if let Some(limit) = skip_deeper {
                if indent > limit {
                    pos = eol + 1;
                    continue;
                }
                skip_deeper = None;
            }
            let mut node = content;
            if indent == 0 && self.is_marker(content, b'-') {
                if self.started {
                    return Err(Refusal {
                        offset: content,
                        message: "a second YAML document starts here; a spec file holds one"
                            .to_owned(),
                        help: "remove the `---` line, or move the second document into a file of its own",
                    });
                }
                self.started = true;
                self.blocks.clear();
                node = content + 3;
            } else if indent == 0 && self.is_marker(content, b'.') {
                self.closed = true;
                self.blocks.clear();
                pos = eol + 1;
                continue;
            } else if indent == 0 && first == Some(b'%') {
                // A directive (`%YAML 1.2`): it belongs to the next document's header.
                pos = eol + 1;
                continue;
            } else {
                if self.closed {
                    return Err(Refusal {
                        offset: content,
                        message:
                            "a second YAML document starts here, after `...`; a spec file holds one"
                                .to_owned(),
                        help: "remove what follows `...`, or move it into a file of its own",
                    });
                }
                self.started = true;
            }
            while self.blocks.last().is_some_and(|&(col, _)| col > indent) {
                self.blocks.pop();
            }
            let (next, after) = self.line(node, line_start)?;
            if let After::SkipDeeper(col) = after {
                skip_deeper = Some(col);
            }
            pos = next;
        }
        Ok(())
    }

    /// True when `---` or `...` (for `dot` `-` or `.`) starts at `at` and ends there.
    fn is_marker(&self, at: usize, dot: u8) -> bool {
        self.bytes[at..].starts_with(&[dot; 3]) && self.ends_token(at + 3)
    }

    /// Reads the structure of one line from `p`, where a node may start, and returns where
    /// the next line starts (later than this line's end when a flow collection or quoted
    /// scalar spans lines) and how to read the lines that follow.
    fn line(&mut self, mut p: usize, mut line_start: usize) -> Result<(usize, After), Refusal> {
        // The column of the innermost key or indicator on this line: a scalar's
        // continuation lines are indented deeper than it.
        let mut owner = self.blocks.last().map_or(0, |&(col, _)| col);
        // Found once per line, and again only after a value that spans lines, so that a
        // line of many short tokens is still read in linear time.
        let mut eol = self.eol(p);
        loop {
            while p < self.bytes.len() && is_space(self.bytes[p]) {
                p += 1;
            }
            if p >= eol {
                return Ok((eol + 1, After::Structure));
            }
            let col = p - line_start;
            match self.bytes[p] {
                b'#' => return Ok((eol + 1, After::Structure)),
                b'-' | b'?' if self.ends_token(p + 1) => {
                    let kind = if self.bytes[p] == b'-' {
                        Block::Seq
                    } else {
                        Block::Map
                    };
                    self.open(col, kind, p)?;
                    owner = col;
                    p += 1;
                }
                b':' if self.ends_token(p + 1) => p += 1,
                b'!' => return Err(self.tag(p)),
                b'&' => {
                    // An anchor names the node that follows it.
                    while p < eol && !self.ends_token(p) {
                        p += 1;
                    }
                }
                b'|' | b'>' => return Ok((eol + 1, After::SkipDeeper(owner))),
                b'[' | b'{' | b'"' | b'\'' => {
                    let end = if matches!(self.bytes[p], b'[' | b'{') {
                        self.flow(p)?
                    } else {
                        self.quoted(p)
                    };
                    if let Some(newline) = self.bytes[p..end].iter().rposition(|&b| b == b'\n') {
                        line_start = p + newline + 1;
                        eol = self.eol(end);
                    }
                    p = end;
                    while p < self.bytes.len() && is_space(self.bytes[p]) {
                        p += 1;
                    }
                    if self.at(p) == b':' && self.ends_token(p + 1) {
                        // The collection or quoted scalar was a key; its value follows.
                        self.open(col, Block::Map, p)?;
                        owner = col;
                        p += 1;
                    }
                    // What follows is read as nodes too: a comment, or something the
                    // parser refuses, which must not hide nesting from this count.
                }
                _ => {
                    // A plain scalar, or a key if `: ` follows on this line.
                    match self.plain_key(p, eol) {
                        Some(colon) => {
                            self.open(col, Block::Map, p)?;
                            owner = col;
                            p = colon + 1;
                        }
                        None => return Ok((eol + 1, After::SkipDeeper(owner))),
                    }
                }
            }
        }
    }

    /// The offset of the `:` that makes the plain scalar at `p` a key, if there is one
    /// before the line (or a comment) ends.
    fn plain_key(&self, p: usize, eol: usize) -> Option<usize> {
        let mut j = p;
        while j < eol {
            match self.bytes[j] {
                b':' if self.ends_token(j + 1) => return Some(j),
                b'#' if j > p && is_space(self.bytes[j - 1]) => return None,
                _ => {}
            }
            j += 1;
        }
        None
    }

    /// Enters the block collection whose key or indicator sits at `col`, unless it is
    /// already open, and refuses nesting past the limit.
    fn open(&mut self, col: usize, kind: Block, at: usize) -> Result<(), Refusal> {
        // A key at the column of a sequence written flush with its parent's keys ends
        // that sequence.
        if kind == Block::Map && self.blocks.last() == Some(&(col, Block::Seq)) {
            self.blocks.pop();
        }
        if self.blocks.last() == Some(&(col, kind)) {
            return Ok(());
        }
        self.blocks.push((col, kind));
        self.check_depth(self.blocks.len(), at)
    }

    fn check_depth(&self, depth: usize, at: usize) -> Result<(), Refusal> {
        if depth > MAX_SPEC_DEPTH {
            return Err(Refusal {
                offset: at,
                message: format!(
                    "collections nest more than {MAX_SPEC_DEPTH} levels deep here, the limit for a spec file"
                ),
                help: "a spec nests about ten levels; flatten the value or write it as a named type",
            });
        }
        Ok(())
    }

    fn tag(&self, at: usize) -> Refusal {
        let end = (at..self.bytes.len())
            .find(|&i| self.ends_token(i) || (i > at && is_flow_indicator(self.bytes[i])))
            .unwrap_or(self.bytes.len());
        let tag = String::from_utf8_lossy(&self.bytes[at..end]);
        Refusal {
            offset: at,
            message: format!("YAML tag `{tag}` is not allowed in a spec file"),
            help: "the format gives every key its type, so tags would only change it silently; remove the tag, and quote a text that starts with `!`",
        }
    }

    /// Skips a flow collection that starts at `start` and returns the offset after its
    /// closing bracket (or the end of the text when it never closes).
    fn flow(&self, start: usize) -> Result<usize, Refusal> {
        let base = self.blocks.len();
        let mut depth = 0usize;
        // Whether a node may start here: tags and quoted scalars are only seen there.
        let mut node_start = true;
        // Whether the last node was quoted or a collection: after one, as in JSON, a `:`
        // introduces a value even with no space after it (`{"a":"b"}`).
        let mut after_json_node = false;
        let mut i = start;
        while i < self.bytes.len() {
            let b = self.bytes[i];
            let json_key = after_json_node;
            after_json_node = false;
            match b {
                b'[' | b'{' => {
                    depth += 1;
                    self.check_depth(base + depth, i)?;
                    node_start = true;
                }
                b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(i + 1);
                    }
                    node_start = false;
                    after_json_node = true;
                }
                b',' => node_start = true,
                b'"' | b'\'' if node_start => {
                    i = self.quoted(i);
                    node_start = false;
                    after_json_node = true;
                    continue;
                }
                b'#' if i == 0 || matches!(self.bytes[i - 1], b' ' | b'\t' | b'\r' | b'\n') => {
                    i = self.eol(i);
                    continue;
                }
                b'!' if node_start => return Err(self.tag(i)),
                b'&' if node_start => {
                    while i < self.bytes.len()
                        && !self.ends_token(i)
                        && !is_flow_indicator(self.bytes[i])
                    {
                        i += 1;
                    }
                    continue;
                }
                b':' if json_key || self.ends_token(i + 1) || is_flow_indicator(self.at(i + 1)) => {
                    node_start = true;
                }
                b'?' if node_start && self.ends_token(i + 1) => {}
                b' ' | b'\t' | b'\r' | b'\n' => after_json_node = json_key,
                _ => node_start = false,
            }
            i += 1;
        }
        Ok(self.bytes.len())
    }

    /// Skips a quoted scalar that starts at `start` and returns the offset after its
    /// closing quote (or the end of the text when it never closes).
    fn quoted(&self, start: usize) -> usize {
        let quote = self.bytes[start];
        let mut i = start + 1;
        while i < self.bytes.len() {
            match self.bytes[i] {
                b'\\' if quote == b'"' => i += 2,
                b'\'' if quote == b'\'' && self.at(i + 1) == b'\'' => i += 2,
                b if b == quote => return i + 1,
                _ => i += 1,
            }
        }
        self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(text: &str) -> Option<(usize, String)> {
        prescan(text).err().map(|r| (r.offset, r.message))
    }

    #[test]
    fn real_structure_passes() {
        let text = "\
operation:
  id: x   # a comment with [ and ! and ---
  description: >
    folded [text: with { brackets
    ! and - dashes
request:
  types:
  - name: Body
    fields:
      - {name: a, type: string, enum: [x, 'it''s', \"q\\\"!\"]}
      - name: b
        description: It's [unbalanced
          and continues
examples:
  - body: |
      {\"a\": [[[[1]]]], \"b\": \"!x\"}
---
";
        // A lone leading `---` is the document's own start; the trailing one above is not.
        assert!(prescan(&text[..text.len() - 4]).is_ok());
        assert!(prescan(&format!("---\n{}", &text[..text.len() - 4])).is_ok());
    }

    #[test]
    fn deep_flow_nesting_is_refused_where_it_passes_the_limit() {
        let text = format!("a:\n  b: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let (offset, message) = refusal(&text).unwrap();
        // Two block levels (`a`, `b`), so the 63rd bracket is the 65th level.
        assert_eq!(offset, "a:\n  b: ".len() + MAX_SPEC_DEPTH - 2);
        assert!(message.contains("more than 64 levels"), "{message}");
        let shallow = format!("a: {}{}\n", "[".repeat(60), "]".repeat(60));
        assert!(prescan(&shallow).is_ok());
    }

    #[test]
    fn flow_nesting_is_counted_past_json_style_pairs() {
        // `"a":"]"` is a pair, as in JSON: the quoted `]` closes nothing.
        let text = format!(
            "a: {{\"a\":\"]\", \"b\":{}{}}}\n",
            "[".repeat(100),
            "]".repeat(100)
        );
        assert!(refusal(&text).is_some());
        let text = format!("a: [[1]:{}{}]\n", "[".repeat(100), "]".repeat(100));
        assert!(refusal(&text).is_some());
        let text = format!("a: [x] {}{}\n", "[".repeat(100), "]".repeat(100));
        assert!(refusal(&text).is_some());
    }

    #[test]
    fn deep_block_nesting_is_refused() {
        let mut text = String::new();
        for level in 0..100 {
            text.push_str(&format!("{}k:\n", " ".repeat(level)));
        }
        assert!(refusal(&text).is_some());
        let dashes = format!("a:\n{}x\n", "- ".repeat(100));
        assert!(refusal(&dashes).is_some());
        let keys = format!("a:\n{}x\n", "? ".repeat(100));
        assert!(refusal(&keys).is_some());
        let flow_keys: String = (0..100)
            .map(|level| format!("{}[k]:\n", " ".repeat(level)))
            .collect();
        assert!(refusal(&flow_keys).is_some());
    }

    #[test]
    fn tags_are_refused_wherever_a_node_starts() {
        for (text, tag) in [
            ("a: !!binary SGVsbG8=\n", "!!binary"),
            ("a:\n  b: !!str 64\n", "!!str"),
            ("a: !Thing x\n", "!Thing"),
            ("- !x\n", "!x"),
            ("a: [1, !t 2]\n", "!t"),
            ("a: {k: !t v}\n", "!t"),
            ("a: &anchor !t v\n", "!t"),
            ("--- !t\na: 1\n", "!t"),
        ] {
            let (offset, message) = refusal(text).unwrap_or_else(|| panic!("{text:?}"));
            assert_eq!(&text[offset..offset + tag.len()], tag, "{text:?}");
            assert!(message.contains(&format!("`{tag}`")), "{message}");
        }
        for text in [
            "a: x!y\n",
            "a: 'x !y'\n",
            "a: \"!y\"\n",
            "a: [x!, 'y !z']\n",
            "a: | \n  !x\n",
            "a: b # !c\n",
        ] {
            assert_eq!(refusal(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_second_document_is_refused_at_its_start() {
        let (offset, _) = refusal("a: 1\n---\nb: 2\n").unwrap();
        assert_eq!(offset, 5);
        let (offset, _) = refusal("---\na: 1\n--- \nb: 2\n").unwrap();
        assert_eq!(offset, 9);
        let (offset, _) = refusal("a: 1\n...\nb: 2\n").unwrap();
        assert_eq!(offset, 9);
        assert_eq!(refusal("a: 1\n...\n# done\n"), None);
        assert_eq!(refusal("%YAML 1.2\n---\na: ---\n"), None);
    }

    #[test]
    fn ends_without_panic_on_random_text() {
        // Texts made of YAML's indicators, so that every branch meets every neighbour.
        let alphabet = b"[]{}:-?!&*|>'\"#%\\,. \n\n  ab";
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = next() % 64;
            let text: Vec<u8> = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let _ = prescan(std::str::from_utf8(&text).unwrap());
        }
    }

    /// A valid flow value nested `levels` deep along one branch, with siblings that hold
    /// brackets inside quotes, JSON-style pairs, comments and line breaks on the way.
    fn nested(levels: usize, next: &mut impl FnMut() -> u64) -> String {
        let scalars = [
            "a",
            "\"]\"",
            "'}'",
            "\"[{\"",
            "'it''s ]'",
            "a b",
            "\"x\\\"]\"",
        ];
        let separators = [", ", ",", " , ", ",\n    ", ", # ] [ comment\n    "];
        let mut pick = |list: &[&'static str]| list[(next() % list.len() as u64) as usize];
        let mut open = String::new();
        let mut close = Vec::new();
        for _ in 0..levels {
            let (sibling, separator) = (pick(&scalars), pick(&separators));
            match pick(&["seq", "json", "map", "bare"]) {
                "seq" => {
                    open.push_str(&format!("[{sibling}{separator}"));
                    close.push(']');
                }
                "json" => {
                    open.push_str(&format!("{{\"k\":{sibling}{separator}\"v\":"));
                    close.push('}');
                }
                "map" => {
                    open.push_str(&format!("{{k: {sibling}{separator}v: "));
                    close.push('}');
                }
                _ => {
                    open.push('[');
                    close.push(']');
                }
            }
        }
        open.push('x');
        open.extend(close.iter().rev());
        open
    }

    #[test]
    fn agrees_with_the_parser_on_the_depth_of_valid_flow_values() {
        // Differential: valid YAML whose depth is known, on both sides of the limit. The
        // scan must refuse exactly the values nested deeper than the limit: missing one
        // would let the parser's quadratic cost back in, refusing a shallow one would
        // refuse a valid spec.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..300 {
            let levels = 40 + (next() % 50) as usize;
            let text = format!("key:\n  inner: {}\n", nested(levels, &mut next));
            let depth = 2 + levels;
            let parsed = serde_yaml::from_str::<serde_yaml::Value>(&text);
            assert!(parsed.is_ok(), "not valid YAML: {text}\n{parsed:?}");
            assert_eq!(
                prescan(&text).is_err(),
                depth > MAX_SPEC_DEPTH,
                "depth {depth}: {text}"
            );
        }
    }

    #[test]
    fn long_lines_of_short_tokens_take_linear_time() {
        // Each of these is a megabyte on one line; a rescan of the line per token would
        // take minutes.
        for token in ["&a ", ": ", "? : ", "[] ", "'' ", "\"\" "] {
            let text = format!("a: {}\n", token.repeat(1_000_000 / token.len()));
            let started = std::time::Instant::now();
            let _ = prescan(&text);
            assert!(
                started.elapsed() < std::time::Duration::from_secs(2),
                "{token:?}: {:?}",
                started.elapsed()
            );
        }
    }

    #[test]
    fn ends_on_any_text() {
        for text in [
            "[", "{", "\"", "'", "a: [\"x", "a: 'x''", "- - -", "? ", "!", "&", "a: [!",
        ] {
            let _ = prescan(text);
        }
    }
}
