use super::*;

#[test]
fn path_segments_refuse_empty_and_dot_values() {
    for value in ["", ".", ".."] {
        match path_segment("vpn_id", value) {
            Err(PartsError::Invalid(violations)) => {
                let v = violations.iter().next().unwrap();
                assert_eq!(
                    (v.path.as_str(), v.kind),
                    ("vpn_id", ViolationKind::PathSegment)
                );
            }
            other => panic!("{value:?}: {other:?}"),
        }
    }
    assert_eq!(path_segment("id", "a..b").unwrap(), "a..b");
    assert_eq!(path_segment("id", "../x").unwrap(), "..%2Fx");
    assert_eq!(path_segment("id", "...").unwrap(), "...");
}

#[test]
fn query_arrays_are_repeated_or_comma_separated_and_everything_is_encoded() {
    let mut query = Query::new();
    assert_eq!(query.as_str(), "");
    query.push("limit", "2");
    query.push("a b", "x&y=z#");
    query.push_array("id", ["1", "2"], ArrayEncoding::Repeated);
    query.push_array(
        "status",
        vec!["ACTIVE".to_owned(), "a,b".to_owned()],
        ArrayEncoding::CommaSeparated,
    );
    query.push_array("none", Vec::<String>::new(), ArrayEncoding::CommaSeparated);
    query.push_array("none", [""; 0], ArrayEncoding::Repeated);
    assert_eq!(
        query.as_str(),
        "limit=2&a%20b=x%26y%3Dz%23&id=1&id=2&status=ACTIVE,a%2Cb"
    );
    // Non-ASCII text is encoded byte by byte, as UTF-8.
    let mut query = Query::new();
    query.push_array("name", ["é", ""], ArrayEncoding::CommaSeparated);
    assert_eq!(query.as_str(), "name=%C3%A9,");
}
