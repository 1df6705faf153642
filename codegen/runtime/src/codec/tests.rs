use super::*;

#[derive(Debug, PartialEq)]
struct Pair {
    a: u8,
    b: Vec<u8>,
    c: Option<String>,
}

impl Object for Pair {
    const NAME: &'static str = "Pair";
    const FIELDS: &'static [&'static str] = &["a", "b", "c"];
    const REQUIRED: &'static [usize] = &[0, 1];
    const SECRET: &'static [usize] = &[2];
    const OPEN: bool = false;
    type Slots = (Option<u8>, Option<Vec<u8>>, Option<String>);
    fn empty() -> Self::Slots {
        (None, None, None)
    }
    fn read<'de, A: MapAccess<'de>>(
        s: &mut Self::Slots,
        index: usize,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match index {
            0 => value(map, &mut s.0),
            1 => items(map, &mut s.1),
            _ => nullable(map, &mut s.2),
        }
    }
    fn build(s: Self::Slots, _: Extra) -> Option<Self> {
        Some(Pair {
            a: s.0?,
            b: s.1?,
            c: s.2,
        })
    }
    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("a", &self.a)?;
        map.serialize_entry("b", &self.b)?;
        optional(map, "c", &self.c)
    }
}

objects!(Pair);

#[derive(Debug, PartialEq)]
struct Open {
    a: Option<u8>,
    extra: Extra,
}

impl Object for Open {
    const NAME: &'static str = "Open";
    const FIELDS: &'static [&'static str] = &["a"];
    const REQUIRED: &'static [usize] = &[];
    const OPEN: bool = true;
    type Slots = Self;
    fn empty() -> Self {
        Open {
            a: None,
            extra: Extra::new(),
        }
    }
    fn read<'de, A: MapAccess<'de>>(s: &mut Self, _: usize, map: &mut A) -> Result<(), A::Error> {
        nullable(map, &mut s.a)
    }
    fn build(mut s: Self, extra: Extra) -> Option<Self> {
        s.extra = extra;
        Some(s)
    }
    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        optional(map, "a", &self.a)?;
        super::extra(map, &self.extra)
    }
}

objects!(Open);

#[test]
fn collects_problems_with_paths() {
    let value = serde_json::json!({"a": "x", "b": [1, "two", 3, -4], "d": true});
    let problems = collect::<Pair>(value).unwrap_err().found;
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["a", "b[1]", "b[3]", "d"], "{problems:?}");
    let missing = collect::<Pair>(serde_json::json!({})).unwrap_err();
    assert_eq!(missing.found.len(), 2);
    assert!(collect::<Pair>(serde_json::json!({"a": 1, "b": []})).is_ok());
    let secret = collect::<Pair>(serde_json::json!({"a": 1, "b": [], "c": 12345})).unwrap_err();
    assert_eq!(secret.found[0].message, SECRET_MESSAGE);
}

#[test]
fn reads_fail_fast_outside_collect() {
    let read = |json: &str| serde_json::from_str::<Pair>(json).map_err(|e| e.to_string());
    assert_eq!(
        read(r#"{"a": 1, "b": [2], "c": null}"#),
        Ok(Pair {
            a: 1,
            b: vec![2],
            c: None
        })
    );
    assert!(
        read(r#"{"a": 1, "a": 2, "b": []}"#)
            .unwrap_err()
            .contains("duplicate field `a`")
    );
    assert!(
        read(r#"{"b": []}"#)
            .unwrap_err()
            .contains("missing field `a`")
    );
    assert!(
        read(r#"{"a": 1, "b": [], "z": 0}"#)
            .unwrap_err()
            .contains("unknown field `z`")
    );
    let secret = read(r#"{"a": 1, "b": [], "c": 987654}"#).unwrap_err();
    assert!(
        secret.contains(SECRET_MESSAGE) && !secret.contains("987654"),
        "{secret}"
    );
}

#[test]
fn unlisted_fields_refuse_documented_keys_replace_in_place_and_hide_secrets() {
    let mut unlisted = Unlisted::default();
    let refused = unlisted.set::<Pair>("c".to_owned(), serde_json::json!(1));
    assert_eq!(
        refused,
        Err(UnlistedFieldError {
            type_name: "Pair",
            key: "c".to_owned()
        })
    );
    assert!(refused.unwrap_err().to_string().contains("`c`"));
    for (key, value) in [
        ("z", serde_json::json!(true)),
        ("a_v6", serde_json::json!(["fd00::/64"])),
        ("z", serde_json::json!(false)),
        ("bgp_MD5_v2", serde_json::json!("hunter2")),
    ] {
        unlisted.set::<Pair>(key.to_owned(), value).unwrap();
    }
    let keys: Vec<&str> = unlisted.iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["z", "a_v6", "bgp_MD5_v2"]);
    assert_eq!(unlisted.get("z"), Some(&serde_json::json!(false)));
    let debug = format!("{unlisted:?}");
    assert_eq!(
        debug,
        r#"{"z": Bool(false), "a_v6": Array [String("fd00::/64")], "bgp_MD5_v2": "***"}"#
    );
    for name in [
        "psk",
        "X-Auth-Token",
        "bgp_md5",
        "admin_password",
        "client_secret",
    ] {
        assert!(secret_name(name), "{name}");
    }
    assert!(!secret_name("enable_hub"));
}

#[test]
fn round_trips_and_keeps_unknown_keys_of_open_types() {
    let pair = Pair {
        a: 1,
        b: vec![2, 3],
        c: None,
    };
    let json = serde_json::to_string(&pair).unwrap();
    assert_eq!(json, r#"{"a":1,"b":[2,3]}"#);
    assert_eq!(serde_json::from_str::<Pair>(&json).unwrap(), pair);
    let open: Open = serde_json::from_str(r#"{"a": null, "new": [1]}"#).unwrap();
    assert_eq!(open.a, None);
    assert_eq!(serde_json::to_string(&open).unwrap(), r#"{"new":[1]}"#);
}
