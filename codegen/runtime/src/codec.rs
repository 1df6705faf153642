// `Serialize` and `Deserialize` of the generated structs: one table-driven generic function
// each way, which every struct reaches through its `Object` impl, and the escape hatch.
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
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

/// Problems found, at most [`Problems::LIMIT`] of them kept: a body with two million
/// unknown keys is reported as the first thousand and a count of the rest, not as hundreds
/// of megabytes of text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Problems {
    /// The problems kept, in the order they were found.
    pub found: Vec<Problem>,
    /// How many more were found and not kept.
    pub omitted: usize,
}

impl Problems {
    /// How many problems are kept; the same limit as [`super::validate::Violations::LIMIT`].
    pub const LIMIT: usize = super::validate::Violations::LIMIT;

    /// True when the next problem would be counted, not kept.
    fn full(&self) -> bool {
        self.found.len() >= Self::LIMIT
    }

    /// Keeps `problem`, or counts it when the limit is reached.
    pub fn push(&mut self, problem: Problem) {
        if self.full() {
            self.omitted += 1;
        } else {
            self.found.push(problem);
        }
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.found.is_empty() && self.omitted == 0
    }

    /// Appends `other`'s problems after these.
    pub fn extend(&mut self, other: Problems) {
        for problem in other.found {
            self.push(problem);
        }
        self.omitted += other.omitted;
    }
}

#[derive(Default)]
struct Collector {
    path: Vec<Frame>,
    problems: Problems,
}

impl Collector {
    fn render(&self, last: Option<&str>) -> String {
        render(&self.path, last)
    }
}

/// A path as `vpn_connection.tags[3].key`, with `last` as its final key.
fn render(frames: &[Frame], last: Option<&str>) -> String {
    fn push_key(out: &mut String, key: &str) {
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(key);
    }
    let mut out = String::new();
    for frame in frames {
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
        if c.problems.full() {
            c.problems.omitted += 1;
            return;
        }
        let path = c.render(last);
        c.problems.push(Problem { path, message });
    });
}

/// Reads a body of type `T` from an already parsed `value` and returns every structural
/// problem (wrong types, unknown, duplicate or missing keys), each with its JSON path.
pub fn collect<T: for<'de> Deserialize<'de>>(value: serde_json::Value) -> Result<T, Problems> {
    let mut value = Some(value);
    let mut read = None;
    let problems = collecting_while(&mut || {
        T::deserialize(value.take().unwrap_or_default()).map(|v| read = Some(v))
    });
    match read {
        Some(value) if problems.is_empty() => Ok(value),
        _ => Err(problems),
    }
}

/// Runs `read` with a collector installed and returns what it collected, with `read`'s own
/// error when no field reported it. Not generic, so that each type's [`collect`] is only
/// the call of its `Deserialize`.
fn collecting_while(read: &mut dyn FnMut() -> Result<(), serde_json::Error>) -> Problems {
    let previous = COLLECTOR.with(|c| c.replace(Some(Collector::default())));
    let result = read();
    let collector = COLLECTOR.with(|c| c.replace(previous)).unwrap_or_default();
    let mut problems = collector.problems;
    if let Err(error) = result {
        let message = error.to_string();
        if message != REPORTED || problems.is_empty() {
            problems.push(Problem {
                path: String::new(),
                message,
            });
        }
    }
    problems
}

/// Enters array item `index` of the path being collected (not generic: see
/// [`collecting_while`]).
fn enter_index(index: usize) {
    with(|c| c.path.push(Frame::Index(index)));
}

/// Leaves the innermost key or item of the path being collected.
fn leave() {
    with(|c| c.path.pop());
}

/// Parses `body` into a `serde_json::Value` for [`collect`], and reports every key that
/// appears twice in one object, with its path. `serde_json::Value` keeps only one value per
/// key, so a body read through it alone would lose the duplicate that the typed reading
/// refuses, and the two readings would disagree about the same body.
pub fn parse_value(body: &str) -> Result<(serde_json::Value, Problems), serde_json::Error> {
    let mut state = Scan {
        path: Vec::new(),
        problems: Problems::default(),
    };
    let mut deserializer = serde_json::Deserializer::from_str(body);
    let value = serde::de::DeserializeSeed::deserialize(ValueSeed(&mut state), &mut deserializer)?;
    deserializer.end()?;
    Ok((value, state.problems))
}

struct Scan {
    path: Vec<Frame>,
    problems: Problems,
}

/// Any JSON value, refusing a key twice in one of its objects: how the values of unknown
/// keys are read, so that the rule holds inside them too.
struct Unique(serde_json::Value);

impl<'de> Deserialize<'de> for Unique {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut state = Scan {
            path: Vec::new(),
            problems: Problems::default(),
        };
        let value = serde::de::DeserializeSeed::deserialize(ValueSeed(&mut state), deserializer)?;
        match state.problems.found.into_iter().next() {
            Some(problem) => Err(D::Error::custom(format_args!(
                "{} at {}",
                problem.message, problem.path
            ))),
            None => Ok(Unique(value)),
        }
    }
}

struct ValueSeed<'s>(&'s mut Scan);

impl<'de> serde::de::DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = serde_json::Value;
    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<serde_json::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = serde_json::Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: Error>(self, v: bool) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E: Error>(self, v: i64) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E: Error>(self, v: u64) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E: Error>(self, v: f64) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_str<E: Error>(self, v: &str) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E: Error>(self, v: String) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E: Error>(self) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<serde_json::Value, A::Error> {
        let mut items = Vec::new();
        loop {
            self.0.path.push(Frame::Index(items.len()));
            let item = seq.next_element_seed(ValueSeed(&mut *self.0));
            self.0.path.pop();
            match item? {
                Some(item) => items.push(item),
                None => return Ok(serde_json::Value::Array(items)),
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<serde_json::Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            self.0.path.push(Frame::Key(Cow::Owned(key)));
            let value = map.next_value_seed(ValueSeed(&mut *self.0));
            let Some(Frame::Key(key)) = self.0.path.pop() else {
                unreachable!("bug: the frame pushed above is a key")
            };
            let value = value?;
            if object.contains_key(key.as_ref()) {
                if self.0.problems.full() {
                    self.0.problems.omitted += 1;
                } else {
                    let path = render(&self.0.path, Some(&key));
                    self.0.problems.push(Problem {
                        path,
                        message: format!("duplicate field `{key}`"),
                    });
                }
                continue;
            }
            object.insert(key.into_owned(), value);
        }
        Ok(serde_json::Value::Object(object))
    }
}

/// A generated struct as its serde impls see it: a table of wire names, a tuple of slots
/// the fields are read into, and a way to build the value from the slots.
///
/// One generic visitor ([`deserialize`]) does the key loop, duplicate, unknown and missing
/// keys, secrets and collecting for every struct; a struct contributes only what differs:
/// its field table, one match arm per field to read a value into its slot, and one line
/// per field to build and to write itself. `Serialize` and `Deserialize` come from
/// the `objects!` list of each module.
pub trait Object: Sized {
    /// The type's name, for messages.
    const NAME: &'static str;
    /// The wire names of the fields, in declaration order.
    const FIELDS: &'static [&'static str];
    /// Indexes of the mandatory fields in [`Object::FIELDS`].
    const REQUIRED: &'static [usize];
    /// Indexes of the secret fields: a wrong value there is reported without serde's
    /// message, which would quote the value.
    const SECRET: &'static [usize] = &[];
    /// True for response types, which keep keys no table lists; request types refuse them.
    const OPEN: bool;
    /// Where fields are read to: a tuple with one `Option` per field, or, for types
    /// whose fields are all optional, the type itself.
    type Slots;
    /// The slots before anything is read.
    fn empty() -> Self::Slots;

    /// Reads the value of field `index` into its slot.
    fn read<'de, A: MapAccess<'de>>(
        slots: &mut Self::Slots,
        index: usize,
        map: &mut A,
    ) -> Result<(), A::Error>;

    /// The value, once every mandatory slot is filled (`None` otherwise). `extra` holds
    /// the unknown keys of an open type.
    fn build(slots: Self::Slots, extra: Extra) -> Option<Self>;

    /// Writes every set field as a map entry.
    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// The keys of a response object that no table lists, kept as sent, in key order.
///
/// It is a map (`extra["key"]`, `extra.get("key")`, `extra.iter()`) whose `Debug` shows the
/// keys only: a server may send a secret under a key no table lists (a `psk` where the page
/// documents none), and a logged response must not show it.
#[derive(Clone, Default, PartialEq)]
pub struct Extra(std::collections::BTreeMap<String, serde_json::Value>);

impl Extra {
    /// No keys.
    pub fn new() -> Self {
        Extra::default()
    }

    /// The map.
    pub fn into_inner(self) -> std::collections::BTreeMap<String, serde_json::Value> {
        self.0
    }
}

impl std::ops::Deref for Extra {
    type Target = std::collections::BTreeMap<String, serde_json::Value>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Extra {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl From<std::collections::BTreeMap<String, serde_json::Value>> for Extra {
    fn from(map: std::collections::BTreeMap<String, serde_json::Value>) -> Self {
        Extra(map)
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Extra")?;
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// Which fields have been seen, to refuse duplicates and find missing ones without
/// looking at the slots. Tables of up to 128 fields need no allocation.
struct Seen {
    bits: u128,
    more: Vec<bool>,
}

impl Seen {
    fn new(fields: usize) -> Self {
        Seen {
            bits: 0,
            more: vec![false; fields.saturating_sub(128)],
        }
    }

    /// Marks `index` and says whether it was marked before.
    fn insert(&mut self, index: usize) -> bool {
        if index < 128 {
            let bit = 1u128 << index;
            let seen = self.bits & bit != 0;
            self.bits |= bit;
            seen
        } else {
            std::mem::replace(&mut self.more[index - 128], true)
        }
    }

    fn contains(&self, index: usize) -> bool {
        if index < 128 {
            self.bits & (1u128 << index) != 0
        } else {
            self.more[index - 128]
        }
    }
}

/// The message that replaces serde's for a secret field.
const SECRET_MESSAGE: &str = "invalid value for a secret field (the value is not shown)";

/// The `visit_*` methods of a visitor that expects an object or an array, for the scalars
/// it does not expect. serde's default messages quote the value (`invalid type: string
/// "bgp_md5=..."`), and a wrong-typed object may hold a secret field's value; these name
/// only the JSON type. They need `deserialize_any`: with `deserialize_map` or
/// `deserialize_seq`, serde_json writes the quoting message itself.
macro_rules! unquoted_scalars {
    () => {
        fn visit_bool<E: Error>(self, _: bool) -> Result<Self::Value, E> {
            Err(E::invalid_type(
                serde::de::Unexpected::Other("boolean"),
                &self,
            ))
        }
        fn visit_i64<E: Error>(self, _: i64) -> Result<Self::Value, E> {
            Err(E::invalid_type(
                serde::de::Unexpected::Other("number"),
                &self,
            ))
        }
        fn visit_u64<E: Error>(self, _: u64) -> Result<Self::Value, E> {
            Err(E::invalid_type(
                serde::de::Unexpected::Other("number"),
                &self,
            ))
        }
        fn visit_f64<E: Error>(self, _: f64) -> Result<Self::Value, E> {
            Err(E::invalid_type(
                serde::de::Unexpected::Other("number"),
                &self,
            ))
        }
        fn visit_str<E: Error>(self, _: &str) -> Result<Self::Value, E> {
            Err(E::invalid_type(
                serde::de::Unexpected::Other("string"),
                &self,
            ))
        }
    };
}

/// `Deserialize` for any [`Object`].
pub fn deserialize<'de, D: Deserializer<'de>, T: Object>(deserializer: D) -> Result<T, D::Error> {
    struct Visit<T>(PhantomData<T>);
    impl<'de, T: Object> Visitor<'de> for Visit<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a `{}` object", T::NAME)
        }
        unquoted_scalars!();
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let table = Table {
                fields: T::FIELDS,
                required: T::REQUIRED,
                secret: T::SECRET,
                open: T::OPEN,
            };
            let mut slots = T::empty();
            let extra = read_fields(&table, &mut map, &mut |index, map| {
                T::read(&mut slots, index, map)
            })?;
            // Every mandatory field was seen and read, so `build` has what it needs.
            T::build(slots, extra).ok_or_else(|| A::Error::custom("missing field"))
        }
    }
    deserializer.deserialize_any(Visit(PhantomData))
}

/// Reads field `index` of a struct from a map into the struct's slots.
type ReadField<'a, 'de, A> = &'a mut dyn FnMut(usize, &mut A) -> Result<(), <A as MapAccess<'de>>::Error>;

/// An [`Object`]'s constants, for [`read_fields`].
struct Table {
    fields: &'static [&'static str],
    required: &'static [usize],
    secret: &'static [usize],
    open: bool,
}

/// The key loop of every struct: duplicate, unknown and missing keys, secrets, collecting.
/// `read` reads field `index` into the struct's slots.
///
/// It is generic over the map only, not over the struct, and reaches the struct through
/// `read`: one copy per deserializer in the compiled crate instead of one per struct and
/// deserializer, which was the largest single item of the generated crate's debug build
/// (BENCHMARKS.md, "Where the compile time goes").
fn read_fields<'de, A: MapAccess<'de>>(
    table: &Table,
    map: &mut A,
    read: ReadField<'_, 'de, A>,
) -> Result<Extra, A::Error> {
    let collect = collecting();
    let mut seen = Seen::new(table.fields.len());
    let mut extra = Extra::new();
    let mut failed = false;
    while let Some(key) = map.next_key::<Key<'de>>()? {
        let Some(index) = table.fields.iter().position(|wire| *wire == key.as_str()) else {
            if table.open {
                // A key twice is refused here as for documented fields: the value
                // kept would depend on the reader.
                if extra.contains_key(key.as_str()) {
                    if !collect {
                        return Err(A::Error::custom(format_args!(
                            "duplicate field `{}`",
                            key.as_str()
                        )));
                    }
                    failed = true;
                    record(
                        Some(key.as_str()),
                        format!("duplicate field `{}`", key.as_str()),
                    );
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
                let value = map.next_value::<Unique>()?.0;
                extra.insert(key.into_owned(), value);
            } else if collect {
                failed = true;
                let message = A::Error::unknown_field(key.as_str(), table.fields);
                record(Some(key.as_str()), message.to_string());
                map.next_value::<IgnoredAny>()?;
            } else {
                return Err(A::Error::unknown_field(key.as_str(), table.fields));
            }
            continue;
        };
        let wire = table.fields[index];
        if seen.insert(index) {
            // A JSON object with a key twice is ambiguous.
            if !collect {
                return Err(A::Error::duplicate_field(wire));
            }
            failed = true;
            record(Some(wire), format!("duplicate field `{wire}`"));
            map.next_value::<IgnoredAny>()?;
            continue;
        }
        let secret = table.secret.contains(&index);
        if !collect {
            let result = read(index, map);
            if secret {
                result.map_err(|_| A::Error::custom(SECRET_MESSAGE))?;
            } else {
                result?;
            }
            continue;
        }
        with(|c| c.path.push(Frame::Key(Cow::Borrowed(wire))));
        let result = read(index, map);
        leave();
        if let Err(error) = result {
            failed = true;
            let message = if secret {
                SECRET_MESSAGE.to_owned()
            } else {
                error.to_string()
            };
            record(Some(wire), message);
        }
    }
    for &index in table.required {
        if !seen.contains(index) {
            let wire = table.fields[index];
            if !collect {
                return Err(A::Error::missing_field(wire));
            }
            failed = true;
            record(Some(wire), format!("missing field `{wire}`"));
        }
    }
    if failed {
        return Err(A::Error::custom(REPORTED));
    }
    Ok(extra)
}

/// `Serialize` for any [`Object`]: a map of its set fields.
pub fn serialize<S: Serializer, T: Object>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    value.write(&mut map)?;
    map.end()
}

/// Reads a field's value into its slot.
pub fn value<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads an array item by item (see [`Items`]) into its slot.
pub fn items<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<Vec<T>>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value::<Items<T>>()?.0);
    Ok(())
}

/// Reads an optional field's value into its slot, where `null` reads as unset.
pub fn nullable<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

/// [`nullable`] for an array, read item by item (see [`Items`]).
pub fn nullable_items<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<Vec<T>>,
) -> Result<(), A::Error> {
    *slot = map.next_value::<Option<Items<T>>>()?.map(|items| items.0);
    Ok(())
}

/// Writes an optional field when it is set; unset fields are not sent.
pub fn optional<M: SerializeMap, T: Serialize>(
    map: &mut M,
    wire: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(value) => map.serialize_entry(wire, value),
        None => Ok(()),
    }
}

/// Writes the unknown keys an open type kept.
pub fn extra<M: SerializeMap>(map: &mut M, extra: &Extra) -> Result<(), M::Error> {
    extra
        .iter()
        .try_for_each(|(key, value)| map.serialize_entry(key, value))
}

/// Fields a page does not list, set on a request type with
/// [`UnlistedFields::with_unlisted_field`]: the escape hatch for fields the service has and
/// the page does not (yet), such as the official SDK's `enable_hub` on a VPN connection.
///
/// They are sent as given, after the documented fields, in the order they were first set;
/// setting a key again replaces its value in place, so no key is sent twice. `validate()`
/// does not look at them (the page says nothing about them), and reading a request body
/// (`check_request_json`, `Deserialize`) still refuses keys no table lists, since there they
/// are typos. `Debug` shows `"***"` for the value of a key that names a secret (see
/// [`secret_name`]).
#[derive(Clone, Default, PartialEq)]
pub struct Unlisted(Vec<(String, serde_json::Value)>);

impl Unlisted {
    /// True when no field is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many fields are set.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The value set for `key`, if any.
    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The fields in the order they are sent.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &serde_json::Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Sets `key` on a value of type `T`, refusing a key that `T`'s table lists: that field
    /// has its own setter, typed and checked, and sending it a second time would put the
    /// key twice on the wire.
    fn set<T: Object>(
        &mut self,
        key: String,
        value: serde_json::Value,
    ) -> Result<(), UnlistedFieldError> {
        if T::FIELDS.contains(&key.as_str()) {
            return Err(UnlistedFieldError {
                type_name: T::NAME,
                key,
            });
        }
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => *slot = value,
            None => self.0.push((key, value)),
        }
        Ok(())
    }
}

impl fmt::Debug for Unlisted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (key, value) in &self.0 {
            if secret_name(key) {
                map.entry(key, &format_args!("\"***\""));
            } else {
                map.entry(key, value);
            }
        }
        map.finish()
    }
}

/// The escape hatch of every request type: send a field the page does not list.
///
/// Pages lag behind the services: the official SDK's VPN connection has `enable_hub`,
/// `enable_health_check`, `peer_subnets_v6` and `policy_rules_v6`, which its page does not
/// list. Request types are strict, so such a field can be sent only through this trait,
/// which a caller has to import (`use netapi::UnlistedFields;`), so every use is visible in
/// review: `content.with_unlisted_field("enable_hub", serde_json::json!(true))?`. Every
/// request type implements it; parameters and responses do not need it. On a type whose
/// table has a field named `unlisted_field`, that field's own setter takes the method name;
/// call this one as `UnlistedFields::with_unlisted_field(value, key, json)`.
pub trait UnlistedFields: Object {
    /// The fields set so far.
    #[doc(hidden)]
    fn unlisted(&self) -> &Unlisted;

    /// The fields set so far, to set another.
    #[doc(hidden)]
    fn unlisted_mut(&mut self) -> &mut Unlisted;

    /// Sets a field the page does not list, sent as given after the documented fields.
    ///
    /// Nothing checks it: `validate()` does not look at it, and the JSON it makes is
    /// refused by `check_request_json`, which treats unknown keys as typos. Setting a key
    /// again replaces its value. A key that names a secret (see [`secret_name`]) has its
    /// value hidden in `Debug`.
    ///
    /// # Errors
    ///
    /// A key the type's table lists is refused: set that field with its own setter, which
    /// types and checks it, and which keeps the key from being sent twice.
    fn with_unlisted_field(
        mut self,
        key: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Result<Self, UnlistedFieldError> {
        self.unlisted_mut().set::<Self>(key.into(), value.into())?;
        Ok(self)
    }

    /// The fields set with [`UnlistedFields::with_unlisted_field`], in the order they are
    /// sent.
    fn unlisted_fields(&self) -> &Unlisted {
        self.unlisted()
    }
}

/// True when an unlisted key names a secret, so that `Debug` hides its value: it contains
/// (in any case) `psk`, `md5`, `password`, `passwd`, `secret`, `token`, `private_key` or
/// `credential`. This covers every secret the pages list (`psk`, `bgp_md5`, `X-Auth-Token`)
/// and the usual names of new ones; hiding a value that was not secret costs nothing.
pub fn secret_name(key: &str) -> bool {
    const PARTS: [&str; 8] = [
        "psk",
        "md5",
        "password",
        "passwd",
        "secret",
        "token",
        "private_key",
        "credential",
    ];
    let key = key.to_ascii_lowercase();
    PARTS.iter().any(|part| key.contains(part))
}

/// A field was sent through the escape hatch although the type's table lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnlistedFieldError {
    /// The request type.
    pub type_name: &'static str,
    /// The key, which the type's table lists.
    pub key: String,
}

impl fmt::Display for UnlistedFieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is a documented field of `{}`; set it with its own setter, which types and checks it",
            self.key, self.type_name
        )
    }
}

impl std::error::Error for UnlistedFieldError {}

/// Writes the fields set through the escape hatch, after the documented ones.
pub fn unlisted<M: SerializeMap>(map: &mut M, unlisted: &Unlisted) -> Result<(), M::Error> {
    unlisted
        .0
        .iter()
        .try_for_each(|(key, value)| map.serialize_entry(key, value))
}

/// `Serialize` and `Deserialize` for generated structs, through [`Object`]. Trait impls
/// for the crate's own types cannot be blanket impls over a trait of ours, so each type
/// gets two one-line impls that call the generic [`serialize`] and [`deserialize`].
// An API without structs, and the generator itself, which only ships this file, use no
// list; that is not a mistake worth a warning.
#[allow(unused_macros)]
macro_rules! objects {
    ($($name:ident),* $(,)?) => {$(
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                crate::runtime::codec::serialize(self, serializer)
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::codec::deserialize(deserializer)
            }
        }
    )*};
}
#[allow(unused_imports)]
pub(crate) use objects;

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
            unquoted_scalars!();
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
                    enter_index(index);
                    let result = seq.next_element::<T>();
                    if let Err(error) = &result {
                        failed = true;
                        record(None, error.to_string());
                    }
                    leave();
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
        deserializer.deserialize_any(Visit(PhantomData))
    }
}
