//! The `netapi-codegen check` command: exit codes and output.

use std::process::Command;

fn netapi_codegen(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_netapi-codegen"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("the binary runs")
}

#[test]
fn check_passes_on_the_real_specs_with_one_summary_line() {
    let out = netapi_codegen(&["check", "spec"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with("ok: 5 operations, 33 tables, "),
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
