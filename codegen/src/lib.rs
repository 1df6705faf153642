//! netapi-codegen: turns hand-transcribed API tables (YAML) into a typed Rust client.
//!
//! The pipeline runs one way: [`spec`] (YAML as written) → [`check`] (every rule, all
//! errors) → IR → emit → write. See `ARCHITECTURE.md` for the map.

#![deny(missing_docs)]

pub mod check;
pub mod diag;
pub mod runtime;
pub mod spec;

use std::path::Path;

pub use check::{Checked, Stats};
pub use diag::{Diagnostic, Diagnostics, Location};

/// Loads and checks every spec under `dir`: the `check` command and the first half of
/// generation. Returns every problem of every file at once.
pub fn check_dir(dir: &Path) -> Result<Checked, Diagnostics> {
    let (set, mut diagnostics) = spec::load_dir(dir);
    // Files that failed to parse are already reported; checking the others in the same run
    // shows every problem at once. Nothing past `check` runs unless all of it is clean.
    match check::check(set) {
        Ok(checked) => diagnostics.finish(checked),
        Err(errors) => {
            diagnostics.extend(errors);
            Err(diagnostics)
        }
    }
}
