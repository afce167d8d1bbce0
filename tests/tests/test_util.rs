//! The protocol-test comparisons must be able to fail: a suite that cannot
//! fail proves nothing.

use tinsmith_runtime::test_util::assert_body;

// {"a": 1} and {"a": 2} as CBOR, base64.
const A1: &str = "oWFhAQ==";
const A2: &str = "oWFhAg==";

#[test]
fn cbor_bodies_compare_by_meaning() {
    let a1 = tinsmith_runtime::test_util::body_bytes(A1, Some("application/cbor"));
    assert_body(&a1, A1, Some("application/cbor"));
}

#[test]
#[should_panic(expected = "body differs")]
fn different_cbor_bodies_fail() {
    let a1 = tinsmith_runtime::test_util::body_bytes(A1, Some("application/cbor"));
    assert_body(&a1, A2, Some("application/cbor"));
}

#[test]
#[should_panic(expected = "body differs")]
fn different_json_bodies_fail() {
    assert_body(br#"{"a":1}"#, r#"{"a":1.5}"#, Some("application/json"));
}

#[test]
fn json_numbers_compare_by_value() {
    assert_body(
        br#"{"a":1,"b":[2]}"#,
        r#"{"b":[2.0],"a":1.0}"#,
        Some("application/json"),
    );
}
