use super::*;

#[test]
fn paths_render_only_on_demand() {
    let root = Path::ROOT;
    let conn = root.key("vpn_connection");
    let tags = conn.key("tags");
    let third = tags.index(3);
    assert_eq!(third.key("key").render(), "vpn_connection.tags[3].key");
    assert_eq!(Path::ROOT.render(), "");
}

#[test]
fn reports_rule_limit_and_masked_value() {
    let mut out = Violations::new();
    let at = Path::ROOT;
    let psk = at.key("psk");
    char_classes(
        &Secret::new("abcdefgh"),
        3,
        &[Class::Upper, Class::Lower, Class::Digit],
        "",
        &psk,
        &mut out,
    );
    length(
        "x".repeat(70).as_str(),
        Some(1),
        Some(64),
        &at.key("name"),
        &mut out,
    );
    let list: Vec<&Violation> = out.iter().collect();
    assert_eq!(list[0].path, "psk");
    assert_eq!(list[0].kind, ViolationKind::CharClasses);
    assert_eq!(list[0].value, "\"***\"");
    assert_eq!(list[1].kind, ViolationKind::MaxLength);
    assert_eq!(list[1].limit, "64");
    assert!(!out.to_string().contains("abcdefgh"));
}

#[test]
fn length_shortcuts_agree_with_counting() {
    // ASCII, two-, three- and four-byte characters, around every bound.
    let pieces = ["a", "ñ", "€", "😀"];
    for piece in pieces {
        for count in 0..12usize {
            let text = piece.repeat(count);
            for (min, max) in [
                (None, None),
                (Some(1), None),
                (None, Some(4)),
                (Some(2), Some(6)),
                (Some(5), Some(5)),
                (Some(9), Some(20)),
            ] {
                let mut out = Violations::new();
                length(text.as_str(), min, max, &Path::ROOT, &mut out);
                let n = count as u64;
                let expected =
                    min.is_some_and(|m| n < m) as usize + max.is_some_and(|m| n > m) as usize;
                assert_eq!(out.iter().count(), expected, "{text:?} {min:?} {max:?}");
            }
        }
    }
}

#[test]
fn parsed_and_plain_format_checks_agree() {
    let values = [
        "10.0.0.1",
        "10.0.0.0/24",
        "10.0.0.1/24",
        "fd00::1",
        "fd00::/64",
        "fd00::1/64",
        "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
        "abc",
        "",
        "1.2.3.4/33",
        "01.2.3.4",
    ];
    for value in values {
        for (_, format) in Format::ALL {
            assert_eq!(
                Address::new(value).matches(*format),
                format.matches(value),
                "{value} as {format:?}"
            );
        }
    }
}

#[test]
fn addresses() {
    let mut out = Violations::new();
    let at = Path::ROOT;
    assert!(format(
        "169.254.56.225/30",
        &[Format::Ipv4Interface],
        &at,
        &mut out
    ));
    let link_local = [Block::parse("169.254.0.0/16").unwrap()];
    let reserved = [Block::parse("169.254.195.0/24").unwrap()];
    Address::new("169.254.56.225/30").within(&link_local, &at, &mut out);
    Address::new("169.254.195.1/30").reserved(&reserved, &at, &mut out);
    Address::new("169.254.56.224/30").host_address(&at, &mut out);
    Address::new("10.0.0.1/30").within(&link_local, &at, &mut out);
    Address::new("fd00::1/64").reserved(&reserved, &at, &mut out);
    same_subnet("169.254.56.225/30", "169.254.56.230/30", "a", &at, &mut out);
    let rules: Vec<ViolationKind> = out.iter().map(|v| v.kind).collect();
    assert_eq!(
        rules,
        [
            ViolationKind::Reserved,
            ViolationKind::HostAddress,
            ViolationKind::Within,
            ViolationKind::SameSubnet
        ]
    );
}

#[test]
fn range_says_what_the_generator_says() {
    // The generator words its diagnostics on example and default values with the same
    // functions; this holds `range` to them.
    let mut out = Violations::new();
    range(3i64, Some(5), None, &Path::ROOT, &mut out);
    range(9i64, None, Some(7), &Path::ROOT, &mut out);
    let messages: Vec<&str> = out.iter().map(|v| v.message.as_str()).collect();
    assert_eq!(messages, [below_minimum(5), above_maximum(7)]);
    assert_eq!(messages[0], "is less than the minimum 5");
}
