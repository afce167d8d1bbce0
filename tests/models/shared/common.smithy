$version: "2"

// A shared-types library: no service, only shapes two services use.
// tests/build.rs generates it as a types-only SDK (`crate::corpus::common`)
// and generates the two services of `services.smithy` with
// `Builder::extern_types("tinsmith.tests.common", "crate::corpus::common")`,
// so the types exist once. tests/tests/shared_types.rs checks both.
namespace tinsmith.tests.common

/// A place on Earth.
structure Coordinates {
    /// Degrees north.
    @required
    @range(min: -90, max: 90)
    latitude: Double

    /// Degrees east.
    @required
    longitude: Double
}

/// How sure a reading is.
enum Confidence {
    LOW = "low"
    HIGH = "high"
}

/// A level on a scale of 1 to 5.
intEnum Level {
    MINOR = 1
    MAJOR = 3
    SEVERE = 5
}

/// Something measured at a place and time.
structure Reading {
    /// Where.
    @required
    at: Coordinates

    /// When.
    @required
    @timestampFormat("date-time")
    taken: Timestamp

    /// The value.
    value: Measurement

    /// How sure it is.
    confidence: Confidence = "high"

    /// How many sensors agreed.
    sensors: Integer = 1

    /// Free-form labels.
    labels: Labels

    /// The raw payload.
    raw: Blob

    /// Anything else the sensor said.
    extra: Document

    /// The reading this one corrects.
    corrects: Reading

    /// The operator's note.
    note: Note
}

/// A measured value.
union Measurement {
    /// Degrees Celsius.
    celsius: Float

    /// A level.
    level: Level

    /// No value, only that something happened.
    event: Unit
}

/// Labels by name.
map Labels {
    key: String
    value: String
}

/// Notes are private.
@sensitive
string Note

/// An id shared by both services.
@length(min: 1)
string StationId

/// A station is not known.
@error("client")
@httpError(404)
structure NoSuchStation {
    @required
    message: String

    station: StationId
}
