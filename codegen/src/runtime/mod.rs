//! The hand-written runtime shipped inside every generated crate.
//!
//! The generator compiles and tests these files as part of itself (it checks example bodies
//! with the same predicates), and copies their source into the generated crate, where they
//! become `crate::runtime`. They depend on nothing but `std` and `serde` (without its
//! derive macros, which would pull syn into every vendored crate), except the client files
//! (see [`SOURCES`]). Each file starts with a `//` comment paragraph that becomes its
//! module's doc, and carries no inner attributes, so the generated crate can `include!` it.

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
/// SHA-256, HMAC-SHA256 and hex, for request signing.
pub mod sha256;
/// AK/SK request signing (`SDK-HMAC-SHA256`).
pub mod sign;
/// Character rules: lengths, allowed sets and "at least N classes".
pub mod text;
/// Validation checks and violations.
pub mod validate;
/// String enums on the wire.
pub mod wire;

/// One runtime file, as shipped.
#[derive(Clone, Copy, Debug)]
pub struct RuntimeFile {
    /// The module name.
    pub name: &'static str,
    /// The source.
    pub source: &'static str,
    /// The cargo feature that enables the module in the generated crate, if any.
    pub feature: Option<&'static str>,
}

const fn file(name: &'static str, source: &'static str) -> RuntimeFile {
    RuntimeFile {
        name,
        source,
        feature: None,
    }
}

/// Every runtime file, for copying into generated crates. `client`, `blocking` and
/// `asynchronous` need `http`, ureq or reqwest, which the generator does not depend on, so
/// they are compiled and tested in the generated crate only; so are `paginate` and `wait`,
/// which use the client's `Error`.
pub const SOURCES: &[RuntimeFile] = &[
    RuntimeFile {
        name: "asynchronous",
        source: include_str!("asynchronous.rs"),
        feature: Some("async"),
    },
    RuntimeFile {
        name: "blocking",
        source: include_str!("blocking.rs"),
        feature: Some("blocking"),
    },
    file("check", include_str!("check.rs")),
    file("client", include_str!("client.rs")),
    file("de", include_str!("de.rs")),
    file("net", include_str!("net.rs")),
    file("operation", include_str!("operation.rs")),
    file("paginate", include_str!("paginate.rs")),
    file("secret", include_str!("secret.rs")),
    file("sha256", include_str!("sha256.rs")),
    file("sign", include_str!("sign.rs")),
    file("text", include_str!("text.rs")),
    file("validate", include_str!("validate.rs")),
    file("wait", include_str!("wait.rs")),
    file("wire", include_str!("wire.rs")),
];

/// The doc of a runtime file: its first paragraph of `//` comments, joined.
pub fn doc_line(source: &str) -> String {
    source
        .lines()
        .map_while(|l| l.strip_prefix("// "))
        .collect::<Vec<_>>()
        .join(" ")
}
