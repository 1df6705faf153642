//! A small HTTP/1.1 server on loopback for the client tests, written here rather than taken
//! from a mock library: it records what it receives and answers from a script.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Checks the AK/SK signature the way a server does: recompute it over the headers the
    /// `Authorization` header names, with the secret key, and compare.
    pub fn verify_signature(&self, access_key: &str, secret_key: &str) -> Result<(), String> {
        let authorization = self
            .header("authorization")
            .ok_or("no Authorization header")?;
        let rest = authorization
            .strip_prefix("SDK-HMAC-SHA256 ")
            .ok_or("not SDK-HMAC-SHA256")?;
        let mut access = None;
        let mut signed = None;
        let mut signature = None;
        for part in rest.split(", ") {
            match part.split_once('=') {
                Some(("Access", v)) => access = Some(v),
                Some(("SignedHeaders", v)) => signed = Some(v),
                Some(("Signature", v)) => signature = Some(v),
                _ => return Err(format!("unexpected part `{part}`")),
            }
        }
        if access != Some(access_key) {
            return Err(format!("access key {access:?}"));
        }
        let signed = signed.ok_or("no SignedHeaders")?;
        let date = self.header("x-sdk-date").ok_or("no X-Sdk-Date")?;
        let mut headers = Vec::new();
        for name in signed.split(';') {
            let value = self
                .header(name)
                .ok_or_else(|| format!("signed header {name} was not sent"))?;
            headers.push((name, value));
        }
        let input = netapi::runtime::sign::SignInput {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: &self.body,
        };
        let expected = netapi::runtime::sign::authorization(access_key, secret_key, &input, date);
        let expected_signature = expected.rsplit("Signature=").next().unwrap_or_default();
        if Some(expected_signature) == signature {
            Ok(())
        } else {
            Err(format!(
                "signature mismatch: expected {expected}, got {authorization}"
            ))
        }
    }
}

/// What the server does with one connection.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Answers with this status, extra headers and body.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Reads the request, then says nothing for this long.
    Stall(Duration),
    /// Sends a 201 head announcing `bytes` bytes of body, then one byte every `every`, so
    /// that no single read waits long but the whole answer takes `bytes * every`. Stops at
    /// the first failed write (the client gave up).
    Drip { bytes: usize, every: Duration },
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_owned(),
        }
    }

    pub fn with_header(self, name: &str, value: &str) -> Reply {
        match self {
            Reply::Respond {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.to_owned(), value.to_owned()));
                Reply::Respond {
                    status,
                    headers,
                    body,
                }
            }
            other => other,
        }
    }
}

/// A running server: its address and what it received.
pub struct Server {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<Received>>>,
    handle: Option<JoinHandle<()>>,
    /// Set on drop for a server that answers until stopped ([`Server::serve`]).
    stop: Arc<AtomicBool>,
}

impl Server {
    /// Serves one connection per reply, in order, then stops. Every connection is closed
    /// after its answer, so each request of a client arrives on a connection of its own.
    pub fn start(replies: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("loopback is available");
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        let handle = std::thread::spawn(move || {
            for reply in replies {
                let Ok((stream, _)) = listener.accept() else {
                    return;
                };
                handle(stream, &reply, &log);
            }
        });
        Server {
            addr,
            received,
            handle: Some(handle),
            stop: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Answers every connection with `handler(request)` until dropped: a server that keeps
    /// state (in the handler) for tests that run a whole life cycle.
    pub fn serve(handler: impl Fn(&Received) -> Reply + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("loopback is available");
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (log, flag) = (Arc::clone(&received), Arc::clone(&stop));
        let handle = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(mut stream) = stream else { continue };
                stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
                let Some(request) = read_request(&mut stream) else {
                    continue;
                };
                let reply = handler(&request);
                log.lock().unwrap().push(request);
                write_reply(&mut stream, &reply);
            }
        });
        Server {
            addr,
            received,
            handle: Some(handle),
            stop,
        }
    }

    /// `http://127.0.0.1:port`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Unblock a server still waiting for a connection the test no longer makes.
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(100));
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

fn handle(mut stream: TcpStream, reply: &Reply, log: &Arc<Mutex<Vec<Received>>>) {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let Some(request) = read_request(&mut stream) else {
        return;
    };
    log.lock().unwrap().push(request);
    write_reply(&mut stream, reply);
}

fn write_reply(stream: &mut TcpStream, reply: &Reply) {
    match reply {
        Reply::Stall(duration) => std::thread::sleep(*duration),
        Reply::Drip { bytes, every } => {
            let head = format!(
                "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {bytes}\r\nConnection: close\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            for _ in 0..*bytes {
                std::thread::sleep(*every);
                if stream
                    .write_all(b" ")
                    .and_then(|()| stream.flush())
                    .is_err()
                {
                    return;
                }
            }
        }
        Reply::Respond {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} Status\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
            let _ = stream.flush();
        }
    }
}

fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), q.to_owned()),
        None => (target, String::new()),
    };
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Received {
        method,
        path,
        query,
        headers,
        body,
    })
}

/// A port nothing listens on.
pub fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    addr
}

/// A valid request body and a documented success response for each of the five
/// operations: (operation id, request JSON, response status, response JSON).
pub const CALLS: &[(&str, &str, u16, &str)] = &[
    (
        "create_vif_peer",
        r#"{"vif_peer": {"vif_id": "86f9556a-fa68-42b7-93c2-dd407408430b", "name": "vif-peer-test", "address_family": "ipv6", "route_mode": "static", "local_gateway_ip": "fd00::1/64", "remote_gateway_ip": "fd00::2/64"}}"#,
        201,
        r#"{"vif_peer": {"id": "ba604c46-8cdd-40c6-8969-ccf6159bb02b", "name": "vif-peer-test", "address_family": "ipv6", "route_mode": "static", "status": "PENDING_CREATE", "receive_route_num": -1}, "request_id": "846eeab082e21a170f98c67fe33099f2"}"#,
    ),
    (
        "create_ipsec_site_connection",
        r#"{"ipsec_site_connection": {"psk": "Secret-Key-1", "ipsecpolicy_id": "e6e23d0c-9519-4d52-8ea4-5b1f96d857b1", "peer_ep_group_id": "9ad5a7e0-6dac-41b4-b20d-a7b8645fddf1", "ikepolicy_id": "9b00d6b0-6c93-4ca5-9747-b8ade7bb514f", "vpnservice_id": "5c561d9d-eaea-45f6-ae3e-08d1a7080828", "local_ep_group_id": "3e1815dd-e212-43d0-8f13-b494fa553e68", "peer_address": "172.24.4.233", "peer_id": "172.24.4.233", "name": "vpnconnection1"}}"#,
        201,
        r#"{"ipsec_site_connection": {"id": "851f280f-5639-4ea3-81aa-e298525ab74b", "status": "PENDING_CREATE", "name": "vpnconnection1", "psk": "Secret-Key-1"}}"#,
    ),
    (
        "create_vpc_peering",
        r#"{"peering": {"name": "test", "request_vpc_info": {"vpc_id": "9daeac7c-a98f-430f-8e38-67f9c044e299"}, "accept_vpc_info": {"vpc_id": "f583c072-0bb8-4e19-afb2-afb7c1693be5"}}}"#,
        200,
        r#"{"peering": {"id": "22b76469-08e3-4937-8c1d-7aad34892be1", "name": "test", "status": "ACTIVE"}}"#,
    ),
    (
        "create_vpn_service",
        r#"{"vpnservice": {"router_id": "66e3b16c-8ce5-40fb-bb49-ab6d8dc3f2aa", "name": "myservice", "admin_state_up": true}}"#,
        201,
        r#"{"vpnservice": {"id": "5c561d9d-eaea-45f6-ae3e-08d1a7080828", "router_id": "66e3b16c-8ce5-40fb-bb49-ab6d8dc3f2aa", "status": "PENDING_CREATE"}}"#,
    ),
    (
        "create_vpn_connection",
        r#"{"vpn_connection": {"vgw_id": "b32d91a4-0f3c-4e1b-a8df-e907174eb11d", "vgw_ip": "0c464dad-8a4e-4c1f-a8df-c22bb0eb0bde", "cgw_id": "5247ae10-9e2b-4d3a-a8df-dd36659a7f5d", "peer_subnets": ["192.168.44.0/24"], "psk": "Abcd-1234-xyz"}}"#,
        201,
        r#"{"vpn_connection": {"id": "98c5af8a-6ee2-4482-99a2-ae2280a6f4c3", "style": "STATIC", "peer_subnets": ["192.168.44.0/24"]}, "request_id": "f91082d4-6d49-479c-ad1d-4e552a9f5cae"}"#,
    ),
];

pub const PROJECT: &str = "4bd6efdb0fb747b39aa2c0162c112226";
pub const ACCESS_KEY: &str = "HPUAEXAMPLEACCESSKEY";
pub const SECRET_KEY: &str = "Very/Secret+Key_0123456789abcdefghijkl";
pub const TOKEN: &str = "MIIT-token-value-xyz-0123456789";

/// Every service at `url`, over plain http (allowed, as this is loopback), short timeouts,
/// no retries unless a test asks.
pub fn config(url: &str, auth: netapi::Auth) -> netapi::Config {
    let endpoints = netapi::Endpoints::custom()
        .with_service("dcaas", url)
        .with_service("vpc", url)
        .with_service("vpn", url);
    netapi::Config::new(endpoints, auth)
        .with_project_id(PROJECT)
        .allow_http(true)
        .with_timeouts(Duration::from_secs(2), Duration::from_millis(700))
        .with_retry(netapi::Retry {
            max_attempts: 1,
            base_delay: Duration::from_millis(10),
            non_idempotent: false,
        })
}

pub fn aksk() -> netapi::Auth {
    netapi::Auth::AkSk(netapi::AkSk::new(ACCESS_KEY, SECRET_KEY))
}

pub fn token() -> netapi::Auth {
    netapi::Auth::Token(netapi::Secret::new(TOKEN))
}

/// The expected path of each operation.
pub fn expected_path(id: &str) -> String {
    match id {
        "create_vif_peer" => format!("/v3/{PROJECT}/dcaas/vif-peers"),
        "create_ipsec_site_connection" => "/v2.0/vpn/ipsec-site-connections".to_owned(),
        "create_vpc_peering" => "/v2.0/vpc/peerings".to_owned(),
        "create_vpn_service" => "/v2.0/vpn/vpnservices".to_owned(),
        "create_vpn_connection" => format!("/v5/{PROJECT}/vpn-connection"),
        other => panic!("unknown operation {other}"),
    }
}

/// Checks what the server received for a call made with `auth_is_aksk` credentials.
pub fn check_received(id: &str, request_json: &str, received: &Received, auth_is_aksk: bool) {
    assert_eq!(received.method, "POST", "{id}");
    assert_eq!(received.path, expected_path(id), "{id}");
    assert_eq!(
        received.header("content-type"),
        Some("application/json"),
        "{id}"
    );
    assert_eq!(received.header("accept"), Some("application/json"), "{id}");
    let sent: serde_json::Value = serde_json::from_slice(&received.body).expect("the body is JSON");
    let expected: serde_json::Value = serde_json::from_str(request_json).unwrap();
    assert_eq!(sent, expected, "{id}: the body arrives as built");
    if auth_is_aksk {
        received
            .verify_signature(ACCESS_KEY, SECRET_KEY)
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(received.header("x-project-id"), Some(PROJECT));
        assert!(received.header("x-auth-token").is_none());
    } else {
        assert_eq!(received.header("x-auth-token"), Some(TOKEN), "{id}");
        assert!(received.header("authorization").is_none());
    }
}

/// The error bodies these services send, with what a client must read from each:
/// (status, headers, body, code, message, request id).
/// One error answer: status, headers, body, and the code, message and request id a
/// client must read from it.
pub type ErrorShape = (
    u16,
    &'static [(&'static str, &'static str)],
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

pub const ERROR_SHAPES: &[ErrorShape] = &[
    (
        400,
        &[("X-Request-Id", "req-1")],
        r#"{"error_code": "VPC.0101", "error_msg": "Invalid vpc id."}"#,
        Some("VPC.0101"),
        Some("Invalid vpc id."),
        Some("req-1"),
    ),
    (
        404,
        &[],
        r#"{"code": "DCAAS.0404", "message": "Not found.", "request_id": "req-2"}"#,
        Some("DCAAS.0404"),
        Some("Not found."),
        Some("req-2"),
    ),
    (
        409,
        &[],
        r#"{"error": {"code": "VPN.1001", "message": "Conflict.", "request_id": "req-3"}}"#,
        Some("VPN.1001"),
        Some("Conflict."),
        Some("req-3"),
    ),
    (
        400,
        &[],
        r#"{"NeutronError": {"type": "BadRequest", "message": "Invalid input.", "detail": ""}}"#,
        Some("BadRequest"),
        Some("Invalid input."),
        None,
    ),
    (500, &[], "<html>gateway broke</html>", None, None, None),
];

/// Runs the shared client scenarios for a transport. `$client` builds a client from a
/// config; the test file defines `type Client` and `resolve!`, which awaits a call or not.
#[macro_export]
macro_rules! client_scenarios {
    ($client:expr) => {
        use std::time::Duration;
        use support::*;
        use netapi::dcaas::create_vif_peer::{CreateVifPeerParameters, CreateVifPeerRequestBody};
        use netapi::vpc::create_vpc_peering::{CreateVpcPeeringParameters, CreateVpcPeeringRequestBody};
        use netapi::vpn::create_ipsec_site_connection::{CreateIpsecSiteConnectionParameters, CreateIpsecSiteConnectionRequestBody};
        use netapi::vpn::create_vpn_connection::{CreateVpnConnectionParameters, CreateVpnConnectionRequestBody};
        use netapi::vpn::create_vpn_service::{CreateVpnServiceParameters, CreateVpnServiceRequestBody};
        use netapi::{Error, TransportKind};

        fn parse<T: serde::de::DeserializeOwned>(json: &str) -> T {
            serde_json::from_str(json).unwrap()
        }

        /// Calls operation `id` with its valid body; returns the typed result as JSON.
        async fn call(client: &Client, id: &str, request: &str) -> Result<serde_json::Value, Error> {
            macro_rules! go {
                ($method:ident, $params:expr, $body:ty) => {{
                    let body: $body = parse(request);
                    let result = resolve!(client.$method(&$params, &body));
                    result.map(|r| serde_json::to_value(r).unwrap())
                }};
            }
            match id {
                "create_vif_peer" => go!(create_vif_peer, CreateVifPeerParameters::new(), CreateVifPeerRequestBody),
                "create_ipsec_site_connection" => go!(create_ipsec_site_connection, CreateIpsecSiteConnectionParameters::new(), CreateIpsecSiteConnectionRequestBody),
                "create_vpc_peering" => go!(create_vpc_peering, CreateVpcPeeringParameters::new(), CreateVpcPeeringRequestBody),
                "create_vpn_service" => go!(create_vpn_service, CreateVpnServiceParameters::new(), CreateVpnServiceRequestBody),
                "create_vpn_connection" => go!(create_vpn_connection, CreateVpnConnectionParameters::new(), CreateVpnConnectionRequestBody),
                other => panic!("unknown operation {other}"),
            }
        }

        fn vif_body() -> &'static str {
            CALLS[0].1
        }

        #[test]
        fn creates_each_resource_with_each_auth() {
            run(async {
                for aksk_auth in [true, false] {
                    for (id, request, status, response) in CALLS {
                        let server = Server::start(vec![Reply::json(*status, response)]);
                        let auth = if aksk_auth { aksk() } else { token() };
                        let client = $client(config(&server.url(), auth));
                        let result = call(&client, id, request).await.unwrap_or_else(|e| panic!("{id}: {e}"));
                        let expected: serde_json::Value = serde_json::from_str(response).unwrap();
                        assert_eq!(result, expected, "{id}: the typed response keeps the body");
                        let received = server.requests();
                        assert_eq!(received.len(), 1);
                        check_received(id, request, &received[0], aksk_auth);
                    }
                }
            });
        }

        #[test]
        fn reads_every_error_shape() {
            run(async {
                for (status, headers, body, code, message, request_id) in ERROR_SHAPES {
                    let mut reply = Reply::json(*status, body);
                    for (name, value) in headers.iter() {
                        reply = reply.with_header(name, value);
                    }
                    let server = Server::start(vec![reply]);
                    let client = $client(config(&server.url(), token()));
                    match call(&client, "create_vif_peer", vif_body()).await {
                        Err(Error::Api(error)) => {
                            assert_eq!(error.status, *status);
                            assert_eq!(error.code.as_deref(), *code, "{body}");
                            assert_eq!(error.message.as_deref(), *message, "{body}");
                            assert_eq!(error.request_id.as_deref(), *request_id, "{body}");
                            assert_eq!(error.raw_body(), *body);
                        }
                        other => panic!("{body}: {other:?}"),
                    }
                }
            });
        }

        #[test]
        fn undocumented_status_and_malformed_body() {
            run(async {
                let server = Server::start(vec![Reply::json(202, "{}")]);
                let client = $client(config(&server.url(), token()));
                let error = call(&client, "create_vif_peer", vif_body()).await.unwrap_err();
                assert!(matches!(error, Error::UndocumentedStatus(ref e) if e.status == 202), "{error:?}");

                let server = Server::start(vec![Reply::json(201, r#"{"vif_peer": {"id": 7"#).with_header("X-Request-Id", "req-9")]);
                let client = $client(config(&server.url(), token()));
                match call(&client, "create_vif_peer", vif_body()).await.unwrap_err() {
                    Error::MalformedBody { status, request_id, .. } => {
                        assert_eq!(status, 201);
                        assert_eq!(request_id.as_deref(), Some("req-9"));
                    }
                    other => panic!("{other:?}"),
                }
            });
        }

        #[test]
        fn timeouts_and_refused_connections_are_transport_errors() {
            run(async {
                let server = Server::start(vec![Reply::Stall(Duration::from_secs(3))]);
                let client = $client(config(&server.url(), token()));
                match call(&client, "create_vif_peer", vif_body()).await.unwrap_err() {
                    Error::Transport { kind, .. } => assert_eq!(kind, TransportKind::Timeout),
                    other => panic!("{other:?}"),
                }
                drop(server);

                let url = format!("http://{}", closed_port());
                let client = $client(config(&url, token()));
                match call(&client, "create_vif_peer", vif_body()).await.unwrap_err() {
                    Error::Transport { kind, .. } => assert_eq!(kind, TransportKind::Connect),
                    other => panic!("{other:?}"),
                }
            });
        }

        #[test]
        fn a_dripping_server_cannot_hold_a_call_past_the_attempt_deadline() {
            run(async {
                // 40 bytes, one every 100 ms: 4 s in all, though no read waits 100 ms.
                let server = Server::start(vec![Reply::Drip { bytes: 40, every: Duration::from_millis(100) }]);
                let config = config(&server.url(), token()).with_timeouts(Duration::from_millis(500), Duration::from_millis(700));
                let (connect, attempt) = config.attempt_timeouts();
                assert_eq!(attempt, connect + Duration::from_millis(700));
                let client = $client(config);
                let started = std::time::Instant::now();
                let error = call(&client, "create_vif_peer", vif_body()).await.unwrap_err();
                let elapsed = started.elapsed();
                assert!(matches!(error, Error::Transport { kind: TransportKind::Timeout, .. }), "{error:?}");
                assert!(elapsed < Duration::from_millis(2500), "the call took {elapsed:?}, over its deadline of {attempt:?}");
            });
        }

        #[test]
        fn timeouts_of_any_size_do_not_panic() {
            run(async {
                let server = Server::start(vec![Reply::json(201, CALLS[0].3)]);
                let mut config = config(&server.url(), token()).with_timeouts(Duration::MAX, Duration::MAX);
                config.connect_timeout = Duration::MAX;
                config.read_timeout = Duration::MAX;
                let client = $client(config);
                call(&client, "create_vif_peer", vif_body()).await.expect("the call succeeds");
            });
        }

        #[test]
        fn creating_posts_are_retried_only_when_asked() {
            run(async {
                let server = Server::start(vec![Reply::json(503, r#"{"error_code": "APIGW.0303", "error_msg": "busy"}"#), Reply::json(201, CALLS[0].3)]);
                let client = $client(config(&server.url(), aksk()).with_retry(netapi::Retry { max_attempts: 3, base_delay: Duration::from_millis(5), non_idempotent: false }));
                let error = call(&client, "create_vif_peer", vif_body()).await.unwrap_err();
                assert_eq!(error.status(), Some(503));
                assert_eq!(server.requests().len(), 1, "a creating POST is not sent twice by default");
                drop(server);

                let server = Server::start(vec![Reply::json(503, "{}").with_header("Retry-After", "0"), Reply::json(201, CALLS[0].3)]);
                let retry = netapi::Retry { max_attempts: 3, base_delay: Duration::from_millis(5), non_idempotent: true };
                let client = $client(config(&server.url(), aksk()).with_retry(retry));
                call(&client, "create_vif_peer", vif_body()).await.expect("the retry succeeds");
                let received = server.requests();
                assert_eq!(received.len(), 2);
                for request in &received {
                    request.verify_signature(ACCESS_KEY, SECRET_KEY).unwrap();
                }
            });
        }

        #[test]
        fn refuses_oversized_and_overdeep_bodies() {
            run(async {
                // Reading stops at the limit: the client does not buffer the rest.
                let big = format!("{{\"vif_peer\": {{\"name\": \"{}\"}}}}", "x".repeat(4 * 1024 * 1024));
                let server = Server::start(vec![Reply::json(201, &big)]);
                let mut limited = config(&server.url(), token());
                limited.max_body_bytes = 1024 * 1024;
                let client = $client(limited);
                match call(&client, "create_vif_peer", vif_body()).await.unwrap_err() {
                    Error::Transport { kind, .. } => assert_eq!(kind, TransportKind::TooLarge),
                    other => panic!("{other:?}"),
                }
                drop(server);

                // Nesting far beyond any documented shape is a typed error, not a stack overflow.
                let deep = format!("{{\"vif_peer\": {}{}}}", "[".repeat(200_000), "]".repeat(200_000));
                let server = Server::start(vec![Reply::json(201, &deep)]);
                let client = $client(config(&server.url(), token()));
                match call(&client, "create_vif_peer", vif_body()).await.unwrap_err() {
                    Error::MalformedBody { status, .. } => assert_eq!(status, 201),
                    other => panic!("{other:?}"),
                }
            });
        }

        #[test]
        fn refuses_invalid_bodies_plain_http_and_never_shows_secrets() {
            run(async {
                let server = Server::start(vec![]);
                let client = $client(config(&server.url(), token()));
                let bad = r#"{"vif_peer": {"vif_id": "not-a-uuid", "name": "n", "address_family": "ipv4", "local_gateway_ip": "1.1.1.1/30", "remote_gateway_ip": "1.1.1.2/30"}}"#;
                match call(&client, "create_vif_peer", bad).await.unwrap_err() {
                    Error::Validation(violations) => assert_eq!(violations.iter().next().unwrap().path, "vif_peer.vif_id"),
                    other => panic!("{other:?}"),
                }
                let strict = $client(config(&server.url(), aksk()).allow_http(false));
                let error = call(&strict, "create_vif_peer", vif_body()).await.unwrap_err();
                assert!(matches!(error, Error::Config(_)), "{error:?}");
                assert!(server.requests().is_empty(), "nothing was sent");

                let debug = format!("{:?} {:?} {error} {error:?}", config("http://x", aksk()), config("http://x", token()));
                for secret in [SECRET_KEY, TOKEN] {
                    assert!(!debug.contains(secret), "a secret leaked: {debug}");
                }
            });
        }
    };
}

/// Runs a future to completion on a current-thread runtime.
pub fn run<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(future)
}

/// Wait options for the loopback servers: a millisecond or a few between polls, so a wait
/// that takes a handful of polls ends at once, and a timeout long enough never to be hit
/// by a wait that should succeed.
pub fn fast() -> netapi::WaitOptions {
    netapi::WaitOptions::default()
        .with_delays(Duration::from_millis(1), Duration::from_millis(5))
        .with_timeout(Duration::from_secs(5))
}

/// Starts a loopback server whose every answer comes from `state` (a model of the cloud
/// that keeps what the requests create), and hands the state back so the test can script
/// it and read what it noted.
pub fn serve_state<S: Send + 'static>(
    state: S,
    answer: fn(&mut S, &Received) -> Reply,
) -> (Server, Arc<Mutex<S>>) {
    let shared = Arc::new(Mutex::new(state));
    let handle = Arc::clone(&shared);
    let server = Server::serve(move |request| answer(&mut handle.lock().unwrap(), request));
    (server, shared)
}

/// Writes one scenario once and makes of it two tests: `$blocking` runs it on
/// `BlockingClient`, `$asynchronous` on `AsyncClient` inside a runtime. Inside the body,
/// `client!(config)` builds the transport's client and `resolve!(call)` is the call itself
/// on the blocking client and `call.await` on the async one, so that both tests make the
/// same calls and hold the same assertions. Where the two tests deliberately differ (say,
/// one signs with AK/SK and the other sends a token, so both auth paths are covered),
/// `blocking_or_async!(a, b)` is `a` in the blocking test and `b` in the async one.
#[macro_export]
macro_rules! on_both_clients {
    ($(#[$attr:meta])* fn $blocking:ident / $asynchronous:ident () $body:block) => {
        $(#[$attr])*
        #[test]
        fn $blocking() {
            #[allow(unused_macros)]
            macro_rules! client {
                ($config:expr) => {
                    netapi::BlockingClient::new($config)
                };
            }
            #[allow(unused_macros)]
            macro_rules! blocking_or_async {
                ($blocking_value:expr, $async_value:expr) => {
                    $blocking_value
                };
            }
            macro_rules! resolve {
                ($call:expr) => {
                    $call
                };
            }
            $body
        }

        $(#[$attr])*
        #[test]
        fn $asynchronous() {
            #[allow(unused_macros)]
            macro_rules! client {
                ($config:expr) => {
                    netapi::AsyncClient::new($config).expect("the client builds")
                };
            }
            #[allow(unused_macros)]
            macro_rules! blocking_or_async {
                ($blocking_value:expr, $async_value:expr) => {
                    $async_value
                };
            }
            macro_rules! resolve {
                ($call:expr) => {
                    $call.await
                };
            }
            support::run(async $body)
        }
    };
}

/// Fails the test with everything a stateful server noted that it did not expect (a bad
/// signature, an unknown path, a wrong body), so that one run reports all of it at once.
pub fn no_problems(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "the server saw problems: {problems:#?}"
    );
}

/// Every request the server received, as (method, path, query), in order.
pub fn traffic(server: &Server) -> Vec<(String, String, String)> {
    server
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path, r.query))
        .collect()
}

/// Expected requests as (method, path, query), owned, to compare with [`traffic`].
pub fn expect(steps: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    steps
        .iter()
        .map(|(m, p, q)| ((*m).to_owned(), (*p).to_owned(), (*q).to_owned()))
        .collect()
}
