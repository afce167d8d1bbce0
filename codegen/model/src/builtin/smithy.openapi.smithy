// smithy.openapi traits, as bundled by tinsmith. Definitions only.
$version: "2.0"

namespace smithy.openapi

@trait(selector: "[trait|trait]")
structure specificationExtension {
    // Unset: `x-` followed by the trait's shape id, hyphenated.
    as: SpecificationExtensionKey
}

@private
@pattern("^x-.+$")
string SpecificationExtensionKey
