//! A generation killed part-way never leaves a mix of old and new files: the output
//! directory is, after every kill, exactly the old crate or exactly the new one.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{copy_dir, tree};

fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_netapi-codegen"));
    command.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    command
}

/// The real spec set plus `copies` renamed copies of its `create_vpn_connection`, with
/// `marker` in a description so that two sets generate different crates. The real set
/// comes along because the copies use its shared types (`spec/vpn/resources/`).
fn spec_set(dir: &Path, copies: usize, marker: &str) {
    copy_dir(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec")),
        dir,
    );
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
            // A path of its own: OpenAPI holds one operation per method and path.
            .replacen(
                "path: /v5/{project_id}/vpn-connection\n",
                &format!("path: /v5/{{project_id}}/vpn-connection/copy-{i}\n"),
                1,
            )
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

/// The names beside the output folder (its siblings), sorted.
fn siblings(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_kill_between_the_two_renames_is_recovered_by_the_next_run() {
    let work = tempfile::tempdir().unwrap();
    let (spec_a, spec_b) = (work.path().join("spec-a"), work.path().join("spec-b"));
    spec_set(&spec_a, 2, "A");
    spec_set(&spec_b, 2, "B");
    let out = work.path().join("out").join("netapi");
    generate(&spec_a, &out);
    let tree_a = tree(&out);
    generate(&spec_b, &out);
    // A file of the user's in the folder, which no run may lose.
    std::fs::write(out.join("Cargo.lock"), "# the user's lock file\n").unwrap();
    let expected_b = tree(&out);

    // The state a run killed between its two renames leaves: the folder moved aside, the
    // complete new tree beside it, no folder.
    let parent = out.parent().unwrap();
    std::fs::rename(&out, parent.join(".netapi.netapi-old-4242-0-0")).unwrap();
    let staging = parent.join(".netapi.netapi-new-4242-0-0");
    for (path, contents) in &tree_a {
        let target = staging.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, contents).unwrap();
    }
    assert!(!out.exists());

    // A `--check` reads and changes nothing.
    let check = bin()
        .args([
            "generate",
            spec_b.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--check",
        ])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert!(!out.exists());

    // The next run puts the old folder back, says so, and then writes as usual.
    let next = bin()
        .args([
            "generate",
            spec_b.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&next.stderr);
    assert!(next.status.success(), "{stderr}");
    assert!(
        stderr.contains("put ") && stderr.contains(" back as it was"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&next.stdout);
    assert!(stdout.contains("(0 written, "), "{stdout}");
    assert_eq!(tree(&out), expected_b);
    assert_eq!(siblings(&out), ["netapi"]);

    // Killed again, then a run to the other generation: the user's file survives.
    std::fs::rename(&out, parent.join(".netapi.netapi-old-4243-0-0")).unwrap();
    generate(&spec_a, &out);
    assert_eq!(
        std::fs::read_to_string(out.join("Cargo.lock")).unwrap(),
        "# the user's lock file\n"
    );
    let mut now = tree(&out);
    now.remove(Path::new("Cargo.lock"));
    assert_eq!(now, tree_a);
}

#[test]
fn a_second_run_waits_for_the_lock_and_never_removes_a_live_staging_tree() {
    use std::io::BufRead;
    let work = tempfile::tempdir().unwrap();
    let (spec_a, spec_b) = (work.path().join("spec-a"), work.path().join("spec-b"));
    spec_set(&spec_a, 2, "A");
    spec_set(&spec_b, 2, "B");
    let out = work.path().join("out").join("netapi");
    generate(&spec_a, &out);
    let tree_a = tree(&out);
    generate(&spec_b, &out);
    let tree_b = tree(&out);

    // Another run is live: it holds the lock and is building its staging tree.
    let parent = out.parent().unwrap();
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(parent.join(".netapi.netapi-lock"))
        .unwrap();
    lock.lock().unwrap();
    let live = parent.join(".netapi.netapi-new-live");
    std::fs::create_dir_all(live.join("src")).unwrap();
    std::fs::write(live.join("src/lib.rs"), "// half written\n").unwrap();

    let mut child = bin()
        .args([
            "generate",
            spec_a.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (said, heard) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = std::io::BufReader::new(stderr).lines();
        let _ = said.send(lines.next().and_then(Result::ok).unwrap_or_default());
    });
    let line = heard
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_default();
    assert!(
        line.starts_with("waiting for another netapi-codegen run to finish writing "),
        "{line:?}"
    );
    // While the lock is held, the waiting run changes nothing.
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the second run did not wait"
    );
    assert_eq!(tree(&out), tree_b);
    assert!(
        live.join("src/lib.rs").is_file(),
        "a live run's staging tree was removed"
    );

    // The live run finishes (its staging tree gone) and lets go; the waiting one proceeds.
    std::fs::remove_dir_all(&live).unwrap();
    std::fs::remove_file(parent.join(".netapi.netapi-lock")).unwrap();
    drop(lock);
    assert!(child.wait().unwrap().success());
    assert_eq!(tree(&out), tree_a);
    assert_eq!(siblings(&out), ["netapi"]);
}

#[test]
fn concurrent_generations_into_one_folder_never_mix() {
    let work = tempfile::tempdir().unwrap();
    let (spec_a, spec_b) = (work.path().join("spec-a"), work.path().join("spec-b"));
    spec_set(&spec_a, 3, "A");
    spec_set(&spec_b, 3, "B");
    let out = work.path().join("out").join("netapi");
    generate(&spec_a, &out);
    let tree_a = tree(&out);
    generate(&spec_b, &out);
    let tree_b = tree(&out);
    for round in 0..4 {
        run_at_once("generate", &[&spec_a, &spec_b, &spec_a], &out, round);
        let now = tree(&out);
        assert!(
            now == tree_a || now == tree_b,
            "round {round}: a mix of two generations"
        );
        assert_eq!(siblings(&out), ["netapi"]);
    }
}

#[test]
fn concurrent_openapi_runs_leave_one_whole_document() {
    let work = tempfile::tempdir().unwrap();
    let (spec_a, spec_b) = (work.path().join("spec-a"), work.path().join("spec-b"));
    // One copy each (each on a path of its own).
    spec_set(&spec_a, 1, "A");
    spec_set(&spec_b, 1, "B");
    let document = |spec: &Path| {
        let output = bin()
            .args(["openapi", spec.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(output.status.success());
        output.stdout
    };
    let (doc_a, doc_b) = (document(&spec_a), document(&spec_b));
    let out = work.path().join("doc").join("openapi.json");
    std::fs::create_dir(out.parent().unwrap()).unwrap();
    for round in 0..6 {
        run_at_once(
            "openapi",
            &[&spec_a, &spec_b, &spec_a, &spec_b],
            &out,
            round,
        );
        let now = std::fs::read(&out).unwrap();
        assert!(
            now == doc_a || now == doc_b,
            "round {round}: not one whole document"
        );
        assert_eq!(siblings(&out), ["openapi.json"], "round {round}");
    }
}

/// Starts `netapi-codegen <command> <spec> --out <out>` for every spec at once, then waits
/// for all of them; each must succeed.
fn run_at_once(command: &str, specs: &[&Path], out: &Path, round: usize) {
    let children: Vec<_> = specs
        .iter()
        .map(|spec| {
            bin()
                .args([
                    command,
                    spec.to_str().unwrap(),
                    "--out",
                    out.to_str().unwrap(),
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success(), "round {round}");
    }
}
