// smithy.framework shapes, as bundled by tinsmith. Definitions only.
$version: "2.0"

namespace smithy.framework

/// A standard error for input validation failures.
@error("client")
structure ValidationException {
    @required
    message: String
    fieldList: ValidationExceptionFieldList
}

/// One member that failed validation.
structure ValidationExceptionField {
    @required
    path: String
    @required
    message: String
}

list ValidationExceptionFieldList {
    member: ValidationExceptionField
}
