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
