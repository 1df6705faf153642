//! The `netapi-validate` command: exit codes and output.

use std::process::Command;

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_netapi-validate"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(name: &str, body: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("netapi-validate-{}-{name}", std::process::id()));
    std::fs::write(&path, body).unwrap();
    path
}

#[test]
fn valid_request_exits_0() {
    let path = write(
        "ok.json",
        r#"{"peering": {"name": "test", "request_vpc_info": {"vpc_id": "a"}, "accept_vpc_info": {"vpc_id": "b"}}}"#,
    );
    let (code, stdout, _) = run(&["create_vpc_peering", path.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.starts_with("ok: "));
}

#[test]
fn invalid_request_prints_every_violation_and_exits_1() {
    let path = write(
        "bad.json",
        r#"{"peering": {"name": "", "description": "<b>", "request_vpc_info": {}, "accept_vpc_info": {"vpc_id": "b"}}}"#,
    );
    let (code, stdout, _) = run(&["create_vpc_peering", path.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("peering.request_vpc_info.vpc_id: missing field `vpc_id`"),
        "{stdout}"
    );
    let fixed = write(
        "bad2.json",
        r#"{"peering": {"name": "", "description": "<b>", "request_vpc_info": {"vpc_id": "a"}, "accept_vpc_info": {"vpc_id": "b"}}}"#,
    );
    let (code, stdout, _) = run(&["create_vpc_peering", fixed.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(stdout.contains("2 problems"), "{stdout}");
    assert!(
        stdout
            .contains("peering.name: \"\" has 0 characters, fewer than the minimum 1 [min_length]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("peering.description: \"<b>\" contains '<'"),
        "{stdout}"
    );
}

#[test]
fn responses_and_usage() {
    let path = write(
        "resp.json",
        r#"{"peering": {"id": "x", "status": "SOMETHING_NEW", "extra_key": 1}}"#,
    );
    let (code, stdout, _) = run(&[
        "--response",
        "create_vpc_peering",
        "200",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{stdout}");
    let (code, stdout, _) = run(&[
        "--response",
        "create_vpc_peering",
        "404",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1), "{stdout}");
    let (code, _, stderr) = run(&["only-one-arg"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("usage") && stderr.contains("create_vpn_connection"),
        "{stderr}"
    );
}

#[test]
fn help_and_version_print_and_exit_0() {
    for flag in ["--help", "-h", "help"] {
        let (code, stdout, stderr) = run(&[flag]);
        assert_eq!(code, Some(0), "{flag}: {stderr}");
        assert!(
            stdout.contains("usage: netapi-validate") && stdout.contains("--response"),
            "{flag}: {stdout}"
        );
        for op in netapi::operations() {
            assert!(stdout.contains(op.id), "{flag}: {stdout}");
        }
    }
    let (code, stdout, stderr) = run(&["create_vpc_peering", "--help"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("usage"), "{stdout}");
    for flag in ["--version", "-V"] {
        let (code, stdout, _) = run(&[flag]);
        assert_eq!(code, Some(0));
        assert_eq!(
            stdout.trim(),
            format!("netapi-validate {}", env!("CARGO_PKG_VERSION"))
        );
    }
    let (code, _, stderr) = run(&["--frobnicate", "x"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("unknown option `--frobnicate`") && stderr.contains("usage"),
        "{stderr}"
    );
}

#[test]
fn problems_are_capped_at_a_thousand() {
    let keys: Vec<String> = (0..5000).map(|i| format!("\"unknown_{i}\": {i}")).collect();
    let path = write(
        "many.json",
        &format!(
            r#"{{"peering": {{"name": "n", "request_vpc_info": {{"vpc_id": "a"}}, "accept_vpc_info": {{"vpc_id": "b"}}, {}}}}}"#,
            keys.join(", ")
        ),
    );
    let (code, stdout, _) = run(&["create_vpc_peering", path.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(stdout.contains("5000 problems"), "{}", &stdout[..200]);
    assert_eq!(stdout.matches("unknown field").count(), 1000);
    assert!(
        stdout
            .trim_end()
            .ends_with("... and 4000 more (only the first 1000 are listed)"),
        "{}",
        &stdout[stdout.len() - 200..]
    );
}

#[test]
fn duplicate_keys_are_refused() {
    let path = write(
        "dup.json",
        r#"{"peering": {"name": "x", "name": "test", "request_vpc_info": {"vpc_id": "a"}, "accept_vpc_info": {"vpc_id": "b"}}}"#,
    );
    let (code, stdout, _) = run(&["create_vpc_peering", path.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("peering.name: duplicate field `name`"),
        "{stdout}"
    );
}
