//! The bad-spec corpus: every malformed spec set under `tests/fixtures/check/`, plus sets
//! made here (a 50 MB file, deep nestings, FIFOs, links to devices and to folders and files
//! outside the spec folder), fails `generate` with located diagnostics and exit code 1, in
//! bounded time and memory, and leaves the output directory byte-for-byte as it was.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
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

/// How long one run may take before the test kills it and fails: far above the slowest
/// case, so that a hang fails the test instead of hanging it.
const DEADLINE: Duration = Duration::from_secs(60);

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
    command
        .args([
            "generate",
            spec.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .current_dir(ROOT)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // Its own process group, so that a run past the deadline is killed with everything
    // it started (GNU time and the generator under it).
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn().unwrap();
    // Stderr is drained on a thread so that a chatty child cannot block on a full pipe
    // while this thread waits for it to exit.
    let mut pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut pipe, &mut text).ok();
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > DEADLINE {
            #[cfg(unix)]
            Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status()
                .ok();
            child.kill().ok();
            child.wait().ok();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = started.elapsed();
    let stderr = reader.join().unwrap();
    let max_rss_kib = stderr
        .lines()
        .find_map(|l| l.strip_prefix("netapi-max-rss-kib="))
        .and_then(|v| v.trim().parse().ok());
    // GNU time exits with the child's exit code.
    Run {
        code: status.and_then(|s| s.code()),
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

/// What a case must report.
enum Expect {
    /// Some `file:line:col: error:` line.
    Located,
    /// `<entry>: error: <message...>`, for an entry of the spec folder that has no line
    /// (a FIFO, a link): the entry's path relative to the case, and a part of the message.
    Entry(&'static str, &'static str),
}

struct Case {
    name: String,
    dir: PathBuf,
    expect: Expect,
}

impl Case {
    fn located(name: impl Into<String>, dir: PathBuf) -> Self {
        Case {
            name: name.into(),
            dir,
            expect: Expect::Located,
        }
    }
}

/// A valid spec, for cases whose problem is in the folder rather than the text: the
/// syntax-error fixture without its one bad line.
fn valid_spec() -> String {
    let broken = include_str!("../../tests/fixtures/check/syntax_error/vpn/create_widget.yaml");
    let valid = broken.replace("    extra: indentation: wrong\n", "");
    assert_ne!(valid, broken, "the syntax-error fixture changed");
    valid
}

/// Spec sets made by the test rather than committed: too big, too deep, or made of things
/// git does not hold (FIFOs, links to devices and to places outside the spec folder).
fn generated_cases(dir: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    let big = dir.join("fifty_megabytes");
    std::fs::create_dir_all(big.join("vpn")).unwrap();
    let mut text = String::from("operation:\n  id: create_widget\n  description: >\n");
    let line = format!("    {}\n", "x".repeat(99));
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&line);
    }
    std::fs::write(big.join("vpn/create_widget.yaml"), text).unwrap();
    cases.push(Case::located("fifty_megabytes", big));

    let deep = dir.join("ten_thousand_levels");
    std::fs::create_dir_all(deep.join("vpn")).unwrap();
    let nesting = format!(
        "operation:\n  id: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    std::fs::write(deep.join("vpn/create_widget.yaml"), nesting).unwrap();
    cases.push(Case::located("ten_thousand_levels", deep));

    // The parser's time grows with the square of flow nesting: 100,000 levels (200 KB)
    // took 22 s before the loader refused deep files ahead of it.
    let deeper = dir.join("hundred_thousand_levels");
    std::fs::create_dir_all(deeper.join("vpn")).unwrap();
    let nesting = format!(
        "operation:\n  id: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    std::fs::write(deeper.join("vpn/create_widget.yaml"), nesting).unwrap();
    cases.push(Case::located("hundred_thousand_levels", deeper));

    let deep_map = dir.join("ten_thousand_nested_maps");
    std::fs::create_dir_all(deep_map.join("vpn")).unwrap();
    let mut nested = String::from("operation:\n");
    for level in 0..10_000 {
        nested.push_str(&format!("{}k{level}:\n", " ".repeat(2 + (level % 500) * 2)));
    }
    std::fs::write(deep_map.join("vpn/create_widget.yaml"), nested).unwrap();
    cases.push(Case::located("ten_thousand_nested_maps", deep_map));

    #[cfg(unix)]
    cases.extend(folder_cases(dir));
    cases
}

/// Entries of a spec folder that must be refused without being read: each folder holds a
/// valid spec beside the bad entry, so that only the entry can fail the run.
#[cfg(unix)]
fn folder_cases(dir: &Path) -> Vec<Case> {
    use std::os::unix::fs::symlink;
    let mut cases = Vec::new();
    let valid = valid_spec();
    let mut case = |name: &str, entry: &'static str, message: &'static str| {
        let spec = dir.join(name);
        std::fs::create_dir_all(spec.join("vpn")).unwrap();
        std::fs::write(spec.join("vpn/create_widget.yaml"), &valid).unwrap();
        cases.push(Case {
            name: name.to_owned(),
            dir: spec.clone(),
            expect: Expect::Entry(entry, message),
        });
        spec
    };

    // A FIFO blocks whoever opens it for reading until a writer comes: it used to hang
    // `check`, `generate` and `--check` for ever.
    let fifo = case(
        "fifo_in_spec",
        "vpn/create_other.yaml",
        "not a regular file (a FIFO)",
    );
    let made = Command::new("mkfifo")
        .arg(fifo.join("vpn/create_other.yaml"))
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo failed");

    // `/dev/zero` never ends: it used to be read whole, the size limit checked after.
    let zero = case(
        "link_to_dev_zero",
        "vpn/create_other.yaml",
        "symbolic link to `/dev/zero`, outside the spec folder: not followed",
    );
    symlink("/dev/zero", zero.join("vpn/create_other.yaml")).unwrap();

    // A link to `/usr` used to be walked, for minutes.
    let usr = case(
        "link_to_usr",
        "usr",
        "symbolic link to the folder `/usr`, outside the spec folder: not followed",
    );
    symlink("/usr", usr.join("usr")).unwrap();

    // A valid spec outside the folder, linked in: refused, so that the spec set is what
    // the folder holds (and what build.rs watches), nothing more.
    let outside = dir.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("create_other.yaml"),
        valid_spec().replace("create_widget", "create_other"),
    )
    .unwrap();
    let file = case(
        "link_to_file_outside",
        "vpn/create_other.yaml",
        "outside the spec folder: not followed",
    );
    symlink(
        outside.join("create_other.yaml"),
        file.join("vpn/create_other.yaml"),
    )
    .unwrap();
    let folder = case(
        "link_to_folder_outside",
        "vpc",
        "outside the spec folder: not followed",
    );
    symlink(&outside, folder.join("vpc")).unwrap();
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
    let mut cases: Vec<Case> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            Case::located(name, p)
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases.extend(generated_cases(work.path()));
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());

    let (mut slowest, mut largest) = (Duration::ZERO, 0u64);
    for Case { name, dir, expect } in &cases {
        let run = generate(dir, &out);
        assert_eq!(run.code, Some(1), "{name}: exit code\n{}", run.stderr);
        match expect {
            Expect::Located => assert!(
                has_located_error(&run.stderr),
                "{name}: no file:line:col diagnostic\n{}",
                run.stderr
            ),
            Expect::Entry(entry, message) => {
                let prefix = format!("{}: error: ", dir.join(entry).display());
                assert!(
                    run.stderr
                        .lines()
                        .any(|l| l.starts_with(&prefix) && l.contains(message)),
                    "{name}: expected `{prefix}...{message}`\n{}",
                    run.stderr
                );
                assert_eq!(
                    run.stderr.matches(": error: ").count(),
                    1,
                    "{name}: only the bad entry fails\n{}",
                    run.stderr
                );
            }
        }
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
