$version: "2"

namespace tinsmith.tests.places

use aws.protocols#awsJson1_0
use tinsmith.tests.common#Coordinates
use tinsmith.tests.common#NoSuchStation
use tinsmith.tests.common#Reading
use tinsmith.tests.common#StationId

/// Stations and their latest readings.
@awsJson1_0
service Places {
    version: "2026-12-01"
    operations: [GetStation]
}

/// Reads a station.
@readonly
operation GetStation {
    input := {
        @required
        station: StationId
    }
    output := {
        @required
        at: Coordinates

        latest: Reading

        /// A local type named like a shared one: each keeps its path.
        reading: Reading2
    }
    errors: [NoSuchStation]
}

/// The places service's own reading.
structure Reading2 {
    count: Integer
}
