//! Fingerprints the generator's own source, so generated files can record which generator
//! made them: a file is reused by a later run only if the same generator, on the same
//! input, would write it again (see `fingerprint.rs`). The runtime's source lives in its own
//! crate (`codegen/runtime`), whose `build.rs` fingerprints it the same way; `fingerprint.rs`
//! mixes the two, so a published `netapi-codegen`, which cannot see the runtime's folder
//! from here, still covers it. The formatter (syn, prettyplease) is a dependency this
//! script cannot see either; `fingerprint::generator` adds its behaviour at run time.
//!
//! Cargo reruns this script whenever any file of the package changes (it prints no
//! `rerun-if-changed`), which is exactly when the fingerprint may change.

use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut files = Vec::new();
    collect(&manifest.join("src"), &mut files);
    files.sort();
    // FNV-1a over every source file's relative path and bytes, in sorted order.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &files {
        let relative = file.strip_prefix(&manifest).unwrap_or(file);
        let bytes = std::fs::read(file).expect("a source file can be read");
        let name = relative.to_string_lossy();
        for byte in name.bytes().chain([0]).chain(bytes).chain([0]) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    std::fs::write(out.join("source_fingerprint.rs"), format!("{hash:#018x}"))
        .expect("OUT_DIR is writable");
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the source folder can be read") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
