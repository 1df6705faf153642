// Helpers shared by the generated `Deserialize` impls of structs.
//
// Reading is fail-fast, as serde is: the first problem ends it. To report every structural
// problem of a body at once, `collect` reads it a second time from a parsed
// `serde_json::Value` with a collector installed: the helpers then record each problem
// with its JSON path and carry on with the next field. A `Value` can be read on after an
// error; a byte stream cannot, so collecting is only ever done on a `Value`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Error, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// An object key, borrowed from the input when the deserializer allows it.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key as an owned string.
    pub fn into_owned(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Visit)
    }
}

/// A problem found while collecting: the JSON path and serde's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where, as `vpn_connection.tags[3].key`.
    pub path: String,
    /// What serde said.
    pub message: String,
}

enum Frame {
    Key(Cow<'static, str>),
    Index(usize),
}

#[derive(Default)]
struct Collector {
    path: Vec<Frame>,
    problems: Vec<Problem>,
}

impl Collector {
    fn render(&self, last: Option<&str>) -> String {
        fn push_key(out: &mut String, key: &str) {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(key);
        }
        let mut out = String::new();
        for frame in &self.path {
            match frame {
                Frame::Key(key) => push_key(&mut out, key),
                Frame::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        if let Some(key) = last {
            push_key(&mut out, key);
        }
        out
    }
}

thread_local! {
    static COLLECTOR: RefCell<Option<Collector>> = const { RefCell::new(None) };
}

/// The message of the error a struct returns once it has recorded its own problems, so
/// that the fields and items around it do not report it again.
const REPORTED: &str = "(problems reported)";

fn collecting() -> bool {
    COLLECTOR.with(|c| c.borrow().is_some())
}

fn with<R>(f: impl FnOnce(&mut Collector) -> R) -> Option<R> {
    COLLECTOR.with(|c| c.borrow_mut().as_mut().map(f))
}

fn record(last: Option<&str>, message: String) {
    if message == REPORTED {
        return;
    }
    with(|c| {
        let path = c.render(last);
        c.problems.push(Problem { path, message });
    });
}

fn reported_under(last: &str) -> bool {
    with(|c| {
        let path = c.render(Some(last));
        c.problems.iter().any(|p| {
            p.path == path
                || p.path.starts_with(&format!("{path}."))
                || p.path.starts_with(&format!("{path}["))
        })
    })
    .unwrap_or(false)
}

/// Reads a body of type `T` from an already parsed `value` and returns every structural
/// problem (wrong types, unknown, duplicate or missing keys), each with its JSON path.
pub fn collect<T: for<'de> Deserialize<'de>>(value: serde_json::Value) -> Result<T, Vec<Problem>> {
    let previous = COLLECTOR.with(|c| c.replace(Some(Collector::default())));
    let result = T::deserialize(value);
    let collector = COLLECTOR.with(|c| c.replace(previous)).unwrap_or_default();
    let mut problems = collector.problems;
    match result {
        Ok(value) if problems.is_empty() => Ok(value),
        Ok(_) => Err(problems),
        Err(error) => {
            let message = error.to_string();
            if message != REPORTED || problems.is_empty() {
                problems.push(Problem {
                    path: String::new(),
                    message,
                });
            }
            Err(problems)
        }
    }
}

/// Reads the value of field `wire` into `slot`. A key seen twice is an error, as a JSON
/// object with duplicate keys is ambiguous.
pub fn field<'de, A, R, T>(
    map: &mut A,
    wire: &'static str,
    slot: &mut Option<T>,
    convert: impl FnOnce(R) -> T,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    R: Deserialize<'de>,
{
    read_field(map, wire, slot, convert, false)
}

/// [`field`] for a secret: a value of the wrong type is reported without serde's message,
/// which would quote the value.
pub fn secret_field<'de, A, R, T>(
    map: &mut A,
    wire: &'static str,
    slot: &mut Option<T>,
    convert: impl FnOnce(R) -> T,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    R: Deserialize<'de>,
{
    read_field(map, wire, slot, convert, true)
}

/// The message that replaces serde's for a secret field.
const SECRET_MESSAGE: &str = "invalid value for a secret field (the value is not shown)";

fn read_field<'de, A, R, T>(
    map: &mut A,
    wire: &'static str,
    slot: &mut Option<T>,
    convert: impl FnOnce(R) -> T,
    secret: bool,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    R: Deserialize<'de>,
{
    if !collecting() {
        if slot.is_some() {
            return Err(A::Error::duplicate_field(wire));
        }
        let value = if secret {
            map.next_value()
                .map_err(|_| A::Error::custom(SECRET_MESSAGE))?
        } else {
            map.next_value()?
        };
        *slot = Some(convert(value));
        return Ok(());
    }
    if slot.is_some() {
        record(Some(wire), format!("duplicate field `{wire}`"));
        return map.next_value::<IgnoredAny>().map(|_| ());
    }
    with(|c| c.path.push(Frame::Key(Cow::Borrowed(wire))));
    let result = map.next_value::<R>();
    with(|c| c.path.pop());
    match result {
        Ok(value) => *slot = Some(convert(value)),
        Err(_) if secret => record(Some(wire), SECRET_MESSAGE.to_owned()),
        Err(error) => record(Some(wire), error.to_string()),
    }
    Ok(())
}

/// A key no table lists, in a request type: an error, or, while collecting, a recorded
/// problem after which reading goes on.
pub fn unknown<'de, A: MapAccess<'de>>(
    map: &mut A,
    key: &str,
    expected: &'static [&'static str],
) -> Result<(), A::Error> {
    if !collecting() {
        return Err(A::Error::unknown_field(key, expected));
    }
    record(
        Some(key),
        A::Error::unknown_field(key, expected).to_string(),
    );
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// Checks that the mandatory fields, given as (missing, wire name), are all present:
/// the first missing one is an error, or, while collecting, every one is recorded.
pub fn missing<E: Error>(fields: &[(bool, &'static str)]) -> Result<(), E> {
    if !collecting() {
        return match fields.iter().find(|(missing, _)| *missing) {
            Some((_, wire)) => Err(E::missing_field(wire)),
            None => Ok(()),
        };
    }
    let mut any = false;
    for (missing, wire) in fields {
        if *missing {
            any = true;
            // A field whose value was wrong is missing too, but it is already reported.
            if !reported_under(wire) {
                record(Some(wire), format!("missing field `{wire}`"));
            }
        }
    }
    if any {
        Err(E::custom(REPORTED))
    } else {
        Ok(())
    }
}

/// The value of a mandatory field after [`missing`] has passed.
pub fn required<T, E: Error>(slot: Option<T>, wire: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(wire))
}

/// An array read item by item, so that while collecting each problem gets its index.
pub struct Items<T>(Vec<T>);

impl<T> Items<T> {
    /// The items.
    pub fn into_inner(self) -> Vec<T> {
        self.0
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Items<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Visit<T> {
            type Value = Items<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Items<T>, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                if !collecting() {
                    while let Some(item) = seq.next_element()? {
                        items.push(item);
                    }
                    return Ok(Items(items));
                }
                let mut failed = false;
                for index in 0.. {
                    with(|c| c.path.push(Frame::Index(index)));
                    let result = seq.next_element::<T>();
                    if let Err(error) = &result {
                        failed = true;
                        record(None, error.to_string());
                    }
                    with(|c| c.path.pop());
                    match result {
                        Ok(Some(item)) => items.push(item),
                        Ok(None) => break,
                        Err(_) => {}
                    }
                }
                if failed {
                    Err(A::Error::custom(REPORTED))
                } else {
                    Ok(Items(items))
                }
            }
        }
        deserializer.deserialize_seq(Visit(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_problems_with_paths() {
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Pair {
            a: u8,
            b: Vec<u8>,
        }
        impl<'de> Deserialize<'de> for Pair {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = Pair;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("a pair")
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pair, A::Error> {
                        let mut a = None;
                        let mut b = None;
                        while let Some(key) = map.next_key::<Key<'de>>()? {
                            match key.as_str() {
                                "a" => field(&mut map, "a", &mut a, |v| v)?,
                                "b" => field(&mut map, "b", &mut b, Items::into_inner)?,
                                other => unknown(&mut map, other, &["a", "b"])?,
                            }
                        }
                        missing::<A::Error>(&[(a.is_none(), "a"), (b.is_none(), "b")])?;
                        Ok(Pair {
                            a: required(a, "a")?,
                            b: required(b, "b")?,
                        })
                    }
                }
                d.deserialize_map(V)
            }
        }
        let value = serde_json::json!({"a": "x", "b": [1, "two", 3, -4], "c": true});
        let problems = collect::<Pair>(value).unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["a", "b[1]", "b[3]", "c"], "{problems:?}");
        let missing = collect::<Pair>(serde_json::json!({})).unwrap_err();
        assert_eq!(missing.len(), 2);
        assert!(collect::<Pair>(serde_json::json!({"a": 1, "b": []})).is_ok());
        // Outside `collect`, reading stays fail-fast.
        assert!(
            serde_json::from_str::<Pair>(r#"{"a": 1, "a": 2, "b": []}"#)
                .unwrap_err()
                .to_string()
                .contains("duplicate field `a`")
        );
    }
}
