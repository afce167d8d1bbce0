$version: "2"

// Adversarial names, part 2: the names the generator adds for operations
// (request builders, paginators, error enums and their variants and
// methods, client methods, protocol functions), used by the model itself.
namespace tinsmith.adversarial.operations

use aws.protocols#restJson1

@restJson1
@paginated(inputToken: "token", outputToken: "next", pageSize: "size")
service AdversarialOperations {
    version: "1"
    operations: [
        GetFoo
        Get_Foo          // collides: `GetFoo` in every case (request, method, functions)
        ListThings
        ListThingsPaginator // collides: the paginator of `ListThings`
        SdkError         // collides: the `operation` module's import
        OperationInfo    // collides: the `operation` module's import
        Paginated        // collides: the runtime's paginator type
        New              // collides: Client::new()
        Config           // collides: Client::config()
        Clone            // collides: Clone::clone() of the client
        Outbox           // collides: a method the client will gain
        ErrorFoo         // its read_<op>_output once met read_error_<error> of `FooOutput`
        Foo
        FooOutput_       // collides: the error `FooOutput` once in UpperCamelCase
        Labels
        HostLabels
        Stream
        Ticks_           // collides: its error enum is the stream error enum of `Ticks`
        TicksEvent_      // collides: ... and the fallback name of that enum
        AsyncFnOnce      // collides: the trait send_with() takes its closure as
        Download
        WithClient       // its input builder holds the client: names that meet it
    ]
    errors: [Unhandled, Retryable, Throttling, Status]
}

@http(method: "GET", uri: "/get-foo")
@readonly
operation GetFoo {}

@http(method: "GET", uri: "/get_foo")
@readonly
operation Get_Foo {}

@http(method: "GET", uri: "/things")
@readonly
@paginated(items: "things")
operation ListThings {
    input := {
        @httpQuery("token") token: String
        @httpQuery("size") size: Integer
    }
    output := {
        next: String
        things: Names
    }
}

list Names {
    member: String
}

@http(method: "GET", uri: "/things-paginator")
@readonly
operation ListThingsPaginator {}

@http(method: "POST", uri: "/sdk-error")
operation SdkError {}

@http(method: "POST", uri: "/operation-info")
operation OperationInfo {}

@http(method: "POST", uri: "/paginated")
operation Paginated {}

@http(method: "POST", uri: "/new")
operation New {}

@http(method: "POST", uri: "/config")
operation Config {}

@http(method: "POST", uri: "/clone")
operation Clone {}

@http(method: "POST", uri: "/outbox")
operation Outbox {}

@http(method: "POST", uri: "/error-foo")
operation ErrorFoo {
    output := {
        a: String
    }
    errors: [FooOutput]
}

@http(method: "POST", uri: "/foo")
operation Foo {
    output: FooResult
}

@output
structure FooResult {
    b: String
}

@http(method: "POST", uri: "/foo-output")
operation FooOutput_ {}

// collides: an error named like the output of an operation
@error("client")
structure FooOutput {
    message: String
}

// collides: the catch-all variant of every operation error enum
@error("server")
@httpError(500)
structure Unhandled {
    message: String
}

// collides: ProvideErrorStatus::is_retryable() through is_retryable()
@error("server")
@retryable
structure Retryable {
    message: String
}

// collides: ProvideErrorStatus::is_throttling() through is_throttling()
@error("client")
@retryable(throttling: true)
@httpError(429)
structure Throttling {
    message: String
}

// collides: ProvideErrorStatus::status() (is_status is free)
@error("client")
structure Status {
    Message: String
}

// Labels and host labels whose members meet once in snake case.
@http(method: "PUT", uri: "/labels/{fooBar}/{foo_bar}/{rest+}")
@endpoint(hostPrefix: "{hostA}-{host_a}.")
@idempotent
operation Labels {
    input := {
        @required @httpLabel fooBar: String
        @required @httpLabel foo_bar: String
        @required @httpLabel rest: String
        @required @hostLabel hostA: String
        @required @hostLabel host_a: String
        label_foo_bar: String  // collides: the local of label `foo_bar`
    }
}

@http(method: "PUT", uri: "/host-labels")
@endpoint(hostPrefix: "{input}.")
operation HostLabels {
    input := {
        @required @hostLabel input: String  // collides: the serializer's parameter
    }
}

// An event stream whose error enum name is taken twice over.
@http(method: "POST", uri: "/stream")
operation Stream {
    output := {
        @httpPayload
        events: Ticks
    }
}

@streaming
union Ticks {
    tick: Tick
    failed: TicksFailed
}

structure Tick {
    n: Integer
}

@error("server")
structure TicksFailed {
    message: String
}

@http(method: "POST", uri: "/ticks")
operation Ticks_ {}

@http(method: "POST", uri: "/ticks-event")
operation TicksEvent_ {}

@http(method: "POST", uri: "/async-fn-once")
operation AsyncFnOnce {}

@http(method: "GET", uri: "/download")
@readonly
operation Download {
    output := {
        @httpPayload
        @required
        body: Body
    }
}

@streaming
blob Body

// The input builder of an operation is also its request builder
// (`WithClientInputBuilder<C>`, holding the client): a member named like its
// constructor, a member named `client`, a shape named like its type
// parameter, and a deprecated member, whose setters must still warn.
@http(method: "POST", uri: "/with-client")
operation WithClient {
    input := {
        withClient: String
        client: String
        c: C
        @deprecated
        old: String
    }
}

structure C {
    value: String
}
