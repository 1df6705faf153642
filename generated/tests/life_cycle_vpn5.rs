//! The life cycles of the VPN v5 gateway, customer gateway and connection monitor (issue
//! 19), and the issue's end-to-end test (a gateway and a customer gateway, a connection
//! between them, a monitor on it, everything listed, then torn down in reverse order), on
//! both transports, against one loopback server that keeps state and checks every request
//! it receives: method, path, query keys, body, and the AK/SK signature.
//!
//! Each life cycle uses every step its pages provide: a VPN gateway has a status (waiters
//! `active` and `deleted`) and an unpaged list; a customer gateway has no status (create
//! answers with the finished object, and show answers 404 once it is deleted) and a list
//! paged by marker and limit; a connection monitor has a status and a list filtered by
//! connection, and no update page.

#![cfg(all(feature = "blocking", feature = "async"))]

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use netapi::Error;
use netapi::vpn::create_connection_monitor::{
    CreateConnectionMonitorParameters, CreateConnectionMonitorRequestBody,
};
use netapi::vpn::create_customer_gateway::{
    CreateCustomerGatewayParameters, CreateCustomerGatewayRequestBody,
};
use netapi::vpn::create_vpn_connection::{
    CreateVpnConnectionParameters, CreateVpnConnectionRequestBody,
};
use netapi::vpn::create_vpn_gateway::{CreateVpnGatewayParameters, CreateVpnGatewayRequestBody};
use netapi::vpn::delete_connection_monitor::DeleteConnectionMonitorParameters;
use netapi::vpn::delete_customer_gateway::DeleteCustomerGatewayParameters;
use netapi::vpn::delete_vpn_connection::DeleteVpnConnectionParameters;
use netapi::vpn::delete_vpn_gateway::DeleteVpnGatewayParameters;
use netapi::vpn::list_connection_monitors::ListConnectionMonitorsParameters;
use netapi::vpn::list_customer_gateways::ListCustomerGatewaysParameters;
use netapi::vpn::list_vpn_connections::ListVpnConnectionsParameters;
use netapi::vpn::list_vpn_gateway_availability_zones::ListVpnGatewayAvailabilityZonesParameters;
use netapi::vpn::list_vpn_gateways::ListVpnGatewaysParameters;
use netapi::vpn::show_connection_monitor::ShowConnectionMonitorParameters;
use netapi::vpn::show_customer_gateway::ShowCustomerGatewayParameters;
use netapi::vpn::show_vpn_connection::ShowVpnConnectionParameters;
use netapi::vpn::show_vpn_gateway::ShowVpnGatewayParameters;
use netapi::vpn::update_customer_gateway::{
    UpdateCustomerGatewayParameters, UpdateCustomerGatewayRequestBody,
};
use netapi::vpn::update_vpn_gateway::{UpdateVpnGatewayParameters, UpdateVpnGatewayRequestBody};
use serde_json::{Value, json};
use support::{ACCESS_KEY, PROJECT, Received, Reply, SECRET_KEY, Server, expect, fast, traffic};

/// How many resources of each kind the tenant already has: with pages of two, a paged list
/// of the others and one new resource takes three pages.
const OTHERS: usize = 4;
const PAGE: u32 = 2;

/// The first seeded gateway, customer gateway and connection: the seeded connections run
/// between the first two, and the seeded monitors watch the first connection.
const SEED_GATEWAY: &str = "00000001-0000-4000-8000-000000000000";
const SEED_CUSTOMER: &str = "00000002-0000-4000-8000-000000000000";
const SEED_CONNECTION: &str = "00000003-0000-4000-8000-000000000000";

/// A request body of the pages' examples, with ids a UUID check accepts.
fn gateway_body(zones: &[String]) -> CreateVpnGatewayRequestBody {
    serde_json::from_value(json!({"vpn_gateway": {
        "name": "vpngw-new",
        "vpc_id": "cb4a631d-1c5e-4a8d-9a86-ca3fa348c36c",
        "local_subnets": ["192.168.0.0/24", "192.168.1.0/24"],
        "connect_subnet": "f5741286-2b1c-4e0a-9a86-2c82bd9ee114",
        "availability_zone_ids": zones,
        "eip1": {"id": "cff40e5e-0e1a-4c7b-9a86-7366077bf097"},
        "eip2": {"id": "d290f1ee-6c54-4b01-9a86-d701748f0851"}
    }}))
    .unwrap()
}

const CUSTOMER: &str = r#"{"customer_gateway": {"name": "cgw-new", "id_type": "ip", "id_value": "203.0.113.21", "bgp_asn": 65000}}"#;
const RENAME_GATEWAY: &str = r#"{"vpn_gateway": {"name": "vpngw-renamed"}}"#;
const RENAME_CUSTOMER: &str = r#"{"customer_gateway": {"name": "cgw-renamed"}}"#;

/// The four kinds of resource the server keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Gateway,
    Customer,
    Connection,
    Monitor,
}

impl Kind {
    const ALL: [Kind; 4] = [
        Kind::Gateway,
        Kind::Customer,
        Kind::Connection,
        Kind::Monitor,
    ];

    /// The path segment after `/v5/{project_id}/`, as the pages print it.
    fn segment(self) -> &'static str {
        match self {
            Kind::Gateway => "vpn-gateways",
            Kind::Customer => "customer-gateways",
            Kind::Connection => "vpn-connection",
            Kind::Monitor => "connection-monitors",
        }
    }

    /// The key that wraps one resource in a body.
    fn one(self) -> &'static str {
        match self {
            Kind::Gateway => "vpn_gateway",
            Kind::Customer => "customer_gateway",
            Kind::Connection => "vpn_connection",
            Kind::Monitor => "connection_monitor",
        }
    }

    /// The key of the list's array.
    fn many(self) -> &'static str {
        match self {
            Kind::Gateway => "vpn_gateways",
            Kind::Customer => "customer_gateways",
            Kind::Connection => "vpn_connections",
            Kind::Monitor => "connection_monitors",
        }
    }

    /// Customer gateways have no status: their pages list none.
    fn has_status(self) -> bool {
        self != Kind::Customer
    }

    /// The customer gateway and connection lists page by marker and limit; the gateway and
    /// monitor lists come whole.
    fn paged(self) -> bool {
        matches!(self, Kind::Customer | Kind::Connection)
    }

    /// The query parameters of the list page.
    fn list_keys(self) -> &'static [&'static str] {
        match self {
            Kind::Gateway => &["enterprise_project_id"],
            Kind::Customer => &["limit", "marker"],
            Kind::Connection => &[
                "vgw_ip",
                "vgw_id",
                "enterprise_project_id",
                "limit",
                "marker",
            ],
            Kind::Monitor => &["vpn_connection_id", "enterprise_project_id"],
        }
    }

    /// The first group of every id, so that ids of different kinds never meet.
    fn prefix(self) -> u32 {
        self as u32 + 1
    }
}

fn id_of(kind: Kind, n: usize) -> String {
    format!("{:08x}-0000-4000-8000-{n:012x}", kind.prefix())
}

/// The server's state: resources by kind and id (ids grow with time, so they sort in
/// creation order), the statuses `show` still has to report for an id before its stored
/// status (or 404 once it is deleted), and what the server did not expect.
struct Cloud {
    items: BTreeMap<Kind, BTreeMap<String, Value>>,
    script: BTreeMap<String, Vec<&'static str>>,
    created: usize,
    problems: Vec<String>,
}

impl Cloud {
    fn new() -> Cloud {
        let mut items: BTreeMap<Kind, BTreeMap<String, Value>> = BTreeMap::new();
        for n in 0..OTHERS {
            let gateway = id_of(Kind::Gateway, n);
            items.entry(Kind::Gateway).or_default().insert(
                gateway.clone(),
                gateway_object(&gateway, &format!("vpngw-{n}"), "ACTIVE", &json!({})),
            );
            let customer = id_of(Kind::Customer, n);
            items.entry(Kind::Customer).or_default().insert(customer.clone(), json!({"id": customer, "name": format!("cgw-{n}"), "id_type": "ip", "id_value": format!("198.51.100.{n}")}));
            let connection = id_of(Kind::Connection, n);
            items.entry(Kind::Connection).or_default().insert(connection.clone(), json!({"id": connection, "name": format!("vpn-{n}"), "status": "ACTIVE", "vgw_id": SEED_GATEWAY, "cgw_id": SEED_CUSTOMER, "style": "STATIC"}));
            let monitor = id_of(Kind::Monitor, n);
            items.entry(Kind::Monitor).or_default().insert(monitor.clone(), json!({"id": monitor, "status": "ACTIVE", "vpn_connection_id": SEED_CONNECTION, "type": "gateway", "proto_type": "icmp"}));
        }
        Cloud {
            items,
            script: BTreeMap::new(),
            created: 0,
            problems: Vec::new(),
        }
    }

    fn of(&mut self, kind: Kind) -> &mut BTreeMap<String, Value> {
        self.items.entry(kind).or_default()
    }

    fn problem(&mut self, what: String) {
        self.problems.push(what);
    }

    /// Answers one request, noting anything it did not expect.
    fn answer(&mut self, request: &Received) -> Reply {
        if let Err(problem) = request.verify_signature(ACCESS_KEY, SECRET_KEY) {
            self.problem(format!("{} {}: {problem}", request.method, request.path));
        }
        let Some(rest) = request.path.strip_prefix(&format!("/v5/{PROJECT}/")) else {
            self.problem(format!("unexpected path {}", request.path));
            return not_found();
        };
        if (request.method.as_str(), rest) == ("GET", "vpn-gateways/availability-zones") {
            return self.zones(request);
        }
        let (segment, id) = match rest.split_once('/') {
            Some((segment, id)) => (segment, Some(id.to_owned())),
            None => (rest, None),
        };
        let Some(kind) = Kind::ALL.into_iter().find(|k| k.segment() == segment) else {
            self.problem(format!("unexpected path {}", request.path));
            return not_found();
        };
        if request.method != "GET" && !request.query.is_empty() {
            self.problem(format!("{} {} with a query", request.method, request.path));
        }
        match (request.method.as_str(), id) {
            ("POST", None) => match self.body(kind, request) {
                Some(sent) => self.create(kind, &sent),
                None => bad_request(),
            },
            ("GET", None) => self.list(kind, &request.query),
            ("GET", Some(id)) => self.show(kind, &id),
            ("PUT", Some(id)) if matches!(kind, Kind::Gateway | Kind::Customer) => {
                match self.body(kind, request) {
                    Some(sent) => self.update(kind, &id, &sent),
                    None => bad_request(),
                }
            }
            ("DELETE", Some(id)) => {
                if !request.body.is_empty() {
                    self.problem(format!("DELETE {} carried a body", request.path));
                }
                self.delete(kind, &id)
            }
            (method, _) => {
                self.problem(format!("unexpected {method} {}", request.path));
                not_found()
            }
        }
    }

    /// The wrapped object of a POST or PUT body, which must be the only key.
    fn body(&mut self, kind: Kind, request: &Received) -> Option<Value> {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        match body.as_object() {
            Some(map) if map.len() == 1 && map.get(kind.one()).is_some_and(Value::is_object) => {
                Some(map[kind.one()].clone())
            }
            _ => {
                self.problem(format!("{} {}: body {body}", request.method, request.path));
                None
            }
        }
    }

    fn zones(&mut self, request: &Received) -> Reply {
        if !request.query.is_empty() || !request.body.is_empty() {
            self.problem(format!("availability zones with `{}`", request.query));
        }
        let zones = json!({
            "basic": {"vpc": ["eu-de-01"], "er": []},
            "professional1": {"vpc": ["eu-de-01", "eu-de-02"], "er": ["eu-de-01"]},
            "professional2": {"vpc": ["eu-de-01", "eu-de-02"], "er": ["eu-de-01"]}
        });
        Reply::json(
            200,
            &json!({"availability_zones": zones, "request_id": "r"}).to_string(),
        )
    }

    fn create(&mut self, kind: Kind, sent: &Value) -> Reply {
        let id = id_of(kind, 0x100 + self.created);
        self.created += 1;
        let object = match kind {
            Kind::Gateway => {
                for key in ["vpc_id", "local_subnets", "connect_subnet"] {
                    if sent.get(key).is_none() {
                        self.problem(format!("a VPC gateway without {key}: {sent}"));
                    }
                }
                gateway_object(
                    &id,
                    sent["name"].as_str().unwrap_or("vpngw-0000"),
                    "PENDING_CREATE",
                    sent,
                )
            }
            Kind::Customer => {
                if sent["id_value"].as_str().is_none() {
                    self.problem(format!("a customer gateway without id_value: {sent}"));
                }
                let mut object = sent.clone();
                object["id"] = json!(id);
                object["created_at"] = json!("2025-08-13T02:34:56.784Z");
                object["tags"] = json!([]);
                object
            }
            Kind::Connection => {
                let vgw_id = sent["vgw_id"].as_str().unwrap_or_default().to_owned();
                let gateway = self.of(Kind::Gateway).get(&vgw_id).cloned();
                match gateway {
                    Some(gateway) if gateway["status"] == "ACTIVE" => {
                        if sent["vgw_ip"] != gateway["eip1"]["id"]
                            && sent["vgw_ip"] != gateway["eip2"]["id"]
                        {
                            self.problem(format!("vgw_ip is not an EIP of the gateway: {sent}"));
                        }
                    }
                    Some(_) => return not_ready(&vgw_id),
                    None => self.problem(format!("a connection on an unknown gateway: {sent}")),
                }
                let cgw_id = sent["cgw_id"].as_str().unwrap_or_default().to_owned();
                if !self.of(Kind::Customer).contains_key(&cgw_id) {
                    self.problem(format!(
                        "a connection to an unknown customer gateway: {sent}"
                    ));
                }
                json!({"id": id, "name": "vpn-new", "status": "PENDING_CREATE", "vgw_id": vgw_id, "vgw_ip": sent["vgw_ip"],
                       "cgw_id": cgw_id, "style": "STATIC", "peer_subnets": sent["peer_subnets"]})
            }
            Kind::Monitor => {
                let connection = sent["vpn_connection_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                // The connection names its monitor from now on (show's connection_monitor_id).
                if let Some(found) = self.of(Kind::Connection).get_mut(&connection) {
                    found["connection_monitor_id"] = json!(id);
                } else {
                    self.problem(format!("a monitor on an unknown connection: {sent}"));
                }
                json!({"id": id, "status": "PENDING_CREATE", "vpn_connection_id": connection, "type": "gateway",
                       "source_ip": "203.0.113.60", "destination_ip": "198.51.100.32", "proto_type": "icmp"})
            }
        };
        if kind.has_status() {
            self.script.insert(id.clone(), vec!["PENDING_CREATE"]);
        }
        self.of(kind).insert(id, object.clone());
        Reply::json(
            201,
            &json!({kind.one(): object, "request_id": "r"}).to_string(),
        )
    }

    fn show(&mut self, kind: Kind, id: &str) -> Reply {
        let scripted = self
            .script
            .get_mut(id)
            .filter(|s| !s.is_empty())
            .map(|s| s.remove(0));
        if let Some(status) = scripted {
            let mut shown = self
                .of(kind)
                .get(id)
                .cloned()
                .unwrap_or_else(|| json!({"id": id}));
            shown["status"] = json!(status);
            return Reply::json(
                200,
                &json!({kind.one(): shown, "request_id": "r"}).to_string(),
            );
        }
        match self.of(kind).get_mut(id) {
            Some(found) => {
                if found["status"] == "PENDING_CREATE" {
                    found["status"] = json!("ACTIVE");
                }
                Reply::json(
                    200,
                    &json!({kind.one(): found, "request_id": "r"}).to_string(),
                )
            }
            None => not_found(),
        }
    }

    /// Gateways and customer gateways take a new name; nothing else is sent here.
    fn update(&mut self, kind: Kind, id: &str, sent: &Value) -> Reply {
        let keys: Vec<&String> = sent
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        if keys != ["name"] {
            self.problem(format!("update of {id} with {sent}"));
        }
        match self.of(kind).get_mut(id) {
            Some(found) => {
                found["name"] = sent["name"].clone();
                let found = found.clone();
                Reply::json(
                    200,
                    &json!({kind.one(): found, "request_id": "r"}).to_string(),
                )
            }
            None => not_found(),
        }
    }

    /// Deletes, refusing what the pages refuse: a customer gateway (or a gateway) that still
    /// has connections ("VPN.0001 ... has connection"), and a gateway still being created
    /// ("VPN.0003 ... is not ready, currently CREATING").
    fn delete(&mut self, kind: Kind, id: &str) -> Reply {
        let holder = match kind {
            Kind::Gateway => Some(("vgw_id", "gateway")),
            Kind::Customer => Some(("cgw_id", "customer gateway")),
            _ => None,
        };
        if let Some((key, name)) = holder {
            if self.of(Kind::Connection).values().any(|c| c[key] == id) {
                let body = json!({"error_code": "VPN.0001", "error_msg": format!("invalid request: {name} {id} has connection"), "request_id": "r"});
                return Reply::json(409, &body.to_string());
            }
        }
        if self
            .of(kind)
            .get(id)
            .is_some_and(|found| found["status"] == "PENDING_CREATE")
        {
            return not_ready(id);
        }
        let Some(gone) = self.of(kind).remove(id) else {
            return not_found();
        };
        if kind == Kind::Monitor {
            if let Some(connection) = gone["vpn_connection_id"].as_str().map(str::to_owned) {
                if let Some(found) = self
                    .of(Kind::Connection)
                    .get_mut(&connection)
                    .and_then(Value::as_object_mut)
                {
                    found.remove("connection_monitor_id");
                }
            }
        }
        if kind.has_status() {
            self.script
                .insert(id.to_owned(), vec!["PENDING_DELETE", "PENDING_DELETE"]);
        }
        Reply::Respond {
            status: 204,
            headers: vec![],
            body: String::new(),
        }
    }

    /// A list: filtered by the page's query parameters, and for paged lists the resources
    /// after `marker` (by id), `limit` of them, with `page_info.next_marker` when more remain.
    fn list(&mut self, kind: Kind, query: &str) -> Reply {
        let pairs: Vec<(String, String)> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        if let Some((key, _)) = pairs
            .iter()
            .find(|(k, _)| !kind.list_keys().contains(&k.as_str()))
        {
            self.problem(format!("{} list with `{key}` in `{query}`", kind.segment()));
        }
        let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let filters: Vec<(&str, String)> = ["vgw_id", "vpn_connection_id"]
            .into_iter()
            .filter_map(|k| get(k).map(|v| (k, v)))
            .collect();
        let matching: Vec<Value> = self
            .of(kind)
            .iter()
            .filter(|(id, _)| get("marker").is_none_or(|m| id.as_str() > m.as_str()))
            .map(|(_, item)| item.clone())
            .filter(|item| filters.iter().all(|(k, v)| item[*k] == v.as_str()))
            .collect();
        if !kind.paged() {
            return Reply::json(
                200,
                &json!({kind.many(): matching, "request_id": "r"}).to_string(),
            );
        }
        let Some(limit) = get("limit").and_then(|l| l.parse::<usize>().ok()) else {
            self.problem(format!(
                "{} list without a limit: `{query}`",
                kind.segment()
            ));
            return bad_request();
        };
        let page: Vec<&Value> = matching.iter().take(limit).collect();
        let mut info = json!({"current_count": page.len()});
        if matching.len() > limit {
            info["next_marker"] = page
                .last()
                .map(|item| item["id"].clone())
                .unwrap_or_default();
        }
        let total = self.of(kind).len();
        Reply::json(
            200,
            &json!({kind.many(): page, "page_info": info, "total_count": total, "request_id": "r"})
                .to_string(),
        )
    }
}

/// A gateway as show returns it, with EIPs whose ids are the ones the create body named.
fn gateway_object(id: &str, name: &str, status: &str, sent: &Value) -> Value {
    let eip = |n: usize, fallback: &str| {
        let id = sent[format!("eip{n}")]["id"]
            .as_str()
            .unwrap_or(fallback)
            .to_owned();
        json!({"id": id, "ip_version": 4, "type": "5_bgp", "ip_address": format!("203.0.113.{n}"), "charge_mode": "bandwidth", "bandwidth_size": 300})
    };
    json!({
        "id": id,
        "name": name,
        "network_type": "public",
        "status": status,
        "attachment_type": "vpc",
        "ip_version": "ipv4",
        "vpc_id": sent.get("vpc_id").cloned().unwrap_or(json!("cb4a631d-1c5e-4a8d-9a86-ca3fa348c36c")),
        "local_subnets": sent.get("local_subnets").cloned().unwrap_or(json!(["192.168.0.0/24"])),
        "connect_subnet": sent.get("connect_subnet").cloned().unwrap_or(json!("f5741286-2b1c-4e0a-9a86-2c82bd9ee114")),
        "flavor": "Professional1",
        "availability_zone_ids": sent.get("availability_zone_ids").cloned().unwrap_or(json!(["eu-de-01"])),
        "eip1": eip(1, "0b8c3a9e-1f6d-4f47-9a86-000000000001"),
        "eip2": eip(2, "0b8c3a9e-1f6d-4f47-9a86-000000000002"),
        "ha_mode": "active-active",
        "enterprise_project_id": "0",
        "created_at": "2025-06-28T02:22:27.24Z"
    })
}

fn not_found() -> Reply {
    Reply::json(
        404,
        r#"{"error_code": "VPN.0002", "error_msg": "resource not found", "request_id": "r"}"#,
    )
}

fn bad_request() -> Reply {
    Reply::json(
        400,
        r#"{"error_code": "VPN.0001", "error_msg": "invalid request", "request_id": "r"}"#,
    )
}

fn not_ready(id: &str) -> Reply {
    let body = json!({"error_code": "VPN.0003", "error_msg": format!("resource (type=GATEWAY, ID={id}) is not ready, currently CREATING"), "request_id": "r"});
    Reply::json(409, &body.to_string())
}

fn start() -> (Server, Arc<Mutex<Cloud>>) {
    support::serve_state(Cloud::new(), Cloud::answer)
}

fn assert_no_problems(cloud: &Mutex<Cloud>) {
    support::no_problems(&cloud.lock().unwrap().problems);
}

/// The run left the tenant as it found it: the seeded resources, unchanged.
fn assert_as_seeded(cloud: &Mutex<Cloud>) {
    assert_eq!(cloud.lock().unwrap().items, Cloud::new().items);
}

fn base(kind: Kind) -> String {
    format!("/v5/{PROJECT}/{}", kind.segment())
}

// ---------------------------------------------------------------------------------------
// VPN gateway: availability zones, create, wait until ACTIVE, list, show, update, delete,
// wait until gone.

fn check_gateway_traffic(server: &Server, cloud: &Mutex<Cloud>, id: &str) {
    assert_no_problems(cloud);
    assert_as_seeded(cloud);
    let base = base(Kind::Gateway);
    let one = format!("{base}/{id}");
    let zones = format!("{base}/availability-zones");
    assert_eq!(
        traffic(server),
        expect(&[
            ("GET", zones.as_str(), ""),
            ("POST", base.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", base.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("PUT", one.as_str(), ""),
            ("DELETE", one.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", one.as_str(), ""),
        ])
    );
    let update = server
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&update.body).unwrap(),
        serde_json::from_str::<Value>(RENAME_GATEWAY).unwrap()
    );
    let create = server
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    let sent: Value = serde_json::from_slice(&create.body).unwrap();
    assert_eq!(
        sent["vpn_gateway"]["availability_zone_ids"],
        json!(["eu-de-01", "eu-de-02"])
    );
}

on_both_clients! {
    fn a_vpn_gateway_lives_and_dies_on_the_blocking_client
        / a_vpn_gateway_lives_and_dies_on_the_async_client()
    {
        let (server, cloud) = start();
        let client = client!(support::config(&server.url(), support::aksk()));
        let zones = resolve!(client
            .list_vpn_gateway_availability_zones(&ListVpnGatewayAvailabilityZonesParameters::new()))
            .unwrap();
        let zones = zones
            .availability_zones
            .unwrap()
            .professional1
            .unwrap()
            .vpc
            .unwrap();
        let created = resolve!(client
            .create_vpn_gateway(&CreateVpnGatewayParameters::new(), &gateway_body(&zones)))
            .unwrap();
        let id = created.vpn_gateway.unwrap().id.unwrap();

        let show = ShowVpnGatewayParameters::new(id.as_str());
        let active = resolve!(client
            .wait_until_vpn_gateway_active(&show, fast()))
            .unwrap();
        assert_eq!(
            active.vpn_gateway.unwrap().status.unwrap().as_str(),
            "ACTIVE"
        );

        let listed = resolve!(client
            .list_vpn_gateways(&ListVpnGatewaysParameters::new()))
            .unwrap();
        let ids: Vec<String> = listed
            .vpn_gateways
            .unwrap()
            .into_iter()
            .map(|g| g.id.unwrap())
            .collect();
        assert_eq!(ids.len(), OTHERS + 1);
        assert_eq!(ids.last(), Some(&id));

        let shown = resolve!(client
            .show_vpn_gateway(&show))
            .unwrap()
            .vpn_gateway
            .unwrap();
        assert_eq!(shown.name.as_deref(), Some("vpngw-new"));
        assert_eq!(
            shown.eip1.unwrap().id.as_deref(),
            Some("cff40e5e-0e1a-4c7b-9a86-7366077bf097")
        );
        let rename: UpdateVpnGatewayRequestBody = serde_json::from_str(RENAME_GATEWAY).unwrap();
        let updated = resolve!(client
            .update_vpn_gateway(&UpdateVpnGatewayParameters::new(id.as_str()), &rename))
            .unwrap();
        assert_eq!(
            updated.vpn_gateway.unwrap().name.as_deref(),
            Some("vpngw-renamed")
        );
        resolve!(client
            .delete_vpn_gateway(&DeleteVpnGatewayParameters::new(id.as_str())))
            .unwrap();
        resolve!(client
            .wait_until_vpn_gateway_deleted(&show, fast()))
            .unwrap();

        check_gateway_traffic(&server, &cloud, &id);
    }
}

/// A gateway that turns `FAULT` fails the wait with a typed error naming the status.
#[test]
fn a_faulty_vpn_gateway_fails_the_wait() {
    let (server, cloud) = start();
    let client = netapi::BlockingClient::new(support::config(&server.url(), support::aksk()));
    let show = ShowVpnGatewayParameters::new(SEED_GATEWAY);
    cloud
        .lock()
        .unwrap()
        .script
        .insert(SEED_GATEWAY.to_owned(), vec!["PENDING_CREATE", "FAULT"]);
    match client.wait_until_vpn_gateway_active(&show, fast()) {
        Err(Error::WaitFailed { operation, status }) => {
            assert_eq!((operation, status.as_str()), ("show_vpn_gateway", "FAULT"));
        }
        other => panic!("{other:?}"),
    }
    assert_no_problems(&cloud);
}

// ---------------------------------------------------------------------------------------
// Customer gateway: create, list across pages, show, update, delete, and show answers 404
// (no status, so no waiter: the pages' create answers with the finished object).

fn check_customer_traffic(server: &Server, cloud: &Mutex<Cloud>, id: &str) {
    assert_no_problems(cloud);
    assert_as_seeded(cloud);
    let base = base(Kind::Customer);
    let one = format!("{base}/{id}");
    let second = format!("limit=2&marker={}", id_of(Kind::Customer, 1));
    let third = format!("limit=2&marker={}", id_of(Kind::Customer, 3));
    assert_eq!(
        traffic(server),
        expect(&[
            ("POST", base.as_str(), ""),
            ("GET", base.as_str(), "limit=2"),
            ("GET", base.as_str(), second.as_str()),
            ("GET", base.as_str(), third.as_str()),
            ("GET", one.as_str(), ""),
            ("PUT", one.as_str(), ""),
            ("DELETE", one.as_str(), ""),
            ("GET", one.as_str(), ""),
        ])
    );
    let create = server
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&create.body).unwrap(),
        serde_json::from_str::<Value>(CUSTOMER).unwrap()
    );
    let update = server
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&update.body).unwrap(),
        serde_json::from_str::<Value>(RENAME_CUSTOMER).unwrap()
    );
}

on_both_clients! {
    fn a_customer_gateway_lives_and_dies_on_the_blocking_client
        / a_customer_gateway_lives_and_dies_on_the_async_client()
    {
        let (server, cloud) = start();
        let client = client!(support::config(&server.url(), support::aksk()));
        let body: CreateCustomerGatewayRequestBody = serde_json::from_str(CUSTOMER).unwrap();
        let created = resolve!(client
            .create_customer_gateway(&CreateCustomerGatewayParameters::new(), &body))
            .unwrap();
        let id = created.customer_gateway.unwrap().id.unwrap();

        let all: Vec<String> = resolve!(client
            .list_customer_gateways_all(&ListCustomerGatewaysParameters::new())
            .page_size(PAGE)
            .map(|item| item.unwrap().id.unwrap())
            .collect());
        assert_eq!(all.len(), OTHERS + 1);
        assert_eq!(all.last(), Some(&id));

        let show = ShowCustomerGatewayParameters::new(id.as_str());
        let shown = resolve!(client
            .show_customer_gateway(&show))
            .unwrap()
            .customer_gateway
            .unwrap();
        assert_eq!(
            (shown.name.as_deref(), shown.bgp_asn),
            (Some("cgw-new"), Some(65000))
        );
        let rename: UpdateCustomerGatewayRequestBody =
            serde_json::from_str(RENAME_CUSTOMER).unwrap();
        let updated = resolve!(client
            .update_customer_gateway(&UpdateCustomerGatewayParameters::new(id.as_str()), &rename))
            .unwrap();
        assert_eq!(
            updated.customer_gateway.unwrap().name.as_deref(),
            Some("cgw-renamed")
        );
        resolve!(client
            .delete_customer_gateway(&DeleteCustomerGatewayParameters::new(id.as_str())))
            .unwrap();
        let gone = resolve!(client.show_customer_gateway(&show)).unwrap_err();
        assert_eq!(gone.status(), Some(404), "{gone:?}");

        check_customer_traffic(&server, &cloud, &id);
    }
}

// ---------------------------------------------------------------------------------------
// Connection monitor (on a seeded connection): create, wait until ACTIVE, list by
// connection, show, delete, wait until gone. The pages have no update.

fn monitor_body(connection: &str) -> CreateConnectionMonitorRequestBody {
    serde_json::from_value(json!({"connection_monitor": {"vpn_connection_id": connection}}))
        .unwrap()
}

fn check_monitor_traffic(server: &Server, cloud: &Mutex<Cloud>, id: &str) {
    assert_no_problems(cloud);
    assert_as_seeded(cloud);
    let base = base(Kind::Monitor);
    let one = format!("{base}/{id}");
    let by_connection = format!("vpn_connection_id={SEED_CONNECTION}");
    assert_eq!(
        traffic(server),
        expect(&[
            ("POST", base.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", base.as_str(), by_connection.as_str()),
            ("GET", one.as_str(), ""),
            ("DELETE", one.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", one.as_str(), ""),
            ("GET", one.as_str(), ""),
        ])
    );
}

on_both_clients! {
    fn a_connection_monitor_lives_and_dies_on_the_blocking_client
        / a_connection_monitor_lives_and_dies_on_the_async_client()
    {
        let (server, cloud) = start();
        let client = client!(support::config(&server.url(), support::aksk()));
        let created = resolve!(client
            .create_connection_monitor(
                &CreateConnectionMonitorParameters::new(),
                &monitor_body(SEED_CONNECTION),
            ))
            .unwrap();
        let id = created.connection_monitor.unwrap().id.unwrap();

        let show = ShowConnectionMonitorParameters::new(id.as_str());
        let active = resolve!(client
            .wait_until_connection_monitor_active(&show, fast()))
            .unwrap();
        assert_eq!(
            active.connection_monitor.unwrap().status.unwrap().as_str(),
            "ACTIVE"
        );

        let listed = resolve!(client
            .list_connection_monitors(
                &ListConnectionMonitorsParameters::new().with_vpn_connection_id(SEED_CONNECTION),
            ))
            .unwrap();
        let ids: Vec<String> = listed
            .connection_monitors
            .unwrap()
            .into_iter()
            .map(|m| m.id.unwrap())
            .collect();
        assert_eq!(ids.len(), OTHERS + 1);
        assert_eq!(ids.last(), Some(&id));

        let shown = resolve!(client
            .show_connection_monitor(&show))
            .unwrap()
            .connection_monitor
            .unwrap();
        assert_eq!(shown.vpn_connection_id.as_deref(), Some(SEED_CONNECTION));
        resolve!(client
            .delete_connection_monitor(&DeleteConnectionMonitorParameters::new(id.as_str())))
            .unwrap();
        resolve!(client
            .wait_until_connection_monitor_deleted(&show, fast()))
            .unwrap();

        check_monitor_traffic(&server, &cloud, &id);
    }
}

// ---------------------------------------------------------------------------------------
// End to end: a VPN gateway and a customer gateway, a connection between them
// (create_vpn_connection, the seed's operation), a monitor on it, everything listed, and
// the teardown in reverse order. The server refuses what the pages refuse, so a wrong
// order fails; the test shows one such refusal.

fn connection_body(gateway: &str, eip: &str, customer: &str) -> CreateVpnConnectionRequestBody {
    serde_json::from_value(json!({"vpn_connection": {
        "vgw_id": gateway,
        "vgw_ip": eip,
        "cgw_id": customer,
        "peer_subnets": ["192.168.44.0/24"],
        "psk": "Abcd-1234-xyz"
    }}))
    .unwrap()
}

/// What both transports must have changed, in order: four creates, one refused delete,
/// and four deletes in reverse order.
fn check_end_to_end(server: &Server, cloud: &Mutex<Cloud>, ids: &[String; 4]) {
    assert_no_problems(cloud);
    assert_as_seeded(cloud);
    let [gateway, customer, connection, monitor] = ids;
    let one = |kind: Kind, id: &str| format!("{}/{id}", base(kind));
    let changes: Vec<(String, String)> = server
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .map(|r| (r.method, r.path))
        .collect();
    let expected: Vec<(String, String)> = [
        ("POST", base(Kind::Gateway)),
        ("POST", base(Kind::Customer)),
        ("POST", base(Kind::Connection)),
        ("POST", base(Kind::Monitor)),
        ("DELETE", one(Kind::Customer, customer)),
        ("DELETE", one(Kind::Monitor, monitor)),
        ("DELETE", one(Kind::Connection, connection)),
        ("DELETE", one(Kind::Customer, customer)),
        ("DELETE", one(Kind::Gateway, gateway)),
    ]
    .into_iter()
    .map(|(m, p)| (m.to_owned(), p))
    .collect();
    assert_eq!(changes, expected);
    let create = server
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path == base(Kind::Connection))
        .unwrap();
    let sent: Value = serde_json::from_slice(&create.body).unwrap();
    assert_eq!(
        (
            &sent["vpn_connection"]["vgw_id"],
            &sent["vpn_connection"]["cgw_id"]
        ),
        (&json!(gateway), &json!(customer))
    );
}

on_both_clients! {
    fn a_monitored_vpn_is_built_and_torn_down_on_the_blocking_client
        / a_monitored_vpn_is_built_and_torn_down_on_the_async_client()
    {
        let (server, cloud) = start();
        let client = client!(support::config(&server.url(), support::aksk()));
        let zones = vec!["eu-de-01".to_owned(), "eu-de-02".to_owned()];

        // Build: the two gateways, the connection once the VPN gateway is ACTIVE (VPN.0003
        // otherwise), and the monitor once the connection is ACTIVE.
        let created = resolve!(client
            .create_vpn_gateway(&CreateVpnGatewayParameters::new(), &gateway_body(&zones)))
            .unwrap();
        let gateway = created.vpn_gateway.unwrap().id.unwrap();
        let show_gateway = ShowVpnGatewayParameters::new(gateway.as_str());
        let active = resolve!(client
            .wait_until_vpn_gateway_active(&show_gateway, fast()))
            .unwrap()
            .vpn_gateway
            .unwrap();
        let eip = active.eip1.unwrap().id.unwrap();
        let body: CreateCustomerGatewayRequestBody = serde_json::from_str(CUSTOMER).unwrap();
        let customer = resolve!(client
            .create_customer_gateway(&CreateCustomerGatewayParameters::new(), &body))
            .unwrap()
            .customer_gateway
            .unwrap()
            .id
            .unwrap();
        let created = resolve!(client
            .create_vpn_connection(
                &CreateVpnConnectionParameters::new(),
                &connection_body(&gateway, &eip, &customer),
            ))
            .unwrap();
        let connection = created.vpn_connection.unwrap().id.unwrap();
        let show_connection = ShowVpnConnectionParameters::new(connection.as_str());
        let up = resolve!(client
            .wait_until_vpn_connection_active(&show_connection, fast()))
            .unwrap()
            .vpn_connection
            .unwrap();
        assert_eq!(up.status.unwrap().as_str(), "ACTIVE");
        let created = resolve!(client
            .create_connection_monitor(
                &CreateConnectionMonitorParameters::new(),
                &monitor_body(&connection),
            ))
            .unwrap();
        let monitor = created.connection_monitor.unwrap().id.unwrap();
        let show_monitor = ShowConnectionMonitorParameters::new(monitor.as_str());
        resolve!(client
            .wait_until_connection_monitor_active(&show_monitor, fast()))
            .unwrap();

        // List everything: each list holds the new resource, found by its filter where the
        // page has one, across pages where it pages.
        let gateways = resolve!(client
            .list_vpn_gateways(&ListVpnGatewaysParameters::new()))
            .unwrap()
            .vpn_gateways
            .unwrap();
        assert!(
            gateways
                .iter()
                .any(|g| g.id.as_deref() == Some(gateway.as_str()))
        );
        let customers: Vec<String> = resolve!(client
            .list_customer_gateways_all(&ListCustomerGatewaysParameters::new())
            .page_size(PAGE)
            .map(|c| c.unwrap().id.unwrap())
            .collect());
        assert_eq!(
            (customers.len(), customers.last()),
            (OTHERS + 1, Some(&customer))
        );
        let connections: Vec<String> = resolve!(client
            .list_vpn_connections_all(
                &ListVpnConnectionsParameters::new().with_vgw_id(gateway.as_str()),
            )
            .page_size(PAGE)
            .map(|c| c.unwrap().id.unwrap())
            .collect());
        assert_eq!(connections, vec![connection.clone()]);
        let monitors = resolve!(client
            .list_connection_monitors(
                &ListConnectionMonitorsParameters::new()
                    .with_vpn_connection_id(connection.as_str()),
            ))
            .unwrap()
            .connection_monitors
            .unwrap();
        let monitors: Vec<String> = monitors.into_iter().map(|m| m.id.unwrap()).collect();
        assert_eq!(monitors, vec![monitor.clone()]);
        let shown = resolve!(client
            .show_vpn_connection(&show_connection))
            .unwrap()
            .vpn_connection
            .unwrap();
        assert_eq!(
            shown.connection_monitor_id.as_deref(),
            Some(monitor.as_str())
        );

        // A customer gateway with a connection cannot go first: the page's VPN.0001.
        match resolve!(client
            .delete_customer_gateway(&DeleteCustomerGatewayParameters::new(customer.as_str())))
        {
            Err(Error::Api(e)) => assert_eq!(e.code.as_deref(), Some("VPN.0001")),
            other => panic!("{other:?}"),
        }

        // Tear down in reverse order, each step waiting until its resource is gone.
        resolve!(client
            .delete_connection_monitor(&DeleteConnectionMonitorParameters::new(monitor.as_str())))
            .unwrap();
        resolve!(client
            .wait_until_connection_monitor_deleted(&show_monitor, fast()))
            .unwrap();
        resolve!(client
            .delete_vpn_connection(&DeleteVpnConnectionParameters::new(connection.as_str())))
            .unwrap();
        resolve!(client
            .wait_until_vpn_connection_deleted(&show_connection, fast()))
            .unwrap();
        resolve!(client
            .delete_customer_gateway(&DeleteCustomerGatewayParameters::new(customer.as_str())))
            .unwrap();
        let gone = resolve!(client
            .show_customer_gateway(&ShowCustomerGatewayParameters::new(customer.as_str())))
            .unwrap_err();
        assert_eq!(gone.status(), Some(404), "{gone:?}");
        resolve!(client
            .delete_vpn_gateway(&DeleteVpnGatewayParameters::new(gateway.as_str())))
            .unwrap();
        resolve!(client
            .wait_until_vpn_gateway_deleted(&show_gateway, fast()))
            .unwrap();

        check_end_to_end(&server, &cloud, &[gateway, customer, connection, monitor]);
    }
}
