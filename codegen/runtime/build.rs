//! Fingerprints the runtime's source (every file under `src/`, the shipped files, this
//! crate's own `lib.rs` and the generator's tables alike) into `SOURCE_FINGERPRINT`, which
//! the generator mixes into its own: generated files record which generator made them, and
//! the runtime is part of the generator (it is shipped, and its vocabulary and checks decide
//! what the generator writes), wherever the runtime's source lives.
//!
//! Cargo reruns this script whenever any file of the package changes (it prints no
//! `rerun-if-changed`), which is exactly when the fingerprint may change.

use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut files = Vec::new();
    collect(&manifest.join("src"), &mut files);
    files.sort();
    // FNV-1a over every source file's relative path and bytes, in sorted order, as the
    // generator's `build.rs` hashes its own.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &files {
        let relative = file.strip_prefix(&manifest).unwrap_or(file);
        let bytes = std::fs::read(file).expect("a source file can be read");
        let name = relative.to_string_lossy().replace('\\', "/");
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
