//! Runs `validate()` on the full `create_vpn_connection` body in a loop, for profilers:
//! `cargo build --release -p netapi --example profile_validate` then
//! `perf record target/release/examples/profile_validate`.

use netapi::Validate;
use netapi::vpn::create_vpn_connection::CreateVpnConnectionRequestBody;

fn main() {
    let body: CreateVpnConnectionRequestBody = serde_json::from_str(include_str!(
        "../../tests/fixtures/bodies/create_vpn_connection_full.json"
    ))
    .expect("the fixture parses");
    let rounds: u32 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000_000);
    let mut valid = 0u32;
    for _ in 0..rounds {
        valid += u32::from(std::hint::black_box(&body).validate().is_ok());
    }
    println!("{valid} of {rounds} valid");
}
