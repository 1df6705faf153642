//! What only the generator uses of the runtime's vocabulary: the names the spec format
//! gives formats and character classes, reading them from a spec, and the helpers that
//! compute at generation time what generated code carries as constants (charset masks,
//! CIDR blocks). They live here, outside the shipped files, so generated crates do not
//! carry them.

use serde::{Deserialize, Deserializer};

use crate::net::{self, Prefixed};
use crate::text::{self, Class};
use crate::validate::{Block, Format};

impl Class {
    /// Every class with its name in specs.
    pub const ALL: &'static [(&'static str, Class)] = &[
        ("digit", Class::Digit),
        ("upper", Class::Upper),
        ("lower", Class::Lower),
        ("letter", Class::Letter),
        ("space", Class::Space),
        ("spanish", Class::Spanish),
        ("portuguese", Class::Portuguese),
        ("special", Class::Special),
    ];
}

impl Format {
    /// True for the formats of network addresses, the only values that `prefix_length`,
    /// `within`, `reserved` and `host_address` apply to.
    pub fn is_address(self) -> bool {
        !matches!(
            self,
            Format::Uuid
                | Format::Hex
                | Format::DateTime
                | Format::DateTimeNoZone
                | Format::DateTimeSpace
        )
    }

    /// Every format with its name in specs.
    pub const ALL: &'static [(&'static str, Format)] = &[
        ("uuid", Format::Uuid),
        ("hex", Format::Hex),
        ("ipv4", Format::Ipv4),
        ("ipv6", Format::Ipv6),
        ("ip", Format::Ip),
        ("ipv4_cidr", Format::Ipv4Cidr),
        ("ipv6_cidr", Format::Ipv6Cidr),
        ("cidr", Format::Cidr),
        ("ipv4_interface", Format::Ipv4Interface),
        ("ipv6_interface", Format::Ipv6Interface),
        ("ip_interface", Format::IpInterface),
        ("date_time", Format::DateTime),
        ("date_time_no_zone", Format::DateTimeNoZone),
        ("date_time_space", Format::DateTimeSpace),
    ];
}

impl<'de> Deserialize<'de> for Class {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        named(deserializer, Class::ALL)
    }
}

impl<'de> Deserialize<'de> for Format {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        named(deserializer, Format::ALL)
    }
}

/// Reads one of `all` by its name, with serde's "unknown variant ... expected one of"
/// message (which the generator's loader turns into a did-you-mean hint).
fn named<'de, D: Deserializer<'de>, T: Copy>(
    deserializer: D,
    all: &'static [(&'static str, T)],
) -> Result<T, D::Error> {
    let name = String::deserialize(deserializer)?;
    match all.iter().find(|(n, _)| *n == name) {
        Some((_, value)) => Ok(*value),
        None => {
            let expected: Vec<String> = all.iter().map(|(n, _)| format!("`{n}`")).collect();
            Err(serde::de::Error::custom(format!(
                "unknown variant `{name}`, expected one of {}",
                expected.join(", ")
            )))
        }
    }
}

/// The ASCII characters a charset allows, as a 128-bit set (bit `c` for character `c`):
/// what [`text::first_disallowed`] answers for each ASCII character, computed once by the
/// generator for `validate::charset`.
pub fn ascii_mask(allow: &[Class], chars: &str, deny: &str) -> [u64; 2] {
    let mut mask = [0u64; 2];
    for byte in 0u8..128 {
        let c = char::from(byte);
        if text::first_disallowed(c.encode_utf8(&mut [0; 4]), allow, chars, deny).is_none() {
            mask[usize::from(byte / 64)] |= 1 << (byte % 64);
        }
    }
    mask
}

impl<'a> Block<'a> {
    /// Parses `address/len`, as the generator does to write the block's bounds.
    pub fn parse(text: &'a str) -> Option<Block<'a>> {
        let p = Prefixed::parse(text)?;
        let (first, last) = p.range();
        Some(Block {
            v4: p.addr.is_ipv4(),
            first,
            last,
            text,
        })
    }
}

/// A single address viewed as a one-address block, so addresses and blocks compare alike.
pub fn as_block(s: &str) -> Option<Prefixed> {
    if let Some(p) = Prefixed::parse(s) {
        return Some(p);
    }
    let addr = net::parse_ip(s)?;
    let len = if addr.is_ipv4() { 32 } else { 128 };
    Some(Prefixed { addr, len })
}
