use super::*;

#[test]
fn debug_never_shows_the_value() {
    let secret = Secret::new("hunter2-Very-Secret");
    assert_eq!(format!("{secret:?}"), "Secret(***)");
    assert_eq!(format!("{:?}", Some(&secret)), "Some(Secret(***))");
    assert_eq!(secret.expose(), "hunter2-Very-Secret");
}

#[test]
fn is_a_plain_string_on_the_wire() {
    let secret: Secret = serde_json::from_str("\"k3y\"").unwrap();
    assert_eq!(serde_json::to_string(&secret).unwrap(), "\"k3y\"");
}
