//! `Serialize` and `Deserialize` for structs, through the runtime's table-driven
//! `codec::Object` instead of derived.
//!
//! Emitting the impls keeps serde's derive macros, and with them syn, quote and
//! proc-macro2, out of the generated crate's dependency tree: a vendored crate compiles
//! faster and depends only on serde, serde_json and http. The key loop, duplicate, unknown
//! and missing keys, secrets and collecting are one generic function in the runtime; each
//! struct contributes its field table, one line per field to read, build and write, and
//! its name in the module's `codec::objects!` list. Requests refuse unknown and duplicate
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

/// The `codec::Object` impl of one struct.
///
/// A struct whose fields are all optional and that keeps unknown keys (every response
/// type) is read straight into a default value; any other struct reads into a tuple with
/// a slot per field: `Option<T>` for a field stored as `T`, which has no value to start
/// from, and the field's own `Option` for the others (whether a mandatory one was present
/// is the generic reader's business, not the slot's).
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
    let in_place = def
        .extra
        .as_ref()
        .filter(|_| fields.iter().all(|f| !mandatory(f, direction)));
    // Arrays are read through `codec::Items` so that collected problems carry the index;
    // fields stored as `Option` read `null` as unset.
    let reader = |f: &Field| match (&f.ty, is_plain(f, direction)) {
        (TypeRef::Array(_), true) => quote!(codec::items),
        (TypeRef::Array(_), false) => quote!(codec::nullable_items),
        (_, true) => quote!(codec::value),
        (_, false) => quote!(codec::nullable),
    };
    let slot = |i: usize, f: &Field| match in_place {
        Some(_) => {
            let ident = f.name.ident();
            quote!(slots.#ident)
        }
        None => {
            let i = syn::Index::from(i);
            quote!(slots.#i)
        }
    };
    let read_body = match fields.as_slice() {
        [] => quote!(Ok(())),
        [only] => {
            let (reader, slot) = (reader(only), slot(0, only));
            quote!(#reader(map, &mut #slot))
        }
        _ => {
            let last = fields.len() - 1;
            let arms = fields.iter().enumerate().map(|(i, f)| {
                let (reader, slot) = (reader(f), slot(i, f));
                // The generic reader only passes indexes of `FIELDS`; the last arm takes the rest.
                let pattern = if i == last {
                    quote!(_)
                } else {
                    let i = index(i);
                    quote!(#i)
                };
                quote!(#pattern => #reader(map, &mut #slot),)
            });
            quote!(match index { #(#arms)* })
        }
    };
    let (slots_param, index_param, map_param) = match fields.len() {
        0 => (quote!(_), quote!(_), quote!(_)),
        1 => (quote!(slots), quote!(_), quote!(map)),
        _ => (quote!(slots), quote!(index), quote!(map)),
    };
    let read = quote! {
        fn read<'de, A: serde::de::MapAccess<'de>>(#slots_param: &mut Self::Slots, #index_param: usize, #map_param: &mut A) -> Result<(), A::Error> {
            #read_body
        }
    };
    let slots_and_build = match in_place {
        Some(extra) => {
            let extra = extra.ident();
            quote! {
                type Slots = Self;
                fn empty() -> Self {
                    Self::default()
                }
                #read
                fn build(mut slots: Self, extra: codec::Extra) -> Option<Self> {
                    slots.#extra = extra;
                    Some(slots)
                }
            }
        }
        None => {
            let slot_types = fields.iter().map(|f| {
                let ty = stored(api, f, direction);
                if is_plain(f, direction) {
                    quote!(Option<#ty>,)
                } else {
                    quote!(#ty,)
                }
            });
            let empty = fields.iter().map(|_| quote!(None,));
            let inits = fields.iter().enumerate().map(|(i, f)| {
                let ident = f.name.ident();
                let slot = syn::Index::from(i);
                if is_plain(f, direction) {
                    quote!(#ident: slots.#slot?,)
                } else {
                    quote!(#ident: slots.#slot,)
                }
            });
            // Requests are read strictly, so the escape hatch starts empty.
            let unlisted_init = def.unlisted.as_ref().map(|unlisted| {
                let unlisted = unlisted.ident();
                quote!(#unlisted: codec::Unlisted::default(),)
            });
            // The parameter takes the extra field's name, so the init is the shorthand.
            let (extra_param, extra_init) = match &def.extra {
                Some(extra) => {
                    let extra = extra.ident();
                    (quote!(#extra), quote!(#extra,))
                }
                None => (quote!(_), quote!()),
            };
            let slots_param = if fields.is_empty() {
                quote!(_)
            } else {
                quote!(slots)
            };
            quote! {
                type Slots = (#(#slot_types)*);
                fn empty() -> Self::Slots {
                    (#(#empty)*)
                }
                #read
                fn build(#slots_param: Self::Slots, #extra_param: codec::Extra) -> Option<Self> {
                    Some(Self {
                        #(#inits)*
                        #extra_init
                        #unlisted_init
                    })
                }
            }
        }
    };
    let entries = fields.iter().map(|f| {
        let ident = f.name.ident();
        let wire = &f.wire;
        // Optional fields are skipped when unset; mandatory ones (nullable too) are always sent.
        if mandatory(f, direction) {
            quote!(map.serialize_entry(#wire, &self.#ident)?;)
        } else {
            quote!(codec::optional(map, #wire, &self.#ident)?;)
        }
    });
    let extra_write = def.extra.as_ref().map(|extra| {
        let extra = extra.ident();
        quote!(codec::extra(map, &self.#extra)?;)
    });
    // After the documented fields, so a reader sees the page's fields first.
    let unlisted_write = def.unlisted.as_ref().map(|unlisted| {
        let unlisted = unlisted.ident();
        quote!(codec::unlisted(map, &self.#unlisted)?;)
    });
    let map_param = if fields.is_empty() && !open && def.unlisted.is_none() {
        quote!(_)
    } else {
        quote!(map)
    };
    quote! {
        #[doc(hidden)]
        impl codec::Object for #name {
            const NAME: &'static str = #name_text;
            const FIELDS: &'static [&'static str] = &[#(#wires),*];
            const REQUIRED: &'static [usize] = &[#(#required),*];
            #secret
            const OPEN: bool = #open;
            #slots_and_build
            fn write<M: serde::ser::SerializeMap>(&self, #map_param: &mut M) -> Result<(), M::Error> {
                #(#entries)*
                #extra_write
                #unlisted_write
                Ok(())
            }
        }
    }
}
