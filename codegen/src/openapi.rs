//! IR → one OpenAPI 3.0.3 document for every operation.
//!
//! Another emitter over the same resolved model as the Rust one, so the document and the
//! generated crate describe the same API. It is built as `serde_json` values (never text),
//! and every map is a `serde_json::Map`, so the output is deterministic.
//!
//! What OpenAPI 3.0 says natively goes into its keywords: types, `required`, `nullable`,
//! `enum`, lengths, ranges, item counts, `uniqueItems`, `default`, `deprecated`, `format`,
//! and a `pattern` where a character set or a format can be written as an ECMA-262 regular
//! expression. What it cannot say goes into `x-netapi-*` extensions, so nothing of the IR is
//! lost:
//!
//! | extension | where | meaning |
//! | --- | --- | --- |
//! | `x-netapi-charset` | string | allowed classes and characters, denied characters (also a `pattern`) |
//! | `x-netapi-char-classes` | string | at least N of these character classes |
//! | `x-netapi-formats` | string | the spec's formats, any of (also `format` and `pattern` where possible) |
//! | `x-netapi-prefix-length`, `x-netapi-within`, `x-netapi-reserved`, `x-netapi-host-address` | address | address rules |
//! | `x-netapi-unique-by` | array | item fields unique across the array |
//! | `x-netapi-fixed` | any | the only allowed value (also `enum: [v]`; a number's full `enum` then moves to `x-netapi-enum`) |
//! | `x-netapi-enum-case` | enum | `insensitive`: any casing accepted, the listed one sent |
//! | `x-netapi-known-values` | response enum | documented values of an open enum |
//! | `x-netapi-rules` | object | cross-field rules |
//! | `x-netapi-parameter-rules` | operation | rules between parameters, naming them by wire name |
//! | `x-netapi-pagination` | list operation | `items`, `limit`, `marker`, and `next_marker` (dotted path) or `links` |
//! | `x-netapi-documented` | response | constraints the page documents but the lenient reader does not enforce |
//! | `x-netapi-sensitive` | any | a secret (strings also get `format: password`) |
//! | `x-netapi-unit` | number | the unit (`seconds`) |
//! | `x-netapi-variant-names`, `x-netapi-unknown-variant`, `x-netapi-origin` | enum | Rust variant names, the catch-all of an open enum, the field it was made for |
//! | `x-netapi-extra-field` | response object | the Rust field that keeps unknown keys |
//! | `x-netapi-rust-name`, `x-netapi-rust` | schema, property, operation | Rust names, where they differ from the wire |
//! | `x-netapi-operation`, `x-netapi-direction`, `x-netapi-service` | schema, operation | owner (an operation's type; a shared type's is its service), request or response, service |
//! | `x-netapi-waiters` | operation | the waiters that poll this (show) operation: name, resource, status path, done, failed, pending, gone, the page's words, Rust names |
//! | `x-netapi-printed-on` | shared schema | every page (operation, page file, table, caption) that prints the table; on a property, the operations whose pages list the row when not all do |
//! | `x-netapi-filled-by`, `x-netapi-table` | parameter | filled by the client (`project_id`, `auth_token`); its table |
//! | `x-netapi-provenance`, `x-netapi-errata` | anywhere | page, table, spec file, cloud; the page's errata, or the ids that explain a row or example |
//!
//! Requests are strict and responses lenient, as in the generated crate: request objects
//! have `additionalProperties: false`, closed enums and every constraint as a keyword;
//! response objects keep unknown keys (`additionalProperties: true`), accept `null` in
//! every property, list no `required` fields, read enums as open strings, and move the
//! documented constraints under `x-netapi-documented`.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value, json};

use crate::ir::{
    Api, CharClasses, Charset, Condition, Constraints, EnumDef, Erratum, Example, Field, NextPage,
    Operation, Owner, Pagination, ParamSource, Parameter, Provenance, QueryEncoding, Rule,
    StructDef, TypeDef, TypeId, TypeKind, TypeRef, Waiter,
};
use crate::ir::{CharClass, Direction, ExampleDirection, FieldIndex, Format, ParamLocation};
use netapi_runtime::text::{PORTUGUESE, SPANISH};

/// The OpenAPI version of the document.
pub const OPENAPI_VERSION: &str = "3.0.3";

/// Why a document cannot be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenApiError {
    /// Each problem, one sentence.
    pub problems: Vec<String>,
}

impl fmt::Display for OpenApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.problems {
            writeln!(f, "error: {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for OpenApiError {}

/// The OpenAPI document of every operation of `api`.
///
/// Fails only when OpenAPI cannot hold the API: two operations with the same method and
/// path (the spec format allows it, an OpenAPI path item has one operation per method).
pub fn openapi(api: &Api) -> Result<Value, OpenApiError> {
    let doc = Doc {
        api,
        names: schema_names(api),
    };
    let mut paths: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
    let mut problems = Vec::new();
    for op in &api.operations {
        let item = paths.entry(op.path.template.as_str()).or_default();
        let method = op.method.to_ascii_lowercase();
        if let Some(Value::Object(existing)) = item.get(&method) {
            problems.push(format!(
                "operations `{}` and `{}` are both `{} {}`; an OpenAPI path has one operation per method",
                existing["operationId"].as_str().unwrap_or_default(),
                op.id,
                op.method,
                op.path.template
            ));
            continue;
        }
        item.insert(method, Value::Object(doc.operation(op)));
    }
    if !problems.is_empty() {
        return Err(OpenApiError { problems });
    }
    let schemas: Map<String, Value> = api
        .types
        .iter()
        .map(|ty| (doc.names[ty.id.0].clone(), Value::Object(doc.type_def(ty))))
        .collect();
    let mut services: Vec<&str> = api.operations.iter().map(|o| o.service.as_str()).collect();
    services.dedup();
    Ok(json!({
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "netapi",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Networking APIs of Huawei Cloud and Open Telekom Cloud, exported by \
                netapi-codegen from the hand-transcribed documentation tables. Request schemas \
                are strict; response schemas are lenient (unknown keys kept, null accepted, \
                open enums). `x-netapi-*` extensions carry what OpenAPI cannot say.",
        },
        "tags": services.iter().map(|s| json!({"name": s})).collect::<Vec<_>>(),
        "paths": paths.into_iter().map(|(k, v)| (k.to_owned(), Value::Object(v))).collect::<Map<_, _>>(),
        "components": {"schemas": schemas},
    }))
}

/// The document as pretty-printed JSON with a final newline.
pub fn to_json(document: &Value) -> String {
    let mut text =
        serde_json::to_string_pretty(document).expect("bug: a serde_json::Value always serializes");
    text.push('\n');
    text
}

/// Component names, always qualified by the type's owner: `operation_id.Name` for an
/// operation's own type, `service.Name` for a shared type. A name depends on its owner
/// alone, never on which other names exist, so adding a spec never renames an existing
/// component (a name decided by collisions would). Operation ids are never service names
/// (a checked rule) and Rust names are unique per module, so no two types share a name.
fn schema_names(api: &Api) -> Vec<String> {
    api.types
        .iter()
        .map(|ty| format!("{}.{}", owner_name(api, ty.owner), ty.name.as_str()))
        .collect()
}

/// The operation id or service that owns a type.
fn owner_name(api: &Api, owner: Owner) -> &str {
    match owner {
        Owner::Operation(op) => &api.operations[op.0].id,
        Owner::Shared(service) => &api.shared[service.0].service,
    }
}

struct Doc<'a> {
    api: &'a Api,
    names: Vec<String>,
}

/// A waiter as `x-netapi-waiters` lists it on the operation it polls.
fn waiter(w: &Waiter) -> Value {
    let mut out = json!({
        "name": w.name,
        "resource": w.resource,
        "status": w.status_path,
        "done": w.done,
        "failed": w.failed,
        "pending": w.pending,
        "gone": w.gone,
        "x-netapi-rust": {"marker": w.marker.as_str(), "method": w.method.as_str()},
    });
    if let Some(text) = &w.text {
        out["description"] = json!(text);
    }
    out
}

/// Inserts `key: value` into a map literal-style.
fn set(map: &mut Map<String, Value>, key: &str, value: impl Into<Value>) {
    map.insert(key.to_owned(), value.into());
}

fn direction_name(direction: Direction) -> &'static str {
    match direction {
        Direction::Request => "request",
        Direction::Response => "response",
    }
}

fn format_name(format: Format) -> &'static str {
    Format::ALL
        .iter()
        .find(|(_, f)| *f == format)
        .map(|(name, _)| *name)
        .expect("bug: every format has a spec name")
}

fn class_name(class: CharClass) -> &'static str {
    CharClass::ALL
        .iter()
        .find(|(_, c)| *c == class)
        .map(|(name, _)| *name)
        .expect("bug: every class has a spec name")
}

fn provenance(p: &Provenance) -> Value {
    let mut out = Map::new();
    set(&mut out, "page", p.page.as_str());
    if let Some(table) = p.table {
        set(&mut out, "table", table);
    }
    set(&mut out, "spec_file", p.spec_file.as_str());
    if let Some(cloud) = &p.cloud {
        set(&mut out, "cloud", cloud.as_str());
    }
    Value::Object(out)
}

fn erratum(e: &Erratum) -> Value {
    let mut out = Map::new();
    set(&mut out, "id", e.id.as_str());
    set(&mut out, "where", e.place.as_str());
    set(&mut out, "page_says", e.page_says.as_str());
    set(&mut out, "decision", e.decision.as_str());
    set(&mut out, "reason", e.reason.as_str());
    if !e.waives.is_empty() {
        set(&mut out, "waives", e.waives.clone());
    }
    Value::Object(out)
}

/// An example object; the body is the parsed JSON (the checker proved it parses).
fn example(e: &Example) -> Value {
    let mut out = Map::new();
    if let Some(title) = &e.title {
        set(&mut out, "summary", title.as_str());
    }
    let value = serde_json::from_str(&e.body).unwrap_or_else(|_| Value::String(e.body.clone()));
    set(&mut out, "value", value);
    if !e.errata.is_empty() {
        set(&mut out, "x-netapi-errata", e.errata.clone());
    }
    Value::Object(out)
}

/// A schema that refers to a component and says more than the reference: OpenAPI 3.0
/// ignores siblings of `$ref`, so the reference moves into a one-element `allOf`.
fn wrap_ref(mut schema: Map<String, Value>) -> Map<String, Value> {
    if schema.len() > 1 {
        if let Some(reference) = schema.remove("$ref") {
            set(&mut schema, "allOf", vec![json!({ "$ref": reference })]);
        }
    }
    schema
}

impl Doc<'_> {
    fn reference(&self, id: TypeId) -> Map<String, Value> {
        let mut out = Map::new();
        set(
            &mut out,
            "$ref",
            format!("#/components/schemas/{}", self.names[id.0]),
        );
        out
    }

    fn operation(&self, op: &Operation) -> Map<String, Value> {
        let mut out = Map::new();
        set(&mut out, "operationId", op.id.as_str());
        set(&mut out, "summary", op.title.as_str());
        if let Some(description) = &op.description {
            set(&mut out, "description", description.as_str());
        }
        set(&mut out, "tags", vec![op.service.as_str()]);
        set(&mut out, "servers", servers(&op.service));
        let waiters: Vec<Value> = self
            .api
            .shared
            .iter()
            .flat_map(|s| &s.waiters)
            .filter(|w| w.operation == op.index)
            .map(waiter)
            .collect();
        if !waiters.is_empty() {
            set(&mut out, "x-netapi-waiters", waiters);
        }
        if !op.parameters.is_empty() {
            let parameters: Vec<Value> = op.parameters.iter().map(|p| self.parameter(p)).collect();
            set(&mut out, "parameters", parameters);
        }
        let examples = |direction: ExampleDirection, status: Option<u16>| -> Map<String, Value> {
            op.examples
                .iter()
                .filter(|e| e.direction == direction && e.status == status)
                .map(|e| (e.name.clone(), example(e)))
                .collect()
        };
        if let Some(body) = op.request {
            let mut media = Map::new();
            set(&mut media, "schema", self.reference(body));
            let examples = examples(ExampleDirection::Request, None);
            if !examples.is_empty() {
                set(&mut media, "examples", examples);
            }
            set(
                &mut out,
                "requestBody",
                json!({"required": true, "content": {"application/json": media}}),
            );
        }
        let mut responses = Map::new();
        for response in &op.responses {
            let mut r = Map::new();
            let description = response
                .description
                .clone()
                .unwrap_or_else(|| format!("HTTP {}", response.status));
            set(&mut r, "description", description);
            if let Some(body) = response.body {
                let mut media = Map::new();
                set(&mut media, "schema", self.reference(body));
                let examples = examples(ExampleDirection::Response, Some(response.status));
                if !examples.is_empty() {
                    set(&mut media, "examples", examples);
                }
                set(&mut r, "content", json!({ "application/json": media }));
            }
            responses.insert(response.status.to_string(), Value::Object(r));
        }
        // Error examples go under their status, or under `default` when the page gives
        // none; a status the spec does not document gets a response of its own, marked as
        // known only from the example.
        let mut errors: Vec<(String, &Example)> = op
            .examples
            .iter()
            .filter(|e| e.direction == ExampleDirection::Error)
            .map(|e| (e.status.map_or("default".to_owned(), |s| s.to_string()), e))
            .collect();
        errors.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, e) in errors {
            let response = responses.entry(key).or_insert_with(|| {
                json!({
                    "description": "An error, known from the page's example body.",
                    "x-netapi-from-example": true,
                })
            });
            let Value::Object(response) = response else {
                unreachable!("bug: responses are objects")
            };
            let content = response
                .entry("content")
                .or_insert_with(|| json!({"application/json": {}}));
            let media = &mut content["application/json"];
            if media.get("examples").is_none() {
                media["examples"] = json!({});
            }
            media["examples"][e.name.as_str()] = example(e);
        }
        set(&mut out, "responses", responses);
        set(&mut out, "x-netapi-service", op.service.as_str());
        set(&mut out, "x-netapi-provenance", provenance(&op.provenance));
        set(
            &mut out,
            "x-netapi-rust",
            json!({
                "module": op.module.to_string(),
                "operation": op.marker.to_string(),
                "parameters": op.parameters_type.to_string(),
            }),
        );
        if !op.errata.is_empty() {
            let errata: Vec<Value> = op.errata.iter().map(erratum).collect();
            set(&mut out, "x-netapi-errata", errata);
        }
        if let Some(p) = &op.pagination {
            set(&mut out, "x-netapi-pagination", self.pagination(op, p));
        }
        if !op.parameter_rules.is_empty() {
            // Rules name the parameters the caller sets, by their wire names.
            let callers: Vec<Field> = op
                .parameters
                .iter()
                .filter(|p| p.source == ParamSource::User)
                .map(|p| p.field.clone())
                .collect();
            let rules: Vec<Value> = op
                .parameter_rules
                .iter()
                .map(|r| rule(r, &callers))
                .collect();
            set(&mut out, "x-netapi-parameter-rules", rules);
        }
        out
    }

    /// A list operation's pagination, by wire names: the items field, the page size and
    /// marker parameters, and `next_marker` (a dotted path) or `links`.
    fn pagination(&self, op: &Operation, p: &Pagination) -> Value {
        let fields = |id: TypeId| match &self.api.ty(id).kind {
            TypeKind::Struct(def) => def.fields.clone(),
            TypeKind::Enum(_) => Vec::new(),
        };
        let body = fields(p.body);
        let mut out = Map::new();
        set(&mut out, "items", body[p.items.0].wire.as_str());
        set(
            &mut out,
            "limit",
            op.parameters[p.limit.0].field.wire.as_str(),
        );
        set(
            &mut out,
            "marker",
            op.parameters[p.marker.0].field.wire.as_str(),
        );
        match &p.next {
            NextPage::Marker(path) => {
                let mut names = Vec::new();
                let mut current = body;
                for index in path {
                    let f = current[index.0].clone();
                    names.push(f.wire.clone());
                    if let TypeRef::Named(id) = &f.ty {
                        current = fields(*id);
                    }
                }
                set(&mut out, "next_marker", names.join("."));
            }
            NextPage::Links(index) => set(&mut out, "links", body[index.0].wire.as_str()),
        }
        Value::Object(out)
    }

    fn parameter(&self, p: &Parameter) -> Value {
        let f = &p.field;
        let mut out = Map::new();
        set(&mut out, "name", f.wire.as_str());
        // The style is OpenAPI's default for the location, written out so that readers
        // which fill in defaults (openapiv3) give the same document back.
        let (location, style) = match p.location {
            ParamLocation::Path => ("path", "simple"),
            ParamLocation::Query => ("query", "form"),
            ParamLocation::Header => ("header", "simple"),
        };
        set(&mut out, "in", location);
        set(&mut out, "style", style);
        // `form` with `explode: true` is `?a=1&a=2`; with `explode: false`, `?a=1,2`.
        match p.encoding {
            Some(QueryEncoding::Repeated) => set(&mut out, "explode", true),
            Some(QueryEncoding::Comma) => set(&mut out, "explode", false),
            None => {}
        }
        if let Some(description) = &f.description {
            set(&mut out, "description", description.as_str());
        }
        if f.required {
            set(&mut out, "required", true);
        }
        if f.deprecated {
            set(&mut out, "deprecated", true);
        }
        // The schema carries the value's constraints and the field's other facts; the
        // description and deprecation live on the parameter, where OpenAPI reads them.
        let mut schema = self.field_schema(f, Direction::Request);
        schema.remove("description");
        schema.remove("deprecated");
        set(&mut out, "schema", schema);
        match p.source {
            ParamSource::User => {}
            ParamSource::ProjectId => set(&mut out, "x-netapi-filled-by", "project_id"),
            ParamSource::AuthToken => set(&mut out, "x-netapi-filled-by", "auth_token"),
        }
        if let Some(table) = p.table {
            set(&mut out, "x-netapi-table", table);
        }
        Value::Object(out)
    }

    fn type_def(&self, ty: &TypeDef) -> Map<String, Value> {
        let mut out = match &ty.kind {
            TypeKind::Struct(s) => self.struct_def(s, ty.direction),
            TypeKind::Enum(e) => enum_def(e, ty.direction),
        };
        if let Some(description) = &ty.description {
            set(&mut out, "description", description.as_str());
        }
        set(&mut out, "x-netapi-rust-name", ty.name.to_string());
        match ty.owner {
            Owner::Operation(op) => set(
                &mut out,
                "x-netapi-operation",
                self.api.operations[op.0].id.as_str(),
            ),
            Owner::Shared(service) => {
                set(
                    &mut out,
                    "x-netapi-service",
                    self.api.shared[service.0].service.as_str(),
                );
                let pages: Vec<Value> = ty
                    .pages
                    .iter()
                    .map(|p| {
                        let mut page = json!({
                            "operation": p.operation,
                            "page": p.page,
                            "table": p.table,
                        });
                        if let Some(title) = &p.title {
                            page["title"] = json!(title);
                        }
                        page
                    })
                    .collect();
                set(&mut out, "x-netapi-printed-on", pages);
            }
        }
        set(&mut out, "x-netapi-direction", direction_name(ty.direction));
        set(&mut out, "x-netapi-provenance", provenance(&ty.provenance));
        out
    }

    fn struct_def(&self, s: &StructDef, direction: Direction) -> Map<String, Value> {
        let mut out = Map::new();
        set(&mut out, "type", "object");
        if let Some(title) = &s.title {
            set(&mut out, "title", title.as_str());
        }
        let properties: Map<String, Value> = s
            .fields
            .iter()
            .map(|f| {
                (
                    f.wire.clone(),
                    Value::Object(self.field_schema(f, direction)),
                )
            })
            .collect();
        set(&mut out, "properties", properties);
        let required: Vec<&str> = s
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.wire.as_str())
            .collect();
        if !required.is_empty() {
            match direction {
                Direction::Request => set(&mut out, "required", required),
                // Every response field is optional to the lenient reader.
                Direction::Response => set(
                    &mut out,
                    "x-netapi-documented",
                    json!({ "required": required }),
                ),
            }
        }
        set(
            &mut out,
            "additionalProperties",
            direction == Direction::Response,
        );
        if let Some(extra) = &s.extra {
            set(&mut out, "x-netapi-extra-field", extra.to_string());
        }
        if !s.rules.is_empty() {
            let rules: Vec<Value> = s.rules.iter().map(|r| rule(r, &s.fields)).collect();
            set(&mut out, "x-netapi-rules", rules);
        }
        out
    }

    /// A property or parameter schema: the value's type and constraints, then the field's
    /// own facts.
    fn field_schema(&self, f: &Field, direction: Direction) -> Map<String, Value> {
        let mut out = self.value_schema(&f.ty, &f.constraints, f.items.as_deref(), direction);
        if let Some(description) = &f.description {
            set(&mut out, "description", description.as_str());
        }
        if let Some(default) = &f.default {
            set(&mut out, "default", default.clone());
        }
        if f.deprecated {
            set(&mut out, "deprecated", true);
        }
        if !f.printed_on.is_empty() {
            set(&mut out, "x-netapi-printed-on", f.printed_on.clone());
        }
        match direction {
            Direction::Request if f.nullable => set(&mut out, "nullable", true),
            Direction::Request => {}
            // The lenient reader takes `null` for every response field; what the page says
            // is kept with the other documented facts.
            Direction::Response => {
                set(&mut out, "nullable", true);
                if f.nullable {
                    documented(&mut out).insert("nullable".to_owned(), true.into());
                }
            }
        }
        if f.sensitive {
            set(&mut out, "x-netapi-sensitive", true);
        }
        if let Some(unit) = &f.unit {
            set(&mut out, "x-netapi-unit", unit.as_str());
        }
        if f.name.to_string() != f.wire {
            set(&mut out, "x-netapi-rust-name", f.name.to_string());
        }
        if !f.errata.is_empty() {
            set(&mut out, "x-netapi-errata", f.errata.clone());
        }
        wrap_ref(out)
    }

    /// The schema of a value of type `ty` with constraints `c`; `items` constrains the
    /// elements of an array or map.
    fn value_schema(
        &self,
        ty: &TypeRef,
        c: &Constraints,
        items: Option<&Constraints>,
        direction: Direction,
    ) -> Map<String, Value> {
        let element = |inner: &TypeRef| {
            let none = Constraints::default();
            let schema = self.value_schema(inner, items.unwrap_or(&none), None, direction);
            Value::Object(wrap_ref(schema))
        };
        let mut out = match ty {
            TypeRef::Named(id) => self.reference(*id),
            TypeRef::Array(inner) => {
                let mut out = Map::new();
                set(&mut out, "type", "array");
                set(&mut out, "items", element(inner));
                out
            }
            TypeRef::Map(inner) => {
                let mut out = Map::new();
                set(&mut out, "type", "object");
                set(&mut out, "additionalProperties", element(inner));
                out
            }
            scalar => {
                let mut out = Map::new();
                let (ty, format) = match scalar {
                    TypeRef::String => ("string", None),
                    TypeRef::Secret => ("string", Some("password")),
                    TypeRef::Integer => ("integer", Some("int64")),
                    TypeRef::Number => ("number", None),
                    TypeRef::Boolean => ("boolean", None),
                    TypeRef::Json => ("object", None),
                    TypeRef::Named(_) | TypeRef::Array(_) | TypeRef::Map(_) => {
                        unreachable!("bug: handled above")
                    }
                };
                set(&mut out, "type", ty);
                if let Some(format) = format {
                    set(&mut out, "format", format);
                }
                if matches!(scalar, TypeRef::Json) {
                    set(&mut out, "additionalProperties", true);
                }
                out
            }
        };
        self.constrain(&mut out, ty, c, direction);
        out
    }

    /// Adds the constraints `c` to `schema`: keywords where OpenAPI has them (under
    /// `x-netapi-documented` for responses), extensions where it has not.
    fn constrain(
        &self,
        schema: &mut Map<String, Value>,
        ty: &TypeRef,
        c: &Constraints,
        direction: Direction,
    ) {
        // Exhaustive on purpose: a new constraint does not compile until it is exported.
        let Constraints {
            min_length,
            max_length,
            minimum,
            maximum,
            fixed,
            charset,
            char_classes,
            formats,
            prefix_length,
            within,
            reserved,
            host_address,
            min_items,
            max_items,
            unique_items,
            unique_by,
            enum_values,
        } = c;
        // Each rule below adds its keywords and extensions in the order the document has
        // always listed them, so the export reads the same whatever the map's order.
        let mut out = Exported::default();
        out.bounds(*min_length, *max_length, *minimum, *maximum);
        out.values(enum_values, fixed.as_ref());
        out.charset(charset.as_ref());
        out.char_classes(char_classes.as_ref());
        // A secret is already `format: password`; its address format stays in the
        // extension and the pattern.
        out.formats(formats, *prefix_length, schema.contains_key("format"));
        out.pattern();
        out.addresses(*prefix_length, within, reserved, *host_address);
        out.items(*min_items, *max_items, *unique_items);
        if !unique_by.is_empty() {
            let names = self.unique_by_names(ty, unique_by);
            set(&mut out.extensions, "x-netapi-unique-by", names);
        }
        out.place(schema, direction);
    }

    /// The wire names of the item fields an array's `unique_by` lists.
    fn unique_by_names(&self, ty: &TypeRef, unique_by: &[crate::ir::FieldIndex]) -> Vec<&str> {
        let item_fields = match ty {
            TypeRef::Array(inner) => match inner.as_ref() {
                TypeRef::Named(id) => match &self.api.ty(*id).kind {
                    TypeKind::Struct(s) => Some(&s.fields),
                    TypeKind::Enum(_) => None,
                },
                _ => None,
            },
            _ => None,
        };
        let fields = item_fields.expect("bug: check puts unique_by on arrays of objects");
        unique_by.iter().map(|i| fields[*i].wire.as_str()).collect()
    }
}

/// What a schema's constraints export: OpenAPI keywords, `x-netapi-*` extensions, and the
/// regular expressions that become one `pattern`. One method per concern, each adding only
/// its own keys, so that a rule's export is read in one place.
#[derive(Default)]
struct Exported {
    keywords: Map<String, Value>,
    extensions: Map<String, Value>,
    /// Regexes without anchors, all of which must match.
    patterns: Vec<String>,
}

impl Exported {
    /// Lengths and numeric ranges: OpenAPI has keywords for all four.
    fn bounds(
        &mut self,
        min_length: Option<u64>,
        max_length: Option<u64>,
        minimum: Option<i64>,
        maximum: Option<i64>,
    ) {
        if let Some(n) = min_length {
            set(&mut self.keywords, "minLength", n);
        }
        if let Some(n) = max_length {
            set(&mut self.keywords, "maxLength", n);
        }
        if let Some(n) = minimum {
            set(&mut self.keywords, "minimum", n);
        }
        if let Some(n) = maximum {
            set(&mut self.keywords, "maximum", n);
        }
    }

    /// The allowed values. A fixed value is a one-value `enum`, which OpenAPI 3.0 can say
    /// (it has no `const`); the documented list it narrows is kept in an extension so that
    /// nothing the page says is lost.
    fn values(&mut self, enum_values: &[Value], fixed: Option<&Value>) {
        if !enum_values.is_empty() {
            set(&mut self.keywords, "enum", enum_values.to_vec());
        }
        if let Some(value) = fixed {
            if !enum_values.is_empty() {
                set(&mut self.extensions, "x-netapi-enum", enum_values.to_vec());
            }
            set(&mut self.keywords, "enum", vec![value.clone()]);
            set(&mut self.extensions, "x-netapi-fixed", value.clone());
        }
    }

    /// A character set: a pattern where a regex can state it, and always the extension,
    /// which says it by class names as the spec does.
    fn charset(&mut self, charset: Option<&Charset>) {
        let Some(cs) = charset else { return };
        if let Some(p) = charset_pattern(&cs.allow, &cs.chars, &cs.deny) {
            self.patterns.push(p);
        }
        let mut x = Map::new();
        if !cs.allow.is_empty() {
            let allow: Vec<&str> = cs.allow.iter().map(|k| class_name(*k)).collect();
            set(&mut x, "allow", allow);
        }
        if !cs.chars.is_empty() {
            set(&mut x, "chars", cs.chars.as_str());
        }
        if !cs.deny.is_empty() {
            set(&mut x, "deny", cs.deny.as_str());
        }
        set(&mut self.extensions, "x-netapi-charset", x);
    }

    /// "At least N classes of": no regex keyword says it readably, so an extension only.
    fn char_classes(&mut self, char_classes: Option<&CharClasses>) {
        let Some(cc) = char_classes else { return };
        let of: Vec<&str> = cc.of.iter().map(|k| class_name(*k)).collect();
        let mut x = Map::new();
        set(&mut x, "at_least", cc.at_least);
        set(&mut x, "of", of);
        if !cc.special.is_empty() {
            set(&mut x, "special", cc.special.as_str());
        }
        set(&mut self.extensions, "x-netapi-char-classes", x);
    }

    /// The formats: the `format` keyword for a single one (unless the schema has a format
    /// already), a pattern when a regex can state every one of them, and the extension.
    fn formats(&mut self, formats: &[Format], prefix_length: Option<u8>, has_format: bool) {
        if formats.is_empty() {
            return;
        }
        if let [single] = formats {
            if !has_format {
                set(
                    &mut self.keywords,
                    "format",
                    format_name(*single).replace('_', "-"),
                );
            }
        }
        let bodies: Option<Vec<String>> = formats
            .iter()
            .map(|f| format_pattern(*f, prefix_length))
            .collect();
        if let Some(bodies) = bodies {
            self.patterns.push(if bodies.len() == 1 {
                bodies.into_iter().next().unwrap_or_default()
            } else {
                format!("(?:{})", bodies.join("|"))
            });
        }
        let names: Vec<&str> = formats.iter().map(|f| format_name(*f)).collect();
        set(&mut self.extensions, "x-netapi-formats", names);
    }

    /// The one `pattern` keyword: OpenAPI allows one, so several patterns that must all
    /// match become lookaheads before the last.
    fn pattern(&mut self) {
        match self.patterns.as_slice() {
            [] => {}
            [one] => set(&mut self.keywords, "pattern", format!("^{one}$")),
            [first, rest @ ..] => {
                let lookaheads: String = rest.iter().map(|p| format!("(?={p}$)")).collect();
                set(
                    &mut self.keywords,
                    "pattern",
                    format!("^{lookaheads}{first}$"),
                );
            }
        }
    }

    /// Address rules: OpenAPI has no words for them, so extensions only.
    fn addresses(
        &mut self,
        prefix_length: Option<u8>,
        within: &[String],
        reserved: &[String],
        host_address: bool,
    ) {
        if let Some(n) = prefix_length {
            set(&mut self.extensions, "x-netapi-prefix-length", n);
        }
        if !within.is_empty() {
            set(&mut self.extensions, "x-netapi-within", within.to_vec());
        }
        if !reserved.is_empty() {
            set(&mut self.extensions, "x-netapi-reserved", reserved.to_vec());
        }
        if host_address {
            set(&mut self.extensions, "x-netapi-host-address", true);
        }
    }

    /// Array sizes and uniqueness of whole items: OpenAPI keywords.
    fn items(&mut self, min_items: Option<u64>, max_items: Option<u64>, unique_items: bool) {
        if let Some(n) = min_items {
            set(&mut self.keywords, "minItems", n);
        }
        if let Some(n) = max_items {
            set(&mut self.keywords, "maxItems", n);
        }
        if unique_items {
            set(&mut self.keywords, "uniqueItems", true);
        }
    }

    /// Puts the export into `schema`. Requests are strict: the keywords apply. Responses
    /// are read leniently, as the crate reads them, so their keywords are only documented
    /// (under `x-netapi-documented`) and a validator built from the document does not
    /// refuse what the client accepts.
    fn place(self, schema: &mut Map<String, Value>, direction: Direction) {
        match direction {
            Direction::Request => schema.extend(self.keywords),
            Direction::Response if self.keywords.is_empty() => {}
            Direction::Response => documented(schema).extend(self.keywords),
        }
        schema.extend(self.extensions);
    }
}

/// The `x-netapi-documented` object of a response schema, created on first use.
fn documented(schema: &mut Map<String, Value>) -> &mut Map<String, Value> {
    let entry = schema
        .entry("x-netapi-documented")
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    match entry {
        Value::Object(map) => map,
        _ => unreachable!("bug: made an object above"),
    }
}

fn enum_def(e: &EnumDef, direction: Direction) -> Map<String, Value> {
    let EnumDef {
        variants,
        unknown,
        case_insensitive,
        origin,
    } = e;
    let mut out = Map::new();
    set(&mut out, "type", "string");
    let values: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    match direction {
        Direction::Request => set(&mut out, "enum", values),
        // An open enum: a new server value must not break a client.
        Direction::Response => set(&mut out, "x-netapi-known-values", values),
    }
    let names: Vec<String> = variants.iter().map(|v| v.name.to_string()).collect();
    set(&mut out, "x-netapi-variant-names", names);
    if let Some(unknown) = unknown {
        set(&mut out, "x-netapi-unknown-variant", unknown.to_string());
    }
    if *case_insensitive {
        set(&mut out, "x-netapi-enum-case", "insensitive");
    }
    set(&mut out, "x-netapi-origin", origin.as_str());
    out
}

fn rule(r: &Rule, fields: &[Field]) -> Value {
    let wire = |i: &FieldIndex| fields[*i].wire.as_str();
    let mut out = Map::new();
    let text = match r {
        Rule::RequiredWhen {
            field,
            condition,
            text,
        }
        | Rule::OnlyWhen {
            field,
            condition,
            text,
        } => {
            let kind = if matches!(r, Rule::RequiredWhen { .. }) {
                "required_when"
            } else {
                "only_when"
            };
            set(&mut out, "rule", kind);
            set(&mut out, "field", wire(field));
            set(&mut out, "if", condition_json(condition, &wire));
            text.as_deref()
        }
        Rule::FormatWhen {
            field,
            formats,
            condition,
            text,
        } => {
            set(&mut out, "rule", "format_when");
            set(&mut out, "field", wire(field));
            let names: Vec<&str> = formats.iter().map(|f| format_name(*f)).collect();
            set(&mut out, "format", names);
            set(&mut out, "if", condition_json(condition, &wire));
            text.as_deref()
        }
        Rule::SameSubnet { fields: f, text } => {
            set(&mut out, "rule", "same_subnet");
            set(&mut out, "fields", f.iter().map(wire).collect::<Vec<_>>());
            text.as_deref()
        }
        Rule::ServerSide { fields: f, text } => {
            set(&mut out, "rule", "server_side");
            set(&mut out, "fields", f.iter().map(wire).collect::<Vec<_>>());
            Some(text.as_str())
        }
    };
    if let Some(text) = text {
        set(&mut out, "text", text);
    }
    Value::Object(out)
}

/// A rule's condition: `{field, present: true}` or `{field, one_of: [...]}`.
fn condition_json<'f>(condition: &Condition, wire: &impl Fn(&FieldIndex) -> &'f str) -> Value {
    if condition.present {
        json!({"field": wire(&condition.field), "present": true})
    } else {
        json!({"field": wire(&condition.field), "one_of": condition.values})
    }
}

/// The documented endpoints of a service, with the region as a variable.
fn servers(service: &str) -> Value {
    json!([
        {
            "url": format!("https://{service}.{{region}}.myhuaweicloud.com"),
            "description": "Huawei Cloud",
            "variables": {"region": {"default": "ap-southeast-1"}},
        },
        {
            "url": format!("https://{service}.{{region}}.otc.t-systems.com"),
            "description": "Open Telekom Cloud",
            "variables": {"region": {"default": "eu-de"}},
        },
    ])
}

/// One character escaped for a regex character class: the class's own metacharacters and
/// the ones that could start an escape, and control characters as `\uXXXX`.
fn class_char(c: char, out: &mut String) {
    match c {
        '\\' | ']' | '[' | '^' | '-' => {
            out.push('\\');
            out.push(c);
        }
        c if c.is_control() && (c as u32) <= 0xFFFF => {
            out.push_str(&format!("\\u{:04X}", c as u32));
        }
        c => out.push(c),
    }
}

/// The body (unanchored) of a regex for a character set: `[allowed]*`, `[^denied]*`, or
/// allowed minus denied with a lookahead. `None` when it allows everything.
fn charset_pattern(allow: &[CharClass], chars: &str, deny: &str) -> Option<String> {
    let mut allowed = String::new();
    for class in allow {
        match class {
            CharClass::Digit => allowed.push_str("0-9"),
            CharClass::Upper => allowed.push_str("A-Z"),
            CharClass::Lower => allowed.push_str("a-z"),
            CharClass::Letter => allowed.push_str("A-Za-z"),
            CharClass::Space => allowed.push(' '),
            CharClass::Spanish => SPANISH.chars().for_each(|c| class_char(c, &mut allowed)),
            CharClass::Portuguese => PORTUGUESE.chars().for_each(|c| class_char(c, &mut allowed)),
            // In a charset, `special` means the charset's own `chars`, added below.
            CharClass::Special => {}
        }
    }
    chars.chars().for_each(|c| class_char(c, &mut allowed));
    let mut denied = String::new();
    deny.chars().for_each(|c| class_char(c, &mut denied));
    let restricted = !allow.is_empty() || !chars.is_empty();
    match (restricted, denied.is_empty()) {
        (false, true) => None,
        (false, false) => Some(format!("[^{denied}]*")),
        (true, true) => Some(format!("[{allowed}]*")),
        (true, false) => Some(format!("(?:(?![{denied}])[{allowed}])*")),
    }
}

/// A regex body for one format, exact where a regex can be (UUID, hex, IPv4 addresses and
/// prefixes as Rust parses them); `None` for IPv6, whose grammar makes a regex unreadable.
/// CIDR patterns cannot see host bits; `x-netapi-formats` carries the full meaning.
fn format_pattern(format: Format, prefix_length: Option<u8>) -> Option<String> {
    const OCTET: &str = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    let ipv4 = format!("{OCTET}(?:\\.{OCTET}){{3}}");
    // netapi reads a prefix of one to three digits, leading zeros allowed, up to 32.
    let prefix = match prefix_length {
        Some(n) if n <= 32 => {
            let digits = n.to_string();
            match 3 - digits.len() {
                0 => digits,
                1 => format!("0?{digits}"),
                k => format!("0{{0,{k}}}{digits}"),
            }
        }
        _ => "(?:0?0?[0-9]|0?[12][0-9]|0?3[0-2])".to_owned(),
    };
    Some(match format {
        Format::Uuid => {
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}".to_owned()
        }
        Format::Hex => "[0-9a-fA-F]+".to_owned(),
        Format::Ipv4 => ipv4,
        Format::Ipv4Cidr | Format::Ipv4Interface => format!("{ipv4}/{prefix}"),
        Format::Ipv6
        | Format::Ip
        | Format::Ipv6Cidr
        | Format::Cidr
        | Format::Ipv6Interface
        | Format::IpInterface => return None,
        Format::DateTime | Format::DateTimeNoZone | Format::DateTimeSpace => {
            // The calendar (days per month, leap years) is beyond a readable regex: the
            // pattern states the shape and ranges, `x-netapi-formats` the whole rule.
            let (separator, zone) = match format {
                Format::DateTime => ("T", "Z"),
                Format::DateTimeNoZone => ("T", ""),
                _ => (" ", ""),
            };
            format!(
                "[0-9]{{4}}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]){separator}(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\\.[0-9]{{1,9}})?{zone}"
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_patterns() {
        assert_eq!(charset_pattern(&[], "", ""), None);
        assert_eq!(
            charset_pattern(&[CharClass::Digit, CharClass::Letter], "_-.", "").as_deref(),
            Some("[0-9A-Za-z_\\-.]*")
        );
        assert_eq!(charset_pattern(&[], "", "<>").as_deref(), Some("[^<>]*"));
        assert_eq!(
            charset_pattern(&[CharClass::Lower], "]^\\", "q").as_deref(),
            Some("(?:(?![q])[a-z\\]\\^\\\\])*")
        );
    }

    #[test]
    fn date_time_patterns_state_the_shape() {
        let utc = format_pattern(Format::DateTime, None).unwrap_or_default();
        assert_eq!(
            utc,
            "[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\\.[0-9]{1,9})?Z"
        );
        let space = format_pattern(Format::DateTimeSpace, None).unwrap_or_default();
        assert!(
            space.contains("3[01]) (?:") && space.ends_with(")?"),
            "{space}"
        );
    }

    #[test]
    fn format_patterns() {
        assert_eq!(format_pattern(Format::Ipv6, None), None);
        let cidr = format_pattern(Format::Ipv4Cidr, Some(30)).unwrap_or_default();
        assert!(cidr.ends_with("/0?30"), "{cidr}");
        let cidr = format_pattern(Format::Ipv4Cidr, Some(8)).unwrap_or_default();
        assert!(cidr.ends_with("/0{0,2}8"), "{cidr}");
    }
}
