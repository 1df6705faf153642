//! Every Rust identifier the generator emits is decided here, and only here.
//!
//! Wire names come from documentation tables and can be anything: `X-Auth-Token`, `type`,
//! `3des`, `sha2-512`, two names that differ only in case. This module turns them into
//! identifiers deterministically: heck for casing, raw identifiers for keywords, a prefix
//! for leading digits, and numbered suffixes for collisions, first come first served in
//! spec order. The wire name always stays beside the Rust name so serde can rename.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords of all editions, strict and reserved; fields with these names become raw
/// identifiers (`r#type`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names the generated code uses unqualified; a spec type with one of these names is
/// renamed so that it cannot shadow them. The names an operation module imports are kept
/// apart in [`IMPORTED_TYPES`], which the emitter's test checks against its `use` items.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Value",
    "Self",
    "Default",
    "Clone",
    "Debug",
    "Serialize",
    "Deserialize",
    "Service",
];

/// Every type or trait name an operation module brings in with `use` (see `emit::imports`).
/// A spec type of the same name would be a second item of that name in the module (E0255),
/// so [`type_name`] renames it. The emitter's `imports_match_the_reserved_names` test
/// parses the `use` items and fails when this list and the imports disagree, in either
/// direction.
pub const IMPORTED_TYPES: &[&str] = &[
    "BTreeMap",
    "Context",
    "Descriptor",
    "Operation",
    "PartsError",
    "RequestParts",
    "ResponseVisitor",
    "Secret",
    "WireEnum",
];

/// True when `name` is a Rust keyword (and so cannot be a plain identifier).
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name) || NOT_RAW.contains(&name)
}

/// An identifier as it will be printed: `name` or `r#name`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RustName {
    text: String,
    raw: bool,
}

impl RustName {
    fn plain(text: String) -> Self {
        RustName { text, raw: false }
    }

    /// The identifier without any `r#` prefix.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The identifier for `quote!`.
    pub fn ident(&self) -> proc_macro2::Ident {
        if self.raw {
            proc_macro2::Ident::new_raw(&self.text, proc_macro2::Span::call_site())
        } else {
            proc_macro2::Ident::new(&self.text, proc_macro2::Span::call_site())
        }
    }
}

impl std::fmt::Display for RustName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.raw {
            write!(f, "r#{}", self.text)
        } else {
            f.write_str(&self.text)
        }
    }
}

/// Turns an arbitrary wire name into a snake_case identifier (fields, modules, parameters).
pub fn snake(wire: &str) -> RustName {
    let mut text = wire.to_snake_case();
    text.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if text.is_empty() {
        text = "field".to_owned();
    }
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        text.insert(0, '_');
    }
    escape(text)
}

/// Turns an arbitrary wire name into an UpperCamelCase identifier (types, variants).
pub fn upper_camel(wire: &str) -> RustName {
    let mut text = wire.to_upper_camel_case();
    text.retain(|c| c.is_ascii_alphanumeric());
    if text.is_empty() {
        text = "Value".to_owned();
    }
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        text.insert(0, 'V');
    }
    escape(text)
}

fn escape(text: String) -> RustName {
    if NOT_RAW.contains(&text.as_str()) {
        RustName::plain(format!("{text}_"))
    } else if KEYWORDS.contains(&text.as_str()) {
        RustName { text, raw: true }
    } else {
        RustName::plain(text)
    }
}

/// Hands out names within one namespace (the fields of a struct, the variants of an enum,
/// the types of a module), so that two wire names never map to the same identifier.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// An empty namespace.
    pub fn new() -> Self {
        Namespace::default()
    }

    /// Claims `name`, or `name2`, `name3`... if it is taken. Snake-case names get `_2`.
    pub fn claim(&mut self, name: RustName) -> RustName {
        if self.taken.insert(name.text.clone()) {
            return name;
        }
        let separator = if name.text.contains(|c: char| c.is_ascii_uppercase()) {
            ""
        } else {
            "_"
        };
        let base = name.text.trim_end_matches('_').to_owned();
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .map(RustName::plain)
            .expect("bug: an unbounded range always yields a free name")
    }

    /// True when `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

/// The variant names of a string enum with documented `values`, and, for an open
/// (response) enum, the name of its catch-all variant.
///
/// The catch-all is [`UNKNOWN_VARIANT`] in every enum, so a `match` reads the same across
/// the crate. The name is reserved in closed (request) enums too, so that `Unknown` never
/// means a documented value anywhere: a page that lists `UNKNOWN` gets a numbered variant
/// (`Unknown2`), whose docs show the wire value.
pub fn enum_variants(values: &[String], open: bool) -> (Vec<RustName>, Option<RustName>) {
    let mut names = Namespace::new();
    let unknown = names.claim(upper_camel(UNKNOWN_VARIANT));
    let variants = values.iter().map(|v| names.claim(upper_camel(v))).collect();
    (variants, open.then_some(unknown))
}

/// The Rust name of a spec type, avoiding names the generated code relies on.
pub fn type_name(spec_name: &str) -> RustName {
    let name = upper_camel(spec_name);
    if RESERVED_TYPES.contains(&name.as_str()) || IMPORTED_TYPES.contains(&name.as_str()) {
        RustName::plain(format!("{}Type", name.text))
    } else {
        name
    }
}

/// The prefix given to a response type whose name a request type of the same operation
/// already uses (`PolicyRule` → `ResponsePolicyRule`), following the pages' own
/// `ResponseVpnConnection`.
pub const RESPONSE_PREFIX: &str = "Response";

/// The name of the field that keeps unknown keys of response objects.
pub const EXTRA_FIELD: &str = "extra";

/// The name of the private field of request types that holds the fields a page does not
/// list (the escape hatch, which the runtime's `UnlistedFields` trait sets and reads).
pub const UNLISTED_FIELD: &str = "unlisted_field";

/// The name of the catch-all variant of open (response) enums.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// The name of the struct holding an operation's path, query and header parameters.
pub fn parameters_type(operation_id: &str) -> RustName {
    RustName::plain(format!("{}Parameters", upper_camel(operation_id).text))
}

/// The name of the marker type that implements `Operation` for an operation: the id in
/// UpperCamelCase, or with an `Operation` suffix when a table of the page already has that
/// name (page 000 calls its request table `CreateVifPeer`). Types keep the page's names.
pub fn operation_type(operation_id: &str, types: &Namespace) -> RustName {
    let name = upper_camel(operation_id);
    if types.contains(name.as_str()) {
        RustName::plain(format!("{}Operation", name.text))
    } else {
        name
    }
}

/// The name of a setter for an optional field: `with_name`.
pub fn setter(field: &RustName) -> proc_macro2::Ident {
    proc_macro2::Ident::new(
        &format!("with_{}", field.text.trim_start_matches('_')),
        proc_macro2::Span::call_site(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        assert_eq!(snake("X-Auth-Token").to_string(), "x_auth_token");
        assert_eq!(snake("type").to_string(), "r#type");
        assert_eq!(snake("ref").to_string(), "r#ref");
        assert_eq!(snake("self").to_string(), "self_");
        assert_eq!(snake("3des").to_string(), "_3des");
        assert_eq!(snake("vpnservice_id").to_string(), "vpnservice_id");
        assert_eq!(snake("peerCidrs").to_string(), "peer_cidrs");
    }

    #[test]
    fn variants_and_types() {
        assert_eq!(upper_camel("sha2-512").to_string(), "Sha2512");
        assert_eq!(upper_camel("3des").to_string(), "V3des");
        assert_eq!(upper_camel("IPv4").to_string(), "IPv4");
        assert_eq!(upper_camel("bi-directional").to_string(), "BiDirectional");
        assert_eq!(type_name("Option").to_string(), "OptionType");
        assert_eq!(type_name("PolicyRule").to_string(), "PolicyRule");
        assert_eq!(type_name("Context").to_string(), "ContextType");
        assert_eq!(type_name("wire_enum").to_string(), "WireEnumType");
    }

    #[test]
    fn the_catch_all_is_unknown_and_a_documented_unknown_is_renamed() {
        let values = [
            "ACTIVE".to_owned(),
            "UNKNOWN".to_owned(),
            "unknown".to_owned(),
        ];
        for open in [true, false] {
            let (variants, unknown) = enum_variants(&values, open);
            let names: Vec<String> = variants.iter().map(ToString::to_string).collect();
            assert_eq!(names, ["Active", "Unknown2", "Unknown3"]);
            assert_eq!(
                unknown.map(|u| u.to_string()),
                open.then(|| "Unknown".to_owned())
            );
        }
    }

    #[test]
    fn collisions_get_numbered() {
        let mut ns = Namespace::new();
        assert_eq!(ns.claim(snake("key")).to_string(), "key");
        assert_eq!(ns.claim(snake("Key")).to_string(), "key_2");
        assert_eq!(ns.claim(snake("KEY")).to_string(), "key_3");
        let mut ns = Namespace::new();
        assert_eq!(ns.claim(upper_camel("ip")).to_string(), "Ip");
        assert_eq!(ns.claim(upper_camel("IP")).to_string(), "Ip2");
    }
}
