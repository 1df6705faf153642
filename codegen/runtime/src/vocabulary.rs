//! The names the spec format gives the runtime's vocabulary, and reading them from a spec.
//! Only the generator uses them (to parse specs and to export OpenAPI), so they live here,
//! outside the shipped files, and generated crates do not carry them.

use serde::{Deserialize, Deserializer};

use crate::text::Class;
use crate::validate::Format;

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
