//! The whole life cycle of a VPN connection, on both transports, against a loopback server
//! that keeps state and checks every request it receives (method, path, query, body and the
//! AK/SK signature): create, wait until `ACTIVE`, list across pages, show, update, delete,
//! and wait until it is gone.

#![cfg(all(feature = "blocking", feature = "async"))]

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use netapi::Error;
use netapi::vpn::create_vpn_connection::{
    CreateVpnConnectionParameters, CreateVpnConnectionRequestBody,
};
use netapi::vpn::delete_vpn_connection::DeleteVpnConnectionParameters;
use netapi::vpn::list_vpn_connections::ListVpnConnectionsParameters;
use netapi::vpn::show_vpn_connection::ShowVpnConnectionParameters;
use netapi::vpn::update_vpn_connection::{
    UpdateVpnConnectionParameters, UpdateVpnConnectionRequestBody,
};
use serde_json::{Value, json};
use support::{ACCESS_KEY, PROJECT, Received, Reply, SECRET_KEY, Server, fast};

const CREATE: &str = r#"{"vpn_connection": {"vgw_id": "b32d91a4-1d5e-4a8d-9a86-e907174eb11d", "vgw_ip": "0c464dad-10b5-4bd0-9a86-c22bb0eb0bde", "cgw_id": "5247ae10-9b2d-4a2f-9a86-dd36659a7f5d", "peer_subnets": ["192.168.44.0/24"], "psk": "Abcd-1234-xyz"}}"#;
const UPDATE: &str = r#"{"vpn_connection": {"name": "renamed"}}"#;

/// How many connections other than the created one the tenant already has: with pages of
/// two, the list takes three pages.
const OTHERS: usize = 4;
const PAGE: u32 = 2;

/// The server's state: connections by id (kept in creation order by their ids), and how
/// many more times `show` answers with a transitional status before the next one.
#[derive(Default)]
struct Cloud {
    connections: BTreeMap<String, Value>,
    /// Statuses `show` still has to report for the connection, in order, before its
    /// stored status (or 404 once it is deleted).
    script: Vec<&'static str>,
    problems: Vec<String>,
}

impl Cloud {
    fn new() -> Cloud {
        let mut cloud = Cloud::default();
        for n in 0..OTHERS {
            let id = format!("00000000-0000-4000-8000-00000000000{n}");
            cloud
                .connections
                .insert(id.clone(), connection(&id, "ACTIVE", &format!("other-{n}")));
        }
        cloud
    }

    /// Answers one request, noting anything it did not expect.
    fn answer(&mut self, request: &Received) -> Reply {
        if let Err(problem) = request.verify_signature(ACCESS_KEY, SECRET_KEY) {
            self.problems
                .push(format!("{} {}: {problem}", request.method, request.path));
        }
        let base = format!("/v5/{PROJECT}/vpn-connection");
        let id = request
            .path
            .strip_prefix(&format!("{base}/"))
            .map(str::to_owned);
        match (request.method.as_str(), id) {
            ("POST", None) if request.path == base => {
                let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
                let sent = &body["vpn_connection"];
                if sent["cgw_id"] != "5247ae10-9b2d-4a2f-9a86-dd36659a7f5d"
                    || sent["psk"] != "Abcd-1234-xyz"
                {
                    self.problems.push(format!("create body {body}"));
                }
                // Created last, so it sorts last in the list: ids grow with time.
                let id = "ffffffff-0000-4000-8000-000000000001".to_owned();
                let created = connection(&id, "PENDING_CREATE", "vpn-new");
                self.connections.insert(id, created.clone());
                self.script = vec!["PENDING_CREATE", "PENDING_CREATE"];
                Reply::json(
                    201,
                    &json!({"vpn_connection": created, "request_id": "r"}).to_string(),
                )
            }
            ("GET", None) if request.path == base => self.list(&request.query),
            ("GET", Some(id)) => {
                if let Some(status) = (!self.script.is_empty()).then(|| self.script.remove(0)) {
                    let mut shown = self
                        .connections
                        .get(&id)
                        .cloned()
                        .unwrap_or_else(|| connection(&id, status, "gone"));
                    shown["status"] = json!(status);
                    return Reply::json(200, &json!({"vpn_connection": shown}).to_string());
                }
                match self.connections.get_mut(&id) {
                    Some(found) => {
                        if found["status"] == "PENDING_CREATE" {
                            found["status"] = json!("ACTIVE");
                        }
                        Reply::json(200, &json!({"vpn_connection": found}).to_string())
                    }
                    None => not_found(),
                }
            }
            ("PUT", Some(id)) => {
                let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
                match self.connections.get_mut(&id) {
                    Some(found) => {
                        found["name"] = body["vpn_connection"]["name"].clone();
                        Reply::json(
                            200,
                            &json!({"vpn_connection": found, "request_id": "r"}).to_string(),
                        )
                    }
                    None => not_found(),
                }
            }
            ("DELETE", Some(id)) => {
                if !request.body.is_empty() {
                    self.problems.push("a delete carried a body".into());
                }
                match self.connections.remove(&id) {
                    Some(_) => {
                        self.script = vec!["PENDING_DELETE", "PENDING_DELETE"];
                        Reply::Respond {
                            status: 204,
                            headers: vec![],
                            body: String::new(),
                        }
                    }
                    None => not_found(),
                }
            }
            (method, _) => {
                self.problems
                    .push(format!("unexpected {method} {}", request.path));
                not_found()
            }
        }
    }

    /// One page: connections after `marker` (by id), `limit` of them, and the next marker
    /// when more remain, as `page_info.next_marker`.
    fn list(&mut self, query: &str) -> Reply {
        let pairs: Vec<(&str, &str)> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.split_once('='))
            .collect();
        let get = |key: &str| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        let Some(limit) = get("limit").and_then(|l| l.parse::<usize>().ok()) else {
            self.problems
                .push(format!("list without a limit: `{query}`"));
            return not_found();
        };
        if pairs.iter().any(|(k, _)| !["limit", "marker"].contains(k)) {
            self.problems.push(format!("unexpected query `{query}`"));
        }
        let after: Vec<&Value> = self
            .connections
            .iter()
            .filter(|(id, _)| get("marker").is_none_or(|m| id.as_str() > m))
            .map(|(_, c)| c)
            .collect();
        let page: Vec<&Value> = after.iter().take(limit).copied().collect();
        let more = after.len() > limit;
        let mut info = json!({"current_count": page.len()});
        if more {
            info["next_marker"] = page.last().map(|c| c["id"].clone()).unwrap_or_default();
        }
        Reply::json(
            200,
            &json!({"vpn_connections": page, "page_info": info, "request_id": "r"}).to_string(),
        )
    }
}

fn connection(id: &str, status: &str, name: &str) -> Value {
    json!({
        "id": id,
        "name": name,
        "status": status,
        "vgw_id": "b32d91a4-1d5e-4a8d-9a86-e907174eb11d",
        "cgw_id": "5247ae10-9b2d-4a2f-9a86-dd36659a7f5d",
        "style": "STATIC",
        "peer_subnets": ["192.168.44.0/24"],
        "created_at": "2025-06-26T13:41:34.626Z"
    })
}

fn not_found() -> Reply {
    Reply::json(
        404,
        r#"{"error_code": "VPN.0002", "error_msg": "not found", "request_id": "r"}"#,
    )
}

fn start() -> (Server, Arc<Mutex<Cloud>>) {
    support::serve_state(Cloud::new(), Cloud::answer)
}

/// What every run must have sent, in order, whichever transport sent it.
fn check_traffic(server: &Server, cloud: &Mutex<Cloud>, id: &str) {
    support::no_problems(&cloud.lock().unwrap().problems);
    let base = format!("/v5/{PROJECT}/vpn-connection");
    let one = format!("{base}/{id}");
    let seen: Vec<(String, String, String)> = server
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path, r.query))
        .collect();
    let expected: Vec<(String, String, String)> = [
        ("POST", base.as_str(), ""),
        ("GET", one.as_str(), ""),
        ("GET", one.as_str(), ""),
        ("GET", one.as_str(), ""),
        ("GET", base.as_str(), "limit=2"),
        (
            "GET",
            base.as_str(),
            "limit=2&marker=00000000-0000-4000-8000-000000000001",
        ),
        (
            "GET",
            base.as_str(),
            "limit=2&marker=00000000-0000-4000-8000-000000000003",
        ),
        ("GET", one.as_str(), ""),
        ("PUT", one.as_str(), ""),
        ("DELETE", one.as_str(), ""),
        ("GET", one.as_str(), ""),
        ("GET", one.as_str(), ""),
        ("GET", one.as_str(), ""),
    ]
    .into_iter()
    .map(|(m, p, q)| (m.to_owned(), p.to_owned(), q.to_owned()))
    .collect();
    assert_eq!(seen, expected);
    let update = server
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .unwrap();
    let sent: Value = serde_json::from_slice(&update.body).unwrap();
    assert_eq!(sent, serde_json::from_str::<Value>(UPDATE).unwrap());
}

on_both_clients! {
    fn a_vpn_connection_lives_and_dies_on_the_blocking_client
        / a_vpn_connection_lives_and_dies_on_the_async_client()
    {
        let (server, cloud) = start();
        let client = client!(support::config(&server.url(), support::aksk()));
        let body: CreateVpnConnectionRequestBody = serde_json::from_str(CREATE).unwrap();
        let created = resolve!(client.create_vpn_connection(&CreateVpnConnectionParameters::new(), &body))
            .unwrap();
        let id = created.vpn_connection.unwrap().id.unwrap();

        let show = ShowVpnConnectionParameters::new(id.as_str());
        let active = resolve!(client.wait_until_vpn_connection_active(&show, fast())).unwrap();
        assert_eq!(
            active.vpn_connection.unwrap().status.unwrap().as_str(),
            "ACTIVE"
        );

        let all: Vec<String> = resolve!(client
            .list_vpn_connections_all(&ListVpnConnectionsParameters::new())
            .page_size(PAGE)
            .map(|item| item.unwrap().id.unwrap())
            .collect::<Vec<_>>());
        assert_eq!(all.len(), OTHERS + 1);
        assert_eq!(all.last(), Some(&id));

        let shown = resolve!(client.show_vpn_connection(&show)).unwrap();
        assert_eq!(
            shown.vpn_connection.unwrap().name.as_deref(),
            Some("vpn-new")
        );
        let update: UpdateVpnConnectionRequestBody = serde_json::from_str(UPDATE).unwrap();
        let updated = resolve!(client
            .update_vpn_connection(&UpdateVpnConnectionParameters::new(id.as_str()), &update))
            .unwrap();
        assert_eq!(
            updated.vpn_connection.unwrap().name.as_deref(),
            Some("renamed")
        );
        resolve!(client.delete_vpn_connection(&DeleteVpnConnectionParameters::new(id.as_str())))
            .unwrap();
        resolve!(client.wait_until_vpn_connection_deleted(&show, fast())).unwrap();

        check_traffic(&server, &cloud, &id);
    }
}

/// A connection that ends in `ERROR` fails the wait with a typed error naming the status,
/// and one that never settles times out naming the last status seen.
#[test]
fn waits_end_in_a_named_failure_or_a_timeout_with_the_last_status() {
    let (server, cloud) = start();
    let client = netapi::BlockingClient::new(support::config(&server.url(), support::aksk()));
    let id = "00000000-0000-4000-8000-000000000000";
    let show = ShowVpnConnectionParameters::new(id);
    cloud.lock().unwrap().script = vec!["PENDING_CREATE", "ERROR"];
    match client.wait_until_vpn_connection_active(&show, fast()) {
        Err(Error::WaitFailed { operation, status }) => {
            assert_eq!(
                (operation, status.as_str()),
                ("show_vpn_connection", "ERROR")
            );
        }
        other => panic!("{other:?}"),
    }
    cloud.lock().unwrap().script = vec!["PENDING_UPDATE"; 1000];
    let short = fast().with_timeout(Duration::from_millis(50));
    match client.wait_until_vpn_connection_active(&show, short) {
        Err(Error::WaitTimeout { last_status, .. }) => {
            assert_eq!(last_status.as_deref(), Some("PENDING_UPDATE"))
        }
        other => panic!("{other:?}"),
    }
}
