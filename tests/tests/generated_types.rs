//! Behaviour of generated types, exercised through the checked-in generated
//! crates (`generated-examples/`): builders, defaults, enums, unions,
//! recursion, redaction.

use obstacles::types::{
    Choice, Defaults, LegacyEnum, Level, MatchInput, OddEnum, Recursive, ResultValue,
};
use tinsmith_runtime::{DateTime, Document};
use weather::types::{CityCoordinates, GetCityOutput};

#[test]
fn build_reports_every_missing_required_member() {
    let err = GetCityOutput::builder().build().unwrap_err();
    assert_eq!(err.missing(), ["name", "coordinates"]);
    assert_eq!(
        err.to_string(),
        "cannot build `GetCityOutput`: missing required members `name`, `coordinates`"
    );
    let coordinates = CityCoordinates::builder()
        .latitude(47.6)
        .longitude(-122.3)
        .build()
        .unwrap();
    let output = GetCityOutput::builder()
        .name("Seattle")
        .coordinates(coordinates)
        .build()
        .unwrap();
    assert_eq!(output.name, "Seattle");
    assert_eq!(output.coordinates.longitude, -122.3);
}

#[test]
fn input_members_stay_optional_but_required_ones_are_checked() {
    // `Box` is @required on an @input structure: the field is an Option
    // (clients are not authoritative), but build() still insists on it.
    let err = MatchInput::builder().r#type("t").build().unwrap_err();
    assert_eq!(err.missing(), ["Box"]);
    let input = MatchInput::builder()
        .r#box(vec![])
        .build_value(3)
        .send_value(true)
        .self_("me")
        .r#async(ResultValue::builder().ok("fine").build())
        .build()
        .unwrap();
    assert_eq!(input.r#box, Some(vec![]));
    assert_eq!(input.build, Some(3));
    assert_eq!(input.send, Some(true));
    assert_eq!(input.self_.as_deref(), Some("me"));
}

#[test]
fn defaults_fill_unset_members() {
    let d = Defaults::builder().required("r").build().unwrap();
    assert_eq!(d.text, "hi");
    assert!(d.flag);
    assert_eq!((d.small, d.short, d.int, d.long), (1, 2, 3, 4));
    assert_eq!((d.float, d.double), (1.5, 2.5));
    assert_eq!(d.time, DateTime::from_secs(0));
    assert!(d.list.is_empty() && d.map.is_empty());
    assert_eq!(d.r#enum, OddEnum::Dashed);
    assert_eq!(d.level, Level::High);
    assert_eq!(d.big.as_str(), "1");
    assert_eq!(d.blob.as_bytes(), b"");
    let Document::Object(doc) = &d.doc else {
        panic!("document default is an object")
    };
    assert_eq!(
        doc["a"],
        Document::Array(vec![1i64.into(), "two".into(), true.into(), Document::Null])
    );
    let set = Defaults::builder()
        .required("r")
        .text("set")
        .int(9)
        .build()
        .unwrap();
    assert_eq!((set.text.as_str(), set.int), ("set", 9));
}

#[test]
fn string_enums_round_trip_and_keep_unknown_values() {
    assert_eq!(OddEnum::from("a-b"), OddEnum::Dashed);
    assert_eq!(OddEnum::LeadingDigit.as_str(), "1foo");
    assert_eq!(OddEnum::from("unknown"), OddEnum::UnknownValue);
    assert_eq!(OddEnum::from("self"), OddEnum::SelfValue);
    let new = OddEnum::from("added-later");
    assert!(matches!(new, OddEnum::Unknown(_)));
    assert_eq!(new.as_str(), "added-later");
    assert_eq!("with space".parse::<OddEnum>().unwrap(), OddEnum::Spaced);
    assert_eq!(OddEnum::values().len(), 6);
    assert_eq!(LegacyEnum::from("v1"), LegacyEnum::V1);
    assert_eq!(LegacyEnum::from("v2").to_string(), "v2");
}

#[test]
fn int_enums_round_trip_and_keep_unknown_values() {
    assert_eq!(Level::from(10), Level::High);
    assert_eq!(Level::Negative.value(), -1);
    assert_eq!(Level::from(7).value(), 7);
    assert!(matches!(Level::from(7), Level::Unknown(_)));
}

#[test]
fn recursive_shapes_are_boxed_and_unions_have_accessors() {
    let leaf = Recursive::builder().build();
    let tree = Recursive::builder()
        .next(leaf.clone())
        .choice(Choice::Recursive(Box::new(leaf.clone())))
        .build();
    assert_eq!(tree.next.as_deref(), Some(&leaf));
    let choice = Choice::Nested(Box::new(Choice::Text("x".into())));
    assert_eq!(
        choice
            .as_nested()
            .and_then(Choice::as_text)
            .map(String::as_str),
        Some("x")
    );
    assert!(Choice::Nothing.is_nothing());
    assert!(Choice::UnknownValue("a member named unknown".into()).is_unknown_value());
    assert!(Choice::Unknown.is_unknown());
}

#[test]
#[allow(deprecated)]
fn sensitive_values_are_redacted_in_debug() {
    let out = obstacles::types::MatchOutput::builder()
        .secret("hunter2")
        .build();
    let debug = format!("{out:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(debug.contains("*** Sensitive Data Redacted ***"), "{debug}");
    let old = obstacles::types::Old::builder().field("f").build();
    assert_eq!(old.field.as_deref(), Some("f"));
}

#[test]
fn operation_errors_carry_the_modeled_error_and_its_status() {
    use tinsmith_runtime::{ErrorStatus, ModeledError, ProvideErrorStatus, UnhandledError};
    use weather::error::GetCityError;
    use weather::types::NoSuchResource;

    let status = ErrorStatus::builder()
        .code("NoSuchResource")
        .message("no city")
        .http_status(404)
        .request_id("req-1")
        .build();
    let value = NoSuchResource::builder()
        .resource_type("City")
        .build()
        .unwrap();
    let err = GetCityError::NoSuchResource(ModeledError::new(
        value,
        status,
        tinsmith_runtime::error::Retry::NotModeled,
    ));
    assert!(err.is_no_such_resource() && !err.is_unhandled());
    let GetCityError::NoSuchResource(modeled) = &err else {
        unreachable!()
    };
    assert_eq!(
        modeled.resource_type, "City",
        "derefs to the error structure"
    );
    assert_eq!(err.status().request_id(), Some("req-1"));
    assert_eq!(
        err.to_string(),
        "NoSuchResource: no city (HTTP 404, request id req-1)"
    );
    assert!(!err.is_retryable());
    assert_eq!(
        GetCityError::MODELED_CODES,
        ["NoSuchResource", "ServiceUnavailable", "ThrottlingError"]
    );

    let unhandled = GetCityError::Unhandled(UnhandledError::new(
        ErrorStatus::builder()
            .code("Teapot")
            .http_status(418)
            .build(),
    ));
    assert!(unhandled.is_unhandled());
    assert_eq!(unhandled.status().code(), Some("Teapot"));
}
