use super::*;

#[test]
fn ipv4_parsing_agrees_with_std() {
    let mut cases: Vec<String> = [
        "0.0.0.0",
        "255.255.255.255",
        "256.1.1.1",
        "1.2.3",
        "1.2.3.4.5",
        "01.2.3.4",
        "1.2.3.04",
        "0.10.100.200",
        "1..2.3",
        ".1.2.3",
        "1.2.3.",
        "1.2.3.4 ",
        " 1.2.3.4",
        "+1.2.3.4",
        "1.2.3.-4",
        "1234.1.1.1",
        "1.2.3.4/24",
        "",
        "a.b.c.d",
        "1.2.3.4\0",
        "١.2.3.4",
        "999.0.0.0",
        "0.0.0.00",
        "00.0.0.0",
        "10.0.0.1",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    // Every octet value and neighbours of the edges, in every position.
    for n in 0..300 {
        for form in [format!("{n}"), format!("0{n}"), format!("{n}0")] {
            cases.push(format!("{form}.1.2.3"));
            cases.push(format!("1.2.3.{form}"));
        }
    }
    for case in &cases {
        assert_eq!(parse_ipv4(case), case.parse::<Ipv4Addr>().ok(), "{case:?}");
    }
}

#[test]
fn prefixed_parsing_agrees_with_splitting() {
    let reference = |s: &str| -> Option<Prefixed> {
        let (addr, len) = s.split_once('/')?;
        let addr: IpAddr = addr.parse().ok()?;
        if len.is_empty() || len.len() > 3 || !len.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let len: u8 = len.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        (len <= max).then_some(Prefixed { addr, len })
    };
    for case in [
        "10.0.0.0/8",
        "10.0.0.0/33",
        "10.0.0.0/",
        "10.0.0.0",
        "10.0.0/8",
        "10.0.0.0//8",
        "10.0.0.0/8/8",
        "10.0.0.0/+8",
        "10.0.0.0/008",
        "10.0.0.0/0008",
        "/8",
        "",
        "fe80::1/64",
        "fe80::1/129",
        "::/0",
        "::ffff:1.2.3.4/96",
        "1.2.3.4/32 ",
        "01.2.3.4/8",
        "1.2.3.4:80/8",
        "1.2.3.4/256",
    ] {
        assert_eq!(Prefixed::parse(case), reference(case), "{case:?}");
    }
}

#[test]
fn blocks() {
    let a = Prefixed::parse("169.254.76.1/30").unwrap();
    let b = Prefixed::parse("169.254.76.2/30").unwrap();
    let c = Prefixed::parse("169.254.76.5/30").unwrap();
    assert!(a.same_block(&b) && !a.same_block(&c));
    assert!(a.is_host() && !Prefixed::parse("169.254.76.0/30").unwrap().is_host());
    assert!(!Prefixed::parse("169.254.76.3/30").unwrap().is_host());
    let outer = Prefixed::parse("169.254.0.0/16").unwrap();
    assert!(a.within(&outer));
    let reserved = Prefixed::parse("100.64.0.0/10").unwrap();
    assert!(
        Prefixed::parse("100.100.0.0/16")
            .unwrap()
            .overlaps(&reserved)
    );
    assert!(Prefixed::parse("100.0.0.0/8").unwrap().overlaps(&reserved));
    assert!(
        !Prefixed::parse("192.168.0.0/16")
            .unwrap()
            .overlaps(&reserved)
    );
    assert!(Prefixed::parse("10.0.0.0/24").unwrap().is_network());
    assert!(Prefixed::parse("fd00::1/64").unwrap().is_host());
    assert!(Prefixed::parse("::/0").unwrap().is_network());
    assert_eq!(Prefixed::parse("10.0.0.0/33"), None);
    assert_eq!(Prefixed::parse("10.0.0.0/"), None);
    assert_eq!(Prefixed::parse("10.0.0.0/+1"), None);
}

#[test]
fn uuids() {
    assert!(is_uuid("5c561d9d-eaea-45f6-ae3e-08d1a7080828"));
    assert!(!is_uuid("b32d91a4-demo-a8df-va86-e907174eb11d"));
    assert!(!is_uuid("5c561d9deaea45f6ae3e08d1a7080828"));
    assert!(!is_uuid("5c561d9d-eaea-45f6-ae3e-08d1a708082-"));
    assert!(!is_uuid("5c561d9d-eaea-45f6-ae3e008d1a7080828"));
    assert!(!is_uuid("5c561d9d-eaea-45f6-ae3e-08d1a708082é"));
}
