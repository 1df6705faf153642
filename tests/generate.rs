//! The generated code itself: one reviewed snapshot per spec file and output file, and
//! byte-for-byte determinism.

use std::path::Path;

use netapi_codegen::{Config, Generated, Layout};
use netapi_tests::GENERATOR_CRATES;

/// `contents` with the input fingerprint of its header blanked: it covers the generator's
/// own source, so it changes with every edit of the generator, which a snapshot of the
/// generated code should not show.
fn stable(contents: &str) -> String {
    const MARKER: &str = " (input ";
    let Some(start) = contents.find(MARKER).map(|i| i + MARKER.len()) else {
        return contents.to_owned();
    };
    let end = start + 16;
    assert!(
        contents[start..end].bytes().all(|b| b.is_ascii_hexdigit())
            && &contents[end..end + 1] == ")",
        "a 16-digit fingerprint: {}",
        contents.lines().next().unwrap_or_default()
    );
    format!(
        "{}{}{}",
        &contents[..start],
        "0".repeat(16),
        &contents[end..]
    )
}

fn generate(layout: Layout) -> Generated {
    Config::new("spec")
        .layout(layout)
        .generate()
        .unwrap_or_else(|e| panic!("generation failed:\n{e}"))
}

/// Every operation file and the module tree, as snapshots named after their path, so a
/// change in generated code shows up in review as a diff of that file.
#[test]
fn generated_code_matches_reviewed_snapshots() {
    let generated = generate(Layout::OutDir);
    let rust_files: Vec<_> = generated
        .files
        .iter()
        .filter(|f| !f.path.starts_with("runtime/"))
        .collect();
    assert!(
        rust_files.len() >= 6,
        "five operation files and the module tree at least"
    );
    for file in rust_files {
        let name = file.path.trim_end_matches(".rs").replace('/', "__");
        insta::with_settings!({ snapshot_suffix => name.as_str(), prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!("generated", stable(&file.contents));
        });
    }
}

/// Every generator fixture (`tests/fixtures/generate/<case>/spec`): one snapshot per
/// operation file, named `fixture_<case>__<service>__<operation>`. Each fixture holds the
/// specs of one concern: naming, operation shapes, enums and so on.
#[test]
fn fixtures_match_reviewed_snapshots() {
    for case in netapi_tests::fixture_cases("tests/fixtures/generate") {
        let generated = fixture(&case);
        let operations: Vec<_> = generated
            .files
            .iter()
            .filter(|f| f.path.matches('/').count() == 1 && !f.path.starts_with("runtime/"))
            .filter(|f| !f.path.ends_with("/mod.rs"))
            .collect();
        assert!(!operations.is_empty(), "{case}: no operation files");
        for file in operations {
            let name = format!(
                "fixture_{case}__{}",
                file.path.trim_end_matches(".rs").replace('/', "__")
            );
            insta::with_settings!({ snapshot_suffix => name.as_str(), prepend_module_to_snapshot => false, omit_expression => true }, {
                insta::assert_snapshot!("generated", stable(&file.contents));
            });
        }
    }
}

fn fixture(case: &str) -> Generated {
    Config::new(format!("tests/fixtures/generate/{case}/spec"))
        .generate()
        .unwrap_or_else(|e| panic!("{case}: {e}"))
}

/// Keywords, dashes, leading digits, names that collide after case conversion (the escape
/// hatch's field included), reserved
/// type names, shared request/response names and hostile descriptions, in one fixture.
#[test]
fn naming_fixture_decides_names() {
    let generated = fixture("naming");
    let file = generated
        .file("vpn/create_name_clash.rs")
        .expect("operation file");
    for expected in [
        "pub r#type: Type,",
        "pub r#ref: Option<String>,",
        "pub self_: Option<String>,",
        "pub key_2: Option<String>,",
        "pub _3rd_party: Option<bool>,",
        "pub struct OptionType {",
        "pub struct ResponseRule {",
        "pub extra_2: codec::Extra,",
        "pub unlisted_field: Option<String>,",
        "unlisted_field_2: codec::Unlisted,",
        "V3des,",
        // The catch-all is `Unknown` even where the page documents `unknown`.
        "Unknown(String),",
        "Unknown2,",
        "pub x_auth_token_2: Option<String>,",
        "pub struct CreateNameClashOperation;",
    ] {
        assert!(file.contents.contains(expected), "missing `{expected}`");
    }
    // Hostile text stays inside doc comments: no raw control or bidi characters, no
    // attribute injected.
    assert!(!file.contents.contains('\u{202E}') && !file.contents.contains('\u{7}'));
    assert!(!file.contents.contains("#[doc = \"x\"]"));
}

/// One Rust type per shared type: every shared type of the resources fixture's resource
/// files (read from the specs) is defined once, in `<service>::types`, and every operation
/// whose page prints it names it there by path instead of defining its own copy.
#[test]
fn resources_fixture_defines_each_shared_type_once() {
    let dir = "tests/fixtures/generate/resources/spec";
    let generated = fixture("resources");
    let (set, diagnostics) = netapi_codegen::spec::load_dir(std::path::Path::new(dir), 1);
    assert!(diagnostics.is_empty(), "{diagnostics}");
    assert!(!set.resources.is_empty(), "the fixture has resource files");
    for resource in &set.resources {
        let service = &resource.spec.resource.service;
        let types_file = format!("{service}/types.rs");
        for ty in &resource.spec.types {
            // The fixture's names are UpperCamelCase already, so Rust keeps them.
            let name = ty.name.as_str();
            let definition = format!("pub struct {name} {{");
            let defined_in: Vec<&str> = generated
                .files
                .iter()
                .filter(|f| f.contents.contains(&definition))
                .map(|f| f.path.as_str())
                .collect();
            assert_eq!(
                defined_in,
                [types_file.as_str()],
                "`{name}` is defined once"
            );
            let path = format!("crate::{service}::types::{name}");
            for page in &ty.printed_on {
                let module = format!("{service}/{}.rs", page.operation);
                let file = generated.file(&module).expect("operation module");
                let refers = file.contents.contains(&path)
                    || resource.spec.types.iter().any(|outer| {
                        // A nested table is reached through the type that holds it.
                        outer.fields.iter().any(|f| {
                            f.ty.as_deref()
                                .is_some_and(|t| t.contains(ty.name.as_str()))
                        }) && file
                            .contents
                            .contains(&format!("crate::{service}::types::{}", outer.name))
                    });
                assert!(refers, "{module} names `{path}`");
            }
        }
    }
}

/// Each operation module imports exactly what it uses, whatever its shape: a bodyless
/// DELETE has no types, so it has no `codec` import (an unused import fails `-D warnings`).
#[test]
fn shapes_fixture_imports_only_what_each_module_uses() {
    let generated = fixture("shapes");
    let delete = &generated.file("vpn/delete_widget.rs").unwrap().contents;
    assert!(!delete.contains("use crate::runtime::codec;"), "{delete}");
    assert!(!delete.contains("codec::objects!"), "{delete}");
    let show = &generated.file("vpn/show_widget.rs").unwrap().contents;
    assert!(show.contains("use crate::runtime::codec;"), "{show}");
}

#[test]
fn generation_is_deterministic() {
    for layout in [Layout::OutDir, Layout::Crate] {
        let first = generate(layout);
        let second = generate(layout);
        assert_eq!(first.files, second.files, "{layout:?}");
    }
}

#[test]
fn output_does_not_depend_on_the_number_of_threads() {
    let with = |jobs: usize| {
        Config::new("spec")
            .layout(Layout::Crate)
            .jobs(jobs)
            .generate()
            .unwrap_or_else(|e| panic!("generation failed:\n{e}"))
    };
    let one = with(1);
    assert_eq!(one.summary.threads, 1);
    for jobs in [2, 3, 64] {
        let many = with(jobs);
        assert!(many.summary.threads > 1, "{jobs} jobs ran on one thread");
        assert_eq!(one.files, many.files, "{jobs} jobs");
    }
}

#[test]
fn every_rust_file_is_headed_generated_and_names_its_spec() {
    let generated = generate(Layout::Crate);
    for file in &generated.files {
        if file.path.ends_with(".rs") {
            let first = file.contents.lines().next().unwrap_or_default();
            assert!(
                first.starts_with("// @generated by netapi-codegen from "),
                "{}: {first}",
                file.path
            );
            assert!(first.ends_with("Do not edit."), "{}: {first}", file.path);
        }
    }
    let op = generated
        .file("src/vpn/create_vpn_connection.rs")
        .expect("operation file");
    // Operation modules record what they were made from, so a later run can reuse them.
    assert!(stable(&op.contents).starts_with(
        "// @generated by netapi-codegen from spec/vpn/create_vpn_connection.yaml (input 0000000000000000). Do not edit.\n"
    ));
    // No absolute paths or timestamps leak into the output.
    let root = std::env::current_dir().unwrap();
    for file in &generated.files {
        assert!(
            !file.contents.contains(root.to_str().unwrap()),
            "{} holds an absolute path",
            file.path
        );
    }
}

#[test]
fn vendored_layout_is_a_complete_crate() {
    let generated = generate(Layout::Crate);
    let paths: Vec<&str> = generated.files.iter().map(|f| f.path.as_str()).collect();
    for expected in [
        "Cargo.toml",
        "README.md",
        "src/lib.rs",
        "src/runtime/mod.rs",
        "src/vpn/mod.rs",
        "src/vpn/create_vpn_connection.rs",
    ] {
        assert!(paths.contains(&expected), "missing {expected} in {paths:?}");
    }
    let manifest = &generated.file("Cargo.toml").unwrap().contents;
    let dependencies = manifest
        .split("[dependencies]")
        .nth(1)
        .expect("a [dependencies] table");
    // `derive` covers serde's `derive` feature as well as serde_derive.
    for forbidden in GENERATOR_CRATES.iter().chain(&["derive"]) {
        assert!(
            !dependencies.contains(forbidden),
            "Cargo.toml depends on {forbidden}:\n{manifest}"
        );
    }
    let readme = &generated.file("README.md").unwrap().contents;
    assert!(
        readme.contains("`spec/vpn/create_vpn_connection.yaml`"),
        "{readme}"
    );
    // Operation files are byte-identical in both layouts: only the glue differs.
    let out_dir = generate(Layout::OutDir);
    let a = &out_dir
        .file("vpn/create_vpn_connection.rs")
        .unwrap()
        .contents;
    let b = &generated
        .file("src/vpn/create_vpn_connection.rs")
        .unwrap()
        .contents;
    assert_eq!(a, b);
    assert!(Path::new("spec").exists());
}

/// Users' docs show the API, not the machinery: every trait impl the generated code makes
/// for the runtime's own use (the table-driven `codec::Object`, `WireEnum`) carries
/// `#[doc(hidden)]`, as does the `runtime` module itself, whose types for users the crate
/// root re-exports. rustdoc leaves hidden items and impls out of the pages, so this test
/// reads the attribute on the generated code of both layouts, line by line as prettyplease
/// prints it; a new machinery impl without the attribute fails here until it is hidden or
/// listed as part of the API.
#[test]
fn machinery_is_hidden_from_the_docs() {
    // The traits users implement or call through generated types.
    // Lists and waiters are API too: callers name them in `client.pages::<O>` and
    // `client.wait::<W>`, and both traits are re-exported at the crate root.
    const API_TRAITS: &[&str] = &[
        "validate::Validate",
        "Operation",
        "codec::UnlistedFields",
        "crate::Paginated",
        "crate::Waiter",
    ];
    for layout in [Layout::OutDir, Layout::Crate] {
        let generated = generate(layout);
        let (mut hidden_impls, mut runtime_mods) = (0, 0);
        for file in generated.files.iter().filter(|f| {
            f.path.ends_with(".rs") && !f.path.contains("runtime/")
                || f.path.ends_with("runtime/mod.rs")
        }) {
            let lines: Vec<&str> = file.contents.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let line = line.trim();
                let previous = i.checked_sub(1).map_or("", |p| lines[p].trim());
                if line == "pub mod runtime {" || line == "pub mod runtime;" {
                    runtime_mods += 1;
                    assert_eq!(previous, "#[doc(hidden)]", "{}: `{line}`", file.path);
                }
                let Some(rest) = line.strip_prefix("impl ") else {
                    continue;
                };
                let Some((trait_path, _)) = rest.split_once(" for ") else {
                    continue;
                };
                if !API_TRAITS.contains(&trait_path) {
                    hidden_impls += 1;
                    assert_eq!(previous, "#[doc(hidden)]", "{}: `{line}`", file.path);
                }
            }
        }
        assert_eq!(runtime_mods, 1, "{layout:?}");
        let api = Config::new("spec").lower().unwrap();
        assert!(
            hidden_impls >= api.types.len(),
            "{layout:?}: {hidden_impls} hidden impls for {} types",
            api.types.len()
        );
    }
}

/// A resource file may hold waiters only, on an operation whose types are its own: the
/// service gets a `waiters` module and no `types` module, and the waiter reads the status
/// through the operation's own types.
#[test]
fn a_resource_file_with_waiters_only_makes_no_types_module() {
    let dir = tempfile::tempdir().unwrap();
    let vpn = dir.path().join("vpn");
    std::fs::create_dir_all(vpn.join("resources")).unwrap();
    std::fs::write(
        vpn.join("show_gizmo.yaml"),
        r#"
operation:
  id: show_gizmo
  title: Querying a Gizmo
  service: vpn
  method: GET
  path: /v1/gizmos/{gizmo_id}
  source:
    page: 999_example.txt
parameters:
  - {name: gizmo_id, in: path, table: 1, type: string, required: true}
response:
  statuses:
    - {status: 200, description: OK, body: ShowGizmoResponseBody}
  types:
    - name: ShowGizmoResponseBody
      table: 2
      fields:
        - {name: gizmo, type: Gizmo}
    - name: Gizmo
      table: 3
      fields:
        - {name: status, type: string}
"#,
    )
    .unwrap();
    std::fs::write(
        vpn.join("resources/gizmo.yaml"),
        r#"
resource:
  name: gizmo
  service: vpn
waiters:
  - {name: ready, operation: show_gizmo, status: gizmo.status, done: [READY], failed: [BROKEN]}
"#,
    )
    .unwrap();
    let generated = Config::new(dir.path())
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.file("vpn/types.rs").is_none());
    let waiters = &generated
        .file("vpn/waiters.rs")
        .expect("a waiters module")
        .contents;
    assert!(waiters.contains("resources/gizmo.yaml"), "{waiters}");
    assert!(waiters.contains("pub struct GizmoReady;"), "{waiters}");
    assert!(
        waiters.contains("Some(response.gizmo.as_ref()?.status.as_ref()?.as_str())"),
        "{waiters}"
    );
    let root = &generated.file("netapi.rs").expect("the root").contents;
    assert!(root.contains("pub mod waiters"), "{root}");
    assert!(!root.contains("pub mod types"), "{root}");
}

/// The workspace's `netapi` crate declares the same service features as the vendored crate
/// it mirrors: one per service of `spec/`, all on by default, each turning on the finer
/// features its operations name (`feature:`), which are declared too. A feature missing
/// there would never be compiled in the workspace.
#[test]
fn the_workspace_crate_declares_every_service_feature_by_default() {
    let vendored = generate(Layout::Crate);
    let manifest = &vendored.file("Cargo.toml").expect("a manifest").contents;
    let workspace = std::fs::read_to_string("generated/Cargo.toml").unwrap();
    let default = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("default = "))
            .map(str::to_owned)
    };
    assert_eq!(default(&workspace), default(manifest), "{manifest}");
    // The services of `spec/`, each with the finer features its operations name.
    let api = Config::new("spec")
        .lower()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut finer: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
        Default::default();
    for op in &api.operations {
        let features = finer.entry(&op.service).or_default();
        if op.feature != op.service {
            features.insert(&op.feature);
        }
    }
    for (service, features) in &finer {
        let quoted: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
        let line = format!("\n{service} = [{}]\n", quoted.join(", "));
        assert!(manifest.contains(&line), "vendored {service}:\n{manifest}");
        assert!(
            workspace.contains(&line),
            "workspace {service}:\n{workspace}"
        );
        assert!(
            default(manifest).is_some_and(|d| d.contains(&format!("\"{service}\""))),
            "{manifest}"
        );
        for feature in features {
            let line = format!("\n{feature} = []\n");
            assert!(manifest.contains(&line), "vendored {feature}:\n{manifest}");
            assert!(
                workspace.contains(&line),
                "workspace {feature}:\n{workspace}"
            );
        }
    }
}

/// The `#[cfg(...)]` attributes right above the first line of `contents` that starts with
/// `item` (after indentation), among the attributes between it and its doc comment.
fn cfgs_above<'a>(contents: &'a str, item: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = contents.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with(item))
        .unwrap_or_else(|| panic!("no `{item}` in:\n{contents}"));
    lines[..at]
        .iter()
        .rev()
        .map(|l| l.trim())
        .take_while(|l| l.starts_with("#["))
        .filter(|l| l.starts_with("#[cfg("))
        .collect()
}

/// Finer features within a service (the features fixture): an operation is compiled with
/// the feature its spec names, one without a `feature:` with its service's feature; a shared
/// type with the features of the operations that reach it, and so are its impls, its serde
/// list and the imports only it needs (none when every finer feature reaches it, since the
/// service's feature turns them all on); a waiter with the operation it polls; the service's
/// module with any of its features. The manifest says the service's feature turns its finer
/// ones on, and the registry and README name each operation's feature.
#[test]
fn features_fixture_gates_each_item_by_the_operations_that_reach_it() {
    let spec = "tests/fixtures/generate/features/spec";
    let api = Config::new(spec).lower().unwrap_or_else(|e| panic!("{e}"));
    let alpha = || netapi_codegen::ir::Gate::AnyOf(vec!["vpn-alpha".to_owned()]);
    let own = || netapi_codegen::ir::Gate::AnyOf(vec!["vpn".to_owned()]);
    let service = netapi_codegen::ir::Gate::Service;
    // The IR decides every gate once.
    let op_gate = |id: &str| &api.operations.iter().find(|o| o.id == id).unwrap().gate;
    assert_eq!(*op_gate("create_gizmo"), alpha());
    assert_eq!(*op_gate("list_widgets"), own());
    assert_eq!(
        *op_gate("show_doodad"),
        netapi_codegen::ir::Gate::AnyOf(vec!["vpn-beta".to_owned()])
    );
    assert_eq!(*op_gate("show_thing"), service);
    let type_gate = |name: &str| {
        &api.types
            .iter()
            .find(|t| {
                t.name.as_str() == name && matches!(t.owner, netapi_codegen::ir::Owner::Shared(_))
            })
            .unwrap_or_else(|| panic!("no shared type {name}"))
            .gate
    };
    for name in ["Gizmo", "GizmoSettings", "GizmoStatus", "GizmoSettingsMode"] {
        assert_eq!(*type_gate(name), alpha(), "{name}");
    }
    assert_eq!(*type_gate("GizmoTag"), service);
    assert_eq!(*type_gate("PageMarker"), own());
    let vpn = api.shared.iter().find(|s| s.service == "vpn").unwrap();
    assert_eq!(vpn.types_gate, service);
    assert_eq!(vpn.waiters_gate, alpha());
    assert!(vpn.waiters.iter().all(|w| w.gate == alpha()));

    // The crate says so in `#[cfg]`s.
    let generated = Config::new(spec)
        .layout(Layout::Crate)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    let file = |path: &str| &generated.file(path).expect(path).contents;
    let alpha = "#[cfg(feature = \"vpn-alpha\")]";
    let beta = "#[cfg(feature = \"vpn-beta\")]";
    let own = "#[cfg(feature = \"vpn\")]";
    let lib = file("src/lib.rs");
    assert_eq!(
        cfgs_above(lib, "pub mod vpn;"),
        ["#[cfg(any(feature = \"vpn\", feature = \"vpn-alpha\", feature = \"vpn-beta\"))]"]
    );
    assert_eq!(
        cfgs_above(lib, "pub mod vpc;"),
        ["#[cfg(feature = \"vpc\")]"]
    );
    let modules = file("src/vpn/mod.rs");
    assert_eq!(cfgs_above(modules, "pub mod create_gizmo;"), [alpha]);
    assert_eq!(cfgs_above(modules, "pub mod show_gizmo;"), [alpha]);
    assert_eq!(cfgs_above(modules, "pub mod show_doodad;"), [beta]);
    assert_eq!(cfgs_above(modules, "pub mod list_widgets;"), [own]);
    assert!(
        cfgs_above(modules, "pub mod types;").is_empty(),
        "{modules}"
    );
    assert_eq!(cfgs_above(modules, "pub mod waiters;"), [alpha]);
    let types = file("src/vpn/types.rs");
    for item in [
        "pub struct Gizmo {",
        "impl codec::Object for Gizmo {",
        "pub struct GizmoSettings {",
        "impl validate::Validate for GizmoSettings {",
        "impl GizmoSettings {",
        "pub enum GizmoStatus {",
        "use crate::runtime::validate;",
        "use crate::runtime::secret::Secret;",
        "use crate::runtime::wire::",
        "codec::objects!(Gizmo, GizmoSettings);",
        "wire::enums!(",
    ] {
        assert_eq!(cfgs_above(types, item), [alpha], "{item}:\n{types}");
    }
    for item in [
        "pub struct GizmoTag {",
        "impl codec::Object for GizmoTag {",
        "codec::objects!(GizmoTag);",
        "use crate::runtime::codec;",
    ] {
        assert!(cfgs_above(types, item).is_empty(), "{item}:\n{types}");
    }
    assert_eq!(cfgs_above(types, "pub struct PageMarker {"), [own]);
    assert_eq!(cfgs_above(types, "codec::objects!(PageMarker);"), [own]);
    let waiters = file("src/vpn/waiters.rs");
    assert_eq!(cfgs_above(waiters, "pub struct GizmoActive;"), [alpha]);
    assert_eq!(
        cfgs_above(waiters, "impl crate::runtime::blocking::Client {"),
        ["#[cfg(feature = \"blocking\")]", alpha]
    );
    // The registry: the feature of each operation, its entries under that feature.
    assert!(
        lib.contains("\"create_gizmo\" | \"show_gizmo\" => Some(\"vpn-alpha\"),"),
        "{lib}"
    );
    assert!(lib.contains("\"list_widgets\" => Some(\"vpn\"),"), "{lib}");
    assert!(
        lib.contains(&format!(
            "{own}\n    <vpn::list_widgets::ListWidgets as Operation>::DESCRIPTOR"
        )),
        "{lib}"
    );
    // The build script's layout gates its inline modules alike.
    let out_dir = Config::new(spec)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    let root = &out_dir.file("netapi.rs").expect("the root").contents;
    assert_eq!(
        cfgs_above(root, "pub mod vpn {"),
        ["#[cfg(any(feature = \"vpn\", feature = \"vpn-alpha\", feature = \"vpn-beta\"))]"]
    );
    assert_eq!(cfgs_above(root, "pub mod create_gizmo {"), [alpha]);
    assert_eq!(cfgs_above(root, "pub mod show_doodad {"), [beta]);
    assert_eq!(cfgs_above(root, "pub mod list_widgets {"), [own]);
    assert!(cfgs_above(root, "pub mod types {").is_empty(), "{root}");
    assert_eq!(cfgs_above(root, "pub mod waiters {"), [alpha]);
    let manifest = file("Cargo.toml");
    for line in [
        "\ndefault = [\"vpc\", \"vpn\", \"check\"]\n",
        "\ncheck = []\n",
        "\nvpc = []\n",
        "\nvpn = [\"vpn-alpha\", \"vpn-beta\"]\n",
        "\nvpn-alpha = []\n",
        "\nvpn-beta = []\n",
    ] {
        assert!(manifest.contains(line), "{line}:\n{manifest}");
    }
    let readme = file("README.md");
    for row in [
        "| `create_gizmo` | `vpn-alpha` |",
        "| `list_widgets` | `vpn` |",
        "| `show_thing` | `vpc` |",
    ] {
        assert!(readme.contains(row), "{row}:\n{readme}");
    }
}

/// The features a vendored manifest declares besides the services' and their finer ones are
/// exactly those no operation's `feature:` may take (`spec::CRATE_FEATURES`), so the check
/// refuses every name that would clash in `[features]`.
#[test]
fn the_crate_features_the_check_reserves_are_the_manifests_own() {
    let spec = "tests/fixtures/generate/features/spec";
    let api = Config::new(spec).lower().unwrap_or_else(|e| panic!("{e}"));
    let generated = Config::new(spec)
        .layout(Layout::Crate)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    let manifest = &generated.file("Cargo.toml").expect("a manifest").contents;
    let section = manifest
        .split("[features]\n")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("a [features] section");
    let of_services: Vec<&str> = api.features.iter().flat_map(|f| f.all()).collect();
    let mut own: Vec<&str> = section
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(" = ").map(|(name, _)| name))
        .filter(|name| !of_services.contains(name))
        .collect();
    own.sort();
    let mut reserved = netapi_codegen::spec::CRATE_FEATURES.to_vec();
    reserved.sort();
    assert_eq!(own, reserved, "{manifest}");
}
