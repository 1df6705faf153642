//! What the generator copies into every generated crate (`netapi_runtime::SOURCES`): every
//! runtime file, and nothing that only this crate or the generator needs.

use std::collections::BTreeSet;
use std::path::Path;

/// Every `.rs` file directly under `src/` is shipped, except this crate's own root and
/// the generator's tables; the unit tests live in subfolders, which are never shipped.
#[test]
fn every_runtime_file_ships_and_nothing_else() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&src)
        .expect("src/ can be read")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "rs"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|name| name != "lib" && name != "vocabulary")
        .collect();
    let shipped: BTreeSet<String> = netapi_runtime::SOURCES
        .iter()
        .map(|file| file.name.to_owned())
        .collect();
    assert_eq!(shipped, on_disk);
    for file in netapi_runtime::SOURCES {
        let on_disk = std::fs::read_to_string(src.join(format!("{}.rs", file.name))).unwrap();
        assert_eq!(
            file.source, on_disk,
            "`{}` ships as it is on disk",
            file.name
        );
    }
}

/// No test code ships to users: the unit tests are children of this crate's inline
/// modules (`src/<module>/tests.rs`), and the generator's tables (`Format::ALL`,
/// `Class::ALL`) and helpers live in `src/vocabulary.rs`.
#[test]
fn shipped_files_carry_no_test_code_and_no_generator_tables() {
    for file in netapi_runtime::SOURCES {
        // Test code, and what only the generator calls (`src/vocabulary.rs`).
        let needles = [
            "#[cfg(test)]",
            "#[test]",
            "mod tests",
            "pub const ALL",
            "fn ascii_mask",
            "fn as_block",
            "fn is_address",
            "fn parse(text: &'a str) -> Option<Block",
        ];
        for needle in needles {
            assert!(
                !file.source.contains(needle),
                "`{}` ships `{needle}`",
                file.name
            );
        }
        // Each starts with the `//` paragraph that becomes its module's doc, and carries no
        // inner attribute or doc, so that it can be `include!`d.
        assert!(
            !netapi_runtime::doc_line(file.source).is_empty(),
            "`{}` has no doc paragraph",
            file.name
        );
        assert!(
            !file
                .source
                .lines()
                .any(|l| l.starts_with("#![") || l.starts_with("//!")),
            "`{}` has an inner attribute",
            file.name
        );
    }
}

/// The runtime's modules form no import cycle: each names its siblings as `super::name`,
/// and following those names from any module never leads back to it. (Operations once
/// named the payload module's error, which names operations: now `check_response`
/// returns violations and the payload module wraps them.)
#[test]
fn runtime_modules_import_no_cycle() {
    use std::collections::BTreeMap;
    let names: BTreeSet<&str> = netapi_runtime::SOURCES.iter().map(|f| f.name).collect();
    let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for file in netapi_runtime::SOURCES {
        let targets = edges.entry(file.name).or_default();
        for (at, _) in file.source.match_indices("super::") {
            let rest = &file.source[at + "super::".len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let name = &rest[..end];
            if names.contains(name) && name != file.name {
                targets.insert(names.get(name).copied().unwrap());
            }
        }
    }
    // Depth-first from each module; a module met again on the current path is a cycle.
    fn visit<'a>(
        name: &'a str,
        edges: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        path: &mut Vec<&'a str>,
    ) -> Result<(), String> {
        if let Some(start) = path.iter().position(|n| *n == name) {
            return Err(format!("{} -> {name}", path[start..].join(" -> ")));
        }
        path.push(name);
        for next in &edges[name] {
            visit(next, edges, path)?;
        }
        path.pop();
        Ok(())
    }
    for name in edges.keys() {
        if let Err(cycle) = visit(name, &edges, &mut Vec::new()) {
            panic!("the runtime's modules import each other: {cycle}");
        }
    }
    // The scan sees the imports it must: payload reads operations, the client reads payloads.
    assert!(edges["payload"].contains("operation"), "{edges:?}");
    assert!(edges["client"].contains("payload"), "{edges:?}");
}

/// The runtime traits' methods that only generated code and the clients call are hidden
/// from users' docs (`#[doc(hidden)]` right above the signature, after its doc comment):
/// a user sees `validate()`, not `validate_at`, and an operation's descriptor and types,
/// not how the clients build its requests.
#[test]
fn machinery_methods_of_the_runtime_traits_are_hidden() {
    let hidden = [
        ("validate", "    fn validate_at("),
        ("operation", "    fn request_parts("),
        ("operation", "    fn visit_response<"),
    ];
    for (name, signature) in hidden {
        let file = netapi_runtime::SOURCES
            .iter()
            .find(|f| f.name == name)
            .unwrap();
        let lines: Vec<&str> = file.source.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with(signature))
            .unwrap_or_else(|| panic!("`{signature}` is in `{name}`"));
        assert_eq!(
            lines[at - 1].trim(),
            "#[doc(hidden)]",
            "`{signature}` in `{name}`"
        );
    }
}
