$version: "2"

// Two services over the shared types of `common.smithy` (see there).

namespace tinsmith.tests.alerts

use aws.protocols#restJson1
use tinsmith.tests.common#Coordinates
use tinsmith.tests.common#Level
use tinsmith.tests.common#NoSuchStation
use tinsmith.tests.common#Reading
use tinsmith.tests.common#StationId

/// Alerts raised from readings.
@restJson1
service Alerts {
    version: "2026-12-01"
    operations: [RaiseAlert]
}

/// Raises an alert from a reading.
@http(method: "POST", uri: "/stations/{station}/alerts")
operation RaiseAlert {
    input := {
        @required
        @httpLabel
        station: StationId

        @required
        reading: Reading

        level: Level
    }
    output := {
        /// Where the alert applies.
        @required
        area: Coordinates

        /// The alert, as stored.
        reading: Reading
    }
    errors: [NoSuchStation]
}
