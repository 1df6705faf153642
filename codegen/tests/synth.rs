//! The synthetic spec sets of the benchmarks (`examples/synth`, `bench_generate`,
//! `bench_build`, `scripts/compare-progenitor`) pass the checker: they are whole copies of
//! `spec/`, shared types and resource files included, with every name renamed alike. A set
//! that did not check would leave every benchmark of a large crate without a figure.

use std::path::Path;

#[path = "../examples/support/synth.rs"]
mod synth;

#[test]
fn synthetic_sets_are_whole_copies_that_pass_the_checker() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let real = netapi_codegen::check_dir(&spec).unwrap_or_else(|d| panic!("{d}"));
    let operations = real.files.len();
    let dir = tempfile::tempdir().unwrap();
    // One operation more than a copy holds needs a second copy.
    for (count, copies) in [(1, 1), (operations, 1), (operations + 1, 2)] {
        let out = dir.path().join(count.to_string());
        let written = synth::write(&spec, count, &out).unwrap();
        assert_eq!(written, copies * operations, "{count} operations asked for");
        let checked = netapi_codegen::check_dir(&out).unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(checked.files.len(), written);
        assert_eq!(checked.resources.len(), copies * real.resources.len());
        let types = |c: &netapi_codegen::Checked| c.stats.types;
        assert_eq!(types(&checked), copies * types(&real), "every type copied");
    }
}
