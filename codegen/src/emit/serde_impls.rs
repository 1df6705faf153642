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

use super::shape::stored;
use crate::ir::{self, Api, Field, StructDef, TypeDef, TypeRef};
use crate::naming::RustName;

/// The `codec::Object` impl of one struct: its field table, how it reads each field into a
/// slot and builds itself from the slots, and how it writes itself.
pub(crate) fn object(api: &Api, ty: &TypeDef, def: &StructDef) -> TokenStream {
    let name = ty.name.ident();
    let name_text = ty.name.as_str();
    let fields = &def.fields;
    let wires = fields.iter().map(|f| f.wire.as_str());
    let required = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.presence.is_mandatory())
        .map(|(i, _)| index(i));
    let secret = secret_indexes(fields);
    let open = def.extra.is_some();
    let slots = Slots::of(def);
    let read = read_fn(fields, &slots);
    let slots_and_build = match slots {
        Slots::InPlace { extra } => in_place(extra, &read),
        Slots::Tuple => tuple(api, def, &read),
    };
    let write = write_fn(def);
    quote! {
        // Machinery the generic reader and writer call, not API: hidden from the docs.
        #[doc(hidden)]
        impl codec::Object for #name {
            const NAME: &'static str = #name_text;
            const FIELDS: &'static [&'static str] = &[#(#wires),*];
            const REQUIRED: &'static [usize] = &[#(#required),*];
            #secret
            const OPEN: bool = #open;
            #slots_and_build
            #write
        }
    }
}

/// A field's index in `FIELDS`, as the generic reader passes it.
fn index(i: usize) -> Literal {
    Literal::usize_unsuffixed(i)
}

/// `const SECRET` with the indexes of the fields whose values must never be shown, or
/// nothing when there are none (the trait's default is empty).
fn secret_indexes(fields: &[Field]) -> Option<TokenStream> {
    let secret: Vec<Literal> = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.sensitive || f.ty == TypeRef::Secret)
        .map(|(i, _)| index(i))
        .collect();
    (!secret.is_empty()).then(|| quote!(const SECRET: &'static [usize] = &[#(#secret),*];))
}

/// Where a struct's fields are read to before it is built: the IR's [`ir::Slots`], decided
/// in lowering, with what emitting each layout needs.
enum Slots<'a> {
    /// Straight into a default value, whose extra map is `extra`: for a struct whose
    /// fields are all optional and that keeps unknown keys (every response type), since
    /// such a value can start empty.
    InPlace { extra: &'a RustName },
    /// Into a tuple with a slot per field: `Option<T>` for a field stored as `T`, which has
    /// no value to start from, and the field's own `Option` for the others (whether a
    /// mandatory one was present is the generic reader's business, not the slot's).
    Tuple,
}

impl<'a> Slots<'a> {
    fn of(def: &'a StructDef) -> Self {
        match (def.slots, &def.extra) {
            (ir::Slots::InPlace, Some(extra)) => Slots::InPlace { extra },
            _ => Slots::Tuple,
        }
    }

    /// The slot of field `i`.
    fn slot(&self, i: usize, f: &Field) -> TokenStream {
        match self {
            Slots::InPlace { .. } => {
                let ident = f.name.ident();
                quote!(slots.#ident)
            }
            Slots::Tuple => {
                let i = syn::Index::from(i);
                quote!(slots.#i)
            }
        }
    }
}

/// The runtime function that reads a field's value. Arrays are read through `codec::Items`
/// so that collected problems carry the index; fields stored as `Option` read `null` as
/// unset.
fn reader(f: &Field) -> TokenStream {
    match (&f.ty, f.presence.is_plain()) {
        (TypeRef::Array(_), true) => quote!(codec::items),
        (TypeRef::Array(_), false) => quote!(codec::nullable_items),
        (_, true) => quote!(codec::value),
        (_, false) => quote!(codec::nullable),
    }
}

/// `fn read`: one arm per field, reading the value into the field's slot. Parameters a
/// struct with no or one field does not use are `_`, so the module builds warning-free.
fn read_fn(fields: &[Field], slots: &Slots) -> TokenStream {
    let body = match fields {
        [] => quote!(Ok(())),
        [only] => {
            let (reader, slot) = (reader(only), slots.slot(0, only));
            quote!(#reader(map, &mut #slot))
        }
        _ => {
            let last = fields.len() - 1;
            let arms = fields.iter().enumerate().map(|(i, f)| {
                let (reader, slot) = (reader(f), slots.slot(i, f));
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
    quote! {
        fn read<'de, A: serde::de::MapAccess<'de>>(#slots_param: &mut Self::Slots, #index_param: usize, #map_param: &mut A) -> Result<(), A::Error> {
            #body
        }
    }
}

/// The slots of [`Slots::InPlace`]: the value itself, which only takes its extra map at
/// the end.
fn in_place(extra: &RustName, read: &TokenStream) -> TokenStream {
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

/// The slots of [`Slots::Tuple`]; `build` gives up (`None`) when a field stored without
/// `Option` was not read, which the generic reader has reported already.
fn tuple(api: &Api, def: &StructDef, read: &TokenStream) -> TokenStream {
    let fields = &def.fields;
    let slot_types = fields.iter().map(|f| {
        let ty = stored(api, f);
        if f.presence.is_plain() {
            quote!(Option<#ty>,)
        } else {
            quote!(#ty,)
        }
    });
    let empty = fields.iter().map(|_| quote!(None,));
    let inits = fields.iter().enumerate().map(|(i, f)| {
        let ident = f.name.ident();
        let slot = syn::Index::from(i);
        if f.presence.is_plain() {
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

/// `fn write`: the documented fields in table order, then the kept unknown keys, then the
/// escape hatch's fields.
fn write_fn(def: &StructDef) -> TokenStream {
    let fields = &def.fields;
    let entries = fields.iter().map(|f| {
        let ident = f.name.ident();
        let wire = &f.wire;
        // Optional fields are skipped when unset; mandatory ones (nullable too) are always sent.
        if f.presence.is_mandatory() {
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
    let map_param = if fields.is_empty() && def.extra.is_none() && def.unlisted.is_none() {
        quote!(_)
    } else {
        quote!(map)
    };
    quote! {
        fn write<M: serde::ser::SerializeMap>(&self, #map_param: &mut M) -> Result<(), M::Error> {
            #(#entries)*
            #extra_write
            #unlisted_write
            Ok(())
        }
    }
}
