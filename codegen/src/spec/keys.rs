//! Spec keywords, spelled once (the way serde's `symbol.rs` does it).

/// Built-in scalar type names in type expressions.
pub const PRIMITIVE_TYPES: &[&str] = &["string", "integer", "number", "boolean", "object"];
/// `array<T>`: a JSON array of `T`.
pub const ARRAY: &str = "array";
/// `map<T>`: a JSON object with arbitrary keys and values of `T`.
pub const MAP: &str = "map";
/// The services an operation may belong to.
pub const SERVICES: &[&str] = &["dcaas", "vpc", "vpn"];
/// The generated crate's own cargo features, besides the services' and their
/// sub-features: no operation's `feature:` may take one of these names.
pub const CRATE_FEATURES: &[&str] = &["default", "blocking", "async", "check"];
/// The clouds a page may come from.
pub const CLOUDS: &[&str] = &["huawei", "otc"];
/// HTTP methods the generator supports.
pub const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];
/// The file extension of spec files.
pub const SPEC_EXTENSION: &str = "yaml";
