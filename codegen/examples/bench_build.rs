//! Build benchmark: compile times of the generated crate, vendored standalone, for the
//! real specs and a synthetic set; prints the table BENCHMARKS.md shows.
//!
//! ```sh
//! cargo run --release -p netapi-codegen --example bench_build            # 5 and 500 operations
//! cargo run --release -p netapi-codegen --example bench_build -- 5       # some sizes only
//! ```
//!
//! For each size, in a fresh target directory outside the workspace, with the workspace's
//! `Cargo.lock` so dependency versions match: a cold debug build (dependencies included),
//! then the crate alone (`src/lib.rs` touched, incremental compilation off): debug build,
//! `cargo check` and release build; and last a user's edit-build cycle: one spec's title
//! changed, the crate regenerated (that operation's module and the crate root rewritten)
//! and rebuilt incrementally.
//!
//! The release build is measured for sets of up to 50 operations only (set `RELEASE=1`
//! for every size): for the 500-operation set it takes longer than the rest together.
//! Each figure is also printed to standard error as soon as it is measured.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

mod support {
    pub mod files;
    pub mod synth;
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sizes = support::files::sizes(&args, &[5, 500]).unwrap_or_else(|e| fail(&e));
    let root = std::env::temp_dir().join("netapi-bench-build");
    let lock = std::fs::read("Cargo.lock").unwrap_or_else(|e| fail(&format!("Cargo.lock: {e}")));
    println!("builds of the vendored crate, default features, one run each\n");
    println!(
        "| operations | generated lines | cold debug build (with dependencies) | debug rebuild, crate alone | `cargo check`, crate alone | release build, crate alone | rebuild after editing one spec |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for size in sizes {
        let work = root.join(size.to_string());
        let _ = std::fs::remove_dir_all(&work);
        let spec = work.join("spec");
        if size == 5 {
            support::files::copy_dir(Path::new("spec"), &spec).unwrap_or_else(|e| fail(&e));
        } else {
            let written =
                support::synth::write(Path::new("spec"), size, &spec).unwrap_or_else(|e| fail(&e));
            println!(
                "(the synthetic set of {size} has {written} operations: whole copies of the specs)"
            );
        }
        let crate_dir = work.join("netapi");
        let lines = generate(&spec, &crate_dir, &lock);
        let target = work.join("target");
        let cold = cargo(&crate_dir, &target, &["build"], true);
        // The crate alone is measured without incremental compilation: a touched but
        // unchanged file would otherwise be answered from the incremental cache.
        touch(&crate_dir.join("src/lib.rs"));
        let rebuild = cargo(&crate_dir, &target, &["build"], false);
        // Dependencies' metadata first, so the check figure is the crate's own.
        cargo(&crate_dir, &target, &["check"], false);
        touch(&crate_dir.join("src/lib.rs"));
        let check = cargo(&crate_dir, &target, &["check"], false);
        let release = (size <= 50 || std::env::var_os("RELEASE").is_some()).then(|| {
            // Dependencies first, so the release figure is the crate's own.
            cargo(&crate_dir, &target, &["build", "--release"], false);
            touch(&crate_dir.join("src/lib.rs"));
            cargo(&crate_dir, &target, &["build", "--release"], false)
        });
        let edited = support::files::edit_first_spec(&spec, "Edited").unwrap_or_else(|e| fail(&e));
        generate(&spec, &crate_dir, &lock);
        // A user's edit-build cycle: incremental, as cargo's debug profile is by default.
        let after_edit = cargo(&crate_dir, &target, &["build"], true);
        println!(
            "| {size} | {lines} | {} | {} | {} | {} | {} (`{edited}`) |",
            secs(cold),
            secs(rebuild),
            secs(check),
            release.map_or_else(|| "not measured".to_owned(), secs),
            secs(after_edit),
        );
    }
}

fn fail(message: &str) -> ! {
    eprintln!("bench_build: {message}");
    std::process::exit(1)
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// Vendors the crate for `spec` into `out`, with `lock` as its `Cargo.lock` (vendoring
/// removes files it did not generate, so the lock is written after each run).
fn generate(spec: &Path, out: &Path, lock: &[u8]) -> usize {
    // The crate's own lock once cargo has pruned it; the workspace's before that.
    let lock = std::fs::read(out.join("Cargo.lock")).unwrap_or_else(|_| lock.to_vec());
    let mut config = netapi_codegen::Config::new(spec);
    config.layout(netapi_codegen::Layout::Crate);
    let generated = config.generate().unwrap_or_else(|e| fail(&e.to_string()));
    generated
        .vendor(out)
        .unwrap_or_else(|e| fail(&e.to_string()));
    std::fs::write(out.join("Cargo.lock"), &lock).unwrap_or_else(|e| fail(&e.to_string()));
    generated
        .files
        .iter()
        .filter(|f| f.path.ends_with(".rs"))
        .map(|f| f.contents.lines().count())
        .sum()
}

fn cargo(dir: &Path, target: &Path, args: &[&str], incremental: bool) -> Duration {
    eprint!(
        "cargo {} (incremental: {incremental}) in {} ... ",
        args.join(" "),
        dir.display()
    );
    let started = Instant::now();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(args)
        .arg("--quiet")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", if incremental { "1" } else { "0" })
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| fail(&e.to_string()));
    if !output.status.success() {
        fail(&String::from_utf8_lossy(&output.stderr));
    }
    let elapsed = started.elapsed();
    eprintln!("{}", secs(elapsed));
    elapsed
}

/// Makes cargo see `path` as changed.
fn touch(path: &Path) {
    let text = std::fs::read(path).unwrap_or_else(|e| fail(&e.to_string()));
    std::fs::write(path, text).unwrap_or_else(|e| fail(&e.to_string()));
}
