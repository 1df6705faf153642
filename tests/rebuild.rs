//! `cargo build` regenerates the crate when a spec changes, stays fresh when nothing
//! changed, and fails with the checker's diagnostics (no panic) when a spec is broken.
//!
//! The test builds a copy of `generated/` against a small fixture spec, in the shared
//! `target/e2e` directory, with the real `build.rs`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cargo_build(dir: &Path, verbose: bool) -> Output {
    let mut command = Command::new(env!("CARGO"));
    command.arg("build").arg("--offline");
    if verbose {
        command.arg("-v");
    }
    command
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target")
                .join("e2e"),
        )
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A workspace holding `spec/` and a copy of the `netapi` crate that depends on the
/// generator by path, as the real one does, with the feature of the fixture's service on.
fn scratch_workspace() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec/vpn/create_widget.yaml");
    fs::create_dir_all(spec.parent().unwrap()).unwrap();
    fs::copy(
        root.join("tests/fixtures/rebuild/spec/vpn/create_widget.yaml"),
        &spec,
    )
    .unwrap();
    let krate = dir.path().join("generated");
    fs::create_dir_all(krate.join("src")).unwrap();
    fs::copy(root.join("generated/build.rs"), krate.join("build.rs")).unwrap();
    fs::write(krate.join("src/lib.rs"), "#![warn(missing_docs)]\n//! Scratch copy.\ninclude!(concat!(env!(\"OUT_DIR\"), \"/netapi/netapi.rs\"));\n").unwrap();
    let codegen = root
        .join("codegen")
        .display()
        .to_string()
        .replace('\\', "/");
    fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"netapi\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [features]\ndefault = [\"vpn\", \"check\"]\nvpn = []\ncheck = []\n\n\
             [dependencies]\nserde = \"1\"\nserde_json = \"1\"\nhttp = \"1\"\n\n\
             [build-dependencies]\nnetapi-codegen = {{ path = \"{codegen}\" }}\n\n[workspace]\n"
        ),
    )
    .unwrap();
    (dir, krate, spec)
}

#[test]
fn cargo_build_follows_spec_edits() {
    let (_dir, krate, spec) = scratch_workspace();

    let first = cargo_build(&krate, false);
    assert!(
        first.status.success(),
        "first build failed:\n{}",
        text(&first)
    );

    // Nothing changed: the build script must not run again.
    let again = cargo_build(&krate, true);
    let again_text = text(&again);
    assert!(again.status.success(), "{again_text}");
    assert!(
        !again_text
            .lines()
            .any(|l| l.contains("Running") && l.contains("build-script-build")),
        "the build script reran without a spec change:\n{again_text}"
    );
    assert!(again_text.contains("Fresh netapi"), "{again_text}");

    // A new field in the spec becomes a field of the struct: code that uses it compiles.
    let original = fs::read_to_string(&spec).unwrap();
    let edited = original.replace(
        "        - name: tags\n",
        "        - name: colour\n          type: string\n          max_length: 16\n        - name: tags\n",
    );
    assert_ne!(original, edited);
    fs::write(&spec, &edited).unwrap();
    fs::create_dir_all(krate.join("src/bin")).unwrap();
    fs::write(
        krate.join("src/bin/probe.rs"),
        "fn main() {\n    let widget = netapi::vpn::create_widget::Widget::new(\"w1\").with_colour(\"red\");\n    \
         assert_eq!(widget.colour.as_deref(), Some(\"red\"));\n}\n",
    )
    .unwrap();
    let edited_build = cargo_build(&krate, false);
    assert!(
        edited_build.status.success(),
        "the edited spec did not regenerate:\n{}",
        text(&edited_build)
    );

    // A broken spec fails the build with the checker's diagnostics, without a panic.
    fs::write(
        &spec,
        edited.replace("type: array<Tag>", "type: array<Tga>"),
    )
    .unwrap();
    let broken = cargo_build(&krate, false);
    let broken_text = text(&broken);
    assert!(!broken.status.success(), "{broken_text}");
    assert!(
        broken_text.contains("spec/vpn/create_widget.yaml:"),
        "{broken_text}"
    );
    assert!(
        broken_text.contains("error: unknown request type `Tga`"),
        "{broken_text}"
    );
    assert!(
        broken_text.contains("help: did you mean `Tag`?"),
        "{broken_text}"
    );
    assert!(
        !broken_text.contains("panicked") && !broken_text.contains("RUST_BACKTRACE"),
        "{broken_text}"
    );
}
