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
