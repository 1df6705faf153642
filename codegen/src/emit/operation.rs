//! An operation's parameters struct and its `Operation` marker type.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, models, shape};
use crate::ir::{
    Api, Field, Operation, ParamLocation, ParamSource, Parameter, PathSegment, QueryEncoding,
    TypeKind, TypeRef,
};

/// The parameters struct, the marker type and its `Operation` impl.
pub(crate) fn items(api: &Api, op: &Operation) -> TokenStream {
    let parameters = parameters(api, op);
    let marker = op.marker.ident();
    let params_ty = op.parameters_type.ident();
    let body_type = |id: Option<crate::ir::TypeId>| match id {
        Some(id) => shape::type_path(api, id),
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
                let ty = shape::type_path(api, id);
                quote!(#status => visitor.body::<#ty>(),)
            }
            None => quote!(#status => visitor.no_body(),),
        }
    });
    let request_parts = request_parts(api, op);
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

            #request_parts

            fn visit_response<V: ResponseVisitor>(status: u16, visitor: V) -> Option<V::Output> {
                Some(match status {
                    #(#checks)*
                    _ => return None,
                })
            }
        }
    }
}

/// The parameters the caller supplies; the project id and the token come from the client.
/// The operation's method on the blocking and the async client. Inherent impls may be
/// spread over a crate's modules, so each operation brings its own: the crate root stays
/// small however many operations there are, and the methods are emitted (and formatted)
/// in parallel with the rest of the module.
pub(crate) fn client_methods(api: &Api, op: &Operation) -> TokenStream {
    let name = op.module.ident();
    let marker = op.marker.ident();
    let sends = match op.request {
        Some(_) => "Validates the body (unless turned off), sends it",
        None => "Validates the parameters (unless turned off), sends the request (it has no body)",
    };
    let doc = super::docs::attrs(&format!(
        "{}\n\n{sends} and returns the typed response or a typed error.",
        super::glue::operation_doc(op)
    ));
    // Concrete types read better in docs than `<Op as Operation>::Request`.
    let named = |id: Option<crate::ir::TypeId>| match id {
        Some(id) => shape::type_path(api, id),
        None => quote!(()),
    };
    let params = op.parameters_type.ident();
    let response = named(op.success_statuses().find_map(|r| r.body));
    // An operation without a request body takes no body argument: its request type is
    // `()`, and the clients' `call_bodyless` sends it without one.
    let (body_param, call) = match op.request {
        Some(_) => {
            let request = named(op.request);
            (
                quote!(, body: &#request),
                quote!(call::<#marker>(params, body)),
            )
        }
        None => (quote!(), quote!(call_bodyless::<#marker>(params))),
    };
    quote! {
        #[cfg(feature = "blocking")]
        impl crate::runtime::blocking::Client {
            #doc
            pub fn #name(&self, params: &#params #body_param) -> Result<#response, crate::runtime::client::Error> {
                self.#call
            }
        }

        #[cfg(feature = "async")]
        impl crate::runtime::asynchronous::Client {
            #doc
            pub async fn #name(&self, params: &#params #body_param) -> Result<#response, crate::runtime::client::Error> {
                self.#call.await
            }
        }
    }
}

fn user_parameters(op: &Operation) -> impl Iterator<Item = &Parameter> {
    op.parameters
        .iter()
        .filter(|p| p.source == ParamSource::User)
}

fn parameters(api: &Api, op: &Operation) -> TokenStream {
    let name = op.parameters_type.ident();
    let mut doc = format!(
        "The path, query and header parameters of {} that the caller supplies.\n\nMandatory ones are arguments of `new`; optional ones have `with_` setters. The project id and the `X-Auth-Token` header come from the client's configuration.",
        docs::code(&op.id)
    );
    let caller_fields: Vec<Field> = user_parameters(op).map(|p| p.field.clone()).collect();
    for rule in &op.parameter_rules {
        doc.push_str(&format!("\n\n{}", models::rule_doc(&caller_fields, rule)));
    }
    let doc = docs::attrs(&doc);
    let provenance = &op.provenance;
    let fields = user_parameters(op).map(|p| {
        let mut prov = provenance.clone();
        prov.table = p.table;
        let location = match (p.location, p.encoding) {
            (ParamLocation::Path, _) => "A path parameter.",
            (ParamLocation::Query, Some(QueryEncoding::Repeated)) => {
                "A query parameter, one pair per value (`?a=1&a=2`)."
            }
            (ParamLocation::Query, Some(QueryEncoding::Comma)) => {
                "A query parameter, the values joined by commas (`?a=1,2`)."
            }
            (ParamLocation::Query, None) => "A query parameter.",
            (ParamLocation::Header, _) => "A header.",
        };
        let field_doc = docs::attrs(&format!("{location}\n\n{}", docs::field(&p.field, &prov)));
        let ident = p.field.name.ident();
        let ty = shape::stored(api, &p.field);
        quote! {
            #field_doc
            pub #ident: #ty,
        }
    });
    let fields_ir: Vec<Field> = user_parameters(op).map(|p| p.field.clone()).collect();
    let constructor = models::constructor(api, &op.parameters_type, &fields_ir, None);
    let located: Vec<(ParamLocation, Field)> = user_parameters(op)
        .map(|p| (p.location, p.field.clone()))
        .collect();
    let validator =
        super::validators::parameters(api, &op.parameters_type, &located, &op.parameter_rules);
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

/// `request_parts`: the path with its parameters percent-encoded, the query and the
/// headers, from the caller's parameters and the client's context. The token's documented
/// limits are checked here, since it is not part of the parameters struct.
fn request_parts(api: &Api, op: &Operation) -> TokenStream {
    let mut setup = TokenStream::new();
    let needs_project = op.path.segments.iter().any(|s| matches!(s, PathSegment::Parameter(i) if op.parameters[*i].source == ParamSource::ProjectId));
    if needs_project {
        setup.extend(
            quote!(let project_id = context.project_id.ok_or(PartsError::MissingProjectId)?;),
        );
    }
    let token_checks: Vec<TokenStream> = op
        .parameters
        .iter()
        .filter(|p| p.source == ParamSource::AuthToken)
        .filter_map(|p| {
            let wire = &p.field.wire;
            let header = super::validators::location_key(ParamLocation::Header);
            let checks = super::validators::value_checks_for(api, &p.field, &quote!(token));
            // A token without documented limits has nothing to check: no block at all, so
            // the module does not bind `token`, `root` and `at` for nothing.
            (!checks.is_empty()).then(|| {
                quote! {
                    if let Some(token) = context.token {
                        let root = validate::Path::ROOT;
                        let header = root.key(#header);
                        let at = header.key(#wire);
                        #checks
                    }
                }
            })
        })
        .collect();
    let (out_decl, out_check) = if !token_checks.is_empty() {
        (
            quote!(let mut violations = validate::Violations::new(); let out = &mut violations;),
            quote!(violations.into_result().map_err(PartsError::Invalid)?;),
        )
    } else {
        (quote!(), quote!())
    };
    let pieces = op.path.segments.iter().map(|segment| match segment {
        PathSegment::Literal(text) => quote!(path.push_str(#text);),
        PathSegment::Parameter(i) => {
            let p = &op.parameters[*i];
            // Every path value goes through `path_segment`, which refuses empty and dot
            // segments: they would send the request to another path.
            let wire = &p.field.wire;
            match p.source {
                ParamSource::ProjectId => {
                    quote!(path.push_str(&crate::runtime::operation::path_segment(#wire, project_id)?);)
                }
                _ => {
                    let ident = p.field.name.ident();
                    let text = text_of(api, &p.field.ty, &quote!(params.#ident));
                    quote!(path.push_str(&crate::runtime::operation::path_segment(#wire, &#text)?);)
                }
            }
        }
    });
    let mut query = Vec::new();
    let mut headers = Vec::new();
    for p in user_parameters(op) {
        let ident = p.field.name.ident();
        let wire = &p.field.wire;
        let list = match p.location {
            ParamLocation::Query => &mut query,
            ParamLocation::Header => &mut headers,
            ParamLocation::Path => continue,
        };
        let (value_ty, is_array) = match &p.field.ty {
            TypeRef::Array(inner) => (inner.as_ref(), true),
            other => (other, false),
        };
        let push = match (p.location, is_array) {
            // The query is encoded as it is built, by the runtime's `Query`; arrays in the
            // encoding their spec declares (`check` requires one on every array).
            (ParamLocation::Query, false) => {
                let text = query_text(api, value_ty, &quote!(value));
                quote!(query.push(#wire, #text);)
            }
            (ParamLocation::Query, true) => {
                let text = query_text(api, value_ty, &quote!(value));
                let encoding = match p.encoding {
                    Some(QueryEncoding::Comma) => quote!(CommaSeparated),
                    Some(QueryEncoding::Repeated) | None => quote!(Repeated),
                };
                quote!(query.push_array(#wire, value.iter().map(|value| #text), crate::runtime::operation::ArrayEncoding::#encoding);)
            }
            (_, true) => {
                let text = text_of(api, value_ty, &quote!(value));
                quote!(for value in value { parts.push((#wire, #text)); })
            }
            (_, false) => {
                let text = text_of(api, value_ty, &quote!(value));
                quote!(parts.push((#wire, #text));)
            }
        };
        list.push(if p.field.presence.is_plain() {
            quote!({ let value = &params.#ident; #push })
        } else {
            quote!(if let Some(value) = &params.#ident { #push })
        });
    }
    let collect = |items: Vec<TokenStream>| {
        if items.is_empty() {
            quote!(Vec::new())
        } else {
            quote!({
                let mut parts = Vec::new();
                #(#items)*
                parts
            })
        }
    };
    let query = if query.is_empty() {
        quote!(crate::runtime::operation::Query::new())
    } else {
        quote!({
            let mut query = crate::runtime::operation::Query::new();
            #(#query)*
            query
        })
    };
    let headers = collect(headers);
    let params_name = if user_parameters(op).next().is_some() {
        quote!(params)
    } else {
        quote!(_params)
    };
    let context_used = needs_project || !token_checks.is_empty();
    let context_name = if context_used {
        quote!(context)
    } else {
        quote!(_context)
    };
    quote! {
        fn request_parts(#params_name: &Self::Parameters, #context_name: &Context<'_>) -> Result<RequestParts, PartsError> {
            #setup
            #out_decl
            #(#token_checks)*
            #out_check
            let mut path = String::new();
            #(#pieces)*
            Ok(RequestParts { path, query: #query, headers: #headers })
        }
    }
}

/// An expression turning a query parameter value (a reference) into text for `Query`,
/// borrowed where the value already is text.
fn query_text(api: &Api, ty: &TypeRef, value: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(#value.as_str()),
        TypeRef::Secret => quote!(#value.expose()),
        TypeRef::Named(id) if matches!(api.ty(*id).kind, TypeKind::Enum(_)) => {
            quote!(#value.as_str())
        }
        _ => quote!(#value.to_string()),
    }
}

/// An expression turning a parameter value (a reference) into the text sent.
fn text_of(api: &Api, ty: &TypeRef, value: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(#value.clone()),
        TypeRef::Secret => quote!(#value.expose().to_owned()),
        TypeRef::Named(id) if matches!(api.ty(*id).kind, TypeKind::Enum(_)) => {
            quote!(#value.as_str().to_owned())
        }
        _ => quote!(#value.to_string()),
    }
}
