//! Error fixtures: each folder under `tests/fixtures/check/` is a malformed spec set whose
//! rendered diagnostics are kept as a reviewed snapshot, so the messages themselves (their
//! wording, locations and hints) are part of what the tests hold fixed.

use std::path::Path;

use netapi_tests::fixture_cases;

#[test]
fn every_error_fixture_renders_its_reviewed_diagnostics() {
    let cases = fixture_cases("tests/fixtures/check");
    assert!(
        cases.len() >= 25,
        "expected at least 25 error fixtures, found {}",
        cases.len()
    );
    for case in cases {
        let dir = Path::new("tests/fixtures/check").join(&case);
        let rendered = match netapi_codegen::check_dir(&dir) {
            Ok(checked) => panic!(
                "fixture `{case}` passed the checker ({}), but it must fail",
                checked.stats
            ),
            Err(diagnostics) => diagnostics.to_string(),
        };
        insta::with_settings!({ snapshot_suffix => case.as_str(), prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!("check_errors", rendered);
        });
    }
}

#[test]
fn diagnostics_are_sorted_and_carry_file_line_column() {
    let dir = Path::new("tests/fixtures/check/many_errors_in_many_files");
    let diagnostics = netapi_codegen::check_dir(dir).expect_err("fixture must fail");
    let rendered = diagnostics.to_string();
    let locations: Vec<(String, usize, usize)> = rendered
        .lines()
        .filter(|l| l.contains(": error: "))
        .map(|l| {
            let mut parts = l.splitn(4, ':');
            let file = parts.next().unwrap().to_owned();
            let line = parts.next().unwrap().parse().unwrap();
            let column = parts.next().unwrap().parse().unwrap();
            (file, line, column)
        })
        .collect();
    let files: std::collections::BTreeSet<&str> =
        locations.iter().map(|(f, _, _)| f.as_str()).collect();
    assert_eq!(
        files.len(),
        3,
        "all three files report their problems in one run:\n{rendered}"
    );
    let mut sorted = locations.clone();
    sorted.sort();
    assert_eq!(
        locations, sorted,
        "diagnostics are sorted by file, line and column"
    );
}

/// The complete example of `spec/README.md` passes the checker as written, so a newcomer
/// who copies it starts from a valid spec.
#[test]
fn the_spec_readme_example_passes_the_checker() {
    let readme = std::fs::read_to_string("spec/README.md").unwrap();
    let start = readme.find("```yaml\n").expect("a yaml block") + "```yaml\n".len();
    let example = &readme[start..start + readme[start..].find("```").expect("closed")];
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vpn/create_widget.yaml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, example).unwrap();
    if let Err(diagnostics) = netapi_codegen::check_dir(dir.path()) {
        panic!("spec/README.md's example fails the checker:\n{diagnostics}");
    }
}

/// The first `yaml` block after `heading` in `spec/README.md`.
fn readme_block(readme: &str, heading: &str) -> String {
    let section = &readme[readme.find(heading).expect("the heading")..];
    let start = section.find("```yaml\n").expect("a yaml block") + "```yaml\n".len();
    section[start..start + section[start..].find("```").expect("closed")].to_owned()
}

/// The resource file and the waiters `spec/README.md` shows pass the checker together, as
/// the resource file of the operations they name (the resources fixture's), so a newcomer
/// who copies them starts from valid specs.
#[test]
fn the_spec_readme_resource_and_waiter_examples_pass_the_checker() {
    let readme = std::fs::read_to_string("spec/README.md").unwrap();
    let resource = readme_block(&readme, "## Resource files: shared types");
    let waiters = readme_block(&readme, "## Waiters");
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new("tests/fixtures/generate/resources/spec/vpn");
    let vpn = dir.path().join("vpn");
    std::fs::create_dir_all(vpn.join("resources")).unwrap();
    for entry in std::fs::read_dir(fixture).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, vpn.join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(
        vpn.join("resources/gadget.yaml"),
        format!("{resource}\n{waiters}"),
    )
    .unwrap();
    if let Err(diagnostics) = netapi_codegen::check_dir(dir.path()) {
        panic!("spec/README.md's resource examples fail the checker:\n{diagnostics}");
    }
}
