//! Synthetic spec sets derived from the real specs, shared by the `synth` and
//! `bench_generate` examples.

use std::path::Path;

/// Writes whole copies of the spec set under `spec` into `out` (replacing it), as many as
/// `count` operations need, and returns how many operations it wrote: `count` rounded up to
/// a whole number of copies. Copy `r` renames every operation id (`<id>_<r>`), every type
/// name, shared ones included (`<Name><r>`), and every resource file (`<name>_<r>`), in
/// all of its files alike, so each copy is the spec set again, with operations of the same
/// shapes that reach their own copies of the shared types and waiters.
pub fn write(spec: &Path, count: usize, out: &Path) -> Result<usize, String> {
    let checked = netapi_codegen::check_dir(spec).map_err(|d| d.to_string())?;
    if checked.files.is_empty() {
        return Err(format!("no specs under {}", spec.display()));
    }
    let ids: Vec<&str> = checked
        .files
        .iter()
        .map(|f| f.spec.operation.id.as_str())
        .collect();
    let mut types: Vec<&str> = checked
        .files
        .iter()
        .flat_map(|f| {
            let spec = &f.spec;
            spec.request
                .iter()
                .flat_map(|r| &r.types)
                .chain(spec.response.iter().flat_map(|r| &r.types))
                .map(|t| t.name.as_str())
        })
        .chain(
            checked
                .resources
                .iter()
                .flat_map(|r| r.spec.types.iter().map(|t| t.name.as_str())),
        )
        .collect();
    types.sort_unstable();
    types.dedup();
    let rename = |text: &str, round: usize| {
        let mut text = text.to_owned();
        for id in &ids {
            text = rename_word(&text, id, &format!("{id}_{round}"));
        }
        for name in &types {
            text = rename_word(&text, name, &format!("{name}{round}"));
        }
        text
    };
    let _ = std::fs::remove_dir_all(out);
    let rounds = count.div_ceil(ids.len()).max(1);
    let write = |path: &Path, text: String| {
        let dir = path.parent().expect("a file in a folder");
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    for round in 0..rounds {
        for file in &checked.files {
            let operation = &file.spec.operation;
            let path = out
                .join(&operation.service)
                .join(format!("{}_{round}.yaml", operation.id));
            write(&path, rename(&file.text, round))?;
        }
        for file in &checked.resources {
            let header = &file.spec.resource;
            // The name equals the file name; it appears once, as `name: <name>` in the header.
            let text = rename(&file.text, round).replacen(
                &format!("  name: {}\n", header.name),
                &format!("  name: {}_{round}\n", header.name),
                1,
            );
            let path = out
                .join(&header.service)
                .join("resources")
                .join(format!("{}_{round}.yaml", header.name));
            write(&path, text)?;
        }
    }
    Ok(rounds * ids.len())
}

/// Replaces `word` wherever it stands as a whole word (not inside a longer identifier).
/// Type names are UpperCamelCase and field names snake_case, so only type names and the
/// same word in prose match; prose changing does not change a spec's shape.
fn rename_word(text: &str, word: &str, to: &str) -> String {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + word.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(is_ident) || after.is_some_and(is_ident) {
            out.push_str(word);
        } else {
            out.push_str(to);
        }
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}
