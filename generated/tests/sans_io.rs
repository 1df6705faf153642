//! The sans-IO core: requests built and responses read without any HTTP library.

use std::time::{Duration, UNIX_EPOCH};

use netapi::runtime::client::{build_request, read_response};
use netapi::vpn::create_vpn_connection::{
    CreateVpnConnection, CreateVpnConnectionParameters, CreateVpnConnectionRequestBody,
};
use netapi::{AkSk, Auth, Config, Endpoints, Error, Secret};

const BODY: &str = r#"{"vpn_connection": {"vgw_id": "b32d91a4-0f3c-4e1b-a8df-e907174eb11d", "vgw_ip": "10.1.2.3", "cgw_id": "5247ae10-9e2b-4d3a-a8df-dd36659a7f5d", "peer_subnets": ["192.168.44.0/24"]}}"#;

fn body() -> CreateVpnConnectionRequestBody {
    serde_json::from_str(BODY).unwrap()
}

#[test]
fn endpoints_for_both_clouds_and_overrides() {
    assert_eq!(
        Endpoints::huawei("ap-southeast-1").base_url("vpn").unwrap(),
        "https://vpn.ap-southeast-1.myhuaweicloud.com"
    );
    assert_eq!(
        Endpoints::open_telekom_cloud("eu-de")
            .base_url("dcaas")
            .unwrap(),
        "https://dcaas.eu-de.otc.t-systems.com"
    );
    let custom = Endpoints::huawei("cn-north-4").with_service("vpc", "https://vpc.example.test/");
    assert_eq!(custom.base_url("vpc").unwrap(), "https://vpc.example.test");
    assert_eq!(
        custom.base_url("vpn").unwrap(),
        "https://vpn.cn-north-4.myhuaweicloud.com"
    );
    assert_eq!(Endpoints::custom().base_url("vpn"), None);
}

#[test]
fn builds_a_signed_request_with_the_project_id_in_the_path() {
    let keys = AkSk::new("AKEXAMPLE", "secret-key-value").with_security_token("temporary-token");
    let config = Config::new(Endpoints::huawei("eu-west-101"), Auth::AkSk(keys))
        .with_project_id("proj/ect 1");
    let at = UNIX_EPOCH + Duration::from_secs(1_573_788_615);
    let request = build_request::<CreateVpnConnection>(
        &config,
        &CreateVpnConnectionParameters::new(),
        &body(),
        at,
    )
    .unwrap();
    assert_eq!(request.method(), "POST");
    // The project id is percent-encoded: it cannot add a path segment.
    assert_eq!(
        request.uri().to_string(),
        "https://vpn.eu-west-101.myhuaweicloud.com/v5/proj%2Fect%201/vpn-connection"
    );
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-type"), "application/json");
    assert_eq!(header("accept"), "application/json");
    assert_eq!(header("host"), "vpn.eu-west-101.myhuaweicloud.com");
    assert_eq!(header("x-sdk-date"), "20191115T033015Z");
    assert_eq!(header("x-project-id"), "proj/ect 1");
    assert_eq!(header("x-security-token"), "temporary-token");
    let authorization = header("authorization");
    assert!(authorization.starts_with("SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=accept;content-type;host;user-agent;x-project-id;x-sdk-date;x-security-token, Signature="), "{authorization}");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(request.body()).unwrap(),
        serde_json::from_str::<serde_json::Value>(BODY).unwrap()
    );
}

#[test]
fn token_auth_validation_and_configuration_errors() {
    let config =
        Config::new(Endpoints::huawei("r"), Auth::Token(Secret::new("tok"))).with_project_id("p");
    let request = build_request::<CreateVpnConnection>(
        &config,
        &CreateVpnConnectionParameters::new(),
        &body(),
        UNIX_EPOCH,
    )
    .unwrap();
    assert_eq!(request.headers()["x-auth-token"], "tok");
    assert!(request.headers().get("authorization").is_none());

    let mut invalid = body();
    invalid.vpn_connection.vgw_id = "nope".to_owned();
    match build_request::<CreateVpnConnection>(
        &config,
        &CreateVpnConnectionParameters::new(),
        &invalid,
        UNIX_EPOCH,
    ) {
        Err(Error::Validation(v)) => {
            assert_eq!(v.iter().next().unwrap().path, "vpn_connection.vgw_id")
        }
        other => panic!("{other:?}"),
    }
    // The explicit opt-out sends it anyway.
    let unchecked = config.clone().with_validation(false);
    assert!(
        build_request::<CreateVpnConnection>(
            &unchecked,
            &CreateVpnConnectionParameters::new(),
            &invalid,
            UNIX_EPOCH
        )
        .is_ok()
    );

    let no_project = Config::new(Endpoints::huawei("r"), Auth::Token(Secret::new("tok")));
    let error = build_request::<CreateVpnConnection>(
        &no_project,
        &CreateVpnConnectionParameters::new(),
        &body(),
        UNIX_EPOCH,
    )
    .unwrap_err();
    assert!(error.to_string().contains("needs a project id"), "{error}");

    let plain = Config::new(
        Endpoints::custom().with_service("vpn", "http://10.0.0.1"),
        Auth::Token(Secret::new("tok")),
    )
    .with_project_id("p");
    let error = build_request::<CreateVpnConnection>(
        &plain,
        &CreateVpnConnectionParameters::new(),
        &body(),
        UNIX_EPOCH,
    )
    .unwrap_err();
    assert!(error.to_string().contains("over plain http"), "{error}");
    assert!(
        build_request::<CreateVpnConnection>(
            &plain.allow_http(true),
            &CreateVpnConnectionParameters::new(),
            &body(),
            UNIX_EPOCH
        )
        .is_ok()
    );
}

#[test]
fn the_token_limit_of_the_page_is_enforced() {
    use netapi::dcaas::create_vif_peer::{
        CreateVifPeerOperation, CreateVifPeerParameters, CreateVifPeerRequestBody,
    };
    let body: CreateVifPeerRequestBody = serde_json::from_str(r#"{"vif_peer": {"vif_id": "86f9556a-fa68-42b7-93c2-dd407408430b", "name": "n", "address_family": "ipv4", "local_gateway_ip": "1.1.1.1/30", "remote_gateway_ip": "1.1.1.2/30"}}"#).unwrap();
    let config = |token: String| {
        Config::new(Endpoints::huawei("r"), Auth::Token(Secret::new(token))).with_project_id("p")
    };
    assert!(
        build_request::<CreateVifPeerOperation>(
            &config("t".repeat(10240)),
            &CreateVifPeerParameters::new(),
            &body,
            UNIX_EPOCH
        )
        .is_ok()
    );
    match build_request::<CreateVifPeerOperation>(
        &config("t".repeat(10241)),
        &CreateVifPeerParameters::new(),
        &body,
        UNIX_EPOCH,
    ) {
        Err(Error::Validation(v)) => {
            let v = v.iter().next().unwrap();
            assert_eq!(
                (v.path.as_str(), v.value.as_str()),
                ("header.X-Auth-Token", "\"***\"")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn reads_success_bodies_and_errors() {
    let response = |status: u16, body: &str| {
        http::Response::builder()
            .status(status)
            .header("X-Request-Id", "rid")
            .body(body.as_bytes().to_vec())
            .unwrap()
    };
    let ok = read_response::<CreateVpnConnection>(response(
        201,
        r#"{"vpn_connection": {"id": "x", "style": "NEW_STYLE"}, "request_id": "r"}"#,
    ))
    .unwrap();
    assert_eq!(ok.vpn_connection.unwrap().id.as_deref(), Some("x"));
    match read_response::<CreateVpnConnection>(response(
        400,
        r#"{"error_code": "VPN.0001", "error_msg": "bad"}"#,
    ))
    .unwrap_err()
    {
        Error::Api(e) => assert_eq!(
            (e.status, e.code.as_deref(), e.request_id.as_deref()),
            (400, Some("VPN.0001"), Some("rid"))
        ),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        read_response::<CreateVpnConnection>(response(200, "{}")).unwrap_err(),
        Error::UndocumentedStatus(_)
    ));
    assert!(matches!(
        read_response::<CreateVpnConnection>(response(201, "[1]")).unwrap_err(),
        Error::MalformedBody { .. }
    ));
}

/// JSON is UTF-8: a success body with a byte that is not is a malformed body, with the
/// offset of that byte, and the body kept (lossily) for the caller; a body that is valid
/// UTF-8 with an escaped character reads as before.
#[test]
fn a_success_body_that_is_not_utf8_is_malformed() {
    let response = |body: &[u8]| {
        http::Response::builder()
            .status(201)
            .body(body.to_vec())
            .unwrap()
    };
    let mut bytes = br#"{"vpn_connection": {"id": "x"#.to_vec();
    bytes.push(0xff);
    bytes.extend_from_slice(br#""}}"#);
    match read_response::<CreateVpnConnection>(response(&bytes)).unwrap_err() {
        Error::MalformedBody {
            status,
            message,
            body,
            ..
        } => {
            assert_eq!(status, 201);
            assert!(
                message.contains("not UTF-8") && message.contains("offset 28"),
                "{message}"
            );
            assert!(body.contains('\u{fffd}'), "{body}");
        }
        other => panic!("{other:?}"),
    }
    let ok = read_response::<CreateVpnConnection>(response(
        r#"{"vpn_connection": {"id": "\u00e9t\u00e9", "name": "été"}}"#.as_bytes(),
    ))
    .unwrap();
    let connection = ok.vpn_connection.unwrap();
    assert_eq!(connection.id.as_deref(), Some("été"));
    assert_eq!(connection.name.as_deref(), Some("été"));
}

#[test]
fn credentials_never_show_in_debug() {
    let keys =
        AkSk::new("AKIDEXAMPLE1234", "the-secret-key").with_security_token("the-session-token");
    let config = Config::new(Endpoints::huawei("r"), Auth::AkSk(keys));
    let debug = format!("{config:?}");
    assert!(
        !debug.contains("the-secret-key")
            && !debug.contains("the-session-token")
            && !debug.contains("AKIDEXAMPLE"),
        "{debug}"
    );
    assert!(debug.contains("***1234"), "{debug}");
    let token = format!(
        "{:?}",
        Config::new(Endpoints::huawei("r"), Auth::Token(Secret::new("tok-123")))
    );
    assert!(!token.contains("tok-123"), "{token}");
}

/// Builds a token-authenticated `create_vpn_connection` request with `config` changed by
/// `adjust`.
fn build_with(
    endpoints: Endpoints,
    adjust: impl FnOnce(Config) -> Config,
) -> Result<http::Request<netapi::runtime::client::Body>, Error> {
    let config = adjust(
        Config::new(endpoints, Auth::Token(Secret::new("tok-secret-1"))).with_project_id("p"),
    );
    build_request::<CreateVpnConnection>(
        &config,
        &CreateVpnConnectionParameters::new(),
        &body(),
        UNIX_EPOCH,
    )
}

fn config_error(result: Result<http::Request<netapi::runtime::client::Body>, Error>) -> String {
    match result {
        Err(Error::Config(message)) => message,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn endpoints_with_userinfo_query_or_fragment_are_refused() {
    let custom = |url: &str| Endpoints::custom().with_service("vpn", url);
    // Credentials in the URL would go out in `Host` (ureq also turns them into
    // `Authorization: Basic`) and into transport errors.
    for url in [
        "https://user:hunter2@vpn.example.test",
        "https://hunter2@vpn.example.test/base",
    ] {
        let message = config_error(build_with(custom(url), |c| c));
        assert!(message.contains("user-info"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
        let debug = format!("{:?}", custom(url));
        assert!(!debug.contains("hunter2"), "{debug}");
    }
    // A query or fragment in the base would swallow the path or be sent as the path.
    for url in [
        "https://vpn.example.test/#frag",
        "https://vpn.example.test/?x=1",
        "https://vpn.example.test?x=1",
    ] {
        let message = config_error(build_with(custom(url), |c| c));
        assert!(message.contains("query or fragment"), "{url}: {message}");
    }
    for (url, expected) in [
        ("file:///etc/passwd", "scheme `file`"),
        ("ftp://vpn.example.test", "scheme `ftp`"),
        ("vpn.example.test", "not an absolute URL"),
        ("https://", "not an absolute URL"),
        ("https:///v5", "no host"),
    ] {
        let message = config_error(build_with(custom(url), |c| c));
        assert!(message.contains(expected), "{url}: {message}");
        assert!(!message.contains("plain http"), "{url}: {message}");
    }
}

#[test]
fn the_scheme_is_case_insensitive() {
    // RFC 3986, section 3.1: schemes are case-insensitive.
    let request = build_with(
        Endpoints::custom().with_service("vpn", "HTTPS://vpn.example.test"),
        |c| c,
    )
    .unwrap();
    assert_eq!(
        request.uri().to_string(),
        "https://vpn.example.test/v5/p/vpn-connection"
    );
    let message = config_error(build_with(
        Endpoints::custom().with_service("vpn", "HTTP://vpn.example.test"),
        |c| c,
    ));
    assert!(message.contains("over plain http"), "{message}");
}

#[test]
fn regions_must_be_region_names() {
    for region in [
        "attacker.example/",
        "attacker.example",
        "eu-de/../x",
        "EU-DE",
        "",
        "-eu",
        "eu de",
        "r@x",
    ] {
        let message = config_error(build_with(Endpoints::huawei(region), |c| c));
        assert!(message.contains("not a region name"), "{region}: {message}");
        assert_eq!(Endpoints::open_telekom_cloud(region).base_url("vpn"), None);
    }
    for region in ["eu-de", "ap-southeast-1", "cn-north-4", "eu-west-101"] {
        assert!(
            build_with(Endpoints::huawei(region), |c| c).is_ok(),
            "{region}"
        );
    }
}

#[test]
fn dot_and_empty_path_parameters_are_refused() {
    for project in ["..", ".", ""] {
        match build_with(Endpoints::huawei("eu-de"), |c| c.with_project_id(project)) {
            Err(Error::Validation(violations)) => {
                let v = violations.iter().next().unwrap();
                assert_eq!(
                    (v.path.as_str(), v.kind),
                    ("project_id", netapi::ViolationKind::PathSegment),
                    "{project:?}"
                );
            }
            other => panic!("{project:?}: {other:?}"),
        }
    }
    // Dots inside a value are fine: only whole dot segments change the path.
    let request = build_with(Endpoints::huawei("eu-de"), |c| c.with_project_id("a..b")).unwrap();
    assert!(request.uri().path().starts_with("/v5/a..b/"));
}

#[test]
fn huge_timeouts_are_clamped() {
    let config =
        Config::new(Endpoints::huawei("r"), Auth::None).with_timeouts(Duration::MAX, Duration::MAX);
    assert_eq!(config.connect_timeout, netapi::runtime::client::MAX_TIMEOUT);
    assert_eq!(config.read_timeout, netapi::runtime::client::MAX_TIMEOUT);
    let mut raw = config.clone();
    raw.connect_timeout = Duration::MAX;
    raw.read_timeout = Duration::MAX;
    let (connect, attempt) = raw.attempt_timeouts();
    assert_eq!(connect, netapi::runtime::client::MAX_TIMEOUT);
    assert_eq!(attempt, 2 * netapi::runtime::client::MAX_TIMEOUT);
    let retry = netapi::Retry {
        max_attempts: 5,
        base_delay: Duration::MAX,
        non_idempotent: false,
    };
    assert_eq!(
        netapi::runtime::client::backoff(&retry, 4, None),
        netapi::runtime::client::MAX_TIMEOUT
    );
}

#[test]
fn statuses_outside_http_are_not_refusals() {
    for status in [600u16, 999] {
        let response = http::Response::builder()
            .status(status)
            .body(br#"{"error_code": "X", "error_msg": "m"}"#.to_vec())
            .unwrap();
        let error = read_response::<CreateVpnConnection>(response).unwrap_err();
        assert!(
            matches!(error, Error::UndocumentedStatus(ref e) if e.status == status),
            "{error:?}"
        );
        let text = error.to_string();
        assert!(text.contains("not an HTTP status"), "{text}");
        assert!(!text.contains("refused"), "{text}");
    }
}
