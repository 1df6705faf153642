//! Tidy: the generator's invariants (ARCHITECTURE.md, "Invariants"), checked over its own
//! source and its output, as rust-analyzer's `xtask/src/tidy.rs` does. Each rule is a small
//! scanner with a test on a string that breaks it, so every rule is shown to be able to fail.
//!
//! - Emitters and the OpenAPI writer read only the IR: no file under `src/emit/` and not
//!   `src/openapi.rs` names `crate::spec` or `spec::`.
//! - Lowering and resolution cannot panic on spec data: `src/ir/lower.rs` and
//!   `src/check/resolve.rs` have no `expect`, `unwrap`, `panic!` or `unreachable!` outside
//!   their tests.
//! - Output is deterministic: the generator does not use `HashMap` or `HashSet` at all
//!   (iterating one would make the output depend on a random seed; not using them is the
//!   simplest rule that is sure to hold).
//! - No import cycles: no two modules of `src/` name each other, directly or through
//!   others (a module and its own ancestors aside), counting `use` items and paths in code
//!   (`tidy/imports.rs`, which `scripts/import-graph` uses to print the graph).
//! - Generated modules carry no unused import: every name a `use` item of a generated file
//!   brings in appears in the rest of that file, for every generator fixture and the real
//!   specs. `tests/vendor.rs` builds the same outputs under `-D warnings`, which is the
//!   authority; this check is the quick one, runs in `cargo test -p netapi-codegen` and
//!   names the file and the import.

use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

const CODEGEN: &str = env!("CARGO_MANIFEST_DIR");

/// Files that may use `HashMap` or `HashSet`, with the reason. None today.
const HASH_ALLOWED: &[(&str, &str)] = &[];

/// The `.rs` files under `dir`, as paths relative to `codegen/`, sorted.
fn rust_files(dir: &str) -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a source folder can be read") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&Path::new(CODEGEN).join(dir), &mut files);
    let mut files: Vec<String> = files
        .iter()
        .map(|f| {
            let relative = f.strip_prefix(CODEGEN).expect("under codegen/");
            relative.to_string_lossy().replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(CODEGEN).join(relative)).expect("a source file")
}

/// The 1-based lines of `text` where `word` occurs as a whole word start (not preceded by
/// an identifier character), so `spec::` matches `crate::spec::X` and `spec::X` but not
/// `openapi_spec::`.
fn lines_naming(text: &str, word: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let hit = line.match_indices(word).any(|(at, _)| {
            !line[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        });
        if hit {
            lines.push(number + 1);
        }
    }
    lines
}

/// The lines of an emitter's source that name the spec module.
fn spec_violations(text: &str) -> Vec<usize> {
    let mut lines = lines_naming(text, "crate::spec");
    lines.extend(lines_naming(text, "spec::"));
    lines.sort();
    lines.dedup();
    lines
}

/// The lines that name a hashed collection.
fn hash_violations(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    for word in ["HashMap", "HashSet", "hash_map", "hash_set"] {
        lines.extend(lines_naming(text, word));
    }
    lines.sort();
    lines.dedup();
    lines
}

/// Checks one rule over `files`: every file breaking it is on `allowed`, and every file on
/// `allowed` still breaks it (so the list only shrinks).
fn check_rule(
    rule: &str,
    files: &[String],
    allowed: &[(&str, &str)],
    violations: fn(&str) -> Vec<usize>,
) {
    let mut problems = Vec::new();
    for file in files {
        let lines = violations(&read(file));
        let listed = allowed.iter().any(|(f, _)| f == file);
        if !lines.is_empty() && !listed {
            problems.push(format!("{file}: lines {lines:?} break the rule"));
        }
        if lines.is_empty() && listed {
            problems.push(format!("{file} is clean: remove it from the allow-list"));
        }
    }
    for (file, _) in allowed {
        if !files.iter().any(|f| f == file) {
            problems.push(format!("{file} is on the allow-list but does not exist"));
        }
    }
    assert!(problems.is_empty(), "{rule}:\n{}", problems.join("\n"));
}

#[test]
fn emitters_and_openapi_do_not_name_the_spec() {
    let mut files = rust_files("src/emit");
    files.push("src/openapi.rs".to_owned());
    check_rule(
        "emitters read only the IR (no crate::spec)",
        &files,
        &[],
        spec_violations,
    );
}

#[test]
fn the_generator_uses_no_hashed_collections() {
    let mut files = rust_files("src");
    files.push("build.rs".to_owned());
    check_rule(
        "deterministic output (no HashMap or HashSet)",
        &files,
        HASH_ALLOWED,
        hash_violations,
    );
}

/// The lines of a file's non-test code (before its `#[cfg(test)]` module) that can panic on
/// the data they read: `expect(`, `unwrap()`, `panic!`, `unreachable!`.
fn panic_violations(text: &str) -> Vec<usize> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut lines = Vec::new();
    for word in [".expect(", ".unwrap()", "panic!", "unreachable!"] {
        lines.extend(
            code.lines()
                .enumerate()
                .filter(|(_, line)| !line.trim_start().starts_with("//") && line.contains(word))
                .map(|(n, _)| n + 1),
        );
    }
    lines.sort();
    lines.dedup();
    lines
}

#[test]
fn lowering_and_resolution_cannot_panic_on_spec_data() {
    check_rule(
        "lower reads the resolution (no expect, unwrap or panic)",
        &[
            "src/ir/lower.rs".to_owned(),
            "src/check/resolve.rs".to_owned(),
        ],
        &[],
        panic_violations,
    );
}

#[test]
fn the_scanners_find_what_they_forbid() {
    assert_eq!(
        panic_violations("let a = x.expect(\"bug\");\n// x.unwrap()\nlet b = y.unwrap();"),
        [1, 3]
    );
    assert!(panic_violations("fn f() {}\n#[cfg(test)]\nmod tests { x.unwrap(); }").is_empty());
    assert_eq!(spec_violations("use crate::spec::Direction;"), [1]);
    assert_eq!(
        spec_violations("fn f() {}\nlet d = spec::Direction::Request;"),
        [2]
    );
    assert!(spec_violations("use crate::ir::Direction; // openapi_spec::x").is_empty());
    assert_eq!(hash_violations("use std::collections::HashMap;"), [1]);
    assert_eq!(
        hash_violations(
            "let s: std::collections::HashSet<u8> = x;\nuse std::collections::hash_map;"
        ),
        [1, 2]
    );
    assert!(hash_violations("use std::collections::BTreeMap; // FxHashMapLike").is_empty());
}

#[test]
#[should_panic(expected = "remove it from the allow-list")]
fn an_allow_list_entry_for_a_clean_file_fails() {
    check_rule(
        "test",
        &["src/naming.rs".to_owned()],
        &[("src/naming.rs", "no reason")],
        spec_violations,
    );
}

/// The name each private `use` item of `file` brings into scope, with every identifier the rest of
/// the file mentions (macro bodies included, as tokens).
fn imported_and_used(file: &syn::File) -> (Vec<String>, Vec<String>) {
    fn leaves(tree: &syn::UseTree, parent: Option<&syn::Ident>, out: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(path) => leaves(&path.tree, Some(&path.ident), out),
            syn::UseTree::Name(name) if name.ident == "self" => {
                out.extend(parent.map(ToString::to_string));
            }
            syn::UseTree::Name(name) => out.push(name.ident.to_string()),
            syn::UseTree::Rename(rename) => out.push(rename.rename.to_string()),
            syn::UseTree::Group(group) => {
                for item in &group.items {
                    leaves(item, parent, out);
                }
            }
            // A glob import cannot be unused name by name; rustc judges it.
            syn::UseTree::Glob(_) => {}
        }
    }
    fn idents(tokens: TokenStream, out: &mut Vec<String>) {
        for tree in tokens {
            match tree {
                TokenTree::Ident(ident) => out.push(ident.to_string()),
                TokenTree::Group(group) => idents(group.stream(), out),
                TokenTree::Punct(_) | TokenTree::Literal(_) => {}
            }
        }
    }
    let mut imported = Vec::new();
    let mut used = Vec::new();
    for item in &file.items {
        match item {
            // A re-export (`pub use`) is the crate's API, used by definition.
            syn::Item::Use(item) if matches!(item.vis, syn::Visibility::Inherited) => {
                leaves(&item.tree, None, &mut imported);
            }
            syn::Item::Use(_) => {}
            other => idents(other.to_token_stream(), &mut used),
        }
    }
    (imported, used)
}

/// The imports of `code` that nothing else in it mentions.
fn unused_imports(code: &str) -> Result<Vec<String>, syn::Error> {
    let file: syn::File = syn::parse_str(code)?;
    let (imported, used) = imported_and_used(&file);
    Ok(imported
        .into_iter()
        .filter(|name| name != "_" && !used.contains(name))
        .collect())
}

#[test]
fn the_unused_import_scanner_finds_one() {
    let code = "use std::collections::BTreeMap;\nuse crate::runtime::wire::{self, WireEnum};\n\
                wire::enums!(Mode);\nstruct S(BTreeMap<u8, u8>);";
    assert_eq!(unused_imports(code).unwrap(), ["WireEnum"]);
    let used = "use crate::runtime::check::{self, CheckError};\n\
                fn f() -> Result<(), CheckError> { check::x() }";
    assert!(unused_imports(used).unwrap().is_empty());
    assert!(
        unused_imports("pub use crate::runtime::Config;")
            .unwrap()
            .is_empty()
    );
}

/// Every generator fixture and the real specs: no generated file (the runtime's files are
/// the runtime's own source, built with its tests) has an import it does not use.
#[test]
fn generated_modules_have_no_unused_imports() {
    let root = Path::new(CODEGEN).join("..");
    let fixtures = root.join("tests/fixtures/generate");
    let mut spec_dirs = vec![root.join("spec")];
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .expect("the generator fixtures")
        .map(|entry| entry.expect("a directory entry").path().join("spec"))
        .filter(|spec| spec.is_dir())
        .collect();
    cases.sort();
    assert!(
        !cases.is_empty(),
        "no fixtures under {}",
        fixtures.display()
    );
    spec_dirs.extend(cases);
    let mut problems = Vec::new();
    let mut checked = 0;
    for spec in &spec_dirs {
        let generated = netapi_codegen::Config::new(spec)
            .generate()
            .unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
        for file in &generated.files {
            if !file.path.ends_with(".rs") || file.path.starts_with("runtime/") {
                continue;
            }
            checked += 1;
            match unused_imports(&file.contents) {
                Ok(unused) if unused.is_empty() => {}
                Ok(unused) => problems.push(format!(
                    "{} {}: unused {unused:?}",
                    spec.display(),
                    file.path
                )),
                Err(e) => problems.push(format!("{} {}: {e}", spec.display(), file.path)),
            }
        }
    }
    assert!(checked > spec_dirs.len(), "only {checked} files checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[path = "tidy/imports.rs"]
mod imports;

/// Import cycles between peer modules that another change removes, with the reason. The
/// list may only shrink: an entry that is no longer a cycle fails the test.
/// Cycles that may stay for now, with the reason. None: the list may only shrink.
const CYCLES_ALLOWED: &[(&[&str], &str)] = &[];

/// The cycles of the graph of `src`, each as `a, b, c`.
fn cycles_of(src: &Path) -> Vec<String> {
    let graph = imports::between_peers(&imports::graph(src));
    imports::cycles(&graph)
        .iter()
        .map(|cycle| {
            let names: Vec<String> = cycle.iter().map(|m| imports::show(m)).collect();
            names.join(", ")
        })
        .collect()
}

/// No two modules of the generator name each other, directly or through others (a module
/// and its own parent aside): each layer can be read, tested and changed without the
/// ones that use it, as ARCHITECTURE.md's pipeline promises.
#[test]
fn the_generator_has_no_import_cycles() {
    let found = cycles_of(&Path::new(CODEGEN).join("src"));
    let allowed: Vec<String> = CYCLES_ALLOWED
        .iter()
        .map(|(cycle, _)| cycle.join(", "))
        .collect();
    let mut problems: Vec<String> = found
        .iter()
        .filter(|c| !allowed.contains(c))
        .map(|c| format!("import cycle between {c}"))
        .collect();
    problems.extend(
        allowed
            .iter()
            .filter(|c| !found.contains(c))
            .map(|c| format!("{c} is no longer a cycle: remove it from the allow-list")),
    );
    let graph = imports::render(&imports::between_peers(&imports::graph(
        &Path::new(CODEGEN).join("src"),
    )));
    assert!(
        problems.is_empty(),
        "{}\n\nthe graph between peers:\n{graph}",
        problems.join("\n")
    );
}

#[test]
fn the_import_scanner_follows_paths_and_finds_a_cycle() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir(src.join("emit")).unwrap();
    let write = |path: &str, text: &str| std::fs::write(src.join(path), text).unwrap();
    write("lib.rs", "mod emit; mod ir;");
    write("ir.rs", "pub struct Api;");
    // The parent composes its children and a child names its parent's items: no cycle.
    write(
        "emit/mod.rs",
        "mod a; mod b; pub struct Emitted; fn f() { a::x(); }",
    );
    write(
        "emit/a.rs",
        "use super::Emitted; use crate::ir::Api;\n\
         fn x() { let _ = quote!(crate::emit::b::y); }\n\
         #[cfg(test)] mod tests { use super::super::b; }",
    );
    write("emit/b.rs", "pub fn y() {}");
    let graph = imports::graph(src);
    let show = |m: &str| -> Vec<String> {
        let module: imports::Module = if m == "crate" {
            Vec::new()
        } else {
            m.split("::").map(str::to_owned).collect()
        };
        graph[&module].iter().map(|t| imports::show(t)).collect()
    };
    // `quote!` is skipped; `super::super::b` inside the inline module is `emit::b`.
    assert_eq!(show("emit::a"), ["emit", "emit::b", "ir"]);
    assert_eq!(show("emit"), ["emit::a"]);
    assert!(cycles_of(src).is_empty());
    // `b` names `a` back through a path in code: a cycle between peers.
    write("emit/b.rs", "pub fn y() { super::a::x() }");
    assert_eq!(cycles_of(src), ["emit::a, emit::b"]);
}

/// Prints the module import graph of `src/` (or of the folder in `NETAPI_IMPORT_GRAPH_SRC`)
/// and its cycles; `scripts/import-graph` runs it.
#[test]
#[ignore = "prints the graph; run by scripts/import-graph"]
fn print_import_graph() {
    let src = std::env::var_os("NETAPI_IMPORT_GRAPH_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(CODEGEN).join("src"));
    let graph = imports::between_peers(&imports::graph(&src));
    println!("{}", imports::render(&graph));
    for cycle in cycles_of(&src) {
        println!("cycle: {cycle}");
    }
}

/// What the boundary cases take from the runtime that is more than vocabulary: every `use`
/// of a runtime item that is neither a type (UpperCamelCase) nor a module (`self`), and
/// every path in code through a runtime name that ends in a function or constant
/// (`text::first_disallowed`, `Prefixed::parse`). Tests (`mod tests`) compare the oracle
/// with the runtime and are left out. Method calls (`class.contains(..)`) are not paths; a
/// reviewer sees those.
fn runtime_predicates(code: &str) -> Vec<String> {
    fn use_leaves(tree: &syn::UseTree, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        match tree {
            syn::UseTree::Path(p) => {
                path.push(p.ident.to_string());
                use_leaves(&p.tree, path, out);
                path.pop();
            }
            syn::UseTree::Name(n) => {
                let mut full = path.clone();
                full.push(n.ident.to_string());
                out.push(full);
            }
            syn::UseTree::Rename(r) => {
                let mut full = path.clone();
                full.push(r.ident.to_string());
                out.push(full);
            }
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    use_leaves(item, path, out);
                }
            }
            syn::UseTree::Glob(_) => out.push([path.clone(), vec!["*".to_owned()]].concat()),
        }
    }
    fn paths(tokens: TokenStream, out: &mut Vec<Vec<String>>) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let sep = |i: usize| {
            matches!((tokens.get(i), tokens.get(i + 1)),
                (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':')
        };
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                TokenTree::Ident(first) => {
                    let mut path = vec![first.to_string()];
                    while sep(i + 1) {
                        match tokens.get(i + 3) {
                            Some(TokenTree::Ident(next)) => path.push(next.to_string()),
                            _ => break,
                        }
                        i += 3;
                    }
                    out.push(path);
                }
                TokenTree::Group(group) => paths(group.stream(), out),
                _ => {}
            }
            i += 1;
        }
    }
    let upper = |s: &str| s.starts_with(|c: char| c.is_ascii_uppercase());
    let file: syn::File = syn::parse_str(code).expect("the source parses");
    let mut imports = Vec::new();
    let mut code_paths = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Use(u) => use_leaves(&u.tree, &mut Vec::new(), &mut imports),
            syn::Item::Mod(m) if m.ident == "tests" => {}
            other => paths(other.to_token_stream(), &mut code_paths),
        }
    }
    let mut problems = Vec::new();
    // The names the runtime's `use` items bring in: modules (by `self`) and types.
    let mut runtime_names = vec!["runtime".to_owned(), "netapi_runtime".to_owned()];
    for import in imports
        .iter()
        .filter(|p| p.iter().any(|s| s == "runtime" || s == "netapi_runtime"))
    {
        let leaf = import.last().map(String::as_str).unwrap_or_default();
        match leaf {
            "self" => runtime_names.extend(import.iter().rev().nth(1).cloned()),
            name if upper(name) => runtime_names.push(name.to_owned()),
            _ => problems.push(import.join("::")),
        }
    }
    for path in code_paths {
        let Some(start) = path.iter().position(|s| runtime_names.contains(s)) else {
            continue;
        };
        if path.len() > start + 1 && !path.last().is_some_and(|s| upper(s)) {
            problems.push(path.join("::"));
        }
    }
    problems
}

/// The boundary cases judge the runtime's predicates, so they do not call them
/// (ARCHITECTURE.md, `cases.rs`): from the runtime they take only types.
#[test]
fn the_boundary_cases_call_no_runtime_predicate() {
    let mut problems = Vec::new();
    for file in ["src/cases.rs", "src/cases/oracle.rs"] {
        for found in runtime_predicates(&read(file)) {
            problems.push(format!("{file}: {found}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_runtime_predicate_scanner_finds_calls() {
    let code = "use crate::runtime::net::{Prefixed, as_block};\n\
                use netapi_runtime::text::{self, Class};\n\
                use crate::runtime::validate::{self, Format};\n\
                fn f() { text::first_disallowed(); Prefixed::parse(); let _ = validate::Rule::Fixed; \
                let _ = Class::Digit; crate::runtime::net::is_uuid(); }\n\
                mod tests { fn g() { text::classes_present(); } }";
    assert_eq!(
        runtime_predicates(code),
        [
            "crate::runtime::net::as_block",
            "text::first_disallowed",
            "Prefixed::parse",
            "crate::runtime::net::is_uuid",
        ]
    );
}
