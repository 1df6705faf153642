//! Secrets never show: not in `Debug` or `Display` of bodies, configs, requests, violations
//! or errors, whatever the body carries and however it is broken.

use std::time::UNIX_EPOCH;

use netapi::runtime::client::{build_request, read_response};
use netapi::{AkSk, Auth, Config, Endpoints, Secret, Validate};

const PSK: &str = "pskonlylowercasesecret";
const MD5: &str = "Md5SecretValue8";
const TOKEN: &str = "TokenSecretValue7";
const SECRET_KEY: &str = "SkSecretValue6";
const SESSION: &str = "SessionSecretValue5";
const NUMBER: &str = "987654321012345";
/// A psk that meets its rules, for requests that must be built.
const GOOD_PSK: &str = "GoodPsk-Secret-4";

fn assert_clean(what: &str, text: &str, extra: &[&str]) {
    for secret in [PSK, MD5, TOKEN, SECRET_KEY, SESSION, NUMBER, GOOD_PSK]
        .iter()
        .chain(extra)
    {
        assert!(
            !text.contains(secret),
            "{what} shows a secret ({secret}):\n{text}"
        );
    }
}

#[test]
fn bodies_and_violations_never_show_secrets() {
    use netapi::dcaas::create_vif_peer::CreateVifPeerRequestBody;
    use netapi::vpn::create_vpn_connection::CreateVpnConnectionRequestBody;
    let vif: CreateVifPeerRequestBody = serde_json::from_str(&format!(
        r#"{{"vif_peer": {{"vif_id": "x", "name": "n", "address_family": "ipv4", "local_gateway_ip": "a", "remote_gateway_ip": "b", "bgp_md5": "{MD5}"}}}}"#
    ))
    .unwrap();
    assert_clean("Debug of a request body", &format!("{vif:?} {vif:#?}"), &[]);
    let error = vif.validate().unwrap_err();
    assert_clean("violations", &format!("{error} {error:?}"), &[]);

    // A psk that breaks its rules: the violation names the field and the rule, masks the value.
    let body = format!(
        r#"{{"vpn_connection": {{"vgw_id": "a", "vgw_ip": "b", "cgw_id": "c", "psk": "{PSK}"}}}}"#
    );
    let parsed: CreateVpnConnectionRequestBody = serde_json::from_str(&body).unwrap();
    assert_clean("Debug of a request body", &format!("{parsed:?}"), &[]);
    let error = netapi::check_request_json("create_vpn_connection", &body).unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(text.contains("vpn_connection.psk"), "{text}");
    assert_clean("check_request_json", &text, &[]);

    // A psk of the wrong type: serde would quote it; the report must not.
    for value in [
        NUMBER.to_owned(),
        format!("[\"{PSK}\"]"),
        format!("{{\"k\": \"{PSK}\"}}"),
    ] {
        let body = format!(
            r#"{{"vpn_connection": {{"vgw_id": "a", "vgw_ip": "b", "cgw_id": "c", "psk": {value}}}}}"#
        );
        let error = netapi::check_request_json("create_vpn_connection", &body).unwrap_err();
        assert_clean("a structural error", &format!("{error} {error:?}"), &[]);
        let direct = serde_json::from_str::<CreateVpnConnectionRequestBody>(&body).unwrap_err();
        assert_clean("serde's own error", &direct.to_string(), &[]);
    }
}

#[test]
fn configs_requests_and_errors_never_show_credentials() {
    use netapi::vpn::create_vpn_connection::{
        CreateVpnConnection, CreateVpnConnectionParameters, CreateVpnConnectionRequestBody,
    };
    let body: CreateVpnConnectionRequestBody = serde_json::from_str(&format!(
        r#"{{"vpn_connection": {{"vgw_id": "b32d91a4-0f3c-4e1b-a8df-e907174eb11d", "vgw_ip": "10.1.1.1", "cgw_id": "5247ae10-9e2b-4d3a-a8df-dd36659a7f5d", "peer_subnets": ["10.2.0.0/16"], "psk": "{GOOD_PSK}"}}}}"#
    ))
    .unwrap();
    let keys = AkSk::new("AKFOR0001", SECRET_KEY).with_security_token(SESSION);
    let config = Config::new(Endpoints::huawei("r"), Auth::AkSk(keys)).with_project_id("p");
    assert_clean("Debug of a config", &format!("{config:?} {config:#?}"), &[]);
    let request = build_request::<CreateVpnConnection>(
        &config,
        &CreateVpnConnectionParameters::new(),
        &body,
        UNIX_EPOCH,
    )
    .unwrap();
    let authorization = request.headers()["authorization"].to_str().unwrap();
    let signature = authorization
        .rsplit("Signature=")
        .next()
        .unwrap()
        .to_owned();
    assert_clean(
        "Debug of a signed request's headers",
        &format!("{:?}", request.headers()),
        &[&signature],
    );

    let token_config =
        Config::new(Endpoints::huawei("r"), Auth::Token(Secret::new(TOKEN))).with_project_id("p");
    assert_clean("Debug of a token config", &format!("{token_config:?}"), &[]);
    let request = build_request::<CreateVpnConnection>(
        &token_config,
        &CreateVpnConnectionParameters::new(),
        &body,
        UNIX_EPOCH,
    )
    .unwrap();
    assert_clean(
        "Debug of a token request's headers",
        &format!("{:?}", request.headers()),
        &[],
    );

    // A response that echoes a secret in the wrong type, and an error body that quotes one.
    use netapi::vpn::create_ipsec_site_connection::CreateIpsecSiteConnection;
    let response = |status: u16, body: String| {
        http::Response::builder()
            .status(status)
            .body(body.into_bytes())
            .unwrap()
    };
    let malformed = read_response::<CreateIpsecSiteConnection>(response(
        201,
        format!(r#"{{"ipsec_site_connection": {{"psk": {NUMBER}}}}}"#),
    ))
    .unwrap_err();
    assert_clean(
        "a malformed-body error",
        &format!("{malformed} {malformed:?}"),
        &[],
    );
    let refused = read_response::<CreateIpsecSiteConnection>(response(
        400,
        format!(r#"{{"error_code": "X", "error_msg": "bad", "echo": "{PSK}"}}"#),
    ))
    .unwrap_err();
    assert_clean("an API error", &format!("{refused} {refused:?}"), &[]);
}

fn vpn_body() -> netapi::vpn::create_vpn_connection::CreateVpnConnectionRequestBody {
    serde_json::from_str(&format!(
        r#"{{"vpn_connection": {{"vgw_id": "b32d91a4-0f3c-4e1b-a8df-e907174eb11d", "vgw_ip": "10.1.1.1", "cgw_id": "5247ae10-9e2b-4d3a-a8df-dd36659a7f5d", "peer_subnets": ["10.2.0.0/16"], "psk": "{GOOD_PSK}"}}}}"#
    ))
    .unwrap()
}

#[test]
fn debug_of_a_built_request_masks_the_body_and_auth_headers() {
    use netapi::vpn::create_vpn_connection::{CreateVpnConnection, CreateVpnConnectionParameters};
    let keys = AkSk::new("AKFOR0001", SECRET_KEY).with_security_token(SESSION);
    for auth in [Auth::AkSk(keys), Auth::Token(Secret::new(TOKEN))] {
        let config = Config::new(Endpoints::huawei("r"), auth).with_project_id("p");
        let request = build_request::<CreateVpnConnection>(
            &config,
            &CreateVpnConnectionParameters::new(),
            &vpn_body(),
            UNIX_EPOCH,
        )
        .unwrap();
        let signature = request
            .headers()
            .get("authorization")
            .map(|v| {
                v.to_str()
                    .unwrap()
                    .rsplit("Signature=")
                    .next()
                    .unwrap()
                    .to_owned()
            })
            .unwrap_or_else(|| "no-signature".to_owned());
        let debug = format!("{request:?} {request:#?}");
        // `Vec<u8>`'s `Debug` would print the psk as a list of byte values.
        let as_bytes = format!("{:?}", GOOD_PSK.as_bytes());
        let as_bytes = as_bytes.trim_matches(['[', ']']);
        assert_clean("Debug of a built request", &debug, &[&signature, as_bytes]);
        // What is not secret still shows, so the Debug is worth logging.
        assert!(
            debug.contains("b32d91a4-0f3c-4e1b-a8df-e907174eb11d"),
            "{debug}"
        );
        assert!(debug.contains("Secret(***)"), "{debug}");
        // The bytes sent are unchanged.
        let sent: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
        assert_eq!(sent["vpn_connection"]["psk"], GOOD_PSK);
    }
}

#[test]
fn api_errors_show_no_raw_body_and_escape_what_the_server_sent() {
    use netapi::vpn::create_vpn_connection::CreateVpnConnection;
    let response = |status: u16, body: String| {
        http::Response::builder()
            .status(status)
            .body(body.into_bytes())
            .unwrap()
    };
    // A server (or proxy) that echoes the request in an error of no known shape.
    let echo = format!(r#"{{"echo": {{"vpn_connection": {{"psk": "{GOOD_PSK}"}}}}}}"#);
    let error = read_response::<CreateVpnConnection>(response(400, echo.clone())).unwrap_err();
    assert_clean(
        "an API error echoing the request",
        &format!("{error} {error:?}"),
        &[],
    );
    match &error {
        netapi::Error::Api(api) => {
            assert_eq!(api.raw_body(), echo, "the body stays readable on request");
            assert!(error.to_string().contains("bytes"), "{error}");
        }
        other => panic!("{other:?}"),
    }
    // Control characters in every piece of text that came from the network.
    let forged = r#"{"request_id": "rid\r\nforged", "NeutronError": {"type": "Bad\nRequest", "message": "line\n2026-01-01 INFO forged \u001b[31m red", "detail": "\u202eevil"}}"#;
    let error = read_response::<CreateVpnConnection>(response(400, forged.to_owned())).unwrap_err();
    let text = error.to_string();
    for c in ['\n', '\r', '\u{1b}', '\u{202e}'] {
        assert!(!text.contains(c), "{c:?} in {text:?}");
    }
    assert!(text.contains("line\\n2026"), "{text}");
    // A malformed success body: serde's message names the unknown key as sent.
    let malformed = read_response::<CreateVpnConnection>(response(
        201,
        "{\"vpn_connection\": {\"a\\nb\": 1, \"a\\nb\": 2}}".to_owned(),
    ))
    .unwrap_err();
    let text = malformed.to_string();
    assert!(
        matches!(malformed, netapi::Error::MalformedBody { .. }),
        "{malformed:?}"
    );
    assert!(!text.contains('\n') && text.contains("a\\nb"), "{text:?}");
}

#[test]
fn undocumented_response_keys_show_as_names_only() {
    use netapi::vpn::create_vpn_service::CreateVpnServiceResponseBody;
    let body = format!(
        r#"{{"vpnservice": {{"id": "x", "psk": "{PSK}", "nested": {{"bgp_md5": "{MD5}"}}}}, "token": "{TOKEN}"}}"#
    );
    let parsed: CreateVpnServiceResponseBody = serde_json::from_str(&body).unwrap();
    let debug = format!("{parsed:?} {parsed:#?}");
    assert_clean("Debug of a response with undocumented keys", &debug, &[]);
    assert!(
        debug.contains("\"psk\"") && debug.contains("\"token\""),
        "{debug}"
    );
    // Nothing is lost: the values are kept and written back.
    let written: serde_json::Value = serde_json::to_value(&parsed).unwrap();
    assert_eq!(written["vpnservice"]["psk"], PSK);
    assert_eq!(parsed.extra["token"], TOKEN);
}

#[test]
fn a_wrong_typed_parent_of_a_secret_is_not_quoted() {
    use netapi::dcaas::create_vif_peer::{CreateVifPeerOperation, CreateVifPeerRequestBody};
    use netapi::vpn::create_ipsec_site_connection::CreateIpsecSiteConnection;
    let wrong = [
        format!(r#"{{"vif_peer": "bgp_md5={MD5}"}}"#),
        format!(r#"{{"vif_peer": {NUMBER}}}"#),
        format!(r#""bgp_md5={MD5}""#),
        format!(r#"{{"vif_peer": ["bgp_md5={MD5}"]}}"#),
    ];
    for body in &wrong {
        let error = netapi::check_request_json("create_vif_peer", body).unwrap_err();
        assert_clean("check_request_json", &format!("{error} {error:?}"), &[]);
        let direct = serde_json::from_str::<CreateVifPeerRequestBody>(body).unwrap_err();
        assert_clean("serde's error", &direct.to_string(), &[]);
        let response = http::Response::builder()
            .status(201)
            .body(body.clone().into_bytes())
            .unwrap();
        let error = read_response::<CreateVifPeerOperation>(response).unwrap_err();
        assert_clean("read_response", &format!("{error} {error:?}"), &[]);
    }
    let body = format!(r#"{{"ipsec_site_connection": "psk={PSK}"}}"#);
    let error =
        netapi::check_response_json("create_ipsec_site_connection", 201, &body).unwrap_err();
    assert_clean("check_response_json", &format!("{error} {error:?}"), &[]);
    let response = http::Response::builder()
        .status(201)
        .body(body.into_bytes())
        .unwrap();
    let error = read_response::<CreateIpsecSiteConnection>(response).unwrap_err();
    assert_clean("read_response", &format!("{error} {error:?}"), &[]);
}
