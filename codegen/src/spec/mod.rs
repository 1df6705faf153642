//! The YAML spec exactly as written: serde structs plus the loader.
//!
//! This is the only module that knows YAML. Structs here mirror the file format one to one
//! (documented in `spec/README.md`); they hold strings where the author wrote strings, and
//! leave every interpretation (type expressions, references, rule consistency) to `check`.
//! Unknown keys are rejected by serde so that a typo such as `maxlength` is an error rather
//! than a silently ignored constraint.

mod keys;
mod load;
mod pos;
mod resource;
mod scan;
mod type_expr;

/// The vocabulary the spec shares with the IR, which owns it (see `ir::vocab`).
pub use crate::ir::{CharClass, Direction, ExampleDirection, Format, ParamLocation, QueryEncoding};
pub use keys::*;
pub use load::{
    LoadedFile, LoadedResource, MAX_SPEC_BYTES, SpecSet, load_dir, load_files, parse_file,
    parse_resource,
};
pub use pos::{NodePath, PositionIndex};
pub use resource::{
    PrintedOnSpec, RESOURCES_DIR, ResourceFile, ResourceHeader, SharedTypeSpec, WaiterSpec,
};
pub use scan::MAX_SPEC_DEPTH;
pub use type_expr::TypeExpr;

use serde::Deserialize;
use serde_json::Value;

/// One spec file: one operation, its parameters, its types, examples and errata.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecFile {
    /// What the operation is and where it is documented.
    pub operation: OperationSpec,
    /// Path, query and header parameters, one entry per table row.
    #[serde(default)]
    pub parameters: Vec<FieldSpec>,
    /// Rules between parameters that the page states in prose, naming parameters by name.
    #[serde(default)]
    pub parameter_rules: Vec<RuleSpec>,
    /// How a list operation pages through its items.
    #[serde(default)]
    pub pagination: Option<PaginationSpec>,
    /// The request body and the types reachable from it.
    #[serde(default)]
    pub request: Option<BodySpec>,
    /// The response bodies per status and the types reachable from them.
    #[serde(default)]
    pub response: Option<ResponseSpec>,
    /// Example bodies copied from the page.
    #[serde(default)]
    pub examples: Vec<ExampleSpec>,
    /// Where the page contradicts itself or is silent, and what the spec decided.
    #[serde(default)]
    pub errata: Vec<ErratumSpec>,
}

/// The operation header of a spec file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationSpec {
    /// Operation id, snake_case, unique across all specs.
    pub id: String,
    /// The page title.
    pub title: String,
    /// The service the operation belongs to (`dcaas`, `vpc`, `vpn`).
    pub service: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Path template with `{name}` placeholders.
    pub path: String,
    /// The page the spec transcribes.
    pub source: SourceSpec,
    /// The page's function description.
    #[serde(default)]
    pub description: Option<String>,
    /// The cargo feature within the service that compiles the operation in (`vpn-v5`), when
    /// the service is split finer than one feature; `None`: the service's own feature.
    #[serde(default)]
    pub feature: Option<String>,
}

/// Provenance of an operation: the seed page.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// The page's file name under `seeds/`.
    pub page: String,
    /// Which cloud documents the page (`huawei`, `otc`).
    #[serde(default)]
    pub cloud: Option<String>,
}

/// A request body: the top-level type and the types of this direction.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodySpec {
    /// The type of the whole body, wrapper object included.
    pub body: String,
    /// Request types, one per table. Checked strictly.
    #[serde(default)]
    pub types: Vec<TypeSpec>,
}

/// Responses: one entry per documented status plus the types of this direction.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseSpec {
    /// Documented statuses.
    pub statuses: Vec<StatusSpec>,
    /// Response types, one per table. Read leniently.
    #[serde(default)]
    pub types: Vec<TypeSpec>,
}

/// One documented response status.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusSpec {
    /// The HTTP status code.
    pub status: u16,
    /// What the page says about it.
    #[serde(default)]
    pub description: Option<String>,
    /// The body type, if the status has a body.
    #[serde(default)]
    pub body: Option<String>,
}

/// A list operation's pages: where the items are, which parameters set the page size and
/// the marker, and where a page says the next marker.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginationSpec {
    /// Wire name of the array field of the 2xx body that holds the items.
    pub items: String,
    /// The query parameter setting the page size.
    pub limit: String,
    /// The query parameter taking the marker.
    pub marker: String,
    /// Marker style: dotted wire path to the next marker in the body
    /// (`page_info.next_marker`).
    #[serde(default)]
    pub next_marker: Option<String>,
    /// Neutron style: wire name of the `<resources>_links` array; the `next` link's `href`
    /// carries the marker.
    #[serde(default)]
    pub links: Option<String>,
}

/// A named object type: one table of the page.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeSpec {
    /// The type name, UpperCamelCase, unique within its direction in this file.
    pub name: String,
    /// The number of the table this type transcribes.
    pub table: u32,
    /// The table caption as printed, when it differs from `name`.
    #[serde(default)]
    pub title: Option<String>,
    /// What the table describes.
    #[serde(default)]
    pub description: Option<String>,
    /// The rows of the table.
    #[serde(default)]
    pub fields: Vec<FieldSpec>,
    /// Rules between fields that the page states in prose.
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
}

/// One table row: a field of an object, a parameter, or (as `items`) an array element.
///
/// One struct serves all three places so that the constraint keys are spelled once; `check`
/// rejects keys that make no sense where they appear (`in` on a body field, `required` on
/// array items).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// The wire name.
    #[serde(default)]
    pub name: Option<String>,
    /// An explicit Rust identifier, when the derived one is not wanted.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// Type expression: `string`, `integer`, `number`, `boolean`, `object`, `array<T>`,
    /// `map<T>` or a type name.
    #[serde(default, rename = "type")]
    pub ty: Option<String>,
    /// `ty` parsed, filled on first use by [`FieldSpec::type_expr`]. Specs are not changed
    /// after loading, so the cache cannot go stale; a field made with another `ty` starts
    /// from `FieldSpec::default()`, whose cache is empty.
    #[serde(skip)]
    pub(crate) parsed_ty: std::sync::OnceLock<Result<TypeExpr, String>>,
    /// Parameters only: where the parameter goes.
    #[serde(default, rename = "in")]
    pub location: Option<ParamLocation>,
    /// Parameters only: the number of the table listing the parameter.
    #[serde(default)]
    pub table: Option<u32>,
    /// Array query parameters only: how the values are written in the query.
    #[serde(default)]
    pub encoding: Option<QueryEncoding>,
    /// "Mandatory: Yes".
    #[serde(default)]
    pub required: Option<bool>,
    /// The field may be `null`.
    #[serde(default)]
    pub nullable: Option<bool>,
    /// The description cell, verbatim apart from markup.
    #[serde(default)]
    pub description: Option<String>,
    /// The documented default, used when the field is absent.
    #[serde(default)]
    pub default: Option<Value>,
    /// The page marks the field as deprecated.
    #[serde(default)]
    pub deprecated: Option<bool>,
    /// The value is a secret: never printed, masked in messages.
    #[serde(default)]
    pub sensitive: Option<bool>,
    /// A unit for numbers (`seconds`), shown in docs.
    #[serde(default)]
    pub unit: Option<String>,
    /// Errata that explain how this row was transcribed.
    #[serde(default)]
    pub errata: Vec<String>,
    /// Constraints on the value.
    #[serde(default)]
    pub min_length: Option<u64>,
    /// Maximum length in characters.
    #[serde(default)]
    pub max_length: Option<u64>,
    /// Smallest allowed number.
    #[serde(default)]
    pub minimum: Option<i64>,
    /// Largest allowed number.
    #[serde(default)]
    pub maximum: Option<i64>,
    /// The only allowed value ("can only be true").
    #[serde(default)]
    pub fixed: Option<Value>,
    /// The allowed values.
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<Value>>,
    /// How enum values compare.
    #[serde(default)]
    pub enum_case: Option<EnumCase>,
    /// Which characters may appear.
    #[serde(default)]
    pub charset: Option<CharsetSpec>,
    /// "At least N of these character classes".
    #[serde(default)]
    pub char_classes: Option<CharClassesSpec>,
    /// The value's format; with several, any one of them.
    #[serde(default)]
    pub format: Option<OneOrMany<Format>>,
    /// Exact prefix length of a CIDR or interface address.
    #[serde(default)]
    pub prefix_length: Option<u8>,
    /// The address must lie inside one of these blocks.
    #[serde(default)]
    pub within: Vec<String>,
    /// The address or block must not overlap any of these blocks.
    #[serde(default)]
    pub reserved: Vec<String>,
    /// The address must be a host address of its block (not network or broadcast).
    #[serde(default)]
    pub host_address: Option<bool>,
    /// Smallest number of array items.
    #[serde(default)]
    pub min_items: Option<u64>,
    /// Largest number of array items.
    #[serde(default)]
    pub max_items: Option<u64>,
    /// Array items must be distinct.
    #[serde(default)]
    pub unique_items: Option<bool>,
    /// Each named field of the item objects must be unique across the array.
    #[serde(default)]
    pub unique_by: Vec<String>,
    /// Constraints on each array (or map) element.
    #[serde(default)]
    pub items: Option<Box<FieldSpec>>,
    /// Shared types only: the operations (among the type's `printed_on`) whose pages list
    /// this row; empty means all of them.
    #[serde(default)]
    pub printed_on: Vec<String>,
}

/// How enum values are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnumCase {
    /// Values must match exactly (the default).
    Exact,
    /// Any casing is accepted; the listed casing is sent.
    Insensitive,
}

/// Which characters a string may contain.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CharsetSpec {
    /// Classes of allowed characters. With `allow` or `chars` set, nothing else is allowed.
    #[serde(default)]
    pub allow: Vec<CharClass>,
    /// Individual allowed characters.
    #[serde(default)]
    pub chars: Option<String>,
    /// Characters that may never appear.
    #[serde(default)]
    pub deny: Option<String>,
}

/// "Must contain at least N of the following character classes".
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CharClassesSpec {
    /// How many distinct classes must appear.
    pub at_least: u8,
    /// The classes that count.
    pub of: Vec<CharClass>,
    /// The page's list of special characters, when `special` is one of the classes.
    #[serde(default)]
    pub special: Option<String>,
}

/// One value or a list of values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneOrMany<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{self, IntoDeserializer, SeqAccess, Visitor};
        use std::marker::PhantomData;

        // A hand-written visitor rather than `#[serde(untagged)]`, so that a misspelt value
        // keeps serde's "unknown variant, expected one of" message and its location.
        struct OneOrManyVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrManyVisitor<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a name or a list of names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(|t| OneOrMany(vec![t]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(OneOrMany(items))
            }
        }
        deserializer.deserialize_any(OneOrManyVisitor(PhantomData))
    }
}

/// A rule between fields of one type, written in prose on the page.
///
/// Written as a mapping with exactly one key naming the rule (`- required_when: {...}`);
/// `check` rejects entries with none or several. A struct rather than a Rust enum because
/// serde_yaml spells enums as YAML tags (`!required_when`), which few people know to write.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// `field` must be set when the condition holds.
    #[serde(default)]
    pub required_when: Option<ConditionalRule>,
    /// `field` may be set only when the condition holds.
    #[serde(default)]
    pub only_when: Option<ConditionalRule>,
    /// The interface addresses in `fields` must lie in the same block.
    #[serde(default)]
    pub same_subnet: Option<SameSubnetRule>,
    /// A rule that depends on state the client cannot see; documented, not checked.
    #[serde(default)]
    pub server_side: Option<ServerSideRule>,
    /// `field` has one of these formats when the condition holds.
    #[serde(default)]
    pub format_when: Option<FormatWhenRule>,
}

/// A format that applies to a string field only under a condition on another field ("an
/// IPv4 address when `local_id_type` is `ip`").
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormatWhenRule {
    /// The string field the format applies to.
    pub field: String,
    /// One format or a list (any of), as in a field's `format`.
    pub format: OneOrMany<Format>,
    /// The condition, on a sibling field.
    #[serde(rename = "if")]
    pub condition: ConditionSpec,
    /// The page's sentence the rule comes from.
    #[serde(default)]
    pub text: Option<String>,
}

/// A rule about one field under a condition on another.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionalRule {
    /// The field the rule constrains.
    pub field: String,
    /// The condition, on a sibling field.
    #[serde(rename = "if")]
    pub condition: ConditionSpec,
    /// The page's sentence the rule comes from.
    #[serde(default)]
    pub text: Option<String>,
}

/// A condition on a sibling field's value (its default applies when it is unset).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionSpec {
    /// The sibling field.
    pub field: String,
    /// The value it must have.
    #[serde(default)]
    pub equals: Option<Value>,
    /// The values any of which it may have.
    #[serde(default)]
    pub one_of: Option<Vec<Value>>,
    /// `present: true`: the sibling field is set, whatever its value.
    #[serde(default)]
    pub present: Option<bool>,
}

/// Interface addresses that must share their block.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SameSubnetRule {
    /// The fields, at least two, holding interface addresses.
    pub fields: Vec<String>,
    /// The page's sentence the rule comes from.
    #[serde(default)]
    pub text: Option<String>,
}

/// A documented rule the client cannot check.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSideRule {
    /// The fields it concerns.
    pub fields: Vec<String>,
    /// The page's sentence, and what state it depends on.
    pub text: String,
}

/// An example body from the page.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    /// A snake_case name, unique in the file.
    pub name: String,
    /// The page's caption for the example.
    #[serde(default)]
    pub title: Option<String>,
    /// Whether it is a request, a response or an error body.
    pub direction: ExampleDirection,
    /// The response status: required for response examples, optional for error examples
    /// (pages often show an error body without its status).
    #[serde(default)]
    pub status: Option<u16>,
    /// The JSON body (fixed to valid JSON where the page's is not, with an erratum).
    /// Every example has a body except a request example given as a `url`.
    #[serde(default)]
    pub body: Option<String>,
    /// Request examples only, instead of `body`: the request line's path and query as the
    /// page prints them after the host (`/v5/{project_id}/vpn-connection?limit=10`).
    #[serde(default)]
    pub url: Option<String>,
    /// Errata that explain where the example deviates from the tables.
    #[serde(default)]
    pub errata: Vec<String>,
}

/// Where the page contradicts itself or is silent, and what the spec decided.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErratumSpec {
    /// A kebab-case id, unique in the file.
    pub id: String,
    /// Where on the page (table, row, example).
    #[serde(rename = "where")]
    pub place: String,
    /// What the page says.
    pub page_says: String,
    /// What the spec does.
    pub decision: String,
    /// Why.
    pub reason: String,
    /// JSON paths in examples (which list this erratum) where a deviation is expected.
    #[serde(default)]
    pub waives: Vec<String>,
}

/// The help for a YAML syntax error on line `line` (1-based) of `text` when the line holds
/// a flow list (`[...]`) with a bracket inside an item, such as `waives: [tags[0].key]`:
/// in a flow list YAML reads `[` and `]` as list syntax, so a JSON path with an index must
/// be quoted there (a block list, one `- item` per line, needs no quotes).
pub(crate) fn flow_list_help(text: &str, line: usize) -> Option<&'static str> {
    // The parser may report the error at the line after the list when it looked ahead.
    let lines: Vec<&str> = text.lines().collect();
    let candidates = [line.checked_sub(1), line.checked_sub(2)];
    candidates.into_iter().flatten().find_map(|i| {
        let value = lines.get(i)?.split_once(':')?.1.trim();
        let inner = value.strip_prefix('[')?;
        let first_item = inner.split(',').next().unwrap_or_default();
        (!first_item.trim_start().starts_with(['"', '\'']) && inner.contains('['))
            .then_some("quote list items that contain brackets, e.g. `waives: [\"tags[0].key\"]`, or write one `- tags[0].key` per line")
    })
}
