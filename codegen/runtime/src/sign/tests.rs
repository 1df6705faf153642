use super::*;

fn quoted(text: &str) -> String {
    let mut out = String::new();
    quote(&mut out, text);
    out
}

fn input<'a>(
    method: &'a str,
    path: &'a str,
    query: &'a str,
    headers: &'a [(&'a str, &'a str)],
    body: &'a [u8],
) -> SignInput<'a> {
    SignInput {
        method,
        path,
        query,
        headers,
        body,
    }
}

const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

#[test]
fn quote_keeps_only_unreserved_ascii() {
    assert_eq!(quoted("AZaz09_.-~"), "AZaz09_.-~");
    assert_eq!(quoted("测试"), "%E6%B5%8B%E8%AF%95");
    assert_eq!(quoted("ü"), "%C3%BC");
    assert_eq!(quoted("名称"), "%E5%90%8D%E7%A7%B0");
    assert_eq!(
        quoted(" !\"#$%&'()*+,/:;<=>?@[\\]^`{|}"),
        "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60%7B%7C%7D"
    );
    assert_eq!(quoted("\u{7f}\u{0}"), "%7F%00");
}

#[test]
fn unquote_is_lenient() {
    assert_eq!(unquote("a%20b+c"), "a b+c");
    assert_eq!(unquote("%e6%b5%8b%E8%AF%95"), "测试");
    assert_eq!(unquote("100%"), "100%");
    assert_eq!(unquote("%zz%4"), "%zz%4");
    assert_eq!(unquote("%C3"), "\u{fffd}");
    assert_eq!(unquote("ü%BC"), "ü\u{fffd}");
}

#[test]
fn canonical_uri_reencodes_segments_and_ends_with_slash() {
    let cases = [
        (
            "/v3/4bd6efdb0fb747b39aa2c0162c112226/dcaas/vif-peers",
            "/v3/4bd6efdb0fb747b39aa2c0162c112226/dcaas/vif-peers/",
        ),
        ("/v3/abc/", "/v3/abc/"),
        ("/", "/"),
        ("", "/"),
        ("/a%20b/%e6%b5%8b%E8%AF%95", "/a%20b/%E6%B5%8B%E8%AF%95/"),
        ("/测试/ü", "/%E6%B5%8B%E8%AF%95/%C3%BC/"),
        ("/a+b/c:d/e~f", "/a%2Bb/c%3Ad/e~f/"),
        ("/a%2Fb", "/a/b/"),
        ("/%zz", "/%25zz/"),
        ("//x", "//x/"),
    ];
    for (path, expected) in cases {
        assert_eq!(canonical_uri(path), expected, "{path}");
    }
}

#[test]
fn canonical_query_sorts_decoded_pairs() {
    let cases = [
        ("", ""),
        ("limit=10", "limit=10"),
        ("b=2&a=1", "a=1&b=2"),
        ("id=3&id=1&id=10", "id=1&id=10&id=3"),
        ("flag", "flag="),
        ("flag=", "flag="),
        ("a=b=c", "a=b%3Dc"),
        ("q=a+b&r=a%20b", "q=a%2Bb&r=a%20b"),
        ("name=%E5%90%8D%E7%A7%B0", "name=%E5%90%8D%E7%A7%B0"),
        ("name=名称", "name=%E5%90%8D%E7%A7%B0"),
        ("&&=v&k", "k="),
        ("b=1&%61=2", "a=2&b=1"),
        ("B=1&a=2&_=3", "B=1&_=3&a=2"),
        ("x=%2f", "x=%2F"),
    ];
    for (query, expected) in cases {
        assert_eq!(canonical_query(query), expected, "{query}");
    }
}

#[test]
fn headers_are_lowercased_sorted_trimmed_and_the_later_wins() {
    let headers = [
        ("X-Sdk-Date", "20191115T033655Z"),
        ("Host", "  example.com\t"),
        ("content-type", "text/plain"),
        ("Content-Type", "application/json"),
    ];
    let request = canonical_request(&input("get", "/", "", &headers, b""));
    assert_eq!(
        request,
        format!(
            "GET\n/\n\ncontent-type:application/json\nhost:example.com\n\
             x-sdk-date:20191115T033655Z\n\ncontent-type;host;x-sdk-date\n{EMPTY_SHA256}"
        )
    );
}

#[test]
fn trim_matches_python_strip() {
    assert_eq!(trim("\u{1c}\u{a0} a b \u{3000}\u{1f}\r\n"), "a b");
    assert_eq!(trim(""), "");
}

#[test]
fn canonical_request_has_six_lines_and_the_body_digest() {
    let headers = [("Host", "example.com"), ("X-Sdk-Date", "20191115T033655Z")];
    let body = b"abc";
    let request = canonical_request(&input("POST", "/v1/p/items", "b=2&a=1", &headers, body));
    assert_eq!(
        request,
        "POST\n/v1/p/items/\na=1&b=2\nhost:example.com\nx-sdk-date:20191115T033655Z\n\n\
         host;x-sdk-date\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn content_sha256_header_replaces_the_body_digest() {
    let headers = [
        ("Host", "h"),
        ("x-sdk-content-sha256", " UNSIGNED-PAYLOAD "),
    ];
    let request = canonical_request(&input("PUT", "/o", "", &headers, b"large"));
    assert!(request.ends_with("\nhost;x-sdk-content-sha256\nUNSIGNED-PAYLOAD"));
}

#[test]
fn content_sha256_header_is_ignored_without_a_body_or_a_value() {
    let unsigned = [("Host", "h"), ("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD")];
    let request = canonical_request(&input("DELETE", "/o", "", &unsigned, b""));
    assert!(
        request.ends_with(&format!("\nhost;x-sdk-content-sha256\n{EMPTY_SHA256}")),
        "{request}"
    );
    let empty = [("Host", "h"), ("X-Sdk-Content-Sha256", "  ")];
    let request = canonical_request(&input("PUT", "/o", "", &empty, b"abc"));
    assert!(
        request.ends_with("\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        "{request}"
    );
}

#[test]
fn header_names_with_underscores_are_not_signed() {
    let headers = [
        ("Host", "h"),
        ("X_Custom_Id", "dropped-by-proxies"),
        ("x-sdk-date", "20191115T033655Z"),
        ("X-Trace_Id", "t"),
    ];
    let input = input("GET", "/", "", &headers, b"");
    let request = canonical_request(&input);
    assert_eq!(
        request,
        format!("GET\n/\n\nhost:h\nx-sdk-date:20191115T033655Z\n\nhost;x-sdk-date\n{EMPTY_SHA256}")
    );
    let value = authorization("AK", "SK", &input, "20191115T033655Z");
    assert!(value.contains("SignedHeaders=host;x-sdk-date,"), "{value}");
}

#[test]
fn string_to_sign_and_signature() {
    assert_eq!(
        string_to_sign("", "20191115T033655Z"),
        format!("SDK-HMAC-SHA256\n20191115T033655Z\n{EMPTY_SHA256}")
    );
    assert_eq!(
        signature("secret", "SDK-HMAC-SHA256\n20191115T033655Z\nabc"),
        "ef357e104bea429ac33817bab0358df3456b9addf65fc36d0bcf6ddb05366bdb"
    );
}

#[test]
fn authorization_lists_signed_headers() {
    let headers = [
        ("X-Sdk-Date", "20191115T033655Z"),
        ("Host", "example.com"),
        ("X-Project-Id", "p"),
    ];
    let input = input("GET", "/v1/x", "", &headers, b"");
    let value = authorization("AK", "SK", &input, "20191115T033655Z");
    let expected = signature(
        "SK",
        &string_to_sign(&canonical_request(&input), "20191115T033655Z"),
    );
    assert_eq!(
        value,
        format!(
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-project-id;x-sdk-date, \
             Signature={expected}"
        )
    );
}

#[test]
fn sdk_dates() {
    let cases = [
        (0, "19700101T000000Z"),
        (86_399, "19700101T235959Z"),
        (94_694_399, "19721231T235959Z"),
        (951_782_400, "20000229T000000Z"),
        (1_573_789_015, "20191115T033655Z"),
        (1_582_979_696, "20200229T123456Z"),
        (2_147_483_648, "20380119T031408Z"),
        (4_107_542_400, "21000301T000000Z"),
        (253_402_300_799, "99991231T235959Z"),
    ];
    for (seconds, expected) in cases {
        assert_eq!(sdk_date(seconds), expected, "{seconds}");
    }
    // The largest input must not overflow, whatever year it lands in.
    assert!(sdk_date(u64::MAX).ends_with('Z'));
}
