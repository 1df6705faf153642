//! The `User-Agent` header: `netapi/<version>`, with the application's suffix from `Config`,
//! built by the sans-IO core and sent as built by both transports (not ureq's or reqwest's).

mod support;

use std::time::{Duration, UNIX_EPOCH};

use netapi::runtime::client::{USER_AGENT, build_request};
use netapi::vpn::create_vpn_connection::{
    CreateVpnConnection, CreateVpnConnectionParameters, CreateVpnConnectionRequestBody,
};
use netapi::{Config, Error};
use support::CALLS;
#[cfg(any(feature = "blocking", feature = "async"))]
use support::Received;

/// What the crate sends without a suffix: its own name and version, from its manifest.
fn own() -> String {
    format!("netapi/{}", env!("CARGO_PKG_VERSION"))
}

fn vpn_connection() -> (
    &'static str,
    CreateVpnConnectionRequestBody,
    u16,
    &'static str,
) {
    let (id, request, status, response) = CALLS
        .iter()
        .find(|(id, ..)| *id == "create_vpn_connection")
        .expect("the support module has a create_vpn_connection call");
    (
        id,
        serde_json::from_str(request).unwrap(),
        *status,
        response,
    )
}

fn user_agent_of(config: &Config) -> Result<String, Error> {
    let (_, body, _, _) = vpn_connection();
    let at = UNIX_EPOCH + Duration::from_secs(1_573_788_615);
    let request = build_request::<CreateVpnConnection>(
        config,
        &CreateVpnConnectionParameters::new(),
        &body,
        at,
    )?;
    let values: Vec<&str> = request
        .headers()
        .get_all("user-agent")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(values.len(), 1, "one User-Agent: {values:?}");
    Ok(values[0].to_owned())
}

/// Exactly one `User-Agent` arrived, with `expected`, and the AK/SK signature, which covers
/// it, still verifies.
#[cfg(any(feature = "blocking", feature = "async"))]
fn check_arrived(received: &[Received], expected: &str) {
    assert_eq!(received.len(), 1);
    let agents: Vec<&str> = received[0]
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("user-agent"))
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(agents, [expected]);
    received[0]
        .verify_signature(support::ACCESS_KEY, support::SECRET_KEY)
        .unwrap();
}

#[test]
fn the_sans_io_core_sends_the_crate_name_and_version() {
    assert_eq!(USER_AGENT, own());
    let config = support::config("https://vpn.example.test", support::aksk());
    assert_eq!(config.user_agent(), own());
    assert_eq!(user_agent_of(&config).unwrap(), own());
    // An empty or blank suffix is no suffix.
    let blank = config.clone().with_user_agent_suffix("  ");
    assert_eq!(user_agent_of(&blank).unwrap(), own());
}

#[test]
fn the_suffix_follows_and_is_signed() {
    let config = support::config("https://vpn.example.test", support::aksk())
        .with_user_agent_suffix(" my-tool/1.2 (ops) ");
    let expected = format!("{} my-tool/1.2 (ops)", own());
    assert_eq!(config.user_agent(), expected);
    let (_, body, _, _) = vpn_connection();
    let request = build_request::<CreateVpnConnection>(
        &config,
        &CreateVpnConnectionParameters::new(),
        &body,
        UNIX_EPOCH,
    )
    .unwrap();
    assert_eq!(request.headers()["user-agent"], expected.as_str());
    let authorization = request.headers()["authorization"].to_str().unwrap();
    assert!(
        authorization.contains(";user-agent;"),
        "the User-Agent is signed: {authorization}"
    );
}

#[test]
fn a_suffix_that_is_not_a_header_value_is_refused_before_sending() {
    for bad in ["my-tool\r\nX-Injected: 1", "tool/ü", "tab\u{7f}"] {
        let config = support::config("https://vpn.example.test", support::token())
            .with_user_agent_suffix(bad);
        match user_agent_of(&config) {
            Err(Error::Config(message)) => {
                assert!(message.contains("User-Agent"), "{message}")
            }
            other => panic!("{bad:?}: {other:?}"),
        }
    }
}

#[cfg(feature = "blocking")]
#[test]
fn the_blocking_client_sends_it_instead_of_ureqs() {
    for suffix in [None, Some("my-tool/1.2")] {
        let (_, body, status, response) = vpn_connection();
        let server = support::Server::start(vec![support::Reply::json(status, response)]);
        let mut config = support::config(&server.url(), support::aksk());
        if let Some(suffix) = suffix {
            config = config.with_user_agent_suffix(suffix);
        }
        let expected = config.user_agent();
        let client = netapi::BlockingClient::new(config);
        client
            .create_vpn_connection(&CreateVpnConnectionParameters::new(), &body)
            .unwrap();
        check_arrived(&server.requests(), &expected);
    }
}

#[cfg(feature = "async")]
#[test]
fn the_async_client_sends_it_instead_of_reqwests() {
    support::run(async {
        for suffix in [None, Some("my-tool/1.2")] {
            let (_, body, status, response) = vpn_connection();
            let server = support::Server::start(vec![support::Reply::json(status, response)]);
            let mut config = support::config(&server.url(), support::aksk());
            if let Some(suffix) = suffix {
                config = config.with_user_agent_suffix(suffix);
            }
            let expected = config.user_agent();
            let client = netapi::AsyncClient::new(config).unwrap();
            client
                .create_vpn_connection(&CreateVpnConnectionParameters::new(), &body)
                .await
                .unwrap();
            check_arrived(&server.requests(), &expected);
        }
    });
}
