//! Boundary cases derived from the IR: for every constraint of every request field, bodies
//! at the limit (accepted) and one past it (rejected), for every enum value, character
//! class and cross-field rule. A new endpoint gets the same coverage without a line of test
//! code.
//!
//! Each case is a complete request body, built from a synthesized valid body: mandatory
//! fields filled with values that meet their constraints, rules satisfied, and then one
//! field changed. The cases say what a correct validator must answer; the tests run them
//! through the generated crate, and benchmarks can run them through other generators.
//!
//! The cases judge the runtime's predicates, so they are not built with them: which
//! characters a class holds, what a charset allows and what block an address lies in are
//! the `oracle` module's own, simpler answers, checked against the runtime's in its tests.
//! From the runtime the cases take only its vocabulary (`Class`, `Format`, and
//! `validate::ViolationKind`, the kind of violation a case expects).

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::ir::{
    Api, Constraints, EnumDef, Field, FieldIndex, Presence, Rule, StructDef, TypeId, TypeKind,
    TypeRef,
};
use netapi_runtime::text::Class;
use netapi_runtime::validate::{self, Format};

mod oracle;

use oracle::Block;

/// What a correct validator answers for a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// The body is valid.
    Accept,
    /// The body is refused with (at least) a violation of `rule` at `path`.
    Reject {
        /// The JSON path of the violation.
        path: String,
        /// The rules that may report it (a value one past an integer type's range may be
        /// refused by the parser rather than the range check).
        rules: Vec<validate::ViolationKind>,
    },
}

/// One request body and the expected verdict.
#[derive(Clone, Debug)]
pub struct Case {
    /// The operation id.
    pub operation: String,
    /// What the case tests, as `vpn_connection.name: max_length 64, at the limit`.
    pub name: String,
    /// The whole request body.
    pub body: Value,
    /// The expected verdict.
    pub expect: Expect,
}

/// Every case for every operation with a request body.
pub fn cases(api: &Api) -> Vec<Case> {
    let mut out = Vec::new();
    for op in &api.operations {
        let Some(root) = op.request else { continue };
        let mut generator = Gen {
            api,
            values: Values { api },
            operation: &op.id,
            out: Vec::new(),
        };
        let body = generator.values.object(root, 0);
        generator.push(
            "the synthesized body".to_owned(),
            body.clone(),
            Expect::Accept,
        );
        generator.explore(&body, &[], root, 0);
        out.extend(generator.out);
    }
    out
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn render(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn get_mut<'v>(body: &'v mut Value, path: &[Seg]) -> Option<&'v mut Value> {
    let mut current = body;
    for seg in path {
        current = match seg {
            Seg::Key(k) => current.as_object_mut()?.get_mut(k)?,
            Seg::Index(i) => current.as_array_mut()?.get_mut(*i)?,
        };
    }
    Some(current)
}

/// `body` with the member `key` of the object at `path` set to `value` (or removed).
fn with(body: &Value, path: &[Seg], key: &str, value: Option<Value>) -> Value {
    let mut body = body.clone();
    if let Some(Value::Object(map)) = get_mut(&mut body, path) {
        match value {
            Some(v) => {
                map.insert(key.to_owned(), v);
            }
            None => {
                map.remove(key);
            }
        }
    }
    body
}

/// Builds valid values from constraints; shared by the case builders' closures.
#[derive(Clone, Copy)]
struct Values<'a> {
    api: &'a Api,
}

struct Gen<'a> {
    api: &'a Api,
    values: Values<'a>,
    operation: &'a str,
    out: Vec<Case>,
}

impl Gen<'_> {
    fn push(&mut self, name: String, body: Value, expect: Expect) {
        self.out.push(Case {
            operation: self.operation.to_owned(),
            name,
            body,
            expect,
        });
    }

    fn reject(&mut self, name: String, body: Value, path: &str, rules: &[validate::ViolationKind]) {
        self.push(
            name,
            body,
            Expect::Reject {
                path: path.to_owned(),
                rules: rules.to_vec(),
            },
        );
    }

    /// Walks the struct at `path` of `body` (which is valid), emitting cases for each field,
    /// then recursing into nested objects and array items.
    fn explore(&mut self, body: &Value, path: &[Seg], id: TypeId, depth: usize) {
        if depth > 8 {
            return;
        }
        let def = self.values.def(id).clone();
        for (index, f) in def.fields.iter().enumerate() {
            let here = render(&[path, &[Seg::Key(f.wire.clone())]].concat());
            let with_field = self.with_field(body, path, &def, index);
            self.push(
                format!("{here}: set to a valid value"),
                with_field.clone(),
                Expect::Accept,
            );
            self.field_cases(&with_field, path, f, &here, Some(&def));
            let mut inner_path = path.to_vec();
            inner_path.push(Seg::Key(f.wire.clone()));
            match &f.ty {
                TypeRef::Named(inner)
                    if matches!(self.api.ty(*inner).kind, TypeKind::Struct(_)) =>
                {
                    self.explore(&with_field, &inner_path, *inner, depth + 1);
                }
                TypeRef::Array(element) => {
                    if let TypeRef::Named(inner) = element.as_ref() {
                        if matches!(self.api.ty(*inner).kind, TypeKind::Struct(_)) {
                            inner_path.push(Seg::Index(0));
                            self.explore(&with_field, &inner_path, *inner, depth + 1);
                        }
                    }
                }
                _ => {}
            }
            if f.presence.is_plain() {
                self.reject(
                    format!("{here}: mandatory, left out"),
                    with(body, path, &f.wire, None),
                    &here,
                    &[validate::ViolationKind::Structure],
                );
            }
            if f.nullable {
                self.push(
                    format!("{here}: null"),
                    with(body, path, &f.wire, Some(Value::Null)),
                    Expect::Accept,
                );
            }
            self.push_type_error(body, path, f, &here);
        }
        self.rule_cases(body, path, &def);
    }

    /// `body` with field `index` of the object at `path` set to a valid value, and the
    /// object adjusted so that its rules still hold (an `only_when` condition made true,
    /// fields a `required_when` now demands added).
    fn with_field(&self, body: &Value, path: &[Seg], def: &StructDef, index: usize) -> Value {
        let f = &def.fields[index];
        let mut body = body.clone();
        let Some(Value::Object(map)) = get_mut(&mut body, path) else {
            return body;
        };
        if !map.contains_key(&f.wire) {
            map.insert(f.wire.clone(), self.values.valid(f, 0));
        }
        for rule in &def.rules {
            if let Rule::OnlyWhen {
                field, condition, ..
            } = rule
            {
                if *field == FieldIndex(index) && !holds(def, map, condition) {
                    let target = &def.fields[condition.field];
                    if condition.present {
                        map.insert(target.wire.clone(), self.values.valid(target, 0));
                    } else if let Some(value) = condition.values.first() {
                        map.insert(target.wire.clone(), wire_value(self.api, target, value));
                    }
                }
            }
        }
        self.values.satisfy_rules(def, map);
        self.values.conform(def, map, 0);
        body
    }

    /// A wrong JSON type for the field is refused by the parser.
    fn push_type_error(&mut self, body: &Value, path: &[Seg], f: &Field, here: &str) {
        let wrong = match &f.ty {
            TypeRef::String | TypeRef::Secret => json!(12345),
            TypeRef::Integer | TypeRef::Number => json!("12"),
            TypeRef::Boolean => json!("true"),
            TypeRef::Array(_) => json!({"not": "an array"}),
            TypeRef::Json | TypeRef::Map(_) => json!([1]),
            TypeRef::Named(id) => match self.api.ty(*id).kind {
                TypeKind::Enum(_) => json!(7),
                TypeKind::Struct(_) => json!("not an object"),
            },
        };
        self.reject(
            format!("{here}: wrong JSON type"),
            with(body, path, &f.wire, Some(wrong)),
            here,
            &[validate::ViolationKind::Structure],
        );
    }

    /// Boundary cases of one field's constraints, in `body` where the field is set.
    fn field_cases(
        &mut self,
        body: &Value,
        path: &[Seg],
        f: &Field,
        here: &str,
        def: Option<&StructDef>,
    ) {
        let c = &f.constraints;
        let values = self.values;
        // Setting a value may bring a `required_when` into force; settle the object so that
        // the only problem in a body is the one the case is about.
        let settled = |value: Value| {
            let body = with(body, path, &f.wire, Some(value));
            match def {
                Some(def) => values.release(values.settle(body, path, def), path, def, &f.wire),
                None => body,
            }
        };
        let set = &settled;
        match &f.ty {
            TypeRef::String | TypeRef::Secret => self.text_cases(set, f, here),
            TypeRef::Integer => {
                let (low, high) = bounds(c);
                if let Some(min) = c.minimum {
                    self.push(
                        format!("{here}: minimum {min}, at the limit"),
                        set(json!(min)),
                        Expect::Accept,
                    );
                    if let Some(past) = min.checked_sub(1) {
                        self.reject(
                            format!("{here}: minimum {min}, one below"),
                            set(json!(past)),
                            here,
                            &[
                                validate::ViolationKind::Minimum,
                                validate::ViolationKind::Structure,
                            ],
                        );
                    }
                }
                if let Some(max) = c.maximum {
                    self.push(
                        format!("{here}: maximum {max}, at the limit"),
                        set(json!(max)),
                        Expect::Accept,
                    );
                    if let Some(past) = max.checked_add(1) {
                        self.reject(
                            format!("{here}: maximum {max}, one above"),
                            set(json!(past)),
                            here,
                            &[
                                validate::ViolationKind::Maximum,
                                validate::ViolationKind::Structure,
                            ],
                        );
                    }
                }
                if let Some(n) = c.fixed.as_ref().and_then(Value::as_i64) {
                    self.push(format!("{here}: fixed {n}"), set(json!(n)), Expect::Accept);
                    let other = if n < high { n + 1 } else { n - 1 };
                    self.reject(
                        format!("{here}: fixed {n}, another value"),
                        set(json!(other)),
                        here,
                        &[validate::ViolationKind::Fixed],
                    );
                }
                for v in &c.enum_values {
                    self.push(
                        format!("{here}: enum value {v}"),
                        set(v.clone()),
                        Expect::Accept,
                    );
                }
                if let Some(outside) = (low..=high)
                    .find(|v| !c.enum_values.iter().any(|e| e.as_i64() == Some(*v)))
                    .filter(|_| !c.enum_values.is_empty())
                {
                    self.reject(
                        format!("{here}: outside the enum"),
                        set(json!(outside)),
                        here,
                        &[validate::ViolationKind::Enum],
                    );
                }
            }
            TypeRef::Number => {
                if let Some(min) = c.minimum {
                    self.push(
                        format!("{here}: minimum {min}, at the limit"),
                        set(json!(min as f64)),
                        Expect::Accept,
                    );
                    self.reject(
                        format!("{here}: minimum {min}, below"),
                        set(json!(min as f64 - 0.5)),
                        here,
                        &[validate::ViolationKind::Minimum],
                    );
                }
                if let Some(max) = c.maximum {
                    self.push(
                        format!("{here}: maximum {max}, at the limit"),
                        set(json!(max as f64)),
                        Expect::Accept,
                    );
                    self.reject(
                        format!("{here}: maximum {max}, above"),
                        set(json!(max as f64 + 0.5)),
                        here,
                        &[validate::ViolationKind::Maximum],
                    );
                }
            }
            TypeRef::Boolean => {
                if let Some(b) = c.fixed.as_ref().and_then(Value::as_bool) {
                    self.push(format!("{here}: fixed {b}"), set(json!(b)), Expect::Accept);
                    self.reject(
                        format!("{here}: fixed {b}, the other value"),
                        set(json!(!b)),
                        here,
                        &[validate::ViolationKind::Fixed],
                    );
                } else {
                    self.push(format!("{here}: false"), set(json!(false)), Expect::Accept);
                }
            }
            TypeRef::Named(id) => {
                if let TypeKind::Enum(def) = &self.api.ty(*id).kind {
                    self.enum_cases(def, set, here);
                }
            }
            TypeRef::Array(inner) => self.array_cases(set, f, inner, here),
            TypeRef::Json | TypeRef::Map(_) => {}
        }
    }

    fn enum_cases(&mut self, def: &EnumDef, set: &dyn Fn(Value) -> Value, here: &str) {
        for v in &def.variants {
            self.push(
                format!("{here}: enum value {}", v.wire),
                set(json!(v.wire)),
                Expect::Accept,
            );
            if def.case_insensitive {
                let other = if v.wire.to_uppercase() != v.wire {
                    v.wire.to_uppercase()
                } else {
                    v.wire.to_lowercase()
                };
                self.push(
                    format!("{here}: enum value {} in another casing", v.wire),
                    set(json!(other)),
                    Expect::Accept,
                );
            }
        }
        self.reject(
            format!("{here}: a value outside the enum"),
            set(json!("no-such-value")),
            here,
            &[validate::ViolationKind::Structure],
        );
    }

    fn text_cases(&mut self, set_value: &dyn Fn(Value) -> Value, f: &Field, here: &str) {
        let c = &f.constraints;
        let set = |value: String| set_value(Value::String(value));
        if let Some(fixed) = c.fixed.as_ref().and_then(Value::as_str) {
            self.push(
                format!("{here}: fixed {fixed}"),
                set(fixed.to_owned()),
                Expect::Accept,
            );
            self.reject(
                format!("{here}: fixed {fixed}, another value"),
                set(format!("{fixed}x")),
                here,
                &[validate::ViolationKind::Fixed],
            );
            return;
        }
        if !c.formats.is_empty() {
            return self.address_cases(set_value, f, here);
        }
        if let Some(min) = c.min_length {
            if let Some(value) = text_value(c, Some(min as usize), 0) {
                self.push(
                    format!("{here}: min_length {min}, at the limit"),
                    set(value),
                    Expect::Accept,
                );
            }
            if min > 0 {
                // One character short; the value may break other rules too, the minimum
                // is what must be reported.
                if let Some(value) = text_value(c, Some(min as usize), 0) {
                    let short: String = value.chars().take(min as usize - 1).collect();
                    self.reject(
                        format!("{here}: min_length {min}, one short"),
                        set(short),
                        here,
                        &[validate::ViolationKind::MinLength],
                    );
                }
            }
        }
        if let Some(max) = c.max_length {
            if let Some(value) = text_value(c, Some(max as usize), 0) {
                self.push(
                    format!("{here}: max_length {max}, at the limit"),
                    set(value.clone()),
                    Expect::Accept,
                );
                let filler = filler_char(c).unwrap_or('a');
                self.reject(
                    format!("{here}: max_length {max}, one over"),
                    set(format!("{value}{filler}")),
                    here,
                    &[validate::ViolationKind::MaxLength],
                );
            }
        }
        if let Some(charset) = &c.charset {
            for class in &charset.allow {
                if let Some(value) = text_value(c, None, 0)
                    .and_then(|v| replace_one(&v, representative(*class, &charset.chars)?, c))
                {
                    self.push(
                        format!("{here}: charset allows {}", class.name()),
                        set(value),
                        Expect::Accept,
                    );
                }
            }
            for extra in charset.chars.chars() {
                if let Some(value) = text_value(c, None, 0).and_then(|v| replace_one(&v, extra, c))
                {
                    self.push(
                        format!("{here}: charset allows {extra:?}"),
                        set(value),
                        Expect::Accept,
                    );
                }
            }
            let forbidden: Vec<char> = if charset.deny.is_empty() {
                ['☃', '<', '~', '\t']
                    .into_iter()
                    .filter(|ch| !oracle::charset_allows(charset, *ch))
                    .take(1)
                    .collect()
            } else {
                charset.deny.chars().collect()
            };
            for bad in forbidden {
                if let Some(valid) = text_value(c, None, 0) {
                    let mut chars: Vec<char> = valid.chars().collect();
                    chars[0] = bad;
                    self.reject(
                        format!("{here}: charset refuses {bad:?}"),
                        set(chars.into_iter().collect()),
                        here,
                        &[validate::ViolationKind::Charset],
                    );
                }
            }
        }
        if let Some(rule) = &c.char_classes {
            let needed = usize::from(rule.at_least);
            // Each class counts: for every class, a value made of it and the classes after
            // it (wrapping around), exactly as many as needed.
            for start in 0..rule.of.len() {
                let chosen: Vec<Class> = (0..needed.min(rule.of.len()))
                    .map(|k| rule.of[(start + k) % rule.of.len()])
                    .collect();
                if let Some(value) = classes_value(c, &chosen, &rule.special) {
                    let names: Vec<&str> = chosen.iter().map(|k| k.name()).collect();
                    self.push(
                        format!(
                            "{here}: char_classes, exactly {needed}: {}",
                            names.join(", ")
                        ),
                        set(value),
                        Expect::Accept,
                    );
                }
            }
            if needed > 1 {
                if let Some(value) = classes_value(c, &rule.of[..needed - 1], &rule.special) {
                    self.reject(
                        format!("{here}: char_classes, only {} classes", needed - 1),
                        set(value),
                        here,
                        &[validate::ViolationKind::CharClasses],
                    );
                }
            }
        }
    }

    fn address_cases(&mut self, set_value: &dyn Fn(Value) -> Value, f: &Field, here: &str) {
        let c = &f.constraints;
        let set = |value: String| set_value(Value::String(value));
        for format in &c.formats {
            let only = Constraints {
                formats: vec![*format],
                ..c.clone()
            };
            if let Some(value) = address(&only, 0) {
                self.push(
                    format!("{here}: format {}", format.description()),
                    set(value),
                    Expect::Accept,
                );
            }
        }
        self.reject(
            format!("{here}: not in the format"),
            set("not-an-address".to_owned()),
            here,
            &[validate::ViolationKind::Format],
        );
        if c.formats
            .iter()
            .any(|f| DATE_TIMES.iter().any(|(_, by)| by.contains(f)))
        {
            for (value, accepted_by) in DATE_TIMES {
                let what = format!("{here}: date and time {value:?}");
                if c.formats.iter().any(|f| accepted_by.contains(f)) {
                    self.push(what, set((*value).to_owned()), Expect::Accept);
                } else {
                    self.reject(
                        what,
                        set((*value).to_owned()),
                        here,
                        &[validate::ViolationKind::Format],
                    );
                }
            }
        }
        let Some(valid) = address(c, 0) else { return };
        let Some(block) = Block::parse(&valid) else {
            return;
        };
        let network = c
            .formats
            .iter()
            .any(|f| matches!(f, Format::Ipv4Cidr | Format::Ipv6Cidr | Format::Cidr));
        if let Some(len) = c.prefix_length {
            // A longer prefix keeps a network a network; a shorter one keeps a host a host.
            let other = if network || len == 0 {
                len + 1
            } else {
                len - 1
            };
            let changed = format!("{}/{other}", block.addr);
            self.reject(
                format!("{here}: prefix_length {len}, /{other} instead"),
                set(changed),
                here,
                &[validate::ViolationKind::PrefixLength],
            );
        }
        if !c.within.is_empty() {
            let v4 = block.addr.is_ipv4();
            let base: u128 = if v4 { 10 << 24 } else { 0xfd99 << 112 };
            let outside = format!(
                "{}/{}",
                int_to_ip(v4, if network { base } else { base + 1 }),
                block.len
            );
            self.reject(
                format!("{here}: outside {}", c.within.join(", ")),
                set(outside),
                here,
                &[validate::ViolationKind::Within],
            );
        }
        for reserved in &c.reserved {
            let Some(r) = Block::parse(reserved) else {
                continue;
            };
            let inside = if network {
                reserved.clone()
            } else {
                let len = c.prefix_length.unwrap_or(r.len);
                format!("{}/{len}", int_to_ip(r.addr.is_ipv4(), r.range().0 + 1))
            };
            self.reject(
                format!("{here}: inside the reserved block {reserved}"),
                set(inside),
                here,
                &[validate::ViolationKind::Reserved],
            );
        }
        if c.host_address {
            let (first, last) = block.range();
            let v4 = block.addr.is_ipv4();
            self.reject(
                format!("{here}: the network address"),
                set(format!("{}/{}", int_to_ip(v4, first), block.len)),
                here,
                &[validate::ViolationKind::HostAddress],
            );
            if v4 {
                self.reject(
                    format!("{here}: the broadcast address"),
                    set(format!("{}/{}", int_to_ip(v4, last), block.len)),
                    here,
                    &[validate::ViolationKind::HostAddress],
                );
            }
        }
    }

    fn array_cases(
        &mut self,
        set_value: &dyn Fn(Value) -> Value,
        f: &Field,
        inner: &TypeRef,
        here: &str,
    ) {
        let c = &f.constraints;
        let set = |items: Vec<Value>| set_value(Value::Array(items));
        if let Some(min) = c.min_items {
            self.push(
                format!("{here}: min_items {min}, at the limit"),
                set(self
                    .values
                    .items(inner, c, f.items.as_deref(), min as usize)),
                Expect::Accept,
            );
            if min > 0 {
                self.reject(
                    format!("{here}: min_items {min}, one short"),
                    set(self
                        .values
                        .items(inner, c, f.items.as_deref(), min as usize - 1)),
                    here,
                    &[validate::ViolationKind::MinItems],
                );
            }
        }
        if let Some(max) = c.max_items {
            self.push(
                format!("{here}: max_items {max}, at the limit"),
                set(self
                    .values
                    .items(inner, c, f.items.as_deref(), max as usize)),
                Expect::Accept,
            );
            self.reject(
                format!("{here}: max_items {max}, one over"),
                set(self
                    .values
                    .items(inner, c, f.items.as_deref(), max as usize + 1)),
                here,
                &[validate::ViolationKind::MaxItems],
            );
        }
        let two = self.values.items(inner, c, f.items.as_deref(), 2);
        self.push(
            format!("{here}: two distinct items"),
            set(two.clone()),
            Expect::Accept,
        );
        if c.unique_items {
            self.reject(
                format!("{here}: a repeated item"),
                set(vec![two[0].clone(), two[0].clone()]),
                &format!("{here}[1]"),
                &[validate::ViolationKind::UniqueItems],
            );
        }
        if let TypeRef::Named(id) = inner {
            if let TypeKind::Struct(def) = &self.api.ty(*id).kind {
                for &index in &c.unique_by {
                    let key = &def.fields[index];
                    let mut items = two.clone();
                    let shared = self.values.valid(key, 0);
                    for item in &mut items {
                        if let Value::Object(map) = item {
                            map.insert(key.wire.clone(), shared.clone());
                        }
                    }
                    let at = format!("{here}[1].{}", key.wire);
                    self.reject(
                        format!("{here}: two items with the same {}", key.wire),
                        set(items),
                        &at,
                        &[validate::ViolationKind::UniqueBy],
                    );
                }
            }
        }
        // Item constraints, on the first item.
        let default = Constraints::default();
        let item_c = f.items.as_deref().unwrap_or(&default);
        if matches!(inner, TypeRef::String)
            && (!item_c.formats.is_empty() || item_c.max_length.is_some())
        {
            let item_field = Field {
                wire: "0".to_owned(),
                name: f.name.clone(),
                ty: TypeRef::String,
                required: true,
                nullable: false,
                presence: Presence::Plain,
                description: None,
                default: None,
                deprecated: false,
                sensitive: false,
                unit: None,
                constraints: item_c.clone(),
                items: None,
                errata: Vec::new(),
                printed_on: Vec::new(),
            };
            // Item cases reuse the field cases on a one-item array.
            let mut sub = Gen {
                api: self.api,
                values: self.values,
                operation: self.operation,
                out: Vec::new(),
            };
            let holder = json!({"0": self.values.valid_of(inner, item_c, None, 0)});
            sub.field_cases(&holder, &[], &item_field, "0", None);
            let count = c.min_items.unwrap_or(1).max(1) as usize;
            for case in sub.out {
                let mut items = self.values.items(inner, c, f.items.as_deref(), count);
                items[0] = case.body["0"].clone();
                let name = case.name.replacen('0', &format!("{here}[0]"), 1);
                let expect = match case.expect {
                    Expect::Accept => Expect::Accept,
                    Expect::Reject { rules, .. } => Expect::Reject {
                        path: format!("{here}[0]"),
                        rules,
                    },
                };
                self.push(name, set(items), expect);
            }
        }
    }

    /// A `required_when` (`required`) or `only_when` rule on field `field`, with its
    /// condition holding and not holding, the field set and left out.
    fn conditional_cases(
        &mut self,
        body: &Value,
        path: &[Seg],
        def: &StructDef,
        field: FieldIndex,
        condition: &crate::ir::Condition,
        required: bool,
    ) {
        let target = &def.fields[field];
        let cond = &def.fields[condition.field];
        let here = render(&[path, &[Seg::Key(target.wire.clone())]].concat());
        // The condition field's value that makes the condition hold: any valid value for
        // `present: true`, else the first listed value.
        let value = if condition.present {
            self.values.valid(cond, 0)
        } else {
            match condition.values.first() {
                Some(value) => wire_value(self.api, cond, value),
                None => return,
            }
        };
        let kind = if required {
            "required_when"
        } else {
            "only_when"
        };
        let valid = self.values.valid(target, 0);
        let set = |body: &Value| with(body, path, &target.wire, Some(valid.clone()));
        let unset = |body: &Value| with(body, path, &target.wire, None);
        // Setting the condition field can make other `required_when` rules hold (style
        // static requires peer_subnets), so those are satisfied again; otherwise a case
        // meant to test one rule would be refused by another.
        let values = self.values;
        let satisfied = |mut body: Value| {
            if let Some(Value::Object(map)) = get_mut(&mut body, path) {
                values.satisfy_rules(def, map);
            }
            body
        };
        let holding = satisfied(with(body, path, &cond.wire, Some(value)));
        let not_holding = if condition.present {
            Some(satisfied(with(body, path, &cond.wire, None)))
        } else {
            other_value(self.api, cond, &condition.values)
                .map(|other| satisfied(with(body, path, &cond.wire, Some(other))))
        };
        self.push(
            format!("{here}: {kind} {} holds, set", cond.wire),
            set(&holding),
            Expect::Accept,
        );
        if required {
            self.reject(
                format!("{here}: {kind} {} holds, left out", cond.wire),
                unset(&holding),
                &here,
                &[validate::ViolationKind::RequiredWhen],
            );
            if let Some(absent) = not_holding
                .as_ref()
                .map(unset)
                .filter(|b| !needs_for_other_rules(def, b, path, field))
            {
                self.push(
                    format!("{here}: {kind} {} does not hold, left out", cond.wire),
                    absent,
                    Expect::Accept,
                );
            }
        } else if let Some(not_holding) = &not_holding {
            self.reject(
                format!("{here}: {kind} {} does not hold, set", cond.wire),
                set(not_holding),
                &here,
                &[validate::ViolationKind::OnlyWhen],
            );
        }
    }

    /// Each cross-field rule both ways.
    fn rule_cases(&mut self, body: &Value, path: &[Seg], def: &StructDef) {
        for rule in &def.rules {
            match rule {
                Rule::RequiredWhen {
                    field, condition, ..
                } => {
                    self.conditional_cases(body, path, def, *field, condition, true);
                }
                Rule::OnlyWhen {
                    field, condition, ..
                } => {
                    self.conditional_cases(body, path, def, *field, condition, false);
                }
                Rule::SameSubnet { fields, .. } => {
                    let first = &def.fields[fields[0]];
                    for &i in &fields[1..] {
                        let other = &def.fields[i];
                        let here = render(&[path, &[Seg::Key(other.wire.clone())]].concat());
                        let (Some(a), Some(b)) = (
                            address(&first.constraints, 0),
                            address(&other.constraints, 0),
                        ) else {
                            continue;
                        };
                        let both = with(
                            &with(body, path, &first.wire, Some(json!(a))),
                            path,
                            &other.wire,
                            Some(json!(b)),
                        );
                        self.push(
                            format!("{here}: same_subnet with {}, same block", first.wire),
                            both.clone(),
                            Expect::Accept,
                        );
                        if let Some(far) = address(&other.constraints, 1) {
                            let apart = with(&both, path, &other.wire, Some(json!(far)));
                            self.reject(
                                format!("{here}: same_subnet with {}, another block", first.wire),
                                apart,
                                &here,
                                &[validate::ViolationKind::SameSubnet],
                            );
                        }
                    }
                }
                Rule::FormatWhen {
                    field,
                    formats,
                    condition,
                    ..
                } => self.format_when_cases(body, path, def, *field, formats, condition),
                Rule::ServerSide { .. } => {}
            }
        }
    }

    /// A `format_when` rule: with its condition holding, a value in the format is accepted
    /// and one in no format refused; with the condition not holding, that same value is
    /// accepted (the field's own constraints permitting).
    fn format_when_cases(
        &mut self,
        body: &Value,
        path: &[Seg],
        def: &StructDef,
        field: FieldIndex,
        formats: &[Format],
        condition: &crate::ir::Condition,
    ) {
        let target = &def.fields[field];
        let cond = &def.fields[condition.field];
        let here = render(&[path, &[Seg::Key(target.wire.clone())]].concat());
        let holding_value = if condition.present {
            self.values.valid(cond, 0)
        } else {
            match condition.values.first() {
                Some(value) => wire_value(self.api, cond, value),
                None => return,
            }
        };
        let values = self.values;
        let satisfied = |mut body: Value| {
            if let Some(Value::Object(map)) = get_mut(&mut body, path) {
                values.satisfy_rules(def, map);
            }
            body
        };
        let holding = satisfied(with(body, path, &cond.wire, Some(holding_value)));
        if let Some(good) = in_formats(formats, 0) {
            self.push(
                format!("{here}: format_when {} holds, in the format", cond.wire),
                with(&holding, path, &target.wire, Some(json!(good))),
                Expect::Accept,
            );
        }
        // A value in no format at all; only for a field with no constraints of its own, which
        // the value could break for another reason.
        let bad = "not-an-address";
        if target.constraints == Constraints::default() {
            self.reject(
                format!("{here}: format_when {} holds, in no format", cond.wire),
                with(&holding, path, &target.wire, Some(json!(bad))),
                &here,
                &[validate::ViolationKind::Format],
            );
            let not_holding = if condition.present {
                Some(satisfied(with(body, path, &cond.wire, None)))
            } else {
                other_value(self.api, cond, &condition.values)
                    .map(|other| satisfied(with(body, path, &cond.wire, Some(other))))
            };
            if let Some(not_holding) = not_holding {
                self.push(
                    format!(
                        "{here}: format_when {} does not hold, in no format",
                        cond.wire
                    ),
                    with(&not_holding, path, &target.wire, Some(json!(bad))),
                    Expect::Accept,
                );
            }
        }
    }
}

impl Values<'_> {
    fn def(&self, id: TypeId) -> &StructDef {
        match &self.api.ty(id).kind {
            TypeKind::Struct(def) => def,
            TypeKind::Enum(_) => unreachable!("bug: explore only visits structs"),
        }
    }

    /// A valid object of struct `id`: its mandatory fields, plus the fields its rules make
    /// mandatory. `n` makes distinct objects for arrays with uniqueness rules.
    fn object(&self, id: TypeId, n: usize) -> Value {
        let def = self.def(id);
        let mut map = Map::new();
        for f in def.fields.iter().filter(|f| f.required) {
            map.insert(f.wire.clone(), self.valid(f, n));
        }
        self.satisfy_rules(def, &mut map);
        self.conform(def, &mut map, n);
        Value::Object(map)
    }

    /// Puts each synthesized value that a `format_when` constrains, while its condition
    /// holds in `map`, into that format: `id_value` is an IPv4 address while `id_type` (or
    /// its default) is `ip`. Only for values this module made up as valid ones; a case's
    /// own value is never rewritten (see [`Values::release`]).
    fn conform(&self, def: &StructDef, map: &mut Map<String, Value>, n: usize) {
        for rule in &def.rules {
            if let Rule::FormatWhen {
                field,
                formats,
                condition,
                ..
            } = rule
            {
                let target = &def.fields[*field];
                if map.contains_key(&target.wire) && holds(def, map, condition) {
                    if let Some(value) = in_formats(formats, n) {
                        map.insert(target.wire.clone(), json!(value));
                    }
                }
            }
        }
    }

    /// `body` with the object at `path` changed so that no `format_when` on field `wire`
    /// holds, where a value of the condition's field makes it false: a case about the
    /// field's own constraints (a length at its limit) must not also break the conditional
    /// format, which `format_when` cases test on their own.
    fn release(&self, mut body: Value, path: &[Seg], def: &StructDef, wire: &str) -> Value {
        let Some(Value::Object(map)) = get_mut(&mut body, path) else {
            return body;
        };
        for rule in &def.rules {
            if let Rule::FormatWhen {
                field, condition, ..
            } = rule
            {
                if def.fields[*field].wire != wire || !holds(def, map, condition) {
                    continue;
                }
                let cond = &def.fields[condition.field];
                if condition.present {
                    if !cond.required {
                        map.remove(&cond.wire);
                    }
                } else if let Some(other) = other_value(self.api, cond, &condition.values) {
                    map.insert(cond.wire.clone(), other);
                }
            }
        }
        self.satisfy_rules(def, map);
        body
    }

    /// Adds the fields that `required_when` rules make mandatory in `map`, until none is
    /// missing (each pass can only add fields, so this ends).
    fn satisfy_rules(&self, def: &StructDef, map: &mut Map<String, Value>) {
        for _ in 0..def.fields.len() + 1 {
            let mut changed = false;
            for rule in &def.rules {
                if let Rule::RequiredWhen {
                    field, condition, ..
                } = rule
                {
                    let target = &def.fields[*field];
                    if !map.contains_key(&target.wire) && holds(def, map, condition) {
                        map.insert(target.wire.clone(), self.valid(target, 0));
                        changed = true;
                    }
                }
            }
            if !changed {
                return;
            }
        }
    }

    /// The `n`-th distinct valid value of a field.
    fn valid(&self, f: &Field, n: usize) -> Value {
        self.valid_of(&f.ty, &f.constraints, f.items.as_deref(), n)
    }

    fn valid_of(
        &self,
        ty: &TypeRef,
        c: &Constraints,
        items: Option<&Constraints>,
        n: usize,
    ) -> Value {
        if let Some(fixed) = &c.fixed {
            return fixed.clone();
        }
        match ty {
            TypeRef::String | TypeRef::Secret if !c.formats.is_empty() => {
                Value::String(address(c, n).unwrap_or_default())
            }
            TypeRef::String | TypeRef::Secret => {
                Value::String(text_value(c, None, n).unwrap_or_default())
            }
            TypeRef::Integer => {
                if !c.enum_values.is_empty() {
                    return c.enum_values[n % c.enum_values.len()].clone();
                }
                let (low, high) = bounds(c);
                json!(1i64.clamp(low, high).saturating_add(n as i64).min(high))
            }
            TypeRef::Number => json!(c.minimum.map_or(1.5, |m| m as f64) + n as f64),
            TypeRef::Boolean => json!(true),
            TypeRef::Json | TypeRef::Map(_) => json!({}),
            TypeRef::Named(id) => match &self.api.ty(*id).kind {
                TypeKind::Enum(def) => json!(def.variants[n % def.variants.len()].wire),
                TypeKind::Struct(_) => self.object(*id, n),
            },
            TypeRef::Array(inner) => {
                let count = c.min_items.unwrap_or(1).max(1) as usize;
                Value::Array(self.items(inner, c, items, count))
            }
        }
    }

    /// `count` distinct valid items.
    fn items(
        &self,
        inner: &TypeRef,
        _c: &Constraints,
        items: Option<&Constraints>,
        count: usize,
    ) -> Vec<Value> {
        let default = Constraints::default();
        (0..count)
            .map(|i| self.valid_of(inner, items.unwrap_or(&default), None, i))
            .collect()
    }

    /// `body` with the object at `path` adjusted so that its `required_when` rules hold.
    fn settle(&self, mut body: Value, path: &[Seg], def: &StructDef) -> Value {
        if let Some(Value::Object(map)) = get_mut(&mut body, path) {
            self.satisfy_rules(def, map);
        }
        body
    }
}

/// True when leaving field `index` out would break another `required_when` of the struct.
fn needs_for_other_rules(def: &StructDef, body: &Value, path: &[Seg], index: FieldIndex) -> bool {
    let mut body = body.clone();
    let Some(Value::Object(map)) = get_mut(&mut body, path) else {
        return false;
    };
    def.rules.iter().any(|r| matches!(r, Rule::RequiredWhen { field, condition, .. } if *field == index && holds(def, map, condition)))
}

/// True when the condition holds in `map` (an unset field counts with its default).
fn holds(def: &StructDef, map: &Map<String, Value>, condition: &crate::ir::Condition) -> bool {
    let f = &def.fields[condition.field];
    if condition.present {
        // Set means sent: a default the server would apply does not count.
        return map.get(&f.wire).is_some_and(|v| !v.is_null());
    }
    let Some(actual) = map.get(&f.wire).or(f.default.as_ref()) else {
        return false;
    };
    condition.values.iter().any(|v| match (v, actual) {
        (Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
        (a, b) => a == b,
    })
}

/// The wire form of a condition value for field `f` (enum values keep their wire casing).
fn wire_value(api: &Api, f: &Field, value: &Value) -> Value {
    if let (TypeRef::Named(id), Some(s)) = (&f.ty, value.as_str()) {
        if let TypeKind::Enum(def) = &api.ty(*id).kind {
            if let Some(v) = def.variants.iter().find(|v| v.wire.eq_ignore_ascii_case(s)) {
                return json!(v.wire);
            }
        }
    }
    value.clone()
}

/// A value of `f` that is none of `values`, if the field's type has one.
fn other_value(api: &Api, f: &Field, values: &[Value]) -> Option<Value> {
    let taken = |v: &Value| {
        values.iter().any(|x| {
            x.as_str()
                .zip(v.as_str())
                .map_or(x == v, |(a, b)| a.eq_ignore_ascii_case(b))
        })
    };
    match &f.ty {
        TypeRef::Named(id) => match &api.ty(*id).kind {
            TypeKind::Enum(def) => def
                .variants
                .iter()
                .map(|v| json!(v.wire))
                .find(|v| !taken(v)),
            TypeKind::Struct(_) => None,
        },
        TypeRef::Boolean => [json!(true), json!(false)].into_iter().find(|v| !taken(v)),
        TypeRef::Integer => (0..100).map(|n| json!(n)).find(|v| !taken(v)),
        _ => Some(json!("some-other-value")).filter(|v| !taken(v)),
    }
}

/// The `n`-th valid value in one of `formats` (of a `format_when`), if there is one.
fn in_formats(formats: &[Format], n: usize) -> Option<String> {
    let only = Constraints {
        formats: formats.to_vec(),
        ..Constraints::default()
    };
    address(&only, n).or_else(|| {
        DATE_TIMES
            .iter()
            .find(|(_, by)| by.iter().any(|f| formats.contains(f)))
            .map(|(text, _)| (*text).to_owned())
    })
}

/// The range an integer field can take: its documented range within `i64`.
fn bounds(c: &Constraints) -> (i64, i64) {
    (c.minimum.unwrap_or(i64::MIN), c.maximum.unwrap_or(i64::MAX))
}

fn int_to_ip(v4: bool, value: u128) -> String {
    if v4 {
        std::net::Ipv4Addr::from(value as u32).to_string()
    } else {
        std::net::Ipv6Addr::from(value).to_string()
    }
}

/// Timestamps at the edges of the date-time formats, each with the formats that accept
/// it: the oracle of the date-time cases, written out rather than computed, so that it
/// does not share a mistake with the runtime's parser it judges.
const DATE_TIMES: &[(&str, &[Format])] = {
    const UTC: &[Format] = &[Format::DateTime];
    const NO_ZONE: &[Format] = &[Format::DateTimeNoZone];
    const SPACE: &[Format] = &[Format::DateTimeSpace];
    &[
        // The pages' own examples: 3, 2 and 9 digits of fraction, and none.
        ("2022-11-26T13:41:34.626Z", UTC),
        ("2025-06-28T02:22:27.24Z", UTC),
        ("2025-08-13T02:34:56.784574762Z", UTC),
        ("2024-08-06T00:32:08Z", UTC),
        ("2022-11-26T13:41:34", NO_ZONE),
        ("2020-08-05 12:36:35.921257", SPACE),
        ("2020-08-05 12:36:35", SPACE),
        // Calendar edges: a leap day, the last second of a year, a leap second.
        ("2024-02-29T23:59:59.999Z", UTC),
        ("2000-02-29T00:00:00Z", UTC),
        ("1999-12-31T23:59:59", NO_ZONE),
        ("2016-12-31 23:59:60", SPACE),
        // One past each edge.
        ("2023-02-29T00:00:00Z", &[]),
        ("1900-02-29T00:00:00Z", &[]),
        ("2024-04-31T00:00:00Z", &[]),
        ("2024-13-01T00:00:00Z", &[]),
        ("2024-00-10T00:00:00Z", &[]),
        ("2024-01-01T24:00:00Z", &[]),
        ("2024-01-01T23:60:00Z", &[]),
        ("2024-01-01T23:59:61Z", &[]),
        ("2024-01-01T00:00:00.1234567890Z", &[]),
        ("2024-01-01T00:00:00.Z", &[]),
        // Zones the formats do not take.
        ("2024-01-01T00:00:00+08:00", &[]),
        ("2024-01-01T00:00:00z", &[]),
        ("2024-01-01 00:00:00Z", &[]),
        ("2024-01-01", &[]),
    ]
};

/// The `n`-th distinct valid address (or timestamp, UUID, hex string) for the first of the
/// formats, or `None` if none fits.
fn address(c: &Constraints, n: usize) -> Option<String> {
    let format = *c.formats.first()?;
    let (minute, second) = ((n / 60) % 60, n % 60);
    match format {
        Format::DateTime => return Some(format!("2024-02-29T23:{minute:02}:{second:02}.999Z")),
        Format::DateTimeNoZone => return Some(format!("2024-02-29T23:{minute:02}:{second:02}")),
        Format::DateTimeSpace => {
            return Some(format!("2024-02-29 23:{minute:02}:{second:02}.123456"));
        }
        _ => {}
    }
    if matches!(format, Format::Uuid) {
        return Some(format!("3f2504e0-4f89-41d3-9a0c-{n:012x}"));
    }
    if matches!(format, Format::Hex) {
        return Some(format!("{:08x}", 0xabc0 + n));
    }
    let v6 = matches!(
        format,
        Format::Ipv6 | Format::Ipv6Cidr | Format::Ipv6Interface
    );
    let network = matches!(format, Format::Ipv4Cidr | Format::Ipv6Cidr | Format::Cidr);
    let plain = matches!(format, Format::Ipv4 | Format::Ipv6 | Format::Ip);
    let bits: u32 = if v6 { 128 } else { 32 };
    let len = u32::from(c.prefix_length.unwrap_or(if plain {
        bits as u8
    } else if v6 {
        64
    } else {
        24
    }));
    let base = match c.within.first().and_then(|b| Block::parse(b)) {
        Some(outer) => outer.range().0,
        None if v6 => u128::from(std::net::Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0)),
        None => u128::from(u32::from(std::net::Ipv4Addr::new(192, 0, 0, 0))),
    };
    let step: u128 = if len >= bits {
        1
    } else {
        1u128 << (bits - len)
    };
    let reserved: Vec<Block> = c.reserved.iter().filter_map(|r| Block::parse(r)).collect();
    // Walk blocks from the base, skipping reserved ones, and take the n-th free one.
    let mut found = 0;
    for k in 0u128..4096 {
        let start = base + (k + 1) * step;
        let host = if network { start } else { start + 1 };
        let text = if plain {
            int_to_ip(!v6, host)
        } else {
            format!("{}/{len}", int_to_ip(!v6, host))
        };
        let Some(block) = Block::parse_address(&text) else {
            continue;
        };
        if reserved.iter().any(|r| block.overlaps(r)) {
            continue;
        }
        if found == n {
            return Some(text);
        }
        found += 1;
    }
    None
}

/// A character of `class` (for `Special`, the first of `special`).
fn representative(class: Class, special: &str) -> Option<char> {
    Some(match class {
        Class::Digit => '7',
        Class::Upper => 'Q',
        Class::Lower => 'q',
        Class::Letter => 'k',
        Class::Space => ' ',
        Class::Spanish => 'ñ',
        Class::Portuguese => 'ã',
        Class::Special => special.chars().next()?,
    })
}

fn allowed(c: &Constraints, ch: char) -> bool {
    match &c.charset {
        Some(charset) => oracle::charset_allows(charset, ch),
        None => true,
    }
}

/// A character allowed everywhere the constraints allow any, for padding.
fn filler_char(c: &Constraints) -> Option<char> {
    ['a', 'b', 'c', 'x', 'A', '1', '2', '_', '-', '.']
        .into_iter()
        .find(|&ch| allowed(c, ch))
        .or_else(|| {
            c.charset
                .as_ref()
                .and_then(|s| s.chars.chars().find(|&ch| allowed(c, ch)))
        })
}

/// Replaces the first character of `value` with `ch` if the result keeps the class rule.
fn replace_one(value: &str, ch: char, c: &Constraints) -> Option<String> {
    let mut chars: Vec<char> = value.chars().collect();
    // Replace the last character: the first ones carry the classes a class rule needs.
    let last = chars.len().checked_sub(1)?;
    chars[last] = ch;
    let out: String = chars.into_iter().collect();
    if let Some(rule) = &c.char_classes {
        if oracle::classes_shown(&out, &rule.of, &rule.special) < usize::from(rule.at_least) {
            return None;
        }
    }
    Some(out)
}

/// A valid string of length `len` (or a default length), distinct for each `n`.
fn text_value(c: &Constraints, len: Option<usize>, n: usize) -> Option<String> {
    let mut value = String::new();
    if let Some(rule) = &c.char_classes {
        for class in rule.of.iter().take(usize::from(rule.at_least)) {
            let ch = representative(*class, &rule.special).filter(|&ch| allowed(c, ch))?;
            value.push(ch);
        }
    }
    let filler = filler_char(c)?;
    let min = c.min_length.unwrap_or(0) as usize;
    let max = c.max_length.map_or(usize::MAX, |m| m as usize);
    let target = len.unwrap_or_else(|| min.max(value.chars().count()).max(4).min(max));
    if value.chars().count() > target {
        return None;
    }
    // Distinct values differ in their tail: a base-26 number in letters if allowed, else
    // in digits, else in the filler alone (then only one value exists).
    let alphabet: Vec<char> = if allowed(c, 'a') && allowed(c, 'z') {
        ('a'..='z').collect()
    } else if allowed(c, '0') && allowed(c, '9') {
        ('0'..='9').collect()
    } else {
        vec![filler]
    };
    let mut tail = Vec::new();
    let mut k = n;
    while k > 0 && alphabet.len() > 1 {
        tail.push(alphabet[k % alphabet.len()]);
        k /= alphabet.len();
    }
    while value.chars().count() + tail.len() < target {
        value.push(filler);
    }
    value.extend(tail.iter().rev());
    if value.chars().count() != target {
        return None;
    }
    Some(value)
}

/// A string of the default length whose characters come from exactly `classes` (and the
/// filler, when it belongs to one of them).
fn classes_value(c: &Constraints, classes: &[Class], special: &str) -> Option<String> {
    let mut value: String = classes
        .iter()
        .map(|k| representative(*k, special))
        .collect::<Option<String>>()?;
    let pad = value.chars().next()?;
    let min = c.min_length.unwrap_or(0) as usize;
    while value.chars().count() < min.max(4) {
        value.push(pad);
    }
    let rule = c.char_classes.as_ref()?;
    let present: BTreeSet<usize> = rule
        .of
        .iter()
        .enumerate()
        .filter(|(_, k)| value.chars().any(|ch| oracle::in_class(**k, ch, special)))
        .map(|(i, _)| i)
        .collect();
    (present.len() == classes.len()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request whose mandatory `peer_address` is an IPv4 address while `peer_kind`, which
    /// defaults to `ip`, is `ip`: the shape of the customer gateway's `id_value`.
    const SPEC: &str = r#"
operation:
  id: create_peer
  title: Creating a Peer
  service: vpn
  method: POST
  path: /v1/peers
  source:
    page: 999_example.txt
request:
  body: CreatePeerRequestBody
  types:
    - name: CreatePeerRequestBody
      table: 1
      fields:
        - {name: peer_kind, type: string, enum: [ip, fqdn], default: ip}
        - {name: peer_address, type: string, required: true, min_length: 1, max_length: 128}
        - {name: note, type: string, max_length: 8}
      rules:
        - format_when: {field: peer_address, format: ipv4, if: {field: peer_kind, equals: ip}}
response:
  statuses:
    - status: 204
      description: No Content
"#;

    /// Every body the cases expect to be accepted keeps the conditional format wherever its
    /// condition holds, the default included. Before, the synthesized body sent
    /// `"peer_address": "aaaa"` with `peer_kind` left to its default `ip`, so the body and
    /// every case built on it were refused by a correct validator. The address is judged by
    /// `std::net`, not by the runtime.
    #[test]
    fn accepted_cases_keep_a_conditional_format_that_holds_by_default() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("vpn")).unwrap();
        std::fs::write(dir.path().join("vpn/create_peer.yaml"), SPEC).unwrap();
        let api = crate::Config::new(dir.path())
            .lower()
            .unwrap_or_else(|e| panic!("{e}"));
        let cases = cases(&api);
        let mut broken = Vec::new();
        for case in cases.iter().filter(|c| c.expect == Expect::Accept) {
            let kind = case.body.get("peer_kind").and_then(Value::as_str);
            let address = case.body.get("peer_address").and_then(Value::as_str);
            if kind.is_none_or(|k| k == "ip")
                && address.is_some_and(|a| a.parse::<std::net::Ipv4Addr>().is_err())
            {
                broken.push(format!("{}: {}", case.name, case.body));
            }
        }
        assert_eq!(broken, Vec::<String>::new());
        // The field's own limits are still tested, with the condition made false.
        let at_limit = cases
            .iter()
            .find(|c| c.name == "peer_address: max_length 128, at the limit")
            .expect("the length case exists");
        assert_eq!(at_limit.expect, Expect::Accept);
        assert_eq!(at_limit.body["peer_kind"], json!("fqdn"));
        assert_eq!(
            at_limit.body["peer_address"].as_str().map(str::len),
            Some(128)
        );
    }
}
