//! `pages audit` and `pages draft` over the real pages in `../shared` (beside the clone),
//! which stay there: they are third-party documents. Tests that need them say so and
//! skip when the folder is absent.

use std::path::{Path, PathBuf};
use std::process::Command;

use netapi_codegen::pages::{self, FindingKind, Report};

mod common;
use common::copy_dir;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `../shared/<folder>` beside the clone, or `None` (with the reason printed).
fn shared(folder: &str) -> Option<PathBuf> {
    let path = root().join("..").join("shared").join(folder);
    if path.is_dir() {
        Some(path)
    } else {
        eprintln!(
            "skipped: {} is absent (the shared pages live beside the clone)",
            path.display()
        );
        None
    }
}

fn folders() -> Option<Vec<PathBuf>> {
    Some(vec![shared("seeds")?, shared("pages")?])
}

#[test]
fn the_specs_audit_clean_against_their_pages() {
    let Some(folders) = folders() else { return };
    let checked = netapi_codegen::check_dir(&root().join("spec")).expect("the specs pass check");
    let report = pages::audit(&root().join("spec"), &folders).expect("the specs pass check");
    assert_eq!(report.pages + report.not_found.len(), checked.files.len());
    assert!(report.not_found.is_empty(), "{report}");
    assert_eq!(report.unacknowledged(), 0, "{report}");
    // Every table a spec names was compared.
    let spec_tables: usize = checked.stats.tables;
    assert!(report.tables >= spec_tables.min(1), "{report}");
    assert!(report.rows > 0 && report.examples > 0, "{report}");
}

/// A copy of one spec and its page in a temporary folder, to mutate.
struct Copy {
    _dir: tempfile::TempDir,
    /// The page folders the audit reads: the copied page's folder first, so that it wins
    /// over the original, then the real ones for the other specs' pages.
    folders: Vec<PathBuf>,
    spec_dir: PathBuf,
    spec_file: PathBuf,
    page_dir: PathBuf,
    page_file: PathBuf,
}

impl Copy {
    fn new(spec: &str, folders: &[PathBuf]) -> Copy {
        let dir = tempfile::tempdir().unwrap();
        let source = root().join("spec").join(spec);
        let spec_dir = dir.path().join("spec");
        let spec_file = spec_dir.join(spec);
        // The whole spec set: the spec may use shared types of its service's resource
        // files, and those name the other operations that print them.
        copy_dir(&root().join("spec"), &spec_dir);
        let text = std::fs::read_to_string(&source).unwrap();
        let page_name = page_of(&text);
        let page = pages::find_page(folders, &page_name).expect("the page is in a folder");
        let page_dir = dir.path().join("pages");
        let page_file = page_dir.join(&page_name);
        std::fs::create_dir_all(page_file.parent().unwrap()).unwrap();
        std::fs::copy(page, &page_file).unwrap();
        let folders = std::iter::once(page_dir.clone())
            .chain(folders.iter().cloned())
            .collect();
        Copy {
            _dir: dir,
            folders,
            spec_dir,
            spec_file,
            page_dir,
            page_file,
        }
    }

    fn audit(&self) -> Option<Report> {
        pages::audit(&self.spec_dir, &self.folders).ok()
    }

    fn page(&self) -> pages::Page {
        pages::read_file(&self.page_file, "page").unwrap()
    }

    fn page_lines(&self) -> Vec<String> {
        std::fs::read_to_string(&self.page_file)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    fn write_page(&self, lines: &[String]) {
        std::fs::write(&self.page_file, lines.join("\n") + "\n").unwrap();
    }
}

fn page_of(spec_text: &str) -> String {
    spec_text
        .lines()
        .find_map(|l| l.trim().strip_prefix("page: "))
        .expect("the spec names its page")
        .trim_matches('"')
        .to_owned()
}

/// The unacknowledged findings of `kind` that a mutated copy reports beyond the original's.
fn detected(copy: &Copy, kind: FindingKind, row: Option<&str>) -> bool {
    let Some(report) = copy.audit() else {
        return false;
    };
    report.findings.iter().any(|f| {
        f.kind == kind
            && f.acknowledged.is_none()
            && row.is_none_or(|r| f.message.contains(&format!("row {r}:")))
    })
}

/// Rows worth mutating: in a numbered table with a Mandatory column, typed `String` on the
/// page, with a row after them in the same table.
fn candidates(page: &pages::Page) -> Vec<(u32, pages::Row, usize)> {
    let mut out = Vec::new();
    for table in &page.tables {
        let Some(n) = table.number else { continue };
        if !table.has(&pages::Column::Mandatory) || table.rows.len() < 2 {
            continue;
        }
        for (i, row) in table.rows.iter().enumerate().take(table.rows.len() - 1) {
            if row.ty == "String" && row.mandatory.is_some() {
                out.push((n, row.clone(), table.rows[i + 1].line));
            }
        }
    }
    out
}

/// The specs to mutate: one per rendering.
const RST_SPEC: &str = "dcaas/create_vif_peer.yaml";
const FLAT_SPEC: &str = "vpn/create_vpn_connection.yaml";

fn for_each_rendering(test: impl Fn(&str, &[PathBuf])) {
    let Some(folders) = folders() else { return };
    for spec in [RST_SPEC, FLAT_SPEC] {
        if !root().join("spec").join(spec).is_file() {
            eprintln!("skipped {spec}: not in spec/");
            continue;
        }
        let copy = Copy::new(spec, &folders);
        let report = copy.audit().expect("the copy passes check");
        assert_eq!(report.unacknowledged(), 0, "{spec} starts clean: {report}");
        test(spec, &folders);
    }
}

/// Tries the mutation on each candidate row until one is detected: a row an erratum
/// names would be acknowledged, which is right, so another is tried.
fn mutate_rows(
    spec: &str,
    folders: &[PathBuf],
    kind: FindingKind,
    mutate: impl Fn(&Copy, &pages::Page, &(u32, pages::Row, usize)) -> bool,
) {
    let page = Copy::new(spec, folders).page();
    let rows = candidates(&page);
    assert!(!rows.is_empty(), "{spec}: no row to mutate");
    let found = rows.iter().any(|candidate| {
        let copy = Copy::new(spec, folders);
        mutate(&copy, &copy.page(), candidate) && detected(&copy, kind, Some(&candidate.1.name))
    });
    assert!(
        found,
        "{spec}: no {} finding after the mutation",
        kind.name()
    );
}

#[test]
fn dropping_a_row_from_the_page_is_detected() {
    for_each_rendering(|spec, folders| {
        mutate_rows(
            spec,
            folders,
            FindingKind::ExtraRow,
            |copy, _, (_, row, next)| {
                let mut lines = copy.page_lines();
                // From the row's first line to the line before the next row: in a grid table
                // that takes the row's border along, in a flattened one its cells.
                let from = row.line - 1;
                let to = (next - 1).min(lines.len());
                lines.drain(from..to);
                copy.write_page(&lines);
                true
            },
        );
    });
}

#[test]
fn flipping_mandatory_on_the_page_is_detected() {
    for_each_rendering(|spec, folders| {
        mutate_rows(
            spec,
            folders,
            FindingKind::Mandatory,
            |copy, _, (_, row, next)| {
                let mut lines = copy.page_lines();
                let (from, to) = (row.line - 1, next - 1);
                for line in &mut lines[from..to] {
                    let flipped = if line.trim() == "Yes" {
                        line.replace("Yes", "No")
                    } else if line.trim() == "No" {
                        line.replace("No", "Yes")
                    } else if line.contains("| Yes ") {
                        line.replacen("| Yes ", "| No  ", 1)
                    } else if line.contains("| No  ") {
                        line.replacen("| No  ", "| Yes ", 1)
                    } else {
                        continue;
                    };
                    *line = flipped;
                    copy.write_page(&lines);
                    return true;
                }
                false
            },
        );
    });
}

#[test]
fn changing_a_type_on_the_page_is_detected() {
    for_each_rendering(|spec, folders| {
        mutate_rows(
            spec,
            folders,
            FindingKind::Type,
            |copy, _, (_, row, next)| {
                let mut lines = copy.page_lines();
                for line in &mut lines[row.line - 1..next - 1] {
                    let changed = if line.trim() == "String" {
                        line.replace("String", "Integer")
                    } else if line.contains("| String ") {
                        line.replacen("| String ", "| Integer", 1)
                    } else {
                        continue;
                    };
                    *line = changed;
                    copy.write_page(&lines);
                    return true;
                }
                false
            },
        );
    });
}

#[test]
fn editing_an_example_on_the_page_is_detected() {
    for_each_rendering(|spec, folders| {
        let copy = Copy::new(spec, folders);
        let page = copy.page();
        let baseline = copy.audit().unwrap();
        // An example whose block matches its spec example exactly: no finding at its line.
        let clean = page.examples.iter().find(|e| {
            e.json().is_ok()
                && !baseline
                    .findings
                    .iter()
                    .any(|f| f.page.ends_with(&format!(":{}", e.line)))
        });
        let example =
            clean.unwrap_or_else(|| panic!("{spec}: no clean example to edit: {baseline}"));
        let mut lines = copy.page_lines();
        let index = (example.line - 1..lines.len())
            .find(|&i| {
                let t = lines[i].trim_start();
                t.starts_with('{') || t.contains(" { \"")
            })
            .expect("the block opens a JSON object");
        let line = &lines[index];
        let at = if line.trim_start().starts_with('{') {
            line.find('{').unwrap()
        } else {
            line.find(" { \"").unwrap() + 1
        };
        lines[index] = format!("{}{{\"mutated\": 1, {}", &line[..at], &line[at + 1..]);
        copy.write_page(&lines);
        assert!(
            detected(&copy, FindingKind::Example, None),
            "{spec}: {}",
            copy.audit().unwrap()
        );
    });
}

#[test]
fn removing_an_erratum_is_detected() {
    for_each_rendering(|spec, folders| {
        let copy = Copy::new(spec, folders);
        let baseline = copy.audit().unwrap();
        let acknowledged: Vec<(FindingKind, String)> = baseline
            .findings
            .iter()
            .filter_map(|f| f.acknowledged.clone().map(|id| (f.kind, id)))
            .collect();
        assert!(!acknowledged.is_empty(), "{spec}: no acknowledged finding");
        let found = acknowledged.iter().any(|(kind, id)| {
            let copy = Copy::new(spec, folders);
            let text = std::fs::read_to_string(&copy.spec_file).unwrap();
            std::fs::write(&copy.spec_file, without_erratum(&text, id)).unwrap();
            detected(&copy, *kind, None)
        });
        assert!(found, "{spec}: removing an erratum went unnoticed");
    });
}

#[test]
fn a_value_missing_from_an_enum_is_a_warning_that_does_not_fail() {
    let Some(folders) = folders() else { return };
    // Every string enum of the spec whose description lists its values: dropping a value
    // from one of them must be noticed.
    let spec = FLAT_SPEC;
    let original = std::fs::read_to_string(root().join("spec").join(spec)).unwrap();
    let enums: Vec<(usize, String)> = original
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("enum: [") && l.contains(','))
        .map(|(i, l)| (i, l.to_owned()))
        .collect();
    let found = enums.iter().any(|(i, line)| {
        let copy = Copy::new(spec, &folders);
        let (head, list) = line.split_once('[').unwrap();
        let values: Vec<&str> = list
            .trim_end()
            .trim_end_matches(']')
            .split(',')
            .map(str::trim)
            .collect();
        let mut lines: Vec<String> = original.lines().map(str::to_owned).collect();
        lines[*i] = format!("{head}[{}]", values[1..].join(", "));
        std::fs::write(&copy.spec_file, lines.join("\n") + "\n").unwrap();
        let Some(report) = copy.audit() else {
            return false;
        };
        let warned = report.findings.iter().any(|f| {
            f.kind == FindingKind::Enum
                && f.acknowledged.is_none()
                && f.message.contains(&format!("`{}`", values[0]))
        });
        warned && report.unacknowledged() == 0
    });
    assert!(found, "{spec}: no enum warning after dropping a value");
}

/// The spec text without erratum `id`: its entry under `errata:` and every reference.
fn without_erratum(text: &str, id: &str) -> String {
    let mut out = Vec::new();
    let mut skipping = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("- id: ") {
            skipping = trimmed == format!("- id: {id}");
        } else if !line.starts_with(' ') && !line.is_empty() {
            skipping = false;
        }
        if skipping {
            continue;
        }
        if let Some(at) = line.find("errata: [") {
            let list = line[at + 9..].trim_end().trim_end_matches(']');
            let kept: Vec<&str> = list
                .split(',')
                .map(str::trim)
                .filter(|e| *e != id && !e.is_empty())
                .collect();
            if kept.is_empty() {
                continue;
            }
            out.push(format!("{}errata: [{}]", &line[..at], kept.join(", ")));
            continue;
        }
        out.push(line.to_owned());
    }
    out.join("\n") + "\n"
}

/// A draft's operation id and service, from its header.
fn header(draft: &str) -> (String, String) {
    let value = |key: &str| {
        draft
            .lines()
            .find_map(|l| l.strip_prefix(&format!("  {key}: ")))
            .unwrap_or_default()
            .trim_matches('"')
            .to_owned()
    };
    (value("id"), value("service"))
}

/// The line a comment about `line` (0-based) belongs above: the innermost list item
/// holding it, or the line itself outside lists (the rule the draft follows).
fn item_of(lines: &[&str], line: usize) -> usize {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let own = indent(lines[line]);
    for i in (0..=line).rev() {
        let candidate = lines[i];
        if candidate.trim().is_empty() || candidate.trim_start().starts_with('#') {
            continue;
        }
        if candidate.trim_start().starts_with("- ") && (indent(candidate) < own || i == line) {
            return i;
        }
        if indent(candidate) == 0 {
            return line;
        }
    }
    line
}

#[test]
fn drafts_of_the_seed_pages_are_snapshotted_and_check_finds_only_what_their_todos_explain() {
    let Some(seeds) = shared("seeds") else { return };
    let mut names: Vec<PathBuf> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for path in names {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let name = pages::draft::page_name(&path);
        let page = pages::read_file(&path, &name).unwrap();
        assert_eq!(page.problems, vec![], "{name}");
        let draft = pages::draft(&page);
        let short = stem.split('_').next().unwrap_or(&stem).to_owned();
        insta::with_settings!({
            snapshot_path => root().join("tests").join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("pages_draft_{short}"), draft);
        });
        // Checked as the file it would be: every problem sits under a TODO.
        let dir = tempfile::tempdir().unwrap();
        let (id, service) = header(&draft);
        let file = dir.path().join(&service).join(format!("{id}.yaml"));
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &draft).unwrap();
        let lines: Vec<&str> = draft.lines().collect();
        if let Err(diagnostics) = netapi_codegen::check_dir(dir.path()) {
            for diagnostic in diagnostics.sorted() {
                let item = item_of(&lines, diagnostic.location.line - 1);
                let above: Vec<&str> = lines[..item]
                    .iter()
                    .rev()
                    .take_while(|l| l.trim_start().starts_with('#'))
                    .copied()
                    .collect();
                assert!(
                    above
                        .iter()
                        .any(|l| l.contains("TODO") && l.contains(diagnostic.message.as_str())),
                    "{name}: no TODO explains {diagnostic}\n{draft}"
                );
            }
        }
    }
}

#[test]
fn every_life_cycle_page_reads_without_problems() {
    let Some(folder) = shared("pages") else {
        return;
    };
    let mut stack = vec![folder.clone()];
    let mut count = 0;
    let mut tables = 0;
    let mut problems = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rst") {
                let name = path
                    .strip_prefix(&folder)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let page = pages::read_file(&path, &name).unwrap();
                count += 1;
                assert!(
                    page.method.is_some() && page.path.is_some(),
                    "{name}: no URI"
                );
                for table in page.tables.iter().filter(|t| t.number.is_some()) {
                    tables += 1;
                    assert!(
                        !table.rows.is_empty(),
                        "{name}: Table {:?} has no rows",
                        table.number
                    );
                }
                problems.extend(
                    page.problems
                        .iter()
                        .map(|p| format!("{name}:{}: {}", p.line, p.message)),
                );
            }
        }
    }
    eprintln!("read {count} pages, {tables} numbered tables");
    assert!(count > 0);
    assert_eq!(problems, Vec::<String>::new());
}

#[test]
fn drafts_of_life_cycle_pages_parse_as_specs() {
    let Some(folder) = shared("pages") else {
        return;
    };
    for name in [
        "vpn/v5-updating_a_vpn_connection.rst",
        "dcaas/creating_a_virtual_interface.rst",
    ] {
        let path = folder.join(name);
        if !path.is_file() {
            continue;
        }
        let page = pages::read_file(&path, name).unwrap();
        let draft = pages::draft(&page);
        assert!(
            netapi_codegen::spec::parse_file(Path::new("x.yaml"), draft.as_bytes()).is_ok(),
            "{draft}"
        );
        assert!(draft.contains(&format!("page: {name}")), "{draft}");
        // Every table is in the draft, as parameters or as a type.
        for table in page.tables.iter().filter(|t| t.number.is_some()) {
            assert!(
                draft.contains(&format!("table: {}", table.number.unwrap())),
                "{name}"
            );
        }
    }
}

fn netapi_codegen(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_netapi-codegen"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

#[test]
fn the_audit_command_exits_0_on_the_specs_and_prints_a_summary() {
    if folders().is_none() {
        return;
    }
    let out = netapi_codegen(&[
        "pages",
        "audit",
        "spec",
        "--pages",
        "../shared/seeds",
        "--pages",
        "../shared/pages",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("rows compared"), "{stdout}");
    assert!(
        stdout.contains("ok: no unacknowledged findings"),
        "{stdout}"
    );
}

#[test]
fn the_audit_command_exits_1_on_an_unacknowledged_finding() {
    let Some(folders) = folders() else { return };
    let copy = Copy::new(FLAT_SPEC, &folders);
    let mut lines = copy.page_lines();
    let page = copy.page();
    let row = &candidates(&page)[0].1;
    lines[row.line - 1] = format!("{}_renamed", lines[row.line - 1]);
    copy.write_page(&lines);
    let out = netapi_codegen(&[
        "pages",
        "audit",
        copy.spec_dir.to_str().unwrap(),
        "--pages",
        copy.page_dir.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("error[missing-row]"), "{stdout}");
    assert!(
        stdout.contains(&format!("{}:{}", copy.page_file.display(), row.line)),
        "{stdout}"
    );
}

#[test]
fn the_pages_commands_refuse_bad_usage_and_never_overwrite() {
    for args in [
        &["pages"][..],
        &["pages", "audit", "spec"],
        &["pages", "draft"],
        &["pages", "frobnicate", "x"],
        &["pages", "draft", "a", "--pages", "b"],
    ] {
        let out = netapi_codegen(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("Usage: netapi-codegen pages"),
            "{args:?}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("p.rst");
    std::fs::write(&page, "Creating a Thing\n================\n").unwrap();
    let existing = dir.path().join("spec.yaml");
    std::fs::write(&existing, "keep").unwrap();
    let out = netapi_codegen(&[
        "pages",
        "draft",
        page.to_str().unwrap(),
        "--out",
        existing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep");
    let fresh = dir.path().join("new.yaml");
    let out = netapi_codegen(&[
        "pages",
        "draft",
        page.to_str().unwrap(),
        "--out",
        fresh.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(
        std::fs::read_to_string(&fresh)
            .unwrap()
            .contains("title: Creating a Thing")
    );
}

/// Copies the fixture folder `from` into `to`, recursively.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A shared type is audited on each page of its `printed_on`, with only the rows that
/// page lists (a row's `printed_on`), and a resource file's erratum whose `where` starts
/// with `<operation>: ` acknowledges a finding on that operation's page. The fixture
/// (`tests/fixtures/pages/resources`) audits clean; each mutation below breaks one of the
/// three and is found, located in the resource file.
#[test]
fn shared_types_are_audited_on_each_page_that_prints_them() {
    let fixture = root().join("tests/fixtures/pages/resources");
    let work = tempfile::tempdir().unwrap();
    copy_tree(&fixture, work.path());
    let spec_dir = work.path().join("spec");
    let pages_dir = vec![work.path().join("pages")];
    let resource = spec_dir.join("vpn/resources/gadget.yaml");
    let original = std::fs::read_to_string(&resource).unwrap();
    let audit = || pages::audit(&spec_dir, &pages_dir).expect("the fixture passes check");

    let report = audit();
    assert_eq!(report.unacknowledged(), 0, "{report}");
    // Every table of both pages was compared, the shared one on each page included.
    let page_tables: usize = ["show_gadget.rst", "list_gadgets.rst"]
        .iter()
        .map(|p| {
            let page = pages::read_file(&pages_dir[0].join(p), p).unwrap();
            page.tables.iter().filter(|t| t.number.is_some()).count()
        })
        .sum();
    assert_eq!(report.tables, page_tables, "{report}");
    let acknowledged: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.acknowledged.as_deref() == Some("monitor-not-transcribed"))
        .collect();
    assert_eq!(acknowledged.len(), 1, "{report}");
    assert_eq!(acknowledged[0].spec.file, resource, "{report}");

    // Without the row's `printed_on`, the list page (which omits `zone`) disagrees.
    std::fs::write(
        &resource,
        original.replace(", printed_on: [show_gadget]}", "}"),
    )
    .unwrap();
    let report = audit();
    let extra: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::ExtraRow && f.acknowledged.is_none())
        .collect();
    assert_eq!(extra.len(), 1, "{report}");
    assert!(extra[0].page.contains("list_gadgets.rst"), "{report}");
    assert_eq!(extra[0].spec.file, resource, "{report}");

    // Without the prefix, the erratum names no place on the show page.
    std::fs::write(
        &resource,
        original.replace(
            "\"show_gadget: Table 3, row monitor\"",
            "\"Table 3, row monitor\"",
        ),
    )
    .unwrap();
    let report = audit();
    assert_eq!(report.unacknowledged(), 1, "{report}");
}
