//! `Serialize` and `Deserialize` for structs, through the runtime's table-driven
//! `de::Object` instead of derived.
//!
//! Emitting the impls keeps serde's derive macros, and with them syn, quote and
//! proc-macro2, out of the generated crate's dependency tree: a vendored crate compiles
//! faster and depends only on serde, serde_json and http. The key loop, duplicate, unknown
//! and missing keys, secrets and collecting are one generic function in the runtime; each
//! struct contributes its field table, one line per field to read, build and write, and
//! its name in the module's `de::objects!` list. Requests refuse unknown and duplicate
//! keys, responses keep unknown keys, and unset optional fields are not sent.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::models::{is_plain, stored};
use crate::ir::{Api, Field, StructDef, TypeDef, TypeRef};
use crate::spec::Direction;

/// True when a field must be present: it is stored without `Option`, or it is a mandatory
/// request field (which may still be `null`).
fn mandatory(field: &Field, direction: Direction) -> bool {
    is_plain(field, direction) || (direction == Direction::Request && field.required)
}

/// The `de::Object` impl of one struct.
pub(crate) fn object(api: &Api, ty: &TypeDef, def: &StructDef) -> TokenStream {
    let name = ty.name.ident();
    let name_text = ty.name.as_str();
    let direction = ty.direction;
    let fields = &def.fields;
    let index = |i: usize| Literal::usize_unsuffixed(i);
    let wires = fields.iter().map(|f| f.wire.as_str());
    let required = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| mandatory(f, direction))
        .map(|(i, _)| index(i));
    let secret: Vec<Literal> = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.sensitive || f.ty == TypeRef::Secret)
        .map(|(i, _)| index(i))
        .collect();
    let secret =
        (!secret.is_empty()).then(|| quote!(const SECRET: &'static [usize] = &[#(#secret),*];));
    let open = def.extra.is_some();
    let slot_types = fields.iter().map(|f| {
        let ty = stored(api, f, direction);
        quote!(Option<#ty>,)
    });
    let empty = fields.iter().map(|_| quote!(None,));
    // Arrays are read through `de::Items` so that collected problems carry the index.
    let reader = |f: &Field| match (&f.ty, is_plain(f, direction)) {
        (TypeRef::Array(_), true) => quote!(de::items),
        (TypeRef::Array(_), false) => quote!(de::optional_items),
        _ => quote!(de::value),
    };
    let read = if fields.is_empty() {
        quote! {
            fn read<'de, A: serde::de::MapAccess<'de>>(_: &mut Self::Slots, _: usize, _: &mut A) -> Result<(), A::Error> {
                Ok(())
            }
        }
    } else {
        let last = fields.len() - 1;
        let arms = fields.iter().enumerate().map(|(i, f)| {
            let reader = reader(f);
            let slot = syn::Index::from(i);
            // The generic reader only passes indexes from `FIELDS`; the last arm takes the rest.
            let pattern = if i == last {
                quote!(_)
            } else {
                let i = index(i);
                quote!(#i)
            };
            quote!(#pattern => #reader(map, &mut slots.#slot),)
        });
        if let [only] = fields.as_slice() {
            let reader = reader(only);
            quote! {
                fn read<'de, A: serde::de::MapAccess<'de>>(slots: &mut Self::Slots, _: usize, map: &mut A) -> Result<(), A::Error> {
                    #reader(map, &mut slots.0)
                }
            }
        } else {
            quote! {
                fn read<'de, A: serde::de::MapAccess<'de>>(slots: &mut Self::Slots, index: usize, map: &mut A) -> Result<(), A::Error> {
                    match index {
                        #(#arms)*
                    }
                }
            }
        }
    };
    let inits = fields.iter().enumerate().map(|(i, f)| {
        let ident = f.name.ident();
        let slot = syn::Index::from(i);
        if mandatory(f, direction) {
            quote!(#ident: slots.#slot?,)
        } else {
            quote!(#ident: slots.#slot.flatten(),)
        }
    });
    let (extra_param, extra_init, extra_write) = match &def.extra {
        Some(extra) => {
            let extra = extra.ident();
            // The parameter takes the field's name, so the init is the shorthand.
            (
                quote!(#extra),
                quote!(#extra,),
                quote!(de::extra(map, &self.#extra)?;),
            )
        }
        None => (quote!(_), quote!(), quote!()),
    };
    let slots_param = if fields.is_empty() {
        quote!(_)
    } else {
        quote!(slots)
    };
    let entries = fields.iter().map(|f| {
        let ident = f.name.ident();
        let wire = &f.wire;
        // Optional fields are skipped when unset; mandatory ones (nullable too) are always sent.
        if mandatory(f, direction) {
            quote!(map.serialize_entry(#wire, &self.#ident)?;)
        } else {
            quote!(de::optional(map, #wire, &self.#ident)?;)
        }
    });
    let map_param = if fields.is_empty() && !open {
        quote!(_)
    } else {
        quote!(map)
    };
    quote! {
        impl de::Object for #name {
            const NAME: &'static str = #name_text;
            const FIELDS: &'static [&'static str] = &[#(#wires),*];
            const REQUIRED: &'static [usize] = &[#(#required),*];
            #secret
            const OPEN: bool = #open;
            type Slots = (#(#slot_types)*);
            const EMPTY: Self::Slots = (#(#empty)*);
            #read
            fn build(#slots_param: Self::Slots, #extra_param: de::Extra) -> Option<Self> {
                Some(Self {
                    #(#inits)*
                    #extra_init
                })
            }
            fn write<M: serde::ser::SerializeMap>(&self, #map_param: &mut M) -> Result<(), M::Error> {
                #(#entries)*
                #extra_write
                Ok(())
            }
        }
    }
}
