// Character rules: lengths, allowed sets and "at least N classes".

/// Length in characters (Unicode scalar values), which is what the pages mean by length.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// A named class of characters; `Special` means the rule's own list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// `0-9`.
    Digit,
    /// `A-Z`.
    Upper,
    /// `a-z`.
    Lower,
    /// `A-Z`, `a-z`.
    Letter,
    /// U+0020.
    Space,
    /// `ÁÉÍÓÚÜÑáéíóúüñ`.
    Spanish,
    /// `ÀÁÂÃÇÉÊÍÓÔÕÚàáâãçéêíóôõú`.
    Portuguese,
    /// The characters listed with the rule.
    Special,
}

/// Letters Spanish adds to ASCII.
pub const SPANISH: &str = "ÁÉÍÓÚÜÑáéíóúüñ";
/// Letters Portuguese adds to ASCII.
pub const PORTUGUESE: &str = "ÀÁÂÃÇÉÊÍÓÔÕÚàáâãçéêíóôõú";

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

    /// How the class is named in messages and docs ("upper-case letters").
    pub fn name(self) -> &'static str {
        match self {
            Class::Digit => "digits",
            Class::Upper => "upper-case letters",
            Class::Lower => "lower-case letters",
            Class::Letter => "letters",
            Class::Space => "spaces",
            Class::Spanish => "Spanish letters",
            Class::Portuguese => "Portuguese letters",
            Class::Special => "special characters",
        }
    }

    /// True when `c` belongs to the class; `special` is the rule's list for `Special`.
    pub fn contains(self, c: char, special: &str) -> bool {
        match self {
            Class::Digit => c.is_ascii_digit(),
            Class::Upper => c.is_ascii_uppercase(),
            Class::Lower => c.is_ascii_lowercase(),
            Class::Letter => c.is_ascii_alphabetic(),
            Class::Space => c == ' ',
            // Both lists are non-ASCII: an ASCII character is answered without a scan.
            Class::Spanish => !c.is_ascii() && SPANISH.contains(c),
            Class::Portuguese => !c.is_ascii() && PORTUGUESE.contains(c),
            Class::Special => special.contains(c),
        }
    }
}

/// The first character not allowed by `allow` + `chars`, or in `deny`.
///
/// With both `allow` and `chars` empty, every character not in `deny` is allowed.
pub fn first_disallowed(s: &str, allow: &[Class], chars: &str, deny: &str) -> Option<char> {
    let restricted = !allow.is_empty() || !chars.is_empty();
    // Classes are cheap range tests, the lists are scans: test the classes first, and the
    // deny list only when there is one.
    s.chars().find(|&c| {
        (!deny.is_empty() && deny.contains(c))
            || (restricted && !allow.iter().any(|k| k.contains(c, chars)) && !chars.contains(c))
    })
}

/// The ASCII characters a charset allows, as a 128-bit set (bit `c` for character `c`):
/// what [`first_disallowed`] answers for each ASCII character, computed once.
pub fn ascii_mask(allow: &[Class], chars: &str, deny: &str) -> [u64; 2] {
    let mut mask = [0u64; 2];
    for byte in 0u8..128 {
        let c = char::from(byte);
        if first_disallowed(c.encode_utf8(&mut [0; 4]), allow, chars, deny).is_none() {
            mask[usize::from(byte / 64)] |= 1 << (byte % 64);
        }
    }
    mask
}

/// [`first_disallowed`] with the ASCII answers precomputed in `mask` (see [`ascii_mask`]):
/// one bit test per ASCII character, the lists scanned only for the others.
pub fn first_disallowed_masked(
    s: &str,
    mask: &[u64; 2],
    allow: &[Class],
    chars: &str,
    deny: &str,
) -> Option<char> {
    if s.is_ascii() {
        return s
            .bytes()
            .find(|&b| mask[usize::from(b / 64)] & (1 << (b % 64)) == 0)
            .map(char::from);
    }
    s.chars()
        .find(|&c| match u8::try_from(c).ok().filter(u8::is_ascii) {
            Some(b) => mask[usize::from(b / 64)] & (1 << (b % 64)) == 0,
            None => first_disallowed(c.encode_utf8(&mut [0; 4]), allow, chars, deny).is_some(),
        })
}

/// How many of `classes` occur in `s`.
pub fn classes_present(s: &str, classes: &[Class], special: &str) -> usize {
    // One pass over the text, stopping once every class is found. There are far fewer
    // classes than bits; a longer list (only a malformed caller could pass one) is counted
    // class by class.
    if classes.is_empty() {
        return 0;
    }
    if classes.len() > 64 {
        return classes
            .iter()
            .filter(|k| s.chars().any(|c| k.contains(c, special)))
            .count();
    }
    let all = u64::MAX >> (64 - classes.len());
    // The rule's own list as a bit set for its ASCII characters, built once per call
    // instead of scanning the list for every character of the value.
    let special_ascii: u128 = special
        .bytes()
        .filter(u8::is_ascii)
        .fold(0, |set, b| set | 1 << b);
    let contains = |class: Class, c: char| match (class, u8::try_from(c)) {
        (Class::Special, Ok(b)) if b.is_ascii() => special_ascii >> b & 1 == 1,
        _ => class.contains(c, special),
    };
    let mut found = 0u64;
    for c in s.chars() {
        for (i, class) in classes.iter().enumerate() {
            if found & (1 << i) == 0 && contains(*class, c) {
                found |= 1 << i;
            }
        }
        if found == all {
            break;
        }
    }
    found.count_ones() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets() {
        let allow = [Class::Digit, Class::Letter];
        assert_eq!(first_disallowed("vpn-1.a_b", &allow, "_-.", ""), None);
        assert_eq!(first_disallowed("vpn 1", &allow, "_-.", ""), Some(' '));
        assert_eq!(first_disallowed("a<b", &[], "", "<>"), Some('<'));
        assert_eq!(
            first_disallowed("Año", &[Class::Letter, Class::Spanish], "", ""),
            None
        );
    }

    #[test]
    fn masks_agree_with_the_plain_check() {
        let rules: [(&[Class], &str, &str); 4] = [
            (&[Class::Digit, Class::Letter], "_-.", ""),
            (&[], "", "&<>[]\\ "),
            (
                &[Class::Digit, Class::Letter, Class::Spanish, Class::Space],
                "_.:=+-@",
                "",
            ),
            (&[Class::Upper, Class::Special], "~!", "!"),
        ];
        for (allow, chars, deny) in rules {
            let mask = ascii_mask(allow, chars, deny);
            for s in [
                "vpn-1.a_b",
                "a b",
                "x<y",
                "Año Nuevo",
                "ÑANDÚ~",
                "",
                "\u{7f}\u{0}",
                "tab\there",
            ] {
                assert_eq!(
                    first_disallowed_masked(s, &mask, allow, chars, deny),
                    first_disallowed(s, allow, chars, deny),
                    "{s:?}"
                );
            }
        }
    }

    #[test]
    fn class_counts() {
        let classes = [Class::Upper, Class::Lower, Class::Digit, Class::Special];
        assert_eq!(classes_present("abcd****", &classes, "~!@#"), 1);
        assert_eq!(classes_present("Abcd12!x", &classes, "~!@#"), 4);
        assert_eq!(classes_present("Abcd12!x", &[], "~!@#"), 0);
        assert_eq!(classes_present("", &classes, "~!@#"), 0);
        assert_eq!(char_len("ñandú"), 5);
    }
}
