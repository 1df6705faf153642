//! Synthetic spec sets derived from the real specs, shared by the `synth` and
//! `bench_generate` examples.

use std::path::Path;

/// Writes `count` operations into `out` (replacing it): the specs under `spec` copied
/// round-robin, each with its operation id and its type names renamed (`_<i>` and `<i>`
/// appended), so every copy is a new operation of the same shape.
pub fn write(spec: &Path, count: usize, out: &Path) -> Result<(), String> {
    let checked = netapi_codegen::check_dir(spec).map_err(|d| d.to_string())?;
    if checked.files.is_empty() {
        return Err(format!("no specs under {}", spec.display()));
    }
    let _ = std::fs::remove_dir_all(out);
    for i in 0..count {
        let file = &checked.files[i % checked.files.len()];
        let spec = &file.spec;
        let operation = &spec.operation;
        let id = format!("{}_{i}", operation.id);
        // The id appears once as `id: <id>`; renaming it renames the module and the file.
        let mut text = file.text.replacen(
            &format!("id: {}\n", operation.id),
            &format!("id: {id}\n"),
            1,
        );
        let mut types: Vec<&str> = spec
            .request
            .iter()
            .flat_map(|r| &r.types)
            .chain(spec.response.iter().flat_map(|r| &r.types))
            .map(|t| t.name.as_str())
            .collect();
        types.sort_unstable();
        types.dedup();
        for name in types {
            text = rename_word(&text, name, &format!("{name}{i}"));
        }
        let dir = out.join(&operation.service);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = dir.join(format!("{id}.yaml"));
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
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
