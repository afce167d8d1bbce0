// smithy.test smoke test traits, as bundled by tinsmith. Definitions only.
$version: "2.0"

namespace smithy.test

@trait(selector: "operation")
list smokeTests {
    member: SmokeTestCase
}

@private
structure SmokeTestCase {
    @required
    @pattern("^[A-Za-z_][A-Za-z0-9_]+$")
    id: String
    params: Document
    vendorParams: Document
    @idRef(failWhenMissing: true)
    vendorParamsShape: String
    @required
    expect: Expectation
    tags: TagList
}

@private
union Expectation {
    success: Unit
    failure: FailureExpectation
}

@private
structure FailureExpectation {
    // Unset: any error will do.
    @idRef(failWhenMissing: true, selector: "[trait|error]")
    errorId: String
}

@private
list TagList {
    member: Tag
}

@private
@pattern("^[A-Za-z][A-Za-z0-9_\\-]+$")
string Tag
