//! Regenerates the API from `../spec` on every build where a spec changed.
//!
//! Cargo reruns this script only when one of the inputs printed below changes (or when the
//! generator itself changes), so a build with no spec change does not regenerate. A spec
//! error fails the build with the same `file:line:col` diagnostics as
//! `netapi-codegen check`, and without a panic or backtrace.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    // Diagnostics name files relative to the workspace root, as `check spec` does.
    let workspace = manifest_dir.parent().unwrap_or(&manifest_dir).to_path_buf();
    let spec = PathBuf::from("spec");
    if let Err(error) = std::env::set_current_dir(&workspace) {
        println!("cargo::error=cannot enter {}: {error}", workspace.display());
        return ExitCode::FAILURE;
    }
    println!(
        "cargo::rerun-if-changed={}",
        workspace.join(&spec).display()
    );
    let mut config = netapi_codegen::Config::new(&spec);
    // Cargo tells a build script how many jobs it may run (`-j`); stay within that.
    if let Some(jobs) = std::env::var("NUM_JOBS").ok().and_then(|n| n.parse().ok()) {
        config.jobs(jobs);
    }
    // Modules of operations whose spec did not change are taken from the last build.
    let out = out_dir.join(netapi_codegen::OUT_DIR_FOLDER);
    config.reuse(&out);
    let generated = match config.generate() {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!("{error}");
            println!(
                "cargo::error=the specs in {} have problems; see the diagnostics above",
                workspace.join(&spec).display()
            );
            return ExitCode::FAILURE;
        }
    };
    for input in &generated.inputs {
        println!(
            "cargo::rerun-if-changed={}",
            workspace.join(input).display()
        );
    }
    // Swapped in whole: an interrupted build never leaves a mix of old and new files. The
    // folder inside OUT_DIR is the generator's own, so whatever it holds that this
    // generation does not produce is removed, with or without a manifest from an older
    // generator.
    let mut options = netapi_codegen::VendorOptions::new();
    options.whole_folder(true);
    if let Err(error) = generated.vendor_with(&out, &options) {
        println!(
            "cargo::error=cannot write generated code to {}: {error}",
            out_dir.display()
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
