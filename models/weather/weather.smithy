$version: "2"

namespace example.weather

use aws.protocols#restJson1

/// Provides weather forecasts for cities.
@restJson1
@httpBearerAuth
@paginated(inputToken: "nextToken", outputToken: "nextToken", pageSize: "pageSize")
service Weather {
    version: "2006-03-01"
    resources: [City]
    operations: [GetCurrentTime, PutReport, GetRadar, PutCityNotes, GetCityMetadata]
    errors: [ThrottlingError, ServiceUnavailable]
}

resource City {
    identifiers: { cityId: CityId }
    properties: { name: String, coordinates: CityCoordinates }
    create: CreateCity
    read: GetCity
    list: ListCities
    resources: [Forecast]
}

resource Forecast {
    identifiers: { cityId: CityId }
    properties: { chanceOfRain: Float }
    read: GetForecast
}

/// A city identifier, such as `seattle`.
@pattern("^[A-Za-z0-9 ]+$")
string CityId

@readonly
@http(method: "GET", uri: "/cities/{cityId}")
operation GetCity {
    input := for City {
        @required
        @httpLabel
        $cityId
    }

    output := for City {
        @required
        $name

        @required
        $coordinates
    }

    errors: [NoSuchResource]
}

structure CityCoordinates {
    @required
    latitude: Float

    @required
    longitude: Float
}

/// The requested resource does not exist.
@error("client")
@httpError(404)
structure NoSuchResource {
    @required
    resourceType: String
}

@readonly
@paginated(items: "items")
@http(method: "GET", uri: "/cities")
operation ListCities {
    input := {
        @httpQuery("nextToken")
        nextToken: String

        @httpQuery("pageSize")
        pageSize: Integer
    }

    output := {
        nextToken: String

        @required
        items: CitySummaries
    }
}

list CitySummaries {
    member: CitySummary
}

@references([{ resource: City }])
structure CitySummary {
    @required
    cityId: CityId

    @required
    name: String
}

/// The service's clock; callable without credentials.
@readonly
@optionalAuth
@http(method: "GET", uri: "/current-time")
operation GetCurrentTime {
    output := {
        @required
        time: Timestamp
    }
}

@readonly
@http(method: "GET", uri: "/cities/{cityId}/forecast")
operation GetForecast {
    input := for Forecast {
        @required
        @httpLabel
        $cityId
    }

    output := for Forecast {
        $chanceOfRain

        /// Active alerts, most severe first.
        alerts: Alert
    }
}

/// A weather alert; `next` links to a lesser alert.
structure Alert {
    @required
    message: String

    @required
    severity: Severity

    next: Alert
}

enum Severity {
    ADVISORY = "advisory"
    WATCH = "watch"
    WARNING = "warning"
}

/// The kind of settlement.
enum CityKind {
    VILLAGE = "village"
    TOWN = "town"
    METROPOLIS = "metropolis"
}

/// Registers a city.
@http(method: "POST", uri: "/cities", code: 201)
operation CreateCity {
    input := {
        @required
        name: String

        @required
        coordinates: CityCoordinates

        kind: CityKind = "town"

        tags: Tags

        population: Long

        /// When the city was founded.
        @timestampFormat("date-time")
        founded: Timestamp

        /// Free-form data about the city.
        notes: Document

        /// The mayor's private phone number.
        @sensitive
        mayorPhone: String
    }

    output := {
        @required
        cityId: CityId
    }

    errors: [CityAlreadyExists]
}

/// A city with this name is already registered.
@error("client")
@httpError(409)
structure CityAlreadyExists {
    @required
    message: String

    existingCityId: CityId
}

list Tags {
    member: String
}

map Metadata {
    key: String
    value: String
}

/// Reports an observation at a station, exercising every request binding.
@idempotent
@http(method: "PUT", uri: "/cities/{cityId}/reports/{station+}?format=v2")
operation PutReport {
    input := {
        @required
        @httpLabel
        cityId: CityId

        /// A station path such as `north/roof`.
        @required
        @httpLabel
        station: String

        @httpQuery("lang")
        language: String

        @httpQuery("tag")
        tags: Tags

        @httpQueryParams
        extra: Metadata

        @httpHeader("X-Reported-At")
        reportedAt: Timestamp

        @httpHeader("X-Flags")
        flags: Tags

        @httpHeader("X-Priority")
        priority: Integer

        @httpPrefixHeaders("X-Meta-")
        meta: Metadata

        @httpPayload
        observation: Observation
    }

    output := {
        @httpResponseCode
        status: Integer

        @httpHeader("ETag")
        etag: String

        @httpHeader("X-Accepted-At")
        acceptedAt: Timestamp

        @httpPrefixHeaders("X-Meta-")
        meta: Metadata

        @httpPayload
        receipt: Receipt
    }
}

/// What was observed.
union Observation {
    /// Rainfall in millimetres.
    rain: Float

    snow: SnowReport

    /// Nothing to report.
    clear: Unit
}

structure SnowReport {
    @required
    depthCm: Float

    @jsonName("fresh_snow")
    freshSnow: Boolean
}

structure Receipt {
    @required
    reportId: String

    @timestampFormat("epoch-seconds")
    storedAt: Timestamp
}

/// The latest radar image of a city.
@readonly
@http(method: "GET", uri: "/cities/{cityId}/radar")
operation GetRadar {
    input := {
        @required
        @httpLabel
        cityId: CityId
    }

    output := {
        @httpHeader("X-Frame-Count")
        frames: Integer

        @httpPayload
        image: RadarImage
    }
}

@mediaType("image/png")
blob RadarImage

/// Replaces the free-text notes of a city.
@idempotent
@http(method: "PUT", uri: "/cities/{cityId}/notes")
operation PutCityNotes {
    input := {
        @required
        @httpLabel
        cityId: CityId

        @httpPayload
        notes: String
    }
}

/// Arbitrary metadata about a city, as a JSON document.
@readonly
@http(method: "GET", uri: "/cities/{cityId}/metadata")
operation GetCityMetadata {
    input := {
        @required
        @httpLabel
        cityId: CityId
    }

    output := {
        @httpPayload
        metadata: Document
    }
}

/// Too many requests; slow down.
@error("client")
@retryable(throttling: true)
@httpError(429)
structure ThrottlingError {
    message: String
}

/// The service is temporarily unavailable.
@error("server")
@retryable
@httpError(503)
structure ServiceUnavailable {
    message: String
}
