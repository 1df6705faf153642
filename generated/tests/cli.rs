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
