//! Diagnostics: every problem found in the specs, with a location and an optional hint.
//!
//! The checker never stops at the first problem. Each phase pushes into a [`Diagnostics`]
//! collector and the pipeline stops between phases only if the collector is not empty, so a
//! user sees every mistake of every file in one run.

use std::fmt;
use std::path::{Path, PathBuf};

/// A position in a spec file, 1-based as editors show it, or a whole file or folder.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file or folder, as given to the loader (relative paths stay relative).
    pub file: PathBuf,
    /// Line number, starting at 1; 0 for a problem with the file or folder as a whole
    /// (see [`Location::whole`]).
    pub line: usize,
    /// Column number, starting at 1; 0 together with `line`.
    pub column: usize,
}

impl Location {
    /// A location at `line:column` of `file`.
    pub fn new(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            file: file.into(),
            line,
            column,
        }
    }

    /// The start of `file`, for problems with its text as a whole (empty, too large).
    pub fn file_start(file: &Path) -> Self {
        Location::new(file, 1, 1)
    }

    /// A file or folder with no line to point at: a folder that cannot be read, a file that
    /// is not a regular file or that the loader does not follow. Rendered as the path
    /// alone (`spec: error: ...`), since `spec:1:1:` would point at a line that is not there.
    pub fn whole(file: &Path) -> Self {
        Location::new(file, 0, 0)
    }

    /// True when this location names a file or folder as a whole, without a line.
    pub fn is_whole(&self) -> bool {
        self.line == 0
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Forward slashes on every platform keep snapshots identical across systems.
        let file = self.file.to_string_lossy().replace('\\', "/");
        if self.is_whole() {
            return f.write_str(&file);
        }
        write!(f, "{file}:{}:{}", self.line, self.column)
    }
}

/// One problem in the specs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, as one sentence without a trailing period.
    pub message: String,
    /// How to fix it, when the checker can tell.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic without a hint.
    pub fn error(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            location,
            message: message.into(),
            help: None,
        }
    }

    /// Adds a `help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: error: {}", self.location, self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem found so far, rendered sorted by file and position.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collector.
    pub fn new() -> Self {
        Diagnostics::default()
    }

    /// Records one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records a problem without a hint.
    pub fn error(&mut self, location: Location, message: impl Into<String>) {
        self.push(Diagnostic::error(location, message));
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many problems were recorded.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The problems, sorted by location then message, without duplicates.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by(|a, b| {
            (&a.location, &a.message, &a.help).cmp(&(&b.location, &b.message, &b.help))
        });
        items.dedup();
        items
    }

    /// Ends a phase: `Ok(value)` if nothing was recorded, otherwise every problem.
    ///
    /// Later phases may assume the invariants the earlier ones checked, so the pipeline
    /// stops here rather than piling follow-on errors onto the real ones.
    pub fn finish<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Moves every problem of `other` into `self`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sorted = self.sorted();
        for diagnostic in &sorted {
            writeln!(f, "{diagnostic}")?;
        }
        let n = sorted.len();
        write!(
            f,
            "error: {n} problem{} found",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}

/// The closest candidate to `name`, for "did you mean" hints.
///
/// Uses an edit distance and accepts a candidate only when it is close relative to the
/// name's length, so a hint never points at something unrelated.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lowered = name.to_ascii_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let distance = edit_distance(&lowered, &candidate.to_ascii_lowercase());
        let limit = (name.chars().count().max(candidate.chars().count()) / 3).max(1);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Edit distance where swapping two adjacent characters counts as one edit (optimal string
/// alignment), since transposed letters are the most common typo in names.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["max_length", "min_length", "maximum"];
        assert_eq!(did_you_mean("maxlength", names), Some("max_length"));
        assert_eq!(did_you_mean("colour", names), None);
        assert_eq!(
            did_you_mean("PolicyRul", ["PolicyRule", "Dpd"]),
            Some("PolicyRule")
        );
    }

    #[test]
    fn renders_sorted_with_help() {
        let mut d = Diagnostics::new();
        d.error(Location::new("b.yaml", 1, 1), "second");
        d.push(Diagnostic::error(Location::new("a.yaml", 3, 5), "first").with_help("do this"));
        assert_eq!(
            d.to_string(),
            "a.yaml:3:5: error: first\n  help: do this\nb.yaml:1:1: error: second\nerror: 2 problems found"
        );
    }

    #[test]
    fn a_whole_file_or_folder_has_no_line() {
        let diagnostic = Diagnostic::error(Location::whole(Path::new("spec")), "cannot read");
        assert_eq!(diagnostic.to_string(), "spec: error: cannot read");
    }
}
