//! The life cycles of the classic (Neutron-style) VPN's five resources, on both transports,
//! against one loopback server that keeps state and checks every request it receives (method,
//! path, query, body and credentials), and the end-to-end build of a whole VPN: both policies,
//! the service, both endpoint groups and the connection that joins them, each referring to the
//! others by the ids the server returned, listed, updated and torn down in reverse order.
//!
//! Each resource runs every step its pages provide: create, wait until `ACTIVE` (the VPN
//! service and the IPsec site connection have a status; the policies and endpoint groups do
//! not), list across pages (Neutron's `limit`/`marker` with `*_links`), show, update, delete,
//! and wait until gone (or, without a status, a show that answers 404).

#![cfg(all(feature = "blocking", feature = "async"))]

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use netapi::Error;
use netapi::vpn::create_endpoint_group::{
    CreateEndpointGroupParameters, CreateEndpointGroupRequestBody,
};
use netapi::vpn::create_ike_policy::{CreateIkePolicyParameters, CreateIkePolicyRequestBody};
use netapi::vpn::create_ipsec_policy::{CreateIpsecPolicyParameters, CreateIpsecPolicyRequestBody};
use netapi::vpn::create_ipsec_site_connection::{
    CreateIpsecSiteConnectionParameters, CreateIpsecSiteConnectionRequestBody,
};
use netapi::vpn::create_vpn_service::{CreateVpnServiceParameters, CreateVpnServiceRequestBody};
use netapi::vpn::delete_endpoint_group::DeleteEndpointGroupParameters;
use netapi::vpn::delete_ike_policy::DeleteIkePolicyParameters;
use netapi::vpn::delete_ipsec_policy::DeleteIpsecPolicyParameters;
use netapi::vpn::delete_ipsec_site_connection::DeleteIpsecSiteConnectionParameters;
use netapi::vpn::delete_vpn_service::DeleteVpnServiceParameters;
use netapi::vpn::list_endpoint_groups::ListEndpointGroupsParameters;
use netapi::vpn::list_ike_policies::ListIkePoliciesParameters;
use netapi::vpn::list_ipsec_policies::ListIpsecPoliciesParameters;
use netapi::vpn::list_ipsec_site_connections::ListIpsecSiteConnectionsParameters;
use netapi::vpn::list_vpn_services::ListVpnServicesParameters;
use netapi::vpn::show_endpoint_group::ShowEndpointGroupParameters;
use netapi::vpn::show_ike_policy::ShowIkePolicyParameters;
use netapi::vpn::show_ipsec_policy::ShowIpsecPolicyParameters;
use netapi::vpn::show_ipsec_site_connection::ShowIpsecSiteConnectionParameters;
use netapi::vpn::show_vpn_service::ShowVpnServiceParameters;
use netapi::vpn::update_endpoint_group::{
    UpdateEndpointGroupParameters, UpdateEndpointGroupRequestBody,
};
use netapi::vpn::update_ike_policy::{UpdateIkePolicyParameters, UpdateIkePolicyRequestBody};
use netapi::vpn::update_ipsec_policy::{UpdateIpsecPolicyParameters, UpdateIpsecPolicyRequestBody};
use netapi::vpn::update_ipsec_site_connection::{
    UpdateIpsecSiteConnectionParameters, UpdateIpsecSiteConnectionRequestBody,
};
use netapi::vpn::update_vpn_service::{UpdateVpnServiceParameters, UpdateVpnServiceRequestBody};
use serde_json::{Value, json};
use support::{ACCESS_KEY, PROJECT, Received, Reply, SECRET_KEY, Server, TOKEN, fast};

/// How many objects of each kind the tenant already has: with pages of two, a list of them
/// and one more object takes three pages.
const OTHERS: usize = 4;
const PAGE: u32 = 2;

/// The request bodies, as the pages' examples write them (with ids the seeded objects have).
const CREATE_IKE_POLICY: &str = r#"{"ikepolicy": {"phase1_negotiation_mode": "main", "auth_algorithm": "sha1", "encryption_algorithm": "aes-128", "pfs": "group5", "lifetime": {"units": "seconds", "value": 7200}, "ike_version": "v1", "name": "ikepolicy1"}}"#;
const UPDATE_IKE_POLICY: &str = r#"{"ikepolicy": {"encryption_algorithm": "aes-256"}}"#;
const CREATE_IPSEC_POLICY: &str = r#"{"ipsecpolicy": {"name": "ipsecpolicy1", "transform_protocol": "esp", "auth_algorithm": "sha1", "encapsulation_mode": "tunnel", "encryption_algorithm": "aes-128", "pfs": "group5", "lifetime": {"units": "seconds", "value": 7200}}}"#;
const UPDATE_IPSEC_POLICY: &str = r#"{"ipsecpolicy": {"pfs": "group14"}}"#;
const CREATE_VPN_SERVICE: &str = r#"{"vpnservice": {"router_id": "66e3b16c-8ce5-40fb-bb49-ab6d8dc3f2aa", "name": "myservice", "admin_state_up": true}}"#;
const UPDATE_VPN_SERVICE: &str = r#"{"vpnservice": {"description": "Updated description"}}"#;
const CREATE_LOCAL_GROUP: &str = r#"{"endpoint_group": {"endpoints": ["a3a7a8a4-9c0e-4d6f-8e2b-0b9a3c5d7e1f"], "type": "subnet", "name": "locals"}}"#;
const CREATE_PEER_GROUP: &str = r#"{"endpoint_group": {"endpoints": ["10.2.0.0/24", "10.3.0.0/24"], "type": "cidr", "name": "peers"}}"#;
const UPDATE_ENDPOINT_GROUP: &str = r#"{"endpoint_group": {"description": "New description"}}"#;
const UPDATE_CONNECTION: &str = r#"{"ipsec_site_connection": {"name": "renamed", "dpd": {"action": "restart", "interval": 20, "timeout": 80}}}"#;

/// The connection's create body, joining the objects with these ids.
fn create_connection(ike: &str, ipsec: &str, service: &str, local: &str, peer: &str) -> String {
    json!({"ipsec_site_connection": {
        "psk": "Secret-Key-1",
        "initiator": "bi-directional",
        "ikepolicy_id": ike,
        "ipsecpolicy_id": ipsec,
        "vpnservice_id": service,
        "local_ep_group_id": local,
        "peer_ep_group_id": peer,
        "peer_address": "172.24.4.233",
        "peer_id": "172.24.4.233",
        "name": "vpnconnection1"
    }})
    .to_string()
}

/// The seeded objects' ids: the same in every collection, and smaller than any id the server
/// hands out later, so a created object is listed last.
fn seeded(n: usize) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// One collection of the Neutron-style API: its path under `/v2.0/vpn/`, the wrapper key of
/// one object and of a list, and whether its objects have a status.
struct Kind {
    path: &'static str,
    one: &'static str,
    many: &'static str,
    status: bool,
}

static KINDS: [Kind; 5] = [
    Kind {
        path: "ikepolicies",
        one: "ikepolicy",
        many: "ikepolicies",
        status: false,
    },
    Kind {
        path: "ipsecpolicies",
        one: "ipsecpolicy",
        many: "ipsecpolicies",
        status: false,
    },
    Kind {
        path: "vpnservices",
        one: "vpnservice",
        many: "vpnservices",
        status: true,
    },
    Kind {
        path: "endpoint-groups",
        one: "endpoint_group",
        many: "endpoint_groups",
        status: false,
    },
    Kind {
        path: "ipsec-site-connections",
        one: "ipsec_site_connection",
        many: "ipsec_site_connections",
        status: true,
    },
];

/// The fields of a connection that refer to other objects, and the collection of each.
static REFERENCES: [(&str, &str); 5] = [
    ("ikepolicy_id", "ikepolicies"),
    ("ipsecpolicy_id", "ipsecpolicies"),
    ("vpnservice_id", "vpnservices"),
    ("local_ep_group_id", "endpoint-groups"),
    ("peer_ep_group_id", "endpoint-groups"),
];

/// The server's state: every collection's objects by id (ids grow with time, so the map's
/// order is creation order), the statuses `show` still reports for an object before its
/// stored one (or before 404 once it is deleted), and what it saw that it did not expect.
struct Cloud {
    aksk: bool,
    objects: BTreeMap<&'static str, BTreeMap<String, Value>>,
    deleted: BTreeMap<String, Value>,
    script: BTreeMap<String, Vec<&'static str>>,
    created: usize,
    problems: Vec<String>,
}

impl Cloud {
    /// A tenant with `OTHERS` objects of every kind; the endpoint groups alternate between
    /// subnet groups (even) and CIDR groups (odd). `aksk` says which credentials to expect.
    fn new(aksk: bool) -> Cloud {
        let mut objects = BTreeMap::new();
        for kind in &KINDS {
            let mut some = BTreeMap::new();
            for n in 0..OTHERS {
                let mut object =
                    json!({"id": seeded(n), "name": format!("other-{n}"), "tenant_id": PROJECT});
                if kind.status {
                    object["status"] = json!("ACTIVE");
                }
                if kind.path == "endpoint-groups" {
                    object["type"] = json!(if n % 2 == 0 { "subnet" } else { "cidr" });
                }
                some.insert(seeded(n), object);
            }
            objects.insert(kind.path, some);
        }
        Cloud {
            aksk,
            objects,
            deleted: BTreeMap::new(),
            script: BTreeMap::new(),
            created: 0,
            problems: Vec::new(),
        }
    }

    fn problem(&mut self, request: &Received, what: impl std::fmt::Display) {
        self.problems.push(format!(
            "{} {}?{}: {what}",
            request.method, request.path, request.query
        ));
    }

    /// Answers one request, noting anything it did not expect.
    fn answer(&mut self, request: &Received) -> Reply {
        self.check_credentials(request);
        let Some(rest) = request.path.strip_prefix("/v2.0/vpn/") else {
            self.problem(request, "not a classic VPN path");
            return not_found("path");
        };
        let (path, id) = match rest.split_once('/') {
            Some((path, id)) => (path, Some(id.to_owned())),
            None => (rest, None),
        };
        let Some(kind) = KINDS.iter().find(|k| k.path == path) else {
            self.problem(request, "unknown collection");
            return not_found("path");
        };
        let method = request.method.as_str();
        if matches!(method, "GET" | "DELETE") && !request.body.is_empty() {
            self.problem(request, "a body on a bodyless request");
        }
        if matches!(method, "POST" | "PUT")
            && request.header("content-type") != Some("application/json")
        {
            self.problem(request, "a body that is not declared JSON");
        }
        // Only the list operations take query parameters.
        let is_list = method == "GET" && id.is_none();
        if !is_list && !request.query.is_empty() {
            self.problem(request, "a query on an operation without query parameters");
        }
        match (method, id) {
            ("POST", None) => self.create(kind, request),
            ("GET", None) => self.list(kind, request),
            ("GET", Some(id)) => self.show(kind, &id),
            ("PUT", Some(id)) => self.update(kind, &id, request),
            ("DELETE", Some(id)) => self.delete(kind, &id, request),
            _ => {
                self.problem(request, "unexpected method");
                not_found("method")
            }
        }
    }

    /// The run's credentials: an AK/SK signature that verifies, or the token, never both.
    fn check_credentials(&mut self, request: &Received) {
        if self.aksk {
            if let Err(problem) = request.verify_signature(ACCESS_KEY, SECRET_KEY) {
                self.problem(request, problem);
            }
            if request.header("x-auth-token").is_some() {
                self.problem(request, "a token next to the signature");
            }
        } else {
            if request.header("x-auth-token") != Some(TOKEN) {
                self.problem(request, "no token");
            }
            if request.header("authorization").is_some() {
                self.problem(request, "a signature next to the token");
            }
        }
    }

    /// The object inside a request body `{"<one>": {...}}`, the body's only key.
    fn inner(&mut self, kind: &Kind, request: &Received) -> Option<serde_json::Map<String, Value>> {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        match body.as_object() {
            Some(outer) if outer.len() == 1 => match outer.get(kind.one).and_then(Value::as_object)
            {
                Some(inner) => return Some(inner.clone()),
                None => self.problem(request, format!("no `{}` object in {body}", kind.one)),
            },
            _ => self.problem(request, format!("not a wrapped object: {body}")),
        }
        None
    }

    fn create(&mut self, kind: &Kind, request: &Received) -> Reply {
        let Some(inner) = self.inner(kind, request) else {
            return bad_request();
        };
        if kind.path == "ipsec-site-connections" {
            // A connection joins objects that must exist, with a subnet group on the local
            // side and a CIDR group on the peer side.
            for (field, path) in &REFERENCES {
                let target = inner
                    .get(*field)
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let Some(group_type) = self.objects[*path]
                    .get(target)
                    .map(|found| found["type"].clone())
                else {
                    self.problem(request, format!("{field} {target} does not exist"));
                    return not_found(field);
                };
                let wanted = match *field {
                    "local_ep_group_id" => Some("subnet"),
                    "peer_ep_group_id" => Some("cidr"),
                    _ => None,
                };
                if wanted.is_some_and(|t| group_type != t) {
                    self.problem(request, format!("{field} {target} is a {group_type} group"));
                }
            }
        }
        self.created += 1;
        let id = format!("ffffffff-0000-4000-8000-{:012}", self.created);
        let mut object = Value::Object(inner);
        object["id"] = json!(id);
        object["tenant_id"] = json!(PROJECT);
        if kind.status {
            object["status"] = json!("PENDING_CREATE");
            self.script
                .insert(id.clone(), vec!["PENDING_CREATE", "PENDING_CREATE"]);
        }
        self.objects
            .get_mut(kind.path)
            .unwrap()
            .insert(id, object.clone());
        Reply::json(201, &json!({ kind.one: object }).to_string())
    }

    fn show(&mut self, kind: &Kind, id: &str) -> Reply {
        if let Some(status) = self
            .script
            .get_mut(id)
            .filter(|s| !s.is_empty())
            .map(|s| s.remove(0))
        {
            let known = self.objects[kind.path]
                .get(id)
                .or_else(|| self.deleted.get(id));
            let mut shown = known.cloned().unwrap_or_else(|| json!({"id": id}));
            shown["status"] = json!(status);
            return Reply::json(200, &json!({ kind.one: shown }).to_string());
        }
        match self.objects.get_mut(kind.path).unwrap().get_mut(id) {
            Some(found) => {
                if found["status"] == "PENDING_CREATE" {
                    found["status"] = json!("ACTIVE");
                }
                Reply::json(200, &json!({ kind.one: found }).to_string())
            }
            None => not_found(kind.one),
        }
    }

    fn update(&mut self, kind: &Kind, id: &str, request: &Received) -> Reply {
        let Some(inner) = self.inner(kind, request) else {
            return bad_request();
        };
        match self.objects.get_mut(kind.path).unwrap().get_mut(id) {
            Some(found) => {
                for (key, value) in inner {
                    found[key.as_str()] = value;
                }
                Reply::json(200, &json!({ kind.one: found }).to_string())
            }
            None => not_found(kind.one),
        }
    }

    /// Deletes an object that no connection refers to (Neutron answers 409 to the others).
    fn delete(&mut self, kind: &Kind, id: &str, request: &Received) -> Reply {
        let in_use = REFERENCES.iter().any(|(field, path)| {
            *path == kind.path
                && self.objects["ipsec-site-connections"]
                    .values()
                    .any(|c| c[*field] == id)
        });
        if in_use {
            self.problem(request, "deleted while a connection refers to it");
            return Reply::json(409, &neutron_error("InUse", "The object is in use."));
        }
        match self.objects.get_mut(kind.path).unwrap().remove(id) {
            Some(object) => {
                if kind.status {
                    self.script
                        .insert(id.to_owned(), vec!["PENDING_DELETE", "PENDING_DELETE"]);
                }
                self.deleted.insert(id.to_owned(), object);
                Reply::Respond {
                    status: 204,
                    headers: vec![],
                    body: String::new(),
                }
            }
            None => not_found(kind.one),
        }
    }

    /// One page in Neutron's style: the objects after `marker` (by id), `limit` of them, a
    /// `next` link when more remain and a `previous` link after the first page (which the
    /// client must ignore). The links carry the host the client called and the page size.
    fn list(&mut self, kind: &Kind, request: &Received) -> Reply {
        let pairs: Vec<(String, String)> = request
            .query
            .split('&')
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let get = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        if pairs
            .iter()
            .any(|(k, _)| !["limit", "marker"].contains(&k.as_str()))
        {
            self.problem(request, "unexpected query parameter");
        }
        let Some(limit) = get("limit").and_then(|l| l.parse::<usize>().ok()) else {
            self.problem(request, "list without a limit");
            return bad_request();
        };
        let marker = get("marker");
        let after: Vec<&Value> = self.objects[kind.path]
            .iter()
            .filter(|(id, _)| marker.is_none_or(|m| id.as_str() > m))
            .map(|(_, object)| object)
            .collect();
        let page: Vec<&Value> = after.iter().take(limit).copied().collect();
        let host = request.header("host").unwrap_or("127.0.0.1");
        let href = |marker: &Value, reverse: bool| {
            let marker = marker.as_str().unwrap_or_default();
            let reverse = if reverse { "&page_reverse=True" } else { "" };
            format!(
                "http://{host}/v2.0/vpn/{}?limit={limit}&marker={marker}{reverse}",
                kind.path
            )
        };
        let mut links = Vec::new();
        if marker.is_some()
            && let Some(first) = page.first()
        {
            links.push(json!({"rel": "previous", "href": href(&first["id"], true)}));
        }
        if after.len() > limit
            && let Some(last) = page.last()
        {
            links.push(json!({"rel": "next", "href": href(&last["id"], false)}));
        }
        let links_key = format!("{}_links", kind.many);
        Reply::json(
            200,
            &json!({ kind.many: page, links_key: links }).to_string(),
        )
    }
}

fn neutron_error(kind: &str, message: &str) -> String {
    json!({"NeutronError": {"type": kind, "message": message, "detail": ""}}).to_string()
}

fn not_found(what: &str) -> Reply {
    Reply::json(
        404,
        &neutron_error("NotFound", &format!("{what} could not be found.")),
    )
}

fn bad_request() -> Reply {
    Reply::json(400, &neutron_error("BadRequest", "Invalid input."))
}

fn start(aksk: bool) -> (Server, Arc<Mutex<Cloud>>) {
    support::serve_state(Cloud::new(aksk), Cloud::answer)
}

fn blocking_client(server: &Server) -> netapi::BlockingClient {
    netapi::BlockingClient::new(support::config(&server.url(), support::aksk()))
}

fn async_client(server: &Server) -> netapi::AsyncClient {
    netapi::AsyncClient::new(support::config(&server.url(), support::token()))
        .expect("the client builds")
}

fn parse<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap()
}

/// What one resource's life cycle must have sent, in order, whichever transport sent it: the
/// create, the polls of the wait (three: two transitional statuses, then the settled one), the
/// three pages, show, update, delete and the polls until 404 (or one show for a resource
/// without a status).
fn check_life_cycle(
    server: &Server,
    cloud: &Mutex<Cloud>,
    path: &str,
    id: &str,
    create: &str,
    update: &str,
) {
    let problems = &cloud.lock().unwrap().problems;
    assert!(
        problems.is_empty(),
        "the server saw problems: {problems:#?}"
    );
    let status = KINDS.iter().find(|k| k.path == path).unwrap().status;
    let base = format!("/v2.0/vpn/{path}");
    let one = format!("{base}/{id}");
    let polls = if status { 3 } else { 0 };
    let mut expected = vec![("POST".to_owned(), base.clone(), String::new())];
    expected.extend(std::iter::repeat_n(
        ("GET".to_owned(), one.clone(), String::new()),
        polls,
    ));
    expected.push(("GET".to_owned(), base.clone(), format!("limit={PAGE}")));
    expected.push((
        "GET".to_owned(),
        base.clone(),
        format!("limit={PAGE}&marker={}", seeded(1)),
    ));
    expected.push((
        "GET".to_owned(),
        base.clone(),
        format!("limit={PAGE}&marker={}", seeded(3)),
    ));
    expected.push(("GET".to_owned(), one.clone(), String::new()));
    expected.push(("PUT".to_owned(), one.clone(), String::new()));
    expected.push(("DELETE".to_owned(), one.clone(), String::new()));
    expected.extend(std::iter::repeat_n(
        ("GET".to_owned(), one.clone(), String::new()),
        polls.max(1),
    ));
    let requests = server.requests();
    let seen: Vec<(String, String, String)> = requests
        .iter()
        .map(|r| (r.method.clone(), r.path.clone(), r.query.clone()))
        .collect();
    assert_eq!(seen, expected);
    let body = |method: &str| -> Value {
        let request = requests.iter().find(|r| r.method == method).unwrap();
        serde_json::from_slice(&request.body).unwrap()
    };
    assert_eq!(
        body("POST"),
        parse::<Value>(create),
        "the create body arrives as built"
    );
    assert_eq!(
        body("PUT"),
        parse::<Value>(update),
        "the update body arrives as built"
    );
}

/// The life cycle of one resource on `$client`, whose calls `$r` resolves (the
/// `resolve` of `on_both_clients!`, which awaits on the async client);
/// returns the created id. `wait:` names the waiters of a resource with a status.
macro_rules! life_cycle {
    (
        $client:ident, $r:ident, $field:ident,
        create: $create:ident($create_params:expr, $create_body:ty = $create_json:expr),
        show: $show:ident($show_params:ident),
        list: $list_all:ident($list_params:expr),
        update: $update:ident($update_params:ident, $update_body:ty = $update_json:expr),
        delete: $delete:ident($delete_params:ident),
        name: $name:expr,
        $(wait: $active:ident, $deleted:ident,)?
    ) => {{
        let body: $create_body = parse($create_json);
        let created = $r!($client.$create(&$create_params, &body)).unwrap();
        let id = created.$field.unwrap().id.unwrap();
        let show = $show_params::new(id.as_str());
        $(
            let active = $r!($client.$active(&show, fast())).unwrap();
            assert_eq!(active.$field.unwrap().status.unwrap().as_str(), "ACTIVE");
        )?

        let all: Vec<String> = $r!($client
            .$list_all(&$list_params)
            .page_size(PAGE)
            .map(|item| item.unwrap().id.unwrap())
            .collect::<Vec<String>>());
        let mut expected: Vec<String> = (0..OTHERS).map(seeded).collect();
        expected.push(id.clone());
        assert_eq!(all, expected, "every object, across three pages, in the server's order");

        let shown = $r!($client.$show(&show)).unwrap();
        assert_eq!(shown.$field.unwrap().name.as_deref(), Some($name));
        let update: $update_body = parse($update_json);
        let updated = $r!($client.$update(&$update_params::new(id.as_str()), &update)).unwrap();
        assert_eq!(updated.$field.unwrap().id.as_deref(), Some(id.as_str()));
        $r!($client.$delete(&$delete_params::new(id.as_str()))).unwrap();
        $(
            $r!($client.$deleted(&show, fast())).unwrap();
        )?
        id
    }};
}

/// After a delete, a resource without a status is gone at once: show answers 404.
fn assert_not_found<T: std::fmt::Debug>(result: Result<T, Error>) {
    match result {
        Err(error) => assert_eq!(error.status(), Some(404), "{error}"),
        Ok(found) => panic!("still there: {found:?}"),
    }
}

on_both_clients! {
    fn an_ike_policy_lives_and_dies_on_the_blocking_client
        / an_ike_policy_lives_and_dies_on_the_async_client()
    {
        let (server, cloud) = start(blocking_or_async!(true, false));
        let client = blocking_or_async!(blocking_client(&server), async_client(&server));
        let id = life_cycle!(client, resolve, ikepolicy,
            create: create_ike_policy(CreateIkePolicyParameters::new(), CreateIkePolicyRequestBody = CREATE_IKE_POLICY),
            show: show_ike_policy(ShowIkePolicyParameters),
            list: list_ike_policies_all(ListIkePoliciesParameters::new()),
            update: update_ike_policy(UpdateIkePolicyParameters, UpdateIkePolicyRequestBody = UPDATE_IKE_POLICY),
            delete: delete_ike_policy(DeleteIkePolicyParameters),
            name: "ikepolicy1",
        );
        assert_not_found(
            resolve!(client
                .show_ike_policy(&ShowIkePolicyParameters::new(id.as_str()))),
        );
        check_life_cycle(
            &server,
            &cloud,
            "ikepolicies",
            &id,
            CREATE_IKE_POLICY,
            UPDATE_IKE_POLICY,
        );
    }
}

on_both_clients! {
    fn an_ipsec_policy_lives_and_dies_on_the_blocking_client
        / an_ipsec_policy_lives_and_dies_on_the_async_client()
    {
        let (server, cloud) = start(blocking_or_async!(true, false));
        let client = blocking_or_async!(blocking_client(&server), async_client(&server));
        let id = life_cycle!(client, resolve, ipsecpolicy,
            create: create_ipsec_policy(CreateIpsecPolicyParameters::new(), CreateIpsecPolicyRequestBody = CREATE_IPSEC_POLICY),
            show: show_ipsec_policy(ShowIpsecPolicyParameters),
            list: list_ipsec_policies_all(ListIpsecPoliciesParameters::new()),
            update: update_ipsec_policy(UpdateIpsecPolicyParameters, UpdateIpsecPolicyRequestBody = UPDATE_IPSEC_POLICY),
            delete: delete_ipsec_policy(DeleteIpsecPolicyParameters),
            name: "ipsecpolicy1",
        );
        assert_not_found(
            resolve!(client
                .show_ipsec_policy(&ShowIpsecPolicyParameters::new(id.as_str()))),
        );
        check_life_cycle(
            &server,
            &cloud,
            "ipsecpolicies",
            &id,
            CREATE_IPSEC_POLICY,
            UPDATE_IPSEC_POLICY,
        );
    }
}

on_both_clients! {
    fn an_endpoint_group_lives_and_dies_on_the_blocking_client
        / an_endpoint_group_lives_and_dies_on_the_async_client()
    {
        let (server, cloud) = start(blocking_or_async!(true, false));
        let client = blocking_or_async!(blocking_client(&server), async_client(&server));
        let id = life_cycle!(client, resolve, endpoint_group,
            create: create_endpoint_group(CreateEndpointGroupParameters::new(), CreateEndpointGroupRequestBody = CREATE_PEER_GROUP),
            show: show_endpoint_group(ShowEndpointGroupParameters),
            list: list_endpoint_groups_all(ListEndpointGroupsParameters::new()),
            update: update_endpoint_group(UpdateEndpointGroupParameters, UpdateEndpointGroupRequestBody = UPDATE_ENDPOINT_GROUP),
            delete: delete_endpoint_group(DeleteEndpointGroupParameters),
            name: "peers",
        );
        assert_not_found(
            resolve!(client
                .show_endpoint_group(&ShowEndpointGroupParameters::new(id.as_str()))),
        );
        check_life_cycle(
            &server,
            &cloud,
            "endpoint-groups",
            &id,
            CREATE_PEER_GROUP,
            UPDATE_ENDPOINT_GROUP,
        );
    }
}

on_both_clients! {
    fn a_vpn_service_lives_and_dies_on_the_blocking_client
        / a_vpn_service_lives_and_dies_on_the_async_client()
    {
        let (server, cloud) = start(blocking_or_async!(true, false));
        let client = blocking_or_async!(blocking_client(&server), async_client(&server));
        let id = life_cycle!(client, resolve, vpnservice,
            create: create_vpn_service(CreateVpnServiceParameters::new(), CreateVpnServiceRequestBody = CREATE_VPN_SERVICE),
            show: show_vpn_service(ShowVpnServiceParameters),
            list: list_vpn_services_all(ListVpnServicesParameters::new()),
            update: update_vpn_service(UpdateVpnServiceParameters, UpdateVpnServiceRequestBody = UPDATE_VPN_SERVICE),
            delete: delete_vpn_service(DeleteVpnServiceParameters),
            name: "myservice",
            wait: wait_until_vpn_service_active, wait_until_vpn_service_deleted,
        );
        check_life_cycle(
            &server,
            &cloud,
            "vpnservices",
            &id,
            CREATE_VPN_SERVICE,
            UPDATE_VPN_SERVICE,
        );
    }
}

/// The seeded objects a lone connection joins: the first of each kind, the first (subnet)
/// endpoint group as the local side and the second (CIDR) one as the peer side.
fn create_seeded_connection() -> String {
    create_connection(&seeded(0), &seeded(0), &seeded(0), &seeded(0), &seeded(1))
}

on_both_clients! {
    fn an_ipsec_site_connection_lives_and_dies_on_the_blocking_client
        / an_ipsec_site_connection_lives_and_dies_on_the_async_client()
    {
        let (server, cloud) = start(blocking_or_async!(true, false));
        let client = blocking_or_async!(blocking_client(&server), async_client(&server));
        let create = create_seeded_connection();
        let id = life_cycle!(client, resolve, ipsec_site_connection,
            create: create_ipsec_site_connection(CreateIpsecSiteConnectionParameters::new(), CreateIpsecSiteConnectionRequestBody = &create),
            show: show_ipsec_site_connection(ShowIpsecSiteConnectionParameters),
            list: list_ipsec_site_connections_all(ListIpsecSiteConnectionsParameters::new()),
            update: update_ipsec_site_connection(UpdateIpsecSiteConnectionParameters, UpdateIpsecSiteConnectionRequestBody = UPDATE_CONNECTION),
            delete: delete_ipsec_site_connection(DeleteIpsecSiteConnectionParameters),
            name: "vpnconnection1",
            wait: wait_until_ipsec_site_connection_active, wait_until_ipsec_site_connection_deleted,
        );
        check_life_cycle(
            &server,
            &cloud,
            "ipsec-site-connections",
            &id,
            &create,
            UPDATE_CONNECTION,
        );
    }
}

/// The whole VPN on `$client`: both policies, the service, a local (subnet) and a peer (CIDR)
/// endpoint group, and the connection that joins them by the ids the server returned; then
/// every collection listed across pages, the connection and the service updated, and
/// everything deleted in reverse order (the server refuses to delete an object a connection
/// still refers to, as Neutron does). Returns the ids in creation order.
macro_rules! whole_vpn {
    ($client:ident, $r:ident) => {{
        let ike =
            $r!($client
                .create_ike_policy(&CreateIkePolicyParameters::new(), &parse(CREATE_IKE_POLICY)))
            .unwrap()
            .ikepolicy
            .unwrap()
            .id
            .unwrap();
        let ipsec = $r!($client.create_ipsec_policy(
            &CreateIpsecPolicyParameters::new(),
            &parse(CREATE_IPSEC_POLICY)
        ))
        .unwrap()
        .ipsecpolicy
        .unwrap()
        .id
        .unwrap();
        let service = $r!($client.create_vpn_service(
            &CreateVpnServiceParameters::new(),
            &parse(CREATE_VPN_SERVICE)
        ))
        .unwrap()
        .vpnservice
        .unwrap()
        .id
        .unwrap();
        let local = $r!($client.create_endpoint_group(
            &CreateEndpointGroupParameters::new(),
            &parse(CREATE_LOCAL_GROUP)
        ))
        .unwrap()
        .endpoint_group
        .unwrap()
        .id
        .unwrap();
        let peer = $r!($client.create_endpoint_group(
            &CreateEndpointGroupParameters::new(),
            &parse(CREATE_PEER_GROUP)
        ))
        .unwrap()
        .endpoint_group
        .unwrap()
        .id
        .unwrap();
        let body: CreateIpsecSiteConnectionRequestBody =
            parse(&create_connection(&ike, &ipsec, &service, &local, &peer));
        let connection = $r!($client
            .create_ipsec_site_connection(&CreateIpsecSiteConnectionParameters::new(), &body))
        .unwrap()
        .ipsec_site_connection
        .unwrap()
        .id
        .unwrap();

        // Neutron brings a VPN service up once a connection uses it, so the service is waited
        // for after the connection is created.
        let show_connection = ShowIpsecSiteConnectionParameters::new(connection.as_str());
        let show_service = ShowVpnServiceParameters::new(service.as_str());
        let up =
            $r!($client.wait_until_ipsec_site_connection_active(&show_connection, fast())).unwrap();
        assert_eq!(
            up.ipsec_site_connection.unwrap().status.unwrap().as_str(),
            "ACTIVE"
        );
        let up = $r!($client.wait_until_vpn_service_active(&show_service, fast())).unwrap();
        assert_eq!(up.vpnservice.unwrap().status.unwrap().as_str(), "ACTIVE");

        // Each list walks its pages and ends with what this run created.
        let ids = |items: Vec<Option<String>>| {
            items
                .into_iter()
                .map(Option::unwrap)
                .collect::<Vec<String>>()
        };
        let ike_ids = ids($r!($client
            .list_ike_policies_all(&ListIkePoliciesParameters::new())
            .page_size(PAGE)
            .map(|i| i.unwrap().id)
            .collect::<Vec<_>>()));
        assert_eq!(ike_ids.last(), Some(&ike));
        let ipsec_ids = ids($r!($client
            .list_ipsec_policies_all(&ListIpsecPoliciesParameters::new())
            .page_size(PAGE)
            .map(|i| i.unwrap().id)
            .collect::<Vec<_>>()));
        assert_eq!(ipsec_ids.last(), Some(&ipsec));
        let service_ids = ids($r!($client
            .list_vpn_services_all(&ListVpnServicesParameters::new())
            .page_size(PAGE)
            .map(|i| i.unwrap().id)
            .collect::<Vec<_>>()));
        assert_eq!(service_ids.last(), Some(&service));
        let group_ids = ids($r!($client
            .list_endpoint_groups_all(&ListEndpointGroupsParameters::new())
            .page_size(PAGE)
            .map(|i| i.unwrap().id)
            .collect::<Vec<_>>()));
        assert_eq!(
            group_ids[group_ids.len() - 2..],
            [local.clone(), peer.clone()]
        );
        let connections = $r!($client
            .list_ipsec_site_connections_all(&ListIpsecSiteConnectionsParameters::new())
            .page_size(PAGE)
            .map(Result::unwrap)
            .collect::<Vec<_>>());
        assert_eq!(connections.len(), OTHERS + 1);
        let listed = connections.last().unwrap();
        assert_eq!(listed.id.as_deref(), Some(connection.as_str()));
        assert_eq!(listed.ikepolicy_id.as_deref(), Some(ike.as_str()));
        assert_eq!(listed.ipsecpolicy_id.as_deref(), Some(ipsec.as_str()));
        assert_eq!(listed.vpnservice_id.as_deref(), Some(service.as_str()));
        assert_eq!(listed.local_ep_group_id.as_deref(), Some(local.as_str()));
        assert_eq!(listed.peer_ep_group_id.as_deref(), Some(peer.as_str()));

        let renamed = $r!($client.update_ipsec_site_connection(
            &UpdateIpsecSiteConnectionParameters::new(connection.as_str()),
            &parse(UPDATE_CONNECTION)
        ))
        .unwrap()
        .ipsec_site_connection
        .unwrap();
        assert_eq!(renamed.name.as_deref(), Some("renamed"));
        assert_eq!(renamed.dpd.unwrap().interval, Some(20));
        let described = $r!($client.update_vpn_service(
            &UpdateVpnServiceParameters::new(service.as_str()),
            &parse(UPDATE_VPN_SERVICE)
        ))
        .unwrap()
        .vpnservice
        .unwrap();
        assert_eq!(
            described.description.as_deref(),
            Some("Updated description")
        );

        $r!(
            $client.delete_ipsec_site_connection(&DeleteIpsecSiteConnectionParameters::new(
                connection.as_str()
            ))
        )
        .unwrap();
        $r!($client.wait_until_ipsec_site_connection_deleted(&show_connection, fast())).unwrap();
        $r!($client.delete_endpoint_group(&DeleteEndpointGroupParameters::new(peer.as_str())))
            .unwrap();
        $r!($client.delete_endpoint_group(&DeleteEndpointGroupParameters::new(local.as_str())))
            .unwrap();
        $r!($client.delete_vpn_service(&DeleteVpnServiceParameters::new(service.as_str())))
            .unwrap();
        $r!($client.wait_until_vpn_service_deleted(&show_service, fast())).unwrap();
        $r!($client.delete_ipsec_policy(&DeleteIpsecPolicyParameters::new(ipsec.as_str())))
            .unwrap();
        $r!($client.delete_ike_policy(&DeleteIkePolicyParameters::new(ike.as_str()))).unwrap();
        [ike, ipsec, service, local, peer, connection]
    }};
}

/// What the whole VPN's run must leave: no problem seen, the deletes in reverse order of the
/// creates, every create after the objects it refers to, and only the seeded objects left.
fn check_whole_vpn(server: &Server, cloud: &Mutex<Cloud>, ids: &[String; 6]) {
    let cloud = cloud.lock().unwrap();
    assert!(
        cloud.problems.is_empty(),
        "the server saw problems: {:#?}",
        cloud.problems
    );
    let [ike, ipsec, service, local, peer, connection] = ids;
    let requests = server.requests();
    let paths = |method: &str| -> Vec<String> {
        requests
            .iter()
            .filter(|r| r.method == method)
            .map(|r| r.path.clone())
            .collect()
    };
    let created: Vec<String> = [
        "ikepolicies",
        "ipsecpolicies",
        "vpnservices",
        "endpoint-groups",
        "endpoint-groups",
        "ipsec-site-connections",
    ]
    .iter()
    .map(|path| format!("/v2.0/vpn/{path}"))
    .collect();
    assert_eq!(paths("POST"), created);
    let deleted: Vec<String> = [
        ("ipsec-site-connections", connection),
        ("endpoint-groups", peer),
        ("endpoint-groups", local),
        ("vpnservices", service),
        ("ipsecpolicies", ipsec),
        ("ikepolicies", ike),
    ]
    .iter()
    .map(|(path, id)| format!("/v2.0/vpn/{path}/{id}"))
    .collect();
    assert_eq!(paths("DELETE"), deleted);
    let posted: Vec<Value> = requests
        .iter()
        .filter(|r| r.method == "POST")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    let joined = &posted[5]["ipsec_site_connection"];
    let referred: Vec<&Value> = REFERENCES
        .iter()
        .map(|(field, _)| &joined[*field])
        .collect();
    let returned: Vec<Value> = [ike, ipsec, service, local, peer]
        .iter()
        .map(|id| json!(id))
        .collect();
    assert_eq!(
        referred,
        returned.iter().collect::<Vec<_>>(),
        "the connection refers to the others by the ids the server returned"
    );
    for kind in &KINDS {
        let left: Vec<&String> = cloud.objects[kind.path].keys().collect();
        let seeded: Vec<String> = (0..OTHERS).map(seeded).collect();
        assert_eq!(
            left,
            seeded.iter().collect::<Vec<_>>(),
            "{} after the teardown",
            kind.path
        );
    }
}

on_both_clients! {
    fn a_whole_vpn_is_built_listed_updated_and_torn_down_on_the_blocking_client
        / a_whole_vpn_is_built_listed_updated_and_torn_down_on_the_async_client()
    {
        let (server, cloud) = start(blocking_or_async!(true, false));
        let client = blocking_or_async!(blocking_client(&server), async_client(&server));
        let ids = whole_vpn!(client, resolve);
        check_whole_vpn(&server, &cloud, &ids);
    }
}

/// The waiter states of the classic resources: a service that ends in `ERROR` fails the wait
/// with a typed error naming the status, and a connection that stays `DOWN` (its peer never
/// answers) is waited through until the deadline, whose error names `DOWN`.
#[test]
fn classic_waits_fail_on_error_and_wait_through_down() {
    let (server, cloud) = start(true);
    let client = blocking_client(&server);
    let id = seeded(0);
    cloud
        .lock()
        .unwrap()
        .script
        .insert(id.clone(), vec!["PENDING_CREATE", "BUILD", "ERROR"]);
    match client.wait_until_vpn_service_active(&ShowVpnServiceParameters::new(id.as_str()), fast())
    {
        Err(Error::WaitFailed { operation, status }) => {
            assert_eq!((operation, status.as_str()), ("show_vpn_service", "ERROR"));
        }
        other => panic!("{other:?}"),
    }
    cloud
        .lock()
        .unwrap()
        .script
        .insert(id.clone(), vec!["DOWN"; 1000]);
    let short = fast().with_timeout(Duration::from_millis(50));
    match client.wait_until_ipsec_site_connection_active(
        &ShowIpsecSiteConnectionParameters::new(id.as_str()),
        short,
    ) {
        Err(Error::WaitTimeout { last_status, .. }) => {
            assert_eq!(last_status.as_deref(), Some("DOWN"))
        }
        other => panic!("{other:?}"),
    }
    let problems = &cloud.lock().unwrap().problems;
    assert!(
        problems.is_empty(),
        "the server saw problems: {problems:#?}"
    );
}
