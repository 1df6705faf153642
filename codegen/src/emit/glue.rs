//! The crate around the operation modules: module tree, runtime, registry, and for the
//! standalone layout `Cargo.toml` and `README.md`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::shape::{any_feature_cfg, gate_cfg};
use super::{Emitted, Layout, docs};
use crate::ir::{Api, Gate, Operation, ServiceFeatures, SharedTypes, service_title};

/// What the standalone crate's manifest and README say about where it came from.
#[derive(Clone, Debug)]
pub struct CrateFacts {
    /// The package name.
    pub name: String,
    /// The package version.
    pub version: String,
    /// The spec folder, as named in headers (`spec`).
    pub spec_root: String,
    /// The spec files, relative, sorted.
    pub spec_files: Vec<String>,
    /// A stable fingerprint of the spec files' contents.
    pub fingerprint: String,
    /// The generator's version.
    pub generator_version: String,
}

/// The glue files for `layout`.
pub(super) fn files(api: &Api, layout: Layout, facts: &CrateFacts) -> Vec<Emitted> {
    let source = format!("{}/", facts.spec_root);
    let mut files = Vec::new();
    match layout {
        Layout::OutDir => {
            files.push(Emitted::Rust {
                input: None,
                path: "netapi.rs".to_owned(),
                tokens: root_items(api, layout),
                source,
            });
            for file in netapi_runtime::SOURCES {
                files.push(Emitted::Text {
                    path: format!("runtime/{}.rs", file.name),
                    text: runtime_text(file.name, file.source),
                });
            }
        }
        Layout::Crate => {
            let root = root_items(api, layout);
            let crate_doc = crate_doc(api, facts);
            files.push(Emitted::Rust {
                input: None,
                path: "src/lib.rs".to_owned(),
                tokens: quote! {
                    #crate_doc
                    #![warn(missing_docs)]
                    #root
                },
                source: source.clone(),
            });
            let mods = netapi_runtime::SOURCES.iter().map(|file| {
                let doc = docs::attrs(&netapi_runtime::doc_line(file.source));
                let ident = format_ident!("{}", file.name);
                let cfg = feature_cfg(file.feature);
                quote!(#doc #cfg pub mod #ident;)
            });
            files.push(Emitted::Rust {
                input: None,
                path: "src/runtime/mod.rs".to_owned(),
                tokens: quote!(#(#mods)*),
                source: source.clone(),
            });
            for file in netapi_runtime::SOURCES {
                files.push(Emitted::Text {
                    path: format!("src/runtime/{}.rs", file.name),
                    text: runtime_text(file.name, file.source),
                });
            }
            for (service, ops) in api.services() {
                // Each module is compiled when its feature, or one of its items' features,
                // is on (see `ir::Gate`).
                let mods = ops.iter().map(|op| {
                    let doc = docs::attrs(&operation_doc(op));
                    let ident = op.module.ident();
                    let cfg = gate_cfg(&op.gate);
                    quote!(#doc #cfg pub mod #ident;)
                });
                let types = with_types(api, service).map(|shared| {
                    let doc = docs::attrs(&shared_doc(service));
                    let cfg = gate_cfg(&shared.types_gate);
                    quote!(#doc #cfg pub mod types;)
                });
                let waiters = with_waiters(api, service).map(|shared| {
                    let doc = docs::attrs(&waiters_doc(service));
                    let cfg = gate_cfg(&shared.waiters_gate);
                    quote!(#doc #cfg pub mod waiters;)
                });
                files.push(Emitted::Rust {
                    input: None,
                    path: format!("src/{service}/mod.rs"),
                    tokens: quote!(#types #waiters #(#mods)*),
                    source: source.clone(),
                });
            }
            files.push(Emitted::Text {
                path: "Cargo.toml".to_owned(),
                text: manifest(api, facts),
            });
            files.push(Emitted::Text {
                path: "README.md".to_owned(),
                text: readme(api, facts),
            });
        }
    }
    files
}

/// The shared types of `service` when it has some, and so a `types` module (a resource
/// file may hold waiters only).
fn with_types<'a>(api: &'a Api, service: &str) -> Option<&'a SharedTypes> {
    api.shared
        .iter()
        .find(|s| s.service == service && s.types.start != s.types.end)
}

/// The shared entry of `service` when it has waiters, and so a `waiters` module.
fn with_waiters<'a>(api: &'a Api, service: &str) -> Option<&'a SharedTypes> {
    api.shared
        .iter()
        .find(|s| s.service == service && !s.waiters.is_empty())
}

/// The doc line of a service's `waiters` module.
fn waiters_doc(service: &str) -> String {
    format!(
        "Waiting for `{service}` resources to reach a status: a marker type per waiter, and the clients' `wait_until_*` methods."
    )
}

/// The doc line of a service's `types` module.
fn shared_doc(service: &str) -> String {
    format!(
        "The types several operations of `{service}` share, one Rust type per table design; each says which pages print it."
    )
}

/// The `#[cfg]` of a service's module: compiled when any of the service's features is on
/// (its own, which turns the others on, or one of its sub-features).
fn service_cfg(features: &ServiceFeatures) -> TokenStream {
    any_feature_cfg(features.all())
}

/// `#[cfg(feature = "...")]` of an operation's registry entries: the feature that compiles
/// its module in.
fn operation_cfg(op: &Operation) -> TokenStream {
    any_feature_cfg([op.feature.as_str()])
}

/// The features of a service as its docs name them: `` `vpn` `` or
/// `` `vpn`, or finer `vpn-v5`, `vpnaas` ``.
fn features_doc(features: &ServiceFeatures) -> String {
    let own = docs::code(&features.service);
    if features.sub_features.is_empty() {
        return format!("cargo feature {own}");
    }
    let finer: Vec<String> = features
        .sub_features
        .iter()
        .map(|f| docs::code(f))
        .collect();
    format!("cargo feature {own}, or finer {}", finer.join(", "))
}

/// `#[cfg(feature = "...")]` for a feature-gated module.
fn feature_cfg(feature: Option<&str>) -> TokenStream {
    match feature {
        Some(feature) => quote!(#[cfg(feature = #feature)]),
        None => quote!(),
    }
}

fn runtime_text(name: &str, text: &str) -> String {
    format!(
        "// @generated by netapi-codegen from its runtime source `runtime/{name}.rs`. Do not edit.\n{text}"
    )
}

pub(super) fn operation_doc(op: &Operation) -> String {
    let mut doc = format!(
        "{}: {}",
        docs::code(&format!("{} {}", op.method, op.path.template)),
        docs::escape(&op.title)
    );
    // In a service split into finer features, the feature is worth a word where the
    // operation is listed: it is what a user turns on to compile this module.
    if op.gate != Gate::Service {
        doc.push_str(&format!(" (cargo feature {}).", docs::code(&op.feature)));
    }
    doc
}

/// Module tree, runtime, re-exports and the registry.
fn root_items(api: &Api, layout: Layout) -> TokenStream {
    let runtime_mod = match layout {
        Layout::OutDir => {
            let mods = netapi_runtime::SOURCES.iter().map(|file| {
                let doc = docs::attrs(&netapi_runtime::doc_line(file.source));
                let ident = format_ident!("{}", file.name);
                let path = format!("/{}/runtime/{}.rs", crate::OUT_DIR_FOLDER, file.name);
                let cfg = feature_cfg(file.feature);
                quote! {
                    #doc
                    #cfg
                    pub mod #ident {
                        include!(concat!(env!("OUT_DIR"), #path));
                    }
                }
            });
            quote! {
                /// The hand-written runtime the generated code uses: machinery, hidden from the
                /// docs as serde hides `__private`; its types for users are re-exported here.
                #[doc(hidden)]
                pub mod runtime {
                    #(#mods)*
                }
            }
        }
        Layout::Crate => quote! {
            /// The hand-written runtime the generated code uses: machinery, hidden from the
            /// docs as serde hides `__private`; its types for users are re-exported here.
            #[doc(hidden)]
            pub mod runtime;
        },
    };
    let services = api.services().into_iter().map(|(service, ops)| {
        let features = api.features_of(service);
        let doc = docs::attrs(&format!(
            "{} (`{service}`; {}).",
            service_title(service),
            features_doc(&features)
        ));
        let ident = format_ident!("{service}");
        // The service's features gate its whole module, so whatever a service holds, now
        // or later (operations, shared types, waiters), is compiled only when one is on;
        // inside, each item has its own gate.
        let cfg = service_cfg(&features);
        match layout {
            Layout::OutDir => {
                let mods = ops.iter().map(|op| {
                    let doc = docs::attrs(&operation_doc(op));
                    let module = op.module.ident();
                    let cfg = gate_cfg(&op.gate);
                    let file = format!(
                        "/{}/{service}/{}.rs",
                        crate::OUT_DIR_FOLDER,
                        op.module.as_str()
                    );
                    quote! {
                        #doc
                        #cfg
                        pub mod #module {
                            include!(concat!(env!("OUT_DIR"), #file));
                        }
                    }
                });
                let types = with_types(api, service).map(|shared| {
                    let doc = docs::attrs(&shared_doc(service));
                    let cfg = gate_cfg(&shared.types_gate);
                    let file = format!("/{}/{service}/types.rs", crate::OUT_DIR_FOLDER);
                    quote! {
                        #doc
                        #cfg
                        pub mod types {
                            include!(concat!(env!("OUT_DIR"), #file));
                        }
                    }
                });
                let waiters = with_waiters(api, service).map(|shared| {
                    let doc = docs::attrs(&waiters_doc(service));
                    let cfg = gate_cfg(&shared.waiters_gate);
                    let file = format!("/{}/{service}/waiters.rs", crate::OUT_DIR_FOLDER);
                    quote! {
                        #doc
                        #cfg
                        pub mod waiters {
                            include!(concat!(env!("OUT_DIR"), #file));
                        }
                    }
                });
                quote! {
                    #doc
                    #cfg
                    pub mod #ident {
                        #types
                        #waiters
                        #(#mods)*
                    }
                }
            }
            Layout::Crate => quote!(#doc #cfg pub mod #ident;),
        }
    });
    // The registry lists what is compiled in: each entry carries its operation's feature.
    let descriptors = api.operations.iter().map(|op| {
        let cfg = operation_cfg(op);
        let service = format_ident!("{}", op.service);
        let module = op.module.ident();
        let marker = op.marker.ident();
        quote!(#cfg <#service::#module::#marker as Operation>::DESCRIPTOR)
    });
    let clients = clients();
    let visits = api.operations.iter().map(|op| {
        let cfg = operation_cfg(op);
        let service = format_ident!("{}", op.service);
        let module = op.module.ident();
        let marker = op.marker.ident();
        let id = &op.id;
        quote!(#cfg #id => Some(visitor.visit::<#service::#module::#marker>()),)
    });
    // Every id of the specs, compiled in or not, with its feature: one arm per feature,
    // sorted by name.
    let mut by_feature: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for op in &api.operations {
        by_feature.entry(&op.feature).or_default().push(&op.id);
    }
    let features = by_feature
        .into_iter()
        .map(|(feature, ids)| quote!(#(#ids)|* => Some(#feature),));
    quote! {
        #runtime_mod

        pub use runtime::payload::CheckError;
        pub use runtime::codec::{Extra, Unlisted, UnlistedFieldError, UnlistedFields};
        pub use runtime::client::{AkSk, ApiError, Auth, Config, Endpoints, Error, PageProblem, Retry, TransportKind};
        // The sans-IO core, for callers who bring their own HTTP library; re-exported
        // because `runtime` is hidden from the docs.
        pub use runtime::client::{Body, MAX_TIMEOUT, build_bodyless_request, build_request, read_response};
        pub use runtime::operation::{Descriptor, Operation, OperationVisitor};
        pub use runtime::paginate::{Cursor, Page, Paginated};
        pub use runtime::wait::{Poll, Step, WaitOptions, Waiter};
        pub use runtime::secret::Secret;
        pub use runtime::validate::{Validate, Violation, ViolationKind, Violations};

        #(#services)*

        #clients

        static OPERATIONS: &[Descriptor] = &[#(#descriptors),*];

        /// Every operation compiled in: id, method, path template, service and more,
        /// sorted by service and id. An operation whose cargo feature is off is not here,
        /// and the function [`feature_of`] names the feature of any operation of the specs.
        pub fn operations() -> &'static [Descriptor] {
            OPERATIONS
        }

        /// The cargo feature that compiles operation `operation_id` in (its service's, or the
        /// finer feature its spec names), whether it is on or off in this build, or `None`
        /// for an id no spec has.
        pub fn feature_of(operation_id: &str) -> Option<&'static str> {
            match operation_id {
                #(#features)*
                _ => None,
            }
        }

        /// Parses a full request body (wrapper object included) strictly into the operation's
        /// typed model and runs every validator. The error lists every problem, each with its
        /// JSON path, the rule, the limit and the offending value (masked for secrets).
        ///
        /// Feature `check` (on by default): it compiles every operation's readers in.
        #[cfg(feature = "check")]
        pub fn check_request_json(operation_id: &str, body: &str) -> Result<(), CheckError> {
            visit_operation(operation_id, runtime::payload::CheckRequest(body))
                .unwrap_or_else(|| Err(runtime::payload::unknown_operation(operation_id, feature_of(operation_id), operations())))
        }

        /// Parses a response body for `status` leniently: unknown keys, unknown enum values and
        /// `null`s pass; a wrong JSON type for a documented field and an undocumented status do
        /// not.
        ///
        /// Feature `check` (on by default), as [`check_request_json`].
        #[cfg(feature = "check")]
        pub fn check_response_json(operation_id: &str, status: u16, body: &str) -> Result<(), CheckError> {
            visit_operation(operation_id, runtime::payload::CheckResponse { status, body })
                .unwrap_or_else(|| Err(runtime::payload::unknown_operation(operation_id, feature_of(operation_id), operations())))
        }

        /// Runs `visitor` on the operation with id `id`, or returns `None` for an id that is
        /// not compiled in (unknown, or whose feature is off: see [`feature_of`]).
        pub fn visit_operation<V: OperationVisitor>(id: &str, visitor: V) -> Option<V::Output> {
            match id {
                #(#visits)*
                _ => {
                    // With every feature off no arm uses the visitor.
                    let _ = visitor;
                    None
                }
            }
        }
    }
}

/// The transports' `Client`s, with one method per operation; and the sans-IO functions.
/// The client type aliases; each operation's module adds its method to both clients.
fn clients() -> TokenStream {
    quote! {
        /// The blocking client (feature `blocking`, on ureq).
        #[cfg(feature = "blocking")]
        pub use runtime::blocking::Client as BlockingClient;

        /// The async client (feature `async`, on reqwest).
        #[cfg(feature = "async")]
        pub use runtime::asynchronous::Client as AsyncClient;
    }
}

/// The crate's documentation: what it is, then a link to each operation's module, listed
/// when its feature compiles the module in, so the docs build without broken links under
/// any set of features and list what the build holds, as `operations()` does.
fn crate_doc(api: &Api, facts: &CrateFacts) -> TokenStream {
    let head = docs::inner_attrs(&format!(
        "Typed, validated clients for cloud networking APIs, generated by netapi-codegen {} from `{}/`.\n\nOperations (those whose cargo feature is on; [`feature_of`] names each one's):\n",
        facts.generator_version, facts.spec_root
    ));
    let lines = api.operations.iter().map(|op| {
        let line = format!(
            " - [`{}::{}`]: {}",
            op.service,
            op.module.as_str(),
            docs::escape(&op.title)
        );
        let feature = &op.feature;
        quote!(#![cfg_attr(feature = #feature, doc = #line)])
    });
    quote! {
        #head
        #![doc = ""]
        #(#lines)*
    }
}

/// The `[features]` lines of the services: one feature each, all on by default, and the
/// finer features within a service, which the service's own feature turns on.
///
/// All on, as most single crates of several APIs do: adding the dependency gives every
/// service, as before the features existed, and code that names a service never fails to
/// compile for a feature nobody knew to turn on. A user who wants less writes
/// `default-features = false, features = ["vpc"]` (or a finer feature such as `vpn-v5`); a
/// library that depends on this crate should, since features unify across a build.
fn service_features(api: &Api) -> String {
    let quoted = |names: &mut dyn Iterator<Item = &str>| {
        names
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let services: Vec<&str> = api.services().into_iter().map(|(s, _)| s).collect();
    let mut text = format!(
        "# Every service and `check` by default; `default-features = false` and a list compile only those.\ndefault = [{}, \"check\"]\n",
        quoted(&mut services.iter().copied())
    );
    for service in services {
        let features = api.features_of(service);
        let title = service_title(service);
        if features.sub_features.is_empty() {
            text.push_str(&format!("# {title} operations.\n{service} = []\n"));
            continue;
        }
        let own = api
            .operations
            .iter()
            .filter(|op| op.service == service && op.feature == service)
            .count();
        let own = match own {
            0 => String::new(),
            n => format!(" those without a finer feature ({n}), and"),
        };
        text.push_str(&format!(
            "# {title} operations:{own} every finer feature of `{service}` below.\n{service} = [{}]\n",
            quoted(&mut features.sub_features.iter().map(String::as_str))
        ));
        for feature in &features.sub_features {
            let count = api
                .operations
                .iter()
                .filter(|op| op.feature == *feature)
                .count();
            text.push_str(&format!(
                "# Part of `{service}`: the operations whose spec says `feature: {feature}` ({count}).\n{feature} = []\n"
            ));
        }
    }
    text
}

fn manifest(api: &Api, facts: &CrateFacts) -> String {
    format!(
        r#"# @generated by netapi-codegen {generator} from {spec}/. Do not edit.
[package]
name = "{name}"
version = "{version}"
edition = "2024"
rust-version = "1.85"
license = "MIT OR Apache-2.0"
description = "Typed, validated clients for Huawei Cloud and Open Telekom Cloud networking APIs."
publish = false

[features]
{services}# `check_request_json` and `check_response_json`, which compile every operation's
# readers into the crate: about half of its debug build (README.md, "Features").
check = []
# A blocking client on ureq (rustls with ring: no system libraries).
blocking = ["dep:ureq"]
# An async client on reqwest (rustls with ring) and tokio.
async = ["dep:reqwest", "dep:tokio", "dep:futures-core"]

[dependencies]
serde = "1"
serde_json = "1"
http = "1"
ureq = {{ version = "3", optional = true, default-features = false, features = ["rustls"] }}
reqwest = {{ version = "0.12", optional = true, default-features = false, features = ["rustls-tls"] }}
tokio = {{ version = "1", optional = true, default-features = false, features = ["time"] }}
futures-core = {{ version = "0.3", optional = true, default-features = false }}
"#,
        generator = facts.generator_version,
        spec = facts.spec_root,
        name = facts.name,
        version = facts.version,
        services = service_features(api),
    )
}

fn readme(api: &Api, facts: &CrateFacts) -> String {
    let mut text = format!(
        "<!-- @generated by netapi-codegen {} from {}/. Do not edit. -->\n# {}\n\n\
         This crate was generated by netapi-codegen {} from the spec folder `{}/` \
         (fingerprint `{}`). Do not edit it by hand: change the YAML and regenerate with\n\n\
         ```sh\ncargo run -p netapi-codegen -- generate {} --out <this folder>\n```\n\n\
         It depends only on serde, serde_json and http, and builds offline.\n\n## Spec files\n\n",
        facts.generator_version,
        facts.spec_root,
        facts.name,
        facts.generator_version,
        facts.spec_root,
        facts.fingerprint,
        facts.spec_root,
    );
    for file in &facts.spec_files {
        text.push_str(&format!("- `{file}`\n"));
    }
    text.push_str(
        "\n## Features\n\nEach service is a cargo feature, and all are on by default. To compile \
         only some services, turn the defaults off and list them:\n\n```toml\n",
    );
    let services: Vec<&str> = api.services().into_iter().map(|(s, _)| s).collect();
    text.push_str(&format!(
        "{} = {{ path = \"...\", default-features = false, features = [\"{}\"] }}\n```\n\n",
        facts.name,
        services.first().copied().unwrap_or("vpc"),
    ));
    // The finer features, each with what it compiles in; the operations table below says
    // which feature each operation needs.
    let split: Vec<ServiceFeatures> = services
        .iter()
        .map(|s| api.features_of(s))
        .filter(|f| !f.sub_features.is_empty())
        .collect();
    if !split.is_empty() {
        text.push_str(
            "Some services are split finer; a service's feature turns on all of its finer \
             ones, and a finer feature compiles in only its own operations and what they use:\n\n",
        );
        for features in &split {
            let finer: Vec<String> = features
                .sub_features
                .iter()
                .map(|f| format!("`{f}`"))
                .collect();
            text.push_str(&format!("- `{}`: {}\n", features.service, finer.join(", ")));
        }
        // A finer feature alone, with a client, as a user who needs one family writes it.
        let example = &split[0].sub_features[0];
        text.push_str(&format!(
            "\n```toml\n{} = {{ path = \"...\", default-features = false, features = [\"blocking\", \"{example}\"] }}\n```\n\n",
            facts.name
        ));
    }
    text.push_str(
        "`operations()` then lists only the operations compiled in, and `check_request_json` \
         answers an id whose feature is off with the feature to turn on. `blocking` and \
         `async` add the clients. `check` (on by default) compiles `check_request_json` and \
         `check_response_json`, and with them every operation's body readers: about half of \
         the crate's debug build. A program that calls typed methods only can leave it out.\n",
    );
    text.push_str(
        "\n## Operations\n\n| id | feature | method | path |\n| --- | --- | --- | --- |\n",
    );
    for op in &api.operations {
        text.push_str(&format!(
            "| `{}` | `{}` | {} | `{}` |\n",
            op.id, op.feature, op.method, op.path.template
        ));
    }
    text
}
