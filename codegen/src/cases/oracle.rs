//! The oracle's own answers to the questions the runtime's predicates answer: which
//! characters a class or a charset holds, how many classes a text shows, what block an
//! address lies in. A boundary case is only worth running if its verdict does not come
//! from the code it judges: were the cases built with `runtime::text` or `runtime::net`, a
//! wrong predicate would make wrong cases that the wrong validator then passes. So these
//! are written again, by other means and as plainly as possible: character ranges instead
//! of `is_ascii_*`, the accented letters derived from their lower-case forms instead of the
//! runtime's lists, `std::net` and shifts instead of the runtime's parser and masks. The
//! tests at the end compare the two over every character and address that matters, and show
//! that the comparison catches a planted mistake.

use std::net::IpAddr;

use crate::ir::Charset;
use netapi_runtime::text::Class;

/// The lower-case letters Spanish adds to ASCII; their upper-case forms are computed.
const SPANISH_LOWER: &str = "áéíóúüñ";
/// The lower-case letters Portuguese adds to ASCII; their upper-case forms are computed.
const PORTUGUESE_LOWER: &str = "àáâãçéêíóôõú";

/// True when `lower` holds `ch` or a letter whose upper-case form is `ch`.
fn accented(lower: &str, ch: char) -> bool {
    lower
        .chars()
        .any(|l| l == ch || l.to_uppercase().eq(std::iter::once(ch)))
}

/// True when `ch` belongs to `class`; `special` is the rule's list for `Special`.
// The ranges are written out on purpose: the runtime asks `is_ascii_*`, and the oracle
// must not share its means.
#[allow(clippy::manual_is_ascii_check)]
pub(super) fn in_class(class: Class, ch: char, special: &str) -> bool {
    let upper = ('A'..='Z').contains(&ch);
    let lower = ('a'..='z').contains(&ch);
    match class {
        Class::Digit => ('0'..='9').contains(&ch),
        Class::Upper => upper,
        Class::Lower => lower,
        Class::Letter => upper || lower,
        Class::Space => ch == ' ',
        Class::Spanish => accented(SPANISH_LOWER, ch),
        Class::Portuguese => accented(PORTUGUESE_LOWER, ch),
        Class::Special => special.chars().any(|s| s == ch),
    }
}

/// True when `charset` allows `ch`: not denied, and (when the set lists classes or
/// characters at all) in one of its classes or among its characters, which are also the
/// list a `Special` class stands for.
pub(super) fn charset_allows(charset: &Charset, ch: char) -> bool {
    if charset.deny.chars().any(|d| d == ch) {
        return false;
    }
    if charset.allow.is_empty() && charset.chars.is_empty() {
        return true;
    }
    charset.chars.chars().any(|c| c == ch)
        || charset
            .allow
            .iter()
            .any(|class| in_class(*class, ch, &charset.chars))
}

/// How many of `classes` have a character in `text`.
pub(super) fn classes_shown(text: &str, classes: &[Class], special: &str) -> usize {
    classes
        .iter()
        .filter(|class| text.chars().any(|ch| in_class(**class, ch, special)))
        .count()
}

/// An address with its prefix length, as the oracle reads one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Block {
    /// The address as written.
    pub(super) addr: IpAddr,
    /// The prefix length.
    pub(super) len: u8,
}

impl Block {
    /// `address/len`, read with `std::net`; the length is decimal digits only and at
    /// most the family's bits.
    pub(super) fn parse(text: &str) -> Option<Block> {
        let (addr, len) = text.split_once('/')?;
        if len.is_empty() || len.len() > 3 || !len.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let addr: IpAddr = addr.parse().ok()?;
        let len: u8 = len.parse().ok()?;
        (u32::from(len) <= bits(addr)).then_some(Block { addr, len })
    }

    /// [`Block::parse`], or a bare address as the block of that address alone.
    pub(super) fn parse_address(text: &str) -> Option<Block> {
        if text.contains('/') {
            return Block::parse(text);
        }
        let addr: IpAddr = text.parse().ok()?;
        let len = u8::try_from(bits(addr)).ok()?;
        Some(Block { addr, len })
    }

    /// The first and last address as integers (IPv4 in the low 32 bits): the address
    /// shifted right past the host bits and back, then the host bits all set.
    pub(super) fn range(&self) -> (u128, u128) {
        let host = bits(self.addr) - u32::from(self.len);
        let value = as_int(self.addr);
        if host == 128 {
            return (0, u128::MAX);
        }
        let first = (value >> host) << host;
        let last = first + ((1u128 << host) - 1);
        (first, last)
    }

    /// True when the two blocks are of one family and share an address.
    pub(super) fn overlaps(&self, other: &Block) -> bool {
        let ((a0, a1), (b0, b1)) = (self.range(), other.range());
        self.addr.is_ipv4() == other.addr.is_ipv4() && a0.max(b0) <= a1.min(b1)
    }
}

fn bits(addr: IpAddr) -> u32 {
    if addr.is_ipv4() { 32 } else { 128 }
}

fn as_int(addr: IpAddr) -> u128 {
    match addr {
        IpAddr::V4(a) => u128::from(u32::from(a)),
        IpAddr::V6(a) => u128::from(a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use netapi_runtime::net::Prefixed;
    use netapi_runtime::text;
    use netapi_runtime::vocabulary::as_block;

    /// Every class as the specs name it.
    fn classes() -> Vec<Class> {
        Class::ALL.iter().map(|(_, class)| *class).collect()
    }

    /// The characters the classes are about: ASCII, Latin-1, Latin Extended-A (where
    /// lookalikes of the accented letters live) and a few far away.
    fn characters() -> impl Iterator<Item = char> {
        (0u32..0x250)
            .chain([0x1e9e, 0x2603, 0xff21, 0x1f600])
            .filter_map(char::from_u32)
    }

    /// The characters where `predicate` and the oracle's `in_class` disagree.
    fn class_disagreements(predicate: impl Fn(Class, char, &str) -> bool) -> Vec<(Class, char)> {
        let special = "!@#$%^&*";
        let mut out = Vec::new();
        for class in classes() {
            for ch in characters() {
                if predicate(class, ch, special) != in_class(class, ch, special) {
                    out.push((class, ch));
                }
            }
        }
        out
    }

    #[test]
    fn the_class_oracle_agrees_with_the_runtime() {
        assert_eq!(
            class_disagreements(|class, ch, special| class.contains(ch, special)),
            []
        );
    }

    /// The comparison is not vacuous: a runtime whose `Upper` took any upper-case letter
    /// (a plausible slip: `is_uppercase` for `is_ascii_uppercase`) is caught, at exactly
    /// the letters it would wrongly let through.
    #[test]
    fn a_planted_class_mistake_is_caught() {
        let planted = |class: Class, ch: char, special: &str| match class {
            Class::Upper => ch.is_uppercase(),
            other => other.contains(ch, special),
        };
        let found = class_disagreements(planted);
        assert!(found.contains(&(Class::Upper, 'Ñ')), "{found:?}");
        assert!(
            found
                .iter()
                .all(|(class, ch)| *class == Class::Upper && !ch.is_ascii())
        );
    }

    #[test]
    fn the_charset_and_class_count_oracles_agree_with_the_runtime() {
        let sets = [
            (vec![Class::Letter, Class::Digit], "-_.", ""),
            (vec![Class::Spanish, Class::Special], "ß", "ñ"),
            (vec![], "", "<>"),
            (vec![], "abc", ""),
            (vec![Class::Upper], "", "Q"),
        ];
        for (allow, chars, deny) in sets {
            let charset = Charset {
                allow: allow.clone(),
                chars: chars.to_owned(),
                deny: deny.to_owned(),
            };
            for ch in characters() {
                let runtime =
                    text::first_disallowed(&ch.to_string(), &allow, chars, deny).is_none();
                assert_eq!(
                    charset_allows(&charset, ch),
                    runtime,
                    "{ch:?} in {charset:?}"
                );
            }
        }
        for value in ["", "aB3", "ñ !", "Ab", "zzzz", "é#"] {
            let all = classes();
            assert_eq!(
                classes_shown(value, &all, "#!"),
                text::classes_present(value, &all, "#!"),
                "{value:?}"
            );
        }
    }

    #[test]
    fn the_block_oracle_agrees_with_the_runtime() {
        let texts = [
            "10.0.0.0/8",
            "169.254.76.1/30",
            "192.168.1.255/32",
            "0.0.0.0/0",
            "2001:db8::/32",
            "fd99::1/64",
            "::/0",
            "::1/128",
            "10.0.0.0/33",
            "10.0.0.0/",
            "10.0.0.0/+8",
            "1.2.3/8",
            "10.0.0.1",
            "2001:db8::5",
            "nonsense",
        ];
        for text in texts {
            let oracle = Block::parse(text);
            let runtime = Prefixed::parse(text);
            assert_eq!(
                oracle.map(|b| (b.addr, b.len)),
                runtime.map(|p| (p.addr, p.len)),
                "{text}"
            );
            if let (Some(o), Some(r)) = (oracle, runtime) {
                assert_eq!(o.range(), r.range(), "{text}");
            }
            let oracle = Block::parse_address(text);
            let runtime = as_block(text);
            assert_eq!(
                oracle.map(|b| (b.addr, b.len)),
                runtime.map(|p| (p.addr, p.len)),
                "{text}"
            );
        }
        for a in texts {
            for b in texts {
                if let (Some(x), Some(y)) = (Block::parse(a), Block::parse(b)) {
                    let (px, py) = (Prefixed::parse(a).unwrap(), Prefixed::parse(b).unwrap());
                    assert_eq!(x.overlaps(&y), px.overlaps(&py), "{a} {b}");
                }
            }
        }
    }
}
