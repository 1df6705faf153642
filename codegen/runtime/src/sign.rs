// AK/SK request signing (`SDK-HMAC-SHA256`) as Huawei Cloud's API Gateway verifies it,
// following the reference signer of its SDKs, on plain strings so that any HTTP client can
// use it.

use std::collections::BTreeMap;

use super::sha256::{hex, hmac_sha256, sha256};

/// The name of the signing algorithm, first in the string to sign and in `Authorization`.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// The header carrying the signing time, formatted by [`sdk_date`].
pub const SDK_DATE_HEADER: &str = "X-Sdk-Date";

/// The header that, when sent, replaces the body digest in the canonical request.
///
/// The gateway reads its value (for example `UNSIGNED-PAYLOAD`) in place of the hex SHA-256
/// of the body, so a large body need not be hashed; [`canonical_request`] honours it as the
/// official signer (huaweicloudsdkcore) does: only for a non-empty body and a non-empty
/// value. A request without a body signs the digest of the empty body whatever the header
/// says, and the header itself is signed like any other.
pub const CONTENT_SHA256_HEADER: &str = "X-Sdk-Content-Sha256";

/// One request to sign, as it will be sent.
///
/// `Debug` is deliberately not derived: headers may carry a security token and the body
/// may carry secrets.
#[derive(Clone, Copy)]
pub struct SignInput<'a> {
    /// The HTTP method, e.g. `POST`; it is signed in upper case.
    pub method: &'a str,
    /// The request path as sent, already percent-encoded, e.g. `/v3/abc/dcaas/vif-peers`.
    pub path: &'a str,
    /// The raw query string without `?`, already percent-encoded; may be empty.
    pub query: &'a str,
    /// Every header that will be sent, including `Host` and `X-Sdk-Date`, names in any case.
    ///
    /// All of them are signed except those whose name contains `_`, so none of the signed
    /// ones may be changed on the way (a proxy that rewrites a header breaks the
    /// signature). Names with `_` are left out as the official signer leaves them out:
    /// nginx-style proxies drop such headers by default, and a signature over a header
    /// the gateway never sees cannot verify. `Authorization` itself is not among them. A
    /// name given twice (in any case) is signed once, with the later value.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body bytes as sent; empty when there is none.
    pub body: &'a [u8],
}

/// The canonical request: method, canonical URI, canonical query string, canonical
/// headers, signed headers and payload digest, one per line.
///
/// The canonical headers end with their own newline, so an empty line separates them from
/// the signed headers; header names containing `_` are not signed (see
/// [`SignInput::headers`]). The payload digest is the lowercase hex SHA-256 of the body,
/// unless the body is not empty and a [`CONTENT_SHA256_HEADER`] header with a non-empty
/// value is given, whose value is used instead.
pub fn canonical_request(input: &SignInput<'_>) -> String {
    Canonical::new(input).request
}

/// The string to sign: the algorithm, the `X-Sdk-Date` value and the hex SHA-256 of the
/// canonical request, one per line.
pub fn string_to_sign(canonical_request: &str, sdk_date: &str) -> String {
    format!(
        "{ALGORITHM}\n{sdk_date}\n{}",
        hex(&sha256(canonical_request.as_bytes()))
    )
}

/// The signature: lowercase hex HMAC-SHA256 of the string to sign, keyed with the secret
/// key's UTF-8 bytes as they are (no derived signing key, unlike AWS Signature Version 4).
pub fn signature(secret_key: &str, string_to_sign: &str) -> String {
    hex(&hmac_sha256(
        secret_key.as_bytes(),
        string_to_sign.as_bytes(),
    ))
}

/// The value of the `Authorization` header:
/// `SDK-HMAC-SHA256 Access={ak}, SignedHeaders={h1;h2;...}, Signature={hex}`.
///
/// `sdk_date` must be the value of the request's `X-Sdk-Date` header, because the gateway
/// takes the date it verifies from that header.
pub fn authorization(
    access_key: &str,
    secret_key: &str,
    input: &SignInput<'_>,
    sdk_date: &str,
) -> String {
    let canonical = Canonical::new(input);
    let signature = signature(secret_key, &string_to_sign(&canonical.request, sdk_date));
    format!(
        "{ALGORITHM} Access={access_key}, SignedHeaders={}, Signature={signature}",
        canonical.signed_headers
    )
}

/// `unix_seconds` as `YYYYMMDDTHHMMSSZ` in UTC, the format of `X-Sdk-Date`
/// (e.g. `20191115T033655Z`).
pub fn sdk_date(unix_seconds: u64) -> String {
    let days = unix_seconds / 86_400;
    let second_of_day = unix_seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

/// The proleptic Gregorian (year, month, day) of a count of days since 1970-01-01.
///
/// This is Howard Hinnant's `civil_from_days`: counting from 0000-03-01 puts the leap day
/// last in its year and makes every 400-year era 146097 days long, so plain division finds
/// the era, the year in it and the month, with no table and no loop. Unsigned arithmetic
/// suffices because the input never precedes 1970.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    // Days from 0000-03-01 to 1970-01-01.
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    // Months counted from March; 153 days make five months of 31, 30, 31, 30, 31 days.
    let march_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * march_month + 2) / 5 + 1;
    let month = if march_month < 10 {
        march_month + 3
    } else {
        march_month - 9
    };
    let year = era * 400 + year_of_era + u64::from(month <= 2);
    (year, month, day)
}

/// The canonical request with the signed header list, which `Authorization` repeats.
struct Canonical {
    /// The canonical request.
    request: String,
    /// The lowercased header names, sorted, joined with `;`.
    signed_headers: String,
}

impl Canonical {
    fn new(input: &SignInput<'_>) -> Canonical {
        // A map keyed by the lowercased name mirrors the reference signer's dictionary: a
        // repeated name keeps the later value, and iteration comes out sorted. The reference
        // keys its dictionary by the name as written, so names that differ only in case would
        // be listed twice there; HTTP names are case-insensitive, so here they are one header.
        let mut headers = BTreeMap::new();
        for &(name, value) in input.headers.iter().filter(|(name, _)| !name.contains('_')) {
            // Header names are ASCII tokens in HTTP, so ASCII case folding is all there is.
            headers.insert(name.to_ascii_lowercase(), trim(value));
        }
        let mut canonical_headers = String::new();
        for (name, value) in &headers {
            canonical_headers.push_str(name);
            canonical_headers.push(':');
            canonical_headers.push_str(value);
            canonical_headers.push('\n');
        }
        let signed_headers = headers
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(";");
        // The official signer looks at the header only when there is a body to stand in
        // for, and only when its value is not empty; anything else signs the real digest.
        let stand_in = headers
            .get(&CONTENT_SHA256_HEADER.to_ascii_lowercase())
            .filter(|value| !value.is_empty() && !input.body.is_empty());
        let payload = match stand_in {
            Some(value) => (*value).to_owned(),
            None => hex(&sha256(input.body)),
        };
        let request = format!(
            "{}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{payload}",
            input.method.to_ascii_uppercase(),
            canonical_uri(input.path),
            canonical_query(input.query),
        );
        Canonical {
            request,
            signed_headers,
        }
    }
}

/// A header value without surrounding whitespace, as Python's `str.strip` removes it.
///
/// The reference signer uses `str.strip`, which also treats the ASCII separators U+001C to
/// U+001F as whitespace, unlike Rust's `char::is_whitespace`; both agree on everything else.
fn trim(value: &str) -> &str {
    value.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

/// The canonical URI: the decoded path split on `/`, each segment encoded by [`quote()`],
/// rejoined, always ending with `/`.
///
/// Decoding before splitting means an encoded slash (`%2F`) separates segments, as it
/// does in the reference signer. An empty path signs as `/`, which is what is sent for it.
fn canonical_uri(path: &str) -> String {
    let decoded = unquote(path);
    let mut uri = String::with_capacity(decoded.len() + 1);
    for (i, segment) in decoded.split('/').enumerate() {
        if i > 0 {
            uri.push('/');
        }
        quote(&mut uri, segment);
    }
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// The canonical query string: decoded pairs sorted by key, then by value, each re-encoded
/// by [`quote()`] as `key=value`, joined with `&`.
///
/// A key without `=` has the empty value and signs as `key=`. Pieces with an empty key
/// (from `&&` or `=value`) are dropped, as the reference signer's parser drops them. `+`
/// is a literal plus, not a space. Sorting happens on the decoded text, by code point.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter_map(|piece| {
            let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
            (!key.is_empty()).then(|| (unquote(key), unquote(value)))
        })
        .collect();
    pairs.sort();
    let mut out = String::new();
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        quote(&mut out, key);
        out.push('=');
        quote(&mut out, value);
    }
    out
}

/// Appends `text` percent-encoded as Python's `urllib.parse.quote(text, safe='~')` does.
///
/// Only ASCII letters, digits and `_.-~` stay as they are; every other UTF-8 byte, `/`
/// included, becomes `%XX` with upper-case hex digits.
fn quote(out: &mut String, text: &str) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(DIGITS[usize::from(b >> 4)]));
            out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
        }
    }
}

/// `text` percent-decoded as Python's `urllib.parse.unquote` does.
///
/// A `%` not followed by two hex digits stays literal, and decoded bytes that are not
/// UTF-8 become U+FFFD, so any input has a decoding; `+` stays `+`.
fn unquote(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes.get(i..i + 3) {
            Some([b'%', hi, lo]) => hex_value(*hi).zip(hex_value(*lo)),
            _ => None,
        };
        match escaped {
            Some((hi, lo)) => {
                decoded.push(hi << 4 | lo);
                i += 3;
            }
            None => {
                decoded.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The value of one hex digit of either case.
fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit).to_digit(16).map(|v| v as u8)
}
