//! The hand-written validator the benchmarks compare the generated one with, shared by
//! `benches/runtime.rs` and `examples/profile_validate.rs`.

use std::net::Ipv4Addr;

use netapi::vpn::create_vpn_connection::{
    CreateVpnConnectionRequestBodyContent, LocalIdType, PeerIdType, Style,
};

/// What an engineer would write by hand for the same rules of the connection object as
/// the generated `validate()` checks (every field constraint and every cross-field rule),
/// errors collected as strings, no allocation unless a check fails.
pub fn hand_written(body: &CreateVpnConnectionRequestBodyContent) -> Vec<String> {
    fn uuid(s: &str) -> bool {
        s.len() == 36
            && s.bytes().enumerate().all(|(i, b)| {
                if matches!(i, 8 | 13 | 18 | 23) {
                    b == b'-'
                } else {
                    b.is_ascii_hexdigit()
                }
            })
    }
    fn cidr(s: &str) -> Option<(u32, u8)> {
        let (addr, len) = s.split_once('/')?;
        let addr: Ipv4Addr = addr.parse().ok()?;
        let len: u8 = len.parse().ok().filter(|l| *l <= 32)?;
        Some((u32::from(addr), len))
    }
    fn block(value: u32, len: u8) -> (u32, u32) {
        let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
        (value & mask, value | !mask)
    }
    fn network(s: &str) -> bool {
        cidr(s).is_some_and(|(v, l)| block(v, l).0 == v)
    }
    let mut errors = Vec::new();
    if let Some(name) = &body.name {
        let n = name.chars().count();
        if !(1..=64).contains(&n)
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
        {
            errors.push("vpn_connection.name".to_owned());
        }
    }
    for (field, value) in [("vgw_id", &body.vgw_id), ("cgw_id", &body.cgw_id)] {
        if !uuid(value) {
            errors.push(format!("vpn_connection.{field}"));
        }
    }
    if !uuid(&body.vgw_ip) && body.vgw_ip.parse::<Ipv4Addr>().is_err() {
        errors.push("vpn_connection.vgw_ip".to_owned());
    }
    if let Some(subnets) = &body.peer_subnets {
        if subnets.len() > 50 {
            errors.push("vpn_connection.peer_subnets".to_owned());
        }
        for (i, subnet) in subnets.iter().enumerate() {
            let ok = cidr(subnet).is_some_and(|(v, l)| {
                let (first, last) = block(v, l);
                first == v
                    && !(first <= 0x647F_FFFF && last >= 0x6440_0000)
                    && !(first <= 0xD6FF_FFFF && last >= 0xD600_0000)
            });
            if !ok {
                errors.push(format!("vpn_connection.peer_subnets[{i}]"));
            }
        }
    }
    let tunnel = |s: &Option<String>| {
        s.as_deref().map(|s| {
            cidr(s).filter(|(v, l)| {
                let (first, last) = block(*v, *l);
                *l == 30 && v >> 16 == 0xA9FE && (v >> 8) & 0xFF != 195 && *v != first && *v != last
            })
        })
    };
    let (local, peer) = (
        tunnel(&body.tunnel_local_address),
        tunnel(&body.tunnel_peer_address),
    );
    if matches!(local, Some(None)) {
        errors.push("vpn_connection.tunnel_local_address".to_owned());
    }
    if matches!(peer, Some(None)) {
        errors.push("vpn_connection.tunnel_peer_address".to_owned());
    }
    if let (Some(Some((a, l))), Some(Some((b, _)))) = (local, peer) {
        if block(a, l) != block(b, l) {
            errors.push("vpn_connection.tunnel_peer_address".to_owned());
        }
    }
    if let Some(psk) = &body.psk {
        let s = psk.expose();
        let n = s.chars().count();
        let classes = [
            s.chars().any(|c| c.is_ascii_uppercase()),
            s.chars().any(|c| c.is_ascii_lowercase()),
            s.chars().any(|c| c.is_ascii_digit()),
            s.chars().any(|c| "~!@#$%^()-_+={ },./:;".contains(c)),
        ];
        if !(8..=128).contains(&n) || classes.iter().filter(|c| **c).count() < 3 {
            errors.push("vpn_connection.psk".to_owned());
        }
    }
    if let Some(rules) = &body.policy_rules {
        if rules.len() > 5 {
            errors.push("vpn_connection.policy_rules".to_owned());
        }
        for (i, rule) in rules.iter().enumerate() {
            if rule.rule_index.is_some_and(|r| !(0..=50).contains(&r))
                || rules[..i]
                    .iter()
                    .any(|r| r.rule_index.is_some() && r.rule_index == rule.rule_index)
            {
                errors.push(format!("vpn_connection.policy_rules[{i}].rule_index"));
            }
            if rules[..i]
                .iter()
                .any(|r| r.source.is_some() && r.source == rule.source)
                || rule.source.as_deref().is_some_and(|s| !network(s))
            {
                errors.push(format!("vpn_connection.policy_rules[{i}].source"));
            }
            if let Some(destination) = &rule.destination {
                if destination.len() > 50 || !destination.iter().all(|d| network(d)) {
                    errors.push(format!("vpn_connection.policy_rules[{i}].destination"));
                }
            }
        }
    }
    if let Some(ike) = &body.ikepolicy {
        if ike
            .lifetime_seconds
            .is_some_and(|l| !(60..=604_800).contains(&l))
        {
            errors.push("vpn_connection.ikepolicy.lifetime_seconds".to_owned());
        }
        if let Some(dpd) = &ike.dpd {
            if dpd.timeout.is_some_and(|t| !(2..=60).contains(&t))
                || dpd.interval.is_some_and(|t| !(10..=3600).contains(&t))
            {
                errors.push("vpn_connection.ikepolicy.dpd".to_owned());
            }
        }
        if ike.local_id_type == Some(LocalIdType::Fqdn) && ike.local_id.is_none() {
            errors.push("vpn_connection.ikepolicy.local_id".to_owned());
        }
        if ike.peer_id_type == Some(PeerIdType::Fqdn) && ike.peer_id.is_none() {
            errors.push("vpn_connection.ikepolicy.peer_id".to_owned());
        }
        for id in [&ike.local_id, &ike.peer_id].into_iter().flatten() {
            if id.chars().count() > 255 || id.chars().any(|c| "&<>[]\\ ".contains(c)) {
                errors.push("vpn_connection.ikepolicy.local_id".to_owned());
            }
        }
    }
    if let Some(ipsec) = &body.ipsecpolicy {
        if ipsec
            .lifetime_seconds
            .is_some_and(|l| !(30..=604_800).contains(&l))
        {
            errors.push("vpn_connection.ipsecpolicy.lifetime_seconds".to_owned());
        }
    }
    if let Some(tags) = &body.tags {
        if tags.len() > 20 {
            errors.push("vpn_connection.tags".to_owned());
        }
        for (i, tag) in tags.iter().enumerate() {
            let allowed = |c: char| {
                c.is_ascii_alphanumeric() || " _.:=+-@ÁÉÍÓÚÜÑáéíóúüñÀÂÃÇÊÔÕàâãçêôõ".contains(c)
            };
            if !(1..=128).contains(&tag.key.chars().count()) || !tag.key.chars().all(allowed) {
                errors.push(format!("vpn_connection.tags[{i}].key"));
            }
            if tag.value.chars().count() > 255 || !tag.value.chars().all(allowed) {
                errors.push(format!("vpn_connection.tags[{i}].value"));
            }
        }
    }
    // `style` defaults to static.
    let style = body.style.unwrap_or(Style::Static);
    if style == Style::Static && body.peer_subnets.is_none() {
        errors.push("vpn_connection.peer_subnets".to_owned());
    }
    if style != Style::Static && body.enable_nqa.is_some() {
        errors.push("vpn_connection.enable_nqa".to_owned());
    }
    if style != Style::Policy && body.policy_rules.is_some() {
        errors.push("vpn_connection.policy_rules".to_owned());
    }
    errors
}
