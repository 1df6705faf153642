//! Resource files: what several operations of one service share (`spec/README.md`,
//! "Resource files: shared types").
//!
//! A resource file lives at `spec/<service>/resources/<resource>.yaml`. It holds the types
//! printed on several pages, once, with the pages that print them, and the resource's
//! waiters. Like [`super::SpecFile`], the structs mirror the file one to one and reject
//! unknown keys; `check` interprets them.

use std::sync::OnceLock;

use serde::Deserialize;

use super::{Direction, ErratumSpec, FieldSpec, RuleSpec, TypeSpec};

/// The folder under a service's folder that holds its resource files.
pub const RESOURCES_DIR: &str = "resources";

/// One resource file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceFile {
    /// Which resource of which service the file describes.
    pub resource: ResourceHeader,
    /// The shared types, one per table design.
    #[serde(default)]
    pub types: Vec<SharedTypeSpec>,
    /// The statuses a caller can wait for.
    #[serde(default)]
    pub waiters: Vec<WaiterSpec>,
    /// Where the pages contradict one another or are silent, and what the spec decided.
    #[serde(default)]
    pub errata: Vec<ErratumSpec>,
}

/// The header of a resource file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceHeader {
    /// snake_case; equals the file name.
    pub name: String,
    /// The service; equals the service folder.
    pub service: String,
    /// What the resource is.
    #[serde(default)]
    pub description: Option<String>,
}

/// A type printed on several pages of one service.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedTypeSpec {
    /// The type name, UpperCamelCase, unique among the service's shared types.
    pub name: String,
    /// Whether requests or responses carry it.
    pub direction: Direction,
    /// Every page that prints the table (at least one).
    #[serde(default)]
    pub printed_on: Vec<PrintedOnSpec>,
    /// What the table describes.
    #[serde(default)]
    pub description: Option<String>,
    /// The rows, the union over the pages for a response type.
    #[serde(default)]
    pub fields: Vec<FieldSpec>,
    /// Rules between fields that the pages state in prose.
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
    /// The same type as an operation's [`TypeSpec`], built on first use, so that every
    /// check of a table's rows runs on shared types unchanged.
    #[serde(skip)]
    as_type: OnceLock<TypeSpec>,
}

impl SharedTypeSpec {
    /// The type as an operation's table: the name, fields and rules, with the table number
    /// of its first page (provenance beyond that is `printed_on`'s).
    pub fn as_type(&self) -> &TypeSpec {
        self.as_type.get_or_init(|| TypeSpec {
            name: self.name.clone(),
            // A missing or zero table is reported on `printed_on` itself, so the view
            // carries a valid number and the row checks do not report it again.
            table: self.printed_on.first().map_or(1, |p| p.table).max(1),
            title: None,
            description: self.description.clone(),
            fields: self.fields.clone(),
            rules: self.rules.clone(),
        })
    }
}

/// One page that prints a shared type.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintedOnSpec {
    /// The operation id of the page.
    pub operation: String,
    /// The table number on that page.
    pub table: u32,
    /// The caption as printed there, when it differs from the type's name.
    #[serde(default)]
    pub title: Option<String>,
}

/// A status to wait for, read by polling a show operation.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiterSpec {
    /// snake_case, unique in the file.
    pub name: String,
    /// The GET operation of the same service that reads the resource.
    pub operation: String,
    /// Dotted path of wire names from the operation's success body to the status field.
    pub status: String,
    /// Statuses that end the wait successfully.
    #[serde(default)]
    pub done: Vec<String>,
    /// Statuses that end the wait with an error naming them.
    #[serde(default)]
    pub failed: Vec<String>,
    /// Statuses that mean "still in progress".
    #[serde(default)]
    pub pending: Vec<String>,
    /// The wait is done when the operation answers 404.
    #[serde(default)]
    pub gone: bool,
    /// The page's words about the life cycle.
    #[serde(default)]
    pub text: Option<String>,
}
