//! `Serialize` and `Deserialize` for structs, written out instead of derived.
//!
//! Emitting the impls keeps serde's derive macros, and with them syn, quote and
//! proc-macro2, out of the generated crate's dependency tree: a vendored crate compiles
//! faster and depends only on serde, serde_json and http. The impls also do exactly what
//! the contract says: requests refuse unknown and duplicate keys, responses keep unknown
//! keys, and unset optional fields are not sent.

use proc_macro2::TokenStream;
use quote::quote;

use super::models::{is_plain, stored, type_tokens};
use crate::ir::{Api, StructDef, TypeDef, TypeRef};
use crate::naming;
use crate::spec::Direction;

/// Both impls for one struct.
pub(crate) fn structure(api: &Api, ty: &TypeDef, def: &StructDef) -> TokenStream {
    let name = ty.name.ident();
    let direction = ty.direction;
    let entries = def.fields.iter().map(|f| {
        let ident = f.name.ident();
        let wire = &f.wire;
        // Optional fields are skipped when unset; mandatory ones (nullable too) are always sent.
        if is_plain(f, direction) || (direction == Direction::Request && f.required) {
            quote!(map.serialize_entry(#wire, &self.#ident)?;)
        } else {
            quote! {
                if let Some(value) = &self.#ident {
                    map.serialize_entry(#wire, value)?;
                }
            }
        }
    });
    let extra_entries = def.extra.as_ref().map(|extra| {
        let extra = extra.ident();
        quote! {
            for (key, value) in &self.#extra {
                map.serialize_entry(key, value)?;
            }
        }
    });
    let slots = def.fields.iter().map(|f| {
        let ident = naming::slot(&f.name);
        let ty = stored(api, f, direction);
        quote!(let mut #ident: Option<#ty> = None;)
    });
    let arms = def.fields.iter().map(|f| {
        let ident = naming::slot(&f.name);
        let wire = &f.wire;
        // Arrays are read through `de::Items` so that collected problems carry the index.
        let convert = match (&f.ty, is_plain(f, direction)) {
            (TypeRef::Array(inner), true) => {
                let inner = type_tokens(api, inner);
                quote!(de::Items::<#inner>::into_inner)
            }
            (TypeRef::Array(inner), false) => {
                let inner = type_tokens(api, inner);
                quote!(|items: Option<de::Items<#inner>>| items.map(de::Items::into_inner))
            }
            _ => quote!(|value| value),
        };
        let read = if f.sensitive || f.ty == TypeRef::Secret {
            quote!(secret_field)
        } else {
            quote!(field)
        };
        quote!(#wire => de::#read(&mut map, #wire, &mut #ident, #convert)?,)
    });
    let wires = def.fields.iter().map(|f| f.wire.as_str());
    let fallback = match &def.extra {
        Some(extra) => {
            let slot = naming::slot(extra);
            quote! {
                _ => {
                    let value = map.next_value()?;
                    #slot.insert(key.into_owned(), value);
                }
            }
        }
        None => quote!(other => de::unknown(&mut map, other, FIELDS)?,),
    };
    let extra_slot = def.extra.as_ref().map(|extra| {
        let slot = naming::slot(extra);
        quote!(let mut #slot = BTreeMap::new();)
    });
    let required: Vec<&crate::ir::Field> = def
        .fields
        .iter()
        .filter(|f| is_plain(f, direction) || (direction == Direction::Request && f.required))
        .collect();
    let missing = (!required.is_empty()).then(|| {
        let checks = required.iter().map(|f| {
            let slot = naming::slot(&f.name);
            let wire = &f.wire;
            quote!((#slot.is_none(), #wire))
        });
        quote!(de::missing::<A::Error>(&[#(#checks),*])?;)
    });
    let inits = def.fields.iter().map(|f| {
        let ident = f.name.ident();
        let slot = naming::slot(&f.name);
        let wire = &f.wire;
        if is_plain(f, direction) || (direction == Direction::Request && f.required) {
            quote!(#ident: de::required(#slot, #wire)?)
        } else {
            quote!(#ident: #slot.flatten())
        }
    });
    let extra_init = def.extra.as_ref().map(|extra| {
        let ident = extra.ident();
        let slot = naming::slot(extra);
        quote!(#ident: #slot,)
    });
    let expecting = format!("a `{}` object", ty.name.as_str());
    // A request without fields still reads `{}`; the key loop then only sees strangers.
    let key_match = if def.fields.is_empty() && def.extra.is_none() {
        quote!(de::unknown(&mut map, key.as_str(), FIELDS)?;)
    } else {
        quote! {
            match key.as_str() {
                #(#arms)*
                #fallback
            }
        }
    };
    let fields_const = def
        .extra
        .is_none()
        .then(|| quote!(const FIELDS: &[&str] = &[#(#wires),*];));
    quote! {
        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                #(#entries)*
                #extra_entries
                map.end()
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visit;
                impl<'de> serde::de::Visitor<'de> for Visit {
                    type Value = #name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        #fields_const
                        #(#slots)*
                        #extra_slot
                        while let Some(key) = map.next_key::<de::Key<'de>>()? {
                            #key_match
                        }
                        #missing
                        Ok(#name {
                            #(#inits,)*
                            #extra_init
                        })
                    }
                }
                deserializer.deserialize_map(Visit)
            }
        }
    }
}
