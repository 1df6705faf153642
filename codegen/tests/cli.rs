//! The `netapi-codegen check` command: exit codes and output.

use std::process::Command;

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
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let spec: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let mut numbers = std::collections::BTreeSet::new();
        let rows = |v: &serde_yaml::Value| v.as_sequence().cloned().unwrap_or_default();
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
    (paths.len(), tables)
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
fn usage_errors_exit_2() {
    let out = netapi_codegen(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage"));
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
