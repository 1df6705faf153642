//! IR → Rust tokens. Each output kind has its own emitter; all of them read only the IR.
//!
//! Each emitter makes its part of a type (the definition and methods in `models`, the
//! serde impl in `serde_impls`, the validator in `validators`) and this module puts the
//! parts together, as typify's `OutputSpace` does: emitters never call each other, and
//! what several of them need (a field's Rust type, whether it is stored in an `Option`)
//! is in the leaf `shape`, which imports no emitter. `codegen/tests/tidy.rs` holds the
//! module graph free of cycles.
//!
//! `emit` decides which files exist and what each holds; formatting, headers and writing
//! are `write`'s job.

mod docs;
mod glue;
mod models;
mod operation;
mod pagination;
mod serde_impls;
mod shape;
mod validators;
mod waiters;

use proc_macro2::TokenStream;
use quote::quote;

use crate::fingerprint::Fingerprint;
use crate::ir::{
    Api, Gate, Operation, ParamSource, ServiceFeatures, ServiceId, TypeDef, TypeKind, TypeRef,
};
pub(crate) use crate::write::Emitted;

/// How the generated files are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Layout {
    /// For a crate whose hand-written `lib.rs` does `include!(concat!(env!("OUT_DIR"),
    /// "/netapi/netapi.rs"))`: the module tree pulls every file in with `include!`. The files go
    /// into the folder [`crate::OUT_DIR_FOLDER`] of `OUT_DIR`, swapped in atomically.
    #[default]
    OutDir,
    /// A complete standalone crate: `Cargo.toml`, `README.md` and `src/` with file modules.
    Crate,
}

/// One independent unit of emitting: an operation's module, or the crate around them.
/// Parts share nothing but the IR, so they can be emitted and formatted on any thread.
#[derive(Clone, Copy, Debug)]
pub enum Part {
    /// The module of `api.operations[index]`.
    Operation(usize),
    /// The module `<service>::types` of `api.shared[index]`.
    Shared(usize),
    /// The module tree, runtime, registry and, for the standalone layout, the manifest.
    Glue,
}

/// Every part of the generated crate. The glue comes first: its registry grows with the
/// number of operations, and a large part started last would leave the other threads
/// idle at the end.
pub fn parts(api: &Api) -> Vec<Part> {
    std::iter::once(Part::Glue)
        .chain((0..api.shared.len()).map(Part::Shared))
        .chain((0..api.operations.len()).map(Part::Operation))
        .collect()
}

/// The modules `<service>::types` (one Rust type per shared type) and, when it has
/// waiters, `<service>::waiters` of `api.shared[index]`.
pub fn shared(api: &Api, index: usize, layout: Layout) -> Vec<Emitted> {
    let shared = &api.shared[index];
    let src = match layout {
        Layout::OutDir => "",
        Layout::Crate => "src/",
    };
    let types: Vec<&TypeDef> = api.shared_types(ServiceId(index)).collect();
    // Each type, and each import and list entry it needs, is compiled when an operation
    // that reaches the type is (its gate), so no feature leaves dead code behind.
    let features = api.features_of(&shared.service);
    let imports = shared_imports(api, &features, &types);
    let items = types.iter().map(|ty| gated(type_items(api, ty), &ty.gate));
    let lists = gated_lists(&types);
    let mut files = Vec::new();
    // A resource file may hold waiters only: no types, no `types` module.
    if !types.is_empty() {
        files.push(Emitted::Rust {
            path: format!("{src}{}/types.rs", shared.service),
            tokens: quote! {
                #imports
                #(#items)*
                #lists
            },
            source: shared.spec_files.join(", "),
            input: None,
        });
    }
    if !shared.waiters.is_empty() {
        files.push(Emitted::Rust {
            path: format!("{src}{}/waiters.rs", shared.service),
            tokens: waiters::items(api, shared),
            source: shared.spec_files.join(", "),
            input: None,
        });
    }
    files
}

/// The module of operation `index`, at `path` and made from `input` (both as
/// [`operation_input`] gives them; the caller has them already, to look for a module it
/// can reuse).
pub fn operation(api: &Api, index: usize, path: String, input: Fingerprint) -> Emitted {
    let op = &api.operations[index];
    Emitted::Rust {
        path,
        tokens: operation_file(api, op),
        source: op.provenance.spec_file.clone(),
        input: Some(input),
    }
}

/// The files of the crate around the operations (see [`Part::Glue`]).
pub fn glue(api: &Api, layout: Layout, facts: &glue::CrateFacts) -> Vec<Emitted> {
    glue::files(api, layout, facts)
}

/// The path of operation `index`'s module and a fingerprint of everything the module is
/// made from: the generator (its source and its formatter, see
/// [`crate::fingerprint::generator`]) and the operation's IR with its types. A module
/// depends on nothing else (it names only its own types and the runtime, and is the same
/// in both layouts), so an equal fingerprint means an equal file.
pub fn operation_input(
    api: &Api,
    layout: Layout,
    index: usize,
    shared: &SharedInputs,
) -> (String, Fingerprint) {
    use std::fmt::Write;
    let op = &api.operations[index];
    let src = match layout {
        Layout::OutDir => "",
        Layout::Crate => "src/",
    };
    let path = format!("{src}{}/{}.rs", op.service, op.module.as_str());
    let mut input = crate::fingerprint::Fnv::default();
    input.bytes(&crate::fingerprint::generator().to_le_bytes());
    // Writing into the hasher cannot fail.
    let _ = write!(input, "{op:?}");
    for ty in api.types_of(op.index) {
        let _ = write!(input, "\n{ty:?}");
    }
    // The module names its service's shared types by path, and their names, kinds and
    // (for validation) fields decide its code: it is made from them too.
    input.bytes(&shared.of_service(&op.service).to_le_bytes());
    (path, Fingerprint(input.finish()))
}

/// A fingerprint of each service's shared types, which every operation module of the
/// service is made from (see [`operation_input`]). Computed once per generation: hashing
/// them again for each module made generation quadratic in the size of a service (at 536
/// operations, three tenths of the generator's time went to it).
pub struct SharedInputs(std::collections::BTreeMap<String, u64>);

impl SharedInputs {
    /// The fingerprints of `api`'s services.
    pub fn of(api: &Api) -> Self {
        use std::fmt::Write;
        let mut map = std::collections::BTreeMap::new();
        for (service, _) in api.services() {
            let mut input = crate::fingerprint::Fnv::default();
            for shared in api.shared.iter().filter(|s| s.service == service) {
                for ty in api.shared_types(shared.index) {
                    // Writing into the hasher cannot fail.
                    let _ = write!(input, "\n{ty:?}");
                }
            }
            map.insert(service.to_owned(), input.finish());
        }
        SharedInputs(map)
    }

    /// The fingerprint of `service`'s shared types (that of none for a service without).
    fn of_service(&self, service: &str) -> u64 {
        self.0
            .get(service)
            .copied()
            .unwrap_or_else(|| crate::fingerprint::Fnv::default().finish())
    }
}

pub use glue::CrateFacts;

/// One operation's module: imports, types, parameters and the marker.
fn operation_file(api: &Api, op: &Operation) -> TokenStream {
    let imports = imports(&Uses::of(api, op));
    let types = api.types_of(op.index).map(|ty| type_items(api, ty));
    let operation = operation::items(api, op);
    let client_methods = operation::client_methods(api, op);
    let pagination = pagination::items(api, op);
    let serde_impls = serde_lists(api, op);
    quote! {
        #imports
        #(#types)*
        #operation
        #client_methods
        #pagination
        #serde_impls
    }
}

/// Every item of one type, each from the emitter that owns it, in the order the module
/// shows them: a struct, how it is read and written, how it is checked (requests only),
/// then its methods; or an enum.
fn type_items(api: &Api, ty: &TypeDef) -> TokenStream {
    match &ty.kind {
        TypeKind::Struct(def) => {
            let definition = models::structure(api, ty, def);
            let serde_impl = serde_impls::object(api, ty, def);
            let validator =
                shape::is_request(ty.direction).then(|| validators::struct_def(api, ty, def));
            let methods = models::struct_methods(api, ty, def);
            quote! {
                #definition
                #serde_impl
                #validator
                #methods
            }
        }
        TypeKind::Enum(def) => models::enumeration(ty, def),
    }
}

/// `items` each under the `#[cfg]` of `gate`, placed after its doc comment. Each item gets
/// the attribute, since one type makes several items (its definition, impls, a validator).
/// Tokens that do not parse as items are an emitter's bug: they are returned as they are,
/// for `write` to report as it reports any such bug.
fn gated(items: TokenStream, gate: &Gate) -> TokenStream {
    use syn::parse::Parser;
    let cfg = shape::gate_cfg(gate);
    if cfg.is_empty() {
        return items;
    }
    let Ok(file) = syn::parse2::<syn::File>(items.clone()) else {
        return items;
    };
    let mut out = TokenStream::new();
    for mut item in file.items {
        let attrs = match &mut item {
            syn::Item::Const(item) => Some(&mut item.attrs),
            syn::Item::Enum(item) => Some(&mut item.attrs),
            syn::Item::ExternCrate(item) => Some(&mut item.attrs),
            syn::Item::Fn(item) => Some(&mut item.attrs),
            syn::Item::ForeignMod(item) => Some(&mut item.attrs),
            syn::Item::Impl(item) => Some(&mut item.attrs),
            syn::Item::Macro(item) => Some(&mut item.attrs),
            syn::Item::Mod(item) => Some(&mut item.attrs),
            syn::Item::Static(item) => Some(&mut item.attrs),
            syn::Item::Struct(item) => Some(&mut item.attrs),
            syn::Item::Trait(item) => Some(&mut item.attrs),
            syn::Item::TraitAlias(item) => Some(&mut item.attrs),
            syn::Item::Type(item) => Some(&mut item.attrs),
            syn::Item::Union(item) => Some(&mut item.attrs),
            syn::Item::Use(item) => Some(&mut item.attrs),
            _ => None,
        };
        // One attribute per item, parsed anew (syn's attributes are not `Clone` with the
        // features the generator builds it with).
        match (attrs, syn::Attribute::parse_outer.parse2(cfg.clone())) {
            (Some(attrs), Ok(cfg)) => {
                // After the doc comment (`#[doc = "..."]`), before every other attribute.
                let docs = attrs
                    .iter()
                    .take_while(
                        |a| matches!(&a.meta, syn::Meta::NameValue(m) if m.path.is_ident("doc")),
                    )
                    .count();
                attrs.splice(docs..docs, cfg);
                out.extend(quote!(#item));
            }
            // An item syn keeps as tokens: the attribute goes first, which is as valid.
            _ => out.extend(quote!(#cfg #item)),
        }
    }
    out
}

/// The `codec::objects!` and `wire::enums!` lists of a `types` module: one pair per gate,
/// in the order the gates first appear, each under its gate's `#[cfg]`.
fn gated_lists(types: &[&TypeDef]) -> TokenStream {
    let mut groups: Vec<(&Gate, Vec<&TypeDef>)> = Vec::new();
    for &ty in types {
        match groups.iter_mut().find(|(gate, _)| **gate == ty.gate) {
            Some((_, group)) => group.push(ty),
            None => groups.push((&ty.gate, vec![ty])),
        }
    }
    let lists = groups
        .into_iter()
        .map(|(gate, group)| gated(serde_list_of(&group), gate));
    quote!(#(#lists)*)
}

/// The module's `codec::objects!` and `wire::enums!` lists, which give every struct and enum
/// its `Serialize` and `Deserialize` (and enums their `Display`) through the runtime.
fn serde_lists(api: &Api, op: &Operation) -> TokenStream {
    let types: Vec<&TypeDef> = api.types_of(op.index).collect();
    serde_list_of(&types)
}

/// The `codec::objects!` and `wire::enums!` lists of these types.
fn serde_list_of(types: &[&TypeDef]) -> TokenStream {
    let mut objects = Vec::new();
    let mut enums = Vec::new();
    for ty in types {
        match &ty.kind {
            TypeKind::Struct(_) => objects.push(ty.name.ident()),
            TypeKind::Enum(_) => enums.push(ty.name.ident()),
        }
    }
    let objects = (!objects.is_empty()).then(|| quote!(codec::objects!(#(#objects),*);));
    let enums = (!enums.is_empty()).then(|| quote!(wire::enums!(#(#enums),*);));
    quote! {
        #objects
        #enums
    }
}

/// What an operation's module refers to, decided from the IR: each `use` item is emitted
/// only when the module holds the items that name it, so a module of any shape (a bodyless
/// DELETE has no types at all) builds without unused imports under `-D warnings`.
#[derive(Debug, Default, PartialEq, Eq)]
struct Uses {
    /// A map field (a response struct's extra keys are `codec::Extra`, which needs no import).
    map: bool,
    /// A secret field or parameter.
    secret: bool,
    /// An enum type (`wire::enums!`, `WireEnum`).
    enums: bool,
    /// A struct type (its `codec::Object` impl and the `codec::objects!` list).
    structs: bool,
}

impl Uses {
    fn of(api: &Api, op: &Operation) -> Self {
        // Only the caller's parameters become fields; the project id and token do not.
        let value_refs: Vec<&TypeRef> = op
            .parameters
            .iter()
            .filter(|p| p.source == ParamSource::User)
            .map(|p| &p.field.ty)
            .collect();
        let types: Vec<&TypeDef> = api.types_of(op.index).collect();
        Uses::of_types(api, &types, value_refs)
    }

    /// What a module holding `types` refers to, besides the values `value_refs`.
    fn of_types<'a>(_api: &Api, types: &[&'a TypeDef], mut value_refs: Vec<&'a TypeRef>) -> Self {
        let mut uses = Uses::default();
        for ty in types.iter().copied() {
            match &ty.kind {
                TypeKind::Enum(_) => uses.enums = true,
                TypeKind::Struct(def) => {
                    uses.structs = true;
                    value_refs.extend(def.fields.iter().map(|f| &f.ty));
                }
            }
        }
        while let Some(ty) = value_refs.pop() {
            match ty {
                TypeRef::Secret => uses.secret = true,
                TypeRef::Map(inner) => {
                    uses.map = true;
                    value_refs.push(inner);
                }
                TypeRef::Array(inner) => value_refs.push(inner),
                _ => {}
            }
        }
        uses
    }
}

/// Exactly the `use` items the module needs (see [`Uses`]). Every module has a parameters
/// struct with a validator (`validate`), a marker whose `visit_response` names each
/// status's body type (`ResponseVisitor`; a spec documents at least one status) and a
/// `request_parts` (`operation`).
///
/// Every type or trait name imported here is listed in [`crate::naming::IMPORTED_TYPES`], so
/// that no spec type takes the same name (the test below holds the two together).
fn imports(uses: &Uses) -> TokenStream {
    let TypeImports {
        map,
        secret,
        wire,
        codec,
    } = type_imports(uses);
    quote! {
        #map
        #codec
        use crate::runtime::validate;
        use crate::runtime::operation::{Context, Descriptor, Operation, PartsError, RequestParts, ResponseVisitor};
        #secret
        #wire
    }
}

/// The `use` items the types of a module need, each only when some type needs it; the
/// operation modules ([`imports`]) and the `types` modules ([`shared_imports`]) place them
/// among their own.
struct TypeImports {
    map: Option<TokenStream>,
    secret: Option<TokenStream>,
    wire: Option<TokenStream>,
    codec: Option<TokenStream>,
}

fn type_imports(uses: &Uses) -> TypeImports {
    TypeImports {
        map: uses.map.then(|| {
            quote!(
                use std::collections::BTreeMap;
            )
        }),
        secret: uses.secret.then(|| {
            quote!(
                use crate::runtime::secret::Secret;
            )
        }),
        wire: uses.enums.then(|| {
            quote!(
                use crate::runtime::wire::{self, WireEnum};
            )
        }),
        codec: uses.structs.then(|| {
            quote!(
                use crate::runtime::codec;
            )
        }),
    }
}

/// The `use` items of a `<service>::types` module: those of [`imports`] that types need,
/// `validate` only when a request type brings a validator. Each is compiled when a type
/// that needs it is: the union of those types' gates (`features` are the service's).
fn shared_imports(api: &Api, features: &ServiceFeatures, types: &[&TypeDef]) -> TokenStream {
    let validates =
        |t: &TypeDef| shape::is_request(t.direction) && matches!(t.kind, TypeKind::Struct(_));
    let needs: Vec<(Uses, bool, &Gate)> = types
        .iter()
        .map(|&t| (Uses::of_types(api, &[t], Vec::new()), validates(t), &t.gate))
        .collect();
    // The `#[cfg]` of an import that the types for which `needed` holds use.
    let cfg = |needed: &dyn Fn(&Uses, bool) -> bool| {
        let gates = needs.iter().filter(|(u, v, _)| needed(u, *v)).map(|n| n.2);
        shape::gate_cfg(&features.union(gates))
    };
    let TypeImports {
        map,
        secret,
        wire,
        codec,
    } = type_imports(&Uses::of_types(api, types, Vec::new()));
    let map = map.map(|map| {
        let cfg = cfg(&|u, _| u.map);
        quote!(#cfg #map)
    });
    let codec = codec.map(|codec| {
        let cfg = cfg(&|u, _| u.structs);
        quote!(#cfg #codec)
    });
    let validate = needs.iter().any(|n| n.1).then(|| {
        let cfg = cfg(&|_, v| v);
        quote!(
            #cfg
            use crate::runtime::validate;
        )
    });
    let secret = secret.map(|secret| {
        let cfg = cfg(&|u, _| u.secret);
        quote!(#cfg #secret)
    });
    let wire = wire.map(|wire| {
        let cfg = cfg(&|u, _| u.enums);
        quote!(#cfg #wire)
    });
    quote! {
        #map
        #codec
        #validate
        #secret
        #wire
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each item a type makes gets its gate's `#[cfg]`, after its doc comment and before its
    /// other attributes (so `#[doc(hidden)]` stays right above the impl); a type compiled
    /// with its module is left as it is.
    #[test]
    fn gated_items_each_get_the_cfg_after_their_doc_comment() {
        let items = quote! {
            /// A gizmo.
            #[derive(Debug)]
            pub struct Gizmo;
            #[doc(hidden)]
            impl codec::Object for Gizmo {}
            codec::objects!(Gizmo);
        };
        let gate = Gate::AnyOf(vec!["vpn-a".to_owned()]);
        let file: syn::File = syn::parse2(gated(items.clone(), &gate)).expect("items");
        let printed: Vec<String> = file
            .items
            .iter()
            .map(|item| quote!(#item).to_string())
            .collect();
        assert_eq!(
            printed,
            [
                quote! {
                    #[doc = r" A gizmo."]
                    #[cfg(feature = "vpn-a")]
                    #[derive(Debug)]
                    pub struct Gizmo;
                },
                quote! {
                    #[cfg(feature = "vpn-a")]
                    #[doc(hidden)]
                    impl codec::Object for Gizmo {}
                },
                quote! {
                    #[cfg(feature = "vpn-a")]
                    codec::objects!(Gizmo);
                },
            ]
            .map(|t| t.to_string())
        );
        assert_eq!(
            gated(items.clone(), &Gate::Service).to_string(),
            items.to_string()
        );
    }

    /// The last segment of every path a `use` tree brings into scope (`self` stands for
    /// the module it follows).
    fn leaves(tree: &syn::UseTree, parent: Option<&syn::Ident>, out: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(path) => leaves(&path.tree, Some(&path.ident), out),
            syn::UseTree::Name(name) if name.ident == "self" => {
                out.extend(parent.map(ToString::to_string));
            }
            syn::UseTree::Name(name) => out.push(name.ident.to_string()),
            syn::UseTree::Rename(rename) => out.push(rename.rename.to_string()),
            syn::UseTree::Group(group) => {
                for item in &group.items {
                    leaves(item, parent, out);
                }
            }
            syn::UseTree::Glob(_) => panic!("a glob import could shadow any spec type"),
        }
    }

    /// The imports with every optional `use` on name exactly the types `naming` reserves
    /// for them; the other imported names are modules, which are lower case and so never
    /// a spec type's name (types are UpperCamelCase).
    #[test]
    fn imports_match_the_reserved_names() {
        let all = Uses {
            map: true,
            secret: true,
            enums: true,
            structs: true,
        };
        let file: syn::File = syn::parse2(imports(&all)).expect("the imports parse");
        let mut names = Vec::new();
        for item in &file.items {
            match item {
                syn::Item::Use(item) => leaves(&item.tree, None, &mut names),
                other => panic!("not a use item: {}", quote!(#other)),
            }
        }
        let (mut types, modules): (Vec<_>, Vec<_>) = names
            .into_iter()
            .partition(|name| name.starts_with(|c: char| c.is_ascii_uppercase()));
        types.sort();
        let mut reserved: Vec<_> = crate::naming::IMPORTED_TYPES
            .iter()
            .map(ToString::to_string)
            .collect();
        reserved.sort();
        assert_eq!(types, reserved);
        assert!(
            modules
                .iter()
                .all(|m| m.starts_with(|c: char| c.is_ascii_lowercase())),
            "{modules:?}"
        );
        for name in crate::naming::IMPORTED_TYPES {
            assert_ne!(crate::naming::type_name(name).as_str(), *name);
        }
    }
}
