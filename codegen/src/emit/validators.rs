//! `Validate` for request types and parameters: one call into the runtime's checks per
//! constraint, with the JSON path built on the stack.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::shape;
use crate::ir::{
    Api, Condition, Constraints, Field, ParamLocation, Rule, StructDef, TypeKind, TypeRef,
};

/// `impl Validate` for a request struct with these fields and rules.
pub(crate) fn structure(
    api: &Api,
    name: &crate::naming::RustName,
    fields: &[Field],
    rules: &[Rule],
) -> TokenStream {
    let keys: Vec<Key> = fields
        .iter()
        .map(|f| Key {
            prefix: None,
            wire: f.wire.clone(),
        })
        .collect();
    structure_at(api, name, fields, rules, &keys)
}

/// `impl Validate` for an operation's parameters struct: a violation's path names the
/// parameter's location first (`query.limit`, `path.widget_id`), so a query parameter and a
/// body field of the same name are told apart.
pub(crate) fn parameters(
    api: &Api,
    name: &crate::naming::RustName,
    fields: &[(ParamLocation, Field)],
    rules: &[Rule],
) -> TokenStream {
    let keys: Vec<Key> = fields
        .iter()
        .map(|(location, f)| Key {
            prefix: Some(location_key(*location)),
            wire: f.wire.clone(),
        })
        .collect();
    let fields: Vec<Field> = fields.iter().map(|(_, f)| f.clone()).collect();
    structure_at(api, name, &fields, rules, &keys)
}

/// The first key of a parameter's violation path.
pub(crate) fn location_key(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

/// Where a field's violations are reported, below the `at` of `validate_at`: its wire name,
/// after the parameter's location for parameters.
struct Key {
    prefix: Option<&'static str>,
    wire: String,
}

impl Key {
    /// Statements that rebind `at` to the field's path. Each step is its own `let`, because
    /// a `Path` borrows its parent, which a chained temporary would drop too early.
    fn bind(&self) -> TokenStream {
        let wire = &self.wire;
        match self.prefix {
            None => quote!(let at = at.key(#wire);),
            Some(prefix) => quote!(let at = at.key(#prefix); let at = at.key(#wire);),
        }
    }

    /// `body` given the path expression of the field, in a block that binds the prefix.
    fn wrap(&self, body: impl FnOnce(TokenStream) -> TokenStream) -> TokenStream {
        let wire = &self.wire;
        match self.prefix {
            None => body(quote!(at.key(#wire))),
            Some(prefix) => {
                let inner = body(quote!(at.key(#wire)));
                quote!({ let at = at.key(#prefix); #inner })
            }
        }
    }
}

/// `impl Validate` whose field `i` is reported at `keys[i]`.
fn structure_at(
    api: &Api,
    name: &crate::naming::RustName,
    fields: &[Field],
    rules: &[Rule],
    keys: &[Key],
) -> TokenStream {
    let name = name.ident();
    let field_checks: Vec<TokenStream> = fields
        .iter()
        .zip(keys)
        .filter_map(|(f, key)| field(api, f, key))
        .collect();
    let rule_checks: Vec<TokenStream> = rules
        .iter()
        .filter_map(|r| rule(api, fields, keys, r))
        .collect();
    let (at, out) = if field_checks.is_empty() && rule_checks.is_empty() {
        (quote!(_at), quote!(_out))
    } else {
        (quote!(at), quote!(out))
    };
    quote! {
        impl validate::Validate for #name {
            fn validate_at(&self, #at: &validate::Path<'_>, #out: &mut validate::Violations) {
                #(#field_checks)*
                #(#rule_checks)*
            }
        }
    }
}

/// `impl Validate` for a struct of the IR.
pub(crate) fn struct_def(api: &Api, ty: &crate::ir::TypeDef, def: &StructDef) -> TokenStream {
    structure(api, &ty.name, &def.fields, &def.rules)
}

/// The checks of one field, reported at path expression `key`, or `None` when it has no
/// constraints.
fn field(api: &Api, f: &Field, key: &Key) -> Option<TokenStream> {
    let checks = value_checks(
        api,
        &f.ty,
        &f.constraints,
        f.items.as_deref(),
        &quote!(value),
    );
    if checks.is_empty() {
        return None;
    }
    let ident = f.name.ident();
    // A nested object has no checks of its own here: one call, without the bindings.
    let nested =
        matches!(&f.ty, TypeRef::Named(id) if matches!(api.ty(*id).kind, TypeKind::Struct(_)));
    if nested {
        let nested_call = key.wrap(|at| quote!(value.validate_at(&#at, out);));
        return Some(if f.presence.is_plain() {
            key.wrap(|at| quote!(self.#ident.validate_at(&#at, out);))
        } else {
            quote! {
                if let Some(value) = &self.#ident {
                    #nested_call
                }
            }
        });
    }
    let bind = key.bind();
    Some(if f.presence.is_plain() {
        quote! {
            {
                let value = &self.#ident;
                #bind
                #checks
            }
        }
    } else {
        quote! {
            if let Some(value) = &self.#ident {
                #bind
                #checks
            }
        }
    })
}

/// The checks of a field's constraints on the value `value` (a reference) at path `at`.
pub(crate) fn value_checks_for(api: &Api, f: &Field, value: &TokenStream) -> TokenStream {
    value_checks(api, &f.ty, &f.constraints, f.items.as_deref(), value)
}

/// Checks of a value `value` (a reference) of type `ty` at path `at`.
fn value_checks(
    api: &Api,
    ty: &TypeRef,
    c: &Constraints,
    items: Option<&Constraints>,
    value: &TokenStream,
) -> TokenStream {
    match ty {
        TypeRef::String | TypeRef::Secret => text_checks(c, value),
        TypeRef::Integer => {
            let wide = quote!(*#value);
            let mut out = TokenStream::new();
            if c.minimum.is_some() || c.maximum.is_some() {
                let (min, max) = (opt_i64(c.minimum), opt_i64(c.maximum));
                out.extend(quote!(validate::range(#wide, #min, #max, &at, out);));
            }
            if let Some(n) = c.fixed.as_ref().and_then(Value::as_i64) {
                out.extend(quote!(validate::fixed_i64(#wide, #n, &at, out);));
            }
            let allowed: Vec<i64> = c.enum_values.iter().filter_map(Value::as_i64).collect();
            if !allowed.is_empty() {
                out.extend(quote!(validate::one_of(#wide, &[#(#allowed),*], &at, out);));
            }
            out
        }
        TypeRef::Number => {
            if c.minimum.is_none() && c.maximum.is_none() {
                return TokenStream::new();
            }
            let bound = |v: Option<i64>| match v {
                Some(n) => {
                    let n = n as f64;
                    quote!(Some(#n))
                }
                None => quote!(None),
            };
            let (min, max) = (bound(c.minimum), bound(c.maximum));
            quote!(validate::range(*#value, #min, #max, &at, out);)
        }
        TypeRef::Boolean => match c.fixed.as_ref().and_then(Value::as_bool) {
            Some(b) => quote!(validate::fixed(#value, &#b, &at, out);),
            None => TokenStream::new(),
        },
        TypeRef::Json => TokenStream::new(),
        TypeRef::Named(id) => match &api.ty(*id).kind {
            // Enums are closed by their type: a value outside the list cannot be built.
            TypeKind::Enum(_) => TokenStream::new(),
            TypeKind::Struct(_) => quote!(#value.validate_at(&at, out);),
        },
        TypeRef::Array(inner) => {
            let mut out = TokenStream::new();
            if c.min_items.is_some() || c.max_items.is_some() {
                let (min, max) = (opt_u64(c.min_items), opt_u64(c.max_items));
                out.extend(quote!(validate::items(#value.len(), #min, #max, &at, out);));
            }
            if c.unique_items {
                out.extend(quote!(validate::unique_items(#value, &at, out);));
            }
            if let TypeRef::Named(id) = inner.as_ref() {
                if let TypeKind::Struct(item) = &api.ty(*id).kind {
                    let item_ty = shape::type_path(api, *id);
                    for &index in &c.unique_by {
                        let f = &item.fields[index];
                        let ident = f.name.ident();
                        let wire = &f.wire;
                        let key = if f.presence.is_plain() {
                            quote!(|item: &#item_ty| Some(&item.#ident))
                        } else {
                            quote!(|item: &#item_ty| item.#ident.as_ref())
                        };
                        out.extend(quote!(validate::unique_by(#value, #wire, #key, &at, out);));
                    }
                }
            }
            let default = Constraints::default();
            let element = value_checks(api, inner, items.unwrap_or(&default), None, &quote!(item));
            if !element.is_empty() {
                out.extend(quote! {
                    for (index, item) in #value.iter().enumerate() {
                        let at = at.index(index);
                        #element
                    }
                });
            }
            out
        }
        TypeRef::Map(inner) => {
            let default = Constraints::default();
            let element = value_checks(api, inner, items.unwrap_or(&default), None, &quote!(item));
            if element.is_empty() {
                return element;
            }
            quote! {
                for (key, item) in #value {
                    let at = at.key(key);
                    #element
                }
            }
        }
    }
}

fn text_checks(c: &Constraints, value: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    if c.min_length.is_some() || c.max_length.is_some() {
        let (min, max) = (opt_u64(c.min_length), opt_u64(c.max_length));
        out.extend(quote!(validate::length(#value, #min, #max, &at, out);));
    }
    if let Some(s) = c.fixed.as_ref().and_then(Value::as_str) {
        out.extend(quote!(validate::fixed_str(#value, #s, &at, out);));
    }
    if let Some(charset) = &c.charset {
        let classes = charset.allow.iter().map(|k| format_ident!("{k:?}"));
        let (chars, deny) = (&charset.chars, &charset.deny);
        // Hex reads as a bit set in the generated code; decimal would not.
        let [low, high] =
            netapi_runtime::vocabulary::ascii_mask(&charset.allow, chars, deny).map(|word| {
                syn::LitInt::new(&format!("0x{word:016x}"), proc_macro2::Span::call_site())
            });
        out.extend(quote!(validate::charset(#value, &[#low, #high], &[#(validate::Class::#classes),*], #chars, #deny, &at, out);));
    }
    if let Some(rule) = &c.char_classes {
        let classes = rule.of.iter().map(|k| format_ident!("{k:?}"));
        let (n, special) = (rule.at_least, &rule.special);
        out.extend(quote!(validate::char_classes(#value, #n, &[#(validate::Class::#classes),*], #special, &at, out);));
    }
    let mut address = TokenStream::new();
    if let Some(len) = c.prefix_length {
        address.extend(quote!(address.prefix_length(#len, &at, out);));
    }
    if !c.within.is_empty() {
        let blocks = blocks(&c.within);
        address.extend(quote!(address.within(&[#(#blocks),*], &at, out);));
    }
    if !c.reserved.is_empty() {
        let blocks = blocks(&c.reserved);
        address.extend(quote!(address.reserved(&[#(#blocks),*], &at, out);));
    }
    if c.host_address {
        address.extend(quote!(address.host_address(&at, out);));
    }
    // The value is parsed once, for its format and all its address rules.
    let parse = quote!(let address = validate::Address::new(validate::Text::text(#value)););
    let formats: Vec<proc_macro2::Ident> =
        c.formats.iter().map(|f| format_ident!("{f:?}")).collect();
    match (formats.is_empty(), address.is_empty()) {
        (true, true) => {}
        (true, false) => out.extend(quote!({ #parse #address })),
        (false, true) => out.extend(quote!(validate::format(#value, &[#(validate::Format::#formats),*], &at, out);)),
        (false, false) => out.extend(quote! {
            #parse
            // Address rules only make sense for a value that is an address at all.
            if validate::address_format(&address, #value, &[#(validate::Format::#formats),*], &at, out) {
                #address
            }
        }),
    }
    out
}

/// The spec's CIDR blocks as `validate::Block` constants, computed here so that no check
/// parses them at run time.
fn blocks(texts: &[String]) -> Vec<TokenStream> {
    texts
        .iter()
        .filter_map(|text| {
            let block = netapi_runtime::validate::Block::parse(text)?;
            // Hex, as addresses are bit patterns; the text beside them says which block.
            let hex = |n: u128, digits: usize| {
                syn::LitInt::new(&format!("0x{n:0digits$x}"), proc_macro2::Span::call_site())
            };
            Some(if block.v4 {
                let (first, last) = (hex(block.first, 8), hex(block.last, 8));
                quote!(validate::Block::v4(#first, #last, #text))
            } else {
                let (first, last) = (hex(block.first, 32), hex(block.last, 32));
                quote!(validate::Block::v6(#first, #last, #text))
            })
        })
        .collect()
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    }
}

fn opt_i64(v: Option<i64>) -> TokenStream {
    match v {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    }
}

/// The check of a cross-field rule, or `None` for rules the client cannot check.
fn rule(api: &Api, fields: &[Field], keys: &[Key], rule: &Rule) -> Option<TokenStream> {
    match rule {
        Rule::RequiredWhen {
            field, condition, ..
        }
        | Rule::OnlyWhen {
            field, condition, ..
        } => {
            let target = &fields[*field];
            let ident = target.name.ident();
            let key = &keys[field.0];
            let present = if target.presence.is_plain() {
                quote!(true)
            } else {
                quote!(self.#ident.is_some())
            };
            let holds = condition_holds(api, fields, condition);
            let text = condition_text(fields, condition);
            let check = if matches!(rule, Rule::RequiredWhen { .. }) {
                quote!(required_when)
            } else {
                quote!(only_when)
            };
            Some(key.wrap(|at| quote!(validate::#check(#present, #holds, #text, &#at, out);)))
        }
        Rule::SameSubnet {
            fields: members, ..
        } => {
            let first = &fields[members[0]];
            let checks = members[1..].iter().map(|&i| {
                let other = &fields[i];
                let (a, b) = (first.name.ident(), other.name.ident());
                let a_wire = &first.wire;
                let get = |f: &Field, ident: &proc_macro2::Ident| {
                    if f.presence.is_plain() { quote!(Some(&self.#ident)) } else { quote!(self.#ident.as_ref()) }
                };
                let (get_a, get_b) = (get(first, &a), get(other, &b));
                let check = keys[i.0].wrap(|at| quote!(validate::same_subnet(validate::Text::text(first), validate::Text::text(other), #a_wire, &#at, out);));
                quote! {
                    if let (Some(first), Some(other)) = (#get_a, #get_b) {
                        #check
                    }
                }
            });
            Some(quote!(#(#checks)*))
        }
        Rule::FormatWhen {
            field,
            formats,
            condition,
            ..
        } => {
            let target = &fields[*field];
            let ident = target.name.ident();
            let get = if target.presence.is_plain() {
                quote!(Some(&self.#ident))
            } else {
                quote!(self.#ident.as_ref())
            };
            let holds = condition_holds(api, fields, condition);
            let formats: Vec<proc_macro2::Ident> =
                formats.iter().map(|f| format_ident!("{f:?}")).collect();
            let check = keys[field.0].wrap(|at| {
                quote!(validate::format(value, &[#(validate::Format::#formats),*], &#at, out);)
            });
            Some(quote! {
                if let Some(value) = #get {
                    if #holds {
                        #check
                    }
                }
            })
        }
        Rule::ServerSide { .. } => None,
    }
}

/// An expression that is true when the condition holds; an unset field counts with its
/// default.
fn condition_holds(api: &Api, fields: &[Field], condition: &Condition) -> TokenStream {
    let f = &fields[condition.field];
    let ident = f.name.ident();
    if condition.present {
        // A plain field is always set.
        return if f.presence.is_plain() {
            quote!(true)
        } else {
            quote!(self.#ident.is_some())
        };
    }
    let predicate = match &f.ty {
        TypeRef::Named(id) => match &api.ty(*id).kind {
            TypeKind::Enum(def) => {
                let ty = shape::type_path(api, *id);
                let variants: Vec<proc_macro2::Ident> = condition
                    .values
                    .iter()
                    .filter_map(Value::as_str)
                    .filter_map(|v| {
                        def.variants
                            .iter()
                            .find(|x| {
                                x.wire == v
                                    || (def.case_insensitive && x.wire.eq_ignore_ascii_case(v))
                            })
                            .map(|x| x.name.ident())
                    })
                    .collect();
                quote!(matches!(value, #(#ty::#variants)|*))
            }
            TypeKind::Struct(_) => quote!(false),
        },
        TypeRef::Boolean => match condition
            .values
            .iter()
            .filter_map(Value::as_bool)
            .collect::<Vec<_>>()
            .as_slice()
        {
            [true] => quote!(*value),
            [false] => quote!(!*value),
            _ => quote!(true),
        },
        TypeRef::Integer => {
            let values: Vec<i64> = condition.values.iter().filter_map(Value::as_i64).collect();
            quote!([#(#values),*].contains(value))
        }
        _ => {
            let values: Vec<&str> = condition.values.iter().filter_map(Value::as_str).collect();
            quote!([#(#values),*].contains(&validate::Text::text(value)))
        }
    };
    if f.presence.is_plain() {
        return quote!({ let value = &self.#ident; #predicate });
    }
    let default_holds = f.default.as_ref().is_some_and(|d| {
        condition.values.iter().any(|v| match (v, d) {
            (Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
            (a, b) => a == b,
        })
    });
    if default_holds {
        quote!(self.#ident.as_ref().is_none_or(|value| #predicate))
    } else {
        quote!(self.#ident.as_ref().is_some_and(|value| #predicate))
    }
}

fn condition_text(fields: &[Field], condition: &Condition) -> String {
    let name = &fields[condition.field].wire;
    if condition.present {
        return format!("`{name}` is set");
    }
    let values: Vec<String> = condition
        .values
        .iter()
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
        .collect();
    match values.as_slice() {
        [one] => format!("`{name}` is {one}"),
        _ => format!("`{name}` is one of {}", values.join(", ")),
    }
}
