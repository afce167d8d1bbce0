// aws.cloudformation traits, as bundled by tinsmith. Definitions only.
$version: "2.0"

namespace aws.cloudformation

@unstable
@trait(
    selector: "structure > :test(member > string)"
    conflicts: ["aws.cloudformation#cfnExcludeProperty"]
)
structure cfnAdditionalIdentifier {}

@unstable
@trait(selector: "structure > member")
string cfnName

@unstable
@trait(
    selector: "structure > member"
    conflicts: [
        "aws.cloudformation#cfnAdditionalIdentifier"
        "aws.cloudformation#cfnMutability"
        "aws.cloudformation#cfnDefaultValue"
    ]
)
structure cfnExcludeProperty {}

@unstable
@trait(
    selector: "resource > operation -[input, output]-> structure > member"
    conflicts: ["aws.cloudformation#cfnExcludeProperty"]
)
structure cfnDefaultValue {}

@unstable
@trait(selector: "structure > member", conflicts: ["aws.cloudformation#cfnExcludeProperty"])
enum cfnMutability {
    FULL = "full"
    CREATE_AND_READ = "create-and-read"
    CREATE = "create"
    READ = "read"
    WRITE = "write"
}

@unstable
@trait(selector: "resource")
structure cfnResource {
    name: String
    additionalSchemas: StructureIdList
    @deprecated(message: "Use the resource's identifiers.")
    primaryIdentifier: String
}

@private
list StructureIdList {
    @idRef(failWhenMissing: true, selector: "structure")
    member: String
}
