$version: "2"

// The shape of the first model many users try (Smithy's quickstart): HTTP
// bindings and no protocol trait. tests/build.rs generates it with
// `Builder::protocol("aws.protocols#restJson1")`; tests/tests/front_ends.rs
// calls it over a server on 127.0.0.1.
namespace tinsmith.tests.quickstart

/// Forecasts by city.
service Forecasts {
    version: "2026-12-01"
    resources: [City]
}

/// A city with a forecast.
resource City {
    identifiers: { cityId: CityId }
    read: GetCity
    list: ListCities
}

/// A city's id.
@pattern("^[a-z0-9-]+$")
string CityId

/// Reads a city.
@readonly
@http(method: "GET", uri: "/cities/{cityId}")
operation GetCity {
    input := {
        /// The city.
        @required
        @httpLabel
        cityId: CityId
    }
    output := {
        /// Its name.
        @required
        name: String

        /// Degrees Celsius tomorrow.
        tomorrow: Float
    }
    errors: [NoSuchCity]
}

/// Lists the cities.
@readonly
@paginated(inputToken: "nextToken", outputToken: "nextToken", pageSize: "pageSize", items: "items")
@http(method: "GET", uri: "/cities")
operation ListCities {
    input := {
        /// Where the previous page ended.
        @httpQuery("nextToken")
        nextToken: String

        /// At most this many.
        @httpQuery("pageSize")
        pageSize: Integer
    }
    output := {
        /// The city ids.
        @required
        items: CityIds

        /// Where this page ended.
        nextToken: String
    }
}

/// City ids.
list CityIds {
    member: CityId
}

/// No city has that id.
@error("client")
@httpError(404)
structure NoSuchCity {
    /// What was asked for.
    message: String
}
