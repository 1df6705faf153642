//! A list operation's pages: `impl Paginated` for its marker type, and on each transport's
//! client a method `<operation>_all` that walks every page lazily.

use proc_macro2::TokenStream;
use quote::quote;

use super::shape;
use crate::ir::{Api, Field, NextPage, Operation, TypeKind, TypeRef};

/// The pagination items of `op`, or nothing for an operation without `pagination:`.
pub(crate) fn items(api: &Api, op: &Operation) -> TokenStream {
    let Some(p) = &op.pagination else {
        return TokenStream::new();
    };
    let body = struct_fields(api, p.body);
    let items_field = &body[p.items.0];
    let item = match &items_field.ty {
        TypeRef::Array(inner) => shape::type_tokens(api, inner),
        _ => unreachable!("bug: check makes `items` an array"),
    };
    let items = {
        let ident = items_field.name.ident();
        if items_field.presence.is_plain() {
            quote!(response.#ident)
        } else {
            quote!(response.#ident.unwrap_or_default())
        }
    };
    let page = match &p.next {
        NextPage::Marker(path) => {
            // Down the path from the body to the marker, each step an `Option` unless the
            // field is plain.
            let mut fields = struct_fields(api, p.body);
            let mut next = TokenStream::new();
            for (n, index) in path.iter().enumerate() {
                let f = &fields[index.0];
                let ident = f.name.ident();
                next = match (n, f.presence.is_plain()) {
                    (0, true) => quote!(Some(response.#ident)),
                    (0, false) => quote!(response.#ident),
                    (_, true) => quote!(#next.map(|value| value.#ident)),
                    (_, false) => quote!(#next.and_then(|value| value.#ident)),
                };
                if let TypeRef::Named(id) = &f.ty {
                    fields = struct_fields(api, *id);
                }
            }
            quote! {
                let items = #items;
                crate::runtime::paginate::Page::next_marker(items, #next)
            }
        }
        NextPage::Links(index) => {
            let f = &body[index.0];
            let ident = f.name.ident();
            let link_fields = match &f.ty {
                TypeRef::Array(inner) => match inner.as_ref() {
                    TypeRef::Named(id) => struct_fields(api, *id),
                    _ => unreachable!("bug: check makes `links` an array of objects"),
                },
                _ => unreachable!("bug: check makes `links` an array"),
            };
            let text = |wire: &str| {
                let f = link_fields
                    .iter()
                    .find(|f| f.wire == wire)
                    .expect("bug: check makes links have `rel` and `href`");
                let ident = f.name.ident();
                if f.presence.is_plain() {
                    quote!(link.#ident.as_str())
                } else {
                    quote!(link.#ident.as_deref()?)
                }
            };
            let (rel, href) = (text("rel"), text("href"));
            let links = if f.presence.is_plain() {
                quote!(response.#ident.iter())
            } else {
                quote!(response.#ident.iter().flatten())
            };
            quote! {
                let items = #items;
                crate::runtime::paginate::Page::links(items, #links.filter_map(|link| Some((#rel, #href))))
            }
        }
    };
    let marker = op.marker.ident();
    let params = op.parameters_type.ident();
    let limit = op.parameters[p.limit.0].field.name.ident();
    let marker_param = op.parameters[p.marker.0].field.name.ident();
    let all = quote::format_ident!("{}_all", op.module.to_string());
    let doc = super::docs::attrs(&format!(
        "Every item of `{}` across its pages, lazily: each page is one request, sent when \
         the items before it have been taken, starting from the page `params` ask for. \
         `.page_size(n)` sets `{}` for every request. The walk ends on the last page, and \
         stops with an error on a failed request or a page that repeats a marker. \
         [`Self::{}`] fetches one page.",
        op.id, op.parameters[p.limit.0].field.wire, op.module
    ));
    quote! {
        impl crate::Paginated for #marker {
            type Item = #item;
            fn page_size(params: &Self::Parameters) -> Option<u32> {
                params.#limit.and_then(|size| u32::try_from(size).ok())
            }
            fn set_page_size(params: &mut Self::Parameters, size: u32) {
                params.#limit = Some(i64::from(size));
            }
            fn set_marker(params: &mut Self::Parameters, marker: String) {
                params.#marker_param = Some(marker);
            }
            fn into_page(response: Self::Response) -> crate::runtime::paginate::Page<Self::Item> {
                #page
            }
        }

        #[cfg(feature = "blocking")]
        impl crate::runtime::blocking::Client {
            #doc
            pub fn #all(&self, params: &#params) -> crate::runtime::blocking::Pages<'_, #marker> {
                self.pages::<#marker>(params.clone())
            }
        }

        #[cfg(feature = "async")]
        impl crate::runtime::asynchronous::Client {
            #doc
            pub fn #all(&self, params: &#params) -> crate::runtime::asynchronous::Pages<#marker> {
                self.pages::<#marker>(params.clone())
            }
        }
    }
}

/// The fields of struct type `id`.
fn struct_fields(api: &Api, id: crate::ir::TypeId) -> Vec<Field> {
    match &api.ty(id).kind {
        TypeKind::Struct(def) => def.fields.clone(),
        TypeKind::Enum(_) => unreachable!("bug: check makes pagination paths go through objects"),
    }
}
