//! Structs and enums for the types of one operation: definitions, constructors and
//! setters. A struct's serde impl and validator are other emitters' parts; `emit` puts a
//! type's parts together, so this module names no other emitter but the leaves `docs` and
//! `shape`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, shape};
use crate::ir::{Api, Direction, EnumDef, Field, FieldIndex, Rule, StructDef, TypeDef};
use crate::naming;

/// A struct's definition: its doc, derives and fields. Its impls are separate items
/// (see [`struct_methods`]); `emit` puts each type's items together.
pub(super) fn structure(api: &Api, ty: &TypeDef, def: &StructDef) -> TokenStream {
    let name = ty.name.ident();
    let direction = ty.direction;
    let table = ty
        .provenance
        .table
        .map(|t| format!("Table {t}"))
        .unwrap_or_else(|| "A table".to_owned());
    let mut doc = match (&ty.description, &def.title) {
        (Some(description), _) => docs::escape(description.trim()),
        (None, Some(title)) => format!("{table} of the page: \"{}\".", docs::escape(title)),
        (None, None) => format!("{table} of the page: {}.", docs::code(ty.name.as_str())),
    };
    if ty.pages.is_empty() {
        doc.push_str(&format!(
            "\n\n{}\n\n",
            docs::provenance(&ty.provenance, None)
        ));
    } else {
        // A shared type: one type for a table several pages print, each named here.
        let pages: Vec<String> = ty
            .pages
            .iter()
            .map(|p| {
                let title = p
                    .title
                    .as_deref()
                    .map(|t| format!(" (\"{}\")", docs::escape(t)))
                    .unwrap_or_default();
                format!(
                    "- {}, Table {}{title}: {}",
                    docs::code(&p.page),
                    p.table,
                    docs::code(&p.operation)
                )
            })
            .collect();
        doc.push_str(&format!(
            "\n\nShared by the operations whose pages print it (transcribed in {}):\n\n{}\n\n",
            docs::code(&ty.provenance.spec_file),
            pages.join("\n")
        ));
    }
    doc.push_str(match direction {
        Direction::Request => "A request type: unknown keys are refused, mandatory fields are constructor arguments. A field the page does not list can still be sent, as given and unchecked, with `UnlistedFields::with_unlisted_field`.",
        Direction::Response => "A response type, read leniently: every field is optional, `null` reads as unset and keys no table lists are kept in the extra map.",
    });
    for rule in &def.rules {
        doc.push_str(&format!("\n\n{}", rule_doc(&def.fields, rule)));
    }
    let doc = docs::attrs(&doc);
    let fields = def.fields.iter().map(|f| {
        let mut field_doc = docs::field(f, &ty.provenance);
        if !f.printed_on.is_empty() {
            let pages: Vec<String> = f.printed_on.iter().map(|p| docs::code(p)).collect();
            field_doc.push_str(&format!(
                "\n\nListed only on the pages of {}; the type is the union of its pages.",
                pages.join(", ")
            ));
        }
        let field_doc = docs::attrs(&field_doc);
        let field_name = f.name.ident();
        let stored = shape::stored(api, f);
        quote! {
            #field_doc
            pub #field_name: #stored,
        }
    });
    let extra = def.extra.as_ref().map(|extra| {
        let extra = extra.ident();
        quote! {
            /// Keys the tables do not list, kept so nothing the server sends is lost. Its
            /// `Debug` shows the keys only, since a value may be a secret no table lists.
            pub #extra: codec::Extra,
        }
    });
    // Private, so that a documented key can only ever be refused by the setter, never put
    // beside its own field.
    let unlisted = def.unlisted.as_ref().map(|unlisted| {
        let unlisted = unlisted.ident();
        quote! {
            /// Fields the page does not list, sent after the documented ones.
            #unlisted: codec::Unlisted,
        }
    });
    let default = (direction == Direction::Response || def.fields.iter().all(|f| !f.required))
        .then(|| quote!(Default,));
    quote! {
        #doc
        #[derive(Clone, Debug, #default PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #extra
            #unlisted
        }
    }
}

/// A struct's own methods: for a request type, the constructor and setters, and the
/// escape hatch's `UnlistedFields` impl where the type has one.
pub(super) fn struct_methods(api: &Api, ty: &TypeDef, def: &StructDef) -> TokenStream {
    let name = ty.name.ident();
    let direction = ty.direction;
    let constructor = shape::is_request(direction)
        .then(|| constructor(api, &ty.name, &def.fields, def.unlisted.as_ref()));
    // The hatch's setter and getter are the runtime trait's provided methods; a type only
    // says where its map is.
    let unlisted_impl = def.unlisted.as_ref().map(|unlisted| {
        let unlisted = unlisted.ident();
        quote! {
            impl codec::UnlistedFields for #name {
                fn unlisted(&self) -> &codec::Unlisted {
                    &self.#unlisted
                }
                fn unlisted_mut(&mut self) -> &mut codec::Unlisted {
                    &mut self.#unlisted
                }
            }
        }
    });
    quote! {
        #constructor
        #unlisted_impl
    }
}

/// `new` with the mandatory fields and a `with_` setter per optional field; `unlisted` names
/// the escape hatch's field, which starts empty.
pub(super) fn constructor(
    api: &Api,
    name: &naming::RustName,
    fields: &[Field],
    unlisted: Option<&naming::RustName>,
) -> TokenStream {
    let name = name.ident();
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let params = required.iter().map(|f| {
        let ident = f.name.ident();
        let ty = shape::stored(api, f);
        quote!(#ident: impl Into<#ty>)
    });
    let mut inits: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let ident = f.name.ident();
            if f.required {
                quote!(#ident: #ident.into())
            } else {
                quote!(#ident: None)
            }
        })
        .collect();
    if let Some(unlisted) = unlisted {
        let unlisted = unlisted.ident();
        inits.push(quote!(#unlisted: codec::Unlisted::default()));
    }
    let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let new_doc = if required.is_empty() {
        "Creates a value with every field unset.".to_owned()
    } else {
        let names: Vec<String> = required.iter().map(|f| docs::code(&f.wire)).collect();
        format!(
            "Creates a value from the mandatory fields ({}); optional fields start unset.",
            names.join(", ")
        )
    };
    let new_doc = docs::attrs(&new_doc);
    let setters = fields.iter().filter(|f| !f.required).map(|f| {
        let ident = f.name.ident();
        let setter = naming::setter(&f.name);
        let ty = shape::type_tokens(api, &f.ty);
        let doc = docs::attrs(&format!("Sets {}.", docs::code(&f.wire)));
        quote! {
            #doc
            pub fn #setter(mut self, value: impl Into<#ty>) -> Self {
                self.#ident = Some(value.into());
                self
            }
        }
    });
    quote! {
        impl #name {
            #new_doc
            #many
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
        }
    }
}

/// One sentence for a rule between `fields`, for the docs of their struct.
pub(crate) fn rule_doc(fields: &[crate::ir::Field], rule: &Rule) -> String {
    let wire = |i: FieldIndex| docs::code(&fields[i].wire);
    let values = |c: &crate::ir::Condition| {
        if c.present {
            return "set".to_owned();
        }
        c.values
            .iter()
            .map(|v| docs::code(v.as_str().map_or(&v.to_string(), |s| s)))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let text = |t: &Option<String>| {
        t.as_deref()
            .map(|t| format!(" The page says: \"{}\"", docs::escape(t)))
            .unwrap_or_default()
    };
    match rule {
        Rule::RequiredWhen {
            field,
            condition,
            text: t,
        } => {
            format!(
                "Rule: {} is required when {} is {}.{}",
                wire(*field),
                wire(condition.field),
                values(condition),
                text(t)
            )
        }
        Rule::OnlyWhen {
            field,
            condition,
            text: t,
        } => {
            format!(
                "Rule: {} may be set only when {} is {}.{}",
                wire(*field),
                wire(condition.field),
                values(condition),
                text(t)
            )
        }
        Rule::FormatWhen {
            field,
            formats,
            condition,
            text: t,
        } => {
            let formats: Vec<&str> = formats.iter().map(|f| f.description()).collect();
            format!(
                "Rule: {} is {} when {} is {}.{}",
                wire(*field),
                formats.join(" or "),
                wire(condition.field),
                values(condition),
                text(t)
            )
        }
        Rule::SameSubnet { fields, text: t } => {
            let names: Vec<String> = fields.iter().map(|i| wire(*i)).collect();
            format!(
                "Rule: {} lie in the same block.{}",
                names.join(" and "),
                text(t)
            )
        }
        Rule::ServerSide { fields, text: t } => {
            let names: Vec<String> = fields.iter().map(|i| wire(*i)).collect();
            format!(
                "Not checked by this client (it depends on state only the server knows), concerning {}: \"{}\"",
                names.join(", "),
                docs::escape(t)
            )
        }
    }
}

/// An enum with its `WireEnum` impl.
pub(super) fn enumeration(ty: &TypeDef, def: &EnumDef) -> TokenStream {
    let name = ty.name.ident();
    let mut doc = format!("The values of {}.", docs::code(&def.origin));
    if def.case_insensitive {
        doc.push_str(" The page shows more than one casing, so any casing is accepted; the documented one is sent.");
    }
    match &def.unknown {
        None => doc.push_str(" Closed: a value outside the list is refused."),
        Some(unknown) => doc.push_str(&format!(
            " Open: values are read exactly, and a value the page does not list (or a listed one in another casing) is kept as sent in {}, so a new server value never breaks a client and what is read writes back unchanged.",
            docs::code(unknown.as_str())
        )),
    }
    doc.push_str(&format!("\n\n{}", docs::provenance(&ty.provenance, None)));
    let doc = docs::attrs(&doc);
    let variants = def.variants.iter().map(|v| {
        let ident = v.name.ident();
        let doc = docs::attrs(&docs::code(&v.wire));
        quote!(#doc #ident,)
    });
    let wires = def.variants.iter().map(|v| &v.wire);
    let documented = def.variants.iter().enumerate().map(|(index, v)| {
        let ident = v.name.ident();
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        quote!(#index => Some(Self::#ident),)
    });
    let texts = def.variants.iter().map(|v| {
        let ident = v.name.ident();
        let wire = &v.wire;
        quote!(Self::#ident => #wire,)
    });
    let case_insensitive = def.case_insensitive;
    // Open enums keep undocumented values in a catch-all variant, which `WireEnum` needs
    // to build and to read; closed enums use the trait's defaults.
    let (unknown_variant, unknown_text, open_fns, derives) = match &def.unknown {
        Some(unknown) => {
            let unknown = unknown.ident();
            (
                quote! {
                    /// A value the page does not list (or a listed value in another
                    /// casing), kept as sent: the catch-all of every response enum.
                    #unknown(String),
                },
                quote!(Self::#unknown(value) => value,),
                quote! {
                    fn unknown(value: &str) -> Option<Self> {
                        Some(Self::#unknown(value.to_owned()))
                    }
                },
                quote!(#[derive(Clone, Debug, PartialEq, Eq, Hash)]),
            )
        }
        None => (
            quote!(),
            quote!(),
            quote!(),
            quote!(#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]),
        ),
    };
    quote! {
        #doc
        #derives
        pub enum #name {
            #(#variants)*
            #unknown_variant
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#texts)*
                    #unknown_text
                }
            }
        }

        #[doc(hidden)]
        impl WireEnum for #name {
            const WIRE: &'static [&'static str] = &[#(#wires),*];
            const CASE_INSENSITIVE: bool = #case_insensitive;
            fn documented(index: usize) -> Option<Self> {
                match index {
                    #(#documented)*
                    _ => None,
                }
            }
            #open_fns
        }
    }
}
