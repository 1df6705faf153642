//! The hand-written runtime shipped inside every generated crate, as a crate of its own.
//!
//! Its files are compiled and tested here once, and the generator, which depends on this
//! crate as prost-build depends on prost-types, uses their vocabulary (`Format`, `Class`),
//! judges example bodies with their checks, and copies their source ([`SOURCES`]) into
//! every generated crate, where they become `crate::runtime`: vendored crates stay
//! standalone and build offline, as with `progenitor_client::code()`.
//!
//! Each shipped file depends on nothing but `std`, `serde` (without its derive macros,
//! which would pull syn into every vendored crate) and `serde_json`, except the client
//! files (see [`SOURCES`]), which this crate compiles behind its features `client`,
//! `blocking` and `async`. Each shipped file starts with a `//` comment paragraph that
//! becomes its module's doc and carries no inner attributes, so that the generated crate,
//! and this one, can `include!` it. Nothing else of this crate ships: not this file, not
//! the unit tests (`src/<module>/tests.rs`, children of the inline modules below), not the
//! generator's tables ([`vocabulary`]).

/// The async transport (reqwest).
#[cfg(feature = "async")]
pub mod asynchronous {
    include!("asynchronous.rs");
}

/// The blocking transport (ureq).
#[cfg(feature = "blocking")]
pub mod blocking {
    include!("blocking.rs");
}

/// The sans-IO client core: configuration, request building, response reading.
#[cfg(feature = "client")]
pub mod client {
    include!("client.rs");
}

/// Lists read across pages: the `Paginated` contract, pages and the sans-IO cursor.
#[cfg(feature = "client")]
pub mod paginate {
    include!("paginate.rs");
}

/// Waiters: polling a show operation until a resource settles, with backoff and a deadline.
#[cfg(feature = "client")]
pub mod wait {
    include!("wait.rs");
}

/// `Serialize` and `Deserialize` of the generated structs, through one table-driven
/// generic function, and the escape hatch for unlisted fields.
pub mod codec {
    include!("codec.rs");
    #[cfg(test)]
    mod tests;
}

/// IP addresses, CIDR blocks and interface addresses.
pub mod net {
    include!("net.rs");
    #[cfg(test)]
    mod tests;
}

/// Operation descriptors and the `Operation` trait.
pub mod operation {
    include!("operation.rs");
    #[cfg(test)]
    mod tests;
}

/// Payloads read and validated: the entry points behind `check_request_json` and
/// `check_response_json`.
pub mod payload {
    include!("payload.rs");
}

/// Secret strings whose `Debug` never shows them.
pub mod secret {
    include!("secret.rs");
    #[cfg(test)]
    mod tests;
}

/// SHA-256, HMAC-SHA256 and hex, for request signing.
pub mod sha256 {
    include!("sha256.rs");
    #[cfg(test)]
    mod tests;
}

/// AK/SK request signing (`SDK-HMAC-SHA256`).
pub mod sign {
    include!("sign.rs");
    #[cfg(test)]
    mod tests;
}

/// Character rules: lengths, allowed sets and "at least N classes".
pub mod text {
    include!("text.rs");
    #[cfg(test)]
    mod tests;
}

/// Validation checks and violations.
pub mod validate {
    include!("validate.rs");
    #[cfg(test)]
    mod tests;
}

/// String enums on the wire.
pub mod wire {
    include!("wire.rs");
    #[cfg(test)]
    mod tests;
}

/// Tables only the generator reads, which the shipped files do not contain.
pub mod vocabulary;

// The shipped macros (`codec::objects!`, `wire::enums!`) name `crate::runtime`, where the
// generated crate puts these files; the unit tests that expand them find it here.
#[cfg(test)]
mod runtime {
    pub(crate) use crate::codec;
}

/// A fingerprint of this crate's source (FNV-1a over every file under `src/`, computed by
/// `build.rs`), which the generator mixes into its own, so that a change to the runtime
/// makes files written before it stale.
#[doc(hidden)]
pub const SOURCE_FINGERPRINT: u64 = include!(concat!(env!("OUT_DIR"), "/source_fingerprint.rs"));

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

/// Every runtime file, for copying into generated crates, in name order. `client`,
/// `blocking` and `asynchronous` need `http`, ureq or reqwest, which the generator does not
/// depend on: this crate compiles them behind its features of the same names (`async` for
/// `asynchronous`), and their tests run against the generated crate (`generated/tests/`).
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
    file("client", include_str!("client.rs")),
    file("codec", include_str!("codec.rs")),
    file("net", include_str!("net.rs")),
    file("operation", include_str!("operation.rs")),
    file("paginate", include_str!("paginate.rs")),
    file("payload", include_str!("payload.rs")),
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
