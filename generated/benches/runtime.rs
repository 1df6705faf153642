//! Runtime costs: `validate()` on the largest request, `check_request_json` against plain
//! `serde_json::from_str`, and the generated validator against a hand-written one.
//!
//! `cargo bench -p netapi --bench runtime`: criterion's figures for each, then the two
//! ratios measured side by side (see `paired`).

use std::hint::black_box;

use std::time::Instant;

use criterion::{Criterion, criterion_group};
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

/// Times `a` and `b` side by side: rounds of `calls` calls of each, alternating which goes
/// first, and the median of the per-round ratios `a / b`. Criterion measures one function
/// after the other, so on a noisy machine two of its figures can come from different
/// moments; a ratio taken within each round cancels what the machine was doing then.
fn paired(name: &str, mut a: impl FnMut(), mut b: impl FnMut()) {
    const ROUNDS: usize = 201;
    let calls = 2_000;
    let time = |f: &mut dyn FnMut()| {
        let started = Instant::now();
        for _ in 0..calls {
            f();
        }
        started.elapsed().as_secs_f64()
    };
    let mut ratios: Vec<f64> = (0..ROUNDS)
        .map(|round| {
            let (ta, tb) = if round % 2 == 0 {
                let ta = time(&mut a);
                (ta, time(&mut b))
            } else {
                let tb = time(&mut b);
                (time(&mut a), tb)
            };
            ta / tb
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    let at = |q: f64| ratios[((ROUNDS - 1) as f64 * q) as usize];
    println!(
        "{name}: {:.3}x (median of {ROUNDS} alternating rounds; 10th to 90th percentile {:.3}x to {:.3}x)",
        at(0.5),
        at(0.1),
        at(0.9)
    );
}

fn ratios() {
    let parsed = body();
    println!("\nratios, side by side");
    paired(
        "validate, generated / hand-written",
        || {
            black_box(black_box(&parsed).validate().is_ok());
        },
        || {
            black_box(hand_written(&black_box(&parsed).vpn_connection));
        },
    );
    paired(
        "check_request_json / serde_json::from_str",
        || {
            black_box(netapi::check_request_json("create_vpn_connection", black_box(BODY)).is_ok());
        },
        || {
            black_box(
                serde_json::from_str::<CreateVpnConnectionRequestBody>(black_box(BODY)).is_ok(),
            );
        },
    );
}

criterion_group!(runtime, benches);

fn main() {
    runtime();
    Criterion::default().configure_from_args().final_summary();
    // `cargo test --benches` runs this with `--bench` absent; the ratios are for `cargo bench`.
    if std::env::args().any(|a| a == "--bench") {
        ratios();
    }
}
