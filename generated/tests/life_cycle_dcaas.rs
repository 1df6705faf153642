//! The life cycles of Direct Connect (v3) on both transports, against one loopback server
//! that keeps the state of a small cloud (gateways, interfaces with their peers, and the
//! operator's connections) and checks every request it receives: method, path, query, body
//! and the AK/SK signature.
//!
//! - a virtual gateway: create, wait until `ACTIVE`, list across pages, show, update,
//!   delete, wait until gone;
//! - a virtual interface: the same steps;
//! - a virtual interface peer: create, wait (by polling its interface: the peer has no show
//!   page), read it through its interface, update, delete, wait until its interface no
//!   longer lists it;
//! - a connection, read-only: list across pages, show, wait until `ACTIVE`;
//! - end to end (issue 18): a gateway, an interface on it, a second (IPv6) peer on the
//!   interface, updates of all three, and the teardown in reverse order.
//!
//! The waiters, `<list>_all` methods and shared types come from the resource files in
//! `spec/dcaas/resources/`.

#![cfg(all(feature = "blocking", feature = "async"))]

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use netapi::Error;
use netapi::dcaas::create_vif_peer::{CreateVifPeerParameters, CreateVifPeerRequestBody};
use netapi::dcaas::create_virtual_gateway::{
    CreateVirtualGatewayParameters, CreateVirtualGatewayRequestBody,
};
use netapi::dcaas::create_virtual_interface::{
    CreateVirtualInterfaceParameters, CreateVirtualInterfaceRequestBody,
};
use netapi::dcaas::delete_vif_peer::DeleteVifPeerParameters;
use netapi::dcaas::delete_virtual_gateway::DeleteVirtualGatewayParameters;
use netapi::dcaas::delete_virtual_interface::DeleteVirtualInterfaceParameters;
use netapi::dcaas::list_direct_connects::ListDirectConnectsParameters;
use netapi::dcaas::list_virtual_gateways::ListVirtualGatewaysParameters;
use netapi::dcaas::list_virtual_interfaces::ListVirtualInterfacesParameters;
use netapi::dcaas::show_direct_connect::ShowDirectConnectParameters;
use netapi::dcaas::show_virtual_gateway::ShowVirtualGatewayParameters;
use netapi::dcaas::show_virtual_interface::ShowVirtualInterfaceParameters;
use netapi::dcaas::update_vif_peer::{UpdateVifPeerParameters, UpdateVifPeerRequestBody};
use netapi::dcaas::update_virtual_gateway::{
    UpdateVirtualGatewayParameters, UpdateVirtualGatewayRequestBody,
};
use netapi::dcaas::update_virtual_interface::{
    UpdateVirtualInterfaceParameters, UpdateVirtualInterfaceRequestBody,
};
use serde_json::{Value, json};
use support::{ACCESS_KEY, PROJECT, Received, Reply, SECRET_KEY, Server, expect, fast, traffic};

const VPC: &str = "3a4bcc54-0d05-4a0a-8c7c-2a8e1b54d2b1";
/// The operator's line the interfaces use; its id sorts after the tenant's other connections.
const CONNECTION: &str = "00000000-0000-4000-8000-00000000ffff";

const CREATE_GATEWAY: &str = r#"{"virtual_gateway": {"vpc_id": "3a4bcc54-0d05-4a0a-8c7c-2a8e1b54d2b1", "name": "vgw-new", "local_ep_group": ["192.168.0.0/24"]}}"#;
const UPDATE_GATEWAY: &str = r#"{"virtual_gateway": {"name": "vgw-renamed", "local_ep_group": ["192.168.0.0/24", "192.168.1.0/24"]}}"#;
const UPDATE_INTERFACE: &str = r#"{"virtual_interface": {"name": "vif-renamed", "bandwidth": 10}}"#;
const UPDATE_PEER: &str = r#"{"vif_peer": {"name": "peer-v6-renamed", "remote_ep_group": ["fd00:1::/64", "fd00:2::/64"]}}"#;

/// The interface's create body, on the gateway `vgw_id`: an IPv4 private interface, whose
/// IPv4 peer the server creates with it.
fn create_interface(vgw_id: &str) -> String {
    json!({"virtual_interface": {
        "name": "vif-new",
        "direct_connect_id": CONNECTION,
        "type": "private",
        "vlan": 355,
        "bandwidth": 5,
        "address_family": "ipv4",
        "local_gateway_v4_ip": "180.1.1.1/24",
        "remote_gateway_v4_ip": "180.1.1.2/24",
        "vgw_id": vgw_id,
        "route_mode": "static",
        "remote_ep_group": ["10.2.0.0/16"]
    }})
    .to_string()
}

/// The second peer's create body: IPv6, on the interface `vif_id`.
fn create_peer(vif_id: &str) -> String {
    json!({"vif_peer": {
        "name": "peer-v6",
        "address_family": "ipv6",
        "local_gateway_ip": "fd00::1/64",
        "remote_gateway_ip": "fd00::2/64",
        "route_mode": "static",
        "remote_ep_group": ["fd00:1::/64"],
        "vif_id": vif_id
    }})
    .to_string()
}

/// How many resources of each listable kind the tenant already has: with pages of two,
/// listing them and the created one takes three pages.
const OTHERS: usize = 4;
const PAGE: u32 = 2;

/// One stored resource, and the statuses `show` still reports before the stored one (or
/// before answering 404, once it is being deleted).
struct Entry {
    value: Value,
    script: Vec<&'static str>,
    deleting: bool,
}

impl Entry {
    fn settled(value: Value) -> Entry {
        Entry {
            value,
            script: vec![],
            deleting: false,
        }
    }

    /// What a read sees now, advancing the script by one step; `None` once it is gone.
    fn read(&mut self) -> Option<Value> {
        if !self.script.is_empty() {
            let mut shown = self.value.clone();
            shown["status"] = json!(self.script.remove(0));
            return Some(shown);
        }
        (!self.deleting).then(|| self.value.clone())
    }
}

/// The server's state: one map per kind, ids in creation order (created ids sort last).
#[derive(Default)]
struct Cloud {
    gateways: BTreeMap<String, Entry>,
    interfaces: BTreeMap<String, Entry>,
    peers: BTreeMap<String, Entry>,
    connections: BTreeMap<String, Entry>,
    created: usize,
    problems: Vec<String>,
}

fn other_id(kind: u8, n: usize) -> String {
    format!("00000000-0000-4000-8000-0000000{kind:02x}{n:03x}")
}

impl Cloud {
    fn new() -> Cloud {
        let mut cloud = Cloud::default();
        for n in 0..OTHERS {
            let (g, i, c) = (other_id(1, n), other_id(2, n), other_id(3, n));
            cloud.gateways.insert(
                g.clone(),
                Entry::settled(gateway(&g, &format!("vgw-{n}"), "ACTIVE")),
            );
            cloud.interfaces.insert(
                i.clone(),
                Entry::settled(interface(&i, &format!("vif-{n}"), &g, "ACTIVE")),
            );
            cloud
                .connections
                .insert(c.clone(), Entry::settled(connection(&c, "ACTIVE")));
        }
        // The operator's line the interfaces use: ordered, surveyed and paid for before it
        // is ACTIVE; it sorts last among the connections.
        let mut line = Entry::settled(connection(CONNECTION, "ACTIVE"));
        line.script = vec!["APPLY", "PENDING_SURVEY", "PENDING_PAY"];
        cloud.connections.insert(CONNECTION.to_owned(), line);
        cloud
    }

    fn new_id(&mut self) -> String {
        self.created += 1;
        format!("ffffffff-0000-4000-8000-{:012x}", self.created)
    }

    /// Answers one request, noting anything it did not expect.
    fn answer(&mut self, request: &Received) -> Reply {
        if let Err(problem) = request.verify_signature(ACCESS_KEY, SECRET_KEY) {
            self.problems
                .push(format!("{} {}: {problem}", request.method, request.path));
        }
        if matches!(request.method.as_str(), "GET" | "DELETE") && !request.body.is_empty() {
            self.problems.push(format!(
                "{} {} carried a body",
                request.method, request.path
            ));
        }
        let base = format!("/v3/{PROJECT}/dcaas/");
        let Some(rest) = request.path.strip_prefix(&base) else {
            self.problems
                .push(format!("unexpected path {}", request.path));
            return not_found();
        };
        let (collection, id) = match rest.split_once('/') {
            Some((c, id)) => (c, Some(id.to_owned())),
            None => (rest, None),
        };
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        match (request.method.as_str(), collection, id) {
            ("POST", "virtual-gateways", None) => {
                let sent = &body["virtual_gateway"];
                if sent["vpc_id"] != VPC {
                    self.problems.push(format!("gateway create body {body}"));
                }
                let id = self.new_id();
                let created = gateway(&id, sent["name"].as_str().unwrap_or(""), "ACTIVE");
                let mut entry = Entry::settled(created.clone());
                entry.script = vec!["PENDING_CREATE", "PENDING_CREATE"];
                self.gateways.insert(id, entry);
                created_reply("virtual_gateway", created)
            }
            ("POST", "virtual-interfaces", None) => {
                let sent = &body["virtual_interface"];
                let vgw = sent["vgw_id"].as_str().unwrap_or("").to_owned();
                if !self.gateways.contains_key(&vgw)
                    || sent["direct_connect_id"] != CONNECTION
                    || sent["vlan"] != 355
                {
                    self.problems.push(format!("interface create body {body}"));
                }
                let id = self.new_id();
                let created = interface(&id, sent["name"].as_str().unwrap_or(""), &vgw, "ACTIVE");
                // The IPv4 peer the page says is created with the interface.
                let peer_id = self.new_id();
                self.peers.insert(
                    peer_id.clone(),
                    Entry::settled(peer(&peer_id, &id, "ipv4", "peer-v4", "ACTIVE")),
                );
                let mut entry = Entry::settled(created.clone());
                entry.script = vec!["PENDING_CREATE", "BUILD"];
                self.interfaces.insert(id, entry);
                let mut shown = created;
                shown["status"] = json!("PENDING_CREATE");
                created_reply("virtual_interface", shown)
            }
            ("POST", "vif-peers", None) => {
                let sent = &body["vif_peer"];
                let vif = sent["vif_id"].as_str().unwrap_or("").to_owned();
                if !self.interfaces.contains_key(&vif) || sent["address_family"] != "ipv6" {
                    self.problems.push(format!("peer create body {body}"));
                }
                let id = self.new_id();
                let mut created = peer(
                    &id,
                    &vif,
                    "ipv6",
                    sent["name"].as_str().unwrap_or(""),
                    "ACTIVE",
                );
                created["remote_ep_group"] = sent["remote_ep_group"].clone();
                let mut entry = Entry::settled(created.clone());
                entry.script = vec!["PENDING_CREATE", "PENDING_CREATE"];
                self.peers.insert(id, entry);
                let mut shown = created;
                shown["status"] = json!("PENDING_CREATE");
                created_reply("vif_peer", shown)
            }
            ("GET", "virtual-gateways", None) => list(
                &mut self.gateways,
                &request.query,
                "virtual_gateways",
                &mut self.problems,
            ),
            ("GET", "virtual-interfaces", None) => {
                let mut reply = list(
                    &mut self.interfaces,
                    &request.query,
                    "virtual_interfaces",
                    &mut self.problems,
                );
                if let Reply::Respond { body, .. } = &mut reply {
                    let mut page: Value = serde_json::from_str(body).unwrap();
                    for item in page["virtual_interfaces"]
                        .as_array_mut()
                        .into_iter()
                        .flatten()
                    {
                        item["vif_peers"] = self.peers_of(item["id"].as_str().unwrap_or(""));
                    }
                    *body = page.to_string();
                }
                reply
            }
            ("GET", "direct-connects", None) => list(
                &mut self.connections,
                &request.query,
                "direct_connects",
                &mut self.problems,
            ),
            ("GET", "virtual-gateways", Some(id)) => {
                show(&mut self.gateways, &id, "virtual_gateway")
            }
            ("GET", "direct-connects", Some(id)) => {
                show(&mut self.connections, &id, "direct_connect")
            }
            ("GET", "virtual-interfaces", Some(id)) => {
                let peers = self.peers_of(&id);
                match self.interfaces.get_mut(&id).and_then(Entry::read) {
                    Some(mut shown) => {
                        shown["vif_peers"] = peers;
                        Reply::json(
                            200,
                            &json!({"virtual_interface": shown, "request_id": "r"}).to_string(),
                        )
                    }
                    None => {
                        self.interfaces.remove(&id);
                        not_found()
                    }
                }
            }
            ("PUT", kind, Some(id)) => {
                let (map, key) = match kind {
                    "virtual-gateways" => (&mut self.gateways, "virtual_gateway"),
                    "virtual-interfaces" => (&mut self.interfaces, "virtual_interface"),
                    "vif-peers" => (&mut self.peers, "vif_peer"),
                    _ => return not_found(),
                };
                match map.get_mut(&id) {
                    Some(found) => {
                        for (field, value) in body[key].as_object().into_iter().flatten() {
                            found.value[field] = value.clone();
                        }
                        Reply::json(
                            200,
                            &json!({key: found.value, "request_id": "r"}).to_string(),
                        )
                    }
                    None => not_found(),
                }
            }
            ("DELETE", kind, Some(id)) => {
                let map = match kind {
                    "virtual-gateways" => &mut self.gateways,
                    "virtual-interfaces" => &mut self.interfaces,
                    "vif-peers" => &mut self.peers,
                    _ => return not_found(),
                };
                match map.get_mut(&id) {
                    Some(found) if !found.deleting => {
                        found.deleting = true;
                        found.script = vec!["PENDING_DELETE", "PENDING_DELETE"];
                        Reply::Respond {
                            status: 204,
                            headers: vec![],
                            body: String::new(),
                        }
                    }
                    _ => not_found(),
                }
            }
            (method, _, _) => {
                self.problems
                    .push(format!("unexpected {method} {}", request.path));
                not_found()
            }
        }
    }

    /// The peers of interface `vif_id` as its `vif_peers`, each read once (so a peer's
    /// script advances with every read of its interface, and a deleted one drops out).
    fn peers_of(&mut self, vif_id: &str) -> Value {
        let mut shown = vec![];
        let mut gone = vec![];
        for (id, entry) in self
            .peers
            .iter_mut()
            .filter(|(_, e)| e.value["vif_id"] == vif_id)
        {
            match entry.read() {
                Some(peer) => shown.push(peer),
                None => gone.push(id.clone()),
            }
        }
        for id in gone {
            self.peers.remove(&id);
        }
        json!(shown)
    }
}

fn created_reply(key: &str, value: Value) -> Reply {
    Reply::json(201, &json!({key: value, "request_id": "r"}).to_string())
}

fn show(map: &mut BTreeMap<String, Entry>, id: &str, key: &str) -> Reply {
    match map.get_mut(id).and_then(Entry::read) {
        Some(shown) => Reply::json(200, &json!({key: shown, "request_id": "r"}).to_string()),
        None => {
            map.remove(id);
            not_found()
        }
    }
}

/// One page: the resources after `marker` (by id), `limit` of them, and the next marker
/// when more remain, as `page_info.next_marker`. Listing does not advance any script.
fn list(
    map: &mut BTreeMap<String, Entry>,
    query: &str,
    key: &str,
    problems: &mut Vec<String>,
) -> Reply {
    let pairs: Vec<(&str, &str)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.split_once('='))
        .collect();
    let get = |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
    let Some(limit) = get("limit").and_then(|l| l.parse::<usize>().ok()) else {
        problems.push(format!("{key} listed without a limit: `{query}`"));
        return not_found();
    };
    if pairs.iter().any(|(k, _)| !["limit", "marker"].contains(k)) {
        problems.push(format!("unexpected query `{query}`"));
    }
    let after: Vec<&Value> = map
        .iter()
        .filter(|(id, e)| !e.deleting && get("marker").is_none_or(|m| id.as_str() > m))
        .map(|(_, e)| &e.value)
        .collect();
    let page: Vec<&Value> = after.iter().take(limit).copied().collect();
    let mut info = json!({"current_count": page.len()});
    if after.len() > limit {
        info["next_marker"] = page.last().map(|v| v["id"].clone()).unwrap_or_default();
    }
    Reply::json(
        200,
        &json!({key: page, "page_info": info, "request_id": "r"}).to_string(),
    )
}

fn gateway(id: &str, name: &str, status: &str) -> Value {
    json!({
        "id": id,
        "vpc_id": VPC,
        "tenant_id": PROJECT,
        "name": name,
        "type": "default",
        "local_ep_group": ["192.168.0.0/24"],
        "status": status,
        "enterprise_project_id": "0"
    })
}

fn interface(id: &str, name: &str, vgw_id: &str, status: &str) -> Value {
    json!({
        "id": id,
        "name": name,
        "direct_connect_id": CONNECTION,
        "vgw_id": vgw_id,
        "type": "private",
        "service_type": "VGW",
        "vlan": 355,
        "bandwidth": 5,
        "route_mode": "static",
        "status": status,
        "create_time": "2025-06-26T13:41:34.000Z",
        "vif_peers": []
    })
}

fn peer(id: &str, vif_id: &str, family: &str, name: &str, status: &str) -> Value {
    let (local, remote) = if family == "ipv4" {
        ("180.1.1.1/24", "180.1.1.2/24")
    } else {
        ("fd00::1/64", "fd00::2/64")
    };
    json!({
        "id": id,
        "vif_id": vif_id,
        "name": name,
        "address_family": family,
        "local_gateway_ip": local,
        "remote_gateway_ip": remote,
        "route_mode": "static",
        "status": status,
        "receive_route_num": -1
    })
}

fn connection(id: &str, status: &str) -> Value {
    json!({"id": id, "name": "line", "port_type": "10G", "bandwidth": 1000, "type": "standard", "status": status})
}

fn not_found() -> Reply {
    Reply::json(
        404,
        r#"{"error_code": "DCAAS.0404", "error_msg": "not found", "request_id": "r"}"#,
    )
}

fn start() -> (Server, Arc<Mutex<Cloud>>) {
    support::serve_state(Cloud::new(), Cloud::answer)
}

fn no_problems(cloud: &Mutex<Cloud>) {
    support::no_problems(&cloud.lock().unwrap().problems);
}

/// The JSON body of the `n`th request with `method`.
fn sent(server: &Server, method: &str, n: usize) -> Value {
    let request = server
        .requests()
        .into_iter()
        .filter(|r| r.method == method)
        .nth(n)
        .unwrap();
    serde_json::from_slice(&request.body).unwrap()
}

fn parse(json: &str) -> Value {
    serde_json::from_str(json).unwrap()
}

fn dc(path: &str) -> String {
    format!("/v3/{PROJECT}/dcaas/{path}")
}

/// The three list requests of a walk over OTHERS + 1 resources in pages of two.
fn three_pages(collection: &str, kind: u8) -> [(String, String); 3] {
    let base = dc(collection);
    [
        (base.clone(), "limit=2".to_owned()),
        (
            base.clone(),
            format!("limit=2&marker={}", other_id(kind, 1)),
        ),
        (base, format!("limit=2&marker={}", other_id(kind, 3))),
    ]
}

// ---------------------------------------------------------------------------------------
// The steps, written once for both transports: each runs inside `on_both_clients!`, whose
// `resolve!` awaits a call on the async client only.

macro_rules! gateway_life_cycle {
    ($client:expr) => {{
        let client = $client;
        let body: CreateVirtualGatewayRequestBody = serde_json::from_str(CREATE_GATEWAY).unwrap();
        let created =
            resolve!(client.create_virtual_gateway(&CreateVirtualGatewayParameters::new(), &body))
                .unwrap();
        let id = created.virtual_gateway.unwrap().id.unwrap();

        let show = ShowVirtualGatewayParameters::new(id.as_str());
        let active = resolve!(client.wait_until_virtual_gateway_active(&show, fast())).unwrap();
        assert_eq!(
            active.virtual_gateway.unwrap().status.unwrap().as_str(),
            "ACTIVE"
        );

        let all: Vec<String> = resolve!(
            client
                .list_virtual_gateways_all(&ListVirtualGatewaysParameters::new())
                .page_size(PAGE)
                .map(|item| item.unwrap().id.unwrap())
                .collect::<Vec<_>>()
        );
        assert_eq!(all.len(), OTHERS + 1);
        assert_eq!(all.last(), Some(&id));

        let shown = resolve!(client.show_virtual_gateway(&show)).unwrap();
        assert_eq!(
            shown.virtual_gateway.unwrap().name.as_deref(),
            Some("vgw-new")
        );
        let update: UpdateVirtualGatewayRequestBody = serde_json::from_str(UPDATE_GATEWAY).unwrap();
        let updated = resolve!(
            client
                .update_virtual_gateway(&UpdateVirtualGatewayParameters::new(id.as_str()), &update)
        )
        .unwrap();
        let updated = updated.virtual_gateway.unwrap();
        assert_eq!(updated.name.as_deref(), Some("vgw-renamed"));
        assert_eq!(updated.local_ep_group.map(|g| g.len()), Some(2));
        resolve!(client.delete_virtual_gateway(&DeleteVirtualGatewayParameters::new(id.as_str())))
            .unwrap();
        resolve!(client.wait_until_virtual_gateway_deleted(&show, fast())).unwrap();
        id
    }};
}

macro_rules! interface_life_cycle {
    ($client:expr, $vgw:expr) => {{
        let client = $client;
        let body: CreateVirtualInterfaceRequestBody =
            serde_json::from_str(&create_interface($vgw)).unwrap();
        let created = resolve!(
            client.create_virtual_interface(&CreateVirtualInterfaceParameters::new(), &body)
        )
        .unwrap();
        let created = created.virtual_interface.unwrap();
        assert_eq!(created.status.unwrap().as_str(), "PENDING_CREATE");
        let id = created.id.unwrap();

        let show = ShowVirtualInterfaceParameters::new(id.as_str());
        let active = resolve!(client.wait_until_virtual_interface_active(&show, fast())).unwrap();
        assert_eq!(
            active.virtual_interface.unwrap().status.unwrap().as_str(),
            "ACTIVE"
        );

        let all: Vec<String> = resolve!(
            client
                .list_virtual_interfaces_all(&ListVirtualInterfacesParameters::new())
                .page_size(PAGE)
                .map(|item| item.unwrap().id.unwrap())
                .collect::<Vec<_>>()
        );
        assert_eq!(all.len(), OTHERS + 1);
        assert_eq!(all.last(), Some(&id));

        let shown = resolve!(client.show_virtual_interface(&show))
            .unwrap()
            .virtual_interface
            .unwrap();
        assert_eq!(shown.name.as_deref(), Some("vif-new"));
        let peers = shown.vif_peers.unwrap();
        assert_eq!(
            peers.len(),
            1,
            "the IPv4 peer is created with the interface"
        );
        assert_eq!(peers[0].address_family.as_ref().unwrap().as_str(), "ipv4");
        let update: UpdateVirtualInterfaceRequestBody =
            serde_json::from_str(UPDATE_INTERFACE).unwrap();
        let updated = resolve!(client.update_virtual_interface(
            &UpdateVirtualInterfaceParameters::new(id.as_str()),
            &update
        ))
        .unwrap();
        let updated = updated.virtual_interface.unwrap();
        assert_eq!(
            (updated.name.as_deref(), updated.bandwidth),
            (Some("vif-renamed"), Some(10))
        );
        resolve!(
            client.delete_virtual_interface(&DeleteVirtualInterfaceParameters::new(id.as_str()))
        )
        .unwrap();
        resolve!(client.wait_until_virtual_interface_deleted(&show, fast())).unwrap();
        id
    }};
}

/// A millisecond between two polls: a thread sleep on the blocking client, a timer on the
/// async one (a thread sleep there would stall the runtime).
macro_rules! pause {
    () => {
        blocking_or_async!(
            std::thread::sleep(Duration::from_millis(1)),
            tokio::time::sleep(Duration::from_millis(1)).await
        )
    };
}

/// Polls the interface until its peer `peer_id` has `status` (or, with `None`, until the
/// interface no longer lists it), at most 50 times: the peer has no show page and no
/// waiter (spec/dcaas/resources/vif_peer.yaml, erratum no-peer-waiter).
macro_rules! poll_peer {
    ($client:expr, $show:expr, $peer_id:expr, $status:expr) => {{
        let status: Option<&str> = $status;
        let mut polls = 0;
        loop {
            polls += 1;
            assert!(polls <= 50, "the peer did not reach {status:?}");
            let shown = resolve!($client.show_virtual_interface($show))
                .unwrap()
                .virtual_interface
                .unwrap();
            let peer = shown
                .vif_peers
                .unwrap_or_default()
                .into_iter()
                .find(|p| p.id.as_deref() == Some($peer_id));
            let reached = match (&peer, status) {
                (None, None) => true,
                (Some(p), Some(wanted)) => p.status.as_deref() == Some(wanted),
                _ => false,
            };
            if reached {
                break peer;
            }
            pause!();
        }
    }};
}

macro_rules! peer_life_cycle {
    ($client:expr, $vif:expr) => {{
        let client = $client;
        let vif: &str = $vif;
        let body: CreateVifPeerRequestBody = serde_json::from_str(&create_peer(vif)).unwrap();
        let created =
            resolve!(client.create_vif_peer(&CreateVifPeerParameters::new(), &body)).unwrap();
        let created = created.vif_peer.unwrap();
        assert_eq!(created.status.as_deref(), Some("PENDING_CREATE"));
        let id = created.id.unwrap();

        // Wait, list and show: through the interface that embeds the peers.
        let show = ShowVirtualInterfaceParameters::new(vif);
        let active = poll_peer!(client, &show, id.as_str(), Some("ACTIVE")).unwrap();
        assert_eq!(active.address_family.unwrap().as_str(), "ipv6");
        assert_eq!(active.local_gateway_ip.as_deref(), Some("fd00::1/64"));

        let update: UpdateVifPeerRequestBody = serde_json::from_str(UPDATE_PEER).unwrap();
        let updated =
            resolve!(client.update_vif_peer(&UpdateVifPeerParameters::new(id.as_str()), &update))
                .unwrap();
        let updated = updated.vif_peer.unwrap();
        assert_eq!(updated.name.as_deref(), Some("peer-v6-renamed"));
        assert_eq!(updated.remote_ep_group.map(|g| g.len()), Some(2));

        resolve!(client.delete_vif_peer(&DeleteVifPeerParameters::new(id.as_str()))).unwrap();
        assert!(poll_peer!(client, &show, id.as_str(), None).is_none());
        id
    }};
}

macro_rules! connection_reads {
    ($client:expr) => {{
        let client = $client;
        let all: Vec<String> = resolve!(
            client
                .list_direct_connects_all(&ListDirectConnectsParameters::new())
                .page_size(PAGE)
                .map(|item| item.unwrap().id.unwrap())
                .collect::<Vec<_>>()
        );
        assert_eq!(all.len(), OTHERS + 1);
        assert_eq!(all.last().map(String::as_str), Some(CONNECTION));
        let show = ShowDirectConnectParameters::new(CONNECTION);
        let shown = resolve!(client.show_direct_connect(&show))
            .unwrap()
            .direct_connect
            .unwrap();
        assert_eq!(shown.status.unwrap().as_str(), "APPLY");
        let active = resolve!(client.wait_until_direct_connect_active(&show, fast())).unwrap();
        assert_eq!(
            active.direct_connect.unwrap().status.unwrap().as_str(),
            "ACTIVE"
        );
    }};
}

fn check_gateway_traffic(server: &Server, cloud: &Mutex<Cloud>, id: &str) {
    no_problems(cloud);
    let one = dc(&format!("virtual-gateways/{id}"));
    let [p1, p2, p3] = three_pages("virtual-gateways", 1);
    let base = dc("virtual-gateways");
    assert_eq!(
        traffic(server),
        expect(&[
            ("POST", base.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", p1.0.as_str(), p1.1.as_str()),
            ("GET", p2.0.as_str(), p2.1.as_str()),
            ("GET", p3.0.as_str(), p3.1.as_str()),
            ("GET", one.as_str(), ""),
            ("PUT", one.as_str(), ""),
            ("DELETE", one.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", one.as_str(), ""),
        ])
    );
    assert_eq!(sent(server, "POST", 0), parse(CREATE_GATEWAY));
    assert_eq!(sent(server, "PUT", 0), parse(UPDATE_GATEWAY));
}

fn check_interface_traffic(server: &Server, cloud: &Mutex<Cloud>, vgw: &str, id: &str) {
    no_problems(cloud);
    let one = dc(&format!("virtual-interfaces/{id}"));
    let [p1, p2, p3] = three_pages("virtual-interfaces", 2);
    let base = dc("virtual-interfaces");
    assert_eq!(
        traffic(server),
        expect(&[
            ("POST", base.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", p1.0.as_str(), p1.1.as_str()),
            ("GET", p2.0.as_str(), p2.1.as_str()),
            ("GET", p3.0.as_str(), p3.1.as_str()),
            ("GET", one.as_str(), ""),
            ("PUT", one.as_str(), ""),
            ("DELETE", one.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", one.as_str(), ""),
        ])
    );
    assert_eq!(sent(server, "POST", 0), parse(&create_interface(vgw)));
    assert_eq!(sent(server, "PUT", 0), parse(UPDATE_INTERFACE));
}

fn check_peer_traffic(server: &Server, cloud: &Mutex<Cloud>, vif: &str, id: &str) {
    no_problems(cloud);
    let interface = dc(&format!("virtual-interfaces/{vif}"));
    let one = dc(&format!("vif-peers/{id}"));
    let base = dc("vif-peers");
    assert_eq!(
        traffic(server),
        expect(&[
            ("POST", base.as_str(), ""),
            ("GET", interface.as_str(), ""),
            ("GET", interface.as_str(), ""),
            ("GET", interface.as_str(), ""),
            ("PUT", one.as_str(), ""),
            ("DELETE", one.as_str(), ""),
            ("GET", interface.as_str(), ""),
            ("GET", interface.as_str(), ""),
            ("GET", interface.as_str(), ""),
        ])
    );
    assert_eq!(sent(server, "POST", 0), parse(&create_peer(vif)));
    assert_eq!(sent(server, "PUT", 0), parse(UPDATE_PEER));
}

fn check_connection_traffic(server: &Server, cloud: &Mutex<Cloud>) {
    no_problems(cloud);
    let one = dc(&format!("direct-connects/{CONNECTION}"));
    let [p1, p2, p3] = three_pages("direct-connects", 3);
    assert_eq!(
        traffic(server),
        expect(&[
            ("GET", p1.0.as_str(), p1.1.as_str()),
            ("GET", p2.0.as_str(), p2.1.as_str()),
            ("GET", p3.0.as_str(), p3.1.as_str()),
            ("GET", one.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", one.as_str(), ""),
        ])
    );
}

/// The configuration of every client here: the loopback server, signed with AK/SK.
fn aksk_config(server: &Server) -> netapi::Config {
    support::config(&server.url(), support::aksk())
}

fn blocking(server: &Server) -> netapi::BlockingClient {
    netapi::BlockingClient::new(aksk_config(server))
}

/// An interface needs a gateway: one of the tenant's existing ones.
fn existing_gateway() -> String {
    other_id(1, 0)
}

/// A peer needs an interface: one of the tenant's existing ones.
fn existing_interface() -> String {
    other_id(2, 0)
}

on_both_clients! {
    fn a_virtual_gateway_lives_and_dies_on_the_blocking_client
        / a_virtual_gateway_lives_and_dies_on_the_async_client()
    {
        let (server, cloud) = start();
        let id = gateway_life_cycle!(client!(aksk_config(&server)));
        check_gateway_traffic(&server, &cloud, &id);
    }
}

on_both_clients! {
    fn a_virtual_interface_lives_and_dies_on_the_blocking_client
        / a_virtual_interface_lives_and_dies_on_the_async_client()
    {
        let (server, cloud) = start();
        let vgw = existing_gateway();
        let id = interface_life_cycle!(client!(aksk_config(&server)), &vgw);
        check_interface_traffic(&server, &cloud, &vgw, &id);
    }
}

on_both_clients! {
    fn a_virtual_interface_peer_lives_and_dies_on_the_blocking_client
        / a_virtual_interface_peer_lives_and_dies_on_the_async_client()
    {
        let (server, cloud) = start();
        let vif = existing_interface();
        let id = peer_life_cycle!(client!(aksk_config(&server)), &vif);
        check_peer_traffic(&server, &cloud, &vif, &id);
    }
}

on_both_clients! {
    fn a_connection_is_read_and_awaited_on_the_blocking_client
        / a_connection_is_read_and_awaited_on_the_async_client()
    {
        let (server, cloud) = start();
        connection_reads!(client!(aksk_config(&server)));
        check_connection_traffic(&server, &cloud);
    }
}

/// Issue 18's first end-to-end test: a gateway, an interface on it (with its IPv4 peer), a
/// second (IPv6) peer on the interface, an update of each, then the teardown in reverse
/// order, each delete awaited before the next. The server refuses an interface on an
/// unknown gateway and a peer on an unknown interface, so the order is checked too.
#[test]
fn a_gateway_an_interface_and_an_ipv6_peer_are_built_updated_and_torn_down() {
    let (server, cloud) = start();
    let client = blocking(&server);
    // `poll_peer!` is written for `on_both_clients!`; this test runs on the blocking client
    // alone, so it names that transport's two choices itself.
    macro_rules! resolve {
        ($call:expr) => {
            $call
        };
    }
    macro_rules! blocking_or_async {
        ($blocking:expr, $asynchronous:expr) => {
            $blocking
        };
    }

    let body: CreateVirtualGatewayRequestBody = serde_json::from_str(CREATE_GATEWAY).unwrap();
    let vgw = client
        .create_virtual_gateway(&CreateVirtualGatewayParameters::new(), &body)
        .unwrap();
    let vgw = vgw.virtual_gateway.unwrap().id.unwrap();
    let show_vgw = ShowVirtualGatewayParameters::new(vgw.as_str());
    client
        .wait_until_virtual_gateway_active(&show_vgw, fast())
        .unwrap();

    let body: CreateVirtualInterfaceRequestBody =
        serde_json::from_str(&create_interface(&vgw)).unwrap();
    let vif = client
        .create_virtual_interface(&CreateVirtualInterfaceParameters::new(), &body)
        .unwrap();
    let vif = vif.virtual_interface.unwrap().id.unwrap();
    let show_vif = ShowVirtualInterfaceParameters::new(vif.as_str());
    let active = client
        .wait_until_virtual_interface_active(&show_vif, fast())
        .unwrap();
    assert_eq!(
        active.virtual_interface.unwrap().vgw_id.as_deref(),
        Some(vgw.as_str())
    );

    let body: CreateVifPeerRequestBody = serde_json::from_str(&create_peer(&vif)).unwrap();
    let peer = client
        .create_vif_peer(&CreateVifPeerParameters::new(), &body)
        .unwrap();
    let peer = peer.vif_peer.unwrap().id.unwrap();
    poll_peer!(client, &show_vif, peer.as_str(), Some("ACTIVE")).unwrap();
    let shown = client
        .show_virtual_interface(&show_vif)
        .unwrap()
        .virtual_interface
        .unwrap();
    let mut families: Vec<String> = shown
        .vif_peers
        .unwrap()
        .iter()
        .map(|p| p.address_family.as_ref().unwrap().as_str().to_owned())
        .collect();
    families.sort();
    assert_eq!(families, ["ipv4", "ipv6"]);

    let update: UpdateVirtualGatewayRequestBody = serde_json::from_str(UPDATE_GATEWAY).unwrap();
    client
        .update_virtual_gateway(&UpdateVirtualGatewayParameters::new(vgw.as_str()), &update)
        .unwrap();
    let update: UpdateVirtualInterfaceRequestBody = serde_json::from_str(UPDATE_INTERFACE).unwrap();
    client
        .update_virtual_interface(
            &UpdateVirtualInterfaceParameters::new(vif.as_str()),
            &update,
        )
        .unwrap();
    let update: UpdateVifPeerRequestBody = serde_json::from_str(UPDATE_PEER).unwrap();
    client
        .update_vif_peer(&UpdateVifPeerParameters::new(peer.as_str()), &update)
        .unwrap();
    let renamed = poll_peer!(client, &show_vif, peer.as_str(), Some("ACTIVE")).unwrap();
    assert_eq!(renamed.name.as_deref(), Some("peer-v6-renamed"));

    client
        .delete_vif_peer(&DeleteVifPeerParameters::new(peer.as_str()))
        .unwrap();
    assert!(poll_peer!(client, &show_vif, peer.as_str(), None).is_none());
    client
        .delete_virtual_interface(&DeleteVirtualInterfaceParameters::new(vif.as_str()))
        .unwrap();
    client
        .wait_until_virtual_interface_deleted(&show_vif, fast())
        .unwrap();
    client
        .delete_virtual_gateway(&DeleteVirtualGatewayParameters::new(vgw.as_str()))
        .unwrap();
    client
        .wait_until_virtual_gateway_deleted(&show_vgw, fast())
        .unwrap();

    no_problems(&cloud);
    let state = cloud.lock().unwrap();
    assert!(
        !state.gateways.contains_key(&vgw)
            && !state.interfaces.contains_key(&vif)
            && !state.peers.contains_key(&peer)
    );
    drop(state);
    let order: Vec<(String, String)> = server
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .map(|r| (r.method, r.path))
        .collect();
    let owned = |m: &str, p: String| (m.to_owned(), p);
    assert_eq!(
        order,
        [
            owned("POST", dc("virtual-gateways")),
            owned("POST", dc("virtual-interfaces")),
            owned("POST", dc("vif-peers")),
            owned("PUT", dc(&format!("virtual-gateways/{vgw}"))),
            owned("PUT", dc(&format!("virtual-interfaces/{vif}"))),
            owned("PUT", dc(&format!("vif-peers/{peer}"))),
            owned("DELETE", dc(&format!("vif-peers/{peer}"))),
            owned("DELETE", dc(&format!("virtual-interfaces/{vif}"))),
            owned("DELETE", dc(&format!("virtual-gateways/{vgw}"))),
        ]
    );
    assert_eq!(sent(&server, "POST", 2), parse(&create_peer(&vif)));
}

/// The waiters end as the pages' statuses say: an interface the connection owner
/// `REJECTED` fails the wait for `ACTIVE` naming that status, one left in `AUTHORIZATION`
/// (waiting for the owner) times out naming it, a gateway in `ERROR` fails the wait for its
/// deletion, and a line the operator refused (`DENY`) fails the wait for `ACTIVE`.
#[test]
fn waits_end_in_the_named_failure_or_time_out_with_the_last_status() {
    let (server, cloud) = start();
    let client = blocking(&server);
    let failed = |result: Result<(), Error>| match result {
        Err(Error::WaitFailed { operation, status }) => (operation, status),
        other => panic!("{other:?}"),
    };

    let vif = existing_interface();
    let show_vif = ShowVirtualInterfaceParameters::new(vif.as_str());
    cloud
        .lock()
        .unwrap()
        .interfaces
        .get_mut(&vif)
        .unwrap()
        .script = vec!["PENDING_CREATE", "AUTHORIZATION", "REJECTED"];
    let (operation, status) = failed(
        client
            .wait_until_virtual_interface_active(&show_vif, fast())
            .map(drop),
    );
    assert_eq!(
        (operation, status.as_str()),
        ("show_virtual_interface", "REJECTED")
    );
    cloud
        .lock()
        .unwrap()
        .interfaces
        .get_mut(&vif)
        .unwrap()
        .script = vec!["AUTHORIZATION"; 1000];
    let short = fast().with_timeout(Duration::from_millis(50));
    match client.wait_until_virtual_interface_active(&show_vif, short) {
        Err(Error::WaitTimeout { last_status, .. }) => {
            assert_eq!(last_status.as_deref(), Some("AUTHORIZATION"))
        }
        other => panic!("{other:?}"),
    }

    let vgw = existing_gateway();
    let show_vgw = ShowVirtualGatewayParameters::new(vgw.as_str());
    cloud.lock().unwrap().gateways.get_mut(&vgw).unwrap().script = vec!["PENDING_DELETE", "ERROR"];
    let (operation, status) = failed(client.wait_until_virtual_gateway_deleted(&show_vgw, fast()));
    assert_eq!(
        (operation, status.as_str()),
        ("show_virtual_gateway", "ERROR")
    );

    let line = ShowDirectConnectParameters::new(CONNECTION);
    cloud
        .lock()
        .unwrap()
        .connections
        .get_mut(CONNECTION)
        .unwrap()
        .script = vec!["APPLY", "DENY"];
    let (operation, status) = failed(
        client
            .wait_until_direct_connect_active(&line, fast())
            .map(drop),
    );
    assert_eq!(
        (operation, status.as_str()),
        ("show_direct_connect", "DENY")
    );
    no_problems(&cloud);
}
