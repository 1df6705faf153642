//! A generation killed part-way never leaves a mix of old and new files: the output
//! directory is, after every kill, exactly the old crate or exactly the new one.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::tree;

fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_netapi-codegen"));
    command.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    command
}

/// A spec set of `copies` renamed copies of the real `create_vpn_connection`, with
/// `marker` in a description so that two sets generate different crates.
fn spec_set(dir: &Path, copies: usize, marker: &str) {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/vpn/create_vpn_connection.yaml"
    ))
    .unwrap();
    let vpn = dir.join("vpn");
    std::fs::create_dir_all(&vpn).unwrap();
    for i in 0..copies {
        let id = format!("create_vpn_connection_{i}");
        let text = source
            .replacen("id: create_vpn_connection", &format!("id: {id}"), 1)
            .replacen(
                "title: Creating a VPN Connection",
                &format!("title: Creating a VPN Connection ({marker})"),
                1,
            );
        std::fs::write(vpn.join(format!("{id}.yaml")), text).unwrap();
    }
}

fn generate(spec: &Path, out: &Path) {
    let status = bin()
        .args([
            "generate",
            spec.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn killed_generations_leave_the_old_crate_or_the_new_one() {
    let work = tempfile::tempdir().unwrap();
    let (spec_a, spec_b) = (work.path().join("spec-a"), work.path().join("spec-b"));
    spec_set(&spec_a, 10, "A");
    spec_set(&spec_b, 10, "B");
    let out = work.path().join("out").join("netapi");
    generate(&spec_b, &out);
    let tree_b = tree(&out);
    let started = Instant::now();
    generate(&spec_a, &out);
    let full = started.elapsed();
    let tree_a = tree(&out);
    assert_ne!(tree_a, tree_b);

    let (mut old, mut new) = (0, 0);
    for round in 0..10u32 {
        let (start, target_spec, target) = if round % 2 == 0 {
            (&tree_a, &spec_b, &tree_b)
        } else {
            (&tree_b, &spec_a, &tree_a)
        };
        assert_eq!(&tree(&out), start);
        let mut child = bin()
            .args([
                "generate",
                target_spec.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        // Spread the kills over the whole run and past its end, the final swap included.
        std::thread::sleep(full.mul_f64(f64::from(round) / 6.0));
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&out);
        if &now == start {
            old += 1;
            // Finish the transition, so the next round starts from the other tree.
            generate(target_spec, &out);
        } else {
            assert_eq!(
                &now, target,
                "round {round}: the output is a mix of two generations"
            );
            new += 1;
        }
    }
    eprintln!("of 10 killed generations, {old} left the old crate and {new} the new one");
    // A completed run removes what killed ones left beside the output.
    let siblings: Vec<String> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(siblings, ["netapi"]);
}

#[test]
fn the_kill_window_is_real() {
    // The test above means something only if a generation takes long enough to be killed
    // mid-way; 10 operations take well over a few milliseconds even in release builds.
    let work = tempfile::tempdir().unwrap();
    spec_set(&work.path().join("spec"), 10, "W");
    let started = Instant::now();
    generate(&work.path().join("spec"), &work.path().join("out"));
    assert!(started.elapsed() > Duration::from_millis(5));
}
