//! The bad-spec corpus: every malformed spec set under `tests/fixtures/check/`, plus a
//! 50 MB file and a 10,000-level nesting made here, fails `generate` with located
//! diagnostics and exit code 1, in bounded time and memory, and leaves the output
//! directory byte-for-byte as it was.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod common;
use common::tree;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

struct Run {
    code: Option<i32>,
    stderr: String,
    elapsed: Duration,
    max_rss_kib: Option<u64>,
}

/// Runs `generate` under GNU time when it is installed, to read the peak memory.
fn generate(spec: &Path, out: &Path) -> Run {
    let gnu_time = Path::new("/usr/bin/time").exists();
    let mut command = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.args([
            "-f",
            "netapi-max-rss-kib=%M",
            env!("CARGO_BIN_EXE_netapi-codegen"),
        ]);
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_netapi-codegen"))
    };
    let started = Instant::now();
    let output = command
        .args([
            "generate",
            spec.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .current_dir(ROOT)
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let max_rss_kib = stderr
        .lines()
        .find_map(|l| l.strip_prefix("netapi-max-rss-kib="))
        .and_then(|v| v.trim().parse().ok());
    // GNU time exits with the child's exit code.
    Run {
        code: output.status.code(),
        stderr,
        elapsed,
        max_rss_kib,
    }
}

fn has_located_error(stderr: &str) -> bool {
    stderr.lines().any(|line| {
        let mut parts = line.splitn(4, ':');
        let (_file, line_no, col, rest) = (parts.next(), parts.next(), parts.next(), parts.next());
        line_no.is_some_and(|n| n.parse::<u32>().is_ok_and(|n| n >= 1))
            && col.is_some_and(|c| c.parse::<u32>().is_ok_and(|c| c >= 1))
            && rest.is_some_and(|r| r.starts_with(" error: "))
    })
}

/// Spec sets made by the test rather than committed: too big, too deep.
fn generated_cases(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut cases = Vec::new();
    let big = dir.join("fifty_megabytes");
    std::fs::create_dir_all(big.join("vpn")).unwrap();
    let mut text = String::from("operation:\n  id: create_widget\n  description: >\n");
    let line = format!("    {}\n", "x".repeat(99));
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&line);
    }
    std::fs::write(big.join("vpn/create_widget.yaml"), text).unwrap();
    cases.push(("fifty_megabytes".to_owned(), big));

    let deep = dir.join("ten_thousand_levels");
    std::fs::create_dir_all(deep.join("vpn")).unwrap();
    let nesting = format!(
        "operation:\n  id: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    std::fs::write(deep.join("vpn/create_widget.yaml"), nesting).unwrap();
    cases.push(("ten_thousand_levels".to_owned(), deep));

    let deep_map = dir.join("ten_thousand_nested_maps");
    std::fs::create_dir_all(deep_map.join("vpn")).unwrap();
    let mut nested = String::from("operation:\n");
    for level in 0..10_000 {
        nested.push_str(&format!("{}k{level}:\n", " ".repeat(2 + (level % 500) * 2)));
    }
    std::fs::write(deep_map.join("vpn/create_widget.yaml"), nested).unwrap();
    cases.push(("ten_thousand_nested_maps".to_owned(), deep_map));
    cases
}

#[test]
fn every_bad_spec_fails_cleanly_and_leaves_the_output_alone() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out").join("netapi");
    let generated = netapi_codegen::Config::new(Path::new(ROOT).join("spec"))
        .layout(netapi_codegen::Layout::Crate)
        .generate()
        .unwrap();
    generated.vendor(&out).unwrap();
    let before = tree(&out);

    let fixtures = Path::new(ROOT).join("tests/fixtures/check");
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    cases.sort();
    cases.extend(generated_cases(work.path()));
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());

    let (mut slowest, mut largest) = (Duration::ZERO, 0u64);
    for (name, dir) in &cases {
        let run = generate(dir, &out);
        assert_eq!(run.code, Some(1), "{name}: exit code\n{}", run.stderr);
        assert!(
            has_located_error(&run.stderr),
            "{name}: no file:line:col diagnostic\n{}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("panicked"),
            "{name}: panicked\n{}",
            run.stderr
        );
        assert_eq!(tree(&out), before, "{name}: the output directory changed");
        assert!(
            run.elapsed < Duration::from_secs(20),
            "{name}: took {:?}",
            run.elapsed
        );
        if let Some(kib) = run.max_rss_kib {
            assert!(kib < 1024 * 1024, "{name}: peak memory {kib} KiB");
            largest = largest.max(kib);
        }
        slowest = slowest.max(run.elapsed);
    }
    eprintln!(
        "{} bad spec sets: slowest {slowest:?}, peak memory {} MiB",
        cases.len(),
        largest / 1024
    );
}
