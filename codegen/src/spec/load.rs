//! Reading spec files from disk and parsing them into [`SpecFile`]s.

use std::borrow::Cow;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::pos::{NodePath, PositionIndex};
use super::{RESOURCES_DIR, ResourceFile, SPEC_EXTENSION, SpecFile};
use crate::diag::{Diagnostic, Diagnostics, Location, did_you_mean};

/// Spec files above this size are refused before parsing: no hand-written spec comes near
/// it, and parsing a huge file would only burn the user's build time.
pub const MAX_SPEC_BYTES: usize = 4 * 1024 * 1024;

/// A parsed spec file with what is needed to point back into its text: an operation file
/// (`SpecFile`, the default) or a resource file ([`LoadedResource`]).
#[derive(Clone, Debug)]
pub struct LoadedFile<S = SpecFile> {
    /// The path as it will appear in diagnostics.
    pub path: PathBuf,
    /// The parsed content.
    pub spec: S,
    /// Where each node starts, built from `text` on first use: only diagnostics need it,
    /// and on a large spec set it would cost more memory than everything else loaded.
    positions: OnceLock<PositionIndex>,
    /// The file's text, for pointing inside multi-line values such as example bodies.
    pub text: String,
}

/// A parsed resource file (`spec/<service>/resources/<resource>.yaml`).
pub type LoadedResource = LoadedFile<ResourceFile>;

impl<S> LoadedFile<S> {
    /// A file parsed from `text`.
    pub fn new(path: PathBuf, spec: S, text: String) -> Self {
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
    /// The parsed operation files, sorted by path.
    pub files: Vec<LoadedFile>,
    /// The parsed resource files, sorted by path.
    pub resources: Vec<LoadedResource>,
    /// Every file and directory the loader read, for `cargo:rerun-if-changed`.
    pub inputs: Vec<PathBuf>,
}

/// Loads every `*.yaml` file under `dir`, recursively, skipping none and stopping at none:
/// files that fail to parse each add a diagnostic and the rest are still read. The set holds
/// every file that parsed, so semantic checks can report on them in the same run. Files
/// are parsed on up to `jobs` threads.
///
/// Only what lies inside `dir` is read. A symbolic link is followed when it leads to a
/// `*.yaml` regular file inside `dir`; a link to a folder inside `dir` is skipped, since that
/// folder is read where it is; a `*.yaml` link or any folder link that leads out of `dir` is
/// refused with a diagnostic, and so is a `*.yaml` entry that is not a regular file (a FIFO,
/// a socket, a device), which is never opened. Files and links without the extension are
/// not spec files and are left alone.
pub fn load_dir(dir: &Path, jobs: usize) -> (SpecSet, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let mut paths = Vec::new();
    let mut inputs = vec![dir.to_path_buf()];
    match fs::canonicalize(dir) {
        Ok(root) => Walk {
            root,
            paths: &mut paths,
            inputs: &mut inputs,
            diagnostics: &mut diagnostics,
        }
        .dir(dir),
        Err(error) => diagnostics.push(Diagnostic::error(
            Location::whole(dir),
            format!("cannot read spec directory: {error}"),
        )),
    }
    paths.sort();
    if paths.is_empty() && diagnostics.is_empty() {
        diagnostics.push(
            Diagnostic::error(Location::whole(dir), "no spec files found").with_help(format!(
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
/// those that parsed and the diagnostics every problem. Each must be a regular file; at
/// most [`MAX_SPEC_BYTES`] and one byte of it are read.
pub fn load_files(paths: &[PathBuf], jobs: usize) -> (SpecSet, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let mut set = SpecSet::default();
    let loaded = crate::par::map(paths, jobs, |path| {
        read_spec(path).and_then(|bytes| {
            if is_resource_path(path) {
                parse_resource(path, &bytes).map(|f| Parsed::Resource(Box::new(f)))
            } else {
                parse_file(path, &bytes).map(|f| Parsed::Operation(Box::new(f)))
            }
        })
    });
    for (path, result) in paths.iter().zip(loaded) {
        set.inputs.push(path.clone());
        match result {
            Ok(Parsed::Operation(file)) => set.files.push(*file),
            Ok(Parsed::Resource(file)) => set.resources.push(*file),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    set.files.sort_by(|a, b| a.path.cmp(&b.path));
    set.resources.sort_by(|a, b| a.path.cmp(&b.path));
    (set, diagnostics)
}

/// One file read by [`load_files`], of either kind (boxed: they differ much in size, and
/// the parsed files are moved around while being collected).
enum Parsed {
    Operation(Box<LoadedFile>),
    Resource(Box<LoadedResource>),
}

/// True for `.../<service>/resources/<resource>.yaml`: a file in a folder named
/// `resources` is a resource file, anything else an operation file.
pub(crate) fn is_resource_path(path: &Path) -> bool {
    path.parent()
        .and_then(Path::file_name)
        .is_some_and(|name| name == RESOURCES_DIR)
}

/// The walk of a spec folder: the files found so far and the problems met.
struct Walk<'w> {
    /// The spec folder, with every link resolved: nothing outside it is followed.
    root: PathBuf,
    /// The spec files found.
    paths: &'w mut Vec<PathBuf>,
    /// The folders walked and the files found, for `cargo:rerun-if-changed`.
    inputs: &'w mut Vec<PathBuf>,
    diagnostics: &'w mut Diagnostics,
}

impl Walk<'_> {
    fn dir(&mut self, dir: &Path) {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(error) => {
                self.diagnostics.push(Diagnostic::error(
                    Location::whole(dir),
                    format!("cannot read spec directory: {error}"),
                ));
                return;
            }
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            // `symlink_metadata` does not follow links, so a link is seen as a link and
            // judged before anything it points to is touched.
            let Ok(metadata) = fs::symlink_metadata(&path) else {
                // Removed since the folder was listed: it is not part of this run.
                continue;
            };
            let is_spec = path.extension().is_some_and(|e| e == SPEC_EXTENSION);
            if metadata.file_type().is_symlink() {
                self.link(&path, is_spec);
            } else if metadata.is_dir() {
                self.inputs.push(path.clone());
                self.dir(&path);
            } else if is_spec {
                match not_regular(&metadata) {
                    None => self.paths.push(path),
                    Some(kind) => self.diagnostics.push(refused_kind(&path, kind)),
                }
            }
        }
    }

    /// Judges a symbolic link: followed only to a `*.yaml` regular file inside the folder.
    fn link(&mut self, path: &Path, is_spec: bool) {
        let written = fs::read_link(path)
            .map(|t| t.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let (target, metadata) = match fs::canonicalize(path).and_then(|t| {
            let metadata = fs::metadata(&t)?;
            Ok((t, metadata))
        }) {
            Ok(found) => found,
            Err(error) => {
                if is_spec {
                    self.diagnostics.push(Diagnostic::error(
                        Location::whole(path),
                        format!("cannot follow the symbolic link to `{written}`: {error}"),
                    ));
                }
                return;
            }
        };
        let inside = target.starts_with(&self.root);
        if metadata.is_dir() {
            if !inside {
                self.diagnostics.push(
                    Diagnostic::error(
                        Location::whole(path),
                        format!(
                            "symbolic link to the folder `{written}`, outside the spec folder: not followed"
                        ),
                    )
                    .with_help("the loader reads only what lies inside the spec folder; move the folder into it"),
                );
            }
            // A folder inside the spec folder is read where it is; following the link
            // would read it twice, or forever when the link points at an ancestor.
            return;
        }
        if !is_spec {
            return;
        }
        if !inside {
            self.diagnostics.push(
                Diagnostic::error(
                    Location::whole(path),
                    format!("symbolic link to `{written}`, outside the spec folder: not followed"),
                )
                .with_help(
                    "the loader reads only what lies inside the spec folder; copy the file into it",
                ),
            );
            return;
        }
        match not_regular(&metadata) {
            None => self.paths.push(path.to_path_buf()),
            Some(kind) => self.diagnostics.push(refused_kind(path, kind)),
        }
    }
}

/// What kind of non-regular file `metadata` describes, or `None` for a regular file.
fn not_regular(metadata: &fs::Metadata) -> Option<&'static str> {
    if metadata.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return Some("a FIFO");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
    }
    if metadata.is_dir() {
        return Some("a folder");
    }
    Some("not a regular file")
}

fn refused_kind(path: &Path, kind: &str) -> Diagnostic {
    Diagnostic::error(
        Location::whole(path),
        format!("not a regular file ({kind}): refused, never opened"),
    )
    .with_help(format!(
        "spec files are regular `*.{SPEC_EXTENSION}` files; remove it or rename it"
    ))
}

/// Reads a spec file: a regular file only, and at most [`MAX_SPEC_BYTES`] and one byte of
/// it, so that neither a FIFO, a device nor a huge file can hang the run or fill memory.
fn read_spec(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let cannot = |error: std::io::Error| {
        Diagnostic::error(Location::whole(path), format!("cannot read file: {error}"))
    };
    // Checked before opening: opening a FIFO for reading blocks until a writer comes.
    let metadata = fs::metadata(path).map_err(cannot)?;
    if let Some(kind) = not_regular(&metadata) {
        return Err(refused_kind(path, kind));
    }
    let file = fs::File::open(path).map_err(cannot)?;
    // And again on the open file, in case the path was replaced in between.
    let opened = file.metadata().map_err(cannot)?;
    if let Some(kind) = not_regular(&opened) {
        return Err(refused_kind(path, kind));
    }
    let bytes = read_bounded(file, MAX_SPEC_BYTES).map_err(cannot)?;
    if bytes.len() > MAX_SPEC_BYTES {
        return Err(too_large(path, opened.len().max(bytes.len() as u64)));
    }
    Ok(bytes)
}

/// Reads at most `limit + 1` bytes: one more than allowed is enough to know it is too many.
fn read_bounded(reader: impl Read, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn too_large(path: &Path, size: u64) -> Diagnostic {
    Diagnostic::error(
        Location::file_start(path),
        format!("file is {size} bytes, more than the {MAX_SPEC_BYTES}-byte limit for a spec file"),
    )
    .with_help("split the operation's spec or remove generated content")
}

/// Parses one spec file's bytes. Returns the first problem serde finds, with its location;
/// YAML parsing cannot resume after an error, so one per file is all there is.
pub fn parse_file(path: &Path, bytes: &[u8]) -> Result<LoadedFile, Diagnostic> {
    parse_as(
        path,
        bytes,
        "a spec file needs at least an `operation:` section",
    )
}

/// Parses one resource file's bytes, as [`parse_file`] does an operation file's.
pub fn parse_resource(path: &Path, bytes: &[u8]) -> Result<LoadedResource, Diagnostic> {
    parse_as(
        path,
        bytes,
        "a resource file needs at least a `resource:` section",
    )
}

fn parse_as<S: serde::de::DeserializeOwned>(
    path: &Path,
    bytes: &[u8],
    empty_help: &str,
) -> Result<LoadedFile<S>, Diagnostic> {
    if bytes.len() > MAX_SPEC_BYTES {
        return Err(too_large(path, bytes.len() as u64));
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
    // YAML reads `\r\n` and a lone `\r` as line breaks, and so must everything that counts
    // lines after it (the pre-scan, the position index, example locations): with the text
    // normalised once, a file saved with old Mac line endings is located like any other.
    let text = normalize_line_breaks(text);
    if text.trim().is_empty() {
        return Err(
            Diagnostic::error(Location::file_start(path), "file is empty").with_help(empty_help),
        );
    }
    if let Some(offset) = text.find('\t').filter(|&i| is_indentation(&text, i)) {
        let (line, column) = line_column(text.as_bytes(), offset);
        return Err(Diagnostic::error(
            Location::new(path, line, column),
            "tab character in indentation",
        )
        .with_help("YAML indentation must use spaces"));
    }
    // Refused before the parser sees them: deep nesting (the parser is quadratic in it),
    // tags and further documents (which it would accept or place at 1:1).
    if let Err(refusal) = super::scan::prescan(&text) {
        let (line, column) = line_column(text.as_bytes(), refusal.offset);
        return Err(
            Diagnostic::error(Location::new(path, line, column), refusal.message)
                .with_help(refusal.help),
        );
    }
    match serde_yaml::from_str::<S>(&text) {
        Ok(spec) => Ok(LoadedFile::new(path.to_path_buf(), spec, text.into_owned())),
        Err(error) => {
            let diagnostic = yaml_error(path, &error);
            let flow = error
                .location()
                .and_then(|l| super::flow_list_help(&text, l.line()));
            Err(match flow {
                Some(help) => diagnostic.with_help(help),
                None => diagnostic,
            })
        }
    }
}

/// `text` with every `\r\n` and lone `\r` turned into `\n`, borrowed when it has none.
fn normalize_line_breaks(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
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
    if let Some((prefix, float)) = float_for_integer(&message) {
        let value = float.parse::<f64>().unwrap_or(f64::NAN);
        help = Some(if value.fract() == 0.0 && value.abs() < 9.0e15 {
            format!("integers are written as integers: `{}`", value as i64)
        } else {
            "this key takes a whole number".to_owned()
        });
        // The parser prints huge floats in full; scientific notation keeps the line short.
        let shown = if float.len() > 24 {
            format!("{value:e}")
        } else {
            float.to_owned()
        };
        message = format!(
            "{prefix}expected an integer, found a floating-point number (read as `{shown}`)"
        );
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

/// Splits serde's "invalid type: floating point `60.0`, expected i64" (for any integer
/// type) into what precedes it (the node path) and the number as written.
fn float_for_integer(message: &str) -> Option<(&str, &str)> {
    let start = message.find("invalid type: floating point `")?;
    let rest = &message[start + "invalid type: floating point `".len()..];
    let (float, expected) = rest.split_once("`, expected ")?;
    let integer = matches!(
        expected,
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64"
    );
    integer.then_some((&message[..start], float))
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

/// 1-based line and column (in characters) of byte `offset`. A lone `\r` ends a line, as
/// it does for YAML (this also runs on raw bytes, before line breaks are normalised).
pub(crate) fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let is_break =
        |i: usize| before[i] == b'\n' || (before[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
    let line = (0..before.len()).filter(|&i| is_break(i)).count() + 1;
    let line_start = (0..before.len())
        .rev()
        .find(|&i| is_break(i))
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_at_most_one_byte_past_the_limit() {
        // An endless source, as `/dev/zero` is: reading stops one byte past the limit.
        let bytes = read_bounded(std::io::repeat(b'x'), 1000).unwrap();
        assert_eq!(bytes.len(), 1001);
    }

    /// Links that stay inside the spec folder: one to a file is followed, one to a folder
    /// (here, the spec folder itself, which would loop) is skipped.
    #[cfg(unix)]
    #[test]
    fn links_inside_the_folder_are_followed_to_files_and_skipped_to_folders() {
        use std::os::unix::fs::symlink;
        let broken =
            include_str!("../../../tests/fixtures/check/syntax_error/vpn/create_widget.yaml");
        let valid = broken.replace("    extra: indentation: wrong\n", "");
        let work = tempfile::tempdir().unwrap();
        let spec = work.path().join("spec");
        fs::create_dir_all(spec.join("vpn")).unwrap();
        fs::create_dir_all(spec.join("shared")).unwrap();
        fs::write(spec.join("shared/widget.yml"), valid).unwrap();
        symlink("../shared/widget.yml", spec.join("vpn/create_widget.yaml")).unwrap();
        symlink("..", spec.join("vpn/up")).unwrap();
        let (set, diagnostics) = load_dir(&spec, 1);
        assert!(diagnostics.is_empty(), "{diagnostics}");
        let files: Vec<&Path> = set.files.iter().map(|f| f.path.as_path()).collect();
        assert_eq!(files, [spec.join("vpn/create_widget.yaml")]);
    }

    #[test]
    fn a_missing_folder_is_named_without_a_line() {
        let (set, diagnostics) = load_dir(Path::new("no/such/spec/folder"), 1);
        assert!(set.files.is_empty());
        let rendered = diagnostics.to_string();
        assert!(
            rendered.starts_with("no/such/spec/folder: error: cannot read spec directory: "),
            "{rendered}"
        );
    }
}
