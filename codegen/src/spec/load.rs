//! Reading spec files from disk and parsing them into [`SpecFile`]s.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::pos::{NodePath, PositionIndex};
use super::{SPEC_EXTENSION, SpecFile};
use crate::diag::{Diagnostic, Diagnostics, Location, did_you_mean};

/// Spec files above this size are refused before parsing: no hand-written spec comes near
/// it, and parsing a huge file would only burn the user's build time.
pub const MAX_SPEC_BYTES: usize = 4 * 1024 * 1024;

/// A parsed spec file with what is needed to point back into its text.
#[derive(Clone, Debug)]
pub struct LoadedFile {
    /// The path as it will appear in diagnostics.
    pub path: PathBuf,
    /// The parsed content.
    pub spec: SpecFile,
    /// Where each node starts, built from `text` on first use: only diagnostics need it,
    /// and on a large spec set it would cost more memory than everything else loaded.
    positions: OnceLock<PositionIndex>,
    /// The file's text, for pointing inside multi-line values such as example bodies.
    pub text: String,
}

impl LoadedFile {
    /// A file parsed from `text`.
    pub fn new(path: PathBuf, spec: SpecFile, text: String) -> Self {
        LoadedFile {
            path,
            spec,
            positions: OnceLock::new(),
            text,
        }
    }

    /// Where each node starts.
    pub fn positions(&self) -> &PositionIndex {
        self.positions
            .get_or_init(|| PositionIndex::build(&self.text))
    }

    /// The location of `node` in this file (or of its nearest placed ancestor).
    pub fn locate(&self, node: &NodePath) -> Location {
        let (line, column) = self.positions().find(node);
        Location::new(&self.path, line, column)
    }
}

/// All spec files of a run, in a stable order, and every file that was read.
#[derive(Clone, Debug, Default)]
pub struct SpecSet {
    /// The parsed files, sorted by path.
    pub files: Vec<LoadedFile>,
    /// Every file and directory the loader read, for `cargo:rerun-if-changed`.
    pub inputs: Vec<PathBuf>,
}

/// Loads every `*.yaml` file under `dir`, recursively, skipping none and stopping at none:
/// files that fail to parse each add a diagnostic and the rest are still read. The set holds
/// every file that parsed, so semantic checks can report on them in the same run. Files
/// are parsed on up to `jobs` threads.
pub fn load_dir(dir: &Path, jobs: usize) -> (SpecSet, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let mut paths = Vec::new();
    let mut inputs = vec![dir.to_path_buf()];
    collect_yaml(dir, &mut paths, &mut inputs, &mut diagnostics);
    paths.sort();
    if paths.is_empty() && diagnostics.is_empty() {
        diagnostics.push(
            Diagnostic::error(Location::file_start(dir), "no spec files found").with_help(format!(
                "spec files are `*.{SPEC_EXTENSION}` files under this directory"
            )),
        );
    }
    let (mut set, errors) = load_files(&paths, jobs);
    diagnostics.extend(errors);
    inputs.append(&mut set.inputs);
    set.inputs = inputs;
    set.inputs.sort();
    set.inputs.dedup();
    (set, diagnostics)
}

/// Loads the given files, on up to `jobs` threads. Every file is attempted; the set holds
/// those that parsed and the diagnostics every problem.
pub fn load_files(paths: &[PathBuf], jobs: usize) -> (SpecSet, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let mut set = SpecSet::default();
    let loaded = crate::par::map(paths, jobs, |path| match fs::read(path) {
        Ok(bytes) => parse_file(path, &bytes),
        Err(error) => Err(Diagnostic::error(
            Location::file_start(path),
            format!("cannot read file: {error}"),
        )),
    });
    for (path, result) in paths.iter().zip(loaded) {
        set.inputs.push(path.clone());
        match result {
            Ok(file) => set.files.push(file),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    set.files.sort_by(|a, b| a.path.cmp(&b.path));
    (set, diagnostics)
}

fn collect_yaml(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    inputs: &mut Vec<PathBuf>,
    diagnostics: &mut Diagnostics,
) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            diagnostics.error(
                Location::file_start(dir),
                format!("cannot read spec directory: {error}"),
            );
            return;
        }
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            inputs.push(path.clone());
            collect_yaml(&path, out, inputs, diagnostics);
        } else if path.extension().is_some_and(|e| e == SPEC_EXTENSION) {
            out.push(path);
        }
    }
}

/// Parses one spec file's bytes. Returns the first problem serde finds, with its location;
/// YAML parsing cannot resume after an error, so one per file is all there is.
pub fn parse_file(path: &Path, bytes: &[u8]) -> Result<LoadedFile, Diagnostic> {
    if bytes.len() > MAX_SPEC_BYTES {
        return Err(Diagnostic::error(
            Location::file_start(path),
            format!(
                "file is {} bytes, more than the {MAX_SPEC_BYTES}-byte limit for a spec file",
                bytes.len()
            ),
        )
        .with_help("split the operation's spec or remove generated content"));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let (line, column) = line_column(bytes, error.valid_up_to());
            return Err(Diagnostic::error(
                Location::new(path, line, column),
                "file is not valid UTF-8",
            )
            .with_help("save the file as UTF-8"));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(
            Diagnostic::error(Location::file_start(path), "file is empty")
                .with_help("a spec file needs at least an `operation:` section"),
        );
    }
    if let Some(offset) = text.find('\t').filter(|&i| is_indentation(text, i)) {
        let (line, column) = line_column(text.as_bytes(), offset);
        return Err(Diagnostic::error(
            Location::new(path, line, column),
            "tab character in indentation",
        )
        .with_help("YAML indentation must use spaces"));
    }
    match serde_yaml::from_str::<SpecFile>(text) {
        Ok(spec) => Ok(LoadedFile::new(path.to_path_buf(), spec, text.to_owned())),
        Err(error) => {
            let diagnostic = yaml_error(path, &error);
            let flow = error
                .location()
                .and_then(|l| super::flow_list_help(text, l.line()));
            Err(match flow {
                Some(help) => diagnostic.with_help(help),
                None => diagnostic,
            })
        }
    }
}

/// True when the tab at `offset` comes before any other character on its line.
fn is_indentation(text: &str, offset: usize) -> bool {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..offset]
        .chars()
        .all(|c| c == ' ' || c == '\t')
}

/// Turns a serde_yaml error into a diagnostic: the location, the message without the
/// "at line N column M" suffix, and a did-you-mean hint for unknown keys and values.
fn yaml_error(path: &Path, error: &serde_yaml::Error) -> Diagnostic {
    let location = match error.location() {
        Some(l) => Location::new(path, l.line(), l.column()),
        None => Location::file_start(path),
    };
    let full = error.to_string();
    let mut message = strip_marks(&full);
    let mut help = None;
    for (what, noun) in [("unknown field", "key"), ("unknown variant", "value")] {
        if let Some((found, expected)) = parse_unknown(&message, what) {
            let suggestion = did_you_mean(&found, expected.iter().map(String::as_str));
            let prefix = message.split(what).next().unwrap_or_default().to_owned();
            message = format!("{prefix}unknown {noun} `{found}`");
            help = Some(match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None if expected.is_empty() => format!("this place takes no {noun}s"),
                None => format!("expected one of: {}", expected.join(", ")),
            });
        }
    }
    if message.contains("repetition limit exceeded") {
        help =
            Some("YAML anchors and aliases here expand too far; write the values out".to_owned());
    } else if message.contains("recursion limit exceeded") {
        help = Some("the document nests too deeply for a spec".to_owned());
    }
    let diagnostic = Diagnostic::error(location, message);
    match help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

/// Removes every " at line N column M" from a libyaml or serde_yaml message.
fn strip_marks(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(start) = rest.find(" at line ") {
        out.push_str(&rest[..start]);
        let tail = &rest[start + " at line ".len()..];
        let skip = tail
            .find(" column ")
            .map(|i| i + " column ".len())
            .map(|i| {
                i + tail[i..]
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(tail.len() - i)
            });
        match skip {
            Some(end) => rest = &tail[end..],
            None => {
                rest = tail;
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parses serde's "unknown field `x`, expected one of `a`, `b`" (or "expected `a`", or
/// "there are no fields") into the found name and the expected names.
fn parse_unknown(message: &str, what: &str) -> Option<(String, Vec<String>)> {
    let start = message.find(what)? + what.len();
    let rest = &message[start..];
    let found = rest.split('`').nth(1)?.to_owned();
    let after = rest.splitn(3, '`').nth(2).unwrap_or_default();
    let expected = after
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    Some((found, expected))
}

/// 1-based line and column (in characters) of byte `offset`.
pub(crate) fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}
