//! Lowering a checked spec set into the IR.
//!
//! `check` has resolved every file ([`Resolved`]: type expressions parsed, names turned
//! into indexes), so lowering only decides: Rust names, integer widths, enum types. It
//! reads the resolution and never looks a name up, so nothing here can fail on spec data.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::{
    Api, CharClasses, Charset, Constraints, Direction, EnumDef, Erratum, Example, Field, Gate,
    Operation, OperationId, Owner, Pagination, ParamLocation, ParamSource, Parameter, PathTemplate,
    Presence, PrintedOn, Provenance, Response, ServiceId, SharedTypes, Slots, StructDef, TypeDef,
    TypeId, TypeKind, TypeRange, TypeRef, Variant,
};
use crate::check::{
    Checked, NamedIndex, Resolved, ResolvedConstraints, ResolvedField, ResolvedService, ResolvedTy,
    ResolvedType, SectionIndex, SharedIndex,
};
use crate::naming::{self, Namespace, RustName};
use crate::spec::{EnumCase, FieldSpec, LoadedFile, SourceSpec, SpecFile, TypeSpec};

/// Builds the IR from a checked spec set whose files live under `root`.
pub fn lower(checked: &Checked, root: &Path) -> Api {
    let mut files: Vec<(&LoadedFile, &Resolved)> =
        checked.files.iter().zip(&checked.resolved).collect();
    files.sort_by(|(a, _), (b, _)| {
        let (a, b) = (&a.spec.operation, &b.spec.operation);
        (&a.service, &a.id).cmp(&(&b.service, &b.id))
    });
    // The operation each file becomes: files sorted by service and id, as `operations`.
    let mut op_of_file = vec![OperationId(0); checked.files.len()];
    {
        let mut order: Vec<usize> = (0..checked.files.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (
                &checked.files[a].spec.operation,
                &checked.files[b].spec.operation,
            );
            (&a.service, &a.id).cmp(&(&b.service, &b.id))
        });
        for (position, file) in order.into_iter().enumerate() {
            op_of_file[file] = OperationId(position);
        }
    }
    let mut lowerer = Lowerer { types: Vec::new() };
    // Shared types come first, one service after another, so each service's types and
    // each operation's are contiguous runs of `Api::types`.
    let mut shared = Vec::new();
    let mut shared_ids: BTreeMap<&str, Vec<TypeId>> = BTreeMap::new();
    let mut methods = Namespace::new();
    for (i, service) in checked.services.iter().enumerate() {
        let (mut entry, ids) = lowerer.service(checked, ServiceId(i), service, root);
        entry.waiters = waiters(checked, service, &op_of_file, root, &mut methods);
        // The modules name every resource file they come from, waiters' included.
        entry
            .spec_files
            .extend(entry.waiters.iter().map(|w| w.spec_file.clone()));
        entry.spec_files.sort();
        entry.spec_files.dedup();
        shared_ids.insert(service.service.as_str(), ids);
        shared.push(entry);
    }
    let mut modules = Namespace::new();
    let operations = files
        .iter()
        .enumerate()
        .map(|(i, &(file, resolved))| {
            let ids = shared_ids
                .get(file.spec.operation.service.as_str())
                .map_or(&[][..], Vec::as_slice);
            let mut cx = OpCx::new(
                Owner::Operation(OperationId(i)),
                &file.spec.operation.source,
                spec_file_name(&file.path, root),
                ids,
            );
            lowerer.operation(OperationId(i), &mut cx, file, resolved, &mut modules)
        })
        .collect();
    let mut api = Api {
        operations,
        types: lowerer.types,
        shared,
        features: Vec::new(),
    };
    super::features::derive(&mut api);
    api
}

struct Lowerer {
    types: Vec<TypeDef>,
}

/// Per-module state (an operation's module, or a service's `types`): the owner, where its
/// types come from, the module's type namespace and the ids its types got.
struct OpCx<'a> {
    owner: Owner,
    source: &'a SourceSpec,
    spec_file: String,
    /// The ids of the service's shared types, by [`SharedIndex`].
    shared: &'a [TypeId],
    names: Namespace,
    /// The id of each request type, by its place in `request.types`.
    request_ids: Vec<TypeId>,
    /// The id of each response type, by its place in `response.types`.
    response_ids: Vec<TypeId>,
    /// Enums already made, by (direction, Rust name): their values, to share identical ones.
    enums: BTreeMap<(Direction, String), (TypeId, Vec<String>, bool)>,
    /// Request enum names, so response enums of the same name get the response prefix.
    request_enum_names: Vec<String>,
}

impl<'a> OpCx<'a> {
    fn new(owner: Owner, source: &'a SourceSpec, spec_file: String, shared: &'a [TypeId]) -> Self {
        OpCx {
            owner,
            source,
            spec_file,
            shared,
            names: Namespace::new(),
            request_ids: Vec::new(),
            response_ids: Vec::new(),
            enums: BTreeMap::new(),
            request_enum_names: Vec::new(),
        }
    }

    /// The id of the type at `index` of `direction`'s section.
    fn id(&self, direction: Direction, SectionIndex(index): SectionIndex) -> TypeId {
        match direction {
            Direction::Request => self.request_ids[index],
            Direction::Response => self.response_ids[index],
        }
    }

    /// The id of the type a name resolved to, the file's own or a shared one.
    fn named(&self, direction: Direction, index: NamedIndex) -> TypeId {
        match index {
            NamedIndex::Own(index) => self.id(direction, index),
            NamedIndex::Shared(SharedIndex(index)) => self.shared[index],
        }
    }

    /// Where an item of this module was transcribed from (`table` for tables).
    fn provenance(&self, table: Option<u32>) -> Provenance {
        let source = self.source;
        Provenance {
            page: source.page.clone(),
            table,
            spec_file: self.spec_file.clone(),
            cloud: source.cloud.clone(),
        }
    }
}

fn spec_file_name(path: &Path, root: &Path) -> String {
    let root_name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "spec".to_owned());
    let relative = path.strip_prefix(root).unwrap_or(path);
    let relative: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    format!("{root_name}/{}", relative.join("/"))
}

/// The type specs of one direction's section.
fn section(spec: &SpecFile, direction: Direction) -> &[TypeSpec] {
    let types = match direction {
        Direction::Request => spec.request.as_ref().map(|r| &r.types),
        Direction::Response => spec.response.as_ref().map(|r| &r.types),
    };
    types.map_or(&[], Vec::as_slice)
}

impl Lowerer {
    /// One operation: its types first (so they keep the page's names), then its own items.
    fn operation(
        &mut self,
        index: OperationId,
        cx: &mut OpCx<'_>,
        file: &LoadedFile,
        resolved: &Resolved,
        modules: &mut Namespace,
    ) -> Operation {
        let first_type = TypeId(self.types.len());
        let spec = &file.spec;
        let op_spec = &spec.operation;
        let module = modules.claim(naming::snake(&op_spec.id));
        self.declare_structs(cx, spec);
        for direction in [Direction::Request, Direction::Response] {
            self.define_structs(cx, spec, resolved, direction);
        }
        // The operation's own items are named last, so the page's types keep their names.
        let marker = cx
            .names
            .claim(naming::operation_type(&op_spec.id, &cx.names));
        let parameters_type = cx.names.claim(naming::parameters_type(&op_spec.id));
        let parameters = self.parameters(cx, spec, resolved);
        Operation {
            index,
            types: TypeRange {
                start: first_type,
                end: TypeId(self.types.len()),
            },
            id: op_spec.id.clone(),
            module,
            marker,
            title: op_spec.title.clone(),
            description: op_spec.description.clone(),
            service: op_spec.service.clone(),
            feature: op_spec
                .feature
                .clone()
                .unwrap_or_else(|| op_spec.service.clone()),
            // Decided once every operation's feature is known (`features::derive`).
            gate: Gate::Service,
            method: op_spec.method.clone(),
            path: PathTemplate {
                template: op_spec.path.clone(),
                segments: resolved.path.clone(),
            },
            parameters,
            parameters_type,
            parameter_rules: resolved.parameter_rules.clone(),
            pagination: resolved.pagination.as_ref().map(|p| Pagination {
                body: cx.id(Direction::Response, SectionIndex(p.body)),
                items: p.items,
                next: p.next.clone(),
                limit: p.limit,
                marker: p.marker,
            }),
            request: resolved
                .request_body
                .map(|body| cx.named(Direction::Request, body)),
            responses: responses(cx, spec, resolved),
            provenance: cx.provenance(None),
            examples: examples(spec),
            errata: errata(spec),
        }
    }

    /// One service's shared types, in `<service>::types`: structs sorted by name, then the
    /// enums they need. Returns the service's entry and the id of each type by
    /// [`SharedIndex`].
    fn service(
        &mut self,
        checked: &Checked,
        index: ServiceId,
        service: &ResolvedService,
        root: &Path,
    ) -> (SharedTypes, Vec<TypeId>) {
        let first_type = TypeId(self.types.len());
        let specs: Vec<_> = service
            .types
            .iter()
            .map(|t| {
                let resource = &checked.resources[t.file];
                (resource, &resource.spec.types[t.index])
            })
            .collect();
        let ids: Vec<TypeId> = (0..specs.len()).map(|i| TypeId(first_type.0 + i)).collect();
        let mut spec_files: Vec<String> = specs
            .iter()
            .map(|(r, _)| spec_file_name(&r.path, root))
            .collect();
        spec_files.sort();
        spec_files.dedup();
        let mut names = Namespace::new();
        for ((resource, ty), resolved) in specs.iter().zip(&service.types) {
            let pages: Vec<PrintedOn> = ty
                .printed_on
                .iter()
                .zip(&resolved.pages)
                .map(|(p, &file)| PrintedOn {
                    operation: p.operation.clone(),
                    page: checked.files[file].spec.operation.source.page.clone(),
                    table: p.table,
                    title: p.title.clone(),
                })
                .collect();
            let first = resolved.pages.first().map(|&f| &checked.files[f]);
            let id = TypeId(self.types.len());
            self.types.push(TypeDef {
                id,
                owner: Owner::Shared(index),
                direction: ty.direction,
                name: names.claim(naming::type_name(&ty.name)),
                description: ty.description.clone(),
                provenance: Provenance {
                    page: first
                        .map(|f| f.spec.operation.source.page.clone())
                        .unwrap_or_default(),
                    table: ty.printed_on.first().map(|p| p.table),
                    spec_file: spec_file_name(&resource.path, root),
                    cloud: first.and_then(|f| f.spec.operation.source.cloud.clone()),
                },
                pages,
                kind: TypeKind::Struct(StructDef {
                    fields: Vec::new(),
                    rules: Vec::new(),
                    extra: None,
                    unlisted: None,
                    title: None,
                    slots: Slots::Tuple,
                }),
                gate: Gate::Service,
            });
        }
        // One namespace and one enum table for the whole module, as in an operation's. An
        // enum's provenance is its own type's (resource file and first page), so a resource
        // file added later changes no existing enum.
        let fallback = SourceSpec {
            page: String::new(),
            cloud: None,
        };
        let mut cx = OpCx::new(Owner::Shared(index), &fallback, String::new(), &ids);
        cx.names = names;
        for ((&(resource, ty), resolved), &id) in specs.iter().zip(&service.types).zip(&ids) {
            cx.source = resolved
                .pages
                .first()
                .map_or(&fallback, |&f| &checked.files[f].spec.operation.source);
            cx.spec_file = spec_file_name(&resource.path, root);
            let mut def = self.struct_def(&mut cx, ty.direction, ty.as_type(), &resolved.ty);
            for (field, spec) in def.fields.iter_mut().zip(&ty.fields) {
                field.printed_on = spec.printed_on.clone();
            }
            self.types[id.0].kind = TypeKind::Struct(def);
        }
        let entry = SharedTypes {
            index,
            service: service.service.clone(),
            types: TypeRange {
                start: first_type,
                end: TypeId(self.types.len()),
            },
            spec_files,
            waiters: Vec::new(),
            types_gate: Gate::Service,
            waiters_gate: Gate::Service,
        };
        (entry, ids)
    }

    /// Allocates every struct of the file, requests first, before any is filled, so fields
    /// can refer to types defined later in the file.
    fn declare_structs(&mut self, cx: &mut OpCx<'_>, spec: &SpecFile) {
        let mut request_names: Vec<String> = Vec::new();
        for direction in [Direction::Request, Direction::Response] {
            for ty in section(spec, direction) {
                let name = struct_name(cx, direction, &ty.name, &request_names);
                if direction == Direction::Request {
                    request_names.push(name.as_str().to_owned());
                }
                let id = TypeId(self.types.len());
                match direction {
                    Direction::Request => cx.request_ids.push(id),
                    Direction::Response => cx.response_ids.push(id),
                }
                self.types.push(TypeDef {
                    id,
                    owner: cx.owner,
                    direction,
                    name,
                    description: ty.description.clone(),
                    provenance: cx.provenance(Some(ty.table)),
                    pages: Vec::new(),
                    kind: TypeKind::Struct(StructDef {
                        fields: Vec::new(),
                        rules: Vec::new(),
                        extra: None,
                        unlisted: None,
                        title: ty.title.clone(),
                        slots: Slots::Tuple,
                    }),
                    gate: Gate::Service,
                });
            }
        }
    }

    /// Fills the structs of one direction that [`Lowerer::declare_structs`] allocated.
    fn define_structs(
        &mut self,
        cx: &mut OpCx<'_>,
        spec: &SpecFile,
        resolved: &Resolved,
        direction: Direction,
    ) {
        let resolved = match direction {
            Direction::Request => &resolved.request,
            Direction::Response => &resolved.response,
        };
        for (i, (ty, resolved)) in section(spec, direction).iter().zip(resolved).enumerate() {
            let id = cx.id(direction, SectionIndex(i));
            let def = self.struct_def(cx, direction, ty, resolved);
            self.types[id.0].kind = TypeKind::Struct(def);
        }
    }

    /// The parameters, each with who supplies it.
    fn parameters(
        &mut self,
        cx: &mut OpCx<'_>,
        spec: &SpecFile,
        resolved: &Resolved,
    ) -> Vec<Parameter> {
        let mut field_names = Namespace::new();
        spec.parameters
            .iter()
            .zip(&resolved.parameters)
            .map(|(p, resolved)| Parameter {
                location: resolved.location,
                source: param_source(resolved.location, &resolved.field.wire),
                field: self.field(
                    cx,
                    Direction::Request,
                    "parameters",
                    p,
                    &resolved.field,
                    &mut field_names,
                ),
                table: p.table,
                encoding: p.encoding,
            })
            .collect()
    }

    fn struct_def(
        &mut self,
        cx: &mut OpCx<'_>,
        direction: Direction,
        ty: &TypeSpec,
        resolved: &ResolvedType,
    ) -> StructDef {
        let mut names = Namespace::new();
        let fields: Vec<Field> = ty
            .fields
            .iter()
            .zip(&resolved.fields)
            .map(|(f, r)| self.field(cx, direction, &ty.name, f, r, &mut names))
            .collect();
        let extra = (direction == Direction::Response)
            .then(|| names.claim(naming::snake(naming::EXTRA_FIELD)));
        let unlisted = (direction == Direction::Request)
            .then(|| names.claim(naming::snake(naming::UNLISTED_FIELD)));
        let slots = if extra.is_some() && fields.iter().all(|f| !f.presence.is_mandatory()) {
            Slots::InPlace
        } else {
            Slots::Tuple
        };
        StructDef {
            fields,
            rules: resolved.rules.clone(),
            extra,
            unlisted,
            title: ty.title.clone(),
            slots,
        }
    }

    fn field(
        &mut self,
        cx: &mut OpCx<'_>,
        direction: Direction,
        owner: &str,
        f: &FieldSpec,
        resolved: &ResolvedField,
        names: &mut Namespace,
    ) -> Field {
        let wire = resolved.wire.clone();
        let name = match &f.rust_name {
            Some(explicit) => names.claim(naming::snake(explicit)),
            None => names.claim(naming::snake(&wire)),
        };
        let ty = self.type_ref(cx, direction, owner, &wire, f, &resolved.ty);
        let items_resolved = resolved.constraints.items.as_deref();
        Field {
            name,
            ty,
            required: f.required == Some(true),
            nullable: f.nullable == Some(true),
            presence: Presence::of(
                direction,
                f.required == Some(true),
                f.nullable == Some(true),
            ),
            description: f.description.clone(),
            default: f.default.clone(),
            deprecated: f.deprecated == Some(true),
            sensitive: f.sensitive == Some(true),
            unit: f.unit.clone(),
            constraints: constraints(f, Some(&resolved.constraints)),
            items: f
                .items
                .as_deref()
                .map(|items| Box::new(constraints(items, items_resolved))),
            errata: f.errata.clone(),
            printed_on: Vec::new(),
            wire,
        }
    }

    /// The value type of a field; `spec` carries the constraints that pick widths.
    fn type_ref(
        &mut self,
        cx: &mut OpCx<'_>,
        direction: Direction,
        owner: &str,
        wire: &str,
        spec: &FieldSpec,
        ty: &ResolvedTy,
    ) -> TypeRef {
        match ty {
            ResolvedTy::String(Some(values)) => {
                TypeRef::Named(self.enum_type(cx, direction, owner, wire, spec, values))
            }
            ResolvedTy::String(None) if spec.sensitive == Some(true) => TypeRef::Secret,
            ResolvedTy::String(None) => TypeRef::String,
            ResolvedTy::Integer => TypeRef::Integer,
            ResolvedTy::Number => TypeRef::Number,
            ResolvedTy::Boolean => TypeRef::Boolean,
            ResolvedTy::Object => TypeRef::Json,
            ResolvedTy::Array(inner) | ResolvedTy::Map(inner) => {
                // The elements are as secret as the field that holds them.
                let items = FieldSpec {
                    sensitive: spec.sensitive,
                    ..spec.items.as_deref().cloned().unwrap_or_default()
                };
                let inner = Box::new(self.type_ref(cx, direction, owner, wire, &items, inner));
                if matches!(ty, ResolvedTy::Array(_)) {
                    TypeRef::Array(inner)
                } else {
                    TypeRef::Map(inner)
                }
            }
            ResolvedTy::Named(index) => TypeRef::Named(cx.named(direction, *index)),
        }
    }

    /// Makes (or reuses) the enum type for a string field with `enum` (`values`).
    ///
    /// An operation's enum is named after the field (`dh_group` → `DhGroup`). An identical
    /// enum of the same direction under the same name is shared; a different one that wants
    /// the name is qualified by its owner (`IpsecPolicyPfs`). A shared type's enum is always
    /// qualified (`IkePolicyDhGroup`), so adding a resource file never renames one. An
    /// operation's response enums whose name a request enum uses get the response prefix,
    /// like response structs.
    fn enum_type(
        &mut self,
        cx: &mut OpCx<'_>,
        direction: Direction,
        owner: &str,
        wire: &str,
        spec: &FieldSpec,
        values: &[String],
    ) -> TypeId {
        let values = values.to_vec();
        let case_insensitive = spec.enum_case == Some(EnumCase::Insensitive);
        let qualified = || {
            format!(
                "{}{}",
                naming::type_name(owner).as_str(),
                naming::upper_camel(wire).as_str()
            )
        };
        // A shared type's enum is always qualified by its type: the service's namespace grows
        // with every resource file, so a plain name taken first-come would move to whichever
        // resource sorts first and rename the others' enums. An operation's module is closed,
        // so its enums keep the short name when it is free.
        let shared = matches!(cx.owner, Owner::Shared(_));
        let mut base = if shared {
            qualified()
        } else {
            naming::upper_camel(wire).as_str().to_owned()
        };
        if !shared && direction == Direction::Response && cx.request_enum_names.contains(&base) {
            base = format!("{}{base}", naming::RESPONSE_PREFIX);
        }
        if let Some((id, existing, ci)) = cx.enums.get(&(direction, base.clone())) {
            if *existing == values && *ci == case_insensitive {
                return *id;
            }
        }
        let candidate = if !shared && cx.names.contains(&base) {
            naming::type_name(&qualified())
        } else {
            naming::type_name(&base)
        };
        let name = cx.names.claim(candidate);
        if direction == Direction::Request {
            cx.request_enum_names.push(name.as_str().to_owned());
        }
        let (variant_names, unknown) =
            naming::enum_variants(&values, direction == Direction::Response);
        let variants: Vec<Variant> = values
            .iter()
            .zip(variant_names)
            .map(|(v, name)| Variant {
                name,
                wire: v.clone(),
            })
            .collect();
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            id,
            owner: cx.owner,
            direction,
            name: name.clone(),
            description: None,
            provenance: cx.provenance(None),
            pages: Vec::new(),
            kind: TypeKind::Enum(EnumDef {
                variants,
                unknown,
                case_insensitive,
                origin: format!("{owner}.{wire}"),
            }),
            gate: Gate::Service,
        });
        cx.enums
            .entry((direction, name.as_str().to_owned()))
            .or_insert((id, values.clone(), case_insensitive));
        cx.enums
            .entry((direction, base))
            .or_insert((id, values, case_insensitive));
        id
    }
}

/// A service's waiters: markers named `<Resource><Waiter>` in the service's `waiters`
/// module, client methods `wait_until_<resource>_<waiter>`, claimed in `methods`, one
/// namespace for every service since the clients' inherent methods share one.
fn waiters(
    checked: &Checked,
    service: &ResolvedService,
    op_of_file: &[OperationId],
    root: &Path,
    methods: &mut Namespace,
) -> Vec<super::Waiter> {
    let mut markers = Namespace::new();
    service
        .waiters
        .iter()
        .map(|w| {
            let resource = &checked.resources[w.file];
            let spec = &resource.spec.waiters[w.index];
            let name = &resource.spec.resource.name;
            super::Waiter {
                name: spec.name.clone(),
                resource: name.clone(),
                marker: markers.claim(naming::type_name(&format!(
                    "{}{}",
                    naming::upper_camel(name).as_str(),
                    naming::upper_camel(&spec.name).as_str()
                ))),
                method: methods.claim(naming::snake(&format!("wait_until_{name}_{}", spec.name))),
                operation: op_of_file[w.operation],
                status: w.status.iter().map(|&(_, field)| field).collect(),
                status_path: spec.status.clone(),
                done: spec.done.clone(),
                failed: spec.failed.clone(),
                pending: spec.pending.clone(),
                gone: spec.gone,
                text: spec.text.clone(),
                spec_file: spec_file_name(&resource.path, root),
                gate: Gate::Service,
            }
        })
        .collect()
}

/// The Rust name of a struct, claimed in the module's namespace. Rule: a response type
/// whose name a request type has takes the response prefix (`PolicyRule` →
/// `ResponsePolicyRule`), because the two differ (strict and lenient) and share a module.
fn struct_name(
    cx: &mut OpCx<'_>,
    direction: Direction,
    spec_name: &str,
    request_names: &[String],
) -> RustName {
    let mut name = naming::type_name(spec_name);
    if direction == Direction::Response && request_names.iter().any(|n| n == name.as_str()) {
        name = naming::type_name(&format!("{}{spec_name}", naming::RESPONSE_PREFIX));
    }
    cx.names.claim(name)
}

/// The documented responses, each with its body type.
fn responses(cx: &OpCx<'_>, spec: &SpecFile, resolved: &Resolved) -> Vec<Response> {
    spec.response
        .iter()
        .flat_map(|r| &r.statuses)
        .zip(&resolved.status_bodies)
        .map(|(s, body)| Response {
            status: s.status,
            description: s.description.clone(),
            body: body.map(|b| cx.named(Direction::Response, b)),
        })
        .collect()
}

/// The example bodies, as written.
fn examples(spec: &SpecFile) -> Vec<Example> {
    // Example URLs are checked against the parameters and go no further: the generated
    // code and the OpenAPI export carry body examples.
    spec.examples
        .iter()
        .filter_map(|e| {
            Some(Example {
                name: e.name.clone(),
                title: e.title.clone(),
                direction: e.direction,
                status: e.status,
                body: e.body.clone()?,
                errata: e.errata.clone(),
            })
        })
        .collect()
}

/// The errata, as written.
fn errata(spec: &SpecFile) -> Vec<Erratum> {
    spec.errata
        .iter()
        .map(|e| Erratum {
            id: e.id.clone(),
            place: e.place.clone(),
            page_says: e.page_says.clone(),
            decision: e.decision.clone(),
            reason: e.reason.clone(),
            waives: e.waives.clone(),
        })
        .collect()
}

/// Parameters every call of a service carries are filled by the client, not the caller: the
/// project id in the path and the token header. Only the documented spellings count.
fn param_source(location: ParamLocation, wire: &str) -> ParamSource {
    match location {
        ParamLocation::Path if wire == "project_id" => ParamSource::ProjectId,
        ParamLocation::Header if wire.eq_ignore_ascii_case("X-Auth-Token") => {
            ParamSource::AuthToken
        }
        _ => ParamSource::User,
    }
}

/// The constraints of `f`, with the field names `unique_by` lists as `resolved` holds them
/// (`None` for items of a type without elements, which the checks allow no constraints).
fn constraints(f: &FieldSpec, resolved: Option<&ResolvedConstraints>) -> Constraints {
    let unique_by = resolved.map(|r| r.unique_by.clone()).unwrap_or_default();
    let is_string_enum = f
        .enum_values
        .as_ref()
        .is_some_and(|vs| vs.iter().all(Value::is_string));
    Constraints {
        min_length: f.min_length,
        max_length: f.max_length,
        minimum: f.minimum,
        maximum: f.maximum,
        fixed: f.fixed.clone(),
        charset: f.charset.as_ref().map(|c| Charset {
            allow: c.allow.clone(),
            chars: c.chars.clone().unwrap_or_default(),
            deny: c.deny.clone().unwrap_or_default(),
        }),
        char_classes: f.char_classes.as_ref().map(|c| CharClasses {
            at_least: c.at_least,
            of: c.of.clone(),
            special: c.special.clone().unwrap_or_default(),
        }),
        formats: f.format.as_ref().map(|f| f.0.clone()).unwrap_or_default(),
        prefix_length: f.prefix_length,
        within: f.within.clone(),
        reserved: f.reserved.clone(),
        host_address: f.host_address == Some(true),
        min_items: f.min_items,
        max_items: f.max_items,
        unique_items: f.unique_items == Some(true),
        unique_by,
        enum_values: if is_string_enum {
            Vec::new()
        } else {
            f.enum_values.clone().unwrap_or_default()
        },
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::lower;
    use crate::ir::{FieldIndex, Presence, Slots, TypeKind};

    /// Checks and lowers one spec file given as text.
    fn lowered(text: &str) -> crate::ir::Api {
        let path = Path::new("spec/vpn/create_widget.yaml");
        let file = crate::spec::parse_file(path, text.as_bytes()).expect("the text parses");
        let set = crate::spec::SpecSet {
            files: vec![file],
            resources: Vec::new(),
            inputs: Vec::new(),
        };
        let checked = match crate::check::check(set) {
            Ok(checked) => checked,
            Err(diagnostics) => panic!("the spec checks: {:?}", diagnostics.sorted()),
        };
        lower(&checked, Path::new("spec"))
    }

    /// `unique_by` on the items of an array of arrays passes the checks (the element is an
    /// array of a named type). Lowering used to look the item type up again from the items'
    /// own `type`, which items never have, and panicked; it now reads the resolution.
    #[test]
    fn unique_by_on_nested_items_is_lowered() {
        let api = lowered(
            r#"
operation:
  id: create_widget
  title: Creating a Widget
  service: vpn
  method: POST
  path: /v1/widgets
  source:
    page: 999_example.txt
request:
  body: CreateWidget
  types:
    - name: CreateWidget
      table: 1
      fields:
        - name: groups
          type: array<array<Tag>>
          items:
            unique_by: [value, key]
    - name: Tag
      table: 2
      fields:
        - name: key
          type: string
        - name: value
          type: string
response:
  statuses:
    - status: 200
"#,
        );
        let TypeKind::Struct(def) = &api.types[0].kind else {
            panic!("the body is a struct");
        };
        let items = def.fields[0].items.as_deref().expect("items are lowered");
        assert_eq!(items.unique_by, [FieldIndex(1), FieldIndex(0)]);
    }

    /// Presence is decided once, here: plain for mandatory non-null request fields,
    /// mandatory-nullable when `null` is allowed, optional otherwise and for every response
    /// field, whatever the page says.
    #[test]
    fn presence_and_slots_are_decided_in_lowering() {
        let api = lowered(
            r#"
operation:
  id: create_widget
  title: Creating a Widget
  service: vpn
  method: POST
  path: /v1/widgets
  source:
    page: 999_example.txt
request:
  body: CreateWidget
  types:
    - name: CreateWidget
      table: 1
      fields:
        - {name: a, type: string, required: true}
        - {name: b, type: string, required: true, nullable: true}
        - {name: c, type: string}
response:
  statuses:
    - status: 200
      body: Widget
  types:
    - name: Widget
      table: 2
      fields:
        - {name: a, type: string, required: true}
"#,
        );
        let def = |i: usize| match &api.types[i].kind {
            TypeKind::Struct(def) => def,
            TypeKind::Enum(_) => panic!("type {i} is a struct"),
        };
        let presence =
            |i: usize| -> Vec<Presence> { def(i).fields.iter().map(|f| f.presence).collect() };
        // A struct with a mandatory field reads into a tuple; an open one with none in place.
        assert_eq!(def(0).slots, Slots::Tuple);
        assert_eq!(def(1).slots, Slots::InPlace);
        assert_eq!(
            presence(0),
            [
                Presence::Plain,
                Presence::MandatoryNullable,
                Presence::Optional
            ]
        );
        assert_eq!(presence(1), [Presence::Optional]);
    }
}
