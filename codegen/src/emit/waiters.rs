//! A service's `waiters` module: a marker type per waiter implementing the runtime's
//! `Waiter`, and the clients' `wait_until_<resource>_<waiter>` methods.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use crate::ir::{Api, Owner, SharedTypes, TypeId, TypeKind, TypeRef, Waiter};

/// Every item of the module.
pub(super) fn items(api: &Api, shared: &SharedTypes) -> TokenStream {
    let items = shared.waiters.iter().map(|w| waiter(api, w));
    quote!(#(#items)*)
}

/// A type by its path from anywhere in the crate: `crate::<service>::<module>::Name` for an
/// operation's own type, `crate::<service>::types::Name` for a shared one.
fn absolute(api: &Api, id: TypeId) -> TokenStream {
    let ty = api.ty(id);
    let ident = ty.name.ident();
    match ty.owner {
        Owner::Operation(op) => {
            let op = &api.operations[op.0];
            let service = format_ident!("{}", op.service);
            let module = op.module.ident();
            quote!(crate::#service::#module::#ident)
        }
        Owner::Shared(service) => {
            let service = format_ident!("{}", api.shared[service.0].service);
            quote!(crate::#service::types::#ident)
        }
    }
}

/// The expression reading the status from `response`, an `Option<&str>`: each step of the
/// path is an optional field (response fields are), so a missing one reads as no status.
fn status_expr(api: &Api, w: &Waiter) -> TokenStream {
    let op = &api.operations[w.operation.0];
    let Some(mut current) = op.success_statuses().find_map(|r| r.body) else {
        return quote!(None);
    };
    let mut expr = quote!(response);
    for &index in &w.status {
        let TypeKind::Struct(def) = &api.ty(current).kind else {
            return quote!(None);
        };
        let field = &def.fields[index];
        let ident = field.name.ident();
        expr = if field.presence.is_plain() {
            quote!((&#expr.#ident))
        } else {
            quote!(#expr.#ident.as_ref()?)
        };
        if let TypeRef::Named(next) = &field.ty {
            current = *next;
        }
    }
    // A status is a string or a string enum; both have `as_str`.
    quote!(Some(#expr.as_str()))
}

fn list(values: &[String]) -> String {
    values
        .iter()
        .map(|v| docs::code(v))
        .collect::<Vec<_>>()
        .join(", ")
}

fn waiter(api: &Api, w: &Waiter) -> TokenStream {
    let op = &api.operations[w.operation.0];
    let marker = w.marker.ident();
    let method = w.method.ident();
    let service = format_ident!("{}", op.service);
    let module = op.module.ident();
    let op_marker = op.marker.ident();
    let params = op.parameters_type.ident();
    let operation = quote!(crate::#service::#module::#op_marker);
    let params = quote!(crate::#service::#module::#params);
    let done = &w.done;
    let failed = &w.failed;
    let status = status_expr(api, w);
    // Compiled with the operation it polls, each item alike.
    let cfg = super::shape::gate_cfg(&w.gate);
    let mut doc = if w.gone {
        format!(
            "Waits until the {} is gone: polls {} until it answers 404.",
            docs::escape(&w.resource.replace('_', " ")),
            docs::code(&op.id)
        )
    } else {
        format!(
            "Waits until the {}'s {} is {}: polls {}.",
            docs::escape(&w.resource.replace('_', " ")),
            docs::code(&w.status_path),
            list(&w.done),
            docs::code(&op.id)
        )
    };
    if !w.failed.is_empty() {
        doc.push_str(&format!(
            " Fails with `Error::WaitFailed` on {}.",
            list(&w.failed)
        ));
    }
    if !w.pending.is_empty() {
        doc.push_str(&format!(
            " The pages name {} as in progress; any status not listed is waited on too.",
            list(&w.pending)
        ));
    }
    if let Some(text) = &w.text {
        doc.push_str(&format!("\n\nThe page says: {}", docs::escape(text.trim())));
    }
    doc.push_str(&format!("\n\nTranscribed in {}.", docs::code(&w.spec_file)));
    let method_doc = docs::attrs(&format!(
        "{doc}\n\nPolls with backoff until `options.timeout`, then fails with `Error::WaitTimeout` naming the last status seen."
    ));
    let marker_doc = docs::attrs(&format!(
        "{doc}\n\nUsed by the clients' `{}`.",
        w.method.as_str()
    ));
    let (returns, call) = if w.gone {
        (
            quote!(()),
            quote!(wait_until_gone::<#marker>(params, &options)),
        )
    } else {
        let response = match op.success_statuses().find_map(|r| r.body) {
            Some(id) => absolute(api, id),
            None => quote!(()),
        };
        (response, quote!(wait::<#marker>(params, &options)))
    };
    quote! {
        #marker_doc
        #cfg
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct #marker;

        #cfg
        impl crate::Waiter for #marker {
            type Operation = #operation;
            const DONE: &'static [&'static str] = &[#(#done),*];
            const FAILED: &'static [&'static str] = &[#(#failed),*];
            fn status(response: &<Self::Operation as crate::Operation>::Response) -> Option<&str> {
                #status
            }
        }

        #cfg
        #[cfg(feature = "blocking")]
        impl crate::runtime::blocking::Client {
            #method_doc
            pub fn #method(&self, params: &#params, options: crate::WaitOptions) -> Result<#returns, crate::Error> {
                self.#call
            }
        }

        #cfg
        #[cfg(feature = "async")]
        impl crate::runtime::asynchronous::Client {
            #method_doc
            pub async fn #method(&self, params: &#params, options: crate::WaitOptions) -> Result<#returns, crate::Error> {
                self.#call.await
            }
        }
    }
}
