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

/// How a timestamp is written: what separates the date from the time, and whether a `Z`
/// (UTC) ends it. Each is a wording the pages use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateTimeShape {
    /// `yyyy-MM-ddTHH:mm:ss.SSSZ`: `T`, and `Z` at the end (RFC 3339 in UTC).
    Utc,
    /// `yyyy-MM-ddTHH:mm:ss`: `T`, no zone (the pages say the time is UTC).
    NoZone,
    /// `YYYY-mm-dd HH:MM:SS.ffffff`: a space, no zone (Neutron's wording).
    Space,
}

/// True when `s` is a timestamp of `shape`: a real calendar date (leap years included),
/// hours `00`-`23`, minutes `00`-`59`, seconds `00`-`60` (a leap second, as RFC 3339
/// allows), and optionally a `.` with 1 to 9 digits of fractional seconds. The pages print
/// the fraction as `.SSS` or `.ffffff` but their examples show 2 to 9 digits, and a
/// server that omits a zero fraction is still right, so any of those is accepted.
pub fn is_date_time(s: &str, shape: DateTimeShape) -> bool {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let separator = match shape {
        DateTimeShape::Utc | DateTimeShape::NoZone => b'T',
        DateTimeShape::Space => b' ',
    };
    let fixed = [
        (4, b'-'),
        (7, b'-'),
        (10, separator),
        (13, b':'),
        (16, b':'),
    ];
    if b.len() < 19 || fixed.iter().any(|&(i, c)| b[i] != c) {
        return false;
    }
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
        digits(0..4),
        digits(5..7),
        digits(8..10),
        digits(11..13),
        digits(14..16),
        digits(17..19),
    ) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if !(1..=days).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut rest = &b[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let count = fraction.iter().take_while(|d| d.is_ascii_digit()).count();
        if !(1..=9).contains(&count) {
            return false;
        }
        rest = &fraction[count..];
    }
    match shape {
        DateTimeShape::Utc => rest == b"Z",
        DateTimeShape::NoZone | DateTimeShape::Space => rest.is_empty(),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn timestamps_in_the_three_shapes_of_the_pages() {
        use DateTimeShape::*;
        for (text, shape) in [
            ("2022-11-26T13:41:34.626Z", Utc),
            ("2025-06-28T02:22:27.24Z", Utc),
            ("2025-08-13T02:34:56.784574762Z", Utc),
            ("2024-02-29T23:59:60Z", Utc),
            ("2022-11-26T13:41:34", NoZone),
            ("2022-11-26T13:41:34.5", NoZone),
            ("2020-08-05 12:36:35.921257", Space),
            ("2020-08-05 12:36:35", Space),
        ] {
            assert!(is_date_time(text, shape), "{text} {shape:?}");
        }
        for (text, shape) in [
            ("2023-02-29T00:00:00Z", Utc),
            ("1900-02-29T00:00:00Z", Utc),
            ("2024-04-31T00:00:00Z", Utc),
            ("2024-00-01T00:00:00Z", Utc),
            ("2024-13-01T00:00:00Z", Utc),
            ("2024-01-00T00:00:00Z", Utc),
            ("2024-01-01T24:00:00Z", Utc),
            ("2024-01-01T00:60:00Z", Utc),
            ("2024-01-01T00:00:61Z", Utc),
            ("2024-01-01T00:00:00", Utc),
            ("2024-01-01T00:00:00.Z", Utc),
            ("2024-01-01T00:00:00.1234567890Z", Utc),
            ("2024-01-01T00:00:00+08:00", Utc),
            ("2024-01-01T00:00:00z", Utc),
            ("2024-01-01 00:00:00Z", Utc),
            ("2024-1-01T00:00:00Z", Utc),
            ("+024-01-01T00:00:00Z", Utc),
            ("2024-01-01T00:00:00Z", NoZone),
            ("2024-01-01T00:00:00", Space),
            ("2024-01-01 00:00:00 ", Space),
            ("", Utc),
            ("2024-01-01", NoZone),
            ("２０２４-01-01T00:00:00Z", Utc),
        ] {
            assert!(!is_date_time(text, shape), "{text} {shape:?}");
        }
    }
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
