// aws.customizations traits, as bundled by tinsmith. Definitions only.
$version: "2.0"

namespace aws.customizations

@trait(selector: "operation")
structure s3UnwrappedXmlOutput {}
