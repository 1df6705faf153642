//! Checks a JSON value against a spec field: the generator's own reading of the constraints,
//! used for example bodies, defaults, fixed values and rule conditions.

use serde_json::{Map, Value};

use super::{TypeExpr, TypeTable};
use crate::spec::{ConditionSpec, Direction, EnumCase, FieldSpec, Format, TypeSpec};
use netapi_runtime::net;
use netapi_runtime::secret::Secret;
use netapi_runtime::validate;

/// One way a value breaks the spec, at a JSON path such as `vpn_connection.tags[3].key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Violation {
    /// Where in the value (empty for the value itself).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// Checks `value` as the value of `field` with type `ty`, at JSON path `path`, and returns
/// every violation. Object types are looked up in `types` for `direction`.
pub(crate) fn check_value(
    types: &TypeTable<'_>,
    direction: Direction,
    field: &FieldSpec,
    ty: &TypeExpr,
    value: &Value,
    path: &str,
) -> Vec<Violation> {
    let mut checker = Checker {
        types,
        direction,
        out: Vec::new(),
    };
    checker.value(field, ty, value, path);
    checker.out
}

/// A short, safe rendering of a value for messages: long strings are cut.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::String(s) if s.chars().count() > 60 => {
            format!("\"{}…\"", s.chars().take(57).collect::<String>())
        }
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
        other => other.to_string(),
    }
}

/// Why a number is not a value of an integer field, said plainly. Integers are written as
/// integers: `60.0`, `6e1` and JSON's `-0` are read as floating-point numbers, by serde here
/// and by the generated crate alike, so they are refused with the spelling to use instead;
/// a fraction is never an integer.
pub(crate) fn not_an_integer(n: &serde_json::Number) -> String {
    let f = n.as_f64().unwrap_or(f64::NAN);
    if f == 0.0 && f.is_sign_negative() {
        return "-0 is read as a floating-point number (a negative zero), but the field is an integer: write 0".to_owned();
    }
    // The range of i64 and u64 together, where every integral f64 is an exact integer.
    if f.fract() == 0.0 && (-9.223_372_036_854_776e18..1.844_674_407_370_955_2e19).contains(&f) {
        let whole = if f < 0.0 {
            (f as i64).to_string()
        } else {
            (f as u64).to_string()
        };
        return format!(
            "{n} is a floating-point number, but the field is an integer: write {whole}"
        );
    }
    if f.is_finite() && f.fract() != 0.0 {
        return format!("{n} is not a whole number, and the field is an integer");
    }
    format!("{n} is outside the range of an integer field")
}

struct Checker<'a, 't> {
    types: &'a TypeTable<'t>,
    direction: Direction,
    out: Vec<Violation>,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Checker<'_, '_> {
    fn violation(&mut self, path: &str, message: String) {
        self.out.push(Violation {
            path: path.to_owned(),
            message,
        });
    }

    fn shown(field: &FieldSpec, value: &Value) -> String {
        if field.sensitive == Some(true) {
            "(secret)".to_owned()
        } else {
            describe(value)
        }
    }

    fn value(&mut self, field: &FieldSpec, ty: &TypeExpr, value: &Value, path: &str) {
        if value.is_null() {
            // Responses are read leniently: a null is as good as an absent field.
            if field.nullable != Some(true) && self.direction == Direction::Request {
                self.violation(path, "null is not allowed".to_owned());
            }
            return;
        }
        let mismatch = |expected: &str, value: &Value| {
            format!("expected {expected}, found {}", json_kind(value))
        };
        match (ty, value) {
            (TypeExpr::String, Value::String(s)) => self.string(field, s, value, path),
            (TypeExpr::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => {
                self.number(field, value, path)
            }
            (TypeExpr::Number, Value::Number(_)) => self.number(field, value, path),
            (TypeExpr::Boolean, Value::Bool(_)) => self.fixed(field, value, path),
            (TypeExpr::Object, Value::Object(_)) => {}
            (TypeExpr::Array(element), Value::Array(items)) => {
                self.array(field, element, items, path)
            }
            (TypeExpr::Map(element), Value::Object(map)) => {
                let items_field = field.items.as_deref().cloned().unwrap_or_default();
                for (key, item) in map {
                    self.value(&items_field, element, item, &join(path, key));
                }
            }
            (TypeExpr::Named(name), Value::Object(map)) => {
                match self.types.get(self.direction, name) {
                    Some(entry) => self.object(entry.spec, map, path),
                    None => self.violation(path, format!("unknown type `{name}`")),
                }
            }
            (TypeExpr::Integer, Value::Number(n)) => self.violation(path, not_an_integer(n)),
            (TypeExpr::Integer, v) => self.violation(path, mismatch("an integer", v)),
            (TypeExpr::String, v) => self.violation(path, mismatch("a string", v)),
            (TypeExpr::Number, v) => self.violation(path, mismatch("a number", v)),
            (TypeExpr::Boolean, v) => self.violation(path, mismatch("a boolean", v)),
            (TypeExpr::Array(_), v) => self.violation(path, mismatch("an array", v)),
            (TypeExpr::Object | TypeExpr::Map(_) | TypeExpr::Named(_), v) => {
                self.violation(path, mismatch("an object", v))
            }
        }
    }

    fn fixed(&mut self, field: &FieldSpec, value: &Value, path: &str) {
        if let Some(fixed) = &field.fixed {
            if fixed != value {
                self.violation(
                    path,
                    format!(
                        "{} is not the only allowed value {}",
                        Self::shown(field, value),
                        describe(fixed)
                    ),
                );
            }
        }
    }

    fn enum_member(field: &FieldSpec, value: &Value) -> bool {
        let Some(values) = &field.enum_values else {
            return true;
        };
        let insensitive = field.enum_case == Some(EnumCase::Insensitive);
        values.iter().any(|allowed| match (allowed, value) {
            (Value::String(a), Value::String(v)) if insensitive => {
                a.to_lowercase() == v.to_lowercase()
            }
            (Value::Number(a), Value::Number(v)) => a.as_f64() == v.as_f64(),
            (a, v) => a == v,
        })
    }

    fn check_enum(&mut self, field: &FieldSpec, value: &Value, path: &str) {
        if !Self::enum_member(field, value) {
            let list: Vec<String> = field.enum_values.iter().flatten().map(describe).collect();
            self.violation(
                path,
                format!(
                    "{} is not one of {}",
                    Self::shown(field, value),
                    list.join(", ")
                ),
            );
        }
    }

    fn number(&mut self, field: &FieldSpec, value: &Value, path: &str) {
        self.fixed(field, value, path);
        self.check_enum(field, value, path);
        // The runtime's own range check, as the generated validators call it: integers as
        // `i64`, other numbers as `f64`.
        let mut out = validate::Violations::new();
        let at = validate::Path::ROOT;
        match value.as_i64() {
            Some(n) => validate::range(n, field.minimum, field.maximum, &at, &mut out),
            None => validate::range(
                value.as_f64().unwrap_or(f64::NAN),
                field.minimum.map(|m| m as f64),
                field.maximum.map(|m| m as f64),
                &at,
                &mut out,
            ),
        }
        self.report(
            path,
            out,
            (field.sensitive == Some(true)).then_some("(secret)"),
        );
    }

    /// Reports the runtime's violations of one value at `path`, each as the value then the
    /// runtime's message ("0 is less than the minimum 1"); `hidden` replaces the value.
    fn report(&mut self, path: &str, out: validate::Violations, hidden: Option<&str>) {
        for violation in out {
            let value = hidden.map_or(violation.value, str::to_owned);
            let message = if value.is_empty() {
                violation.message
            } else {
                format!("{value} {}", violation.message)
            };
            self.violation(path, message);
        }
    }

    /// String constraints, judged by the runtime's own checks so that the generator and
    /// the generated validators agree on every value.
    fn string(&mut self, field: &FieldSpec, s: &str, value: &Value, path: &str) {
        self.fixed(field, value, path);
        self.check_enum(field, value, path);
        let mut out = validate::Violations::new();
        let at = validate::Path::ROOT;
        let secret = Secret::new(s);
        let plain = s.to_owned();
        let text: &dyn validate::Text = if field.sensitive == Some(true) {
            &secret
        } else {
            &plain
        };
        validate::length(text, field.min_length, field.max_length, &at, &mut out);
        if let Some(charset) = &field.charset {
            let chars = charset.chars.as_deref().unwrap_or("");
            let deny = charset.deny.as_deref().unwrap_or("");
            let mask = netapi_runtime::vocabulary::ascii_mask(&charset.allow, chars, deny);
            validate::charset(text, &mask, &charset.allow, chars, deny, &at, &mut out);
        }
        if let Some(rule) = &field.char_classes {
            validate::char_classes(
                text,
                rule.at_least,
                &rule.of,
                rule.special.as_deref().unwrap_or(""),
                &at,
                &mut out,
            );
        }
        let formats: &[Format] = field.format.as_ref().map_or(&[], |f| &f.0);
        if formats.is_empty() || validate::format(text, formats, &at, &mut out) {
            let address = validate::Address::new(s);
            if let Some(len) = field.prefix_length {
                address.prefix_length(len, &at, &mut out);
            }
            let within: Vec<validate::Block<'_>> = field
                .within
                .iter()
                .filter_map(|b| validate::Block::parse(b))
                .collect();
            if !within.is_empty() {
                address.within(&within, &at, &mut out);
            }
            let reserved: Vec<validate::Block<'_>> = field
                .reserved
                .iter()
                .filter_map(|b| validate::Block::parse(b))
                .collect();
            address.reserved(&reserved, &at, &mut out);
            if field.host_address == Some(true) {
                address.host_address(&at, &mut out);
            }
        }
        self.report(path, out, None);
    }

    fn array(&mut self, field: &FieldSpec, element: &TypeExpr, items: &[Value], path: &str) {
        let mut out = validate::Violations::new();
        validate::items(
            items.len(),
            field.min_items,
            field.max_items,
            &validate::Path::ROOT,
            &mut out,
        );
        self.report(path, out, None);
        let items_field = field.items.as_deref().cloned().unwrap_or_default();
        for (i, item) in items.iter().enumerate() {
            let item_path = format!("{path}[{i}]");
            self.value(&items_field, element, item, &item_path);
            if field.unique_items == Some(true) && items[..i].contains(item) {
                self.violation(&item_path, "duplicate item".to_owned());
            }
            for key in &field.unique_by {
                let Some(v) = item.get(key).filter(|v| !v.is_null()) else {
                    continue;
                };
                if items[..i].iter().any(|earlier| earlier.get(key) == Some(v)) {
                    self.violation(
                        &join(&item_path, key),
                        format!("{} is not unique across `{path}`", describe(v)),
                    );
                }
            }
        }
    }

    fn object(&mut self, ty: &TypeSpec, map: &Map<String, Value>, path: &str) {
        for (i, field) in ty.fields.iter().enumerate() {
            let Some(name) = field.name.as_deref() else {
                continue;
            };
            // A duplicated field is reported by the type checks; judge values by its first row.
            if ty.fields[..i]
                .iter()
                .any(|f| f.name.as_deref() == Some(name))
            {
                continue;
            }
            let field_path = join(path, name);
            match map.get(name) {
                None if field.required == Some(true) => {
                    self.violation(&field_path, "required field is missing".to_owned())
                }
                None => {}
                Some(value) => {
                    if let Some(Ok(field_ty)) = field.type_expr() {
                        self.value(field, field_ty, value, &field_path);
                    }
                }
            }
        }
        for key in map.keys() {
            if !ty.fields.iter().any(|f| f.name.as_deref() == Some(key)) {
                self.violation(
                    &join(path, key),
                    format!("no table lists the key `{key}` in `{}`", ty.name),
                );
            }
        }
        self.rules(ty, map, path);
    }

    fn rules(&mut self, ty: &TypeSpec, map: &Map<String, Value>, path: &str) {
        let present = |name: &str| map.get(name).is_some_and(|v| !v.is_null());
        for rule in &ty.rules {
            if let Some(rule) = &rule.required_when {
                if condition_holds(ty, map, &rule.condition) && !present(&rule.field) {
                    self.violation(
                        &join(path, &rule.field),
                        format!("required when {}", describe_condition(&rule.condition)),
                    );
                }
            }
            if let Some(rule) = &rule.only_when {
                if present(&rule.field) && !condition_holds(ty, map, &rule.condition) {
                    self.violation(
                        &join(path, &rule.field),
                        format!("allowed only when {}", describe_condition(&rule.condition)),
                    );
                }
            }
            if let Some(rule) = &rule.format_when {
                // A rule with no format is reported by the rule checks, not here.
                let value = map
                    .get(&rule.field)
                    .and_then(Value::as_str)
                    .filter(|_| !rule.format.0.is_empty());
                if let Some(text) = value.filter(|_| condition_holds(ty, map, &rule.condition)) {
                    let mut out = validate::Violations::new();
                    validate::format(text, &rule.format.0, &validate::Path::ROOT, &mut out);
                    for violation in out {
                        self.violation(
                            &join(path, &rule.field),
                            format!(
                                "{} {} when {}",
                                violation.value,
                                violation.message,
                                describe_condition(&rule.condition)
                            ),
                        );
                    }
                }
            }
            if let Some(rule) = &rule.same_subnet {
                let blocks: Vec<(String, net::Prefixed)> = rule
                    .fields
                    .iter()
                    .filter_map(|f| Some((f.clone(), net::Prefixed::parse(map.get(f)?.as_str()?)?)))
                    .collect();
                if let Some((first_name, first)) = blocks.first() {
                    for (name, block) in &blocks[1..] {
                        if !first.same_block(block) {
                            self.violation(
                                &join(path, name),
                                format!("not in the same block as `{first_name}`"),
                            );
                        }
                    }
                }
            }
        }
    }
}

/// True when the condition field (or, when unset, its default) matches the condition.
pub(crate) fn condition_holds(
    ty: &TypeSpec,
    map: &Map<String, Value>,
    condition: &ConditionSpec,
) -> bool {
    if condition.present == Some(true) {
        // Set means sent: a default does not count.
        return map.get(&condition.field).is_some_and(|v| !v.is_null());
    }
    let field = ty
        .fields
        .iter()
        .find(|f| f.name.as_deref() == Some(condition.field.as_str()));
    let actual = map
        .get(&condition.field)
        .filter(|v| !v.is_null())
        .or(field.and_then(|f| f.default.as_ref()));
    let Some(actual) = actual else { return false };
    let insensitive = field.is_some_and(|f| f.enum_case == Some(EnumCase::Insensitive));
    let matches = |expected: &Value| match (expected, actual) {
        (Value::String(e), Value::String(a)) if insensitive => e.to_lowercase() == a.to_lowercase(),
        (e, a) => e == a,
    };
    condition.equals.as_ref().is_some_and(matches) || condition.one_of.iter().flatten().any(matches)
}

pub(crate) fn describe_condition(condition: &ConditionSpec) -> String {
    match (&condition.equals, &condition.one_of) {
        (Some(v), _) => format!("`{}` is {}", condition.field, describe(v)),
        (None, Some(vs)) => {
            let list: Vec<String> = vs.iter().map(describe).collect();
            format!("`{}` is one of {}", condition.field, list.join(", "))
        }
        (None, None) => format!("`{}` is set", condition.field),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The messages `check` reports for one spec file given as text.
    fn errors(text: &str) -> Vec<String> {
        let path = Path::new("spec/vpn/create_widget.yaml");
        let file = crate::spec::parse_file(path, text.as_bytes()).expect("the text parses");
        let set = crate::spec::SpecSet {
            files: vec![file],
            resources: Vec::new(),
            inputs: Vec::new(),
        };
        match crate::check::check(set) {
            Ok(_) => Vec::new(),
            Err(diagnostics) => diagnostics
                .sorted()
                .iter()
                .map(|d| d.message.clone())
                .collect(),
        }
    }

    fn widget(field: &str) -> String {
        format!(
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
{field}
response:
  statuses:
    - status: 200
"#
        )
    }

    /// The generator judges integers as the generated validators do (the runtime's `range`
    /// on `i64`). It used to compare them as `f64`, where 2^53 + 1 equals 2^53, and so
    /// accepted a default the generated crate rejects.
    #[test]
    fn integer_limits_are_judged_as_the_runtime_judges_them() {
        let errors = errors(&widget(
            "        - name: size\n          type: integer\n          maximum: 9007199254740992\n          default: 9007199254740993",
        ));
        assert_eq!(
            errors,
            [
                "default 9007199254740993 breaks the field's own constraints: 9007199254740993 is greater than the maximum 9007199254740992"
            ]
        );
    }

    /// Item counts are the runtime's `items` check, with its message.
    #[test]
    fn item_counts_are_the_runtimes() {
        let errors = errors(&widget(
            "        - name: names\n          type: array<string>\n          min_items: 2\n          default: [a]",
        ));
        assert_eq!(
            errors,
            [
                "default an array breaks the field's own constraints: has 1 items, fewer than the minimum 2"
            ]
        );
    }
}
