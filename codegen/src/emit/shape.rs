//! How a value is held in Rust: the type a `TypeRef` is written as, and whether a field is
//! stored plainly or in an `Option`. Models, serde impls, validators and the operation
//! emitter all ask these questions, so the answers live in a leaf module that imports no
//! other emitter (no emitter needs another to know a field's type).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Direction;
use crate::ir::{Api, Field, Gate, Owner, TypeId, TypeRef};

/// The Rust type of a value.
pub(super) fn type_tokens(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Secret => quote!(Secret),
        TypeRef::Integer => quote!(i64),
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
        TypeRef::Named(id) => type_path(api, *id),
    }
}

/// A named type as written where it is used: an operation's own type by its name (it is in
/// the same module), a shared type by its path `crate::<service>::types::Name`, which
/// names it from any module, its own included.
pub(super) fn type_path(api: &Api, id: TypeId) -> TokenStream {
    let ty = api.ty(id);
    let ident = ty.name.ident();
    match ty.owner {
        Owner::Operation(_) => quote!(#ident),
        Owner::Shared(service) => {
            let service = quote::format_ident!("{}", api.shared[service.0].service);
            quote!(crate::#service::types::#ident)
        }
    }
}

/// How a field is stored: `T` for [`crate::ir::Presence::Plain`] fields, `Option<T>`
/// otherwise.
pub(super) fn stored(api: &Api, field: &Field) -> TokenStream {
    let inner = type_tokens(api, &field.ty);
    if field.presence.is_plain() {
        inner
    } else {
        quote!(Option<#inner>)
    }
}

/// True for a request type: only requests get a `Validate` impl and a constructor.
pub(super) fn is_request(direction: Direction) -> bool {
    direction == Direction::Request
}

/// The `#[cfg]` of an item of a service's module with this gate: none for
/// [`Gate::Service`], whose module's own `#[cfg]` says when it is compiled.
pub(super) fn gate_cfg(gate: &Gate) -> TokenStream {
    match gate {
        Gate::Service => quote!(),
        Gate::AnyOf(features) => any_feature_cfg(features.iter().map(String::as_str)),
    }
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", feature = "b"))]` for several:
/// compiled when any of the features is on.
pub(super) fn any_feature_cfg<'a>(features: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let features: Vec<&str> = features.into_iter().collect();
    match features.as_slice() {
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}
