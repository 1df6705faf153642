// IP addresses, CIDR blocks and interface addresses.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An address with a prefix length, as in `169.254.76.1/30` or `10.0.0.0/24`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prefixed {
    /// The address as written.
    pub addr: IpAddr,
    /// The prefix length.
    pub len: u8,
}

impl Prefixed {
    /// Parses `address/len`; the length must fit the address family.
    pub fn parse(s: &str) -> Option<Prefixed> {
        let bytes = s.as_bytes();
        // IPv4, the common case, in one pass that stops at the slash; anything else (IPv6,
        // or no address at all) goes the general way.
        let (addr, slash) = match ipv4_prefix(bytes) {
            Some((v4, end)) => (IpAddr::V4(v4), end),
            None => {
                let slash = bytes.iter().position(|&b| b == b'/')?;
                (IpAddr::V6(parse_ipv6(&s[..slash])?), slash)
            }
        };
        let len = bytes
            .get(slash + 1..)
            .filter(|_| bytes.get(slash) == Some(&b'/'))?;
        if len.is_empty() || len.len() > 3 || !len.iter().all(u8::is_ascii_digit) {
            return None;
        }
        // At most three digits, so the value fits a u16 before the range check below.
        let len = len.iter().fold(0u16, |n, b| n * 10 + u16::from(b - b'0'));
        let len = u8::try_from(len).ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        (len <= max).then_some(Prefixed { addr, len })
    }

    /// The first and last address of the block as integers (IPv4 mapped into the low bits).
    pub fn range(&self) -> (u128, u128) {
        let (value, bits) = match self.addr {
            IpAddr::V4(a) => (u128::from(u32::from(a)), 32u32),
            IpAddr::V6(a) => (u128::from(a), 128u32),
        };
        let host_bits = bits - u32::from(self.len);
        let mask = if host_bits == 128 {
            u128::MAX
        } else {
            (1u128 << host_bits) - 1
        };
        (value & !mask, value | mask)
    }

    /// True when no host bits are set: the value names a network, not an interface.
    pub fn is_network(&self) -> bool {
        self.as_int() == self.range().0
    }

    /// True when the address is neither the network nor (IPv4) the broadcast address of its
    /// block. /31 and /32 blocks (and IPv6 /127, /128) have no such reserved addresses.
    pub fn is_host(&self) -> bool {
        let (first, last) = self.range();
        let value = self.as_int();
        match self.addr {
            IpAddr::V4(_) if self.len < 31 => value != first && value != last,
            IpAddr::V6(_) if self.len < 127 => value != first,
            _ => true,
        }
    }

    /// True when both are of the same family and lie in the same block of length `self.len`.
    pub fn same_block(&self, other: &Prefixed) -> bool {
        self.addr.is_ipv4() == other.addr.is_ipv4()
            && self.len == other.len
            && self.range() == other.range()
    }

    /// True when the two blocks share at least one address.
    pub fn overlaps(&self, other: &Prefixed) -> bool {
        if self.addr.is_ipv4() != other.addr.is_ipv4() {
            return false;
        }
        let (a0, a1) = self.range();
        let (b0, b1) = other.range();
        a0 <= b1 && b0 <= a1
    }

    /// True when this block lies entirely inside `outer`.
    pub fn within(&self, outer: &Prefixed) -> bool {
        if self.addr.is_ipv4() != outer.addr.is_ipv4() {
            return false;
        }
        let (a0, a1) = self.range();
        let (b0, b1) = outer.range();
        b0 <= a0 && a1 <= b1
    }

    fn as_int(&self) -> u128 {
        match self.addr {
            IpAddr::V4(a) => u128::from(u32::from(a)),
            IpAddr::V6(a) => u128::from(a),
        }
    }
}

/// Parses an IPv4 or IPv6 address (no zone, no brackets).
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    if let Some(v4) = parse_ipv4(s) {
        return Some(IpAddr::V4(v4));
    }
    parse_ipv6(s).map(IpAddr::V6)
}

/// Parses a dotted-decimal IPv4 address; leading zeros are refused as they are ambiguous.
///
/// Accepts exactly what `Ipv4Addr::from_str` accepts (a unit test compares the two), in a
/// single pass over the bytes: validation parses several addresses per request, and std's
/// general-purpose parser was the largest single cost of `validate()`.
pub fn parse_ipv4(s: &str) -> Option<Ipv4Addr> {
    ipv4_prefix(s.as_bytes()).and_then(|(addr, end)| (end == s.len()).then_some(addr))
}

/// Parses the dotted-decimal IPv4 address at the start of `b`, up to its end or a `/`:
/// the address and where it stopped.
fn ipv4_prefix(b: &[u8]) -> Option<(Ipv4Addr, usize)> {
    // The finished octets are shifted into `addr`; `value` is the octet being read.
    let (mut addr, mut dots, mut value, mut digits) = (0u32, 0u32, 0u32, 0u32);
    let mut end = 0;
    while let Some(&byte) = b.get(end) {
        let digit = byte.wrapping_sub(b'0');
        if digit < 10 {
            // A digit after a leading zero makes an ambiguous octet such as `010`; four
            // digits without one exceed 255, so the range check also bounds the length.
            if digits != 0 && value == 0 {
                return None;
            }
            value = value * 10 + u32::from(digit);
            if value > 255 {
                return None;
            }
            digits += 1;
        } else if byte == b'.' {
            if digits == 0 || dots == 3 {
                return None;
            }
            addr = addr << 8 | value;
            (dots, value, digits) = (dots + 1, 0, 0);
        } else if byte == b'/' {
            break;
        } else {
            return None;
        }
        end += 1;
    }
    if digits == 0 || dots != 3 {
        return None;
    }
    Some((Ipv4Addr::from(addr << 8 | value), end))
}

/// Parses an IPv6 address.
pub fn parse_ipv6(s: &str) -> Option<Ipv6Addr> {
    s.parse().ok()
}

/// True for `8-4-4-4-12` hexadecimal digits, either case.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    // The dashes first, then the five groups: no per-byte position test.
    b.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-')
        && [&b[..8], &b[9..13], &b[14..18], &b[19..23], &b[24..]]
            .iter()
            .all(|group| group.iter().all(u8::is_ascii_hexdigit))
}

/// True for a non-empty string of hexadecimal digits.
pub fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_hexdigit())
}
