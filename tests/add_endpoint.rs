//! The add-an-endpoint workflow of README.md, end to end: a user copies a real spec under a
//! new operation id, or turns one into another operation of the same resource, and the
//! specs still check, the crate still generates, and the generated crate builds under
//! `-D warnings`, passes clippy and its own tests, and checks the new operations' bodies.
//!
//! Three operations are added, each made from a real spec of `spec/`, so the test follows
//! the specs as they grow: a copy of a `POST` under a new id and path, a bodyless `DELETE`
//! (path parameters only, `204`, no request or response body) and a `GET` with query
//! parameters and the real spec's response. The base specs are picked from `spec/` by
//! rule (the smallest file, and the smallest `POST`), never by name.
//!
//! Like `tests/vendor.rs`, the builds run in `target/e2e`, shared between runs.

use std::path::{Path, PathBuf};

use netapi_codegen::{Config, Layout};
use netapi_tests::{assert_success, cargo, copy_dir, spec_files};

/// A real spec, split into its top-level sections (`operation:`, `parameters:`, ...), each
/// with its key line, in file order.
struct Spec {
    path: PathBuf,
    sections: Vec<(String, String)>,
}

impl Spec {
    fn read(path: &Path) -> Spec {
        let text = std::fs::read_to_string(path).unwrap();
        let mut sections: Vec<(String, String)> = Vec::new();
        for line in text.lines() {
            let top = line.starts_with(|c: char| c.is_ascii_lowercase());
            match (top, sections.last_mut()) {
                (true, _) | (false, None) => {
                    let key = line.split(':').next().unwrap_or_default().to_owned();
                    sections.push((key, format!("{line}\n")));
                }
                (false, Some((_, body))) => {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
        Spec {
            path: path.to_owned(),
            sections,
        }
    }

    fn section(&self, key: &str) -> Option<&str> {
        self.sections
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, s)| s.as_str())
    }

    /// The value of the first `key:` line inside the `operation` section.
    fn operation_value(&self, key: &str) -> String {
        let prefix = format!("  {key}:");
        self.section("operation")
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .unwrap_or_else(|| panic!("{}: no operation.{key}", self.path.display()))
            .trim()
            .to_owned()
    }

    fn id(&self) -> String {
        self.operation_value("id")
    }

    /// The `operation` section with a new id, method and path.
    fn operation_as(&self, id: &str, method: &str, path: &str) -> String {
        self.section("operation")
            .unwrap()
            .lines()
            .map(|line| match line.split_once(':') {
                Some(("  id", _)) => format!("  id: {id}"),
                Some(("  method", _)) => format!("  method: {method}"),
                Some(("  path", _)) => format!("  path: {path}"),
                _ => line.to_owned(),
            })
            .map(|line| line + "\n")
            .collect()
    }

    /// The examples of one direction, as an `examples:` section (empty when none).
    fn examples(&self, direction: &str) -> String {
        let Some(section) = self.section("examples") else {
            return String::new();
        };
        let mut items: Vec<String> = Vec::new();
        for line in section.lines().skip(1) {
            if line.starts_with("  - ") || items.is_empty() {
                items.push(String::new());
            }
            let item = items.last_mut().unwrap();
            item.push_str(line);
            item.push('\n');
        }
        let wanted = format!("    direction: {direction}");
        let kept: Vec<String> = items
            .into_iter()
            .filter(|item| item.lines().any(|l| l.trim_end() == wanted))
            .collect();
        if kept.is_empty() {
            String::new()
        } else {
            format!("examples:\n{}", kept.concat())
        }
    }

    /// The example bodies of one direction with their status (responses), in file order.
    fn example_bodies(&self, direction: &str) -> Vec<(Option<u16>, String)> {
        let examples = self.examples(direction);
        let mut out = Vec::new();
        for item in examples.split("\n  - ").skip(1) {
            let status = item
                .lines()
                .find_map(|l| l.trim().strip_prefix("status:"))
                .map(|s| s.trim().parse().unwrap());
            let body: String = item
                .lines()
                .skip_while(|l| l.trim() != "body: |")
                .skip(1)
                .map(|l| format!("{}\n", l.trim_start()))
                .collect();
            out.push((status, body));
        }
        out
    }
}

/// The smallest spec file, optionally among those with a given method.
fn smallest(files: &[PathBuf], method: Option<&str>) -> Spec {
    files
        .iter()
        .map(|f| Spec::read(f))
        .filter(|s| method.is_none_or(|m| s.operation_value("method") == m))
        .min_by_key(|s| (std::fs::metadata(&s.path).unwrap().len(), s.path.clone()))
        .expect("spec/ has a spec of that kind")
}

/// An operation id made from `base` and `kind` that no spec in `files` has yet: a user may
/// already have added `<id>_copy`, and the test must not overwrite it.
fn new_id(files: &[PathBuf], base: &str, kind: &str) -> String {
    let taken = |id: &str| files.iter().any(|f| f.file_stem().is_some_and(|s| s == id));
    let mut id = format!("{base}_{kind}");
    while taken(&id) {
        id.push_str("_again");
    }
    id
}

/// The ids of the three added operations, and the specs the POST and the GET were made
/// from (their examples are checked against the copies).
struct Added {
    post_id: String,
    post: Spec,
    delete_id: Option<String>,
    get_id: String,
    get: Spec,
}

/// Adds the operations to the spec folder `spec`, each next to its base: the POST copy
/// and the GET always, the bodyless DELETE when `delete` is true.
fn add_endpoints(spec: &Path, delete: bool) -> Added {
    let files = spec_files(spec);

    // A POST copied under a new id and path: exactly what a user does first.
    let post = smallest(&files, Some("POST"));
    // Ids are new and paths end in the id, so no method and path is taken twice either.
    let post_id = new_id(&files, &post.id(), "copy");
    let path = post.operation_value("path");
    let mut text = post.operation_as(&post_id, "POST", &format!("{path}/{post_id}"));
    for (key, section) in &post.sections {
        if key != "operation" {
            text.push_str(section);
        }
    }
    std::fs::write(post.path.with_file_name(format!("{post_id}.yaml")), text).unwrap();

    // A bodyless DELETE of one resource: the base's path and parameters plus the resource's
    // id in the path, no request, a 204 with no body.
    let base = smallest(&files, None);
    let delete_id = new_id(&files, &base.id(), "delete");
    let path = base.operation_value("path");
    let mut text = base.operation_as(
        &delete_id,
        "DELETE",
        &format!("{path}/{delete_id}/{{resource_id}}"),
    );
    text.push_str(base.section("parameters").unwrap_or("parameters:\n"));
    text.push_str(
        "  - name: resource_id\n    in: path\n    table: 1\n    type: string\n    required: true\n    \
         description: Specifies the ID of the resource to delete.\n",
    );
    text.push_str("response:\n  statuses:\n    - status: 204\n      description: No Content\n");
    text.push_str(base.section("errata").unwrap_or_default());
    if delete {
        std::fs::write(base.path.with_file_name(format!("{delete_id}.yaml")), text).unwrap();
    }

    // A GET with query parameters: the base's parameters plus `limit` and `marker`, no
    // request body, and the base's responses with their examples.
    // The smallest spec with response examples: the GET copy reads its responses and
    // checks them against its examples (a bodyless delete has none).
    let base = files
        .iter()
        .map(|f| Spec::read(f))
        .filter(|s| !s.example_bodies("response").is_empty())
        .min_by_key(|s| (std::fs::metadata(&s.path).unwrap().len(), s.path.clone()))
        .expect("spec/ has a spec with response examples");
    let path = base.operation_value("path");
    let get_id = new_id(&files, &base.id(), "query");
    let mut text = base.operation_as(&get_id, "GET", &format!("{path}/{get_id}"));
    text.push_str(base.section("parameters").unwrap_or("parameters:\n"));
    text.push_str(
        "  - name: limit\n    in: query\n    table: 1\n    type: integer\n    minimum: 1\n    \
         maximum: 2000\n    description: Specifies the number of records on each page.\n  \
         - name: marker\n    in: query\n    table: 1\n    type: string\n    \
         description: Specifies the ID of the last record on the previous page.\n",
    );
    text.push_str(base.section("response").expect("the base has responses"));
    text.push_str(&base.examples("response"));
    text.push_str(base.section("errata").unwrap_or_default());
    std::fs::write(base.path.with_file_name(format!("{get_id}.yaml")), text).unwrap();

    Added {
        post_id,
        post,
        delete_id: delete.then_some(delete_id),
        get_id,
        get: base,
    }
}

/// A Rust string literal holding `text`.
fn literal(text: &str) -> String {
    format!("{text:?}")
}

/// Tests written into the generated crate: the registry lists the added operations with
/// their methods, and their bodies check as the base's examples do.
fn crate_tests(name: &str, added: &Added) -> String {
    let Added {
        post_id,
        post,
        delete_id,
        get_id,
        get,
    } = added;
    let mut checks = String::new();
    let (requests, responses) = (
        post.example_bodies("request"),
        get.example_bodies("response"),
    );
    assert!(
        !requests.is_empty() && !responses.is_empty(),
        "the base specs have request and response examples"
    );
    for (_, body) in requests {
        checks.push_str(&format!(
            "    assert_eq!(netapi::check_request_json({}, {}).map_err(|e| e.to_string()), netapi::check_request_json({}, {}).map_err(|e| e.to_string()));\n",
            literal(post_id),
            literal(&body),
            literal(&post.id()),
            literal(&body),
        ));
    }
    for (status, body) in responses {
        checks.push_str(&format!(
            "    netapi::check_response_json({}, {}, {}).unwrap();\n",
            literal(get_id),
            status.expect("response examples have a status"),
            literal(&body),
        ));
    }
    if let Some(delete_id) = delete_id {
        let id = literal(delete_id);
        checks.push_str(&format!(
            "    assert_eq!(method({id}), \"DELETE\");\n    \
             let delete = netapi::operations().iter().find(|d| d.id == {id}).unwrap();\n    \
             assert_eq!(delete.success, &[204]);\n    \
             netapi::check_response_json({id}, 204, \"\").unwrap();\n"
        ));
    }
    format!(
        r#"//! Written by the workspace test `add_endpoint`.

use {name} as netapi;

fn method(id: &str) -> &'static str {{
    netapi::operations()
        .iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("{{id}} is not listed"))
        .method
}}

#[test]
fn added_operations_are_listed_and_check_bodies() {{
    assert_eq!(method({post_id}), "POST");
    assert_eq!(method({get_id}), "GET");
{checks}}}
"#,
        post_id = literal(post_id),
        get_id = literal(get_id),
    )
}

/// Adds the endpoints, then does what README's "Add an endpoint" asks and what CI runs:
/// check the specs, generate, build under `-D warnings`, clippy, and the crate's tests.
fn add_check_generate_build_and_test(delete: bool) {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    copy_dir(Path::new("spec"), &spec);
    let added = add_endpoints(&spec, delete);

    let checked = netapi_codegen::check_dir(&spec).unwrap_or_else(|d| panic!("check spec:\n{d}"));
    let count = 2 + usize::from(delete);
    assert_eq!(
        checked.files.len(),
        spec_files(Path::new("spec")).len() + count
    );

    // Each scenario's crate has a name of its own: crates of one name from different
    // folders would share fingerprints in `target/e2e`, and a build could be taken for
    // fresh from the other scenario's.
    let name = if delete {
        "netapi_added_delete"
    } else {
        "netapi_added_post_get"
    };
    let generated = Config::new(&spec)
        .crate_name(name)
        .layout(Layout::Crate)
        .generate()
        .unwrap_or_else(|e| panic!("generate:\n{e}"));
    let crate_dir = dir.path().join("netapi");
    generated.vendor(&crate_dir).unwrap();
    std::fs::create_dir_all(crate_dir.join("tests")).unwrap();
    std::fs::write(crate_dir.join("tests/added.rs"), crate_tests(name, &added)).unwrap();

    assert_success(
        &cargo(&crate_dir, &["build", "--offline", "--quiet"]),
        "cargo build of the crate with the added endpoints",
    );
    assert_success(
        &cargo(
            &crate_dir,
            &[
                "clippy",
                "--offline",
                "--quiet",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        "cargo clippy of the crate with the added endpoints",
    );
    assert_success(
        &cargo(&crate_dir, &["test", "--offline", "--quiet"]),
        "cargo test of the crate with the added endpoints",
    );
}

/// A copied POST and a GET with query parameters.
#[test]
fn added_post_and_query_get_check_generate_build_and_pass_their_checks() {
    add_check_generate_build_and_test(false);
}

/// A bodyless DELETE (path parameters only, 204): its module must use only the imports it
/// needs, or the crate fails under `-D warnings`.
#[test]
fn added_bodyless_delete_checks_generates_builds_and_passes_its_checks() {
    add_check_generate_build_and_test(true);
}
