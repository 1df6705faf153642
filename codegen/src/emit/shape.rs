//! How a value is held in Rust: the type a `TypeRef` is written as, and whether a field is
//! stored plainly or in an `Option`. Models, serde impls, validators and the operation
//! emitter all ask these questions, so the answers live in a leaf module that imports no
//! other emitter (no emitter needs another to know a field's type).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Field, IntWidth, TypeRef};
use crate::spec::Direction;

/// The Rust type of a value.
pub(super) fn type_tokens(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Secret => quote!(Secret),
        TypeRef::Integer(IntWidth::I32) => quote!(i32),
        TypeRef::Integer(IntWidth::U32) => quote!(u32),
        TypeRef::Integer(IntWidth::I64) => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Json => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Array(inner) => {
            let inner = type_tokens(api, inner);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(api, inner);
            quote!(BTreeMap<String, #inner>)
        }
        TypeRef::Named(id) => {
            let ident = api.ty(*id).name.ident();
            quote!(#ident)
        }
    }
}

/// How a field is stored: `T` for mandatory request fields, `Option<T>` otherwise.
pub(super) fn stored(api: &Api, field: &Field, direction: Direction) -> TokenStream {
    let inner = type_tokens(api, &field.ty);
    if is_plain(field, direction) {
        inner
    } else {
        quote!(Option<#inner>)
    }
}

/// True when a field is stored without `Option`: mandatory, non-null request fields.
// TODO(ir): presence is a decision of lowering (issue 14 item 2); this and `mandatory`
// move into the IR as a field of `Field`, and the emitters read it.
pub(super) fn is_plain(field: &Field, direction: Direction) -> bool {
    direction == Direction::Request && field.required && !field.nullable
}

/// True when a field must be present: it is stored without `Option`, or it is a mandatory
/// request field (which may still be `null`).
// TODO(ir): see `is_plain`.
pub(super) fn mandatory(field: &Field, direction: Direction) -> bool {
    is_plain(field, direction) || (direction == Direction::Request && field.required)
}

/// True for a request type: only requests get a `Validate` impl and a constructor.
// TODO(ir): with `Direction` in the IR (issue 14 item 2), this is `ty.direction.is_request()`.
pub(super) fn is_request(direction: Direction) -> bool {
    direction == Direction::Request
}
