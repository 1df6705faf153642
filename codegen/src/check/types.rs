//! Checks of types, fields, constraints, references and cross-field rules.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::value::{check_value, describe};
use super::{
    FileCx, TypeEntry, TypeExpr, TypeTable, direction_word, is_kebab_case, is_snake_case,
    is_upper_camel_case, section, type_keywords,
};
use crate::spec::{
    CharClass, ConditionSpec, Direction, ErratumSpec, FieldSpec, Format, NodePath, RuleSpec,
    TypeSpec,
};
use netapi_runtime::net::Prefixed;

/// Where a [`FieldSpec`] appears; each place allows different keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// A path, query or header parameter.
    Parameter,
    /// A field of an object type.
    Field(Direction),
    /// The element of an array or map.
    Items(Direction),
}

impl Place {
    fn direction(self) -> Direction {
        match self {
            Place::Parameter => Direction::Request,
            Place::Field(d) | Place::Items(d) => d,
        }
    }
}

/// Checks every type of the file, the parameters' constraints, references and errata ids.
pub(super) fn check_types(cx: &mut FileCx<'_>, types: &TypeTable<'_>) {
    let errata: BTreeSet<&str> = cx.file.spec.errata.iter().map(|e| e.id.as_str()).collect();
    let file = cx.file;
    check_errata_ids(cx, &file.spec.errata);
    for (i, parameter) in cx.file.spec.parameters.iter().enumerate() {
        let node = NodePath::root().key("parameters").index(i);
        check_field(cx, types, &errata, parameter, Place::Parameter, &node);
    }
    for (direction, entry) in types.iter() {
        check_type(cx, types, &errata, direction, entry);
    }
    check_rust_type_names(cx, types);
    check_body_refs(cx, types);
    check_reachable_and_acyclic(cx, types);
}

/// Rule: errata ids are kebab-case and unique, so fields and examples can cite them.
pub(super) fn check_errata_ids(cx: &mut FileCx<'_, impl Sized>, errata: &[ErratumSpec]) {
    let mut seen = BTreeMap::new();
    for (i, erratum) in errata.iter().enumerate() {
        let node = NodePath::root().key("errata").index(i).key("id");
        if !is_kebab_case(&erratum.id) {
            cx.error(
                &node,
                format!("erratum id `{}` is not kebab-case", erratum.id),
            );
        }
        if let Some(first) = seen.insert(erratum.id.as_str(), i) {
            let first_at = cx.locate(&NodePath::root().key("errata").index(first));
            cx.error_help(
                &node,
                format!("duplicate erratum id `{}`", erratum.id),
                format!("first defined at {first_at}"),
            );
        }
        for (key, text) in [
            ("where", &erratum.place),
            ("page_says", &erratum.page_says),
            ("decision", &erratum.decision),
            ("reason", &erratum.reason),
        ] {
            if text.trim().is_empty() {
                cx.error(
                    &NodePath::root().key("errata").index(i).key(key),
                    format!("erratum `{}` has an empty `{key}`", erratum.id),
                );
            }
        }
    }
}

/// Rule: two types of one direction may not become the same Rust name (`VPNTag` and
/// `VpnTag` both become `VpnTag`); the generator would have to rename one silently.
pub(super) fn check_rust_type_names(cx: &mut FileCx<'_, impl Sized>, types: &TypeTable<'_>) {
    let mut seen: BTreeMap<(Direction, String), &str> = BTreeMap::new();
    for (direction, entry) in types.iter() {
        let rust = crate::naming::type_name(&entry.spec.name)
            .as_str()
            .to_owned();
        match seen.get(&(direction, rust.clone())) {
            Some(first) if *first != entry.spec.name => cx.error_help(
                &entry.node.key("name"),
                format!(
                    "types `{first}` and `{}` both become `{rust}` in Rust",
                    entry.spec.name
                ),
                "rename one of them",
            ),
            _ => {
                seen.insert((direction, rust), &entry.spec.name);
            }
        }
    }
}

/// Rule: a type has an UpperCamelCase name, a table number, unique field wire names and
/// Rust names, and rules that name its own fields.
pub(super) fn check_type(
    cx: &mut FileCx<'_, impl Sized>,
    types: &TypeTable<'_>,
    errata: &BTreeSet<&str>,
    direction: Direction,
    entry: TypeEntry<'_>,
) {
    let ty = entry.spec;
    let node = entry.node;
    if !is_upper_camel_case(&ty.name) {
        cx.error(
            &node.key("name"),
            format!("type name `{}` is not UpperCamelCase", ty.name),
        );
    }
    if ty.table == 0 {
        cx.error(&node.key("table"), "table numbers start at 1");
    }
    if ty.fields.is_empty() {
        cx.error_help(
            node,
            format!("type `{}` has no fields", ty.name),
            "transcribe the table's rows under `fields`",
        );
    }
    let mut wire: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rust: BTreeMap<String, usize> = BTreeMap::new();
    for (i, field) in ty.fields.iter().enumerate() {
        let field_node = node.key("fields").index(i);
        check_field(
            cx,
            types,
            errata,
            field,
            Place::Field(direction),
            &field_node,
        );
        let Some(name) = field.name.as_deref() else {
            continue;
        };
        if let Some(first) = wire.insert(name, i) {
            let first_at = cx.locate(&node.key("fields").index(first));
            cx.error_help(
                &field_node.key("name"),
                format!("duplicate field `{name}` in type `{}`", ty.name),
                format!("first defined at {first_at}"),
            );
        }
        if let Some(rust_name) = &field.rust_name {
            if let Some(first) = rust.insert(rust_name.clone(), i) {
                let first_at = cx.locate(&node.key("fields").index(first));
                cx.error_help(
                    &field_node.key("rust_name"),
                    format!("duplicate Rust name `{rust_name}` in type `{}`", ty.name),
                    format!("first used at {first_at}"),
                );
            }
        }
    }
    for (i, rule) in ty.rules.iter().enumerate() {
        check_rule(cx, types, direction, ty, rule, &node.key("rules").index(i));
    }
}

/// Checks one field, parameter or items entry: keys allowed in its place, a valid type,
/// constraints that fit the type and each other, and a default that meets them.
pub(crate) fn check_field(
    cx: &mut FileCx<'_, impl Sized>,
    types: &TypeTable<'_>,
    errata: &BTreeSet<&str>,
    field: &FieldSpec,
    place: Place,
    node: &NodePath,
) {
    check_keys_for_place(cx, field, place, node);
    check_secret_default(cx, field, node);
    if let Some(name) = &field.rust_name {
        // An explicit Rust name is meant to be used as written; a keyword cannot be.
        if crate::naming::is_keyword(name) {
            cx.error_help(
                &node.key("rust_name"),
                format!("`rust_name` `{name}` is a Rust keyword"),
                "leave `rust_name` out to get `r#name`, or pick another name",
            );
        }
        if !is_snake_case(name) {
            cx.error(
                &node.key("rust_name"),
                format!("`rust_name` `{name}` is not a snake_case identifier"),
            );
        }
    }
    for (i, id) in field.errata.iter().enumerate() {
        if !errata.contains(id.as_str()) {
            cx.unknown(
                &node.key("errata").index(i),
                "erratum",
                id,
                errata.iter().copied(),
            );
        }
    }
    if matches!(place, Place::Items(_)) {
        // Items take their type from the enclosing `array<T>`; the caller checks their
        // constraints against that element type.
        return;
    }
    let ty = match (field.ty.as_deref(), field.type_expr()) {
        (_, Some(Ok(ty))) => ty,
        (Some(text), Some(Err(message))) => {
            let hint = did_you_mean_type(text, types, place.direction());
            return cx.error_help(&node.key("type"), message, hint);
        }
        _ => {
            let what = field.name.as_deref().unwrap_or("field");
            return cx.error_help(
                node,
                format!("`{what}` has no `type`"),
                "add `type: string` (or integer, boolean, array<T>, a type name...)",
            );
        }
    };
    check_constraints(cx, types, errata, field, ty, place, node);
}

/// Rule: a sensitive field or parameter has no `default`. Defaults are printed in the
/// generated docs and the OpenAPI export, so a secret's default would be published wherever
/// they go, and a secret everyone can read is no secret.
fn check_secret_default(cx: &mut FileCx<'_, impl Sized>, field: &FieldSpec, node: &NodePath) {
    if field.sensitive == Some(true) && field.default.is_some() {
        cx.error_help(
            &node.key("default"),
            "`default` is not allowed on a sensitive value: the generated docs and the OpenAPI export would print it",
            "leave `default` out; if the page documents one, record it in an erratum without the value",
        );
    }
}

fn did_you_mean_type(text: &str, types: &TypeTable<'_>, direction: Direction) -> String {
    let lowered = text.to_ascii_lowercase();
    if lowered.starts_with("array of") || lowered.starts_with("list") {
        return "write arrays as `array<T>`, e.g. `array<string>`".to_owned();
    }
    let mut names: Vec<&str> = types.names(direction).collect();
    for keyword in type_keywords() {
        names.push(keyword);
    }
    match crate::diag::did_you_mean(text, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "types are {} or a {} type name",
            type_keywords().collect::<Vec<_>>().join(", "),
            direction_word(direction)
        ),
    }
}

/// Rule: keys that make no sense in a place are errors there, so that nobody believes a
/// `required` on array items or an `in` on a body field has an effect.
fn check_keys_for_place(
    cx: &mut FileCx<'_, impl Sized>,
    field: &FieldSpec,
    place: Place,
    node: &NodePath,
) {
    let mut forbid = |present: bool, key: &str, why: &str| {
        if present {
            cx.error(
                &node.key(key),
                format!("`{key}` is not allowed here: {why}"),
            );
        }
    };
    match place {
        Place::Parameter => {}
        Place::Field(_) => {
            forbid(
                field.location.is_some(),
                "in",
                "only parameters have a location",
            );
            forbid(
                field.table.is_some(),
                "table",
                "a field's table is its type's `table`",
            );
            forbid(
                field.encoding.is_some(),
                "encoding",
                "only array query parameters have an encoding",
            );
        }
        Place::Items(_) => {
            let why = "array items take only constraints";
            forbid(field.name.is_some(), "name", why);
            forbid(field.rust_name.is_some(), "rust_name", why);
            forbid(
                field.ty.is_some(),
                "type",
                "the element type comes from `array<T>` or `map<T>`",
            );
            forbid(field.location.is_some(), "in", why);
            forbid(field.table.is_some(), "table", why);
            forbid(field.encoding.is_some(), "encoding", why);
            forbid(field.required.is_some(), "required", why);
            forbid(field.default.is_some(), "default", why);
            forbid(field.deprecated.is_some(), "deprecated", why);
            forbid(
                field.sensitive.is_some(),
                "sensitive",
                "mark the array field itself as sensitive",
            );
            forbid(
                !field.errata.is_empty(),
                "errata",
                "cite errata on the array field",
            );
        }
    }
    if field.name.is_none() && place != Place::Parameter && !matches!(place, Place::Items(_)) {
        cx.error(node, "field has no `name`");
    }
}

/// Checks the constraints of a field, parameter or items entry of type `ty`, one rule per
/// function: the named type exists, each key applies to the type, limits are ordered, an
/// integer range fits `i64`, string rules and enums are well formed, items and `unique_by`
/// resolve, and the default and fixed value meet every constraint. A constraint that can
/// never hold would reject every request.
fn check_constraints(
    cx: &mut FileCx<'_, impl Sized>,
    types: &TypeTable<'_>,
    errata: &BTreeSet<&str>,
    field: &FieldSpec,
    ty: &TypeExpr,
    place: Place,
    node: &NodePath,
) {
    let direction = place.direction();
    check_named_type_exists(cx, types, ty, direction, node);
    let misapplied = check_keys_fit_type(cx, field, ty, node);
    check_limits_ordered(cx, field, node);
    check_integer_range_fits(cx, field, ty, node);
    check_string_rules(cx, field, node);
    check_enum(cx, field, ty, direction, node);
    check_items(cx, types, errata, field, ty, direction, node);
    check_unique_by(cx, types, field, ty, direction, node);
    // A misapplied key already explains the problem, and items have no default or fixed
    // value of their own: reading a value against them would only repeat it.
    if !misapplied && !matches!(place, Place::Items(_)) {
        check_default_and_fixed(cx, types, field, ty, direction, node);
    }
}

/// Rule: a named type exists in the field's direction. A name the other direction defines
/// gets a hint of its own, since each direction defines its own types.
fn check_named_type_exists(
    cx: &mut FileCx<'_, impl Sized>,
    types: &TypeTable<'_>,
    ty: &TypeExpr,
    direction: Direction,
    node: &NodePath,
) {
    let Some(name) = ty.named() else {
        return;
    };
    if types.get(direction, name).is_some() {
        return;
    }
    let other = match direction {
        Direction::Request => Direction::Response,
        Direction::Response => Direction::Request,
    };
    let names: Vec<&str> = types.names(direction).collect();
    if types.get(other, name).is_some()
        && crate::diag::did_you_mean(name, names.iter().copied()).is_none()
    {
        cx.error_help(
            &node.key("type"),
            format!("unknown {} type `{name}`", direction_word(direction)),
            format!(
                "`{name}` is a {} type; each direction defines its own types",
                direction_word(other)
            ),
        );
    } else {
        cx.unknown(
            &node.key("type"),
            &format!("{} type", direction_word(direction)),
            name,
            names,
        );
    }
}

/// A constraint key and the types it applies to.
struct Applies {
    /// The key as written.
    key: &'static str,
    /// Whether the field sets it.
    present: fn(&FieldSpec) -> bool,
    /// Whether it applies to the type (some keys depend on other keys of the field).
    fits: fn(&TypeExpr, &FieldSpec) -> bool,
    /// The types it applies to, in words, for the message.
    what: &'static str,
}

fn is_string(ty: &TypeExpr) -> bool {
    *ty == TypeExpr::String
}

fn is_numeric(ty: &TypeExpr) -> bool {
    matches!(ty, TypeExpr::Integer | TypeExpr::Number)
}

fn is_array(ty: &TypeExpr) -> bool {
    matches!(ty, TypeExpr::Array(_))
}

/// Every constraint key with the types it applies to, in the order they are reported.
const APPLIES: &[Applies] = &[
    Applies {
        key: "min_length",
        present: |f| f.min_length.is_some(),
        fits: |t, _| is_string(t),
        what: "strings",
    },
    Applies {
        key: "max_length",
        present: |f| f.max_length.is_some(),
        fits: |t, _| is_string(t),
        what: "strings",
    },
    Applies {
        key: "charset",
        present: |f| f.charset.is_some(),
        fits: |t, _| is_string(t),
        what: "strings",
    },
    Applies {
        key: "char_classes",
        present: |f| f.char_classes.is_some(),
        fits: |t, _| is_string(t),
        what: "strings",
    },
    Applies {
        key: "format",
        present: |f| f.format.is_some(),
        fits: |t, _| is_string(t),
        what: "strings",
    },
    Applies {
        key: "prefix_length",
        present: |f| f.prefix_length.is_some(),
        fits: |t, _| is_string(t),
        what: "strings",
    },
    Applies {
        key: "within",
        present: |f| !f.within.is_empty(),
        fits: |t, _| is_string(t),
        what: "strings",
    },
    Applies {
        key: "reserved",
        present: |f| !f.reserved.is_empty(),
        fits: |t, _| is_string(t),
        what: "strings",
    },
    Applies {
        key: "host_address",
        present: |f| f.host_address.is_some(),
        fits: |t, _| is_string(t),
        what: "strings",
    },
    Applies {
        key: "minimum",
        present: |f| f.minimum.is_some(),
        fits: |t, _| is_numeric(t),
        what: "integers and numbers",
    },
    Applies {
        key: "maximum",
        present: |f| f.maximum.is_some(),
        fits: |t, _| is_numeric(t),
        what: "integers and numbers",
    },
    Applies {
        key: "enum",
        present: |f| f.enum_values.is_some(),
        fits: |t, _| is_string(t) || is_numeric(t),
        what: "strings and numbers",
    },
    Applies {
        key: "enum_case",
        present: |f| f.enum_case.is_some(),
        fits: |t, f| is_string(t) && f.enum_values.is_some(),
        what: "string enums",
    },
    Applies {
        key: "min_items",
        present: |f| f.min_items.is_some(),
        fits: |t, _| is_array(t),
        what: "arrays",
    },
    Applies {
        key: "max_items",
        present: |f| f.max_items.is_some(),
        fits: |t, _| is_array(t),
        what: "arrays",
    },
    Applies {
        key: "unique_items",
        present: |f| f.unique_items.is_some(),
        fits: |t, _| is_array(t),
        what: "arrays",
    },
    Applies {
        key: "unique_by",
        present: |f| !f.unique_by.is_empty(),
        fits: |t, _| is_array(t),
        what: "arrays",
    },
    Applies {
        key: "items",
        present: |f| f.items.is_some(),
        fits: |t, _| t.element().is_some(),
        what: "arrays and maps",
    },
    Applies {
        key: "fixed",
        present: |f| f.fixed.is_some(),
        fits: |t, _| is_string(t) || is_numeric(t) || *t == TypeExpr::Boolean,
        what: "strings, numbers and booleans",
    },
];

/// Rule: each constraint key applies to the field's type (the [`APPLIES`] table), so that
/// nobody believes a `max_length` on an integer has an effect. Returns whether one did not.
fn check_keys_fit_type(
    cx: &mut FileCx<'_, impl Sized>,
    field: &FieldSpec,
    ty: &TypeExpr,
    node: &NodePath,
) -> bool {
    let mut misapplied = false;
    for rule in APPLIES {
        if (rule.present)(field) && !(rule.fits)(ty, field) {
            misapplied = true;
            cx.error(
                &node.key(rule.key),
                format!(
                    "`{}` applies to {}, but the type is `{ty}`",
                    rule.key, rule.what
                ),
            );
        }
    }
    misapplied
}

/// Rule: a lower limit is not above its upper limit (lengths, values, item counts): no
/// value could satisfy both, and every request would be rejected.
fn check_limits_ordered(cx: &mut FileCx<'_, impl Sized>, field: &FieldSpec, node: &NodePath) {
    for (low_key, low, high_key, high) in [
        (
            "min_length",
            field.min_length.map(i128::from),
            "max_length",
            field.max_length.map(i128::from),
        ),
        (
            "minimum",
            field.minimum.map(i128::from),
            "maximum",
            field.maximum.map(i128::from),
        ),
        (
            "min_items",
            field.min_items.map(i128::from),
            "max_items",
            field.max_items.map(i128::from),
        ),
    ] {
        if let (Some(low), Some(high)) = (low, high) {
            if low > high {
                cx.error_help(
                    &node.key(low_key),
                    format!("`{low_key}` ({low}) is greater than `{high_key}` ({high})"),
                    "no value can satisfy both; check the page",
                );
            }
        }
    }
}

/// Rule: an integer range from below zero to above `u32::MAX` is refused. The message says
/// such a range cannot be represented, which is stricter than the truth (`i64` holds it);
/// it is kept as first written, so that splitting `check_constraints` changed no diagnostic.
fn check_integer_range_fits(
    cx: &mut FileCx<'_, impl Sized>,
    field: &FieldSpec,
    ty: &TypeExpr,
    node: &NodePath,
) {
    if *ty == TypeExpr::Integer
        && field.minimum.is_some_and(|m| m < 0)
        && field.maximum.is_some_and(|m| m > i64::from(u32::MAX))
    {
        cx.error(
            &node.key("maximum"),
            "integer ranges wider than i64 cannot be represented",
        );
    }
}

/// Rule: `items` takes only the keys items allow, and its constraints fit the element
/// type of the enclosing `array<T>` or `map<T>`.
fn check_items(
    cx: &mut FileCx<'_, impl Sized>,
    types: &TypeTable<'_>,
    errata: &BTreeSet<&str>,
    field: &FieldSpec,
    ty: &TypeExpr,
    direction: Direction,
    node: &NodePath,
) {
    let Some(items) = &field.items else {
        return;
    };
    let items_node = node.key("items");
    check_field(
        cx,
        types,
        errata,
        items,
        Place::Items(direction),
        &items_node,
    );
    if let Some(element) = ty.element() {
        check_constraints(
            cx,
            types,
            errata,
            items,
            element,
            Place::Items(direction),
            &items_node,
        );
    }
}

/// Rule: `unique_by` sits on an array of a named object type and names fields of that
/// type, so the generated check compares fields that exist.
fn check_unique_by(
    cx: &mut FileCx<'_, impl Sized>,
    types: &TypeTable<'_>,
    field: &FieldSpec,
    ty: &TypeExpr,
    direction: Direction,
    node: &NodePath,
) {
    if field.unique_by.is_empty() {
        return;
    }
    let item_type = ty.element().and_then(|e| match e {
        TypeExpr::Named(n) => types.get(direction, n),
        _ => None,
    });
    let Some(entry) = item_type else {
        return cx.error(
            &node.key("unique_by"),
            "`unique_by` needs an array of a named object type",
        );
    };
    for (i, name) in field.unique_by.iter().enumerate() {
        if !entry
            .spec
            .fields
            .iter()
            .any(|f| f.name.as_deref() == Some(name))
        {
            unknown_field(cx, &node.key("unique_by").index(i), entry.spec, name);
        }
    }
}

/// Rule: the default and the fixed value are not `null`, meet the field's own constraints
/// and agree with each other: a documented default the client would refuse, or two values
/// that contradict, mean the transcription (or the page) is wrong.
fn check_default_and_fixed(
    cx: &mut FileCx<'_, impl Sized>,
    types: &TypeTable<'_>,
    field: &FieldSpec,
    ty: &TypeExpr,
    direction: Direction,
    node: &NodePath,
) {
    for (key, value) in [("default", &field.default), ("fixed", &field.fixed)] {
        let Some(value) = value else { continue };
        if value.is_null() {
            cx.error(
                &node.key(key),
                format!("`{key}: null` has no effect; leave `{key}` out"),
            );
            continue;
        }
        for violation in check_value(types, direction, field, ty, value, "") {
            cx.error(
                &node.key(key),
                format!(
                    "{key} {} breaks the field's own constraints: {}",
                    describe(value),
                    violation.message
                ),
            );
        }
    }
    if let (Some(default), Some(fixed)) = (&field.default, &field.fixed) {
        if default != fixed {
            cx.error(
                &node.key("default"),
                format!(
                    "default {} differs from the fixed value {}",
                    describe(default),
                    describe(fixed)
                ),
            );
        }
    }
}

/// Rule: string constraints are well formed: blocks parse, character-class rules can be
/// met, prefix lengths fit the format.
fn check_string_rules(cx: &mut FileCx<'_, impl Sized>, field: &FieldSpec, node: &NodePath) {
    for (key, blocks) in [("within", &field.within), ("reserved", &field.reserved)] {
        for (i, block) in blocks.iter().enumerate() {
            match Prefixed::parse(block) {
                Some(p) if p.is_network() => {}
                Some(_) => cx.error_help(
                    &node.key(key).index(i),
                    format!("`{block}` has host bits set"),
                    "write the network address of the block",
                ),
                None => cx.error_help(
                    &node.key(key).index(i),
                    format!("`{block}` is not a CIDR block"),
                    "write blocks as `address/prefix`, e.g. `100.64.0.0/10`",
                ),
            }
        }
    }
    let formats: &[Format] = field.format.as_ref().map_or(&[], |f| &f.0);
    let address_format = formats.iter().any(|f| f.is_address());
    let prefixed_format = formats.iter().any(|f| {
        matches!(
            f,
            Format::Ipv4Cidr
                | Format::Ipv6Cidr
                | Format::Cidr
                | Format::Ipv4Interface
                | Format::Ipv6Interface
                | Format::IpInterface
        )
    });
    if field.format.as_ref().is_some_and(|f| f.0.is_empty()) {
        cx.error(&node.key("format"), "`format` lists no formats");
    }
    if field.prefix_length.is_some() && !prefixed_format {
        cx.error(
            &node.key("prefix_length"),
            "`prefix_length` needs a CIDR or interface `format`",
        );
    }
    if let Some(len) = field.prefix_length {
        let v4_only = formats
            .iter()
            .all(|f| matches!(f, Format::Ipv4Cidr | Format::Ipv4Interface | Format::Ipv4));
        if len > 128 || (v4_only && len > 32) {
            cx.error(
                &node.key("prefix_length"),
                format!("prefix length {len} is longer than the address"),
            );
        }
    }
    for (key, present) in [
        ("within", !field.within.is_empty()),
        ("reserved", !field.reserved.is_empty()),
    ] {
        if present && !address_format {
            cx.error(
                &node.key(key),
                format!("`{key}` needs an address `format` (ipv4, ipv4_cidr, ipv4_interface...)"),
            );
        }
    }
    if field.host_address == Some(true)
        && !formats.iter().any(|f| {
            matches!(
                f,
                Format::Ipv4Interface | Format::Ipv6Interface | Format::IpInterface
            )
        })
    {
        cx.error(
            &node.key("host_address"),
            "`host_address` needs an interface `format` (ipv4_interface...)",
        );
    }
    if let Some(classes) = &field.char_classes {
        let distinct: BTreeSet<CharClass> = classes.of.iter().copied().collect();
        if classes.at_least == 0 || usize::from(classes.at_least) > distinct.len() {
            cx.error(
                &node.key("char_classes").key("at_least"),
                format!(
                    "`at_least: {}` cannot be met with {} distinct classes",
                    classes.at_least,
                    distinct.len()
                ),
            );
        }
        if distinct.contains(&CharClass::Special)
            && classes.special.as_deref().is_none_or(str::is_empty)
        {
            cx.error_help(
                &node.key("char_classes"),
                "class `special` is listed but `special:` is empty",
                "copy the page's list of special characters into `special:`",
            );
        }
        if let (Some(max), Some(at_least)) = (field.max_length, Some(u64::from(classes.at_least))) {
            if max < at_least {
                cx.error(
                    &node.key("char_classes"),
                    format!("`at_least: {at_least}` classes cannot fit in `max_length: {max}`"),
                );
            }
        }
    }
    if let Some(charset) = &field.charset {
        if charset.allow.is_empty() && charset.chars.is_none() && charset.deny.is_none() {
            cx.error(&node.key("charset"), "`charset` allows and denies nothing");
        }
        if charset.allow.contains(&CharClass::Special)
            && charset.chars.as_deref().is_none_or(str::is_empty)
        {
            cx.error_help(
                &node.key("charset"),
                "class `special` is listed but `chars:` is empty",
                "list the special characters in `chars:`",
            );
        }
        if let (Some(chars), Some(deny)) = (&charset.chars, &charset.deny) {
            if let Some(c) = chars.chars().find(|c| deny.contains(*c)) {
                cx.error(
                    &node.key("charset"),
                    format!("`{c}` is both allowed and denied"),
                );
            }
        }
    }
}

/// Rule: enum values are unique, non-empty, of the field's type and, when compared
/// case-insensitively, distinct ignoring case.
///
/// Rule: `enum_case: insensitive` is for requests only. A response is read exactly, so
/// that what is read writes back byte for byte: a value in a casing the page does not
/// list is kept in the catch-all variant as sent, and an example showing it deviates from
/// the table. Folding case on a response would read `"BGP"` as `bgp` and write back
/// `"bgp"`, losing what the server said.
fn check_enum(
    cx: &mut FileCx<'_, impl Sized>,
    field: &FieldSpec,
    ty: &TypeExpr,
    direction: Direction,
    node: &NodePath,
) {
    let Some(values) = &field.enum_values else {
        return;
    };
    if values.is_empty() {
        cx.error(&node.key("enum"), "`enum` lists no values");
    }
    let mut insensitive = field.enum_case == Some(crate::spec::EnumCase::Insensitive);
    if insensitive && direction == Direction::Response {
        cx.error_help(
            &node.key("enum_case"),
            "`enum_case: insensitive` applies to request fields only; responses are read exactly",
            "remove it and list every casing the page shows (a value in another casing is kept in the catch-all variant `Unknown` as sent)",
        );
        insensitive = false;
    }
    let mut seen = BTreeSet::new();
    for (i, value) in values.iter().enumerate() {
        let ok = match ty {
            TypeExpr::String => value.as_str().is_some_and(|s| !s.is_empty()),
            TypeExpr::Integer => value.as_i64().is_some() || value.as_u64().is_some(),
            TypeExpr::Number => value.is_number(),
            _ => true,
        };
        if !ok {
            let message = match (ty, value) {
                (TypeExpr::Integer, Value::Number(n)) => {
                    format!("enum value {}", super::value::not_an_integer(n))
                }
                _ => format!("enum value {} is not a non-empty {ty}", describe(value)),
            };
            cx.error(&node.key("enum").index(i), message);
        }
        let key = match value {
            Value::String(s) if insensitive => s.to_lowercase(),
            other => other.to_string(),
        };
        if !seen.insert(key) {
            let how = if insensitive { " (ignoring case)" } else { "" };
            cx.error(
                &node.key("enum").index(i),
                format!("enum value {} is listed twice{how}", describe(value)),
            );
        }
    }
}

fn field_names(ty: &TypeSpec) -> Vec<&str> {
    ty.fields.iter().filter_map(|f| f.name.as_deref()).collect()
}

fn unknown_field(cx: &mut FileCx<'_, impl Sized>, node: &NodePath, ty: &TypeSpec, name: &str) {
    cx.missing(
        node,
        format!("type `{}` has no field `{name}`", ty.name),
        "field",
        name,
        field_names(ty),
    );
}

fn find_field<'t>(ty: &'t TypeSpec, name: &str) -> Option<&'t FieldSpec> {
    ty.fields.iter().find(|f| f.name.as_deref() == Some(name))
}

/// Rule: a rule names exactly one kind, refers to fields of its own type, and its
/// conditions use values the condition field can take; otherwise it could never fire.
pub(super) fn check_rule<S>(
    cx: &mut FileCx<'_, S>,
    types: &TypeTable<'_>,
    direction: Direction,
    ty: &TypeSpec,
    rule: &RuleSpec,
    node: &NodePath,
) {
    let kinds = [
        ("required_when", rule.required_when.is_some()),
        ("only_when", rule.only_when.is_some()),
        ("same_subnet", rule.same_subnet.is_some()),
        ("server_side", rule.server_side.is_some()),
        ("format_when", rule.format_when.is_some()),
    ];
    let present: Vec<&str> = kinds.iter().filter(|(_, p)| *p).map(|(k, _)| *k).collect();
    if present.len() != 1 {
        let all: Vec<&str> = kinds.iter().map(|(k, _)| *k).collect();
        return cx.error_help(
            node,
            format!(
                "a rule needs exactly one kind, found {}",
                if present.is_empty() {
                    "none".to_owned()
                } else {
                    present.join(", ")
                }
            ),
            format!("write one of: {}", all.join(", ")),
        );
    }
    let field_ref = |cx: &mut FileCx<'_, S>, name: &str, at: &NodePath| -> Option<FieldSpec> {
        match find_field(ty, name) {
            Some(f) => Some(f.clone()),
            None => {
                unknown_field(cx, at, ty, name);
                None
            }
        }
    };
    for (key, conditional) in [
        ("required_when", &rule.required_when),
        ("only_when", &rule.only_when),
    ] {
        let Some(conditional) = conditional else {
            continue;
        };
        let at = node.key(key);
        let target = field_ref(cx, &conditional.field, &at.key("field"));
        if key == "required_when" && target.as_ref().is_some_and(|f| f.required == Some(true)) {
            cx.error_help(
                &at.key("field"),
                format!(
                    "`{}` is always required, so `required_when` has no effect",
                    conditional.field
                ),
                "remove the rule or `required: true`",
            );
        }
        if conditional.condition.field == conditional.field {
            cx.error(
                &at.key("if").key("field"),
                "a rule's condition must be on another field",
            );
        }
        if let Some(condition_field) =
            field_ref(cx, &conditional.condition.field, &at.key("if").key("field"))
        {
            check_condition(
                cx,
                types,
                direction,
                &condition_field,
                &conditional.condition,
                &at.key("if"),
            );
        }
    }
    if let Some(rule) = &rule.format_when {
        let at = node.key("format_when");
        if let Some(target) = field_ref(cx, &rule.field, &at.key("field")) {
            if !matches!(target.type_expr(), Some(Ok(TypeExpr::String)))
                || target.enum_values.is_some()
            {
                cx.error(
                    &at.key("field"),
                    format!(
                        "`{}` is not a string field, so it has no format",
                        rule.field
                    ),
                );
            }
        }
        if rule.format.0.is_empty() {
            cx.error(&at.key("format"), "`format_when` names no format");
        }
        if rule.condition.field == rule.field {
            cx.error(
                &at.key("if").key("field"),
                "a rule's condition must be on another field",
            );
        }
        if let Some(condition_field) =
            field_ref(cx, &rule.condition.field, &at.key("if").key("field"))
        {
            check_condition(
                cx,
                types,
                direction,
                &condition_field,
                &rule.condition,
                &at.key("if"),
            );
        }
    }
    if let Some(rule) = &rule.same_subnet {
        let at = node.key("same_subnet");
        if rule.fields.len() < 2 {
            cx.error(&at.key("fields"), "`same_subnet` needs at least two fields");
        }
        for (i, name) in rule.fields.iter().enumerate() {
            if let Some(f) = field_ref(cx, name, &at.key("fields").index(i)) {
                let prefixed = f.format.as_ref().is_some_and(|fs| {
                    fs.0.iter().any(|f| {
                        f.is_address() && !matches!(f, Format::Ipv4 | Format::Ipv6 | Format::Ip)
                    })
                });
                if !prefixed {
                    cx.error(&at.key("fields").index(i), format!("`{name}` has no CIDR or interface `format`, so it has no block to compare"));
                }
            }
        }
    }
    if let Some(rule) = &rule.server_side {
        let at = node.key("server_side");
        if rule.fields.is_empty() {
            cx.error(&at.key("fields"), "`server_side` names no fields");
        }
        for (i, name) in rule.fields.iter().enumerate() {
            field_ref(cx, name, &at.key("fields").index(i));
        }
        if rule.text.trim().is_empty() {
            cx.error(
                &at.key("text"),
                "`server_side` needs the page's sentence in `text`",
            );
        }
    }
}

fn check_condition(
    cx: &mut FileCx<'_, impl Sized>,
    types: &TypeTable<'_>,
    direction: Direction,
    field: &FieldSpec,
    condition: &ConditionSpec,
    node: &NodePath,
) {
    let values: Vec<(NodePath, &Value)> = match (
        &condition.equals,
        &condition.one_of,
        condition.present,
    ) {
        // `present: true` holds for any value, so there is no value to check.
        (None, None, Some(true)) => return,
        (Some(v), None, None) => vec![(node.key("equals"), v)],
        (None, Some(vs), None) if !vs.is_empty() => vs
            .iter()
            .enumerate()
            .map(|(i, v)| (node.key("one_of").index(i), v))
            .collect(),
        _ => {
            return cx.error_help(
                node,
                "a condition needs exactly one of `equals`, `one_of` (non-empty) or `present: true`",
                "e.g. `if: {field: style, equals: policy}` or `if: {field: marker, present: true}`",
            );
        }
    };
    let Some(Ok(ty)) = field.type_expr() else {
        return;
    };
    for (at, value) in values {
        for violation in check_value(types, direction, field, ty, value, "") {
            cx.error(
                &at,
                format!(
                    "condition value {} can never match: {}",
                    describe(value),
                    violation.message
                ),
            );
        }
    }
}

/// Rule: `request.body` and each status's `body` name a type of their direction.
fn check_body_refs(cx: &mut FileCx<'_>, types: &TypeTable<'_>) {
    let spec = &cx.file.spec;
    let mut refs: Vec<(Direction, &str, NodePath)> = Vec::new();
    if let Some(request) = &spec.request {
        refs.push((
            Direction::Request,
            request.body.as_str(),
            section(Direction::Request).key("body"),
        ));
    }
    if let Some(response) = &spec.response {
        for (i, status) in response.statuses.iter().enumerate() {
            if let Some(body) = &status.body {
                refs.push((
                    Direction::Response,
                    body.as_str(),
                    section(Direction::Response)
                        .key("statuses")
                        .index(i)
                        .key("body"),
                ));
            }
        }
    }
    for (direction, name, node) in refs {
        if types.get(direction, name).is_none() {
            cx.unknown(
                &node,
                &format!("{} type", direction_word(direction)),
                name,
                types.names(direction),
            );
        }
    }
}

/// Rule: every type is reachable from a body (an unused table is a transcription slip) and
/// no type contains itself (tables do not recurse, and Rust would need boxes).
fn check_reachable_and_acyclic(cx: &mut FileCx<'_>, types: &TypeTable<'_>) {
    let spec = &cx.file.spec;
    let mut roots: Vec<(Direction, &str)> = Vec::new();
    if let Some(request) = &spec.request {
        roots.push((Direction::Request, &request.body));
    }
    for status in spec.response.iter().flat_map(|r| &r.statuses) {
        roots.extend(status.body.as_deref().map(|b| (Direction::Response, b)));
    }
    let children = |direction: Direction, ty: &TypeSpec| -> Vec<String> {
        ty.fields
            .iter()
            .filter_map(|f| f.type_expr()?.ok()?.named().map(str::to_owned))
            .filter(|n| types.get(direction, n).is_some())
            .collect()
    };
    let mut reached: BTreeSet<(Direction, String)> = BTreeSet::new();
    let mut stack: Vec<(Direction, String)> =
        roots.iter().map(|(d, n)| (*d, n.to_string())).collect();
    while let Some((direction, name)) = stack.pop() {
        let Some(entry) = types.get(direction, &name) else {
            continue;
        };
        if reached.insert((direction, name)) {
            stack.extend(
                children(direction, entry.spec)
                    .into_iter()
                    .map(|c| (direction, c)),
            );
        }
    }
    for (direction, entry) in types.iter() {
        if !reached.contains(&(direction, entry.spec.name.clone())) {
            cx.error_help(
                &entry.node.key("name"),
                format!(
                    "{} type `{}` is never used",
                    direction_word(direction),
                    entry.spec.name
                ),
                "refer to it from a field or a body, or remove it",
            );
        }
        // A depth-first walk from each type finds any path that leads back to it.
        let start = entry.spec.name.as_str();
        let mut trail = vec![start.to_owned()];
        if let Some(cycle) = find_cycle(types, direction, start, &children, &mut trail) {
            if cycle.iter().min().map(String::as_str) == Some(start) {
                cx.error_help(
                    &entry.node.key("name"),
                    format!("type `{start}` contains itself ({})", cycle.join(" → ")),
                    "recursive types are not supported; tables on these pages never recurse",
                );
            }
        }
    }
}

pub(super) fn find_cycle(
    types: &TypeTable<'_>,
    direction: Direction,
    start: &str,
    children: &dyn Fn(Direction, &TypeSpec) -> Vec<String>,
    trail: &mut Vec<String>,
) -> Option<Vec<String>> {
    let current = trail.last()?.clone();
    let entry = types.get(direction, &current)?;
    for child in children(direction, entry.spec) {
        if child == start {
            let mut cycle = trail.clone();
            cycle.push(child);
            return Some(cycle);
        }
        if !trail.contains(&child) {
            trail.push(child);
            if let Some(cycle) = find_cycle(types, direction, start, children, trail) {
                return Some(cycle);
            }
            trail.pop();
        }
    }
    None
}
