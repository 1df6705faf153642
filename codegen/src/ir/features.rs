//! The cargo features of the generated crate, decided once for every emitter.
//!
//! Each service is a feature named after it. A service may be split finer: an operation's
//! `feature:` names a sub-feature (`vpn-v5`), which the service's own feature turns on. An
//! operation is compiled when its feature is on (its sub-feature, or else its service's);
//! a shared type or a waiter when any operation that reaches it is; a service's module when
//! any of the service's features is. Emitters turn a [`Gate`] into a `#[cfg]` and never work
//! out which operation reaches what, so every item is compiled exactly when something that
//! is compiled uses it, and no feature leaves dead code or an unused import behind.

use std::collections::BTreeSet;

use super::{Api, Owner, TypeId, TypeKind, TypeRef};

/// One service's cargo features: its own, named after it, and the finer ones its
/// operations name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceFeatures {
    /// The service (`vpn`), which is also the name of its own feature.
    pub service: String,
    /// The sub-features its operations name (spec `feature:`), sorted; empty when the
    /// service is one feature. The service's own feature turns every one of them on.
    pub sub_features: Vec<String>,
}

impl ServiceFeatures {
    /// Every feature of the service: its own, then its sub-features. The service's module
    /// is compiled when any of them is on.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.service.as_str()).chain(self.sub_features.iter().map(String::as_str))
    }

    /// The gate of an item that each of the features `on` compiles in (features of this
    /// service), in its simplest form. The service's own feature turns every sub-feature on
    /// (the manifest says so), so with sub-features, the service's feature adds nothing
    /// beside one of them, and all of them together are on exactly when the module is:
    /// [`Gate::Service`], as for all of the service's features or none.
    pub fn gate<'a>(&self, on: impl IntoIterator<Item = &'a str>) -> Gate {
        let mut on: BTreeSet<&str> = on.into_iter().collect();
        let subs = &self.sub_features;
        if on.is_empty() || self.all().all(|f| on.contains(f)) {
            return Gate::Service;
        }
        if !subs.is_empty() && subs.iter().all(|f| on.contains(f.as_str())) {
            return Gate::Service;
        }
        if on.len() > 1 {
            on.remove(self.service.as_str());
        }
        Gate::AnyOf(on.into_iter().map(str::to_owned).collect())
    }

    /// The gate of an item that any of `gates` needs, so it is compiled whenever one of
    /// them is. No gate at all gives [`Gate::Service`]: an item that nothing reaches is
    /// compiled with its module, where, being public, it is no dead code.
    pub fn union<'a>(&self, gates: impl IntoIterator<Item = &'a Gate>) -> Gate {
        let mut on: BTreeSet<&str> = BTreeSet::new();
        for gate in gates {
            match gate {
                Gate::Service => return Gate::Service,
                Gate::AnyOf(features) => on.extend(features.iter().map(String::as_str)),
            }
        }
        self.gate(on)
    }
}

/// When an item of a service's module is compiled, beyond the module's own gate (any of
/// the service's features).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Gate {
    /// Whenever its service's module is compiled.
    Service,
    /// When any of these features of its service is on: sorted, not empty, and never all of
    /// the service's finer features (that is [`Gate::Service`]).
    AnyOf(Vec<String>),
}

/// Fills [`Api::features`] and every gate from the operations' features (set by lowering
/// from the specs): operations, shared types (from the operations that reach them),
/// waiters (from the operation they poll), and the `types` and `waiters` modules.
pub(super) fn derive(api: &mut Api) {
    api.features = service_features(api);
    let gates: Vec<Gate> = api
        .operations
        .iter()
        .map(|op| api.features_of(&op.service).gate([op.feature.as_str()]))
        .collect();
    for (op, gate) in api.operations.iter_mut().zip(gates) {
        op.gate = gate;
    }
    let reach = reach(api);
    // The features of each service with shared types, by `ServiceId`.
    let features: Vec<ServiceFeatures> = api
        .shared
        .iter()
        .map(|s| api.features_of(&s.service))
        .collect();
    let gates: Vec<Option<Gate>> = api
        .types
        .iter()
        .map(|ty| match ty.owner {
            Owner::Shared(service) => {
                Some(features[service.0].gate(reach[ty.id.0].iter().map(String::as_str)))
            }
            Owner::Operation(_) => None,
        })
        .collect();
    for (ty, gate) in api.types.iter_mut().zip(gates) {
        if let Some(gate) = gate {
            ty.gate = gate;
        }
    }
    for (index, features) in features.iter().enumerate() {
        let range = api.shared[index].types;
        let types_gate = features.union(
            api.types[range.start.0..range.end.0]
                .iter()
                .map(|t| &t.gate),
        );
        let mut waiters = std::mem::take(&mut api.shared[index].waiters);
        for waiter in &mut waiters {
            waiter.gate = api.operations[waiter.operation.0].gate.clone();
        }
        let shared = &mut api.shared[index];
        shared.waiters_gate = features.union(waiters.iter().map(|w| &w.gate));
        shared.waiters = waiters;
        shared.types_gate = types_gate;
    }
}

/// Each service of the operations and of the shared types, with the sub-features its
/// operations name.
fn service_features(api: &Api) -> Vec<ServiceFeatures> {
    let mut services: BTreeSet<&str> = api.shared.iter().map(|s| s.service.as_str()).collect();
    services.extend(api.operations.iter().map(|op| op.service.as_str()));
    services
        .into_iter()
        .map(|service| {
            let sub_features: BTreeSet<&str> = api
                .operations
                .iter()
                .filter(|op| op.service == service && op.feature != service)
                .map(|op| op.feature.as_str())
                .collect();
            ServiceFeatures {
                service: service.to_owned(),
                sub_features: sub_features.into_iter().map(str::to_owned).collect(),
            }
        })
        .collect()
}

/// For each shared type, the features of the operations that reach it through their
/// parameters and bodies, field after field. A shared type that no operation reaches counts
/// as reached by all its service's features, and so does everything it reaches, since it
/// is compiled whenever its module is.
fn reach(api: &Api) -> Vec<BTreeSet<String>> {
    let mut reach: Vec<BTreeSet<String>> = vec![BTreeSet::new(); api.types.len()];
    let mut walk = Walk {
        seen: vec![0; api.types.len()],
        walk: 0,
    };
    for op in &api.operations {
        let values = op.parameters.iter().map(|p| &p.field.ty).collect();
        let bodies = op
            .request
            .iter()
            .chain(op.responses.iter().filter_map(|r| r.body.as_ref()));
        // Only shared types have gates of their own: an operation's types are in its module.
        walk.visit(api, values, bodies.copied().collect(), |id| {
            if matches!(api.ty(id).owner, Owner::Shared(_)) {
                reach[id.0].insert(op.feature.clone());
            }
        });
    }
    for shared in &api.shared {
        let all: Vec<String> = api
            .features_of(&shared.service)
            .all()
            .map(str::to_owned)
            .collect();
        let unreached: Vec<TypeId> = (shared.types.start.0..shared.types.end.0)
            .map(TypeId)
            .filter(|id| reach[id.0].is_empty())
            .collect();
        for root in unreached {
            walk.visit(api, Vec::new(), vec![root], |id| {
                reach[id.0].extend(all.iter().cloned());
            });
        }
    }
    reach
}

/// Walks from values to the named types they reach, seeing each type once per walk.
struct Walk {
    /// The walk that last saw each type: no set to clear between walks.
    seen: Vec<usize>,
    /// The current walk's number (from 1).
    walk: usize,
}

impl Walk {
    /// Calls `on` once for every named type that `values` and `named` reach.
    fn visit<'a>(
        &mut self,
        api: &'a Api,
        mut values: Vec<&'a TypeRef>,
        mut named: Vec<TypeId>,
        mut on: impl FnMut(TypeId),
    ) {
        self.walk += 1;
        loop {
            while let Some(ty) = values.pop() {
                match ty {
                    TypeRef::Named(id) => named.push(*id),
                    TypeRef::Array(inner) | TypeRef::Map(inner) => values.push(inner),
                    _ => {}
                }
            }
            let Some(id) = named.pop() else { break };
            if self.seen[id.0] == self.walk {
                continue;
            }
            self.seen[id.0] = self.walk;
            on(id);
            if let TypeKind::Struct(def) = &api.ty(id).kind {
                values.extend(def.fields.iter().map(|f| &f.ty));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(features: &[&str]) -> Gate {
        Gate::AnyOf(features.iter().map(|f| f.to_string()).collect())
    }

    fn vpn() -> ServiceFeatures {
        ServiceFeatures {
            service: "vpn".to_owned(),
            sub_features: vec!["vpn-a".to_owned(), "vpn-b".to_owned()],
        }
    }

    /// A gate is in its simplest form: the service's feature turns every finer one on, so
    /// it adds nothing beside one of them, and all the finer ones are the module's gate.
    #[test]
    fn gates_are_as_simple_as_the_service_feature_allows() {
        let vpn = vpn();
        assert_eq!(vpn.gate(["vpn-a"]), any(&["vpn-a"]));
        assert_eq!(vpn.gate(["vpn-a", "vpn"]), any(&["vpn-a"]));
        assert_eq!(vpn.gate(["vpn"]), any(&["vpn"]));
        assert_eq!(vpn.gate(["vpn-b", "vpn-a"]), Gate::Service);
        assert_eq!(vpn.gate(["vpn", "vpn-a", "vpn-b"]), Gate::Service);
        assert_eq!(vpn.gate([]), Gate::Service);
        // A service that is one feature has one gate: its module's.
        let vpc = ServiceFeatures {
            service: "vpc".to_owned(),
            sub_features: Vec::new(),
        };
        assert_eq!(vpc.gate(["vpc"]), Gate::Service);
    }

    /// An item several others need is compiled when any of them is.
    #[test]
    fn a_union_is_on_when_any_of_its_gates_is() {
        let vpn = vpn();
        assert_eq!(vpn.union([&any(&["vpn-a"])]), any(&["vpn-a"]));
        assert_eq!(
            vpn.union([&any(&["vpn"]), &any(&["vpn-b"])]),
            any(&["vpn-b"])
        );
        assert_eq!(
            vpn.union([&any(&["vpn-a"]), &any(&["vpn-b"])]),
            Gate::Service
        );
        assert_eq!(vpn.union([&any(&["vpn-a"]), &Gate::Service]), Gate::Service);
        assert_eq!(vpn.union([]), Gate::Service);
    }
}
