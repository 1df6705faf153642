//! The module import graph of the generator's source: which module names which, read from
//! the tokens of every file under `src/` (the `use` items and the paths in code alike,
//! since a module that calls `super::models::types(..)` depends on `models` as much as
//! one that imports it). Shared by the tidy test that forbids cycles and by
//! `scripts/import-graph`, which prints the graph.
//!
//! A path is followed when it starts with `crate::`, `super::`, `self::` or the name of a
//! child module the file declares; its target is the longest prefix that names a module
//! file. Paths inside `quote!` are the generated crate's, not the generator's, and are
//! skipped. Inline modules (`mod tests { .. }`) count as their file's module, but `super`
//! inside them is resolved from where they sit.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// A module path without the leading `crate`: `["emit", "models"]`; the crate root is `[]`.
pub type Module = Vec<String>;

/// Edges from each module to the modules it names, between module files.
pub type Graph = BTreeMap<Module, BTreeSet<Module>>;

/// `a::b`, or `crate` for the root.
pub fn show(module: &[String]) -> String {
    if module.is_empty() {
        "crate".to_owned()
    } else {
        module.join("::")
    }
}

/// Every module file under `src` (the library's: `main.rs` is another crate), with its
/// module path, sorted.
pub fn module_files(src: &Path) -> Vec<(Module, std::path::PathBuf)> {
    fn walk(dir: &Path, prefix: &[String], out: &mut Vec<(Module, std::path::PathBuf)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("a source folder can be read")
            .map(|e| e.expect("a directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if path.is_dir() {
                let mut inner = prefix.to_vec();
                inner.push(name);
                walk(&path, &inner, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let module = match (prefix.is_empty(), name.as_str()) {
                    (true, "lib") => Vec::new(),
                    (true, "main") => continue,
                    (_, "mod") => prefix.to_vec(),
                    _ => {
                        let mut m = prefix.to_vec();
                        m.push(name);
                        m
                    }
                };
                out.push((module, path));
            }
        }
    }
    let mut out = Vec::new();
    walk(src, &[], &mut out);
    out.sort();
    out
}

/// The import graph of the module files under `src`.
pub fn graph(src: &Path) -> Graph {
    let files = module_files(src);
    let modules: BTreeSet<Module> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut graph = Graph::new();
    for (module, path) in &files {
        let text = std::fs::read_to_string(path).expect("a source file");
        let targets = graph.entry(module.clone()).or_default();
        targets.extend(names(&text, module, &modules));
    }
    graph
}

/// The modules (of `modules`) that the file of `module` names.
pub fn names(text: &str, module: &[String], modules: &BTreeSet<Module>) -> BTreeSet<Module> {
    let tokens: TokenStream = text
        .parse()
        .unwrap_or_else(|e| panic!("{} does not tokenize: {e}", show(module)));
    let mut scan = Scan {
        file: module,
        modules,
        found: BTreeSet::new(),
    };
    scan.stream(tokens, module);
    scan.found.remove(module);
    scan.found
}

struct Scan<'a> {
    /// The module of the file being read.
    file: &'a [String],
    modules: &'a BTreeSet<Module>,
    found: BTreeSet<Module>,
}

impl Scan<'_> {
    /// Reads a token stream inside the (possibly inline) module `here`.
    fn stream(&mut self, tokens: TokenStream, here: &[String]) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                // `quote!(..)` holds the generated crate's paths.
                TokenTree::Ident(id)
                    if (id == "quote" || id == "quote_spanned" || id == "parse_quote")
                        && is_punct(tokens.get(i + 1), '!') =>
                {
                    i += 3;
                    continue;
                }
                // An inline module: its `super` is `here`.
                TokenTree::Ident(id) if id == "mod" => {
                    if let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(body))) =
                        (tokens.get(i + 1), tokens.get(i + 2))
                    {
                        if body.delimiter() == Delimiter::Brace {
                            let mut inner = here.to_vec();
                            inner.push(name.to_string());
                            self.stream(body.stream(), &inner);
                            i += 3;
                            continue;
                        }
                    }
                    i += 1;
                }
                TokenTree::Ident(first) if is_path_sep(&tokens, i + 1) => {
                    // A path continues the one before it (`a::b::c`): only its head counts.
                    let continues = i >= 2 && is_punct(tokens.get(i - 1), ':');
                    let base = if continues {
                        None
                    } else {
                        self.base(&first.to_string(), here)
                    };
                    i = match base {
                        Some(base) => self.path(&tokens, i + 3, base),
                        None => i + 1,
                    };
                }
                TokenTree::Group(group) => {
                    self.stream(group.stream(), here);
                    i += 1;
                }
                _ => i += 1,
            }
        }
    }

    /// Where a path that starts with `first` is resolved from, or `None` for a path
    /// outside the crate (`std::`, `serde_json::`, a local enum's variants).
    fn base(&self, first: &str, here: &[String]) -> Option<Module> {
        match first {
            "crate" => Some(Vec::new()),
            "self" => Some(here.to_vec()),
            "super" => Some(here[..here.len().checked_sub(1)?].to_vec()),
            child if here == self.file => {
                let mut module = here.to_vec();
                module.push(child.to_owned());
                self.modules.contains(&module).then_some(module)
            }
            _ => None,
        }
    }

    /// Follows a path from `module` starting at token `i` (after a `::`), recording its
    /// target; returns the index after the path.
    fn path(&mut self, tokens: &[TokenTree], mut i: usize, mut module: Module) -> usize {
        let mut target = module.clone();
        loop {
            match tokens.get(i) {
                Some(TokenTree::Ident(id)) if id == "super" => {
                    module.pop();
                    target = module.clone();
                }
                Some(TokenTree::Ident(id)) => {
                    module.push(id.to_string());
                    if self.modules.contains(&module) {
                        target = module.clone();
                    }
                }
                // A use tree's group: each of its paths goes on from here.
                Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
                    let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                    for part in inner.split(|t| is_punct(Some(t), ',')) {
                        self.path(part, 0, module.clone());
                    }
                    return i + 1;
                }
                _ => break,
            }
            if !is_path_sep(tokens, i + 1) {
                i += 1;
                break;
            }
            i += 3;
        }
        self.found.insert(target);
        i
    }
}

fn is_punct(token: Option<&TokenTree>, ch: char) -> bool {
    matches!(token, Some(TokenTree::Punct(p)) if p.as_char() == ch)
}

fn is_path_sep(tokens: &[TokenTree], i: usize) -> bool {
    is_punct(tokens.get(i), ':') && is_punct(tokens.get(i + 1), ':')
}

/// True when `a` contains `b` or `b` contains `a` (the root contains every module).
fn nested(a: &[String], b: &[String]) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

/// The graph without the edges between a module and its ancestors: a child naming its
/// parent's items and a parent composing its children is the shape of a module tree,
/// not a cycle between peers.
pub fn between_peers(graph: &Graph) -> Graph {
    graph
        .iter()
        .map(|(from, to)| {
            let to = to.iter().filter(|t| !nested(from, t)).cloned().collect();
            (from.clone(), to)
        })
        .collect()
}

/// The strongly connected components of more than one module (each an import cycle),
/// each sorted, in order.
pub fn cycles(graph: &Graph) -> Vec<Vec<Module>> {
    // Reachability by search from each module is quadratic, which is nothing for a few
    // dozen modules and obviously right.
    let reach = |from: &Module| -> BTreeSet<Module> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(m) = stack.pop() {
            for next in graph.get(&m).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&Module, BTreeSet<Module>> =
        graph.keys().map(|m| (m, reach(m))).collect();
    let mut out: Vec<Vec<Module>> = Vec::new();
    for (module, reached) in &reachable {
        if !reached.contains(*module) || out.iter().any(|c| c.contains(module)) {
            continue;
        }
        let component: Vec<Module> = reached
            .iter()
            .filter(|other| reachable.get(other).is_some_and(|r| r.contains(*module)))
            .cloned()
            .collect();
        out.push(component);
    }
    out
}

/// The graph as text: one line per module with what it names.
pub fn render(graph: &Graph) -> String {
    let mut out = String::new();
    for (from, to) in graph {
        let to: Vec<String> = to.iter().map(|m| show(m)).collect();
        out.push_str(&format!("{} -> {}\n", show(from), to.join(", ")));
    }
    out
}
