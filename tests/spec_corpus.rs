//! The real specs in `spec/`: they pass every check, and they transcribe every table of the
//! five seed pages.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn checked() -> netapi_codegen::Checked {
    netapi_codegen::check_dir(Path::new("spec"))
        .unwrap_or_else(|d| panic!("spec/ must pass its checks:\n{d}"))
}

#[test]
fn spec_holds_the_five_operations() {
    let checked = checked();
    let ids: BTreeSet<&str> = checked
        .files
        .iter()
        .map(|f| f.spec.operation.id.as_str())
        .collect();
    let expected: BTreeSet<&str> = [
        "create_vif_peer",
        "create_ipsec_site_connection",
        "create_vpc_peering",
        "create_vpn_service",
        "create_vpn_connection",
    ]
    .into();
    assert!(
        ids.is_superset(&expected),
        "missing: {:?}",
        expected.difference(&ids).collect::<Vec<_>>()
    );
}

/// Every table of every page, path and header tables included: 33 in all, numbered without
/// gaps per page, so a missing table shows up as a missing number.
#[test]
fn spec_transcribes_all_33_source_tables() {
    let checked = checked();
    let mut tables: BTreeMap<&str, BTreeSet<u32>> = BTreeMap::new();
    for file in &checked.files {
        let spec = &file.spec;
        let page = spec.operation.source.page.as_str();
        let entry = tables.entry(page).or_default();
        entry.extend(spec.parameters.iter().filter_map(|p| p.table));
        for ty in spec
            .request
            .iter()
            .flat_map(|r| &r.types)
            .chain(spec.response.iter().flat_map(|r| &r.types))
        {
            entry.insert(ty.table);
        }
    }
    // A shared type (spec/<service>/resources/) is a table on each page that prints it.
    for resource in &checked.resources {
        for ty in &resource.spec.types {
            for printed in &ty.printed_on {
                let page = checked
                    .files
                    .iter()
                    .find(|f| f.spec.operation.id == printed.operation)
                    .map(|f| f.spec.operation.source.page.as_str())
                    .expect("check resolved every printed_on operation");
                tables.entry(page).or_default().insert(printed.table);
            }
        }
    }
    let expected: BTreeMap<&str, u32> = [
        ("000_4ec825f6310ac64b.txt", 6),
        ("001_88db38d5b75b36a7.txt", 4),
        ("002_8356fb13b8be5ffe.txt", 6),
        ("003_0bc528a2d2ff510c.txt", 2),
        ("004_a73dda56220d68d0.txt", 15),
    ]
    .into();
    for (page, count) in &expected {
        let found = tables.get(page).cloned().unwrap_or_default();
        assert_eq!(
            found,
            (1..=*count).collect::<BTreeSet<u32>>(),
            "tables of {page}"
        );
    }
    let total: usize = expected.keys().map(|page| tables[page].len()).sum();
    assert_eq!(total, 33);
}

#[test]
fn every_page_example_is_in_the_spec() {
    let checked = checked();
    let count = |id: &str| {
        checked
            .files
            .iter()
            .find(|f| f.spec.operation.id == id)
            .map_or(0, |f| f.spec.examples.len())
    };
    // Request and response examples as printed on each page.
    assert_eq!(count("create_vif_peer"), 4);
    assert_eq!(count("create_ipsec_site_connection"), 2);
    assert_eq!(count("create_vpc_peering"), 2);
    assert_eq!(count("create_vpn_service"), 2);
    assert_eq!(count("create_vpn_connection"), 6);
}
