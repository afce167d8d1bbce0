//! Untrusted response data through every runtime reader generated code
//! uses: JSON, CBOR and XML bodies (parse, then walk with the typed readers;
//! an XML tree written back reads as itself),
//! error type and message extraction, header lists, numbers, timestamps and
//! base64. None may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tinsmith_runtime::{TimestampFormat, binding, cbor, json, xml};

fuzz_target!(|data: &[u8]| {
    let response = http::Response::builder()
        .status(400)
        .header("x-amzn-errortype", String::from_utf8_lossy(&data[..data.len().min(32)]).replace(['\r', '\n'], ""))
        .body(bytes::Bytes::copy_from_slice(data))
        .unwrap_or_else(|_| http::Response::new(bytes::Bytes::copy_from_slice(data)));

    if let Ok(value) = json::parse_body(data) {
        let _ = json::error_code(&response, &value);
        let _ = json::error_message(&value);
        let _ = json::error_extras(&value);
        if let Ok(object) = json::de_object(&value) {
            for (_, v) in object {
                let _ = json::de_string(v);
                let _ = json::de_int::<i32>(v);
                let _ = json::de_float(v);
                let _ = json::de_blob(v);
                let _ = json::de_big_decimal(v);
                let _ = json::de_big_integer(v);
                let _ = json::de_document(v);
                for format in [TimestampFormat::EpochSeconds, TimestampFormat::DateTime, TimestampFormat::HttpDate] {
                    let _ = json::de_timestamp(v, format);
                }
            }
        }
    }

    if let Ok(value) = cbor::parse_body(data) {
        let _ = cbor::error_code(&response, &value);
        let _ = cbor::error_message(&value);
        let _ = cbor::error_extras(&value);
        let _ = cbor::to_body(&value);
        if let Ok(map) = cbor::de_object(&value) {
            for (_, v) in map {
                let _ = cbor::de_string(v);
                let _ = cbor::de_int::<i64>(v);
                let _ = cbor::de_float(v);
                let _ = cbor::de_blob(v);
                let _ = cbor::de_timestamp(v, TimestampFormat::EpochSeconds);
                let _ = cbor::de_big_integer(v);
                let _ = cbor::de_big_decimal(v);
            }
        }
    }

    if let Ok(root) = xml::parse_body(data) {
        let _ = xml::error_code(&response, &root);
        let _ = xml::error_message(&root);
        let _ = xml::error_request_id(&root);
        walk(&root);
        // A body without an element reads as a nameless one, which has no
        // written form.
        if !root.name().is_empty() {
            let written = xml::to_body(&root);
            assert_eq!(xml::parse_body(&written).as_ref(), Ok(&root), "an XML tree reads back as itself");
        }
    }

    if let Ok(text) = std::str::from_utf8(data) {
        let _ = binding::split_header_list(text);
        let _ = binding::split_http_dates(text);
        let _ = binding::parse_float(text);
        let _ = binding::parse::<i64>(text);
        let _ = binding::parse_base64(text);
        let _ = binding::parse_base64_bytes(text);
        let _ = binding::sanitize_error_code(text);
        for format in [TimestampFormat::EpochSeconds, TimestampFormat::DateTime, TimestampFormat::HttpDate] {
            let _ = binding::parse_timestamp(text, format);
        }
    }
    let _ = binding::error_status(&response, None, None, None, Default::default());
    let _ = binding::prefix_headers(&response, "x-");
});

/// Every typed XML reader on every element of the tree.
fn walk(element: &xml::Element) {
    let _ = xml::de_string(element);
    let _ = xml::de_bool(element);
    let _ = xml::de_int::<i8>(element);
    let _ = xml::de_int::<i64>(element);
    let _ = xml::de_float(element);
    let _ = xml::de_blob(element);
    let _ = xml::de_big_integer(element);
    let _ = xml::de_big_decimal(element);
    for format in [TimestampFormat::EpochSeconds, TimestampFormat::DateTime, TimestampFormat::HttpDate] {
        let _ = xml::de_timestamp(element, format);
    }
    for (name, _) in element.attribute_pairs() {
        if let Some(value) = xml::attribute_value(element, name) {
            let _ = xml::de_float(&value);
        }
    }
    for child in element.children() {
        let _ = xml::required_child(element, child.name());
        walk(child);
    }
}
