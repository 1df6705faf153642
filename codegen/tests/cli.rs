//! The `netapi-codegen check` command: exit codes and output.

use std::process::Command;

mod common;
use common::copy_dir;

fn netapi_codegen(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_netapi-codegen"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("the binary runs")
}

/// What the real specs hold, read from `spec/` as YAML rather than through the generator:
/// the number of operations (one file each) and of distinct source tables (per file, the
/// `table` numbers of its types and parameters). Tests over `spec/` derive their counts
/// from here, so adding an endpoint does not break them.
fn real_spec_counts() -> (usize, usize) {
    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    files(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec")),
        &mut paths,
    );
    let mut tables = 0;
    let mut operations = 0;
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let spec: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let rows = |v: &serde_yaml::Value| v.as_sequence().cloned().unwrap_or_default();
        // A resource file's shared type is a table on every page that prints it.
        if path.parent().is_some_and(|p| p.ends_with("resources")) {
            for ty in rows(&spec["types"]) {
                tables += rows(&ty["printed_on"]).len();
            }
            continue;
        }
        operations += 1;
        let mut numbers = std::collections::BTreeSet::new();
        for direction in ["request", "response"] {
            for ty in rows(&spec[direction]["types"]) {
                numbers.insert(ty["table"].as_u64());
            }
        }
        for parameter in rows(&spec["parameters"]) {
            if let Some(n) = parameter["table"].as_u64() {
                numbers.insert(Some(n));
            }
        }
        tables += numbers.len();
    }
    (operations, tables)
}

#[test]
fn check_passes_on_the_real_specs_with_one_summary_line() {
    let (operations, tables) = real_spec_counts();
    let out = netapi_codegen(&["check", "spec"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with(&format!("ok: {operations} operations, {tables} tables, ")),
        "{stdout}"
    );
    for word in ["types", "fields", "constraints", "examples", "errata"] {
        assert!(stdout.contains(word), "{stdout}");
    }
}

#[test]
fn check_fails_with_diagnostics_and_exit_code_1() {
    let out = netapi_codegen(&["check", "tests/fixtures/check/unknown_key_typo"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "create_widget.yaml:32:11: error: request.types[1].fields[0]: unknown key `maxlength`"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: did you mean `max_length`?"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn usage_errors_exit_2_and_name_the_valid_choices() {
    let out = netapi_codegen(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Usage: netapi-codegen"), "{stderr}");
    assert!(
        stderr.contains("valid commands: check, generate, openapi, pages, help"),
        "{stderr}"
    );
    for args in [
        &["generate", "spec"][..],
        &["generate", "spec", "--out", "x", "--jobs", "0"],
        &["generate", "spec", "--out", "x", "--frobnicate"],
        &["check"],
        &["check", "spec", "--out", "x"],
        &[],
    ] {
        let out = netapi_codegen(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
    let jobs = netapi_codegen(&["generate", "spec", "--out", "x", "--jobs", "0"]);
    let stderr = String::from_utf8_lossy(&jobs.stderr);
    assert!(stderr.contains("at least 1, not `0`"), "{stderr}");
}

#[test]
fn help_and_version_print_to_stdout_and_exit_0() {
    let version = format!("netapi-codegen {}", env!("CARGO_PKG_VERSION"));
    for (args, expected) in [
        (&["--help"][..], "Commands:"),
        (&["-h"], "Commands:"),
        (&["help"], "Commands:"),
        (&["--version"], version.as_str()),
        (&["-V"], version.as_str()),
        (
            &["check", "--help"],
            "Usage: netapi-codegen check <SPEC_DIR>",
        ),
        (&["help", "check"], "Usage: netapi-codegen check <SPEC_DIR>"),
        (&["generate", "-h"], "--force"),
        (&["help", "generate"], ".netapi-manifest"),
        (&["openapi", "--help"], "--out <FILE>"),
    ] {
        let out = netapi_codegen(args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stdout}");
        assert!(stdout.contains(expected), "{args:?}: {stdout}");
        assert!(out.stderr.is_empty(), "{args:?}");
    }
    // Every subcommand is listed in the help.
    let help = netapi_codegen(&["--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    for command in ["check", "generate", "openapi", "help"] {
        assert!(help.contains(&format!("\n  {command} ")), "{help}");
    }
}

#[test]
fn generate_writes_a_crate_reports_it_and_check_detects_staleness() {
    let dir = std::env::temp_dir().join(format!("netapi-cli-{}", std::process::id()));
    let out = dir.join("netapi");
    let out_str = out.to_str().unwrap();

    let first = netapi_codegen(&["generate", "spec", "--out", out_str]);
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        stdout.starts_with("generated ") && stdout.contains(" operations, "),
        "{stdout}"
    );
    assert!(
        stdout.contains(" types in ") && stdout.contains(" files into ") && stdout.contains(" ms"),
        "{stdout}"
    );

    let fresh = netapi_codegen(&["generate", "spec", "--out", out_str, "--check"]);
    assert!(
        fresh.status.success(),
        "{}",
        String::from_utf8_lossy(&fresh.stderr)
    );

    // An edit below the header keeps the module's input fingerprint, so a plain run would
    // reuse it; `--check` compares with a fresh generation and still finds it.
    let module = out.join("src/vpc/create_vpc_peering.rs");
    let edited = std::fs::read_to_string(&module).unwrap() + "// edited\n";
    std::fs::write(&module, edited).unwrap();
    let stale = netapi_codegen(&["generate", "spec", "--out", out_str, "--check"]);
    assert_eq!(stale.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(
        stderr.contains("src/vpc/create_vpc_peering.rs (differs)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("run: netapi-codegen generate spec --out"),
        "{stderr}"
    );

    std::fs::write(&module, "// edited\n").unwrap();
    let timings = netapi_codegen(&["generate", "spec", "--out", out_str, "--timings"]);
    let stdout = String::from_utf8_lossy(&timings.stdout);
    assert!(stdout.contains("(1 written, "), "{stdout}");
    for phase in ["load", "check", "lower", "emit", "format", "peak memory"] {
        assert!(stdout.contains(phase), "{stdout}");
    }
    // Every other operation module came from the output folder.
    let (operations, _) = real_spec_counts();
    assert!(
        stdout.contains(&format!(
            "({} of {operations} operation modules reused from ",
            operations - 1
        )),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn generate_on_a_bad_spec_writes_nothing_and_exits_1() {
    let dir = std::env::temp_dir().join(format!("netapi-cli-bad-{}", std::process::id()));
    let out = dir.join("netapi");
    let result = netapi_codegen(&[
        "generate",
        "tests/fixtures/check/unknown_type_reference",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&result.stderr).contains("unknown request type `Tga`"));
    assert!(!out.exists(), "nothing is written for a bad spec");
}

#[test]
fn openapi_prints_the_document_or_writes_it_with_out() {
    let printed = netapi_codegen(&["openapi", "spec"]);
    assert!(
        printed.status.success(),
        "{}",
        String::from_utf8_lossy(&printed.stderr)
    );
    let document: serde_json::Value =
        serde_json::from_slice(&printed.stdout).expect("stdout is one JSON document");
    assert_eq!(document["openapi"], "3.0.3");
    let operations = document["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|item| item.as_object().expect("path item").values())
        .filter(|op| op.get("operationId").is_some())
        .count();
    assert_eq!(operations, real_spec_counts().0);

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("openapi.json");
    let written = netapi_codegen(&["openapi", "spec", "--out", out.to_str().unwrap()]);
    assert!(written.status.success());
    let stdout = String::from_utf8_lossy(&written.stdout);
    assert!(
        stdout.starts_with(&format!(
            "wrote OpenAPI 3.0.3 for {operations} operations, "
        )),
        "{stdout}"
    );
    assert_eq!(std::fs::read(&out).unwrap(), printed.stdout);
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(files.len(), 1, "no partial file is left behind");
}

#[test]
fn openapi_on_a_bad_spec_writes_nothing_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("openapi.json");
    let result = netapi_codegen(&[
        "openapi",
        "tests/fixtures/check/unknown_type_reference",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&result.stderr).contains("unknown request type `Tga`"));
    assert!(result.stdout.is_empty());
    assert!(!out.exists(), "nothing is written for a bad spec");

    let printed = netapi_codegen(&["openapi", "tests/fixtures/check/unknown_type_reference"]);
    assert_eq!(printed.status.code(), Some(1));
    assert!(printed.stdout.is_empty(), "no partial document on stdout");

    let misuse = netapi_codegen(&["openapi", "spec", "--check"]);
    assert_eq!(misuse.status.code(), Some(2));
}

#[test]
fn a_closed_standard_output_ends_the_program_quietly() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_netapi-codegen"))
        .args(["openapi", "spec"])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut start = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut start).unwrap();
    // The pipe is closed here, as `| head -c 16` would close it; the document (well over
    // a pipe buffer) is still being written.
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

// Output folders: what `generate --out` may write into, and what it leaves alone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec");

/// Runs the command in `dir`, and fails the test if it has not ended after a minute (a
/// FIFO or a huge file must never make it hang).
fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_netapi-codegen"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("netapi-codegen {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Everything under `dir`, hidden entries included, without following links: files with
/// their bytes, folders, links with their targets and other entries by kind.
fn listing(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            let metadata = std::fs::symlink_metadata(&path).unwrap();
            let what = if metadata.is_dir() {
                stack.push(path.clone());
                "folder".to_owned()
            } else if metadata.file_type().is_symlink() {
                format!("link to {}", std::fs::read_link(&path).unwrap().display())
            } else if metadata.file_type().is_file() {
                String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned()
            } else {
                "special".to_owned()
            };
            out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), what);
        }
    }
    out
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A project folder (`proj/` with a copy of the specs and a file of the user's) inside a
/// fresh temporary folder.
fn project() -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let project = work.path().join("proj");
    copy_dir(Path::new(SPEC), &project.join("spec"));
    std::fs::write(project.join("notes.txt"), "the user's own file\n").unwrap();
    (work, project)
}

#[test]
fn generate_refuses_folders_it_did_not_write_says_why_and_changes_nothing() {
    let (work, project) = project();
    let repo = work.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(repo.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let mine = work.path().join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "keep me\n").unwrap();
    let before = listing(work.path());
    for (out, reason) in [
        (".", "contains the spec folder"),
        ("..", "contains the spec folder"),
        ("spec", "it is the spec folder"),
        ("../repo", "it holds a git repository (.git)"),
        ("../mine", "it is not empty and has no .netapi-manifest"),
    ] {
        let result = run_in(&project, &["generate", "spec", "--out", out]);
        let stderr = stderr(&result);
        assert_eq!(result.status.code(), Some(1), "--out {out}: {stderr}");
        assert!(stderr.contains("error: refusing to write "), "{stderr}");
        assert!(stderr.contains(reason), "--out {out}: {stderr}");
        assert!(
            stderr.contains("help: ") && stderr.contains("--force"),
            "{stderr}"
        );
        assert_eq!(
            listing(work.path()),
            before,
            "--out {out} changed something"
        );
    }
    // An empty path is a usage error, and leaves nothing behind either.
    let empty = run_in(&project, &["generate", "spec", "--out", ""]);
    assert_eq!(empty.status.code(), Some(2), "{}", stderr(&empty));
    assert_eq!(listing(work.path()), before);

    // --force writes the crate and keeps what it did not write.
    let forced = run_in(
        &project,
        &["generate", "spec", "--out", "../mine", "--force"],
    );
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_eq!(
        std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "keep me\n"
    );
    assert!(mine.join("Cargo.toml").is_file() && mine.join(".netapi-manifest").is_file());
    // With the manifest in place, the folder is the generator's: no --force needed.
    let again = run_in(&project, &["generate", "spec", "--out", "../mine"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(mine.join("notes.txt").is_file());
    let check = run_in(
        &project,
        &["generate", "spec", "--out", "../mine", "--check"],
    );
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn cargo_artifacts_and_user_files_are_kept_and_not_reported_by_check() {
    let (_work, project) = project();
    let out = project.join("vendor/netapi");
    let first = run_in(&project, &["generate", "spec", "--out", "vendor/netapi"]);
    assert!(first.status.success(), "{}", stderr(&first));
    // What a standalone `cargo build` in the vendored crate leaves, and a user's file.
    std::fs::write(out.join("Cargo.lock"), "# lock\n").unwrap();
    std::fs::create_dir_all(out.join("target/debug/deps")).unwrap();
    std::fs::write(out.join("target/debug/deps/libnetapi.rlib"), "rlib").unwrap();
    std::fs::create_dir_all(out.join("target/empty")).unwrap();
    std::fs::write(out.join("src/mine.rs"), "// mine\n").unwrap();
    let check = run_in(
        &project,
        &["generate", "spec", "--out", "vendor/netapi", "--check"],
    );
    assert!(check.status.success(), "{}", stderr(&check));

    // One operation fewer: its module, which the generator wrote, is removed; nothing else.
    // The operation is one no resource file names as an `operation:` (a named one would
    // leave its provenance or waiter pointing at nothing, which `check` refuses); a
    // description that mentions it in prose does not count.
    let resources: String = std::fs::read_dir(project.join("spec/vpn/resources"))
        .map(|dir| {
            dir.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default())
                .collect()
        })
        .unwrap_or_default();
    let removed_spec = std::fs::read_dir(project.join("spec/vpn"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .find(|p| {
            let id = p.file_stem().unwrap().to_string_lossy();
            !resources.contains(&format!("operation: {id}"))
        })
        .expect("an operation that no resource file names");
    let module = format!(
        "src/vpn/{}.rs",
        removed_spec.file_stem().unwrap().to_string_lossy()
    );
    std::fs::remove_file(&removed_spec).unwrap();
    let stale = run_in(
        &project,
        &["generate", "spec", "--out", "vendor/netapi", "--check"],
    );
    let stale_err = stderr(&stale);
    assert_eq!(stale.status.code(), Some(1), "{stale_err}");
    assert!(
        stale_err.contains(&format!("{module} (not generated)")),
        "{stale_err}"
    );
    for foreign in ["Cargo.lock", "target", "mine.rs"] {
        assert!(!stale_err.contains(foreign), "{stale_err}");
    }
    let second = run_in(&project, &["generate", "spec", "--out", "vendor/netapi"]);
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(stdout.contains(", 1 removed)"), "{stdout}");
    assert!(!out.join(&module).exists());
    assert_eq!(
        std::fs::read_to_string(out.join("Cargo.lock")).unwrap(),
        "# lock\n"
    );
    assert!(out.join("target/debug/deps/libnetapi.rlib").is_file());
    assert!(out.join("target/empty").is_dir());
    assert!(out.join("src/mine.rs").is_file());
    let check = run_in(
        &project,
        &["generate", "spec", "--out", "vendor/netapi", "--check"],
    );
    assert!(check.status.success(), "{}", stderr(&check));
}

/// Makes a FIFO with `mkfifo`.
fn fifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success());
}

#[test]
fn fifos_in_the_output_hang_neither_generate_nor_check() {
    let (_work, project) = project();
    let out = project.join("out");
    let first = run_in(&project, &["generate", "spec", "--out", "out"]);
    assert!(first.status.success(), "{}", stderr(&first));
    // A FIFO of the user's, and one where the generator writes README.md: opening either
    // would block until someone writes to it.
    fifo(&out.join("user.fifo"));
    std::fs::remove_file(out.join("README.md")).unwrap();
    fifo(&out.join("README.md"));
    let check = run_in(&project, &["generate", "spec", "--out", "out", "--check"]);
    let check_err = stderr(&check);
    assert_eq!(check.status.code(), Some(1), "{check_err}");
    assert!(
        check_err.contains("README.md (not a regular file)"),
        "{check_err}"
    );
    assert!(!check_err.contains("user.fifo"), "{check_err}");
    let generate = run_in(&project, &["generate", "spec", "--out", "out"]);
    assert!(generate.status.success(), "{}", stderr(&generate));
    assert!(
        std::fs::symlink_metadata(out.join("README.md"))
            .unwrap()
            .is_file()
    );
    let user = std::fs::symlink_metadata(out.join("user.fifo")).unwrap();
    assert!(
        !user.is_file() && !user.is_dir(),
        "the user's FIFO is kept as it is"
    );
}

#[test]
fn a_huge_file_in_the_output_is_not_read_whole_by_check() {
    let (_work, project) = project();
    let out = project.join("out");
    let first = run_in(&project, &["generate", "spec", "--out", "out"]);
    assert!(first.status.success(), "{}", stderr(&first));
    // A 4 GiB (sparse) file where src/lib.rs belongs: `--check` must see that the sizes
    // differ without reading it, so it passes under a 1 GiB address-space limit.
    let lib = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(out.join("src/lib.rs"))
        .unwrap();
    lib.set_len(4 << 30).unwrap();
    drop(lib);
    let limited = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -v 1048576 && exec "$0" generate spec --out out --check"#)
        .arg(env!("CARGO_BIN_EXE_netapi-codegen"))
        .current_dir(&project)
        .output()
        .unwrap();
    let limited_err = stderr(&limited);
    assert_eq!(limited.status.code(), Some(1), "{limited_err}");
    assert!(
        limited_err.contains("src/lib.rs (differs)"),
        "{limited_err}"
    );
    let generate = run_in(&project, &["generate", "spec", "--out", "out"]);
    assert!(generate.status.success(), "{}", stderr(&generate));
    assert!(std::fs::metadata(out.join("src/lib.rs")).unwrap().len() < 1 << 20);
}

#[test]
fn a_symlinked_or_read_only_output_folder_is_refused_and_left_alone() {
    let (work, project) = project();
    let first = run_in(&project, &["generate", "spec", "--out", "real"]);
    assert!(first.status.success(), "{}", stderr(&first));
    std::os::unix::fs::symlink("real", project.join("link")).unwrap();
    let before = listing(work.path());
    let linked = run_in(&project, &["generate", "spec", "--out", "link"]);
    let linked_err = stderr(&linked);
    assert_eq!(linked.status.code(), Some(1), "{linked_err}");
    assert!(
        linked_err.contains("it is a symbolic link (to real)"),
        "{linked_err}"
    );
    assert!(
        linked_err.contains("help: pass the folder the link points to"),
        "{linked_err}"
    );
    assert_eq!(listing(work.path()), before);

    use std::os::unix::fs::PermissionsExt;
    let real = project.join("real");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o555)).unwrap();
    // An edited title changes the output without removing an operation that a resource
    // file's `printed_on` may name (removing one would fail `check` instead).
    let edited = project.join("spec/vpc/create_vpc_peering.yaml");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text.replacen("  title: ", "  title: Edited ", 1)).unwrap();
    let before = listing(work.path());
    let read_only = run_in(&project, &["generate", "spec", "--out", "real"]);
    let read_only_err = stderr(&read_only);
    assert_eq!(read_only.status.code(), Some(1), "{read_only_err}");
    assert!(
        read_only_err.contains("the folder is read-only"),
        "{read_only_err}"
    );
    assert!(read_only_err.contains("chmod u+w real"), "{read_only_err}");
    assert_eq!(listing(work.path()), before);
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn openapi_refuses_a_symlink_and_uses_a_temporary_name_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("real.json");
    std::fs::write(&target, "{}").unwrap();
    let link = dir.path().join("openapi.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let result = netapi_codegen(&["openapi", "spec", "--out", link.to_str().unwrap()]);
    let result_err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{result_err}");
    assert!(result_err.contains("it is a symbolic link"), "{result_err}");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "{}");

    // Another run's temporary file under the old fixed name is not this run's business.
    let out = dir.path().join("doc.json");
    std::fs::create_dir(dir.path().join("doc.json.partial")).unwrap();
    let written = netapi_codegen(&["openapi", "spec", "--out", out.to_str().unwrap()]);
    assert!(written.status.success(), "{}", stderr(&written));
    let document: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(document["openapi"], "3.0.3");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial") && n != "doc.json.partial")
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

/// The service folders of `spec/` that hold specs, sorted, each with its operations (the
/// file stems) and the finer feature each one names (`operation.feature`), read from the
/// folder and the YAML rather than through the generator.
fn real_services() -> BTreeMap<String, Vec<(String, Option<String>)>> {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec"));
    let mut services = BTreeMap::new();
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_dir() {
            continue;
        }
        let mut ops: Vec<(String, Option<String>)> = std::fs::read_dir(&path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .map(|p| {
                let text = std::fs::read_to_string(&p).unwrap();
                let spec: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
                let feature = spec["operation"]["feature"].as_str().map(str::to_owned);
                (
                    p.file_stem().unwrap().to_string_lossy().into_owned(),
                    feature,
                )
            })
            .collect();
        ops.sort();
        if !ops.is_empty() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            services.insert(name, ops);
        }
    }
    services
}

#[test]
fn generate_services_vendors_a_subset_that_keeps_its_features() {
    let services = real_services();
    // Every service but the first, so that at least one is left out when there are two.
    let chosen: Vec<&String> = services.keys().skip(1).collect();
    let chosen: Vec<&String> = if chosen.is_empty() {
        services.keys().collect()
    } else {
        chosen
    };
    let list = chosen
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("netapi");
    let run = netapi_codegen(&[
        "generate",
        "spec",
        "--out",
        out.to_str().unwrap(),
        "--services",
        &list,
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    let defaults = chosen
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ");
    assert!(
        manifest.contains(&format!("\ndefault = [{defaults}, \"check\"]\n")),
        "{manifest}"
    );
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    for (service, ops) in &services {
        let kept = chosen.contains(&service);
        // A service's feature turns on its finer features, each declared on its own.
        let finer: std::collections::BTreeSet<&str> =
            ops.iter().filter_map(|(_, f)| f.as_deref()).collect();
        let quoted: Vec<String> = finer.iter().map(|f| format!("\"{f}\"")).collect();
        assert_eq!(
            manifest.contains(&format!("\n{service} = [{}]\n", quoted.join(", "))),
            kept,
            "feature {service}:\n{manifest}"
        );
        for feature in &finer {
            assert_eq!(
                manifest.contains(&format!("\n{feature} = []\n")),
                kept,
                "feature {feature}:\n{manifest}"
            );
            assert_eq!(
                readme.contains(&format!("`{feature}`")),
                kept,
                "feature {feature}:\n{readme}"
            );
        }
        let module_cfg = if finer.is_empty() {
            format!("#[cfg(feature = \"{service}\")]")
        } else {
            let any: Vec<String> = std::iter::once(service.as_str())
                .chain(finer.iter().copied())
                .map(|f| format!("feature = \"{f}\""))
                .collect();
            format!("#[cfg(any({}))]", any.join(", "))
        };
        assert_eq!(
            lib.contains(&format!("{module_cfg}\npub mod {service};")),
            kept,
            "module {service}:\n{lib}"
        );
        for (id, feature) in ops {
            let module = out.join(format!("src/{service}/{id}.rs"));
            assert_eq!(module.exists(), kept, "{}", module.display());
            // The operations table names the feature that compiles each operation in.
            let row = format!("| `{id}` | `{}` |", feature.as_deref().unwrap_or(service));
            assert_eq!(readme.contains(&row), kept, "{row}:\n{readme}");
        }
    }

    // A name that is not a service is a usage error, and nothing is written.
    let other = dir.path().join("other");
    let wrong = netapi_codegen(&[
        "generate",
        "spec",
        "--out",
        other.to_str().unwrap(),
        "--services",
        "vpc,nosuch",
    ]);
    assert_eq!(wrong.status.code(), Some(2));
    let message = stderr(&wrong);
    assert!(message.contains("`nosuch` is not a service"), "{message}");
    for service in netapi_codegen::SERVICES {
        assert!(message.contains(service), "{message}");
    }
    assert!(!other.exists());
}

/// Each service of the real specs can be vendored alone: the resource files of the other
/// services (which name operations that are not generated) are dropped with them.
#[test]
fn each_service_alone_generates_without_the_others_resource_files() {
    let spec = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec"));
    for entry in std::fs::read_dir(spec).unwrap() {
        let folder = entry.unwrap().path();
        if !folder.is_dir() {
            continue;
        }
        let service = folder.file_name().unwrap().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("netapi");
        let run = netapi_codegen(&[
            "generate",
            "spec",
            "--services",
            &service,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(
            run.status.success(),
            "{service}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
}
