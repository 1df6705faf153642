//! The resolved model every emitter reads.
//!
//! `lower` builds it from a checked spec set: type references become [`TypeId`]s, every
//! name is decided (by `naming`), inline enums become their own types, and integer widths
//! are chosen from the documented ranges. Emitters never look at the spec.

mod features;
mod lower;
mod vocab;

pub use features::{Gate, ServiceFeatures};
pub use lower::lower;
pub use vocab::{
    CharClass, Direction, ExampleDirection, Format, ParamLocation, QueryEncoding, service_title,
};

use serde_json::Value;

use crate::naming::RustName;

/// The whole API: operations and the types they use.
#[derive(Clone, Debug)]
pub struct Api {
    /// Operations sorted by service, then id.
    pub operations: Vec<Operation>,
    /// Every type; a [`TypeId`] indexes this list.
    pub types: Vec<TypeDef>,
    /// The services with shared types (resource files), sorted by name; a [`ServiceId`]
    /// indexes this list.
    pub shared: Vec<SharedTypes>,
    /// Every service's cargo features, sorted by service (see [`ServiceFeatures`]).
    pub features: Vec<ServiceFeatures>,
}

/// One service's shared types: the module `<service>::types`.
#[derive(Clone, Debug)]
pub struct SharedTypes {
    /// This entry's index.
    pub index: ServiceId,
    /// The service (`vpn`).
    pub service: String,
    /// Its types, structs sorted by name, then the enums they need (see [`TypeRange`]).
    pub types: TypeRange,
    /// The resource files they come from, relative to the spec root's parent.
    pub spec_files: Vec<String>,
    /// The waiters of its resource files: the module `<service>::waiters`.
    pub waiters: Vec<Waiter>,
    /// When the module `<service>::types` is compiled: when any of its types is.
    pub types_gate: Gate,
    /// When the module `<service>::waiters` is compiled: when any of its waiters is.
    pub waiters_gate: Gate,
}

/// Waiting for a resource's status by polling its show operation (a resource file's
/// `waiters:`).
#[derive(Clone, Debug)]
pub struct Waiter {
    /// The waiter's name (`active`).
    pub name: String,
    /// The resource's name (`vpn_connection`).
    pub resource: String,
    /// The marker type implementing `Waiter` (`VpnConnectionActive`).
    pub marker: RustName,
    /// The clients' method (`wait_until_vpn_connection_active`).
    pub method: RustName,
    /// The show operation polled.
    pub operation: OperationId,
    /// The status field: from the operation's first 2xx body type, the field at each step.
    pub status: Vec<FieldIndex>,
    /// The same path as written: dotted wire names.
    pub status_path: String,
    /// Statuses that end the wait with the resource.
    pub done: Vec<String>,
    /// Statuses that end the wait with an error naming them.
    pub failed: Vec<String>,
    /// Statuses the pages name as still in progress.
    pub pending: Vec<String>,
    /// The wait ends when the operation answers 404.
    pub gone: bool,
    /// The page's words about the life cycle.
    pub text: Option<String>,
    /// The resource file, relative to the spec root's parent.
    pub spec_file: String,
    /// When it is compiled: with the show operation it polls.
    pub gate: Gate,
}

/// Index of a service's shared types in [`Api::shared`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServiceId(pub usize);

/// Who defines a type, and so which module holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Owner {
    /// An operation's own table, in the operation's module.
    Operation(OperationId),
    /// A shared type of a resource file, in `<service>::types`.
    Shared(ServiceId),
}

impl Api {
    /// The type with id `id`.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// The types defined in operation `op`, in definition order.
    pub fn types_of(&self, op: OperationId) -> impl Iterator<Item = &TypeDef> {
        let range = &self.operations[op.0].types;
        self.types[range.start.0..range.end.0].iter()
    }

    /// The shared types of `service`, in definition order.
    pub fn shared_types(&self, service: ServiceId) -> impl Iterator<Item = &TypeDef> {
        let range = &self.shared[service.0].types;
        self.types[range.start.0..range.end.0].iter()
    }

    /// The cargo features of `service`; a service no operation or resource file has is
    /// one feature, named after it.
    pub fn features_of(&self, service: &str) -> ServiceFeatures {
        self.features
            .iter()
            .find(|f| f.service == service)
            .cloned()
            .unwrap_or_else(|| ServiceFeatures {
                service: service.to_owned(),
                sub_features: Vec::new(),
            })
    }

    /// The services, sorted, each with its operations.
    pub fn services(&self) -> Vec<(&str, Vec<&Operation>)> {
        let mut services: Vec<(&str, Vec<&Operation>)> = Vec::new();
        for op in &self.operations {
            match services.last_mut() {
                Some((name, ops)) if *name == op.service => ops.push(op),
                _ => services.push((op.service.as_str(), vec![op])),
            }
        }
        services
    }
}

/// Index of a type in [`Api::types`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// The types one operation (or one service's resource files) defines: the contiguous run
/// of [`Api::types`] from `start` up to (not including) `end`, as `lower` makes each
/// owner's types (structs, then the enums they need) before the next owner's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeRange {
    /// The operation's first type.
    pub start: TypeId,
    /// The first type after the operation's last one.
    pub end: TypeId,
}

impl TypeRange {
    /// Whether type `id` is one of the operation's.
    pub fn contains(&self, id: TypeId) -> bool {
        self.start <= id && id < self.end
    }
}

/// Index of a field in its struct's [`StructDef::fields`]: what cross-field rules and
/// `unique_by` name fields by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldIndex(pub usize);

impl std::ops::Index<FieldIndex> for [Field] {
    type Output = Field;

    fn index(&self, index: FieldIndex) -> &Field {
        &self[index.0]
    }
}

impl std::ops::Index<FieldIndex> for Vec<Field> {
    type Output = Field;

    fn index(&self, index: FieldIndex) -> &Field {
        &self[index.0]
    }
}

/// Index of a parameter in its operation's [`Operation::parameters`]: what a path
/// template's placeholders refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParamIndex(pub usize);

impl std::ops::Index<ParamIndex> for [Parameter] {
    type Output = Parameter;

    fn index(&self, index: ParamIndex) -> &Parameter {
        &self[index.0]
    }
}

impl std::ops::Index<ParamIndex> for Vec<Parameter> {
    type Output = Parameter;

    fn index(&self, index: ParamIndex) -> &Parameter {
        &self[index.0]
    }
}

/// Index of an operation in [`Api::operations`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OperationId(pub usize);

/// Where a type or operation was transcribed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provenance {
    /// The seed page file name.
    pub page: String,
    /// The table number, when the item is a table.
    pub table: Option<u32>,
    /// The spec file, relative to the spec root's parent (`spec/vpn/x.yaml`).
    pub spec_file: String,
    /// The cloud whose documentation the page is (`huawei`, `otc`), when the spec says.
    pub cloud: Option<String>,
}

/// One API operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// This operation's index.
    pub index: OperationId,
    /// Its types (see [`TypeRange`]).
    pub types: TypeRange,
    /// The snake_case id from the spec.
    pub id: String,
    /// The module name.
    pub module: RustName,
    /// The marker type implementing `Operation`.
    pub marker: RustName,
    /// The page title.
    pub title: String,
    /// The function description.
    pub description: Option<String>,
    /// `dcaas`, `vpc` or `vpn`.
    pub service: String,
    /// The cargo feature that compiles it in: the spec's `feature:` (a sub-feature of the
    /// service, such as `vpn-v5`), or else the service's own feature, named after it.
    pub feature: String,
    /// When its module is compiled within its service's module: when [`Operation::feature`]
    /// is on.
    pub gate: Gate,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template.
    pub path: PathTemplate,
    /// Path, query and header parameters.
    pub parameters: Vec<Parameter>,
    /// The name of the struct holding the parameters.
    pub parameters_type: RustName,
    /// Rules between the parameters the caller sets, naming them by index among those
    /// parameters (the fields of the parameters struct, in order).
    pub parameter_rules: Vec<Rule>,
    /// How a list operation pages through its items, if it does.
    pub pagination: Option<Pagination>,
    /// The request body type.
    pub request: Option<TypeId>,
    /// Documented responses.
    pub responses: Vec<Response>,
    /// Where it was transcribed from.
    pub provenance: Provenance,
    /// Example bodies.
    pub examples: Vec<Example>,
    /// Errata of the page.
    pub errata: Vec<Erratum>,
}

impl Operation {
    /// Statuses from 200 to 299.
    pub fn success_statuses(&self) -> impl Iterator<Item = &Response> {
        self.responses
            .iter()
            .filter(|r| (200..300).contains(&r.status))
    }
}

/// A path template split into literal text and parameter references.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathTemplate {
    /// The template as written.
    pub template: String,
    /// Its pieces in order.
    pub segments: Vec<PathSegment>,
}

/// A piece of a path template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    /// Literal text.
    Literal(String),
    /// The value of the parameter with this index in [`Operation::parameters`].
    Parameter(ParamIndex),
}

/// A path, query or header parameter.
#[derive(Clone, Debug)]
pub struct Parameter {
    /// Where it goes.
    pub location: ParamLocation,
    /// Who supplies the value.
    pub source: ParamSource,
    /// The field (wire name, Rust name, type, constraints).
    pub field: Field,
    /// The table that lists it.
    pub table: Option<u32>,
    /// How an array query parameter's values are written; `None` for every other parameter.
    pub encoding: Option<QueryEncoding>,
}

/// A list operation's pages, by position in the IR.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pagination {
    /// The 2xx body type.
    pub body: TypeId,
    /// The body's array field holding the items.
    pub items: FieldIndex,
    /// Where a page says where the next one starts.
    pub next: NextPage,
    /// The page size parameter (`limit`), an optional integer query parameter.
    pub limit: ParamIndex,
    /// The marker parameter, an optional string query parameter.
    pub marker: ParamIndex,
}

/// Where a page says where the next one starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextPage {
    /// `page_info.next_marker`: the fields from the body down to the string, each an index
    /// into the type the previous one holds.
    Marker(Vec<FieldIndex>),
    /// Neutron's `<resources>_links`: the body's array field of `{rel, href}` objects.
    Links(FieldIndex),
}

/// Who supplies a parameter's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamSource {
    /// The caller, through the operation's parameters struct.
    User,
    /// The client's configured project id (a path parameter named `project_id`).
    ProjectId,
    /// The client's token auth (the `X-Auth-Token` header).
    AuthToken,
}

/// A documented response.
#[derive(Clone, Debug)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// What the page says about it.
    pub description: Option<String>,
    /// The body type.
    pub body: Option<TypeId>,
}

/// An example body.
#[derive(Clone, Debug)]
pub struct Example {
    /// Name, unique per operation.
    pub name: String,
    /// The page's caption.
    pub title: Option<String>,
    /// Request, response or error.
    pub direction: ExampleDirection,
    /// Status of a response example, or of an error example when the page gives one.
    pub status: Option<u16>,
    /// The JSON body.
    pub body: String,
    /// Errata ids that explain its deviations.
    pub errata: Vec<String>,
}

/// An erratum.
#[derive(Clone, Debug)]
pub struct Erratum {
    /// Its id.
    pub id: String,
    /// Where on the page.
    pub place: String,
    /// What the page says.
    pub page_says: String,
    /// What the spec decided.
    pub decision: String,
    /// Why.
    pub reason: String,
    /// JSON paths where examples that list this erratum may deviate.
    pub waives: Vec<String>,
}

/// A named type.
#[derive(Clone, Debug)]
pub struct TypeDef {
    /// Its id.
    pub id: TypeId,
    /// The operation, or the service's resource files, that define it.
    pub owner: Owner,
    /// Request types are strict, response types lenient.
    pub direction: Direction,
    /// The Rust name, unique in its module.
    pub name: RustName,
    /// Description for docs.
    pub description: Option<String>,
    /// Where it was transcribed from.
    pub provenance: Provenance,
    /// A shared type's pages: every operation whose page prints the table (empty for an
    /// operation's own type, printed on its own page only).
    pub pages: Vec<PrintedOn>,
    /// Struct or enum.
    pub kind: TypeKind,
    /// A shared type's: when it is compiled within `<service>::types`, which is when any
    /// operation that reaches it is. An operation's own type is [`Gate::Service`], because
    /// its operation's module is gated already.
    pub gate: Gate,
}

/// One page that prints a shared type's table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintedOn {
    /// The operation id of the page.
    pub operation: String,
    /// The page file name.
    pub page: String,
    /// The table number there.
    pub table: u32,
    /// The caption as printed there, when it differs from the type's name.
    pub title: Option<String>,
}

/// The shape of a named type.
#[derive(Clone, Debug)]
pub enum TypeKind {
    /// An object with fields.
    Struct(StructDef),
    /// A string enum.
    Enum(EnumDef),
}

/// An object type.
#[derive(Clone, Debug)]
pub struct StructDef {
    /// The fields in table order.
    pub fields: Vec<Field>,
    /// Cross-field rules.
    pub rules: Vec<Rule>,
    /// Response types keep unknown keys in a map field with this name.
    pub extra: Option<RustName>,
    /// Request types hold the fields a page does not list, to be sent as given, in a
    /// private field with this name (the escape hatch).
    pub unlisted: Option<RustName>,
    /// The spec's table caption when it differs from the name.
    pub title: Option<String>,
    /// What its generated reader fills while it reads a body.
    pub slots: Slots,
}

/// What a struct's generated reader (`codec::Object`) fills while it reads a body, decided in
/// lowering from the fields' [`Presence`] and the struct's `extra` map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slots {
    /// The struct itself, starting from its default: every field is optional and unknown
    /// keys are kept ([`StructDef::extra`] is set), as in every response type.
    InPlace,
    /// A tuple with a slot per field: `Option<T>` for a field stored as `T`, which has no
    /// value to start from, and the field's own `Option` for the others (whether a
    /// mandatory one was present is the generic reader's business, not the slot's).
    Tuple,
}

/// A string enum, from a field's `enum` list.
#[derive(Clone, Debug)]
pub struct EnumDef {
    /// Known values.
    pub variants: Vec<Variant>,
    /// Response enums keep unknown values in this catch-all variant.
    pub unknown: Option<RustName>,
    /// Any casing is accepted on input.
    pub case_insensitive: bool,
    /// The field the enum was made for (`IkePolicy.dh_group`), for docs.
    pub origin: String,
}

/// One enum value.
#[derive(Clone, Debug)]
pub struct Variant {
    /// The Rust name.
    pub name: RustName,
    /// The value sent on the wire.
    pub wire: String,
}

/// A field of a struct or a parameter.
#[derive(Clone, Debug)]
pub struct Field {
    /// The name on the wire.
    pub wire: String,
    /// The Rust name.
    pub name: RustName,
    /// The value type.
    pub ty: TypeRef,
    /// Mandatory on the page (requests: must be set).
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
    /// How the field is held and read, decided once from the two above and the direction.
    pub presence: Presence,
    /// Description for docs.
    pub description: Option<String>,
    /// The documented default.
    pub default: Option<Value>,
    /// Deprecated on the page.
    pub deprecated: bool,
    /// A secret: never printed.
    pub sensitive: bool,
    /// Unit of a number.
    pub unit: Option<String>,
    /// Constraints on the value.
    pub constraints: Constraints,
    /// Constraints on each element of an array or map.
    pub items: Option<Box<Constraints>>,
    /// Ids of the errata that explain how this row was transcribed.
    pub errata: Vec<String>,
    /// A shared type's row: the operations whose pages list it, when not all of the type's
    /// pages do (empty: all of them).
    pub printed_on: Vec<String>,
}

/// How a field is held in its struct and read from the wire, decided once in lowering so
/// that every emitter (struct, reader, validators, boundary cases) agrees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// A mandatory request field that may not be `null`: stored as `T`, its key must be
    /// present.
    Plain,
    /// A mandatory request field that may be `null`: stored as `Option<T>`, its key must be
    /// present.
    MandatoryNullable,
    /// Any other field (every response field, read leniently): stored as `Option<T>`, its
    /// key may be absent.
    Optional,
}

impl Presence {
    /// The presence of a field of a `direction` type that is `required` and `nullable`.
    pub fn of(direction: Direction, required: bool, nullable: bool) -> Presence {
        match (direction, required, nullable) {
            (Direction::Request, true, false) => Presence::Plain,
            (Direction::Request, true, true) => Presence::MandatoryNullable,
            _ => Presence::Optional,
        }
    }

    /// Stored without `Option`.
    pub fn is_plain(self) -> bool {
        self == Presence::Plain
    }

    /// Its key must be present in a body.
    pub fn is_mandatory(self) -> bool {
        self != Presence::Optional
    }
}

/// A value type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeRef {
    /// A string.
    String,
    /// A secret string.
    Secret,
    /// An integer; always `i64` in Rust (spec/README.md, "Integers": values that meet, such as
    /// a page size and a count, must compare without casts).
    Integer,
    /// A floating-point number.
    Number,
    /// A boolean.
    Boolean,
    /// A free-form JSON object.
    Json,
    /// An array.
    Array(Box<TypeRef>),
    /// A string-keyed map.
    Map(Box<TypeRef>),
    /// A named type.
    Named(TypeId),
}

/// Every constraint a value can carry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// Minimum length in characters.
    pub min_length: Option<u64>,
    /// Maximum length in characters.
    pub max_length: Option<u64>,
    /// Smallest number.
    pub minimum: Option<i64>,
    /// Largest number.
    pub maximum: Option<i64>,
    /// The only allowed value.
    pub fixed: Option<Value>,
    /// Allowed characters.
    pub charset: Option<Charset>,
    /// "At least N classes".
    pub char_classes: Option<CharClasses>,
    /// Allowed formats (any of).
    pub formats: Vec<Format>,
    /// Exact prefix length.
    pub prefix_length: Option<u8>,
    /// Blocks the address must lie in.
    pub within: Vec<String>,
    /// Blocks the address must not overlap.
    pub reserved: Vec<String>,
    /// Not a network or broadcast address.
    pub host_address: bool,
    /// Smallest item count.
    pub min_items: Option<u64>,
    /// Largest item count.
    pub max_items: Option<u64>,
    /// Items are distinct.
    pub unique_items: bool,
    /// Fields of the item struct whose combination is unique across the array.
    pub unique_by: Vec<FieldIndex>,
    /// Allowed values of a number (string enums become enum types instead).
    pub enum_values: Vec<Value>,
}

/// Allowed characters of a string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Charset {
    /// Allowed classes.
    pub allow: Vec<CharClass>,
    /// Allowed extra characters.
    pub chars: String,
    /// Characters never allowed.
    pub deny: String,
}

/// "At least N of these classes".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CharClasses {
    /// N.
    pub at_least: u8,
    /// The classes.
    pub of: Vec<CharClass>,
    /// The page's special characters.
    pub special: String,
}

/// A cross-field rule (the spec's `rules:`), naming its struct's fields by [`FieldIndex`].
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    /// The field must be set when the condition holds.
    RequiredWhen {
        /// The constrained field.
        field: FieldIndex,
        /// The condition.
        condition: Condition,
        /// The page's sentence.
        text: Option<String>,
    },
    /// The field may be set only when the condition holds.
    OnlyWhen {
        /// The constrained field.
        field: FieldIndex,
        /// The condition.
        condition: Condition,
        /// The page's sentence.
        text: Option<String>,
    },
    /// The interface addresses lie in one block.
    SameSubnet {
        /// The fields.
        fields: Vec<FieldIndex>,
        /// The page's sentence.
        text: Option<String>,
    },
    /// The field has one of the formats when the condition holds.
    FormatWhen {
        /// The constrained string field.
        field: FieldIndex,
        /// The formats, any of which the value must have.
        formats: Vec<Format>,
        /// The condition.
        condition: Condition,
        /// The page's sentence.
        text: Option<String>,
    },
    /// Depends on state the client cannot see.
    ServerSide {
        /// The fields concerned.
        fields: Vec<FieldIndex>,
        /// The page's sentence.
        text: String,
    },
}

/// A condition on a sibling field.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The sibling field's index.
    pub field: FieldIndex,
    /// The values any of which make it hold; empty when `present` is.
    pub values: Vec<Value>,
    /// The condition holds when the sibling field is set, whatever its value
    /// (`present: true`).
    pub present: bool,
}
