//! An operation's parameters struct and its `Operation` marker type.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, models};
use crate::ir::{Api, Operation};
use crate::spec::{Direction, ParamLocation};

/// The parameters struct, the marker type and its `Operation` impl.
pub(crate) fn items(api: &Api, op: &Operation) -> TokenStream {
    let parameters = parameters(api, op);
    let marker = op.marker.ident();
    let params_ty = op.parameters_type.ident();
    let body_type = |id: Option<crate::ir::TypeId>| match id {
        Some(id) => {
            let ident = api.ty(id).name.ident();
            quote!(#ident)
        }
        None => quote!(()),
    };
    let request = body_type(op.request);
    let success_body = op.success_statuses().find_map(|r| r.body);
    let response = body_type(success_body);
    let id = &op.id;
    let title = &op.title;
    let service = &op.service;
    let method = &op.method;
    let path = &op.path.template;
    let page = &op.provenance.page;
    let success = op.success_statuses().map(|r| r.status);
    let request_type = match op.request {
        Some(id) => {
            let name = api.ty(id).name.as_str();
            quote!(Some(#name))
        }
        None => quote!(None),
    };
    let responses = op.responses.iter().map(|r| {
        let status = r.status;
        match r.body {
            Some(id) => {
                let name = api.ty(id).name.as_str();
                quote!((#status, Some(#name)))
            }
            None => quote!((#status, None)),
        }
    });
    let checks = op.responses.iter().map(|r| {
        let status = r.status;
        match r.body {
            Some(id) => {
                let ty = api.ty(id).name.ident();
                quote!(#status => check::response::<#ty>(body),)
            }
            None => quote!(#status => check::no_body(body),),
        }
    });
    let mut doc = format!(
        "{}: {}",
        docs::code(&format!("{} {}", op.method, op.path.template)),
        docs::escape(&op.title)
    );
    if let Some(description) = &op.description {
        doc.push_str(&format!("\n\n{}", docs::escape(description.trim())));
    }
    doc.push_str(&format!("\n\n{}", docs::provenance(&op.provenance, None)));
    let doc = docs::attrs(&doc);
    quote! {
        #parameters

        #doc
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct #marker;

        impl Operation for #marker {
            type Parameters = #params_ty;
            type Request = #request;
            type Response = #response;
            const DESCRIPTOR: Descriptor = Descriptor {
                id: #id,
                title: #title,
                service: #service,
                method: #method,
                path: #path,
                success: &[#(#success),*],
                request_type: #request_type,
                responses: &[#(#responses),*],
                page: #page,
            };

            fn check_response(status: u16, body: &str) -> Option<Result<(), CheckError>> {
                Some(match status {
                    #(#checks)*
                    _ => return None,
                })
            }
        }
    }
}

fn parameters(api: &Api, op: &Operation) -> TokenStream {
    let name = op.parameters_type.ident();
    let doc = docs::attrs(&format!(
        "The path, query and header parameters of {}.\n\nMandatory ones are arguments of `new`; optional ones have `with_` setters.",
        docs::code(&op.id)
    ));
    let provenance = &op.provenance;
    let fields = op.parameters.iter().map(|p| {
        let mut prov = provenance.clone();
        prov.table = p.table;
        let location = match p.location {
            ParamLocation::Path => "A path parameter.",
            ParamLocation::Query => "A query parameter.",
            ParamLocation::Header => "A header.",
        };
        let field_doc = docs::attrs(&format!("{location}\n\n{}", docs::field(&p.field, &prov)));
        let ident = p.field.name.ident();
        let ty = models::stored(api, &p.field, Direction::Request);
        quote! {
            #field_doc
            pub #ident: #ty,
        }
    });
    let fields_ir: Vec<crate::ir::Field> = op.parameters.iter().map(|p| p.field.clone()).collect();
    let constructor = models::constructor(api, &op.parameters_type, &fields_ir, Direction::Request);
    let validator = super::validators::structure(api, &op.parameters_type, &fields_ir, &[]);
    let default = fields_ir
        .iter()
        .all(|f| !f.required)
        .then(|| quote!(Default,));
    quote! {
        #doc
        #[derive(Clone, Debug, #default PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #validator
        #constructor
    }
}
