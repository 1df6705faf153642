// String enums on the wire: one generic implementation of parsing for every generated enum.

use std::borrow::Cow;
use std::fmt;

/// A generated string enum: its documented values and how they compare.
pub trait WireEnum: Sized + 'static {
    /// Every documented value, in its documented casing, in the order of the variants.
    const WIRE: &'static [&'static str];
    /// Request enums documented with two casings accept any casing (and send the listed
    /// one). Open (response) enums never fold case: see [`WireEnum::from_wire`].
    const CASE_INSENSITIVE: bool;

    /// The documented variant whose wire text is `WIRE[index]`.
    fn documented(index: usize) -> Option<Self>;

    /// The value for an undocumented string: `None` for closed (request) enums, the
    /// catch-all variant for open (response) enums.
    fn unknown(_value: &str) -> Option<Self> {
        None
    }

    /// Parses a wire value. Open enums never fail; closed ones fail on undocumented values.
    ///
    /// Open enums read responses, and a response must write back exactly what was read:
    /// a value matches a documented variant only byte for byte, and any other spelling
    /// (`"BGP"` where the page lists `bgp`) is kept in the catch-all variant as sent. The
    /// spec checker judges example bodies by the same rule.
    fn from_wire(value: &str) -> Option<Self> {
        let open = Self::unknown("").is_some();
        let fold = Self::CASE_INSENSITIVE && !open;
        position(Self::WIRE, value, fold)
            .and_then(Self::documented)
            .or_else(|| Self::unknown(value))
    }
}

/// Where `value` is in `wire`, exactly or (with `fold`) in any ASCII casing. Enums have a
/// handful of values, so a scan is as fast as a `match`; it is not generic, so it is
/// compiled once for all enums.
pub fn position(wire: &[&str], value: &str, fold: bool) -> Option<usize> {
    wire.iter()
        .position(|text| *text == value || (fold && text.eq_ignore_ascii_case(value)))
}

/// `Deserialize` for any [`WireEnum`]; the error lists the documented values.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: WireEnum,
{
    let text = deserializer.deserialize_str(Text {
        accepts: accepts::<T>,
        wire: T::WIRE,
    })?;
    // `Text` returns only text that `accepts` accepted, so this parses.
    T::from_wire(&text).ok_or_else(|| serde::de::Error::custom("no value parsed"))
}

fn accepts<T: WireEnum>(value: &str) -> bool {
    T::from_wire(value).is_some()
}

/// The visitor of every enum: a string that `accepts` accepts, borrowed from the input
/// when the deserializer allows it. It is one type for all enums and refers to the enum
/// only through a plain function pointer and its table, so the deserializer's `deserialize_str` is
/// compiled once per deserializer instead of once per enum (BENCHMARKS.md, "Where the
/// compile time goes"). The value is refused inside the visitor, where the deserializer
/// adds the position to the error.
struct Text {
    accepts: fn(&str) -> bool,
    wire: &'static [&'static str],
}

impl Text {
    fn check<'de, E: serde::de::Error>(&self, value: Cow<'de, str>) -> Result<Cow<'de, str>, E> {
        if (self.accepts)(&value) {
            Ok(value)
        } else {
            Err(E::invalid_value(serde::de::Unexpected::Str(&value), self))
        }
    }
}

impl<'de> serde::de::Visitor<'de> for Text {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("one of ")?;
        for (i, wire) in self.wire.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{wire}`")?;
        }
        Ok(())
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
        self.check(Cow::Borrowed(value))
    }
    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
        self.check(Cow::Owned(value.to_owned()))
    }
    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Self::Value, E> {
        self.check(Cow::Owned(value))
    }
}

/// `Display`, `Serialize` and `Deserialize` for generated enums: the wire value from their
/// `as_str`, and parsing through [`WireEnum`]. Trait impls for the crate's own types cannot
/// be blanket impls over a trait of ours, so each type gets three one-line impls.
// An API without enums, and the generator itself, which only ships this file, use no
// list; that is not a mistake worth a warning.
#[allow(unused_macros)]
macro_rules! enums {
    ($($name:ident),* $(,)?) => {$(
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::wire::deserialize(deserializer)
            }
        }
    )*};
}
#[allow(unused_imports)]
pub(crate) use enums;
