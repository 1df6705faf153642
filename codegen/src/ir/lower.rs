//! Lowering a checked spec set into the IR.
//!
//! The checker has already proven every reference resolvable and every value well typed, so
//! a failure here is a bug in the generator, and the few `expect`s say so.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::{
    Api, CharClasses, Charset, Condition, Constraints, EnumDef, Erratum, Example, Field, FieldIndex,
    IntWidth, ParamIndex, TypeRange,
    Operation, OperationId, ParamSource, Parameter, PathSegment, PathTemplate, Provenance,
    Response, Rule, StructDef, TypeDef, TypeId, TypeKind, TypeRef, Variant,
};
use crate::check::{Checked, TypeExpr};
use crate::naming::{self, Namespace};
use crate::spec::{Direction, EnumCase, FieldSpec, LoadedFile, ParamLocation, TypeSpec};

/// Builds the IR from a checked spec set whose files live under `root`.
pub fn lower(checked: &Checked, root: &Path) -> Api {
    let mut files: Vec<&LoadedFile> = checked.files.iter().collect();
    files.sort_by(|a, b| {
        let (a, b) = (&a.spec.operation, &b.spec.operation);
        (&a.service, &a.id).cmp(&(&b.service, &b.id))
    });
    let mut lowerer = Lowerer { types: Vec::new() };
    let mut modules = Namespace::new();
    let operations = files
        .iter()
        .enumerate()
        .map(|(i, file)| lowerer.operation(OperationId(i), file, root, &mut modules))
        .collect();
    Api {
        operations,
        types: lowerer.types,
    }
}

struct Lowerer {
    types: Vec<TypeDef>,
}

/// Per-operation state: the module's type namespace and the spec-name → id map.
struct OpCx<'a> {
    op: OperationId,
    file: &'a LoadedFile,
    spec_file: String,
    names: Namespace,
    ids: BTreeMap<(Direction, &'a str), TypeId>,
    /// Enums already made, by (direction, Rust name): their values, to share identical ones.
    enums: BTreeMap<(Direction, String), (TypeId, Vec<String>, bool)>,
    /// Request enum names, so response enums of the same name get the response prefix.
    request_enum_names: Vec<String>,
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

impl Lowerer {
    fn operation(
        &mut self,
        index: OperationId,
        file: &LoadedFile,
        root: &Path,
        modules: &mut Namespace,
    ) -> Operation {
        let first_type = self.types.len();
        let spec = &file.spec;
        let op_spec = &spec.operation;
        let module = modules.claim(naming::snake(&op_spec.id));
        let mut cx = OpCx {
            op: index,
            file,
            spec_file: spec_file_name(&file.path, root),
            names: Namespace::new(),
            ids: BTreeMap::new(),
            enums: BTreeMap::new(),
            request_enum_names: Vec::new(),
        };
        let request_types: &[TypeSpec] = spec.request.as_ref().map_or(&[], |r| &r.types);
        let response_types: &[TypeSpec] = spec.response.as_ref().map_or(&[], |r| &r.types);
        // Allocate every struct first so fields can refer to types defined later in the file.
        let mut request_names = Vec::new();
        for (direction, types) in [
            (Direction::Request, request_types),
            (Direction::Response, response_types),
        ] {
            for ty in types {
                let mut name = naming::type_name(&ty.name);
                if direction == Direction::Response
                    && request_names.contains(&name.as_str().to_owned())
                {
                    name = naming::type_name(&format!("{}{}", naming::RESPONSE_PREFIX, ty.name));
                }
                let name = cx.names.claim(name);
                if direction == Direction::Request {
                    request_names.push(name.as_str().to_owned());
                }
                let id = TypeId(self.types.len());
                cx.ids.insert((direction, ty.name.as_str()), id);
                self.types.push(TypeDef {
                    id,
                    operation: index,
                    direction,
                    name,
                    description: ty.description.clone(),
                    provenance: Provenance {
                        page: op_spec.source.page.clone(),
                        table: Some(ty.table),
                        spec_file: cx.spec_file.clone(),
                        cloud: op_spec.source.cloud.clone(),
                    },
                    kind: TypeKind::Struct(StructDef {
                        fields: Vec::new(),
                        rules: Vec::new(),
                        extra: None,
                        unlisted: None,
                        title: ty.title.clone(),
                    }),
                });
            }
        }
        for (direction, types) in [
            (Direction::Request, request_types),
            (Direction::Response, response_types),
        ] {
            for ty in types {
                let id = cx.ids[&(direction, ty.name.as_str())];
                let def = self.struct_def(&mut cx, direction, ty);
                self.types[id.0].kind = TypeKind::Struct(def);
            }
        }
        // The operation's own items are named last, so the page's types keep their names.
        let marker = cx
            .names
            .claim(naming::operation_type(&op_spec.id, &cx.names));
        let parameters_type = cx.names.claim(naming::parameters_type(&op_spec.id));
        let mut field_names = Namespace::new();
        let parameters: Vec<Parameter> = spec
            .parameters
            .iter()
            .map(|p| Parameter {
                location: p.location.expect("bug: check requires `in` on parameters"),
                source: param_source(p),
                field: self.field(
                    &mut cx,
                    Direction::Request,
                    "parameters",
                    p,
                    &mut field_names,
                ),
                table: p.table,
            })
            .collect();
        let path = path_template(&op_spec.path, &parameters);
        let request = spec
            .request
            .as_ref()
            .map(|r| cx.ids[&(Direction::Request, r.body.as_str())]);
        let responses = spec
            .response
            .iter()
            .flat_map(|r| &r.statuses)
            .map(|s| Response {
                status: s.status,
                description: s.description.clone(),
                body: s
                    .body
                    .as_ref()
                    .map(|b| cx.ids[&(Direction::Response, b.as_str())]),
            })
            .collect();
        Operation {
            index,
            types: TypeRange {
                start: TypeId(first_type),
                end: TypeId(self.types.len()),
            },
            id: op_spec.id.clone(),
            module,
            marker,
            title: op_spec.title.clone(),
            description: op_spec.description.clone(),
            service: op_spec.service.clone(),
            method: op_spec.method.clone(),
            path,
            parameters,
            parameters_type,
            request,
            responses,
            provenance: Provenance {
                page: op_spec.source.page.clone(),
                table: None,
                spec_file: cx.spec_file.clone(),
                cloud: op_spec.source.cloud.clone(),
            },
            examples: spec
                .examples
                .iter()
                .map(|e| Example {
                    name: e.name.clone(),
                    title: e.title.clone(),
                    direction: e.direction,
                    status: e.status,
                    body: e.body.clone(),
                    errata: e.errata.clone(),
                })
                .collect(),
            errata: spec
                .errata
                .iter()
                .map(|e| Erratum {
                    id: e.id.clone(),
                    place: e.place.clone(),
                    page_says: e.page_says.clone(),
                    decision: e.decision.clone(),
                    reason: e.reason.clone(),
                    waives: e.waives.clone(),
                })
                .collect(),
        }
    }

    fn struct_def(&mut self, cx: &mut OpCx<'_>, direction: Direction, ty: &TypeSpec) -> StructDef {
        let mut names = Namespace::new();
        let fields: Vec<Field> = ty
            .fields
            .iter()
            .map(|f| self.field(cx, direction, &ty.name, f, &mut names))
            .collect();
        let index_of = |name: &str| {
            ty.fields
                .iter()
                .position(|f| f.name.as_deref() == Some(name))
                .map(FieldIndex)
                .expect("bug: check resolves rule fields")
        };
        let condition = |c: &crate::spec::ConditionSpec| Condition {
            field: index_of(&c.field),
            values: c
                .equals
                .iter()
                .cloned()
                .chain(c.one_of.iter().flatten().cloned())
                .collect(),
        };
        let rules = ty
            .rules
            .iter()
            .map(|r| {
                if let Some(r) = &r.required_when {
                    Rule::RequiredWhen {
                        field: index_of(&r.field),
                        condition: condition(&r.condition),
                        text: r.text.clone(),
                    }
                } else if let Some(r) = &r.only_when {
                    Rule::OnlyWhen {
                        field: index_of(&r.field),
                        condition: condition(&r.condition),
                        text: r.text.clone(),
                    }
                } else if let Some(r) = &r.same_subnet {
                    Rule::SameSubnet {
                        fields: r.fields.iter().map(|f| index_of(f)).collect(),
                        text: r.text.clone(),
                    }
                } else if let Some(r) = &r.server_side {
                    Rule::ServerSide {
                        fields: r.fields.iter().map(|f| index_of(f)).collect(),
                        text: r.text.clone(),
                    }
                } else {
                    unreachable!("bug: check requires exactly one rule kind")
                }
            })
            .collect();
        let extra = (direction == Direction::Response)
            .then(|| names.claim(naming::snake(naming::EXTRA_FIELD)));
        let unlisted = (direction == Direction::Request)
            .then(|| names.claim(naming::snake(naming::UNLISTED_FIELD)));
        StructDef {
            fields,
            rules,
            extra,
            unlisted,
            title: ty.title.clone(),
        }
    }

    fn field(
        &mut self,
        cx: &mut OpCx<'_>,
        direction: Direction,
        owner: &str,
        f: &FieldSpec,
        names: &mut Namespace,
    ) -> Field {
        let wire = f.name.clone().expect("bug: check requires field names");
        let name = match &f.rust_name {
            Some(explicit) => names.claim(naming::snake(explicit)),
            None => names.claim(naming::snake(&wire)),
        };
        let expr = TypeExpr::parse(f.ty.as_deref().expect("bug: check requires field types"))
            .expect("bug: check parses every type expression");
        let ty = self.type_ref(cx, direction, owner, &wire, f, &expr);
        Field {
            name,
            ty,
            required: f.required == Some(true),
            nullable: f.nullable == Some(true),
            description: f.description.clone(),
            default: f.default.clone(),
            deprecated: f.deprecated == Some(true),
            sensitive: f.sensitive == Some(true),
            unit: f.unit.clone(),
            constraints: constraints(f, direction, cx),
            items: f
                .items
                .as_deref()
                .map(|items| Box::new(constraints(items, direction, cx))),
            errata: f.errata.clone(),
            wire,
        }
    }

    /// The value type of a field; `spec` carries the constraints that pick enums and widths.
    fn type_ref(
        &mut self,
        cx: &mut OpCx<'_>,
        direction: Direction,
        owner: &str,
        wire: &str,
        spec: &FieldSpec,
        expr: &TypeExpr,
    ) -> TypeRef {
        match expr {
            TypeExpr::String if spec.enum_values.is_some() => {
                TypeRef::Named(self.enum_type(cx, direction, owner, wire, spec))
            }
            TypeExpr::String if spec.sensitive == Some(true) => TypeRef::Secret,
            TypeExpr::String => TypeRef::String,
            TypeExpr::Integer => TypeRef::Integer(int_width(direction, spec.minimum, spec.maximum)),
            TypeExpr::Number => TypeRef::Number,
            TypeExpr::Boolean => TypeRef::Boolean,
            TypeExpr::Object => TypeRef::Json,
            TypeExpr::Array(inner) | TypeExpr::Map(inner) => {
                let items = spec.items.as_deref().cloned().unwrap_or_default();
                let items = FieldSpec {
                    sensitive: spec.sensitive,
                    ..items
                };
                let inner = Box::new(self.type_ref(cx, direction, owner, wire, &items, inner));
                if matches!(expr, TypeExpr::Array(_)) {
                    TypeRef::Array(inner)
                } else {
                    TypeRef::Map(inner)
                }
            }
            TypeExpr::Named(name) => TypeRef::Named(cx.ids[&(direction, name.as_str())]),
        }
    }

    /// Makes (or reuses) the enum type for a string field with `enum`.
    ///
    /// The enum is named after the field (`dh_group` → `DhGroup`). An identical enum of the
    /// same direction under the same name is shared; a different one that wants the name is
    /// qualified by its owner (`IpsecPolicyPfs`). Response enums whose name a request enum
    /// uses get the response prefix, like response structs.
    fn enum_type(
        &mut self,
        cx: &mut OpCx<'_>,
        direction: Direction,
        owner: &str,
        wire: &str,
        spec: &FieldSpec,
    ) -> TypeId {
        let values: Vec<String> = spec
            .enum_values
            .iter()
            .flatten()
            .map(|v| {
                v.as_str()
                    .expect("bug: check requires string enum values")
                    .to_owned()
            })
            .collect();
        let case_insensitive = spec.enum_case == Some(EnumCase::Insensitive);
        let mut base = naming::upper_camel(wire).as_str().to_owned();
        if direction == Direction::Response && cx.request_enum_names.contains(&base) {
            base = format!("{}{base}", naming::RESPONSE_PREFIX);
        }
        if let Some((id, existing, ci)) = cx.enums.get(&(direction, base.clone())) {
            if *existing == values && *ci == case_insensitive {
                return *id;
            }
        }
        let candidate = if cx.names.contains(&base) {
            naming::type_name(&format!(
                "{}{}",
                naming::type_name(owner).as_str(),
                naming::upper_camel(wire).as_str()
            ))
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
            operation: cx.op,
            direction,
            name: name.clone(),
            description: None,
            provenance: Provenance {
                page: cx.file.spec.operation.source.page.clone(),
                table: None,
                spec_file: cx.spec_file.clone(),
                cloud: cx.file.spec.operation.source.cloud.clone(),
            },
            kind: TypeKind::Enum(EnumDef {
                variants,
                unknown,
                case_insensitive,
                origin: format!("{owner}.{wire}"),
            }),
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

/// Parameters every call of a service carries are filled by the client, not the caller: the
/// project id in the path and the token header. Only the documented spellings count.
fn param_source(p: &FieldSpec) -> ParamSource {
    match (p.location, p.name.as_deref()) {
        (Some(ParamLocation::Path), Some("project_id")) => ParamSource::ProjectId,
        (Some(ParamLocation::Header), Some(name)) if name.eq_ignore_ascii_case("X-Auth-Token") => {
            ParamSource::AuthToken
        }
        _ => ParamSource::User,
    }
}

/// The narrowest of `i32`, `u32`, `i64` that holds the documented range of a request field.
/// Response integers are always `i64`: a server may exceed what the page documents, and a
/// lenient reader must not fail on that.
fn int_width(direction: Direction, minimum: Option<i64>, maximum: Option<i64>) -> IntWidth {
    match (direction, minimum, maximum) {
        (Direction::Response, _, _) => IntWidth::I64,
        (_, Some(min), Some(max)) if min >= i64::from(i32::MIN) && max <= i64::from(i32::MAX) => {
            IntWidth::I32
        }
        (_, Some(min), Some(max)) if min >= 0 && max <= i64::from(u32::MAX) => IntWidth::U32,
        _ => IntWidth::I64,
    }
}

fn constraints(f: &FieldSpec, direction: Direction, cx: &OpCx<'_>) -> Constraints {
    let item_type = |name: &str| -> Option<&TypeSpec> {
        let section = match direction {
            Direction::Request => cx.file.spec.request.as_ref().map(|r| &r.types),
            Direction::Response => cx.file.spec.response.as_ref().map(|r| &r.types),
        };
        section?.iter().find(|t| t.name == name)
    };
    let unique_by = if f.unique_by.is_empty() {
        Vec::new()
    } else {
        let element =
            f.ty.as_deref()
                .and_then(|t| TypeExpr::parse(t).ok())
                .and_then(|t| t.named().map(str::to_owned));
        let ty = element
            .as_deref()
            .and_then(item_type)
            .expect("bug: check resolves unique_by item types");
        f.unique_by
            .iter()
            .map(|u| {
                ty.fields
                    .iter()
                    .position(|f| f.name.as_deref() == Some(u))
                    .map(FieldIndex)
                    .expect("bug: check resolves unique_by")
            })
            .collect()
    };
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

fn path_template(template: &str, parameters: &[Parameter]) -> PathTemplate {
    let mut segments = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            segments.push(PathSegment::Literal(rest[..open].to_owned()));
        }
        let close = rest[open..]
            .find('}')
            .expect("bug: check validates path templates")
            + open;
        let name = &rest[open + 1..close];
        let index = parameters
            .iter()
            .position(|p| p.location == crate::spec::ParamLocation::Path && p.field.wire == name)
            .expect("bug: check declares every placeholder");
        segments.push(PathSegment::Parameter(ParamIndex(index)));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_owned()));
    }
    PathTemplate {
        template: template.to_owned(),
        segments,
    }
}
