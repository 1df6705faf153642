//! The OpenAPI export: a reviewed snapshot, determinism, a round trip through an
//! independent OpenAPI model (`openapiv3`), and a walk over the IR that finds every fact of
//! every operation, type, field and constraint in the document.

use std::collections::{BTreeMap, BTreeSet};

use netapi_codegen::Config;
use netapi_codegen::ir::{
    Api, Constraints, EnumDef, Erratum, Example, Field, Operation, Owner, ParamSource, Parameter,
    Provenance, Response, Rule, StructDef, TypeDef, TypeKind, TypeRef,
};
use netapi_codegen::openapi::{openapi, to_json};
use netapi_codegen::spec::{Direction, ExampleDirection, ParamLocation, QueryEncoding};
use serde_json::{Value, json};

/// The real specs, and a fixture that adds every constraint kind and flag they leave out.
const SPEC_SETS: &[&str] = &["spec", "tests/fixtures/openapi/spec"];

fn export(dir: &str) -> (Api, Value) {
    let api = Config::new(dir).lower().unwrap_or_else(|e| panic!("{e}"));
    let doc = openapi(&api).unwrap_or_else(|e| panic!("{e}"));
    (api, doc)
}

#[test]
fn documents_match_reviewed_snapshots() {
    for (dir, name) in SPEC_SETS.iter().zip(["spec", "fixture"]) {
        let (_, doc) = export(dir);
        insta::with_settings!({ snapshot_suffix => name, prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!("openapi", to_json(&doc));
        });
    }
}

/// Adding a spec never renames an existing component: each spec set is copied, exported,
/// given one more operation (a copy of its first operation under a new id and path, so
/// every one of its type names is taken twice), and exported again. Every component of the
/// first export is in the second under the same name with the same schema. (When names
/// were decided by collisions, the copy renamed every type of the file it copied.)
#[test]
fn adding_a_spec_never_renames_a_component() {
    for dir in SPEC_SETS {
        let work = tempfile::tempdir().unwrap();
        let copy = work.path().join("spec");
        netapi_tests::copy_dir(std::path::Path::new(dir), &copy);
        let (_, before) = export(copy.to_str().unwrap());
        let (set, diagnostics) = netapi_codegen::spec::load_dir(&copy, 1);
        assert!(diagnostics.is_empty(), "{diagnostics}");
        let first = set.files.first().expect("a spec set has an operation");
        let op = &first.spec.operation;
        let (id, path) = (op.id.clone(), op.path.clone());
        let text = first
            .text
            .replacen(&format!("id: {id}"), &format!("id: {id}_again"), 1)
            .replacen(&format!("path: {path}"), &format!("path: {path}/again"), 1);
        let added = first.path.with_file_name(format!("{id}_again.yaml"));
        std::fs::write(&added, text).unwrap();
        let (_, after) = export(copy.to_str().unwrap());
        let (before, after) = (
            before["components"]["schemas"].as_object().unwrap(),
            after["components"]["schemas"].as_object().unwrap(),
        );
        assert!(
            after.len() > before.len(),
            "{dir}: the copy adds components"
        );
        for (name, schema) in before {
            assert_eq!(
                after.get(name),
                Some(schema),
                "{dir}: component `{name}` was renamed or changed by adding `{id}_again`"
            );
        }
    }
}

/// Adding a resource file whose shared type has enum fields of the same wire names as the
/// service's existing shared enums (and sorts before them) renames no component: a shared
/// enum's name is its own type's, never first-come over the service.
#[test]
fn adding_a_resource_file_never_renames_a_component() {
    let mut probed = 0;
    for dir in SPEC_SETS {
        let work = tempfile::tempdir().unwrap();
        let copy = work.path().join("spec");
        netapi_tests::copy_dir(std::path::Path::new(dir), &copy);
        let (_, before) = export(copy.to_str().unwrap());
        let (set, diagnostics) = netapi_codegen::spec::load_dir(&copy, 1);
        assert!(diagnostics.is_empty(), "{diagnostics}");
        // The enum fields of each service's shared types, by wire name.
        let mut enums: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for resource in &set.resources {
            let service = &resource.spec.resource.service;
            for ty in &resource.spec.types {
                for field in &ty.as_type().fields {
                    if let (Some(name), Some(_)) = (&field.name, &field.enum_values) {
                        enums
                            .entry(service.clone())
                            .or_default()
                            .insert(name.clone());
                    }
                }
            }
        }
        for (service, names) in &enums {
            let folder = copy.join(service);
            let fields: String = names
                .iter()
                .map(|n| format!("      - {{name: {n}, type: string, enum: [PROBE_VALUE]}}\n"))
                .collect();
            std::fs::write(
                folder.join("resources/aaa_probe.yaml"),
                format!(
                    "resource:\n  name: aaa_probe\n  service: {service}\n\ntypes:\n  - name: AaaProbe\n    direction: response\n    printed_on:\n      - {{operation: aaa_probe_show_{service}, table: 2}}\n    fields:\n{fields}"
                ),
            )
            .unwrap();
            std::fs::write(
                folder.join(format!("aaa_probe_show_{service}.yaml")),
                format!(
                    "operation:\n  id: aaa_probe_show_{service}\n  title: Querying a Probe\n  service: {service}\n  method: GET\n  path: /v1/{service}/aaa-probes\n  source:\n    page: 999_probe.txt\n\nresponse:\n  statuses:\n    - status: 200\n      description: OK\n      body: ShowProbeBody\n  types:\n    - name: ShowProbeBody\n      table: 1\n      fields:\n        - {{name: probe, type: AaaProbe}}\n"
                ),
            )
            .unwrap();
            probed += 1;
        }
        let (_, after) = export(copy.to_str().unwrap());
        let (before, after) = (
            before["components"]["schemas"].as_object().unwrap(),
            after["components"]["schemas"].as_object().unwrap(),
        );
        for (name, schema) in before {
            assert_eq!(
                after.get(name),
                Some(schema),
                "{dir}: component `{name}` was renamed or changed by adding a resource file"
            );
        }
    }
    assert!(probed > 0, "some spec set has a shared enum to probe");
}

#[test]
fn export_is_deterministic() {
    let (_, first) = export("spec");
    let (_, second) = export("spec");
    assert_eq!(to_json(&first), to_json(&second));
}

/// `openapiv3` models OpenAPI 3.0 with typed fields and keeps `x-` extensions: the document
/// must parse into it, and serializing the model must give the document back unchanged, so
/// no keyword is misspelt, misplaced or of the wrong type.
#[test]
fn round_trips_through_openapiv3() {
    // The generator fixtures too: error examples under `default`, date-time formats.
    let fixtures: Vec<String> = netapi_tests::fixture_cases("tests/fixtures/generate")
        .into_iter()
        .map(|case| format!("tests/fixtures/generate/{case}/spec"))
        .collect();
    for dir in SPEC_SETS
        .iter()
        .copied()
        .chain(fixtures.iter().map(String::as_str))
    {
        let (_, doc) = export(dir);
        let parsed: openapiv3::OpenAPI =
            serde_json::from_value(doc.clone()).unwrap_or_else(|e| panic!("{dir}: {e}"));
        let again = serde_json::to_value(&parsed).expect("serializes");
        let reparsed: openapiv3::OpenAPI =
            serde_json::from_value(again.clone()).expect("parses again");
        assert_eq!(parsed, reparsed, "{dir}");
        let mut differences = Vec::new();
        diff(&doc, &again, "", &mut differences);
        assert!(
            differences.is_empty(),
            "{dir}: the typed model changed the document:\n{}",
            differences.join("\n")
        );
    }
}

/// The JSON pointers where `a` and `b` differ, with both values.
fn diff(a: &Value, b: &Value, at: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for key in keys {
                let null = Value::Null;
                let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                diff(
                    x.get(key).unwrap_or(&null),
                    y.get(key).unwrap_or(&null),
                    &here,
                    out,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                diff(x, y, &format!("{at}/{i}"), out);
            }
        }
        // JSON numbers compare by value: openapiv3 reads `minimum` of a number as `f64`.
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => {}
        (a, b) if a != b => out.push(format!("{at}: {a} became {b}")),
        _ => {}
    }
}

#[test]
fn constraints_survive_the_typed_model() {
    use openapiv3::{ReferenceOr, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};
    let (_, doc) = export("spec");
    let parsed: openapiv3::OpenAPI = serde_json::from_value(doc).expect("parses");
    let schemas = &parsed.components.as_ref().expect("components").schemas;
    // The document names a table's schema `Name`, or `create_vpn_connection.Name` once
    // another operation has a table of that name (a copied spec, a second VPN page), so the
    // lookup accepts both and the test survives adding an endpoint.
    let schema = |name: &str| match schemas
        .get(&format!("create_vpn_connection.{name}"))
        .or_else(|| schemas.get(name))
        .unwrap_or_else(|| panic!("no schema {name} of create_vpn_connection"))
    {
        ReferenceOr::Item(schema) => schema.clone(),
        ReferenceOr::Reference { reference } => panic!("{name} is a reference to {reference}"),
    };
    let property = |owner: &str, name: &str| match &schema(owner).schema_kind {
        SchemaKind::Type(Type::Object(object)) => match &object.properties[name] {
            ReferenceOr::Item(schema) => (**schema).clone(),
            ReferenceOr::Reference { reference } => panic!("{reference}"),
        },
        other => panic!("{owner}: {other:?}"),
    };

    let content = "CreateVpnConnectionRequestBodyContent";
    let SchemaKind::Type(Type::Object(object)) = &schema(content).schema_kind else {
        panic!("{content} is not an object");
    };
    assert_eq!(object.required, ["vgw_id", "vgw_ip", "cgw_id"]);
    assert_eq!(
        object.additional_properties,
        Some(openapiv3::AdditionalProperties::Any(false))
    );
    let name = property(content, "name");
    let SchemaKind::Type(Type::String(name_type)) = &name.schema_kind else {
        panic!("name: {name:?}");
    };
    assert_eq!(
        (name_type.min_length, name_type.max_length),
        (Some(1), Some(64))
    );
    assert_eq!(name_type.pattern.as_deref(), Some("^[0-9A-Za-z_\\-.]*$"));

    let psk = property(content, "psk");
    let SchemaKind::Type(Type::String(psk_type)) = &psk.schema_kind else {
        panic!("psk: {psk:?}");
    };
    assert_eq!(
        psk_type.format,
        VariantOrUnknownOrEmpty::Item(StringFormat::Password)
    );
    assert_eq!(
        psk.schema_data.extensions["x-netapi-sensitive"],
        json!(true)
    );
    assert_eq!(
        psk.schema_data.extensions["x-netapi-char-classes"]["at_least"],
        json!(3)
    );

    let tunnel = property(content, "tunnel_local_address");
    let x = &tunnel.schema_data.extensions;
    assert_eq!(x["x-netapi-prefix-length"], json!(30));
    assert_eq!(x["x-netapi-within"], json!(["169.254.0.0/16"]));
    assert_eq!(x["x-netapi-reserved"], json!(["169.254.195.0/24"]));
    assert_eq!(x["x-netapi-host-address"], json!(true));
    assert_eq!(
        schema(content).schema_data.extensions["x-netapi-rules"][3]["rule"],
        json!("same_subnet")
    );

    let SchemaKind::Type(Type::String(style)) = &schema("Style").schema_kind else {
        panic!("Style");
    };
    assert_eq!(
        style.enumeration,
        [
            Some("static".to_owned()),
            Some("policy".to_owned()),
            Some("bgp".to_owned())
        ]
    );
    // Response enums are open: the documented values are known, not enforced.
    // The response's style is the shared connection type's (spec/vpn/resources/), found by
    // its origin rather than by a name the naming rules choose.
    let response_style = schemas
        .values()
        .filter_map(|s| s.as_item())
        .find(|s| {
            s.schema_data.extensions.get("x-netapi-origin")
                == Some(&json!("ResponseVpnConnection.style"))
        })
        .expect("the shared connection's style enum");
    let SchemaKind::Type(Type::String(open)) = &response_style.schema_kind else {
        panic!("ResponseVpnConnection.style");
    };
    assert!(open.enumeration.is_empty());
    assert_eq!(
        response_style.schema_data.extensions["x-netapi-known-values"],
        json!(["POLICY", "STATIC", "BGP"])
    );

    let operation = parsed.paths.paths["/v5/{project_id}/vpn-connection"]
        .as_item()
        .and_then(|item| item.post.as_ref())
        .expect("POST /v5/{project_id}/vpn-connection");
    assert_eq!(
        operation.operation_id.as_deref(),
        Some("create_vpn_connection")
    );
}

#[test]
fn same_method_and_path_twice_is_an_error_not_a_lost_operation() {
    let mut api = Config::new("spec").lower().expect("specs");
    let mut twin = api.operations[0].clone();
    twin.id = "twin".to_owned();
    api.operations.push(twin);
    let error = openapi(&api).expect_err("two operations on one method and path");
    assert_eq!(error.problems.len(), 1);
    assert!(error.problems[0].contains("`twin`"), "{error}");
}

// ---- Every fact of the IR is in the document ----------------------------------------

/// What the walk saw and what it missed.
#[derive(Default)]
struct Audit {
    /// Kinds of facts found in the inputs, so the walk is known to have tested each.
    seen: BTreeSet<&'static str>,
    missing: Vec<String>,
}

impl Audit {
    /// A fact that is present in the IR must be `expected` at `key` of `schema` (or, for a
    /// response, of its `x-netapi-documented`).
    fn expect(
        &mut self,
        kind: &'static str,
        present: bool,
        schema: &Value,
        key: &str,
        expected: Option<Value>,
        at: &str,
    ) {
        if !present {
            return;
        }
        self.seen.insert(kind);
        let found = schema
            .get(key)
            .or_else(|| schema.get("x-netapi-documented")?.get(key));
        match (found, expected) {
            (None, _) => self.missing.push(format!("{at}: {kind}: no `{key}`")),
            (Some(found), Some(expected)) if *found != expected => self.missing.push(format!(
                "{at}: {kind}: `{key}` is {found}, expected {expected}"
            )),
            _ => {}
        }
    }
}

struct Walk<'a> {
    api: &'a Api,
    doc: &'a Value,
    /// Component schemas by (operation id, Rust name), and their names.
    by_type: BTreeMap<(String, String), (String, &'a Value)>,
    audit: Audit,
}

impl<'a> Walk<'a> {
    fn new(api: &'a Api, doc: &'a Value) -> Self {
        let mut by_type = BTreeMap::new();
        for (name, schema) in doc["components"]["schemas"].as_object().expect("schemas") {
            // An operation's type names its operation, a shared type its service.
            let key = (
                schema["x-netapi-operation"]
                    .as_str()
                    .or_else(|| schema["x-netapi-service"].as_str())
                    .unwrap_or("")
                    .to_owned(),
                schema["x-netapi-rust-name"]
                    .as_str()
                    .unwrap_or("")
                    .to_owned(),
            );
            by_type.insert(key, (name.clone(), schema));
        }
        Walk {
            api,
            doc,
            by_type,
            audit: Audit::default(),
        }
    }

    fn component(&self, ty: &TypeDef) -> Option<&(String, &'a Value)> {
        self.by_type
            .get(&(self.owner(ty.owner).to_owned(), ty.name.to_string()))
    }

    fn owner(&self, owner: Owner) -> &str {
        match owner {
            Owner::Operation(op) => &self.api.operations[op.0].id,
            Owner::Shared(service) => &self.api.shared[service.0].service,
        }
    }

    fn reference(&self, ty: &TypeDef) -> Value {
        let (name, _) = self.component(ty).expect("component");
        json!(format!("#/components/schemas/{name}"))
    }

    fn provenance(&mut self, p: &Provenance, schema: &Value, at: &str) {
        let Provenance {
            page,
            table,
            spec_file,
            cloud,
        } = p;
        let x = &schema["x-netapi-provenance"];
        let a = &mut self.audit;
        a.expect("provenance.page", true, x, "page", Some(json!(page)), at);
        a.expect(
            "provenance.table",
            table.is_some(),
            x,
            "table",
            Some(json!(table)),
            at,
        );
        a.expect(
            "provenance.spec_file",
            true,
            x,
            "spec_file",
            Some(json!(spec_file)),
            at,
        );
        a.expect(
            "provenance.cloud",
            cloud.is_some(),
            x,
            "cloud",
            Some(json!(cloud)),
            at,
        );
    }

    fn operation(&mut self, op: &Operation) {
        let Operation {
            // Positions in the IR: the document orders operations by path and names types.
            index: _,
            types: _,
            id,
            module,
            marker,
            title,
            description,
            service,
            method,
            path,
            parameters,
            parameters_type,
            request,
            responses,
            provenance,
            examples,
            errata,
            parameter_rules,
            pagination,
            // Which cargo feature compiles the operation's module in: a fact of the Rust
            // crate's build, not of the API.
            feature: _,
            gate: _,
        } = op;
        let doc = self.doc;
        let at = format!("operation {id}");
        let o = &doc["paths"][&path.template][method.to_ascii_lowercase()];
        let a = &mut self.audit;
        a.expect("operation.id", true, o, "operationId", Some(json!(id)), &at);
        a.expect(
            "operation.title",
            true,
            o,
            "summary",
            Some(json!(title)),
            &at,
        );
        let d = description.as_deref();
        a.expect(
            "operation.description",
            d.is_some(),
            o,
            "description",
            Some(json!(d)),
            &at,
        );
        a.expect(
            "operation.service",
            true,
            o,
            "tags",
            Some(json!([service])),
            &at,
        );
        let rust = json!({
            "module": module.to_string(),
            "operation": marker.to_string(),
            "parameters": parameters_type.to_string(),
        });
        a.expect(
            "operation.rust_names",
            true,
            o,
            "x-netapi-rust",
            Some(rust),
            &at,
        );
        let kinds: Vec<&str> = parameter_rules.iter().map(rule_kind).collect();
        if !kinds.is_empty() {
            self.audit.seen.insert("operation.parameter_rules");
        }
        let exported: Vec<&str> = o["x-netapi-parameter-rules"]
            .as_array()
            .map(|rules| rules.iter().filter_map(|r| r["rule"].as_str()).collect())
            .unwrap_or_default();
        if exported != kinds {
            self.audit.missing.push(format!(
                "{at}: parameter rules {exported:?}, expected {kinds:?}"
            ));
        }
        if let Some(p) = pagination {
            // The export names the items field and the parameters by their wire names.
            let body = match &self.api.ty(p.body).kind {
                TypeKind::Struct(def) => def.fields.clone(),
                TypeKind::Enum(_) => Vec::new(),
            };
            let x = &o["x-netapi-pagination"];
            let a = &mut self.audit;
            a.expect(
                "operation.pagination",
                true,
                x,
                "items",
                Some(json!(body[p.items.0].wire)),
                &at,
            );
            a.expect(
                "operation.pagination",
                true,
                x,
                "limit",
                Some(json!(parameters[p.limit.0].field.wire)),
                &at,
            );
            a.expect(
                "operation.pagination",
                true,
                x,
                "marker",
                Some(json!(parameters[p.marker.0].field.wire)),
                &at,
            );
            let style = match &p.next {
                netapi_codegen::ir::NextPage::Marker(_) => "next_marker",
                netapi_codegen::ir::NextPage::Links(_) => "links",
            };
            a.expect("operation.pagination", true, x, style, None, &at);
        } else if !o["x-netapi-pagination"].is_null() {
            self.audit
                .missing
                .push(format!("{at}: pagination exported but not in the IR"));
        }
        self.provenance(provenance, o, &at);
        for (i, p) in parameters.iter().enumerate() {
            self.parameter(p, &o["parameters"][i], &format!("{at} parameter {i}"));
        }
        if let Some(body) = request {
            let expected = self.reference(self.api.ty(*body));
            let media = &o["requestBody"]["content"]["application/json"];
            self.audit.expect(
                "operation.request",
                true,
                media,
                "schema",
                Some(json!({"$ref": expected})),
                &at,
            );
        }
        for Response {
            status,
            description,
            body,
        } in responses
        {
            let r = &o["responses"][status.to_string()];
            let at = format!("{at} response {status}");
            let d = description.as_deref();
            self.audit.expect(
                "response.description",
                d.is_some(),
                r,
                "description",
                Some(json!(d)),
                &at,
            );
            if let Some(body) = body {
                let expected = self.reference(self.api.ty(*body));
                let media = &r["content"]["application/json"];
                self.audit.expect(
                    "response.body",
                    true,
                    media,
                    "schema",
                    Some(json!({"$ref": expected})),
                    &at,
                );
            }
        }
        for e in examples {
            let Example {
                name,
                title,
                direction,
                status,
                body,
                errata,
            } = e;
            let media = match (direction, status) {
                (ExampleDirection::Request, _) => &o["requestBody"]["content"]["application/json"],
                (ExampleDirection::Response | ExampleDirection::Error, Some(s)) => {
                    &o["responses"][s.to_string()]["content"]["application/json"]
                }
                (ExampleDirection::Error, None) => {
                    &o["responses"]["default"]["content"]["application/json"]
                }
                (ExampleDirection::Response, None) => panic!("a response example has a status"),
            };
            let x = &media["examples"][name];
            let at = format!("{at} example {name}");
            let a = &mut self.audit;
            let body: Value = serde_json::from_str(body).expect("examples are JSON");
            a.expect("example.body", true, x, "value", Some(body), &at);
            let t = title.as_deref();
            a.expect(
                "example.title",
                t.is_some(),
                x,
                "summary",
                Some(json!(t)),
                &at,
            );
            a.expect(
                "example.errata",
                !errata.is_empty(),
                x,
                "x-netapi-errata",
                Some(json!(errata)),
                &at,
            );
        }
        for (i, e) in errata.iter().enumerate() {
            let Erratum {
                id,
                place,
                page_says,
                decision,
                reason,
                waives,
            } = e;
            let x = &o["x-netapi-errata"][i];
            let at = format!("{at} erratum {id}");
            let a = &mut self.audit;
            a.expect("erratum.id", true, x, "id", Some(json!(id)), &at);
            a.expect("erratum.where", true, x, "where", Some(json!(place)), &at);
            a.expect(
                "erratum.page_says",
                true,
                x,
                "page_says",
                Some(json!(page_says)),
                &at,
            );
            a.expect(
                "erratum.decision",
                true,
                x,
                "decision",
                Some(json!(decision)),
                &at,
            );
            a.expect(
                "erratum.reason",
                true,
                x,
                "reason",
                Some(json!(reason)),
                &at,
            );
            a.expect(
                "erratum.waives",
                !waives.is_empty(),
                x,
                "waives",
                Some(json!(waives)),
                &at,
            );
        }
    }

    fn parameter(&mut self, p: &Parameter, x: &Value, at: &str) {
        let Parameter {
            location,
            source,
            field,
            table,
            encoding,
        } = p;
        let a = &mut self.audit;
        // `form` with `explode: true` is `?a=1&a=2`, with `explode: false` `?a=1,2`.
        let explode = encoding.map(|e| e == QueryEncoding::Repeated);
        a.expect(
            "parameter.encoding",
            explode.is_some(),
            x,
            "explode",
            Some(json!(explode)),
            at,
        );
        let location = match location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        };
        a.expect(
            "parameter.location",
            true,
            x,
            "in",
            Some(json!(location)),
            at,
        );
        a.expect(
            "parameter.name",
            true,
            x,
            "name",
            Some(json!(field.wire)),
            at,
        );
        let filled_by = match source {
            ParamSource::User => None,
            ParamSource::ProjectId => Some("project_id"),
            ParamSource::AuthToken => Some("auth_token"),
        };
        a.expect(
            "parameter.source",
            filled_by.is_some(),
            x,
            "x-netapi-filled-by",
            Some(json!(filled_by)),
            at,
        );
        a.expect(
            "parameter.table",
            table.is_some(),
            x,
            "x-netapi-table",
            Some(json!(table)),
            at,
        );
        // Description, deprecation and requiredness live on the parameter object.
        let d = field.description.as_deref();
        a.expect(
            "field.description",
            d.is_some(),
            x,
            "description",
            Some(json!(d)),
            at,
        );
        a.expect(
            "field.deprecated",
            field.deprecated,
            x,
            "deprecated",
            Some(json!(true)),
            at,
        );
        a.expect(
            "field.required",
            field.required,
            x,
            "required",
            Some(json!(true)),
            at,
        );
        let field = Field {
            description: None,
            deprecated: false,
            required: false,
            ..field.clone()
        };
        self.field(&field, &x["schema"], Direction::Request, at);
    }

    fn type_def(&mut self, ty: &TypeDef) {
        let TypeDef {
            id: _,
            owner,
            direction,
            name,
            description,
            provenance,
            pages,
            kind,
            // When the Rust type is compiled: the crate's build, not the API.
            gate: _,
        } = ty;
        let at = format!("type {name} of {}", self.owner(*owner));
        let Some((_, schema)) = self.component(ty).cloned() else {
            self.audit.missing.push(format!("{at}: no component"));
            return;
        };
        let a = &mut self.audit;
        let printed: Vec<Value> = pages
            .iter()
            .map(|p| {
                let mut page = json!({"operation": p.operation, "page": p.page, "table": p.table});
                if let Some(title) = &p.title {
                    page["title"] = json!(title);
                }
                page
            })
            .collect();
        a.expect(
            "type.pages",
            !pages.is_empty(),
            schema,
            "x-netapi-printed-on",
            Some(json!(printed)),
            &at,
        );
        let d = description.as_deref();
        a.expect(
            "type.description",
            d.is_some(),
            schema,
            "description",
            Some(json!(d)),
            &at,
        );
        let dir = match direction {
            Direction::Request => "request",
            Direction::Response => "response",
        };
        a.expect(
            "type.direction",
            true,
            schema,
            "x-netapi-direction",
            Some(json!(dir)),
            &at,
        );
        self.provenance(provenance, schema, &at);
        match kind {
            TypeKind::Struct(s) => self.struct_def(s, *direction, schema, &at),
            TypeKind::Enum(e) => self.enum_def(e, *direction, schema, &at),
        }
    }

    fn struct_def(&mut self, s: &StructDef, direction: Direction, schema: &Value, at: &str) {
        let StructDef {
            fields,
            rules,
            extra,
            // The escape hatch is the client's, not the API's: request schemas stay strict.
            unlisted: _,
            // How the generated reader fills the struct: machinery, not the API.
            slots: _,
            title,
        } = s;
        let a = &mut self.audit;
        let open = direction == Direction::Response;
        a.expect(
            "struct.strictness",
            true,
            schema,
            "additionalProperties",
            Some(json!(open)),
            at,
        );
        let t = title.as_deref();
        a.expect(
            "struct.title",
            t.is_some(),
            schema,
            "title",
            Some(json!(t)),
            at,
        );
        let e = extra.as_ref().map(ToString::to_string);
        a.expect(
            "struct.extra",
            e.is_some(),
            schema,
            "x-netapi-extra-field",
            Some(json!(e)),
            at,
        );
        let kinds: Vec<&str> = rules.iter().map(rule_kind).collect();
        for kind in &kinds {
            a.seen.insert(match *kind {
                "format_when" => "rule.format_when",
                "required_when" => "rule.required_when",
                "only_when" => "rule.only_when",
                "same_subnet" => "rule.same_subnet",
                _ => "rule.server_side",
            });
        }
        let exported: Vec<&str> = schema["x-netapi-rules"]
            .as_array()
            .map(|rules| rules.iter().filter_map(|r| r["rule"].as_str()).collect())
            .unwrap_or_default();
        if exported != kinds {
            a.missing
                .push(format!("{at}: rules {exported:?}, expected {kinds:?}"));
        }
        let required: Vec<&str> = fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.wire.as_str())
            .collect();
        a.expect(
            "field.required",
            !required.is_empty(),
            schema,
            "required",
            Some(json!(required)),
            at,
        );
        for f in fields {
            let property = &schema["properties"][&f.wire];
            if property.is_null() {
                self.audit
                    .missing
                    .push(format!("{at}: no property `{}`", f.wire));
                continue;
            }
            self.field(f, property, direction, &format!("{at}.{}", f.wire));
        }
    }

    fn enum_def(&mut self, e: &EnumDef, direction: Direction, schema: &Value, at: &str) {
        let EnumDef {
            variants,
            unknown,
            case_insensitive,
            origin,
        } = e;
        let a = &mut self.audit;
        let values: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
        let names: Vec<String> = variants.iter().map(|v| v.name.to_string()).collect();
        let key = match direction {
            Direction::Request => "enum",
            Direction::Response => "x-netapi-known-values",
        };
        a.expect("enum.values", true, schema, key, Some(json!(values)), at);
        a.expect(
            "enum.variant_names",
            true,
            schema,
            "x-netapi-variant-names",
            Some(json!(names)),
            at,
        );
        let u = unknown.as_ref().map(ToString::to_string);
        a.expect(
            "enum.unknown",
            u.is_some(),
            schema,
            "x-netapi-unknown-variant",
            Some(json!(u)),
            at,
        );
        a.expect(
            "enum.case_insensitive",
            *case_insensitive,
            schema,
            "x-netapi-enum-case",
            Some(json!("insensitive")),
            at,
        );
        a.expect(
            "enum.origin",
            true,
            schema,
            "x-netapi-origin",
            Some(json!(origin)),
            at,
        );
        if direction == Direction::Response && schema.get("enum").is_some() {
            a.missing.push(format!("{at}: a response enum is closed"));
        }
    }

    fn field(&mut self, f: &Field, schema: &Value, direction: Direction, at: &str) {
        let Field {
            wire,
            name,
            ty,
            required: _, // on the owner: checked by `struct_def` and `parameter`
            nullable,
            presence: _, // derived from the direction, `required` and `nullable`
            description,
            default,
            deprecated,
            sensitive,
            unit,
            constraints,
            items,
            errata,
            printed_on,
        } = f;
        let a = &mut self.audit;
        a.expect(
            "field.printed_on",
            !printed_on.is_empty(),
            schema,
            "x-netapi-printed-on",
            Some(json!(printed_on)),
            at,
        );
        let rust = name.to_string();
        a.expect(
            "field.rust_name",
            rust != *wire,
            schema,
            "x-netapi-rust-name",
            Some(json!(rust)),
            at,
        );
        let d = description.as_deref();
        a.expect(
            "field.description",
            d.is_some(),
            schema,
            "description",
            Some(json!(d)),
            at,
        );
        a.expect(
            "field.default",
            default.is_some(),
            schema,
            "default",
            default.clone(),
            at,
        );
        a.expect(
            "field.deprecated",
            *deprecated,
            schema,
            "deprecated",
            Some(json!(true)),
            at,
        );
        a.expect(
            "field.sensitive",
            *sensitive,
            schema,
            "x-netapi-sensitive",
            Some(json!(true)),
            at,
        );
        a.expect(
            "field.unit",
            unit.is_some(),
            schema,
            "x-netapi-unit",
            Some(json!(unit)),
            at,
        );
        a.expect(
            "field.errata",
            !errata.is_empty(),
            schema,
            "x-netapi-errata",
            Some(json!(errata)),
            at,
        );
        a.expect(
            "field.nullable",
            *nullable,
            schema,
            "nullable",
            Some(json!(true)),
            at,
        );
        if direction == Direction::Response {
            a.expect(
                "response.null_accepted",
                true,
                schema,
                "nullable",
                Some(json!(true)),
                at,
            );
            let documented = schema["x-netapi-documented"]["nullable"] == json!(true);
            if documented != *nullable {
                a.missing
                    .push(format!("{at}: documented nullable is {documented}"));
            }
        }
        self.value(ty, schema, at);
        self.constraints(constraints, ty, schema, at);
        if let Some(items) = items {
            let element = match ty {
                TypeRef::Array(_) => &schema["items"],
                _ => &schema["additionalProperties"],
            };
            self.constraints(items, ty, element, &format!("{at}[items]"));
        }
    }

    /// The schema has the value's type (behind `allOf` when it refers to a component).
    fn value(&mut self, ty: &TypeRef, schema: &Value, at: &str) {
        let a = &mut self.audit;
        let reference = schema
            .get("$ref")
            .or_else(|| schema.get("allOf")?.get(0)?.get("$ref"));
        match ty {
            TypeRef::Named(id) => {
                let expected = self.reference(self.api.ty(*id));
                self.audit.seen.insert("type.named");
                if reference != Some(&expected) {
                    self.audit.missing.push(format!(
                        "{at}: refers to {reference:?}, expected {expected}"
                    ));
                }
            }
            TypeRef::String => a.expect(
                "type.string",
                true,
                schema,
                "type",
                Some(json!("string")),
                at,
            ),
            TypeRef::Secret => a.expect(
                "type.secret",
                true,
                schema,
                "format",
                Some(json!("password")),
                at,
            ),
            TypeRef::Integer => a.expect(
                "type.integer",
                true,
                schema,
                "type",
                Some(json!("integer")),
                at,
            ),
            TypeRef::Number => a.expect(
                "type.number",
                true,
                schema,
                "type",
                Some(json!("number")),
                at,
            ),
            TypeRef::Boolean => a.expect(
                "type.boolean",
                true,
                schema,
                "type",
                Some(json!("boolean")),
                at,
            ),
            TypeRef::Json => a.expect("type.json", true, schema, "type", Some(json!("object")), at),
            TypeRef::Array(inner) => {
                a.expect("type.array", true, schema, "type", Some(json!("array")), at);
                self.value(inner, &schema["items"], &format!("{at}[items]"));
            }
            TypeRef::Map(inner) => {
                a.expect("type.map", true, schema, "type", Some(json!("object")), at);
                self.value(
                    inner,
                    &schema["additionalProperties"],
                    &format!("{at}[values]"),
                );
            }
        }
    }

    fn constraints(&mut self, c: &Constraints, ty: &TypeRef, schema: &Value, at: &str) {
        // Exhaustive on purpose: a new constraint kind fails to compile here until the test
        // (and so the export) covers it.
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
        let a = &mut self.audit;
        a.expect(
            "min_length",
            min_length.is_some(),
            schema,
            "minLength",
            Some(json!(min_length)),
            at,
        );
        a.expect(
            "max_length",
            max_length.is_some(),
            schema,
            "maxLength",
            Some(json!(max_length)),
            at,
        );
        a.expect(
            "minimum",
            minimum.is_some(),
            schema,
            "minimum",
            Some(json!(minimum)),
            at,
        );
        a.expect(
            "maximum",
            maximum.is_some(),
            schema,
            "maximum",
            Some(json!(maximum)),
            at,
        );
        a.expect(
            "fixed",
            fixed.is_some(),
            schema,
            "x-netapi-fixed",
            fixed.clone(),
            at,
        );
        a.expect(
            "fixed",
            fixed.is_some(),
            schema,
            "enum",
            Some(json!([fixed])),
            at,
        );
        a.expect(
            "charset",
            charset.is_some(),
            schema,
            "x-netapi-charset",
            None,
            at,
        );
        a.expect("charset", charset.is_some(), schema, "pattern", None, at);
        a.expect(
            "char_classes",
            char_classes.is_some(),
            schema,
            "x-netapi-char-classes",
            None,
            at,
        );
        if let Some(cc) = char_classes {
            let x = &schema["x-netapi-char-classes"];
            a.expect(
                "char_classes",
                true,
                x,
                "at_least",
                Some(json!(cc.at_least)),
                at,
            );
        }
        let names: Vec<String> = formats.iter().map(|f| format!("{f:?}")).collect();
        let spec_names: Vec<&str> = formats
            .iter()
            .map(|f| {
                netapi_codegen::spec::Format::ALL
                    .iter()
                    .find(|(_, g)| g == f)
                    .map(|(n, _)| *n)
                    .unwrap_or_default()
            })
            .collect();
        a.expect(
            "formats",
            !names.is_empty(),
            schema,
            "x-netapi-formats",
            Some(json!(spec_names)),
            at,
        );
        a.expect(
            "prefix_length",
            prefix_length.is_some(),
            schema,
            "x-netapi-prefix-length",
            Some(json!(prefix_length)),
            at,
        );
        a.expect(
            "within",
            !within.is_empty(),
            schema,
            "x-netapi-within",
            Some(json!(within)),
            at,
        );
        a.expect(
            "reserved",
            !reserved.is_empty(),
            schema,
            "x-netapi-reserved",
            Some(json!(reserved)),
            at,
        );
        a.expect(
            "host_address",
            *host_address,
            schema,
            "x-netapi-host-address",
            Some(json!(true)),
            at,
        );
        a.expect(
            "min_items",
            min_items.is_some(),
            schema,
            "minItems",
            Some(json!(min_items)),
            at,
        );
        a.expect(
            "max_items",
            max_items.is_some(),
            schema,
            "maxItems",
            Some(json!(max_items)),
            at,
        );
        a.expect(
            "unique_items",
            *unique_items,
            schema,
            "uniqueItems",
            Some(json!(true)),
            at,
        );
        if !unique_by.is_empty() {
            let TypeRef::Array(inner) = ty else {
                panic!("{at}: unique_by on a non-array")
            };
            let TypeRef::Named(id) = inner.as_ref() else {
                panic!("{at}: unique_by on scalars")
            };
            let TypeKind::Struct(item) = &self.api.ty(*id).kind else {
                panic!("{at}: enum items")
            };
            let wires: Vec<&str> = unique_by
                .iter()
                .map(|i| item.fields[*i].wire.as_str())
                .collect();
            a.expect(
                "unique_by",
                true,
                schema,
                "x-netapi-unique-by",
                Some(json!(wires)),
                at,
            );
        }
        if fixed.is_none() {
            a.expect(
                "enum_values",
                !enum_values.is_empty(),
                schema,
                "enum",
                Some(json!(enum_values)),
                at,
            );
        }
    }
}

#[test]
fn every_fact_of_the_ir_is_in_the_document() {
    let mut seen = BTreeSet::new();
    let mut missing = Vec::new();
    // The resources fixture brings shared types, their pages and per-row pages.
    let resources = ["tests/fixtures/generate/resources/spec"];
    for dir in SPEC_SETS.iter().chain(&resources) {
        let (api, doc) = export(dir);
        let mut walk = Walk::new(&api, &doc);
        let schemas = doc["components"]["schemas"]
            .as_object()
            .map_or(0, |s| s.len());
        assert_eq!(schemas, api.types.len(), "{dir}: one component per type");
        for op in &api.operations {
            walk.operation(op);
        }
        for ty in &api.types {
            walk.type_def(ty);
        }
        seen.extend(walk.audit.seen);
        missing.extend(
            walk.audit
                .missing
                .into_iter()
                .map(|m| format!("{dir}: {m}")),
        );
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    // The inputs exercise every kind of fact, so none of the checks above is vacuous.
    let every_kind = [
        "type.pages",
        "field.printed_on",
        "min_length",
        "max_length",
        "minimum",
        "maximum",
        "fixed",
        "charset",
        "char_classes",
        "formats",
        "prefix_length",
        "within",
        "reserved",
        "host_address",
        "min_items",
        "max_items",
        "unique_items",
        "unique_by",
        "enum_values",
        "rule.required_when",
        "rule.only_when",
        "rule.same_subnet",
        "rule.server_side",
        "rule.format_when",
        "field.rust_name",
        "field.description",
        "field.default",
        "field.deprecated",
        "field.sensitive",
        "field.unit",
        "field.errata",
        "field.nullable",
        "field.required",
        "type.named",
        "type.string",
        "type.secret",
        "type.integer",
        "type.number",
        "type.boolean",
        "type.json",
        "type.array",
        "type.map",
        "enum.values",
        "enum.variant_names",
        "enum.unknown",
        "enum.case_insensitive",
        "enum.origin",
        "struct.strictness",
        "struct.title",
        "struct.extra",
        "type.description",
        "type.direction",
        "response.null_accepted",
        "provenance.page",
        "provenance.table",
        "provenance.spec_file",
        "provenance.cloud",
        "operation.id",
        "operation.title",
        "operation.description",
        "operation.service",
        "operation.rust_names",
        "operation.request",
        "response.description",
        "response.body",
        "parameter.location",
        "parameter.name",
        "parameter.source",
        "parameter.table",
        "parameter.encoding",
        "operation.parameter_rules",
        "operation.pagination",
        "example.body",
        "example.title",
        "example.errata",
        "erratum.id",
        "erratum.where",
        "erratum.page_says",
        "erratum.decision",
        "erratum.reason",
        "erratum.waives",
    ];
    let unexercised: Vec<&&str> = every_kind.iter().filter(|k| !seen.contains(**k)).collect();
    assert!(unexercised.is_empty(), "no input exercises {unexercised:?}");
    let unlisted: Vec<&&str> = seen.iter().filter(|k| !every_kind.contains(k)).collect();
    assert!(unlisted.is_empty(), "add {unlisted:?} to the list");
}

/// The date-time formats: `date_time` is OpenAPI's `date-time` (RFC 3339, here in UTC);
/// the two zone-less shapes are not, so they keep their own names. All three carry the
/// pattern of their shape and the spec's name in `x-netapi-formats`.
#[test]
fn date_time_formats_export_as_date_time_where_it_matches() {
    let (_, document) = export("tests/fixtures/generate/formats/spec");
    let body = &document["components"]["schemas"]["create_schedule.CreateScheduleRequestBody"]["properties"];
    for (field, format, name) in [
        ("start_at", "date-time", "date_time"),
        ("not_before", "date-time-no-zone", "date_time_no_zone"),
        ("legacy_time", "date-time-space", "date_time_space"),
    ] {
        let schema = &body[field];
        assert_eq!(schema["format"], format, "{field}: {schema}");
        assert_eq!(
            schema["x-netapi-formats"],
            serde_json::json!([name]),
            "{field}"
        );
        assert!(
            schema["pattern"]
                .as_str()
                .is_some_and(|p| p.starts_with("^[0-9]{4}-")),
            "{field}: {schema}"
        );
    }
    // Any of two formats is no single OpenAPI format.
    assert!(body["either"].get("format").is_none(), "{}", body["either"]);
}

/// Error examples go under their status, or under `default` when the page gives none,
/// with a response of their own when the spec does not document the status.
#[test]
fn error_examples_export_under_their_status_or_default() {
    let (_, document) = export("tests/fixtures/generate/shapes/spec");
    let responses =
        &document["paths"]["/v1/{project_id}/widgets/{widget_id}"]["delete"]["responses"];
    let not_found = &responses["404"];
    assert_eq!(not_found["x-netapi-from-example"], true, "{not_found}");
    assert_eq!(
        not_found["content"]["application/json"]["examples"]["not_found"]["value"]["error_code"],
        "VPN.0001"
    );
    let default = &responses["default"]["content"]["application/json"]["examples"];
    assert!(default["in_use"]["value"]["error"].is_object(), "{default}");
    assert!(
        default["neutron"]["value"]["NeutronError"].is_object(),
        "{default}"
    );
    // The documented 204 stays as documented.
    assert!(responses["204"].get("content").is_none(), "{responses}");
}

/// Each waiter of the resources fixture (read from its resource files) is listed under
/// `x-netapi-waiters` on the operation it polls, with its status path and value lists,
/// and the shared types are components named `<service>.<Name>`.
#[test]
fn waiters_and_shared_types_are_exported() {
    let dir = "tests/fixtures/generate/resources/spec";
    let (_, doc) = export(dir);
    let (set, diagnostics) = netapi_codegen::spec::load_dir(std::path::Path::new(dir), 1);
    assert!(diagnostics.is_empty(), "{diagnostics}");
    let mut waiters = 0;
    for resource in &set.resources {
        let service = &resource.spec.resource.service;
        for ty in &resource.spec.types {
            let name = format!("{service}.{}", ty.name);
            assert!(
                doc["components"]["schemas"].get(&name).is_some(),
                "no component `{name}`"
            );
        }
        for waiter in &resource.spec.waiters {
            waiters += 1;
            let operation = set
                .files
                .iter()
                .find(|f| f.spec.operation.id == waiter.operation)
                .expect("the waiter's operation");
            let op = &operation.spec.operation;
            let exported =
                &doc["paths"][&op.path][op.method.to_ascii_lowercase()]["x-netapi-waiters"];
            let found = exported
                .as_array()
                .into_iter()
                .flatten()
                .find(|w| w["name"] == waiter.name.as_str())
                .unwrap_or_else(|| panic!("waiter `{}` on `{}`: {exported}", waiter.name, op.id));
            assert_eq!(found["status"], waiter.status.as_str());
            assert_eq!(found["done"], json!(waiter.done));
            assert_eq!(found["failed"], json!(waiter.failed));
            assert_eq!(found["pending"], json!(waiter.pending));
            assert_eq!(found["gone"], json!(waiter.gone));
        }
    }
    assert!(waiters > 0, "the fixture has waiters");
}

/// The spelling of a rule's kind in the export.
fn rule_kind(r: &Rule) -> &'static str {
    match r {
        Rule::RequiredWhen { .. } => "required_when",
        Rule::OnlyWhen { .. } => "only_when",
        Rule::SameSubnet { .. } => "same_subnet",
        Rule::ServerSide { .. } => "server_side",
        Rule::FormatWhen { .. } => "format_when",
    }
}
