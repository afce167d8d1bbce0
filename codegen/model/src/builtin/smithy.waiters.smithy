// smithy.waiters traits, as bundled by tinsmith. Definitions only.
$version: "2.0"

namespace smithy.waiters

@trait(selector: "operation :not(-[input, output]-> structure > member > union[trait|streaming])")
map waitable {
    key: WaiterName
    value: Waiter
}

@private
@pattern("^[A-Z]+[A-Za-z0-9]*$")
string WaiterName

@private
structure Waiter {
    documentation: String
    @required
    @length(min: 1)
    acceptors: Acceptors
    minDelay: WaiterDelay = 2
    maxDelay: WaiterDelay = 120
    deprecated: Boolean
    tags: NonEmptyStringList
}

@private
@range(min: 1)
integer WaiterDelay

@private
list Acceptors {
    member: Acceptor
}

@private
structure Acceptor {
    @required
    state: AcceptorState
    @required
    matcher: Matcher
    message: String
}

@private
enum AcceptorState {
    SUCCESS = "success"
    FAILURE = "failure"
    RETRY = "retry"
}

@private
union Matcher {
    output: PathMatcher
    inputOutput: PathMatcher
    errorType: String
    success: Boolean
}

@private
structure PathMatcher {
    @required
    path: String
    @required
    expected: String
    @required
    comparator: PathComparator
}

@private
enum PathComparator {
    STRING_EQUALS = "stringEquals"
    BOOLEAN_EQUALS = "booleanEquals"
    ALL_STRING_EQUALS = "allStringEquals"
    ANY_STRING_EQUALS = "anyStringEquals"
}

@private
list NonEmptyStringList {
    member: NonEmptyString
}

@private
@length(min: 1)
string NonEmptyString
