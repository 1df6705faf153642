// Validation: the checks that generated `validate()` methods call, and what they report.

use std::fmt;

use super::net::{self, Prefixed};
use super::secret::Secret;
use super::text;
pub use super::text::Class;

/// A string format a value must be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// `8-4-4-4-12` hexadecimal digits.
    Uuid,
    /// A non-empty string of hexadecimal digits.
    Hex,
    /// Dotted-decimal IPv4 address.
    Ipv4,
    /// IPv6 address.
    Ipv6,
    /// IPv4 or IPv6 address.
    Ip,
    /// IPv4 network in CIDR notation, no host bits set.
    Ipv4Cidr,
    /// IPv6 network in CIDR notation, no host bits set.
    Ipv6Cidr,
    /// IPv4 or IPv6 network in CIDR notation.
    Cidr,
    /// IPv4 interface address with prefix (`169.254.76.1/30`).
    Ipv4Interface,
    /// IPv6 interface address with prefix (`fd00::1/64`).
    Ipv6Interface,
    /// IPv4 or IPv6 interface address with prefix.
    IpInterface,
    /// A UTC timestamp, `yyyy-MM-ddTHH:mm:ss.SSSZ` (fraction optional, 1 to 9 digits).
    DateTime,
    /// A timestamp without a zone, `yyyy-MM-ddTHH:mm:ss` (fraction optional).
    DateTimeNoZone,
    /// A timestamp with a space and no zone, `YYYY-mm-dd HH:MM:SS.ffffff` (fraction
    /// optional).
    DateTimeSpace,
}

impl Format {
    /// The timestamp shape of a date-time format.
    pub fn date_time_shape(self) -> Option<text::DateTimeShape> {
        match self {
            Format::DateTime => Some(text::DateTimeShape::Utc),
            Format::DateTimeNoZone => Some(text::DateTimeShape::NoZone),
            Format::DateTimeSpace => Some(text::DateTimeShape::Space),
            _ => None,
        }
    }

    /// True when `s` is written in this format.
    #[inline]
    pub fn matches(self, s: &str) -> bool {
        // Parsed only by the formats that need it: a UUID check never parses an address.
        let prefixed = || Prefixed::parse(s);
        match self {
            Format::Uuid => net::is_uuid(s),
            Format::Hex => net::is_hex(s),
            Format::Ipv4 => net::parse_ipv4(s).is_some(),
            Format::Ipv6 => net::parse_ipv6(s).is_some(),
            Format::Ip => net::parse_ip(s).is_some(),
            Format::Ipv4Cidr => prefixed().is_some_and(|p| p.addr.is_ipv4() && p.is_network()),
            Format::Ipv6Cidr => prefixed().is_some_and(|p| !p.addr.is_ipv4() && p.is_network()),
            Format::Cidr => prefixed().is_some_and(|p| p.is_network()),
            Format::Ipv4Interface => prefixed().is_some_and(|p| p.addr.is_ipv4()),
            Format::Ipv6Interface => prefixed().is_some_and(|p| !p.addr.is_ipv4()),
            Format::IpInterface => prefixed().is_some(),
            Format::DateTime | Format::DateTimeNoZone | Format::DateTimeSpace => self
                .date_time_shape()
                .is_some_and(|shape| text::is_date_time(s, shape)),
        }
    }

    /// How the format is named in messages and docs ("an IPv4 CIDR block").
    pub fn description(self) -> &'static str {
        match self {
            Format::Uuid => "a UUID",
            Format::Hex => "a hexadecimal string",
            Format::Ipv4 => "an IPv4 address",
            Format::Ipv6 => "an IPv6 address",
            Format::Ip => "an IP address",
            Format::Ipv4Cidr => "an IPv4 CIDR block",
            Format::Ipv6Cidr => "an IPv6 CIDR block",
            Format::Cidr => "a CIDR block",
            Format::Ipv4Interface => "an IPv4 interface address (address/prefix)",
            Format::Ipv6Interface => "an IPv6 interface address (address/prefix)",
            Format::IpInterface => "an interface address (address/prefix)",
            Format::DateTime => "a UTC date and time (yyyy-MM-ddTHH:mm:ss.SSSZ)",
            Format::DateTimeNoZone => "a date and time (yyyy-MM-ddTHH:mm:ss)",
            Format::DateTimeSpace => "a date and time (yyyy-MM-dd HH:mm:ss.ffffff)",
        }
    }
}

/// What kind of limit a value broke: one per constraint and cross-field rule of the spec
/// format, and the structural kinds (`syntax`, `structure`, `path_segment`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ViolationKind {
    /// The body is not valid JSON.
    Syntax,
    /// A value has the wrong JSON type, or a key is unknown, missing or duplicated.
    Structure,
    /// Fewer characters than allowed.
    MinLength,
    /// More characters than allowed.
    MaxLength,
    /// Below the minimum.
    Minimum,
    /// Above the maximum.
    Maximum,
    /// Not the only allowed value.
    Fixed,
    /// Not one of the allowed values.
    Enum,
    /// A character that is not allowed.
    Charset,
    /// Too few character classes.
    CharClasses,
    /// Not in the required format.
    Format,
    /// Wrong prefix length.
    PrefixLength,
    /// Outside the allowed blocks.
    Within,
    /// Overlaps a reserved block.
    Reserved,
    /// A network or broadcast address where a host address is needed.
    HostAddress,
    /// Fewer items than allowed.
    MinItems,
    /// More items than allowed.
    MaxItems,
    /// Two equal items.
    UniqueItems,
    /// Two items with the same value of a field that must be unique.
    UniqueBy,
    /// A field that the value of another makes mandatory is missing.
    RequiredWhen,
    /// A field is set although the value of another forbids it.
    OnlyWhen,
    /// Two addresses that must share a block do not.
    SameSubnet,
    /// A path parameter that is empty, `.` or `..`, which would change the request's path.
    PathSegment,
}

impl ViolationKind {
    /// The kind's name, as the spec format spells the constraint.
    pub fn name(self) -> &'static str {
        match self {
            ViolationKind::Syntax => "syntax",
            ViolationKind::Structure => "structure",
            ViolationKind::MinLength => "min_length",
            ViolationKind::MaxLength => "max_length",
            ViolationKind::Minimum => "minimum",
            ViolationKind::Maximum => "maximum",
            ViolationKind::Fixed => "fixed",
            ViolationKind::Enum => "enum",
            ViolationKind::Charset => "charset",
            ViolationKind::CharClasses => "char_classes",
            ViolationKind::Format => "format",
            ViolationKind::PrefixLength => "prefix_length",
            ViolationKind::Within => "within",
            ViolationKind::Reserved => "reserved",
            ViolationKind::HostAddress => "host_address",
            ViolationKind::MinItems => "min_items",
            ViolationKind::MaxItems => "max_items",
            ViolationKind::UniqueItems => "unique_items",
            ViolationKind::UniqueBy => "unique_by",
            ViolationKind::RequiredWhen => "required_when",
            ViolationKind::OnlyWhen => "only_when",
            ViolationKind::SameSubnet => "same_subnet",
            ViolationKind::PathSegment => "path_segment",
        }
    }
}

/// One problem with a request: where, what kind, the limit and the offending value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The JSON path, as `vpn_connection.tags[3].key` (empty for the whole body).
    pub path: String,
    /// What kind of limit was broken.
    pub kind: ViolationKind,
    /// The limit, as the spec states it (`64`, `one of static, bgp`).
    pub limit: String,
    /// The offending value as JSON, `"***"` for secrets, empty when the value is absent.
    pub value: String,
    /// A sentence saying what is wrong.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(body)"
        } else {
            &self.path
        };
        write!(f, "{path}: ")?;
        if !self.value.is_empty() {
            write!(f, "{} ", self.value)?;
        }
        write!(f, "{} [{}]", self.message, self.kind.name())
    }
}

/// Every problem found, in the order the checks ran. Empty means valid.
///
/// At most [`Violations::LIMIT`] are kept; further ones are only counted
/// ([`Violations::omitted`]), so a hostile body cannot make a report of hundreds of
/// megabytes. `Display` says how many were left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Violations(Vec<Violation>, usize);

impl Violations {
    /// How many violations are kept: the first thousand.
    pub const LIMIT: usize = 1000;

    /// No violations. Does not allocate.
    pub const fn new() -> Self {
        Violations(Vec::new(), 0)
    }

    /// Records a violation (or counts it, once [`Violations::LIMIT`] are kept).
    pub fn push(&mut self, violation: Violation) {
        if self.0.len() < Self::LIMIT {
            self.0.push(violation);
        } else {
            self.1 += 1;
        }
    }

    /// Counts `count` more violations that were found and not kept.
    pub fn add_omitted(&mut self, count: usize) {
        self.1 += count;
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty() && self.1 == 0
    }

    /// How many violations are kept (what [`Violations::iter`] yields).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// How many more violations were found than are kept.
    pub fn omitted(&self) -> usize {
        self.1
    }

    /// The violations.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.0.iter()
    }

    /// `Ok(())` when empty, otherwise `Err(self)`.
    pub fn into_result(self) -> Result<(), Violations> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    // Only failing checks get here: kept out of line, so the passing path of every check
    // stays small enough to inline into the generated validators.
    #[cold]
    fn record(&mut self, at: &Path<'_>, kind: ViolationKind, limit: String, value: String, message: String) {
        if self.0.len() >= Self::LIMIT {
            self.1 += 1;
            return;
        }
        self.0.push(Violation {
            path: at.render(),
            kind,
            limit,
            value,
            message,
        });
    }
}

impl IntoIterator for Violations {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len() + self.1;
        write!(f, "{n} problem{}", if n == 1 { "" } else { "s" })?;
        for violation in &self.0 {
            write!(f, "\n  {violation}")?;
        }
        if self.1 > 0 {
            write!(
                f,
                "\n  ... and {} more (only the first {} are listed)",
                self.1,
                self.0.len()
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

/// A request type that can check itself.
pub trait Validate {
    /// Checks every constraint, recording violations under `at`: what the generated
    /// validators call on nested values; users call [`Validate::validate`].
    #[doc(hidden)]
    fn validate_at(&self, at: &Path<'_>, out: &mut Violations);

    /// Checks every constraint and returns every violation. Valid input allocates nothing.
    fn validate(&self) -> Result<(), Violations> {
        let mut out = Violations::new();
        self.validate_at(&Path::ROOT, &mut out);
        out.into_result()
    }
}

/// Operations without a request body check nothing.
impl Validate for () {
    fn validate_at(&self, _at: &Path<'_>, _out: &mut Violations) {}
}

/// The JSON path of the value being checked, built on the stack: a valid body is checked
/// without allocating, and the path is rendered only when a violation is recorded.
#[derive(Clone, Copy, Debug)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

#[derive(Clone, Copy, Debug)]
enum Segment<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> Path<'a> {
    /// The whole body.
    pub const ROOT: Path<'static> = Path {
        parent: None,
        segment: Segment::Root,
    };

    /// The member `key` of this object.
    #[inline]
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    /// Item `index` of this array.
    #[inline]
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// The path as text: `vpn_connection.tags[3].key`.
    pub fn render(&self) -> String {
        let mut out = match self.parent {
            Some(parent) => parent.render(),
            None => String::new(),
        };
        match self.segment {
            Segment::Root => {}
            Segment::Key(key) if out.is_empty() => out.push_str(key),
            Segment::Key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Segment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
        out
    }
}

/// A string-like value under validation; secrets are masked in reports.
pub trait Text {
    /// The text to check.
    fn text(&self) -> &str;
    /// The value as shown in a violation.
    fn shown(&self) -> String;
}

impl Text for String {
    fn text(&self) -> &str {
        self
    }
    fn shown(&self) -> String {
        show_str(self)
    }
}

impl Text for str {
    fn text(&self) -> &str {
        self
    }
    fn shown(&self) -> String {
        show_str(self)
    }
}

impl Text for Secret {
    fn text(&self) -> &str {
        self.expose()
    }
    fn shown(&self) -> String {
        "\"***\"".to_owned()
    }
}

/// A string as JSON, cut after 80 characters so a huge value cannot flood a report.
fn show_str(s: &str) -> String {
    const LIMIT: usize = 80;
    let mut out = String::from("\"");
    for (i, c) in s.chars().enumerate() {
        if i == LIMIT {
            out.push('…');
            break;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Length in characters between `min` and `max`.
pub fn length<T: Text + ?Sized>(
    v: &T,
    min: Option<u64>,
    max: Option<u64>,
    at: &Path<'_>,
    out: &mut Violations,
) {
    let s = v.text();
    // The byte length bounds the character count: at most one character per byte, at
    // least one per four. When both bounds already hold, no count is needed.
    let bytes = s.len() as u64;
    if min.is_none_or(|m| bytes.div_ceil(4) >= m) && max.is_none_or(|m| bytes <= m) {
        return;
    }
    let len = text::char_len(s) as u64;
    if let Some(min) = min.filter(|&m| len < m) {
        out.record(
            at,
            ViolationKind::MinLength,
            min.to_string(),
            v.shown(),
            format!("has {len} characters, fewer than the minimum {min}"),
        );
    }
    if let Some(max) = max.filter(|&m| len > m) {
        out.record(
            at,
            ViolationKind::MaxLength,
            max.to_string(),
            v.shown(),
            format!("has {len} characters, more than the maximum {max}"),
        );
    }
}

/// A number between `min` and `max` (integers are checked as `i64`, numbers as `f64`).
pub fn range<T: PartialOrd + fmt::Display + Copy>(
    v: T,
    min: Option<T>,
    max: Option<T>,
    at: &Path<'_>,
    out: &mut Violations,
) {
    if let Some(min) = min.filter(|&m| v < m) {
        out.record(
            at,
            ViolationKind::Minimum,
            min.to_string(),
            v.to_string(),
            below_minimum(min),
        );
    }
    if let Some(max) = max.filter(|&m| v > m) {
        out.record(
            at,
            ViolationKind::Maximum,
            max.to_string(),
            v.to_string(),
            above_maximum(max),
        );
    }
}

/// What [`range`] says of a number below `min`, after the value. The generator says the
/// same of example and default values, so it calls this rather than writing its own.
pub fn below_minimum(min: impl fmt::Display) -> String {
    format!("is less than the minimum {min}")
}

/// What [`range`] says of a number above `max`, after the value (see [`below_minimum`]).
pub fn above_maximum(max: impl fmt::Display) -> String {
    format!("is greater than the maximum {max}")
}

/// The only allowed value ("can only be true"); `shown` renders both as JSON.
pub fn fixed<T: PartialEq + fmt::Display + ?Sized>(
    v: &T,
    expected: &T,
    at: &Path<'_>,
    out: &mut Violations,
) {
    if v != expected {
        out.record(
            at,
            ViolationKind::Fixed,
            expected.to_string(),
            v.to_string(),
            format!("is not the only allowed value {expected}"),
        );
    }
}

/// The only allowed integer ("can only be 1500").
pub fn fixed_i64(v: i64, expected: i64, at: &Path<'_>, out: &mut Violations) {
    fixed(&v, &expected, at, out);
}

/// The only allowed string.
pub fn fixed_str<T: Text + ?Sized>(v: &T, expected: &str, at: &Path<'_>, out: &mut Violations) {
    if v.text() != expected {
        out.record(
            at,
            ViolationKind::Fixed,
            show_str(expected),
            v.shown(),
            format!("is not the only allowed value {}", show_str(expected)),
        );
    }
}

/// One of the allowed numbers.
pub fn one_of(v: i64, allowed: &[i64], at: &Path<'_>, out: &mut Violations) {
    if !allowed.contains(&v) {
        let list: Vec<String> = allowed.iter().map(i64::to_string).collect();
        out.record(
            at,
            ViolationKind::Enum,
            list.join(", "),
            v.to_string(),
            format!("is not one of {}", list.join(", ")),
        );
    }
}

/// Only allowed characters: with `allow` or `chars`, nothing else; never any of `deny`.
/// `ascii` is the ASCII mask of the same rule, which the generator computes once.
pub fn charset<T: Text + ?Sized>(
    v: &T,
    ascii: &[u64; 2],
    allow: &[Class],
    chars: &str,
    deny: &str,
    at: &Path<'_>,
    out: &mut Violations,
) {
    if let Some(c) = text::first_disallowed_masked(v.text(), ascii, allow, chars, deny) {
        let shown = v.shown();
        let what = if shown == "\"***\"" {
            "a character".to_owned()
        } else {
            format!("{c:?}")
        };
        let limit = describe_charset(allow, chars, deny);
        out.record(
            at,
            ViolationKind::Charset,
            limit.clone(),
            shown,
            format!("contains {what}, which is not allowed ({limit})"),
        );
    }
}

fn describe_charset(allow: &[Class], chars: &str, deny: &str) -> String {
    let mut parts: Vec<String> = allow.iter().map(|c| c.name().to_owned()).collect();
    // The class list and the extra characters read as one list: "digits, letters, "_-."".
    if !chars.is_empty() {
        parts.push(format!("{chars:?}"));
    }
    let mut limit = if parts.is_empty() {
        String::new()
    } else {
        format!("only {}", parts.join(", "))
    };
    if !deny.is_empty() {
        if !limit.is_empty() {
            limit.push_str("; ");
        }
        limit.push_str(&format!("none of {deny:?}"));
    }
    limit
}

/// At least `at_least` of the classes `of`.
pub fn char_classes<T: Text + ?Sized>(
    v: &T,
    at_least: u8,
    of: &[Class],
    special: &str,
    at: &Path<'_>,
    out: &mut Violations,
) {
    let found = text::classes_present(v.text(), of, special);
    if found < usize::from(at_least) {
        let names: Vec<&str> = of.iter().map(|c| c.name()).collect();
        let limit = format!("at least {at_least} of {}", names.join(", "));
        out.record(
            at,
            ViolationKind::CharClasses,
            limit.clone(),
            v.shown(),
            format!("has {found} of the character classes, needs {limit}"),
        );
    }
}

/// Written in one of `formats`. Returns whether it is, so address checks can be skipped for
/// values that are not addresses at all.
pub fn format<T: Text + ?Sized>(
    v: &T,
    formats: &[Format],
    at: &Path<'_>,
    out: &mut Violations,
) -> bool {
    if formats.iter().any(|f| f.matches(v.text())) {
        return true;
    }
    let names: Vec<&str> = formats.iter().map(|f| f.description()).collect();
    let limit = names.join(" or ");
    out.record(
        at,
        ViolationKind::Format,
        limit.clone(),
        v.shown(),
        format!("is not {limit}"),
    );
    false
}

/// [`format()`] for a value already parsed as an [`Address`]: the formats are matched on the
/// parsed value, so the value is parsed once for its format and all its address rules.
pub fn address_format<T: Text + ?Sized>(
    address: &Address<'_>,
    v: &T,
    formats: &[Format],
    at: &Path<'_>,
    out: &mut Violations,
) -> bool {
    if formats.iter().any(|f| address.matches(*f)) {
        return true;
    }
    format(v, formats, at, out)
}

/// A CIDR block of the spec (`within`, `reserved`), as the generator computed it: the
/// first and last address as integers (IPv4 in the low bits), so no check parses it again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block<'a> {
    /// IPv4 rather than IPv6.
    pub v4: bool,
    /// The first address.
    pub first: u128,
    /// The last address.
    pub last: u128,
    /// The block as the spec writes it, for messages.
    pub text: &'a str,
}

impl<'a> Block<'a> {
    /// An IPv4 block from its first and last address; what generated code writes.
    pub const fn v4(first: u32, last: u32, text: &'a str) -> Self {
        Block {
            v4: true,
            first: first as u128,
            last: last as u128,
            text,
        }
    }

    /// An IPv6 block from its first and last address.
    pub const fn v6(first: u128, last: u128, text: &'a str) -> Self {
        Block {
            v4: false,
            first,
            last,
            text,
        }
    }
}

/// An address value under validation, parsed once for all the address rules.
pub struct Address<'v> {
    text: &'v str,
    /// The value with its prefix, when it has one.
    prefixed: Option<Prefixed>,
    /// The value as a block: its prefix, or a single address.
    block: Option<Prefixed>,
}

impl<'v> Address<'v> {
    /// Parses `text` (an address, or an address with a prefix).
    pub fn new(text: &'v str) -> Self {
        let prefixed = Prefixed::parse(text);
        // A value without a prefix is tried as a plain address only: never parsed twice.
        let block = prefixed.or_else(|| {
            let addr = net::parse_ip(text)?;
            Some(Prefixed {
                addr,
                len: if addr.is_ipv4() { 32 } else { 128 },
            })
        });
        Address {
            text,
            prefixed,
            block,
        }
    }

    /// True when the value is written in `format` (the same answer as [`Format::matches`]).
    pub fn matches(&self, format: Format) -> bool {
        let plain = self
            .prefixed
            .is_none()
            .then_some(self.block)
            .flatten()
            .map(|b| b.addr);
        let v4 = |p: &Prefixed| p.addr.is_ipv4();
        match format {
            Format::Uuid => net::is_uuid(self.text),
            Format::Hex => net::is_hex(self.text),
            Format::Ipv4 => plain.is_some_and(|a| a.is_ipv4()),
            Format::Ipv6 => plain.is_some_and(|a| a.is_ipv6()),
            Format::Ip => plain.is_some(),
            Format::Ipv4Cidr => self.prefixed.is_some_and(|p| v4(&p) && p.is_network()),
            Format::Ipv6Cidr => self.prefixed.is_some_and(|p| !v4(&p) && p.is_network()),
            Format::Cidr => self.prefixed.is_some_and(|p| p.is_network()),
            Format::Ipv4Interface => self.prefixed.is_some_and(|p| v4(&p)),
            Format::Ipv6Interface => self.prefixed.is_some_and(|p| !v4(&p)),
            Format::IpInterface => self.prefixed.is_some(),
            Format::DateTime | Format::DateTimeNoZone | Format::DateTimeSpace => {
                format.matches(self.text)
            }
        }
    }

    fn in_block(&self, block: &Block<'_>) -> Option<(bool, bool)> {
        let value = self.block?;
        if value.addr.is_ipv4() != block.v4 {
            return Some((false, false));
        }
        let (first, last) = value.range();
        Some((
            block.first <= first && last <= block.last,
            first <= block.last && block.first <= last,
        ))
    }

    /// Exactly this prefix length.
    pub fn prefix_length(&self, len: u8, at: &Path<'_>, out: &mut Violations) {
        if let Some(p) = self.prefixed.filter(|p| p.len != len) {
            out.record(
                at,
                ViolationKind::PrefixLength,
                format!("/{len}"),
                show_str(self.text),
                format!("has prefix length /{}, not /{len}", p.len),
            );
        }
    }

    /// Inside one of `blocks`.
    pub fn within(&self, blocks: &[Block<'_>], at: &Path<'_>, out: &mut Violations) {
        if self.block.is_none()
            || blocks
                .iter()
                .any(|b| self.in_block(b).is_some_and(|(inside, _)| inside))
        {
            return;
        }
        let limit = blocks
            .iter()
            .map(|b| b.text)
            .collect::<Vec<_>>()
            .join(" or ");
        out.record(
            at,
            ViolationKind::Within,
            limit.clone(),
            show_str(self.text),
            format!("is not within {limit}"),
        );
    }

    /// Overlapping none of `blocks`.
    pub fn reserved(&self, blocks: &[Block<'_>], at: &Path<'_>, out: &mut Violations) {
        for block in blocks {
            if self.in_block(block).is_some_and(|(_, overlaps)| overlaps) {
                out.record(
                    at,
                    ViolationKind::Reserved,
                    block.text.to_owned(),
                    show_str(self.text),
                    format!("overlaps the reserved block {}", block.text),
                );
            }
        }
    }

    /// Neither the network nor the broadcast address of its block.
    pub fn host_address(&self, at: &Path<'_>, out: &mut Violations) {
        if self.prefixed.is_some_and(|p| !p.is_host()) {
            out.record(
                at,
                ViolationKind::HostAddress,
                "a host address".to_owned(),
                show_str(self.text),
                "is the network or broadcast address of its block".to_owned(),
            );
        }
    }
}

/// Between `min` and `max` items.
#[inline]
pub fn items(len: usize, min: Option<u64>, max: Option<u64>, at: &Path<'_>, out: &mut Violations) {
    let len = len as u64;
    if let Some(min) = min.filter(|&m| len < m) {
        out.record(
            at,
            ViolationKind::MinItems,
            min.to_string(),
            String::new(),
            format!("has {len} items, fewer than the minimum {min}"),
        );
    }
    if let Some(max) = max.filter(|&m| len > m) {
        out.record(
            at,
            ViolationKind::MaxItems,
            max.to_string(),
            String::new(),
            format!("has {len} items, more than the maximum {max}"),
        );
    }
}

/// No two equal items.
pub fn unique_items<T: PartialEq + fmt::Debug>(items: &[T], at: &Path<'_>, out: &mut Violations) {
    for (i, item) in items.iter().enumerate() {
        if let Some(first) = items[..i].iter().position(|earlier| earlier == item) {
            let at = at.index(i);
            out.record(
                &at,
                ViolationKind::UniqueItems,
                "distinct items".to_owned(),
                format!("{item:?}"),
                format!("repeats item {first}"),
            );
        }
    }
}

/// No two items with the same value of `field`.
pub fn unique_by<T, K: PartialEq + fmt::Debug>(
    items: &[T],
    field: &str,
    key: impl Fn(&T) -> Option<&K>,
    at: &Path<'_>,
    out: &mut Violations,
) {
    for (i, item) in items.iter().enumerate() {
        let Some(value) = key(item) else { continue };
        if let Some(first) = items[..i]
            .iter()
            .position(|earlier| key(earlier) == Some(value))
        {
            let item_at = at.index(i);
            let at = item_at.key(field);
            out.record(
                &at,
                ViolationKind::UniqueBy,
                format!("unique `{field}`"),
                format!("{value:?}"),
                format!("repeats the `{field}` of item {first}"),
            );
        }
    }
}

/// A field made mandatory by another field's value.
#[inline]
pub fn required_when(
    present: bool,
    holds: bool,
    condition: &str,
    at: &Path<'_>,
    out: &mut Violations,
) {
    if holds && !present {
        out.record(
            at,
            ViolationKind::RequiredWhen,
            condition.to_owned(),
            String::new(),
            format!("is required when {condition}"),
        );
    }
}

/// A field allowed only when another field has a given value.
#[inline]
pub fn only_when(present: bool, holds: bool, condition: &str, at: &Path<'_>, out: &mut Violations) {
    if present && !holds {
        out.record(
            at,
            ViolationKind::OnlyWhen,
            condition.to_owned(),
            String::new(),
            format!("may be set only when {condition}"),
        );
    }
}

/// Two interface addresses in the same block.
pub fn same_subnet(a: &str, b: &str, other: &str, at: &Path<'_>, out: &mut Violations) {
    if let (Some(pa), Some(pb)) = (Prefixed::parse(a), Prefixed::parse(b)) {
        if !pa.same_block(&pb) {
            out.record(
                at,
                ViolationKind::SameSubnet,
                format!("the block of `{other}`"),
                show_str(b),
                format!("is not in the same block as `{other}` ({a})"),
            );
        }
    }
}
