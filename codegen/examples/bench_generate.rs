//! Generation benchmark: the whole pipeline (load, check, lower, emit, format, write) on
//! the real specs and on synthetic sets of 50, 500 and 5,000 operations, each measured in
//! a fresh process for wall time and peak memory; prints the table BENCHMARKS.md shows.
//!
//! ```sh
//! cargo run --release -p netapi-codegen --example bench_generate            # 5, 50, 500, 5000
//! cargo run --release -p netapi-codegen --example bench_generate -- 5 50   # some sizes only
//! ```
//!
//! Each size runs `RUNS` times (default 3; set the environment variable `RUNS`) and the
//! median is shown: a cold generation into an empty folder, and an edit cycle (one spec's
//! title changed, then generation into the previous output, reusing unchanged operation
//! modules as the build script and `generate` do). The spec sets are written under
//! `target/bench-generate/`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod support {
    pub mod files;
    pub mod synth;
}

/// One generation, measured inside the child process.
struct Run {
    wall: Duration,
    peak_kib: u64,
    phases: Vec<(String, f64)>,
    lines: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--one") {
        return one(&args[1..]);
    }
    let sizes = support::files::sizes(&args, &[5, 50, 500, 5000]).unwrap_or_else(|e| fail(&e));
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .filter(|r| *r > 0)
        .unwrap_or(3);
    let root = PathBuf::from("target/bench-generate");
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("generation, median of {runs} runs, {threads} threads (fresh process per run)\n");
    println!(
        "| operations | wall time | per operation | peak memory | generated lines | load | check | lower | emit+format | write | after editing one spec |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for size in sizes {
        // Five stands for the real spec set (copied, as the edit cycle edits it); larger
        // sizes are synthetic copies of it, rounded up to whole copies.
        let spec = root.join(format!("spec-{size}"));
        // The number of operations written: a synthetic set is whole copies of the specs.
        let size = if size == 5 {
            let _ = std::fs::remove_dir_all(&spec);
            support::files::copy_dir(Path::new("spec"), &spec).unwrap_or_else(|e| fail(&e));
            netapi_codegen::check_dir(&spec)
                .unwrap_or_else(|d| fail(&d.to_string()))
                .files
                .len()
        } else {
            support::synth::write(Path::new("spec"), size, &spec).unwrap_or_else(|e| fail(&e))
        };
        let out = root.join(format!("out-{size}"));
        let mut results: Vec<Run> = (0..runs)
            .map(|_| {
                // A cold write each time: nothing to keep, everything formatted.
                let _ = std::fs::remove_dir_all(&out);
                measure(&spec, &out, false)
            })
            .collect();
        let mut edits: Vec<Duration> = (0..runs)
            .map(|run| {
                support::files::edit_first_spec(&spec, &format!("Edit {run}"))
                    .unwrap_or_else(|e| fail(&e));
                measure(&spec, &out, true).wall
            })
            .collect();
        edits.sort();
        let edit = edits[edits.len() / 2];
        results.sort_by_key(|r| r.wall);
        let median = &results[results.len() / 2];
        let phase = |name: &str| {
            median
                .phases
                .iter()
                .find(|(n, _)| n == name)
                .map_or_else(|| "-".to_owned(), |(_, ms)| format_ms(*ms))
        };
        println!(
            "| {size} | {} | {:.2} ms | {:.0} MiB | {} | {} | {} | {} | {} | {} | {} |",
            format_ms(median.wall.as_secs_f64() * 1e3),
            median.wall.as_secs_f64() * 1e3 / size as f64,
            median.peak_kib as f64 / 1024.0,
            median.lines,
            phase("load"),
            phase("check"),
            phase("lower"),
            phase("emit+format"),
            phase("write"),
            format_ms(edit.as_secs_f64() * 1e3),
        );
    }
}

fn format_ms(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1e3)
    } else {
        format!("{ms:.1} ms")
    }
}

fn fail(message: &str) -> ! {
    eprintln!("bench_generate: {message}");
    std::process::exit(1)
}

/// Runs this program again with `--one`, so that peak memory is the run's own.
fn measure(spec: &Path, out: &Path, reuse: bool) -> Run {
    let exe = std::env::current_exe().unwrap_or_else(|e| fail(&e.to_string()));
    let output = Command::new(exe)
        .arg("--one")
        .arg(spec)
        .arg(out)
        .args(reuse.then_some("reuse"))
        .output()
        .unwrap_or_else(|e| fail(&e.to_string()));
    if !output.status.success() {
        fail(&String::from_utf8_lossy(&output.stderr));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut run = Run {
        wall: Duration::ZERO,
        peak_kib: 0,
        phases: Vec::new(),
        lines: 0,
    };
    for line in text.lines() {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("wall_us"), Some(v)) => run.wall = Duration::from_micros(v.parse().unwrap_or(0)),
            (Some("peak_kib"), Some(v)) => run.peak_kib = v.parse().unwrap_or(0),
            (Some("lines"), Some(v)) => run.lines = v.parse().unwrap_or(0),
            (Some("phase"), Some(name)) => {
                let ms = words.next().and_then(|v| v.parse().ok()).unwrap_or(0.0);
                run.phases.push((name.to_owned(), ms));
            }
            _ => {}
        }
    }
    run
}

/// The child: one generation of `spec` into `out`, as the command line does it.
fn one(args: &[String]) {
    let (spec, out, reuse) = match args {
        [spec, out] => (spec, out, false),
        [spec, out, reuse] if reuse == "reuse" => (spec, out, true),
        _ => fail("--one needs <spec> <out> [reuse]"),
    };
    let started = Instant::now();
    let mut config = netapi_codegen::Config::new(spec);
    config.layout(netapi_codegen::Layout::Crate);
    if reuse {
        config.reuse(out);
    }
    let generated = config.generate().unwrap_or_else(|e| fail(&e.to_string()));
    let write_started = Instant::now();
    generated
        .vendor(Path::new(out))
        .unwrap_or_else(|e| fail(&e.to_string()));
    let write = write_started.elapsed();
    let wall = started.elapsed();
    for (name, time) in &generated.summary.timings {
        println!("phase {name} {}", time.as_secs_f64() * 1e3);
    }
    println!("phase write {}", write.as_secs_f64() * 1e3);
    println!("wall_us {}", wall.as_micros());
    let lines: usize = generated
        .files
        .iter()
        .filter(|f| f.path.ends_with(".rs"))
        .map(|f| f.contents.lines().count())
        .sum();
    println!("lines {lines}");
    println!(
        "peak_kib {}",
        netapi_codegen::peak_memory_kib().unwrap_or(0)
    );
}
