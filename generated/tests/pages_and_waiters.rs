//! Bodyless calls, paginated lists and waiters on both transports, against a loopback
//! server that answers each request from what it received (the marker, the poll count).
//!
//! The operations are written by hand here, shaped as generated code writes them, so these
//! tests hold the runtime's contract (`Paginated`, `Waiter`, the bodyless calls) apart from
//! the generator; `life_cycle*.rs` runs the generated ones.

#![cfg(all(feature = "blocking", feature = "async"))]

mod support;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use futures_util::StreamExt;
use netapi::runtime::client::{PageProblem, build_bodyless_request, read_response};
use netapi::runtime::operation::{
    Context, Descriptor, Operation, PartsError, Query, RequestParts, ResponseVisitor,
};
use netapi::runtime::paginate::{Page, Paginated};
use netapi::runtime::validate::{Path, Validate, Violations};
use netapi::runtime::wait::{Poll, Step, WaitOptions, Waiter};
use netapi::{AsyncClient, BlockingClient, Error};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------
// Hand-written operations, shaped as the generator will emit them.

/// The parameters of a show or delete: the resource id, in the path.
#[derive(Clone, Debug, PartialEq)]
struct IdParams {
    id: String,
}

impl Validate for IdParams {
    fn validate_at(&self, _at: &Path<'_>, _out: &mut Violations) {}
}

/// The parameters of a list: page size, marker and (Neutron) page direction.
#[derive(Clone, Debug, Default, PartialEq)]
struct ListParams {
    limit: Option<u32>,
    marker: Option<String>,
    page_reverse: Option<bool>,
}

impl Validate for ListParams {
    fn validate_at(&self, _at: &Path<'_>, _out: &mut Violations) {}
}

fn list_parts(params: &ListParams, path: &str) -> RequestParts {
    let mut query = Query::new();
    if let Some(limit) = params.limit {
        query.push("limit", limit.to_string());
    }
    if let Some(marker) = &params.marker {
        query.push("marker", marker);
    }
    if let Some(reverse) = params.page_reverse {
        query.push("page_reverse", reverse.to_string());
    }
    RequestParts {
        path: path.to_owned(),
        query,
        headers: Vec::new(),
    }
}

const fn descriptor(
    id: &'static str,
    method: &'static str,
    path: &'static str,
    responses: &'static [(u16, Option<&'static str>)],
    success: &'static [u16],
) -> Descriptor {
    Descriptor {
        id,
        title: id,
        service: "vpn",
        method,
        path,
        success,
        request_type: None,
        responses,
        page: "hand-written",
    }
}

/// `GET /v5/{project_id}/things/{id}`.
struct ShowThing;

impl Operation for ShowThing {
    type Parameters = IdParams;
    type Request = ();
    type Response = Value;
    const DESCRIPTOR: Descriptor = descriptor(
        "show_thing",
        "GET",
        "/v5/{project_id}/things/{id}",
        &[(200, Some("Value")), (404, None)],
        &[200],
    );

    fn request_parts(params: &IdParams, context: &Context<'_>) -> Result<RequestParts, PartsError> {
        let project = context.project_id.ok_or(PartsError::MissingProjectId)?;
        Ok(RequestParts {
            path: format!("/v5/{project}/things/{}", params.id),
            ..RequestParts::default()
        })
    }

    fn visit_response<V: ResponseVisitor>(_status: u16, _visitor: V) -> Option<V::Output> {
        None
    }
}

/// `DELETE /v5/{project_id}/things/{id}`, answered by an empty 204.
struct DeleteThing;

impl Operation for DeleteThing {
    type Parameters = IdParams;
    type Request = ();
    type Response = ();
    const DESCRIPTOR: Descriptor = descriptor(
        "delete_thing",
        "DELETE",
        "/v5/{project_id}/things/{id}",
        &[(204, None)],
        &[204],
    );

    fn request_parts(params: &IdParams, context: &Context<'_>) -> Result<RequestParts, PartsError> {
        ShowThing::request_parts(params, context)
    }

    fn visit_response<V: ResponseVisitor>(_status: u16, _visitor: V) -> Option<V::Output> {
        None
    }
}

/// `GET /v5/{project_id}/things?limit&marker`, chained by `page_info.next_marker`.
struct ListThings;

impl Operation for ListThings {
    type Parameters = ListParams;
    type Request = ();
    type Response = Value;
    const DESCRIPTOR: Descriptor = descriptor(
        "list_things",
        "GET",
        "/v5/{project_id}/things",
        &[(200, Some("Value"))],
        &[200],
    );

    fn request_parts(
        params: &ListParams,
        context: &Context<'_>,
    ) -> Result<RequestParts, PartsError> {
        let project = context.project_id.ok_or(PartsError::MissingProjectId)?;
        Ok(list_parts(params, &format!("/v5/{project}/things")))
    }

    fn visit_response<V: ResponseVisitor>(_status: u16, _visitor: V) -> Option<V::Output> {
        None
    }
}

/// The ids of a page's items, as the typed field would give them.
fn ids(items: &Value) -> Vec<String> {
    items
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| item["id"].as_str().map(str::to_owned))
        .collect()
}

// What generated code emits per list operation: the item type, the page size and marker
// parameters, and where the items and the next marker are.
impl Paginated for ListThings {
    type Item = String;

    fn page_size(params: &ListParams) -> Option<u32> {
        params.limit
    }

    fn set_page_size(params: &mut ListParams, size: u32) {
        params.limit = Some(size);
    }

    fn set_marker(params: &mut ListParams, marker: String) {
        params.marker = Some(marker);
    }

    fn into_page(response: Value) -> Page<String> {
        Page::next_marker(
            ids(&response["things"]),
            response["page_info"]["next_marker"]
                .as_str()
                .map(str::to_owned),
        )
    }
}

/// `GET /v2.0/things?limit&marker&page_reverse`, chained by Neutron's `things_links`.
struct ListNeutronThings;

impl Operation for ListNeutronThings {
    type Parameters = ListParams;
    type Request = ();
    type Response = Value;
    const DESCRIPTOR: Descriptor = descriptor(
        "list_neutron_things",
        "GET",
        "/v2.0/things",
        &[(200, Some("Value"))],
        &[200],
    );

    fn request_parts(
        params: &ListParams,
        _context: &Context<'_>,
    ) -> Result<RequestParts, PartsError> {
        Ok(list_parts(params, "/v2.0/things"))
    }

    fn visit_response<V: ResponseVisitor>(_status: u16, _visitor: V) -> Option<V::Output> {
        None
    }
}

impl Paginated for ListNeutronThings {
    type Item = String;

    fn page_size(params: &ListParams) -> Option<u32> {
        params.limit
    }

    fn set_page_size(params: &mut ListParams, size: u32) {
        params.limit = Some(size);
    }

    fn set_marker(params: &mut ListParams, marker: String) {
        params.marker = Some(marker);
    }

    fn into_page(response: Value) -> Page<String> {
        let links = response["things_links"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        Page::links(
            ids(&response["things"]),
            links
                .iter()
                .filter_map(|link| Some((link["rel"].as_str()?, link["href"].as_str()?))),
        )
    }
}

/// What generated code emits per waiter: the show operation, the values, the status field.
struct ThingActive;

impl Waiter for ThingActive {
    type Operation = ShowThing;
    const DONE: &'static [&'static str] = &["ACTIVE"];
    const FAILED: &'static [&'static str] = &["ERROR"];

    fn status(response: &Value) -> Option<&str> {
        response["thing"]["status"].as_str()
    }
}

// ---------------------------------------------------------------------------------------
// The loopback server is the suite's (`support::Server::serve`); these scenarios answer from
// the request and its index, and read what was received back.

use support::{Received, Server};

/// Answers every request with `handler(request, index of the request)`.
fn start(handler: impl Fn(&Received, usize) -> (u16, String) + Send + 'static) -> Server {
    let count = AtomicUsize::new(0);
    Server::serve(move |request| {
        let (status, body) = handler(request, count.fetch_add(1, Ordering::SeqCst));
        support::Reply::json(status, &body)
    })
}

/// The query string of each request received, in order.
fn queries(server: &Server) -> Vec<String> {
    server.requests().into_iter().map(|r| r.query).collect()
}

// ---------------------------------------------------------------------------------------
// Both transports behind one interface, so each scenario runs on each.

#[derive(Clone, Copy, Debug)]
enum Transport {
    Blocking,
    Async,
}

const BOTH: [Transport; 2] = [Transport::Blocking, Transport::Async];

fn config(server: &Server) -> netapi::Config {
    support::config(&server.url(), support::token())
}

/// Every item of list `O` the transport yields, up to `take`, errors included.
fn walk<O>(
    transport: Transport,
    server: &Server,
    params: ListParams,
    page_size: Option<u32>,
    take: usize,
) -> Vec<Result<String, Error>>
where
    O: Paginated<Parameters = ListParams, Item = String> + 'static,
    O::Response: Send,
{
    match transport {
        Transport::Blocking => {
            let client = BlockingClient::new(config(server));
            let mut pages = client.pages::<O>(params);
            if let Some(size) = page_size {
                pages = pages.page_size(size);
            }
            pages.take(take).collect()
        }
        Transport::Async => support::run(async {
            let client = AsyncClient::new(config(server)).unwrap();
            let mut pages = client.pages::<O>(params);
            if let Some(size) = page_size {
                pages = pages.page_size(size);
            }
            // Through `Stream`, as users of futures' combinators read it.
            pages.take(take).collect().await
        }),
    }
}

fn wait(transport: Transport, server: &Server, options: &WaitOptions) -> Result<Value, Error> {
    let params = IdParams {
        id: "t-1".to_owned(),
    };
    match transport {
        Transport::Blocking => {
            BlockingClient::new(config(server)).wait::<ThingActive>(&params, options)
        }
        Transport::Async => support::run(async {
            AsyncClient::new(config(server))
                .unwrap()
                .wait::<ThingActive>(&params, options)
                .await
        }),
    }
}

fn wait_gone(transport: Transport, server: &Server, options: &WaitOptions) -> Result<(), Error> {
    let params = IdParams {
        id: "t-1".to_owned(),
    };
    match transport {
        Transport::Blocking => {
            BlockingClient::new(config(server)).wait_until_gone::<ThingActive>(&params, options)
        }
        Transport::Async => support::run(async {
            AsyncClient::new(config(server))
                .unwrap()
                .wait_until_gone::<ThingActive>(&params, options)
                .await
        }),
    }
}

fn ok(items: &[Result<String, Error>]) -> Vec<&str> {
    items
        .iter()
        .map(|item| {
            item.as_ref()
                .map(String::as_str)
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Bodyless calls.

#[test]
fn bodyless_calls_send_no_body_and_read_an_empty_204_on_both_transports() {
    for transport in BOTH {
        let server = start(|_, _| (204, String::new()));
        let params = IdParams {
            id: "t-1".to_owned(),
        };
        let result = match transport {
            Transport::Blocking => {
                BlockingClient::new(config(&server)).call_bodyless::<DeleteThing>(&params)
            }
            Transport::Async => support::run(async {
                AsyncClient::new(config(&server))
                    .unwrap()
                    .call_bodyless::<DeleteThing>(&params)
                    .await
            }),
        };
        result.unwrap_or_else(|e| panic!("{transport:?}: {e}"));
        let seen = server.requests();
        assert_eq!(seen.len(), 1, "{transport:?}");
        assert_eq!(
            (seen[0].method.as_str(), seen[0].path.as_str()),
            (
                "DELETE",
                format!("/v5/{}/things/t-1", support::PROJECT).as_str()
            )
        );
        assert!(seen[0].body.is_empty(), "{transport:?}");
        assert_eq!(seen[0].header("content-type"), None, "{transport:?}");
    }
}

#[test]
fn the_sans_io_core_builds_bodyless_requests_without_a_body_argument() {
    let config = support::config("https://vpn.example", support::token());
    let request = build_bodyless_request::<ShowThing>(
        &config,
        &IdParams {
            id: "t-1".to_owned(),
        },
        SystemTime::now(),
    )
    .unwrap();
    assert_eq!(request.method(), "GET");
    assert!(request.body().is_empty());
    assert!(request.headers().get("content-type").is_none());
    let empty = http::Response::builder()
        .status(204)
        .body(Vec::new())
        .unwrap();
    read_response::<DeleteThing>(empty).unwrap();
    let gone = http::Response::builder()
        .status(404)
        .body(b"{}".to_vec())
        .unwrap();
    assert!(matches!(read_response::<ShowThing>(gone), Err(Error::Api(api)) if api.status == 404));
}

// ---------------------------------------------------------------------------------------
// Paginated lists.

/// Three pages of two, two and one items in the `page_info` style, served only for the
/// markers the walk must send; anything else is a 400 the walk would report.
fn v5_server() -> Server {
    start(|seen, _| {
        let page = |ids: &[&str], next: &str| {
            let things: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
            (200, json!({"things": things, "page_info": {"next_marker": next, "current_count": ids.len()}}).to_string())
        };
        match seen.query.as_str() {
            "limit=2" => page(&["a", "b"], "2025-06-09T07:24:27.674Z"),
            "limit=2&marker=2025-06-09T07%3A24%3A27.674Z" => page(&["c", "d"], "m/2"),
            "limit=2&marker=m%2F2" => page(&["e"], "m/3"),
            other => (
                400,
                json!({"error_code": "VPN.0001", "error_msg": format!("unexpected query {other}")})
                    .to_string(),
            ),
        }
    })
}

#[test]
fn a_page_info_list_walks_three_pages_with_the_markers_and_limit_it_was_given() {
    for transport in BOTH {
        let server = v5_server();
        let items = walk::<ListThings>(
            transport,
            &server,
            ListParams::default(),
            Some(2),
            usize::MAX,
        );
        assert_eq!(ok(&items), ["a", "b", "c", "d", "e"], "{transport:?}");
        // The third page is shorter than the page size: the last, whatever its marker says.
        assert_eq!(
            queries(&server),
            [
                "limit=2",
                "limit=2&marker=2025-06-09T07%3A24%3A27.674Z",
                "limit=2&marker=m%2F2"
            ],
            "{transport:?}"
        );
        // A page size set in the parameters counts as well.
        let server = v5_server();
        let items = walk::<ListThings>(
            transport,
            &server,
            ListParams {
                limit: Some(2),
                ..ListParams::default()
            },
            None,
            usize::MAX,
        );
        assert_eq!(ok(&items).len(), 5, "{transport:?}");
        assert_eq!(server.requests().len(), 3, "{transport:?}");
    }
}

#[test]
fn pages_are_requested_lazily() {
    for transport in BOTH {
        let server = v5_server();
        let items = walk::<ListThings>(transport, &server, ListParams::default(), Some(2), 3);
        assert_eq!(ok(&items), ["a", "b", "c"], "{transport:?}");
        assert_eq!(
            server.requests().len(),
            2,
            "{transport:?}: the third page was not asked for"
        );
    }
}

/// Three pages in Neutron's style, reversed: the `next` links point at another host, carry
/// the marker percent- and form-encoded, and the last page has only a `previous` link.
fn neutron_server() -> Server {
    start(|seen, _| {
        let page = |ids: &[&str], links: Value| {
            let things: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
            (
                200,
                json!({"things": things, "things_links": links}).to_string(),
            )
        };
        match seen.query.as_str() {
            "limit=2&page_reverse=true" => page(&["z", "y"], json!([{"rel": "next", "href": "https://elsewhere.example/v2.0/things?limit=2&marker=y%2F1&page_reverse=True"}])),
            "limit=2&marker=y%2F1&page_reverse=true" => page(
                &["x", "w"],
                json!([{"rel": "previous", "href": "https://elsewhere.example/v2.0/things?marker=x&page_reverse=False"}, {"rel": "next", "href": "https://elsewhere.example/v2.0/things?limit=2&marker=w+2&page_reverse=True#top"}]),
            ),
            "limit=2&marker=w%202&page_reverse=true" => page(&["v"], json!([{"rel": "previous", "href": "https://elsewhere.example/v2.0/things?marker=v"}])),
            other => (400, json!({"NeutronError": {"type": "HTTPBadRequest", "message": format!("unexpected query {other}"), "detail": ""}}).to_string()),
        }
    })
}

#[test]
fn a_neutron_list_walks_three_pages_following_the_markers_of_its_next_links() {
    for transport in BOTH {
        let server = neutron_server();
        let params = ListParams {
            limit: Some(2),
            page_reverse: Some(true),
            ..ListParams::default()
        };
        let items = walk::<ListNeutronThings>(transport, &server, params, None, usize::MAX);
        assert_eq!(ok(&items), ["z", "y", "x", "w", "v"], "{transport:?}");
        // Every request went to the loopback server, never to the links' host.
        assert_eq!(
            queries(&server),
            [
                "limit=2&page_reverse=true",
                "limit=2&marker=y%2F1&page_reverse=true",
                "limit=2&marker=w%202&page_reverse=true"
            ],
            "{transport:?}"
        );
    }
}

#[test]
fn a_repeated_marker_ends_the_walk_with_a_typed_error_instead_of_a_loop() {
    for transport in BOTH {
        // The server hands out the same next marker for ever.
        let server = start(|seen, _| {
            let id = if seen.query.contains("marker") {
                "b"
            } else {
                "a"
            };
            (
                200,
                json!({"things": [{"id": id}], "page_info": {"next_marker": "same"}}).to_string(),
            )
        });
        let items = walk::<ListThings>(transport, &server, ListParams::default(), None, 100);
        assert_eq!(items.len(), 3, "{transport:?}: {items:?}");
        assert_eq!(ok(&items[..2]), ["a", "b"], "{transport:?}");
        match &items[2] {
            Err(Error::Pagination {
                operation: "list_things",
                problem: PageProblem::RepeatedMarker(marker),
            }) => assert_eq!(marker, "same"),
            other => panic!("{transport:?}: {other:?}"),
        }
        assert_eq!(server.requests().len(), 2, "{transport:?}");
        assert!(
            items[2]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("repeated the marker `same`"),
            "{transport:?}"
        );
    }
}

#[test]
fn an_error_mid_way_is_yielded_after_the_items_before_it_and_ends_the_walk() {
    for transport in BOTH {
        let server = start(|_, index| match index {
            0 => (
                200,
                json!({"things": [{"id": "a"}, {"id": "b"}], "page_info": {"next_marker": "b"}})
                    .to_string(),
            ),
            _ => (
                500,
                json!({"error_code": "VPN.5000", "error_msg": "internal"}).to_string(),
            ),
        });
        let items = walk::<ListThings>(transport, &server, ListParams::default(), Some(2), 100);
        assert_eq!(items.len(), 3, "{transport:?}: {items:?}");
        assert_eq!(ok(&items[..2]), ["a", "b"]);
        assert!(
            matches!(&items[2], Err(Error::Api(api)) if api.status == 500),
            "{transport:?}: {:?}",
            items[2]
        );
        assert_eq!(
            server.requests().len(),
            2,
            "{transport:?}: no request after the error"
        );

        // A `next` link without a marker cannot be followed: an error, not a silent end.
        let server = start(|_, _| {
            (200, json!({"things": [{"id": "a"}], "things_links": [{"rel": "next", "href": "https://x.example/v2.0/things?limit=1"}]}).to_string())
        });
        let items = walk::<ListNeutronThings>(transport, &server, ListParams::default(), None, 100);
        assert_eq!(ok(&items[..1]), ["a"]);
        assert!(
            matches!(
                &items[1],
                Err(Error::Pagination {
                    problem: PageProblem::LinkWithoutMarker(_),
                    ..
                })
            ),
            "{transport:?}: {:?}",
            items[1]
        );
        assert_eq!(items.len(), 2);
    }
}

#[test]
fn an_empty_first_page_ends_the_walk() {
    for transport in BOTH {
        let server = start(|_, _| {
            (
                200,
                json!({"things": [], "page_info": {"next_marker": "x"}}).to_string(),
            )
        });
        assert!(
            walk::<ListThings>(transport, &server, ListParams::default(), Some(5), 100).is_empty()
        );
        assert_eq!(server.requests().len(), 1);
    }
}

#[test]
fn the_async_pages_read_without_a_futures_crate_and_move_into_a_task() {
    let server = v5_server();
    let client = AsyncClient::new(config(&server)).unwrap();
    let items = support::run(async {
        let mut pages = client
            .pages::<ListThings>(ListParams::default())
            .page_size(2);
        let first = pages.next().await.unwrap().unwrap();
        let rest = pages.try_collect().await.unwrap();
        (first, rest)
    });
    assert_eq!(
        items,
        (
            "a".to_owned(),
            vec![
                "b".to_owned(),
                "c".to_owned(),
                "d".to_owned(),
                "e".to_owned()
            ]
        )
    );
    fn is_send<T: Send + 'static>(_: &T) {}
    is_send(&client.pages::<ListThings>(ListParams::default()));
}

// ---------------------------------------------------------------------------------------
// Waiters.

fn thing(status: &str) -> String {
    json!({"thing": {"id": "t-1", "status": status}}).to_string()
}

/// Fast polls: a few milliseconds apart, a second in all.
fn quick() -> WaitOptions {
    WaitOptions::default()
        .with_timeout(Duration::from_secs(1))
        .with_delays(Duration::from_millis(2), Duration::from_millis(10))
}

#[test]
fn a_waiter_returns_the_resource_once_it_is_active() {
    for transport in BOTH {
        let server = start(|_, index| {
            (
                200,
                thing(if index < 2 {
                    "PENDING_CREATE"
                } else {
                    "ACTIVE"
                }),
            )
        });
        let resource =
            wait(transport, &server, &quick()).unwrap_or_else(|e| panic!("{transport:?}: {e}"));
        assert_eq!(resource["thing"]["status"], "ACTIVE");
        let seen = server.requests();
        assert_eq!(seen.len(), 3, "{transport:?}");
        assert!(
            seen.iter()
                .all(|s| s.method == "GET" && s.path.ends_with("/things/t-1"))
        );
    }
}

#[test]
fn a_waiter_names_the_failed_status() {
    for transport in BOTH {
        let server = start(|_, index| {
            (
                200,
                thing(if index < 1 { "PENDING_CREATE" } else { "ERROR" }),
            )
        });
        match wait(transport, &server, &quick()) {
            Err(error @ Error::WaitFailed { .. }) => {
                assert!(
                    matches!(&error, Error::WaitFailed { operation: "show_thing", status } if status == "ERROR")
                );
                assert!(
                    error.to_string().contains("failed status `ERROR`"),
                    "{error}"
                );
            }
            other => panic!("{transport:?}: {other:?}"),
        }
        assert_eq!(server.requests().len(), 2, "{transport:?}");
    }
}

#[test]
fn a_waiter_times_out_saying_the_last_status_seen() {
    for transport in BOTH {
        let server = start(|_, _| (200, thing("PENDING_UPDATE")));
        let options = WaitOptions::default()
            .with_timeout(Duration::from_millis(60))
            .with_delays(Duration::from_millis(5), Duration::from_millis(20));
        let started = Instant::now();
        match wait(transport, &server, &options) {
            Err(error @ Error::WaitTimeout { .. }) => {
                assert!(
                    matches!(&error, Error::WaitTimeout { last_status: Some(s), waited, .. } if s == "PENDING_UPDATE" && *waited >= Duration::from_millis(60))
                );
                assert!(
                    error
                        .to_string()
                        .contains("the last status seen was `PENDING_UPDATE`"),
                    "{error}"
                );
            }
            other => panic!("{transport:?}: {other:?}"),
        }
        // Polled until the deadline, not long past it.
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{transport:?}: {:?}",
            started.elapsed()
        );
        assert!(server.requests().len() >= 3, "{transport:?}");
    }
}

#[test]
fn waiting_until_gone_treats_404_as_done_and_other_errors_as_errors() {
    for transport in BOTH {
        let server = start(|_, index| match index {
            0 | 1 => (200, thing("PENDING_DELETE")),
            _ => (
                404,
                json!({"error_code": "VPN.0404", "error_msg": "not found"}).to_string(),
            ),
        });
        wait_gone(transport, &server, &quick()).unwrap_or_else(|e| panic!("{transport:?}: {e}"));
        assert_eq!(server.requests().len(), 3, "{transport:?}");

        let server = start(|_, _| {
            (
                500,
                json!({"error_code": "VPN.5000", "error_msg": "internal"}).to_string(),
            )
        });
        assert!(
            matches!(wait_gone(transport, &server, &quick()), Err(Error::Api(api)) if api.status == 500),
            "{transport:?}"
        );
        // While waiting for a status, a 404 is an error: nothing is left to reach it.
        let server = start(|_, _| (404, "{}".to_owned()));
        assert!(
            matches!(wait(transport, &server, &quick()), Err(Error::Api(api)) if api.status == 404),
            "{transport:?}"
        );
        // A failed status while deleting fails the wait too.
        let server = start(|_, _| (200, thing("ERROR")));
        assert!(
            matches!(
                wait_gone(transport, &server, &quick()),
                Err(Error::WaitFailed { .. })
            ),
            "{transport:?}"
        );
    }
}

/// The poll state reads no clock: made-up instants drive it through its backoff and to
/// its deadline without any sleep.
#[test]
fn the_poll_state_backs_off_and_polls_last_at_the_deadline() {
    let options = WaitOptions::default()
        .with_timeout(Duration::from_secs(60))
        .with_delays(Duration::from_secs(2), Duration::from_secs(15));
    let start = Instant::now();
    let mut poll = Poll::new(options, start);
    let pending = || Ok(serde_json::from_str::<Value>(&thing("PENDING_CREATE")).unwrap());
    let mut now = start;
    let mut sleeps = VecDeque::new();
    loop {
        match poll.observe::<ThingActive>(pending(), now) {
            Step::Sleep(delay) => {
                sleeps.push_back(delay.as_secs());
                now += delay;
            }
            Step::Done(result) => {
                match result {
                    Err(Error::WaitTimeout {
                        waited,
                        last_status,
                        ..
                    }) => {
                        assert_eq!(waited, Duration::from_secs(60));
                        assert_eq!(last_status.as_deref(), Some("PENDING_CREATE"));
                    }
                    other => panic!("{other:?}"),
                }
                break;
            }
        }
    }
    // 2, 4, 8, then the 15 s cap, and the last wait cut to end at the deadline.
    assert_eq!(Vec::from(sleeps), [2, 4, 8, 15, 15, 15, 1]);
    // Delays of any size are clamped, as the client's timeouts are, so no timer overflows.
    let huge = WaitOptions::default()
        .with_timeout(Duration::MAX)
        .with_delays(Duration::MAX, Duration::MAX);
    match Poll::new(huge, start).observe::<ThingActive>(pending(), start) {
        Step::Sleep(delay) => assert_eq!(delay, netapi::runtime::client::MAX_TIMEOUT),
        other => panic!("{other:?}"),
    }
    // A response without a status keeps waiting, and the timeout says so.
    let mut poll = Poll::new(options.with_timeout(Duration::ZERO), start);
    match poll.observe::<ThingActive>(Ok(json!({})), start) {
        Step::Done(Err(
            error @ Error::WaitTimeout {
                last_status: None, ..
            },
        )) => assert!(error.to_string().contains("had no status"), "{error}"),
        other => panic!("{other:?}"),
    }
}
