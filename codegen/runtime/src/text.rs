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

/// [`first_disallowed`] with the ASCII answers precomputed in `mask` (which the generator
/// computes): one bit test per ASCII character, the lists scanned only for the others.
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
