//! Walks a paginated list with both clients (an `Iterator` and a `Stream`) and waits for a
//! resource to become `ACTIVE`:
//!
//! ```text
//! cargo run -p netapi --all-features --example pages_and_waiters -- https://vpn.eu-de.otc.t-systems.com <project id> <vpn connection id>
//! ```
//!
//! with an IAM token in `OS_AUTH_TOKEN`. The spec format does not yet declare lists and
//! waiters, so the two impls below are written by hand, exactly as the generator will emit
//! them for `list_vpn_connections` and `show_vpn_connection`; with generated ones, the
//! calls in `main` stay the same.

use std::time::Duration;

use futures_util::StreamExt;
use netapi::runtime::operation::{
    Context, Descriptor, Operation, PartsError, Query, RequestParts, ResponseVisitor,
};
use netapi::runtime::paginate::{Page, Paginated};
use netapi::runtime::validate::{Path, Validate, Violations};
use netapi::runtime::wait::{WaitOptions, Waiter};
use netapi::{AsyncClient, Auth, BlockingClient, Config, Endpoints, Error, Secret};
use serde_json::Value;

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let (Some(endpoint), Some(project), Some(id)) = (args.next(), args.next(), args.next()) else {
        eprintln!("usage: pages_and_waiters <endpoint> <project id> <vpn connection id>");
        return Ok(());
    };
    let token = Secret::new(std::env::var("OS_AUTH_TOKEN").unwrap_or_default());
    let config = Config::new(
        Endpoints::custom().with_service("vpn", endpoint),
        Auth::Token(token),
    )
    .with_project_id(project);

    // Blocking: an `Iterator` of `Result`s, one request per page of 50, as items are read.
    let client = BlockingClient::new(config.clone());
    for connection in client
        .pages::<ListVpnConnections>(ListParameters::default())
        .page_size(50)
    {
        println!("{}", connection?["id"]);
    }

    // Waiting: poll `show_vpn_connection` until `ACTIVE`, fail on `ERROR`, give up after
    // five minutes with the last status seen.
    let options = WaitOptions::default().with_timeout(Duration::from_secs(300));
    let shown = client.wait::<VpnConnectionActive>(&ShowParameters { id: id.clone() }, &options)?;
    println!("active: {}", shown["vpn_connection"]["name"]);

    // Async: a `futures_core::Stream`, read here with futures' `StreamExt`.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let client = AsyncClient::new(config)?;
        let mut connections = client
            .pages::<ListVpnConnections>(ListParameters::default())
            .page_size(50);
        while let Some(connection) = StreamExt::next(&mut connections).await {
            println!("{}", connection?["id"]);
        }
        client
            .wait::<VpnConnectionActive>(&ShowParameters { id }, &options)
            .await
            .map(drop)
    })
}

/// What the generator emits per list operation: the item type, the page size and marker
/// parameters, and where a page keeps its items and its next marker.
impl Paginated for ListVpnConnections {
    type Item = Value;

    fn page_size(params: &ListParameters) -> Option<u32> {
        params.limit
    }

    fn set_page_size(params: &mut ListParameters, size: u32) {
        params.limit = Some(size);
    }

    fn set_marker(params: &mut ListParameters, marker: String) {
        params.marker = Some(marker);
    }

    fn into_page(response: Value) -> Page<Value> {
        let items = response["vpn_connections"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        Page::next_marker(
            items,
            response["page_info"]["next_marker"]
                .as_str()
                .map(str::to_owned),
        )
    }
}

/// What the generator emits per waiter: the show operation, the status field, and the
/// values that end the wait.
struct VpnConnectionActive;

impl Waiter for VpnConnectionActive {
    type Operation = ShowVpnConnection;
    const DONE: &'static [&'static str] = &["ACTIVE"];
    const FAILED: &'static [&'static str] = &["ERROR"];

    fn status(response: &Value) -> Option<&str> {
        response["vpn_connection"]["status"].as_str()
    }
}

// Stand-ins for the generated operations, until the four pages are transcribed.

/// `GET /v5/{project_id}/vpn-connection?limit&marker`.
struct ListVpnConnections;

#[derive(Clone, Debug, Default)]
struct ListParameters {
    limit: Option<u32>,
    marker: Option<String>,
}

impl Validate for ListParameters {
    fn validate_at(&self, _at: &Path<'_>, _out: &mut Violations) {}
}

impl Operation for ListVpnConnections {
    type Parameters = ListParameters;
    type Request = ();
    type Response = Value;
    const DESCRIPTOR: Descriptor = Descriptor {
        id: "list_vpn_connections",
        title: "Querying the VPN Connection List",
        service: "vpn",
        method: "GET",
        path: "/v5/{project_id}/vpn-connection",
        success: &[200],
        request_type: None,
        responses: &[(200, Some("Value"))],
        page: "vpn/v5-querying_the_vpn_connection_list.rst",
    };

    fn request_parts(
        params: &ListParameters,
        context: &Context<'_>,
    ) -> Result<RequestParts, PartsError> {
        let project = context.project_id.ok_or(PartsError::MissingProjectId)?;
        let mut query = Query::new();
        if let Some(limit) = params.limit {
            query.push("limit", limit.to_string());
        }
        if let Some(marker) = &params.marker {
            query.push("marker", marker);
        }
        let path = format!(
            "/v5/{}/vpn-connection",
            netapi::runtime::operation::path_segment("project_id", project)?
        );
        Ok(RequestParts {
            path,
            query,
            headers: Vec::new(),
        })
    }

    fn visit_response<V: ResponseVisitor>(_status: u16, _visitor: V) -> Option<V::Output> {
        None
    }
}

/// `GET /v5/{project_id}/vpn-connection/{vpn_connection_id}`.
struct ShowVpnConnection;

#[derive(Clone, Debug)]
struct ShowParameters {
    id: String,
}

impl Validate for ShowParameters {
    fn validate_at(&self, _at: &Path<'_>, _out: &mut Violations) {}
}

impl Operation for ShowVpnConnection {
    type Parameters = ShowParameters;
    type Request = ();
    type Response = Value;
    const DESCRIPTOR: Descriptor = Descriptor {
        id: "show_vpn_connection",
        title: "Querying a Specified VPN Connection",
        service: "vpn",
        method: "GET",
        path: "/v5/{project_id}/vpn-connection/{vpn_connection_id}",
        success: &[200],
        request_type: None,
        responses: &[(200, Some("Value"))],
        page: "vpn/v5-querying_a_specified_vpn_connection.rst",
    };

    fn request_parts(
        params: &ShowParameters,
        context: &Context<'_>,
    ) -> Result<RequestParts, PartsError> {
        use netapi::runtime::operation::path_segment;
        let project = context.project_id.ok_or(PartsError::MissingProjectId)?;
        let path = format!(
            "/v5/{}/vpn-connection/{}",
            path_segment("project_id", project)?,
            path_segment("vpn_connection_id", &params.id)?
        );
        Ok(RequestParts {
            path,
            ..RequestParts::default()
        })
    }

    fn visit_response<V: ResponseVisitor>(_status: u16, _visitor: V) -> Option<V::Output> {
        None
    }
}
