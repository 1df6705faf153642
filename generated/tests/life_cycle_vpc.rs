//! The life cycle of a VPC peering connection on both transports, and issue 18's two
//! cross-tenant end-to-end tests, against a loopback server that keeps the state of the
//! peerings of two tenants and checks every request it receives: method, path, query,
//! body, the AK/SK signature, and which tenant (X-Project-Id) may accept or refuse.
//!
//! - life cycle, own VPCs (no acceptance needed): create, wait until `ACTIVE`, list across
//!   Neutron-style pages (`peerings_links`), show, update, delete, wait until gone;
//! - cross-tenant, accepted: tenant A asks, its wait for `ACTIVE` times out on
//!   `PENDING_ACCEPTANCE`, tenant B accepts, A's wait ends in `ACTIVE`;
//! - cross-tenant, refused: B refuses; A's wait for `rejected` ends, and a wait for
//!   `ACTIVE` fails naming `REJECTED`.
//!
//! The waiters (`active`, `rejected`, `deleted`), `list_vpc_peerings_all` and the shared
//! `Peering` come from spec/vpc/resources/vpc_peering.yaml.

#![cfg(all(feature = "blocking", feature = "async"))]

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use netapi::Error;
use netapi::vpc::accept_vpc_peering::AcceptVpcPeeringParameters;
use netapi::vpc::create_vpc_peering::{CreateVpcPeeringParameters, CreateVpcPeeringRequestBody};
use netapi::vpc::delete_vpc_peering::DeleteVpcPeeringParameters;
use netapi::vpc::list_vpc_peerings::ListVpcPeeringsParameters;
use netapi::vpc::reject_vpc_peering::RejectVpcPeeringParameters;
use netapi::vpc::show_vpc_peering::ShowVpcPeeringParameters;
use netapi::vpc::update_vpc_peering::{UpdateVpcPeeringParameters, UpdateVpcPeeringRequestBody};
use serde_json::{Value, json};
use support::{ACCESS_KEY, PROJECT, Received, Reply, SECRET_KEY, Server, fast};

/// The peer tenant's project, for the cross-tenant tests.
const PEER_PROJECT: &str = "059a737356594b41b447b557bf0aae56";
const VPC_A: &str = "9daeac7c-a98f-430f-8e38-67f9c044e299";
const VPC_A2: &str = "5e8a1c23-3b1f-4a3e-9a3c-0d6f4d8e7b10";
const VPC_B: &str = "f583c072-0bb8-4e19-afb2-afb7c1693be5";

const CREATE_OWN: &str = r#"{"peering": {"name": "peering-new", "request_vpc_info": {"vpc_id": "9daeac7c-a98f-430f-8e38-67f9c044e299"}, "accept_vpc_info": {"vpc_id": "5e8a1c23-3b1f-4a3e-9a3c-0d6f4d8e7b10"}}}"#;
const CREATE_CROSS: &str = r#"{"peering": {"name": "peering-cross", "request_vpc_info": {"vpc_id": "9daeac7c-a98f-430f-8e38-67f9c044e299"}, "accept_vpc_info": {"vpc_id": "f583c072-0bb8-4e19-afb2-afb7c1693be5", "tenant_id": "059a737356594b41b447b557bf0aae56"}}}"#;
const UPDATE: &str =
    r#"{"peering": {"name": "peering-renamed", "description": "renamed by the life-cycle test"}}"#;

/// How many peerings the tenant already has: with pages of two, the list takes three.
const OTHERS: usize = 4;
const PAGE: u32 = 2;

struct Entry {
    value: Value,
    /// Reads left before a deleted peering answers 404 (it shows `DELETED` meanwhile).
    deleting: Option<usize>,
}

/// The server's state: peerings by id (created ones sort last).
#[derive(Default)]
struct Cloud {
    peerings: BTreeMap<String, Entry>,
    created: usize,
    problems: Vec<String>,
}

fn other_id(n: usize) -> String {
    format!("00000000-0000-4000-8000-{n:012x}")
}

impl Cloud {
    fn new() -> Cloud {
        let mut cloud = Cloud::default();
        for n in 0..OTHERS {
            let id = other_id(n);
            let value = peering(
                &id,
                &format!("other-{n}"),
                "ACTIVE",
                (VPC_A, PROJECT),
                (VPC_A2, PROJECT),
            );
            cloud.peerings.insert(
                id,
                Entry {
                    value,
                    deleting: None,
                },
            );
        }
        cloud
    }

    /// Answers one request, noting anything it did not expect.
    fn answer(&mut self, request: &Received) -> Reply {
        if let Err(problem) = request.verify_signature(ACCESS_KEY, SECRET_KEY) {
            self.problems
                .push(format!("{} {}: {problem}", request.method, request.path));
        }
        let tenant = request.header("x-project-id").unwrap_or("").to_owned();
        if tenant != PROJECT && tenant != PEER_PROJECT {
            self.problems.push(format!(
                "{} {}: project `{tenant}`",
                request.method, request.path
            ));
        }
        let bodyless = matches!(request.method.as_str(), "GET" | "DELETE")
            || request.path.ends_with("/accept")
            || request.path.ends_with("/reject");
        if bodyless && !request.body.is_empty() {
            self.problems.push(format!(
                "{} {} carried a body",
                request.method, request.path
            ));
        }
        let base = "/v2.0/vpc/peerings";
        let rest = request.path.strip_prefix(base).unwrap_or("!");
        let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        match (request.method.as_str(), parts.as_slice()) {
            ("POST", []) if rest.is_empty() => {
                let sent = &body["peering"];
                let accept_tenant = sent["accept_vpc_info"]["tenant_id"]
                    .as_str()
                    .unwrap_or(&tenant)
                    .to_owned();
                if sent["request_vpc_info"]["vpc_id"] != VPC_A {
                    self.problems.push(format!("create body {body}"));
                }
                self.created += 1;
                let id = format!("ffffffff-0000-4000-8000-{:012x}", self.created);
                // Between VPCs of one tenant the connection is ACTIVE at once; with another
                // tenant's VPC it waits for that tenant (the create page, seed 002).
                let status = if accept_tenant == tenant {
                    "ACTIVE"
                } else {
                    "PENDING_ACCEPTANCE"
                };
                let accept_vpc = sent["accept_vpc_info"]["vpc_id"].as_str().unwrap_or("");
                let value = peering(
                    &id,
                    sent["name"].as_str().unwrap_or(""),
                    status,
                    (VPC_A, tenant.as_str()),
                    (accept_vpc, accept_tenant.as_str()),
                );
                self.peerings.insert(
                    id,
                    Entry {
                        value: value.clone(),
                        deleting: None,
                    },
                );
                Reply::json(201, &json!({"peering": value}).to_string())
            }
            ("GET", []) if rest.is_empty() => self.list(&request.query, &request.url_base()),
            ("GET", [id]) => {
                let deleting = match self.peerings.get(*id) {
                    Some(entry) => entry.deleting,
                    None => return not_found(),
                };
                match deleting {
                    Some(0) => {
                        self.peerings.remove(*id);
                        not_found()
                    }
                    Some(left) => {
                        let entry = self.peerings.get_mut(*id).unwrap();
                        entry.deleting = Some(left - 1);
                        let mut shown = entry.value.clone();
                        shown["status"] = json!("DELETED");
                        Reply::json(200, &json!({"peering": shown}).to_string())
                    }
                    None => Reply::json(
                        200,
                        &json!({"peering": self.peerings[*id].value}).to_string(),
                    ),
                }
            }
            ("PUT", [id]) => match self.peerings.get_mut(*id) {
                Some(found) => {
                    for (field, value) in body["peering"].as_object().into_iter().flatten() {
                        found.value[field] = value.clone();
                    }
                    Reply::json(200, &json!({"peering": found.value}).to_string())
                }
                None => not_found(),
            },
            ("PUT", [id, action @ ("accept" | "reject")]) => {
                let Some(found) = self.peerings.get_mut(*id) else {
                    return not_found();
                };
                // Only the peer tenant answers a request, and only a pending one.
                if found.value["accept_vpc_info"]["tenant_id"] != tenant.as_str()
                    || found.value["status"] != "PENDING_ACCEPTANCE"
                {
                    self.problems.push(format!(
                        "{action} of {id} by `{tenant}` in {}",
                        found.value["status"]
                    ));
                    return Reply::json(
                        409,
                        r#"{"NeutronError": {"type": "Conflict", "message": "not acceptable", "detail": ""}}"#,
                    );
                }
                found.value["status"] = json!(if *action == "accept" {
                    "ACTIVE"
                } else {
                    "REJECTED"
                });
                // accept and reject return the peering itself, not wrapped (their Table 2).
                Reply::json(200, &found.value.to_string())
            }
            ("DELETE", [id]) => match self.peerings.get_mut(*id) {
                Some(found) if found.deleting.is_none() => {
                    found.deleting = Some(1);
                    Reply::Respond {
                        status: 204,
                        headers: vec![],
                        body: String::new(),
                    }
                }
                _ => not_found(),
            },
            (method, _) => {
                self.problems
                    .push(format!("unexpected {method} {}", request.path));
                not_found()
            }
        }
    }

    /// One Neutron-style page: the peerings after `marker` (by id), `limit` of them, and a
    /// `next` link carrying the last id as the marker when more remain.
    fn list(&mut self, query: &str, url: &str) -> Reply {
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
            .peerings
            .iter()
            .filter(|(id, e)| e.deleting.is_none() && get("marker").is_none_or(|m| id.as_str() > m))
            .map(|(_, e)| &e.value)
            .collect();
        let page: Vec<&Value> = after.iter().take(limit).copied().collect();
        let mut links = vec![];
        if after.len() > limit {
            let last = page.last().and_then(|p| p["id"].as_str()).unwrap_or("");
            links.push(json!({"rel": "next", "href": format!("{url}/v2.0/vpc/peerings?limit={limit}&marker={last}")}));
        }
        Reply::json(
            200,
            &json!({"peerings": page, "peerings_links": links}).to_string(),
        )
    }
}

/// The `scheme://host:port` a request was sent to, for the links the server writes.
trait UrlBase {
    fn url_base(&self) -> String;
}

impl UrlBase for Received {
    fn url_base(&self) -> String {
        format!("http://{}", self.header("host").unwrap_or("127.0.0.1"))
    }
}

fn peering(
    id: &str,
    name: &str,
    status: &str,
    request: (&str, &str),
    accept: (&str, &str),
) -> Value {
    json!({
        "id": id,
        "name": name,
        "status": status,
        "request_vpc_info": {"vpc_id": request.0, "tenant_id": request.1},
        "accept_vpc_info": {"vpc_id": accept.0, "tenant_id": accept.1},
        "created_at": "2025-06-26T13:41:34",
        "updated_at": "2025-06-26T13:41:34"
    })
}

fn not_found() -> Reply {
    Reply::json(
        404,
        r#"{"NeutronError": {"type": "PeeringNotFound", "message": "not found", "detail": ""}}"#,
    )
}

fn start() -> (Server, Arc<Mutex<Cloud>>) {
    support::serve_state(Cloud::new(), Cloud::answer)
}

/// A client of tenant A (the requester) or of tenant B (the peer).
fn config(server: &Server, project: &str) -> netapi::Config {
    support::config(&server.url(), support::aksk()).with_project_id(project)
}

fn no_problems(cloud: &Mutex<Cloud>) {
    support::no_problems(&cloud.lock().unwrap().problems);
}

/// A query as a sorted list of pairs: the order of the parameters is not the contract.
fn pairs(query: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_owned(), v.to_owned())
        })
        .collect();
    pairs.sort();
    pairs
}

/// One request as the checks compare it: method, path and the query as sorted pairs.
type Seen = (String, String, Vec<(String, String)>);

fn check_life_cycle_traffic(server: &Server, cloud: &Mutex<Cloud>, id: &str) {
    no_problems(cloud);
    let base = "/v2.0/vpc/peerings".to_owned();
    let one = format!("{base}/{id}");
    let seen: Vec<Seen> = server
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path, pairs(&r.query)))
        .collect();
    let expected: Vec<Seen> = [
        ("POST", &base, String::new()),
        ("GET", &one, String::new()),
        ("GET", &base, "limit=2".to_owned()),
        ("GET", &base, format!("limit=2&marker={}", other_id(1))),
        ("GET", &base, format!("limit=2&marker={}", other_id(3))),
        ("GET", &one, String::new()),
        ("PUT", &one, String::new()),
        ("DELETE", &one, String::new()),
        ("GET", &one, String::new()),
        ("GET", &one, String::new()),
    ]
    .into_iter()
    .map(|(m, p, q)| (m.to_owned(), p.clone(), pairs(&q)))
    .collect();
    assert_eq!(seen, expected);
    let bodies: Vec<Value> = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" || r.method == "PUT")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(
        bodies,
        [
            serde_json::from_str::<Value>(CREATE_OWN).unwrap(),
            serde_json::from_str(UPDATE).unwrap()
        ]
    );
}

// The steps, written once for both transports: they run inside `on_both_clients!`, whose
// `resolve!` awaits a call on the async client only.
macro_rules! peering_life_cycle {
    ($client:expr) => {{
        let client = $client;
        let body: CreateVpcPeeringRequestBody = serde_json::from_str(CREATE_OWN).unwrap();
        let created =
            resolve!(client.create_vpc_peering(&CreateVpcPeeringParameters::new(), &body)).unwrap();
        let id = created.peering.unwrap().id.unwrap();

        let show = ShowVpcPeeringParameters::new(id.as_str());
        let active = resolve!(client.wait_until_vpc_peering_active(&show, fast())).unwrap();
        assert_eq!(active.peering.unwrap().status.unwrap().as_str(), "ACTIVE");

        let all: Vec<String> = resolve!(
            client
                .list_vpc_peerings_all(&ListVpcPeeringsParameters::new())
                .page_size(PAGE)
                .map(|item| item.unwrap().id.unwrap())
                .collect::<Vec<_>>()
        );
        assert_eq!(all.len(), OTHERS + 1);
        assert_eq!(all.last(), Some(&id));

        let shown = resolve!(client.show_vpc_peering(&show))
            .unwrap()
            .peering
            .unwrap();
        assert_eq!(shown.name.as_deref(), Some("peering-new"));
        assert_eq!(
            shown.accept_vpc_info.unwrap().vpc_id.as_deref(),
            Some(VPC_A2)
        );
        let update: UpdateVpcPeeringRequestBody = serde_json::from_str(UPDATE).unwrap();
        let updated = resolve!(
            client.update_vpc_peering(&UpdateVpcPeeringParameters::new(id.as_str()), &update)
        )
        .unwrap();
        assert_eq!(
            updated.peering.unwrap().name.as_deref(),
            Some("peering-renamed")
        );
        resolve!(client.delete_vpc_peering(&DeleteVpcPeeringParameters::new(id.as_str()))).unwrap();
        resolve!(client.wait_until_vpc_peering_deleted(&show, fast())).unwrap();
        id
    }};
}

on_both_clients! {
    fn a_vpc_peering_lives_and_dies_on_the_blocking_client
        / a_vpc_peering_lives_and_dies_on_the_async_client()
    {
        let (server, cloud) = start();
        let id = peering_life_cycle!(client!(config(&server, PROJECT)));
        check_life_cycle_traffic(&server, &cloud, &id);
    }
}

/// Tenant A asks for a peering with tenant B's VPC; the peering waits for B.
fn ask_across_tenants(a: &netapi::BlockingClient) -> String {
    let body: CreateVpcPeeringRequestBody = serde_json::from_str(CREATE_CROSS).unwrap();
    let created = a
        .create_vpc_peering(&CreateVpcPeeringParameters::new(), &body)
        .unwrap();
    let created = created.peering.unwrap();
    assert_eq!(created.status.unwrap().as_str(), "PENDING_ACCEPTANCE");
    let peer = created.accept_vpc_info.unwrap();
    assert_eq!(
        (peer.vpc_id.as_deref(), peer.tenant_id.as_deref()),
        (Some(VPC_B), Some(PEER_PROJECT))
    );
    created.id.unwrap()
}

/// The (method, path, project) of every request that is not a poll.
fn changes(server: &Server) -> Vec<(String, String, String)> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .map(|r| {
            let project = r.header("x-project-id").unwrap_or("").to_owned();
            (r.method, r.path, project)
        })
        .collect()
}

/// Issue 18's second end-to-end test: a cross-tenant peering, accepted. Until tenant B
/// accepts, A's wait for `ACTIVE` can only time out, naming `PENDING_ACCEPTANCE`; after,
/// it ends with the active peering, which both tenants then see.
#[test]
fn a_cross_tenant_peering_is_created_and_accepted() {
    let (server, cloud) = start();
    let a = netapi::BlockingClient::new(config(&server, PROJECT));
    let b = netapi::BlockingClient::new(config(&server, PEER_PROJECT));
    let id = ask_across_tenants(&a);
    let show = ShowVpcPeeringParameters::new(id.as_str());

    let short = fast().with_timeout(Duration::from_millis(30));
    match a.wait_until_vpc_peering_active(&show, short) {
        Err(Error::WaitTimeout { last_status, .. }) => {
            assert_eq!(last_status.as_deref(), Some("PENDING_ACCEPTANCE"))
        }
        other => panic!("{other:?}"),
    }

    // accept returns the peering itself, unwrapped.
    let accepted = b
        .accept_vpc_peering(&AcceptVpcPeeringParameters::new(id.as_str()))
        .unwrap();
    assert_eq!(accepted.status.unwrap().as_str(), "ACTIVE");
    assert_eq!(
        accepted.accept_vpc_info.unwrap().tenant_id.as_deref(),
        Some(PEER_PROJECT)
    );

    let active = a
        .wait_until_vpc_peering_active(&show, fast())
        .unwrap()
        .peering
        .unwrap();
    assert_eq!(
        (active.id.as_deref(), active.status.unwrap().as_str()),
        (Some(id.as_str()), "ACTIVE")
    );
    let seen_by_b = b.show_vpc_peering(&show).unwrap().peering.unwrap();
    assert_eq!(
        seen_by_b.request_vpc_info.unwrap().tenant_id.as_deref(),
        Some(PROJECT)
    );

    no_problems(&cloud);
    let path = format!("/v2.0/vpc/peerings/{id}/accept");
    assert_eq!(
        changes(&server),
        [
            (
                "POST".to_owned(),
                "/v2.0/vpc/peerings".to_owned(),
                PROJECT.to_owned()
            ),
            ("PUT".to_owned(), path, PEER_PROJECT.to_owned()),
        ]
    );
    let create = server
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&create.body).unwrap(),
        serde_json::from_str::<Value>(CREATE_CROSS).unwrap()
    );
}

/// Issue 18's third end-to-end test: a cross-tenant peering, refused. A's wait for the
/// `rejected` state ends with the refused peering, and a wait for `ACTIVE` fails with the
/// typed error naming `REJECTED`; then A deletes it and waits until it is gone.
#[test]
fn a_cross_tenant_peering_is_refused() {
    let (server, cloud) = start();
    let a = netapi::BlockingClient::new(config(&server, PROJECT));
    let b = netapi::BlockingClient::new(config(&server, PEER_PROJECT));
    let id = ask_across_tenants(&a);
    let show = ShowVpcPeeringParameters::new(id.as_str());

    let refused = b
        .reject_vpc_peering(&RejectVpcPeeringParameters::new(id.as_str()))
        .unwrap();
    assert_eq!(refused.status.unwrap().as_str(), "REJECTED");

    let rejected = a.wait_until_vpc_peering_rejected(&show, fast()).unwrap();
    assert_eq!(
        rejected.peering.unwrap().status.unwrap().as_str(),
        "REJECTED"
    );
    match a.wait_until_vpc_peering_active(&show, fast()) {
        Err(Error::WaitFailed { operation, status }) => {
            assert_eq!(
                (operation, status.as_str()),
                ("show_vpc_peering", "REJECTED")
            );
        }
        other => panic!("{other:?}"),
    }

    a.delete_vpc_peering(&DeleteVpcPeeringParameters::new(id.as_str()))
        .unwrap();
    a.wait_until_vpc_peering_deleted(&show, fast()).unwrap();

    no_problems(&cloud);
    assert!(!cloud.lock().unwrap().peerings.contains_key(&id));
    assert_eq!(
        changes(&server),
        [
            (
                "POST".to_owned(),
                "/v2.0/vpc/peerings".to_owned(),
                PROJECT.to_owned()
            ),
            (
                "PUT".to_owned(),
                format!("/v2.0/vpc/peerings/{id}/reject"),
                PEER_PROJECT.to_owned()
            ),
            (
                "DELETE".to_owned(),
                format!("/v2.0/vpc/peerings/{id}"),
                PROJECT.to_owned()
            ),
        ]
    );
}
