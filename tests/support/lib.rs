//! Shared helpers for the workspace tests in `tests/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

/// The target directory of the tests that run real `cargo` builds of generated crates
/// (`target/e2e`), shared between runs, so only the first run pays for compiling serde.
pub fn e2e_target() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("e2e")
}

/// Runs `cargo args` in `dir`, in [`e2e_target`], with warnings denied in code and docs.
pub fn cargo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", e2e_target())
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

/// Fails the test with both outputs of `output` unless it succeeded.
pub fn assert_success(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

/// Every operation file (`*.yaml` outside `resources/`) under `dir`, sorted. Tests over the real
/// specs derive their expectations from this list, so adding an endpoint breaks none.
pub fn spec_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            // A `resources/` folder holds resource files (shared types and waiters), not
            // operations.
            if !path.ends_with("resources") {
                out.extend(spec_files(&path));
            }
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
    out.sort();
    out
}
