//! Vendoring: the generated crate builds on its own, offline, with only runtime
//! dependencies, under `-D warnings`, and its tests and doc tests pass.
//!
//! These tests run real `cargo` builds in a target directory of their own
//! (`target/e2e`), shared between runs, so only the first run pays for compiling serde.

use netapi_tests::{GENERATOR_CRATES, assert_success, cargo};
use std::path::{Path, PathBuf};

use netapi_codegen::{Config, Layout};

/// Generates the crate for `spec` and vendors it into a fresh temporary directory.
fn vendored(spec: &str) -> (tempfile::TempDir, PathBuf, netapi_codegen::Generated) {
    let dir = tempfile::tempdir().unwrap();
    let crate_dir = dir.path().join("netapi");
    let generated = Config::new(spec)
        .layout(Layout::Crate)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    generated.vendor(&crate_dir).unwrap();
    (dir, crate_dir, generated)
}

#[test]
fn vendored_crate_builds_standalone_offline_without_generator_dependencies() {
    let (_dir, crate_dir, _) = vendored("spec");

    assert_success(
        &cargo(&crate_dir, &["build", "--offline", "--quiet"]),
        "cargo build of the vendored crate",
    );
    assert_success(
        &cargo(&crate_dir, &["test", "--offline", "--quiet"]),
        "cargo test of the vendored crate",
    );

    let tree = cargo(
        &crate_dir,
        &["tree", "--offline", "--edges", "all", "--prefix", "none"],
    );
    assert_success(&tree, "cargo tree");
    let tree = String::from_utf8_lossy(&tree.stdout);
    let crates: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    for forbidden in GENERATOR_CRATES.iter().chain(&["serde_derive"]) {
        assert!(
            !crates.contains(forbidden),
            "the vendored crate depends on {forbidden}:\n{tree}"
        );
    }
    for needed in ["serde", "serde_json", "http"] {
        assert!(
            crates.contains(&needed),
            "the vendored crate lacks {needed}:\n{tree}"
        );
    }
}

/// Every generator fixture's output compiles, passes clippy and builds its docs under
/// `-D warnings`: raw identifiers, collision suffixes, escaped docs and every operation
/// shape (no body, no response body, 204, path or query parameters only) are all valid,
/// warning-free Rust. A fixture may bring test files (`tests/fixtures/generate/<case>/*.rs`),
/// which run against its crate as integration tests, such as the shapes fixture's round
/// trips through the sans-IO client.
#[test]
fn fixtures_compile_without_warnings_and_pass_their_tests() {
    for case in netapi_tests::fixture_cases("tests/fixtures/generate") {
        let folder = Path::new("tests/fixtures/generate").join(&case);
        let spec = folder.join("spec");
        let (_dir, crate_dir, _) = vendored(spec.to_str().unwrap());
        let mut tests = 0;
        // The fixture's derived boundary cases run through its own crate, so a format or
        // rule only a fixture uses (the date-time formats) is exercised too.
        let api = Config::new(&spec).lower().unwrap_or_else(|e| panic!("{e}"));
        let cases = netapi_codegen::cases::cases(&api);
        if !cases.is_empty() {
            let json: Vec<serde_json::Value> = cases.iter().map(case_json).collect();
            std::fs::write(
                crate_dir.join("cases.json"),
                serde_json::to_string(&json).unwrap(),
            )
            .unwrap();
            std::fs::create_dir_all(crate_dir.join("tests")).unwrap();
            std::fs::copy(
                "tests/support/fixture_cases.rs",
                crate_dir.join("tests/fixture_cases.rs"),
            )
            .unwrap();
            tests += 1;
        }
        let mut brings_tests = false;
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") {
                brings_tests = true;
                let target = crate_dir.join("tests").join(path.file_name().unwrap());
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::copy(&path, target).unwrap();
                tests += 1;
            }
        }
        if brings_tests {
            // A fixture's own tests drive the async client too, which needs an executor the
            // crate itself does not ship (its users bring their own).
            let manifest = crate_dir.join("Cargo.toml");
            let mut text = std::fs::read_to_string(&manifest).unwrap();
            text.push_str(
                "\n[dev-dependencies]\ntokio = { version = \"1\", default-features = false, features = [\"rt\", \"time\"] }\n",
            );
            std::fs::write(&manifest, text).unwrap();
        }
        assert_success(
            &cargo(
                &crate_dir,
                &[
                    "clippy",
                    "--offline",
                    "--quiet",
                    "--all-targets",
                    "--all-features",
                    "--",
                    "-D",
                    "warnings",
                ],
            ),
            &format!("cargo clippy of the {case} fixture"),
        );
        assert_success(
            &cargo(&crate_dir, &["doc", "--offline", "--quiet", "--no-deps"]),
            &format!("cargo doc of the {case} fixture"),
        );
        if tests > 0 {
            assert_success(
                // With every feature, so tests of both transports run too.
                &cargo(
                    &crate_dir,
                    &["test", "--offline", "--quiet", "--tests", "--all-features"],
                ),
                &format!("cargo test of the {case} fixture"),
            );
        }
    }
}

/// A derived case as JSON, for the fixture crate's harness (`tests/support/fixture_cases.rs`).
fn case_json(case: &netapi_codegen::cases::Case) -> serde_json::Value {
    use netapi_codegen::cases::Expect;
    let mut out = serde_json::json!({
        "operation": case.operation,
        "name": case.name,
        "body": case.body,
        "expect": "accept",
    });
    if let Expect::Reject { path, rules } = &case.expect {
        out["expect"] = "reject".into();
        out["path"] = path.as_str().into();
        out["rules"] = rules.iter().map(|r| r.name()).collect::<Vec<_>>().into();
    }
    out
}

#[test]
fn vendoring_is_atomic_keeps_unchanged_files_and_check_finds_stale_ones() {
    let (dir, crate_dir, generated) = vendored("spec");
    assert!(generated.stale_files(&crate_dir).unwrap().is_empty());

    let lib = crate_dir.join("src/lib.rs");
    let before = std::fs::metadata(&lib).unwrap().modified().unwrap();
    std::fs::write(
        crate_dir.join("src/vpn/create_vpn_service.rs"),
        "// hand edit\n",
    )
    .unwrap();
    // A file of the user's: not the generator's, so neither stale nor removed.
    std::fs::write(crate_dir.join("src/stray.rs"), "").unwrap();
    let stale = generated.stale_files(&crate_dir).unwrap();
    let names: Vec<(&str, &str)> = stale.iter().map(|s| (s.path.as_str(), s.reason)).collect();
    assert_eq!(names, [("src/vpn/create_vpn_service.rs", "differs")]);

    let second = generated.vendor(&crate_dir).unwrap();
    assert_eq!(second.written, ["src/vpn/create_vpn_service.rs"]);
    assert!(second.removed.is_empty());
    assert!(crate_dir.join("src/stray.rs").is_file());
    assert_eq!(
        std::fs::metadata(&lib).unwrap().modified().unwrap(),
        before,
        "unchanged files are not rewritten"
    );
    assert!(generated.stale_files(&crate_dir).unwrap().is_empty());
    // No staging or retired trees, and no lock file, are left next to the crate.
    let siblings: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(siblings, ["netapi"]);

    let third = generated.vendor(&crate_dir).unwrap();
    assert!(third.written.is_empty() && third.removed.is_empty());
}

/// `generated` with one more file, as an earlier generation might have written it.
fn with_extra(generated: &netapi_codegen::Generated, path: &str) -> netapi_codegen::Generated {
    let mut earlier = generated.clone();
    earlier.files.push(netapi_codegen::GeneratedFile {
        path: path.to_owned(),
        contents: format!("// @generated by netapi-codegen from {path}. Do not edit.\n"),
    });
    earlier.files.sort_by(|a, b| a.path.cmp(&b.path));
    earlier
}

#[test]
fn only_files_the_manifest_lists_unedited_are_removed() {
    let (_dir, crate_dir, generated) = vendored("spec");
    let earlier = with_extra(&with_extra(&generated, "src/gone.rs"), "src/edited.rs");
    earlier.vendor(&crate_dir).unwrap();
    let manifest = std::fs::read_to_string(crate_dir.join(netapi_codegen::MANIFEST)).unwrap();
    assert!(
        manifest.lines().any(|l| l.ends_with(" src/gone.rs")),
        "{manifest}"
    );
    std::fs::write(crate_dir.join("src/edited.rs"), "// the user's now\n").unwrap();

    let stale = generated.stale_files(&crate_dir).unwrap();
    let names: Vec<(&str, &str)> = stale.iter().map(|s| (s.path.as_str(), s.reason)).collect();
    assert_eq!(
        names,
        [
            (".netapi-manifest", "differs"),
            ("src/edited.rs", "not generated"),
            ("src/gone.rs", "not generated")
        ]
    );
    let report = generated.vendor(&crate_dir).unwrap();
    assert_eq!(report.removed, ["src/gone.rs"]);
    assert_eq!(
        report.kept,
        ["src/edited.rs"],
        "an edited file is not removed"
    );
    assert!(!crate_dir.join("src/gone.rs").exists());
    assert_eq!(
        std::fs::read_to_string(crate_dir.join("src/edited.rs")).unwrap(),
        "// the user's now\n"
    );
    assert!(generated.stale_files(&crate_dir).unwrap().is_empty());
}

#[test]
fn a_build_script_folder_is_the_generators_own() {
    use netapi_codegen::VendorOptions;
    let (_dir, crate_dir, generated) = vendored("spec");
    // As an older generator left it: no manifest, and a file it no longer produces.
    std::fs::remove_file(crate_dir.join(netapi_codegen::MANIFEST)).unwrap();
    std::fs::write(crate_dir.join("src/old_module.rs"), "// old\n").unwrap();
    let refused = generated.vendor(&crate_dir).unwrap_err();
    assert!(
        matches!(refused, netapi_codegen::WriteError::Refused { .. }),
        "{refused}"
    );
    let mut options = VendorOptions::new();
    options.whole_folder(true);
    let report = generated.vendor_with(&crate_dir, &options).unwrap();
    assert_eq!(report.removed, ["src/old_module.rs"]);
    assert!(report.written.is_empty());
    assert!(generated.stale_files(&crate_dir).unwrap().is_empty());
}

/// The build script uses the generator's library only: the command line's dependencies
/// (clap, behind netapi-codegen's default `cli` feature) are not built for `netapi`.
#[test]
fn the_build_script_does_not_depend_on_the_command_line() {
    let tree = cargo(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "tree",
            "--offline",
            "-p",
            "netapi",
            "--edges",
            "normal,build",
            "--prefix",
            "none",
        ],
    );
    assert_success(&tree, "cargo tree -p netapi");
    let tree = String::from_utf8_lossy(&tree.stdout);
    let crates: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(crates.contains(&"netapi-codegen"), "{tree}");
    for cli in ["clap", "clap_builder", "clap_derive", "clap_lex", "strsim"] {
        assert!(
            !crates.contains(&cli),
            "netapi's build depends on {cli}:\n{tree}"
        );
    }
}

/// Each service is a cargo feature of the vendored crate, and a service may be split finer
/// (`vpn-v5`, `vpnaas`): the crate compiles under `-D warnings` with no feature and with
/// each feature, service or finer, alone (with and without the clients), so no feature
/// leaves dead code or an unused import behind. With one service on, and with one finer
/// feature on, the registry lists only the operations that feature compiles in and names
/// the feature of each other one. The features come from the specs. `check` (the checking
/// functions, on by default) is off in each of these builds, and on with no service.
#[test]
fn each_service_feature_compiles_alone_and_the_registry_names_features_that_are_off() {
    // With the first service alone, and with the first finer feature alone.
    each_feature_compiles_alone("spec", |services, finer| {
        services
            .iter()
            .take(1)
            .chain(finer.first())
            .cloned()
            .collect()
    });
}

/// The same for the features fixture, whose shared types are reached from different
/// features of one service and which has an operation without a finer feature: every
/// feature compiles alone, and the registry is right with each one alone.
#[test]
fn features_fixture_compiles_with_each_feature_alone() {
    each_feature_compiles_alone(
        "tests/fixtures/generate/features/spec",
        |services, finer| services.iter().chain(finer).cloned().collect(),
    );
}

/// Vendors `spec`'s crate and checks it under `-D warnings` with no feature and with each
/// feature alone (with and without the clients); then, with each feature that `registry`
/// picks from the services and the finer features alone, builds the docs (under
/// `-D warnings`: no link to a module that is not compiled in) and runs a test of the
/// registry.
fn each_feature_compiles_alone(
    spec: &str,
    registry: impl FnOnce(&[String], &[String]) -> Vec<String>,
) {
    let (_dir, crate_dir, _) = vendored(spec);
    let api = Config::new(spec).lower().unwrap_or_else(|e| panic!("{e}"));
    let services: Vec<String> = api
        .services()
        .into_iter()
        .map(|(s, _)| s.to_owned())
        .collect();
    // The finer features, from the operations' `feature:` (an operation without one has
    // its service's).
    let mut finer: Vec<String> = api
        .operations
        .iter()
        .filter(|op| op.feature != op.service)
        .map(|op| op.feature.clone())
        .collect();
    finer.sort();
    finer.dedup();
    assert_success(
        &cargo(
            &crate_dir,
            &["check", "--offline", "--quiet", "--no-default-features"],
        ),
        "cargo check with no service",
    );
    // Each feature alone, with and without the clients; and `check` alone, the registry's
    // checking functions with no operation to check.
    let alone = services
        .iter()
        .chain(&finer)
        .flat_map(|feature| [feature.clone(), format!("{feature},blocking,async")]);
    for features in alone.chain(["check".to_owned()]) {
        assert_success(
            &cargo(
                &crate_dir,
                &[
                    "check",
                    "--offline",
                    "--quiet",
                    "--no-default-features",
                    "--features",
                    &features,
                ],
            ),
            &format!("cargo check with only {features}"),
        );
    }

    // With one feature alone, every other operation is reported as behind its feature, and
    // the compiled-in ones are checked as usual. A service's feature compiles in all of its
    // operations, finer ones included.
    for on in &registry(&services, &finer) {
        let name = format!("only_{}", on.replace('-', "_"));
        let mut test = format!(
            "//! Written by tests/vendor.rs of the workspace.\n\n#[test]\nfn {name}() {{\n"
        );
        let mut compiled = 0;
        for op in &api.operations {
            let id = &op.id;
            let feature = &op.feature;
            test.push_str(&format!(
                "    assert_eq!(netapi::feature_of({id:?}), Some({feature:?}));\n"
            ));
            if feature == on || &op.service == on {
                compiled += 1;
                test.push_str(&format!(
                    "    assert!(netapi::operations().iter().any(|d| d.id == {id:?}));\n    assert!(!matches!(netapi::check_request_json({id:?}, \"{{}}\"), Err(netapi::CheckError::FeatureOff {{ .. }} | netapi::CheckError::UnknownOperation {{ .. }})));\n"
                ));
            } else {
                test.push_str(&format!(
                    "    assert!(!netapi::operations().iter().any(|d| d.id == {id:?}));\n    let error = netapi::check_request_json({id:?}, \"{{}}\").unwrap_err();\n    assert_eq!(error, netapi::CheckError::FeatureOff {{ id: {id:?}.to_owned(), feature: {feature:?} }});\n    assert!(error.to_string().contains(\"`{feature}`\"), \"{{error}}\");\n    assert!(netapi::check_response_json({id:?}, 200, \"{{}}\").is_err());\n"
                ));
            }
        }
        test.push_str(&format!(
            "    assert_eq!(netapi::operations().len(), {compiled});\n    assert_eq!(netapi::feature_of(\"no_such_operation\"), None);\n    assert!(matches!(netapi::check_request_json(\"no_such_operation\", \"{{}}\"), Err(netapi::CheckError::UnknownOperation {{ .. }})));\n}}\n"
        ));
        // The docs build too: the crate's docs link only the modules compiled in.
        assert_success(
            &cargo(
                &crate_dir,
                &[
                    "doc",
                    "--offline",
                    "--quiet",
                    "--no-deps",
                    "--no-default-features",
                    "--features",
                    on,
                ],
            ),
            &format!("cargo doc with only {on}"),
        );
        std::fs::create_dir_all(crate_dir.join("tests")).unwrap();
        std::fs::write(crate_dir.join(format!("tests/{name}.rs")), test).unwrap();
        assert_success(
            &cargo(
                &crate_dir,
                &[
                    "test",
                    "--offline",
                    "--quiet",
                    "--no-default-features",
                    "--features",
                    &format!("{on},check"),
                    "--test",
                    &name,
                ],
            ),
            &format!("the registry's test with only {on}"),
        );
    }
}
