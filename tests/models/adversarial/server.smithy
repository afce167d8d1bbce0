$version: "2"

// Adversarial names, part 5: the server module. Its trait is named after
// the service, its error enums after the operations, and it imports and
// defines names of its own (`Request`, `Status`, `Reply`, `router`,
// `dispatch`, the type parameter `S`); every one of them is taken here.
namespace tinsmith.adversarial.server

use aws.protocols#awsJson1_1

// collides: the error enum of `GetThing`
@awsJson1_1
service GetThingError {
    version: "1"
    operations: [GetThing, Request, Status, Reply, Router, Dispatch, S, Call, Future]
    errors: [Unhandled]
}

operation GetThing {
    input := {
        service: String   // the names of the serving function's locals
        call: String
        input: String
        output: String
        error: String
        status: String
        problem: String
    }
    output := {
        request: String
    }
    errors: [Status_]
}

// The imported names, as operations (methods, error enums) and shapes.
operation Request {
    input: Arc
    output: Protocol
}

operation Status {}

operation Reply {
    output := {}
}

operation Router {
    input := {}
}

operation Dispatch {
    errors: [ReplyFuture]
}

operation S {}

operation Call {}

operation Future {}

structure Arc {
    reply: String
}

structure Protocol {
    future: String
}

// collides: the variant every error enum keeps for unmodeled errors
@error("server")
structure Unhandled {
    message: String
}

@error("client")
@httpError(429)
structure Status_ {
    message: String
}

@error("client")
structure ReplyFuture {}
