//! Shared helpers for the workspace tests in `tests/`.

use std::path::Path;

/// The names of the case folders under `dir`, sorted, for fixture-driven tests.
pub fn fixture_cases(dir: impl AsRef<Path>) -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(dir.as_ref())
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.as_ref().display()))
        .filter_map(|entry| {
            let entry = entry.ok()?;
            entry
                .file_type()
                .ok()?
                .is_dir()
                .then(|| entry.file_name().to_string_lossy().into_owned())
        })
        .collect();
    cases.sort();
    cases
}

/// The generator's own dependencies, and the generator: none may reach a generated crate,
/// which must build with serde, serde_json and http alone (plus its transports).
pub const GENERATOR_CRATES: &[&str] = &[
    "syn",
    "quote",
    "proc-macro2",
    "prettyplease",
    "netapi-codegen",
];
