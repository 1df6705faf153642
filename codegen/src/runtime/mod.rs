//! The hand-written runtime shipped inside every generated crate.
//!
//! The generator compiles and tests these files as part of itself (it checks example bodies
//! with the same predicates), and copies their source into the generated crate, where they
//! become `crate::runtime`. They depend on nothing but `std` and `serde` (without its derive macros, which would pull
//! syn into every vendored crate). Each file starts with a
//! one-line `//` comment that becomes its module's doc, and carries no inner attributes,
//! so the generated crate can `include!` it.

/// The checking entry points behind `check_request_json` and `check_response_json`.
pub mod check;
/// Helpers shared by the generated `Deserialize` impls of structs.
pub mod de;
/// IP addresses, CIDR blocks and interface addresses.
pub mod net;
/// Operation descriptors and the `Operation` trait.
pub mod operation;
/// Secret strings whose `Debug` never shows them.
pub mod secret;
/// Character rules: lengths, allowed sets and "at least N classes".
pub mod text;
/// Validation checks and violations.
pub mod validate;
/// String enums on the wire.
pub mod wire;

/// The runtime files as (module name, source), for copying into generated crates.
pub const SOURCES: &[(&str, &str)] = &[
    ("check", include_str!("check.rs")),
    ("de", include_str!("de.rs")),
    ("net", include_str!("net.rs")),
    ("operation", include_str!("operation.rs")),
    ("secret", include_str!("secret.rs")),
    ("text", include_str!("text.rs")),
    ("validate", include_str!("validate.rs")),
    ("wire", include_str!("wire.rs")),
];

/// The doc of a runtime file: its first paragraph of `//` comments, joined.
pub fn doc_line(source: &str) -> String {
    source
        .lines()
        .map_while(|l| l.strip_prefix("// "))
        .collect::<Vec<_>>()
        .join(" ")
}
