use super::*;

#[derive(Clone, Debug, PartialEq)]
enum Closed {
    Static,
    Bgp,
}
impl WireEnum for Closed {
    const VALUES: &'static [(&'static str, Self)] =
        &[("static", Closed::Static), ("bgp", Closed::Bgp)];
    const CASE_INSENSITIVE: bool = false;
}

#[derive(Clone, Debug, PartialEq)]
enum Open {
    Active,
    Unknown(String),
}
impl WireEnum for Open {
    const VALUES: &'static [(&'static str, Self)] = &[("ACTIVE", Open::Active)];
    const CASE_INSENSITIVE: bool = false;
    fn unknown(value: &str) -> Option<Self> {
        Some(Open::Unknown(value.to_owned()))
    }
    fn unknown_text(&self) -> Option<&str> {
        match self {
            Open::Unknown(value) => Some(value),
            Open::Active => None,
        }
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
fn wire_text_comes_from_the_table_or_the_catch_all() {
    assert_eq!(as_str(&Closed::Bgp), "bgp");
    assert_eq!(as_str(&Open::Active), "ACTIVE");
    assert_eq!(as_str(&Open::Unknown("FROZEN".into())), "FROZEN");
}

/// A response value in another casing is not the documented variant: folding it would
/// write back the page's casing instead of the server's.
#[test]
fn open_enums_read_exactly_and_write_back_what_they_read() {
    assert_eq!(
        parse::<Open>("\"active\""),
        Ok(Open::Unknown("active".into()))
    );
    for text in ["ACTIVE", "active", "Active", "FROZEN"] {
        let read = parse::<Open>(&format!("\"{text}\"")).unwrap();
        assert_eq!(as_str(&read), text);
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
