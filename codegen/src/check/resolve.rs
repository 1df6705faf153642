//! Resolution: what lowering needs from a file that passed every check, with every name
//! turned into an index and every type expression into a resolved type.
//!
//! The design is cxx's `Types::collect`: resolve once and let the next phase read the
//! result. Type expressions are parsed once ([`crate::spec::FieldSpec::type_expr`]), the
//! checks read that parse, and this module turns it, the rule and `unique_by` field names,
//! the path placeholders and the body type names into indexes. `lower` reads a
//! [`Resolved`] and never looks anything up by name, so it has nothing to `expect`.
//!
//! Resolution is fallible in its types (every step returns `Option`) but not in practice:
//! the checks have proven each step possible. A step that fails anyway is a generator bug,
//! reported by `check` as an internal error diagnostic instead of a panic.

use crate::ir::{Condition, FieldIndex, ParamIndex, ParamLocation, PathSegment, Rule};
use crate::spec::{
    ConditionSpec, Direction, FieldSpec, LoadedFile, RuleSpec, SharedTypeSpec, TypeExpr, TypeSpec,
};

/// Index of a type in its direction's `types:` list of the spec file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SectionIndex(pub usize);

/// Index of a shared type in its service's [`ResolvedService::types`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SharedIndex(pub usize);

/// What a type name resolved to: a type of the file's own section, or a shared type of its
/// service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NamedIndex {
    /// A type of the same direction defined by the file.
    Own(SectionIndex),
    /// A shared type of the same direction, of the file's service.
    Shared(SharedIndex),
}

/// One service's shared types, resolved: the types of all its resource files, sorted by
/// name (unique per service), so that their order does not depend on which file holds
/// which type.
#[derive(Clone, Debug)]
pub struct ResolvedService {
    /// The service.
    pub service: String,
    /// Each type: the resource file (an index into `Checked::resources`), its place in
    /// that file's `types:`, and the type resolved.
    pub types: Vec<ResolvedShared>,
    /// The waiters of its resource files, by file and place.
    pub waiters: Vec<ResolvedWaiter>,
}

/// A waiter, resolved.
#[derive(Clone, Debug)]
pub struct ResolvedWaiter {
    /// The resource file, an index into `Checked::resources`.
    pub file: usize,
    /// Its place in the file's `waiters:`.
    pub index: usize,
    /// The show operation, an index into `Checked::files`.
    pub operation: usize,
    /// The status field: from the operation's first 2xx body type, each step's type and
    /// field.
    pub status: StatusSteps,
}

/// A shared type, resolved.
#[derive(Clone, Debug)]
pub struct ResolvedShared {
    /// The resource file, an index into `Checked::resources`.
    pub file: usize,
    /// Its place in the file's `types:`.
    pub index: usize,
    /// Its direction.
    pub direction: Direction,
    /// Fields and rules.
    pub ty: ResolvedType,
    /// The operation file of each `printed_on` page, an index into `Checked::files`.
    pub pages: Vec<usize>,
}

/// What a name can resolve to: a section of a file's own types, in front of its service's
/// shared types (of one direction: a shared type of the other direction does not resolve).
#[derive(Clone, Copy)]
pub(super) struct Scope<'a> {
    own: &'a [TypeSpec],
    shared: &'a [(Direction, &'a SharedTypeSpec)],
    direction: Direction,
}

impl<'a> Scope<'a> {
    pub(super) fn new(
        own: &'a [TypeSpec],
        shared: &'a [(Direction, &'a SharedTypeSpec)],
        direction: Direction,
    ) -> Self {
        Scope {
            own,
            shared,
            direction,
        }
    }

    /// The type `name` names, and its definition.
    pub(super) fn lookup(&self, name: &str) -> Option<(NamedIndex, &'a TypeSpec)> {
        if let Some(i) = self.own.iter().position(|t| t.name == name) {
            return Some((NamedIndex::Own(SectionIndex(i)), self.own.get(i)?));
        }
        let i = self
            .shared
            .iter()
            .position(|(d, t)| *d == self.direction && t.name == name)?;
        Some((
            NamedIndex::Shared(SharedIndex(i)),
            self.shared.get(i)?.1.as_type(),
        ))
    }
}

/// One checked file, resolved.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// The parameters, in the order of the spec's `parameters:`.
    pub parameters: Vec<ResolvedParameter>,
    /// The path template's pieces, placeholders naming parameters by index.
    pub path: Vec<PathSegment>,
    /// The request types, in the order of `request.types`.
    pub request: Vec<ResolvedType>,
    /// The response types, in the order of `response.types`.
    pub response: Vec<ResolvedType>,
    /// The request body type.
    pub request_body: Option<NamedIndex>,
    /// The body type of each documented status, in the order of `response.statuses`.
    pub status_bodies: Vec<Option<NamedIndex>>,
    /// The rules between parameters, naming by index the parameters the caller sets (in
    /// file order, without the ones the client fills).
    pub parameter_rules: Vec<Rule>,
    /// The list operation's pagination.
    pub pagination: Option<super::pagination::ResolvedPagination>,
}

/// A parameter: where it goes and its field.
#[derive(Clone, Debug)]
pub struct ResolvedParameter {
    /// Where it is sent.
    pub location: ParamLocation,
    /// Its name and type.
    pub field: ResolvedField,
}

/// An object type: its fields and its cross-field rules.
#[derive(Clone, Debug)]
pub struct ResolvedType {
    /// The fields, in table order.
    pub fields: Vec<ResolvedField>,
    /// The cross-field rules, naming fields by index.
    pub rules: Vec<Rule>,
}

/// A field with its wire name, its type and its `unique_by` resolved.
#[derive(Clone, Debug)]
pub struct ResolvedField {
    /// The name on the wire.
    pub wire: String,
    /// The value type.
    pub ty: ResolvedTy,
    /// Its constraints that name fields.
    pub constraints: ResolvedConstraints,
}

/// The constraints of a field (or of its items) that name fields of another type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResolvedConstraints {
    /// The item struct's fields that `unique_by` names.
    pub unique_by: Vec<FieldIndex>,
    /// The same for the elements, when the field has `items`.
    pub items: Option<Box<ResolvedConstraints>>,
}

/// A type expression with named types resolved to their place in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolvedTy {
    /// A string; with `enum` (at this level), its values.
    String(Option<Vec<String>>),
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// A boolean.
    Boolean,
    /// A free-form object.
    Object,
    /// An array of the element type.
    Array(Box<ResolvedTy>),
    /// A string-keyed map of the element type.
    Map(Box<ResolvedTy>),
    /// A named type of the same direction.
    Named(NamedIndex),
}

/// Resolves a file that passed every check, whose service has the shared types `shared`
/// (sorted by name); `None` only if a check missed something.
pub(super) fn file(file: &LoadedFile, shared: &[(Direction, &SharedTypeSpec)]) -> Option<Resolved> {
    let spec = &file.spec;
    let request = Scope::new(
        spec.request.as_ref().map_or(&[], |r| &r.types),
        shared,
        Direction::Request,
    );
    let response = Scope::new(
        spec.response.as_ref().map_or(&[], |r| &r.types),
        shared,
        Direction::Response,
    );
    let parameters = spec
        .parameters
        .iter()
        .map(|p| {
            Some(ResolvedParameter {
                location: p.location?,
                field: field(p, &request)?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let callers = super::parameters::caller_parameters(spec);
    Some(Resolved {
        pagination: super::pagination::resolve(spec, &response)?,
        parameter_rules: callers
            .rules
            .iter()
            .map(|r| rule(&callers, r))
            .collect::<Option<Vec<_>>>()?,
        path: path(&spec.operation.path, &parameters)?,
        parameters,
        request: types(request.own, &request)?,
        response: types(response.own, &response)?,
        request_body: match &spec.request {
            Some(r) => Some(request.lookup(&r.body)?.0),
            None => None,
        },
        status_bodies: spec
            .response
            .iter()
            .flat_map(|r| &r.statuses)
            .map(|s| match &s.body {
                Some(body) => response.lookup(body).map(|(ty, _)| Some(ty)),
                None => Some(None),
            })
            .collect::<Option<Vec<_>>>()?,
    })
}

/// The steps to a status field: each step's type and the field read there.
pub(super) type StatusSteps = Vec<(NamedIndex, FieldIndex)>;

/// The status field a waiter's dotted `path` (wire names) names, read from the first 2xx
/// body of `file`, whose service has the shared types `shared` (sorted by name): each
/// step's type and field, and the last field. `Err` says which step fails and why, for the
/// checks; resolution only ever sees paths the checks accepted.
pub(super) fn status_path<'a>(
    file: &'a LoadedFile,
    shared: &'a [(Direction, &'a SharedTypeSpec)],
    path: &str,
) -> Result<(StatusSteps, &'a FieldSpec), String> {
    let spec = &file.spec;
    let id = &spec.operation.id;
    let body = spec
        .response
        .iter()
        .flat_map(|r| &r.statuses)
        .filter(|s| (200..300).contains(&s.status))
        .find_map(|s| s.body.as_deref())
        .ok_or_else(|| {
            format!("operation `{id}` has no 2xx response body to read a status from")
        })?;
    let scope = Scope::new(
        spec.response.as_ref().map_or(&[], |r| &r.types),
        shared,
        Direction::Response,
    );
    let (mut index, mut ty) = scope
        .lookup(body)
        .ok_or_else(|| format!("the body type `{body}` of `{id}` does not resolve"))?;
    let segments: Vec<&str> = path.split('.').collect();
    let mut steps = Vec::new();
    for (k, segment) in segments.iter().enumerate() {
        let Some(position) = ty
            .fields
            .iter()
            .position(|f| f.name.as_deref() == Some(*segment))
        else {
            return Err(format!("`{}` has no field `{segment}`", ty.name));
        };
        let field = &ty.fields[position];
        steps.push((index, FieldIndex(position)));
        let expr = field.type_expr().and_then(Result::ok);
        if k + 1 == segments.len() {
            return match expr {
                Some(TypeExpr::String) => Ok((steps, field)),
                _ => Err(format!(
                    "`{segment}` is `{}`, not a string: a status is a string field",
                    field.ty.as_deref().unwrap_or("untyped")
                )),
            };
        }
        let Some(TypeExpr::Named(next)) = expr else {
            return Err(format!(
                "`{segment}` is `{}`, not an object type: only the last step of `status` may be a value",
                field.ty.as_deref().unwrap_or("untyped")
            ));
        };
        (index, ty) = scope
            .lookup(next)
            .ok_or_else(|| format!("the type `{next}` of `{segment}` does not resolve"))?;
    }
    Err("`status` is empty".to_owned())
}

/// Resolves a service's shared types (`shared`, sorted by name, each with its resource
/// file and place); `None` only if a check missed something.
pub(super) fn service(
    service: &str,
    shared: &[(Direction, &SharedTypeSpec)],
    places: &[(usize, usize)],
    operations: &std::collections::BTreeMap<&str, usize>,
) -> Option<ResolvedService> {
    let types = shared
        .iter()
        .zip(places)
        .map(|(&(direction, ty), &(file, index))| {
            let scope = Scope::new(&[], shared, direction);
            Some(ResolvedShared {
                file,
                index,
                direction,
                ty: resolve_type(ty.as_type(), &scope)?,
                pages: ty
                    .printed_on
                    .iter()
                    .map(|p| operations.get(p.operation.as_str()).copied())
                    .collect::<Option<_>>()?,
            })
        })
        .collect::<Option<_>>()?;
    Some(ResolvedService {
        service: service.to_owned(),
        types,
        waiters: Vec::new(),
    })
}

fn field_index(ty: &TypeSpec, name: &str) -> Option<FieldIndex> {
    ty.fields
        .iter()
        .position(|f| f.name.as_deref() == Some(name))
        .map(FieldIndex)
}

fn types(section: &[TypeSpec], scope: &Scope<'_>) -> Option<Vec<ResolvedType>> {
    section.iter().map(|ty| resolve_type(ty, scope)).collect()
}

fn resolve_type(ty: &TypeSpec, scope: &Scope<'_>) -> Option<ResolvedType> {
    Some(ResolvedType {
        fields: ty
            .fields
            .iter()
            .map(|f| field(f, scope))
            .collect::<Option<_>>()?,
        rules: ty
            .rules
            .iter()
            .map(|r| rule(ty, r))
            .collect::<Option<_>>()?,
    })
}

fn field(f: &FieldSpec, scope: &Scope<'_>) -> Option<ResolvedField> {
    let expr = f.type_expr()?.ok()?;
    Some(ResolvedField {
        wire: f.name.clone()?,
        ty: ty(expr, f, scope)?,
        constraints: constraints(f, expr, scope)?,
    })
}

/// Resolves the field names of `unique_by`, on `f` (of type `expr`) and on its items.
fn constraints(f: &FieldSpec, expr: &TypeExpr, scope: &Scope<'_>) -> Option<ResolvedConstraints> {
    let unique_by = if f.unique_by.is_empty() {
        Vec::new()
    } else {
        // The checks allow `unique_by` on an array of a named type only.
        let TypeExpr::Named(item) = expr.element()? else {
            return None;
        };
        let (_, item) = scope.lookup(item)?;
        f.unique_by
            .iter()
            .map(|name| field_index(item, name))
            .collect::<Option<_>>()?
    };
    let items = match (f.items.as_deref(), expr.element()) {
        (Some(items), Some(element)) => Some(Box::new(constraints(items, element, scope)?)),
        _ => None,
    };
    Some(ResolvedConstraints { unique_by, items })
}

/// Resolves `expr`; `spec` is the field (or, inside arrays and maps, its `items`) whose
/// `enum` applies at this level.
fn ty(expr: &TypeExpr, spec: &FieldSpec, scope: &Scope<'_>) -> Option<ResolvedTy> {
    let element = || -> Option<Box<ResolvedTy>> {
        let items = spec.items.as_deref().cloned().unwrap_or_default();
        Some(Box::new(ty(expr.element()?, &items, scope)?))
    };
    Some(match expr {
        TypeExpr::String => ResolvedTy::String(match &spec.enum_values {
            Some(values) => Some(
                values
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<_>>()?,
            ),
            None => None,
        }),
        TypeExpr::Integer => ResolvedTy::Integer,
        TypeExpr::Number => ResolvedTy::Number,
        TypeExpr::Boolean => ResolvedTy::Boolean,
        TypeExpr::Object => ResolvedTy::Object,
        TypeExpr::Array(_) => ResolvedTy::Array(element()?),
        TypeExpr::Map(_) => ResolvedTy::Map(element()?),
        TypeExpr::Named(name) => ResolvedTy::Named(scope.lookup(name)?.0),
    })
}

fn rule(ty: &TypeSpec, r: &RuleSpec) -> Option<Rule> {
    let condition = |c: &ConditionSpec| -> Option<Condition> {
        Some(Condition {
            field: field_index(ty, &c.field)?,
            values: c
                .equals
                .iter()
                .cloned()
                .chain(c.one_of.iter().flatten().cloned())
                .collect(),
            present: c.present == Some(true),
        })
    };
    let fields = |names: &[String]| -> Option<Vec<FieldIndex>> {
        names.iter().map(|n| field_index(ty, n)).collect()
    };
    Some(match r {
        RuleSpec {
            required_when: Some(r),
            ..
        } => Rule::RequiredWhen {
            field: field_index(ty, &r.field)?,
            condition: condition(&r.condition)?,
            text: r.text.clone(),
        },
        RuleSpec {
            only_when: Some(r), ..
        } => Rule::OnlyWhen {
            field: field_index(ty, &r.field)?,
            condition: condition(&r.condition)?,
            text: r.text.clone(),
        },
        RuleSpec {
            same_subnet: Some(r),
            ..
        } => Rule::SameSubnet {
            fields: fields(&r.fields)?,
            text: r.text.clone(),
        },
        RuleSpec {
            format_when: Some(r),
            ..
        } => Rule::FormatWhen {
            field: field_index(ty, &r.field)?,
            formats: r.format.0.clone(),
            condition: condition(&r.condition)?,
            text: r.text.clone(),
        },
        RuleSpec {
            server_side: Some(r),
            ..
        } => Rule::ServerSide {
            fields: fields(&r.fields)?,
            text: r.text.clone(),
        },
        _ => return None,
    })
}

/// The path template in pieces, each `{placeholder}` naming its path parameter.
fn path(template: &str, parameters: &[ResolvedParameter]) -> Option<Vec<PathSegment>> {
    let mut segments = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            segments.push(PathSegment::Literal(rest[..open].to_owned()));
        }
        let close = rest[open..].find('}')? + open;
        let name = &rest[open + 1..close];
        let index = parameters
            .iter()
            .position(|p| p.location == ParamLocation::Path && p.field.wire == name)?;
        segments.push(PathSegment::Parameter(ParamIndex(index)));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_owned()));
    }
    Some(segments)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// A file the checks would refuse (a rule names a field the type lacks, a placeholder
    /// no parameter declares) does not resolve: resolution says `None`, it never panics.
    #[test]
    fn an_unresolvable_file_is_none_not_a_panic() {
        let text = r#"
operation:
  id: create_widget
  title: Creating a Widget
  service: vpn
  method: POST
  path: /v1/widgets/{widget_id}
  source:
    page: 999_example.txt
request:
  body: CreateWidget
  types:
    - name: CreateWidget
      table: 1
      fields:
        - {name: a, type: string}
      rules:
        - required_when: {field: a, if: {field: missing, equals: x}}
"#;
        let path = Path::new("spec/vpn/create_widget.yaml");
        let file = crate::spec::parse_file(path, text.as_bytes()).expect("the text parses");
        assert!(super::file(&file, &[]).is_none());
    }
}
