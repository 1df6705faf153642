//! Reusing operation modules from the previous generation (`Config::reuse`): unchanged
//! operations are taken as they are, edited ones are generated afresh, and the result is
//! always the same as a fresh generation.

use std::path::Path;

use netapi_codegen::{Config, Generated, Layout};
use netapi_tests::copy_dir;

/// The number of operations in a spec folder, one `.yaml` file each: what a full reuse
/// reuses, derived from the folder so that adding an endpoint does not break the counts.
fn operation_count(spec: &Path) -> usize {
    netapi_tests::spec_files(spec).len()
}

fn generate(spec: &Path, reuse: Option<&Path>) -> Generated {
    let mut config = Config::new(spec);
    config.layout(Layout::Crate);
    if let Some(dir) = reuse {
        config.reuse(dir);
    }
    config.generate().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn unchanged_operations_are_reused_and_edited_ones_regenerated() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    let out = dir.path().join("out");
    copy_dir(Path::new("spec"), &spec);

    let first = generate(&spec, Some(&out));
    assert_eq!(first.summary.reused, 0, "nothing to reuse yet");
    first.vendor(&out).unwrap();

    let second = generate(&spec, Some(&out));
    let operations = operation_count(&spec);
    assert_eq!(second.summary.reused, operations);
    assert_eq!(second.files, first.files);

    // One spec edited: its module and the crate root change, the rest is reused.
    let edited = spec.join("vpc/create_vpc_peering.yaml");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text.replacen("  title: ", "  title: Edited ", 1)).unwrap();
    let third = generate(&spec, Some(&out));
    assert_eq!(third.summary.reused, operations - 1);
    let fresh = generate(&spec, None);
    assert_eq!(fresh.summary.reused, 0);
    assert_eq!(third.files, fresh.files, "reuse must not change the output");
    let module = third.file("src/vpc/create_vpc_peering.rs").unwrap();
    assert!(
        module
            .contents
            .contains("Edited Creating a VPC Peering Connection")
    );
}

/// A shared type is part of the input of every operation module of its service (the
/// modules name it, and its fields decide their code), so editing a resource file
/// regenerates that service's modules and reuses every other one; the result is still a
/// fresh generation's.
#[test]
fn editing_a_shared_type_regenerates_its_services_modules() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    let out = dir.path().join("out");
    copy_dir(Path::new("spec"), &spec);
    generate(&spec, Some(&out)).vendor(&out).unwrap();

    // The first resource file with a one-line field description under `types:`.
    let mut edited = None;
    for service in std::fs::read_dir(&spec).unwrap() {
        let resources = service.unwrap().path().join("resources");
        let Ok(entries) = std::fs::read_dir(&resources) else {
            continue;
        };
        let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let Some(types) = text.find("\ntypes:\n") else {
                continue;
            };
            let found = text[types..].lines().find_map(|line| {
                let value = line.trim_start().strip_prefix("description: ")?;
                (!value.starts_with(['>', '|', '"', '\''])).then_some(line)
            });
            if let Some(line) = found {
                let at = types + text[types..].find(line).unwrap();
                let line_edited = line.replacen("description: ", "description: Edited ", 1);
                let text = format!("{}{line_edited}{}", &text[..at], &text[at + line.len()..]);
                std::fs::write(&file, text).unwrap();
                edited = Some(file);
                break;
            }
        }
        if edited.is_some() {
            break;
        }
    }
    let edited = edited.expect("a resource file with a one-line description in spec/");
    let service = edited.parent().unwrap().parent().unwrap();
    let in_service = operation_count(service);
    let again = generate(&spec, Some(&out));
    assert_eq!(
        again.summary.reused,
        operation_count(&spec) - in_service,
        "{} edited: every module of its service is regenerated, no other",
        edited.display()
    );
    assert_eq!(again.files, generate(&spec, None).files);
}

#[test]
fn a_module_whose_header_does_not_match_is_regenerated() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let fresh = generate(Path::new("spec"), None);
    let others = operation_count(Path::new("spec")) - 1;
    fresh.vendor(&out).unwrap();
    let module = out.join("src/vpn/create_vpn_service.rs");
    let text = std::fs::read_to_string(&module).unwrap();

    // A header from another input (another generator, another spec): not reused.
    let (first, rest) = text.split_once('\n').unwrap();
    let start = first.find("(input ").unwrap() + "(input ".len();
    let other = format!(
        "{}ffffffffffffffff{}",
        &first[..start],
        &first[start + 16..]
    );
    std::fs::write(&module, format!("{other}\n{rest}")).unwrap();
    let again = generate(Path::new("spec"), Some(&out));
    assert_eq!(again.summary.reused, others);
    assert_eq!(again.files, fresh.files);

    // No header at all, or no file: regenerated as well.
    std::fs::write(&module, rest).unwrap();
    assert_eq!(
        generate(Path::new("spec"), Some(&out)).summary.reused,
        others
    );
    std::fs::remove_file(&module).unwrap();
    assert_eq!(
        generate(Path::new("spec"), Some(&out)).summary.reused,
        others
    );
}

/// Reuse trusts a module only if its whole content is what the previous run recorded in
/// the output's manifest: the header line alone (which an edit keeps) is not enough.
#[test]
fn a_module_cut_to_its_header_or_edited_below_it_is_regenerated() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let fresh = generate(Path::new("spec"), None);
    let others = operation_count(Path::new("spec")) - 1;
    fresh.vendor(&out).unwrap();
    assert_eq!(
        generate(Path::new("spec"), Some(&out)).summary.reused,
        operation_count(Path::new("spec"))
    );
    let module = out.join("src/vpn/create_vpn_service.rs");
    let text = std::fs::read_to_string(&module).unwrap();
    let header = text.lines().next().unwrap();
    for edited in [
        format!("{header}\n"),
        format!("{text}\n// edited by hand\n"),
        // The same size, one byte different: only the content hash sees it.
        text.replacen("pub struct", "pub struck", 1),
    ] {
        std::fs::write(&module, &edited).unwrap();
        let again = generate(Path::new("spec"), Some(&out));
        assert_eq!(again.summary.reused, others);
        assert_eq!(again.files, fresh.files, "the module is generated afresh");
    }

    // Without a manifest, nothing is trusted.
    std::fs::write(&module, &text).unwrap();
    std::fs::remove_file(out.join(netapi_codegen::MANIFEST)).unwrap();
    assert_eq!(generate(Path::new("spec"), Some(&out)).summary.reused, 0);
}

#[test]
fn a_hand_edited_module_is_caught_by_check() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let fresh = generate(Path::new("spec"), None);
    fresh.vendor(&out).unwrap();
    let module = out.join("src/vpn/create_vpn_service.rs");
    let mut text = std::fs::read_to_string(&module).unwrap();
    text.push_str("\n// edited by hand\n");
    std::fs::write(&module, &text).unwrap();
    // `--check` compares with a fresh generation, which reuses nothing.
    let stale = fresh.stale_files(&out).unwrap();
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert_eq!(stale[0].path, "src/vpn/create_vpn_service.rs");
}
