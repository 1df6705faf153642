//! The escape hatch for fields a page does not list (`UnlistedFields::with_unlisted_field`):
//! typed in code, sent as given after the documented fields, not refused by `validate()`,
//! still refused by `check_request_json`, never a second copy of a documented key, and
//! hidden in `Debug` when the key names a secret.

mod support;

use std::time::UNIX_EPOCH;

use netapi::runtime::client::build_request;
use netapi::vpn::create_vpn_connection::{
    CreateVpnConnection, CreateVpnConnectionParameters, CreateVpnConnectionRequestBody,
    CreateVpnConnectionRequestBodyContent,
};
use netapi::{UnlistedFieldError, UnlistedFields, Validate};
use serde_json::json;

/// The valid VPN connection body of the client tests, as a typed value.
fn documented() -> CreateVpnConnectionRequestBody {
    let (_, request, _, _) = support::CALLS
        .iter()
        .find(|(id, ..)| *id == "create_vpn_connection")
        .expect("the support module has a create_vpn_connection call");
    serde_json::from_str(request).unwrap()
}

/// The same body with two fields the official SDK has and page 004 does not.
fn with_sdk_fields() -> Result<CreateVpnConnectionRequestBody, UnlistedFieldError> {
    let mut body = documented();
    body.vpn_connection = body
        .vpn_connection
        .with_unlisted_field("enable_hub", json!(true))?
        .with_unlisted_field("peer_subnets_v6", json!(["fd00:1::/64"]))?;
    Ok(body)
}

/// The body `build_request` puts on the wire, as text.
fn wire(body: &CreateVpnConnectionRequestBody) -> String {
    let config = support::config("https://vpn.example.test", support::aksk());
    let request = build_request::<CreateVpnConnection>(
        &config,
        &CreateVpnConnectionParameters::new(),
        body,
        UNIX_EPOCH,
    )
    .expect("validation does not refuse unlisted fields");
    String::from_utf8(request.into_body().into_bytes()).unwrap()
}

#[test]
fn unlisted_fields_are_sent_as_given_after_the_documented_ones() {
    let body = with_sdk_fields().unwrap();
    assert!(body.validate().is_ok());
    let sent = wire(&body);
    let documented = wire(&documented());
    // The documented fields come first, exactly as without the hatch; then the unlisted
    // ones, in the order they were set.
    let prefix = documented.strip_suffix("}}").unwrap();
    assert_eq!(
        sent,
        format!(r#"{prefix},"enable_hub":true,"peer_subnets_v6":["fd00:1::/64"]}}}}"#)
    );
    let content = &body.vpn_connection;
    assert_eq!(content.unlisted_fields().len(), 2);
    assert_eq!(
        content.unlisted_fields().get("enable_hub"),
        Some(&json!(true))
    );
}

#[test]
fn every_request_type_has_the_hatch_and_setting_a_key_again_replaces_it() {
    let body = documented()
        .with_unlisted_field("dry_run", json!(false))
        .and_then(|b| b.with_unlisted_field("dry_run", json!(true)))
        .unwrap();
    let sent: serde_json::Value = serde_json::from_str(&wire(&body)).unwrap();
    assert_eq!(sent["dry_run"], json!(true));
    assert_eq!(
        wire(&body).matches("dry_run").count(),
        1,
        "one key on the wire"
    );
}

#[test]
fn a_documented_field_cannot_go_through_the_hatch() {
    let content = CreateVpnConnectionRequestBodyContent::new("vgw", "vgw-ip", "cgw");
    for key in ["psk", "vgw_id", "policy_rules"] {
        let error = content
            .clone()
            .with_unlisted_field(key, json!("anything"))
            .unwrap_err();
        assert_eq!(error.key, key);
        assert_eq!(error.type_name, "CreateVpnConnectionRequestBodyContent");
        assert!(error.to_string().contains("own setter"), "{error}");
    }
    let wrapper = CreateVpnConnectionRequestBody::new(content);
    assert!(
        wrapper
            .with_unlisted_field("vpn_connection", json!({}))
            .is_err()
    );
}

#[test]
fn check_request_json_still_refuses_unlisted_keys() {
    let text = serde_json::to_string(&with_sdk_fields().unwrap()).unwrap();
    let error = netapi::check_request_json("create_vpn_connection", &text)
        .unwrap_err()
        .to_string();
    assert!(error.contains("enable_hub"), "{error}");
    assert!(error.contains("peer_subnets_v6"), "{error}");
}

#[test]
fn debug_hides_the_values_of_secret_keys() {
    let content = CreateVpnConnectionRequestBodyContent::new("vgw", "vgw-ip", "cgw")
        .with_unlisted_field("psk_v6", json!("Hunter2-Secret"))
        .and_then(|c| c.with_unlisted_field("enable_hub", json!("visible-value")))
        .unwrap();
    let debug = format!("{content:?}");
    assert!(!debug.contains("Hunter2-Secret"), "{debug}");
    assert!(debug.contains(r#""psk_v6": "***""#), "{debug}");
    assert!(debug.contains("visible-value"), "{debug}");
}

#[cfg(feature = "blocking")]
#[test]
fn the_blocking_client_sends_unlisted_fields_signed() {
    let (_, _, status, response) = support::CALLS
        .iter()
        .find(|(id, ..)| *id == "create_vpn_connection")
        .unwrap();
    let server = support::Server::start(vec![support::Reply::json(*status, response)]);
    let client = netapi::BlockingClient::new(support::config(&server.url(), support::aksk()));
    client
        .create_vpn_connection(
            &CreateVpnConnectionParameters::new(),
            &with_sdk_fields().unwrap(),
        )
        .unwrap();
    let received = server.requests();
    assert_eq!(received.len(), 1);
    let sent: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(sent["vpn_connection"]["enable_hub"], json!(true));
    assert_eq!(
        sent["vpn_connection"]["peer_subnets_v6"],
        json!(["fd00:1::/64"])
    );
    received[0]
        .verify_signature(support::ACCESS_KEY, support::SECRET_KEY)
        .unwrap();
}

#[cfg(feature = "async")]
#[test]
fn the_async_client_sends_unlisted_fields() {
    let (_, _, status, response) = support::CALLS
        .iter()
        .find(|(id, ..)| *id == "create_vpn_connection")
        .unwrap();
    let server = support::Server::start(vec![support::Reply::json(*status, response)]);
    let client =
        netapi::AsyncClient::new(support::config(&server.url(), support::token())).unwrap();
    support::run(client.create_vpn_connection(
        &CreateVpnConnectionParameters::new(),
        &with_sdk_fields().unwrap(),
    ))
    .unwrap();
    let sent: serde_json::Value = serde_json::from_slice(&server.requests()[0].body).unwrap();
    assert_eq!(sent["vpn_connection"]["enable_hub"], json!(true));
}
