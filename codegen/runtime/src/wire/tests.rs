use super::*;

#[derive(Clone, Debug, PartialEq)]
enum Closed {
    Static,
    Bgp,
}
impl WireEnum for Closed {
    const WIRE: &'static [&'static str] = &["static", "bgp"];
    const CASE_INSENSITIVE: bool = false;
    fn documented(index: usize) -> Option<Self> {
        [Closed::Static, Closed::Bgp].get(index).cloned()
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Open {
    Active,
    Unknown(String),
}
impl WireEnum for Open {
    const WIRE: &'static [&'static str] = &["ACTIVE"];
    const CASE_INSENSITIVE: bool = false;
    fn documented(index: usize) -> Option<Self> {
        (index == 0).then_some(Open::Active)
    }
    fn unknown(value: &str) -> Option<Self> {
        Some(Open::Unknown(value.to_owned()))
    }
}

fn parse<T: WireEnum>(json: &str) -> Result<T, String> {
    let mut de = serde_json::Deserializer::from_str(json);
    deserialize(&mut de).map_err(|e| e.to_string())
}

#[test]
fn closed_enums_reject_unknown_values_and_casing() {
    assert_eq!(parse::<Closed>("\"bgp\""), Ok(Closed::Bgp));
    assert!(parse::<Closed>("\"BGP\"").is_err());
    let error = parse::<Closed>("\"ospf\"").unwrap_err();
    assert!(error.contains("one of `static`, `bgp`"), "{error}");
}

#[test]
fn positions_are_exact_unless_folded() {
    let wire = ["static", "bgp"];
    assert_eq!(position(&wire, "bgp", false), Some(1));
    assert_eq!(position(&wire, "BGP", false), None);
    assert_eq!(position(&wire, "BGP", true), Some(1));
    assert_eq!(position(&wire, "ospf", true), None);
    assert_eq!(position(&[], "bgp", true), None);
}

/// A response value in another casing is not the documented variant: folding it would
/// write back the page's casing instead of the server's.
#[test]
fn open_enums_read_exactly_and_write_back_what_they_read() {
    assert_eq!(
        parse::<Open>("\"active\""),
        Ok(Open::Unknown("active".into()))
    );
    // Only the exact documented text is the documented variant; every other text is kept
    // as sent, so what the generated `as_str` writes back is what was read.
    for text in ["active", "Active", "FROZEN"] {
        let read = parse::<Open>(&format!("\"{text}\"")).unwrap();
        assert_eq!(read, Open::Unknown(text.into()));
    }
}

#[test]
fn open_enums_keep_unknown_values() {
    assert_eq!(parse::<Open>("\"ACTIVE\""), Ok(Open::Active));
    assert_eq!(
        parse::<Open>("\"FROZEN\""),
        Ok(Open::Unknown("FROZEN".into()))
    );
    assert!(parse::<Open>("3").is_err());
}
