$version: "2"

// Our JSON-RPC 2.0 protocol with its settings: calls go to `/api/rpc` as
// `echo/<operation>` (`tests/tests/server_json_rpc.rs`).
namespace tinsmith.tests.jsonrpc

use tinsmith.protocols#jsonRpc2

@jsonRpc2(path: "/api/rpc", methodPrefix: "echo/")
service Echo {
    version: "1"
    operations: [Say, Ping, Fail]
}

/// Echoes its text back, counted.
operation Say {
    input := {
        @required
        @length(min: 1, max: 100)
        text: String

        times: Integer = 1

        at: Timestamp
    }
    output := {
        @required
        text: String

        at: Timestamp
    }
}

/// No input, no output: a notification when sent without an id.
operation Ping {}

/// Always fails, with a modeled error or another failure.
operation Fail {
    input := {
        @required
        how: How
    }
    errors: [Oops]
}

enum How {
    MODELED
    STATUS
    PANIC
}

@error("client")
structure Oops {
    @required
    message: String

    code: Integer
}
