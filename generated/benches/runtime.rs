//! Runtime costs: `validate()` on the largest request, `check_request_json` against plain
//! `serde_json::from_str`, and the generated validator against a hand-written one.
//!
//! `cargo bench -p netapi --bench runtime`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use netapi::Validate;
use netapi::vpn::create_vpn_connection::CreateVpnConnectionRequestBody;

mod hand_written;
use hand_written::hand_written;

/// Every field of `create_vpn_connection` set and valid (policy mode, full IKE and IPsec
/// policies, tags and policy rules).
const BODY: &str = include_str!("../../tests/fixtures/bodies/create_vpn_connection_full.json");

fn body() -> CreateVpnConnectionRequestBody {
    serde_json::from_str(BODY).expect("the fixture parses")
}

fn benches(c: &mut Criterion) {
    let parsed = body();
    assert!(parsed.validate().is_ok());
    assert!(hand_written(&parsed.vpn_connection).is_empty());
    c.bench_function("validate (generated)", |b| {
        b.iter(|| black_box(&parsed).validate())
    });
    c.bench_function("validate (hand-written)", |b| {
        b.iter(|| hand_written(&black_box(&parsed).vpn_connection))
    });
    c.bench_function("serde_json::from_str", |b| {
        b.iter(|| serde_json::from_str::<CreateVpnConnectionRequestBody>(black_box(BODY)).unwrap())
    });
    c.bench_function("check_request_json", |b| {
        b.iter(|| netapi::check_request_json("create_vpn_connection", black_box(BODY)).unwrap())
    });
}

criterion_group!(runtime, benches);
criterion_main!(runtime);
