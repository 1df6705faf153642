//! Runs `validate()` on the full `create_vpn_connection` body in a loop, for profilers and
//! instruction counters; `hand` runs the benchmark's hand-written validator instead,
//! `parse` plain `serde_json::from_str` into the typed body and `check`
//! `check_request_json` (parse and validate):
//!
//! ```text
//! cargo build --release -p netapi --example profile_validate
//! valgrind --tool=callgrind target/release/examples/profile_validate generated 10000
//! valgrind --tool=callgrind target/release/examples/profile_validate hand 10000
//! ```
//!
//! Instruction counts do not depend on what else the machine is doing, so the ratios of
//! two runs are the same on a busy machine as on a quiet one.

use netapi::Validate;
use netapi::vpn::create_vpn_connection::CreateVpnConnectionRequestBody;

#[path = "../benches/hand_written.rs"]
mod hand_written;

fn main() {
    let text = include_str!("../../tests/fixtures/bodies/create_vpn_connection_full.json");
    let body: CreateVpnConnectionRequestBody =
        serde_json::from_str(text).expect("the fixture parses");
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "generated".to_owned());
    let rounds: u32 = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000_000);
    let mut valid = 0u32;
    for _ in 0..rounds {
        let ok = match which.as_str() {
            "hand" => {
                hand_written::hand_written(&std::hint::black_box(&body).vpn_connection).is_empty()
            }
            "parse" => {
                serde_json::from_str::<CreateVpnConnectionRequestBody>(std::hint::black_box(text))
                    .is_ok()
            }
            "check" => {
                netapi::check_request_json("create_vpn_connection", std::hint::black_box(text))
                    .is_ok()
            }
            _ => std::hint::black_box(&body).validate().is_ok(),
        };
        valid += u32::from(ok);
    }
    println!("{which}: {valid} of {rounds} valid");
}
