//! Decisions taken from the pages (issue 13, "Fidelity"): what the client accepts and
//! refuses where a page is silent, contradicts itself or states a rule in prose. Each test
//! names the page's words it holds the specs to; the reasons are in the specs' errata.

use netapi::{CheckError, ViolationKind};
use netapi_codegen::Config;
use netapi_codegen::ir::{Api, TypeKind};
use netapi_codegen::spec::Direction;

/// The violations of a request body as `(path, rule)`, or none when it is accepted.
fn problems(operation: &str, body: &str) -> Vec<(String, ViolationKind)> {
    match netapi::check_request_json(operation, body) {
        Ok(()) => Vec::new(),
        Err(CheckError::Body(violations)) => violations
            .iter()
            .map(|v| (v.path.clone(), v.kind))
            .collect(),
        Err(other) => panic!("{operation}: {other}"),
    }
}

/// A valid VPN connection with `extra` added to its object (ids are real UUIDs).
fn connection(extra: &str) -> String {
    format!(
        r#"{{"vpn_connection": {{"vgw_id": "b32d91a4-0f3c-4e1b-a8df-e907174eb11d",
            "vgw_ip": "10.0.0.1", "cgw_id": "5247ae10-9e2b-4d3a-a8df-dd36659a7f5d"{extra}}}}}"#
    )
}

fn lowered() -> Api {
    Config::new("spec")
        .lower()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Page 004 prints no default for `style`, so a request that leaves it out is judged by
/// the page's words alone: "Set this parameter only when style is set to static/policy"
/// refuses enable_nqa and policy_rules, and peer_subnets is not required by the client
/// (erratum style-absent). With style set, the rules apply as before.
#[test]
fn vpn_connection_rules_without_style() {
    let op = "create_vpn_connection";
    assert_eq!(problems(op, &connection("")), []);
    assert_eq!(
        problems(op, &connection(r#", "enable_nqa": true"#)),
        [(
            "vpn_connection.enable_nqa".to_owned(),
            ViolationKind::OnlyWhen
        )]
    );
    assert_eq!(
        problems(op, &connection(r#", "policy_rules": [{"rule_index": 1}]"#)),
        [(
            "vpn_connection.policy_rules".to_owned(),
            ViolationKind::OnlyWhen
        )]
    );
    assert_eq!(
        problems(op, &connection(r#", "style": "static""#)),
        [(
            "vpn_connection.peer_subnets".to_owned(),
            ViolationKind::RequiredWhen
        )]
    );
    let static_nqa =
        r#", "style": "static", "peer_subnets": ["192.168.44.0/24"], "enable_nqa": true"#;
    assert_eq!(problems(op, &connection(static_nqa)), []);
    // Policy or BGP without peer_subnets depends on the gateway's association mode.
    assert_eq!(problems(op, &connection(r#", "style": "bgp""#)), []);
}

/// Page 004 names no address family for the customer's blocks (erratum cidr-family), and
/// its limit of 50 destinations is worded for responses ("can be returned").
#[test]
fn vpn_connection_customer_blocks_take_both_families_and_destinations_are_unlimited() {
    let op = "create_vpn_connection";
    let ipv6 = r#", "style": "policy", "peer_subnets": ["2001:db8:1::/48"],
        "policy_rules": [{"rule_index": 1, "source": "2001:db8:2::/64", "destination": ["2001:db8:3::/64"]}]"#;
    assert_eq!(problems(op, &connection(ipv6)), []);
    // The reserved blocks the page names still apply, and a block is still a block.
    let reserved = r#", "peer_subnets": ["100.64.0.0/10", "2001:db8::1/64"]"#;
    assert_eq!(
        problems(op, &connection(reserved)),
        [
            (
                "vpn_connection.peer_subnets[0]".to_owned(),
                ViolationKind::Reserved
            ),
            (
                "vpn_connection.peer_subnets[1]".to_owned(),
                ViolationKind::Format
            ),
        ]
    );
    let many: Vec<String> = (0..60).map(|i| format!("\"10.{i}.0.0/16\"")).collect();
    let destinations = format!(
        r#", "style": "policy", "policy_rules": [{{"source": "192.168.0.0/24", "destination": [{}]}}]"#,
        many.join(", ")
    );
    assert_eq!(problems(op, &connection(&destinations)), []);
}

/// Page 004 leaves the description cells of phase1_negotiation_mode and dpd.msg empty and
/// lists no values, so any string is sent as given.
#[test]
fn vpn_connection_fields_with_empty_cells_are_open_strings() {
    let body = connection(
        r#", "ikepolicy": {"phase1_negotiation_mode": "something-new", "authentication_method": "cert",
            "dpd": {"msg": "another-format"}},
            "ipsecpolicy": {"transform_protocol": "ah", "encapsulation_mode": "transport"}"#,
    );
    assert_eq!(problems("create_vpn_connection", &body), []);
}

/// No request field of page 004 has a default the page does not print. The printed ones
/// ("The default value is ...") are listed here with the row they come from.
#[test]
fn vpn_connection_defaults_are_the_printed_ones() {
    let api = lowered();
    let operation = api
        .operations
        .iter()
        .find(|o| o.id == "create_vpn_connection")
        .expect("create_vpn_connection");
    let mut defaults = Vec::new();
    for ty in api.types_of(operation.index) {
        let TypeKind::Struct(def) = &ty.kind else {
            continue;
        };
        if ty.direction != Direction::Request {
            continue;
        }
        for field in &def.fields {
            if let Some(default) = &field.default {
                defaults.push(format!("{}.{} = {default}", ty.name.as_str(), field.wire));
            }
        }
    }
    defaults.sort();
    assert_eq!(
        defaults,
        [
            "CreateVpnConnectionRequestBodyContent.enable_nqa = false",
            "CreateVpnConnectionRequestBodyContent.ha_role = \"master\"",
            "Dpd.interval = 30",
            "Dpd.timeout = 15",
            "IkePolicy.dh_group = \"group15\"",
            "IkePolicy.lifetime_seconds = 86400",
            "IkePolicy.local_id_type = \"ip\"",
            "IkePolicy.peer_id_type = \"ip\"",
            "IpsecPolicy.lifetime_seconds = 3600",
            "IpsecPolicy.pfs = \"group15\"",
        ]
    );
}

/// Page 003's own Example Request sends `"subnet_id": null`; it is accepted and reads as
/// unset (erratum subnet-id-null). The field is nullable in the model, so `check spec`
/// needs no waiver for the example and the OpenAPI export says `nullable` too.
#[test]
fn vpn_service_accepts_the_pages_null_subnet_id() {
    let api = lowered();
    let operation = api
        .operations
        .iter()
        .find(|o| o.id == "create_vpn_service")
        .expect("create_vpn_service");
    // The page's tables: the operation's own types, then the shared types it prints (the
    // response's VpnService lives in spec/vpn/resources/vpn_service.yaml).
    let nullable: Vec<(Direction, bool)> = api
        .types_of(operation.index)
        .chain(
            api.types
                .iter()
                .filter(|ty| ty.pages.iter().any(|p| p.operation == operation.id)),
        )
        .filter_map(|ty| match &ty.kind {
            TypeKind::Struct(def) => def
                .fields
                .iter()
                .find(|f| f.wire == "subnet_id")
                .map(|f| (ty.direction, f.nullable)),
            TypeKind::Enum(_) => None,
        })
        .collect();
    assert_eq!(
        nullable,
        [(Direction::Request, true), (Direction::Response, true)]
    );
    let body = r#"{"vpnservice": {"subnet_id": null, "router_id": "66e3b16c-8ce5-40fb-bb49-ab6d8dc3f2aa",
        "name": "myservice", "admin_state_up": true}}"#;
    assert_eq!(problems("create_vpn_service", body), []);
    let typed: netapi::vpn::create_vpn_service::CreateVpnServiceRequestBody =
        serde_json::from_str(body).unwrap();
    assert_eq!(typed.vpnservice.subnet_id, None);
    let wrong = body.replace("null", "7");
    assert_eq!(
        problems("create_vpn_service", &wrong),
        [("vpnservice.subnet_id".to_owned(), ViolationKind::Structure)]
    );
}

/// Page 001: "you are not allowed to configure the parameter" — the strict request type
/// does not offer `description`, so a body with it is refused as an unknown key, while the
/// response still reads it.
#[test]
fn ipsec_site_connection_refuses_description_and_still_reads_it() {
    let body = r#"{"ipsec_site_connection": {"psk": "secret", "ipsecpolicy_id": "a",
        "peer_ep_group_id": "b", "ikepolicy_id": "c", "vpnservice_id": "d", "local_ep_group_id": "e",
        "peer_address": "172.24.4.233", "peer_id": "172.24.4.233", "description": "x"}}"#;
    assert_eq!(
        problems("create_ipsec_site_connection", body),
        [(
            "ipsec_site_connection.description".to_owned(),
            ViolationKind::Structure
        )]
    );
    let accepted = body.replace(r#", "description": "x""#, "");
    assert_eq!(problems("create_ipsec_site_connection", &accepted), []);
    let response = r#"{"ipsec_site_connection": {"id": "x", "description": "set by the service"}}"#;
    let read: netapi::vpn::create_ipsec_site_connection::CreateIpsecSiteConnectionResponseBody =
        serde_json::from_str(response).unwrap();
    assert_eq!(
        read.ipsec_site_connection.unwrap().description.as_deref(),
        Some("set by the service")
    );
}
