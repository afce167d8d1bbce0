// smithy.contracts traits, as bundled by tinsmith. Definitions only.
$version: "2.0"

namespace smithy.contracts

@trait(selector: ":not(:test(service, operation, resource))")
map conditions {
    key: ConditionName
    value: Condition
}

@pattern("^[A-Z]+[A-Za-z0-9]*$")
string ConditionName

structure Condition {
    // A JMESPath expression that must evaluate to true.
    @required
    expression: String
    @required
    documentation: String
}
