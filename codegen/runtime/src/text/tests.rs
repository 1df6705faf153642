#[test]
fn timestamps_in_the_three_shapes_of_the_pages() {
    use DateTimeShape::*;
    for (text, shape) in [
        ("2022-11-26T13:41:34.626Z", Utc),
        ("2025-06-28T02:22:27.24Z", Utc),
        ("2025-08-13T02:34:56.784574762Z", Utc),
        ("2024-02-29T23:59:60Z", Utc),
        ("2022-11-26T13:41:34", NoZone),
        ("2022-11-26T13:41:34.5", NoZone),
        ("2020-08-05 12:36:35.921257", Space),
        ("2020-08-05 12:36:35", Space),
    ] {
        assert!(is_date_time(text, shape), "{text} {shape:?}");
    }
    for (text, shape) in [
        ("2023-02-29T00:00:00Z", Utc),
        ("1900-02-29T00:00:00Z", Utc),
        ("2024-04-31T00:00:00Z", Utc),
        ("2024-00-01T00:00:00Z", Utc),
        ("2024-13-01T00:00:00Z", Utc),
        ("2024-01-00T00:00:00Z", Utc),
        ("2024-01-01T24:00:00Z", Utc),
        ("2024-01-01T00:60:00Z", Utc),
        ("2024-01-01T00:00:61Z", Utc),
        ("2024-01-01T00:00:00", Utc),
        ("2024-01-01T00:00:00.Z", Utc),
        ("2024-01-01T00:00:00.1234567890Z", Utc),
        ("2024-01-01T00:00:00+08:00", Utc),
        ("2024-01-01T00:00:00z", Utc),
        ("2024-01-01 00:00:00Z", Utc),
        ("2024-1-01T00:00:00Z", Utc),
        ("+024-01-01T00:00:00Z", Utc),
        ("2024-01-01T00:00:00Z", NoZone),
        ("2024-01-01T00:00:00", Space),
        ("2024-01-01 00:00:00 ", Space),
        ("", Utc),
        ("2024-01-01", NoZone),
        ("２０２４-01-01T00:00:00Z", Utc),
    ] {
        assert!(!is_date_time(text, shape), "{text} {shape:?}");
    }
}
use super::*;

#[test]
fn charsets() {
    let allow = [Class::Digit, Class::Letter];
    assert_eq!(first_disallowed("vpn-1.a_b", &allow, "_-.", ""), None);
    assert_eq!(first_disallowed("vpn 1", &allow, "_-.", ""), Some(' '));
    assert_eq!(first_disallowed("a<b", &[], "", "<>"), Some('<'));
    assert_eq!(
        first_disallowed("Año", &[Class::Letter, Class::Spanish], "", ""),
        None
    );
}

#[test]
fn masks_agree_with_the_plain_check() {
    let rules: [(&[Class], &str, &str); 4] = [
        (&[Class::Digit, Class::Letter], "_-.", ""),
        (&[], "", "&<>[]\\ "),
        (
            &[Class::Digit, Class::Letter, Class::Spanish, Class::Space],
            "_.:=+-@",
            "",
        ),
        (&[Class::Upper, Class::Special], "~!", "!"),
    ];
    for (allow, chars, deny) in rules {
        let mask = crate::vocabulary::ascii_mask(allow, chars, deny);
        for s in [
            "vpn-1.a_b",
            "a b",
            "x<y",
            "Año Nuevo",
            "ÑANDÚ~",
            "",
            "\u{7f}\u{0}",
            "tab\there",
        ] {
            assert_eq!(
                first_disallowed_masked(s, &mask, allow, chars, deny),
                first_disallowed(s, allow, chars, deny),
                "{s:?}"
            );
        }
    }
}

#[test]
fn class_counts() {
    let classes = [Class::Upper, Class::Lower, Class::Digit, Class::Special];
    assert_eq!(classes_present("abcd****", &classes, "~!@#"), 1);
    assert_eq!(classes_present("Abcd12!x", &classes, "~!@#"), 4);
    assert_eq!(classes_present("Abcd12!x", &[], "~!@#"), 0);
    assert_eq!(classes_present("", &classes, "~!@#"), 0);
    assert_eq!(char_len("ñandú"), 5);
}
