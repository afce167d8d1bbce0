// aws.endpoints traits, as bundled by tinsmith. Definitions only.
$version: "2.0"

namespace aws.endpoints

// Meta-trait: marks trait shapes that modify how a service's endpoints resolve.
@trait(selector: "structure[trait|trait]")
structure endpointsModifier {}

@trait(selector: "service", conflicts: ["aws.endpoints#standardPartitionalEndpoints"])
@endpointsModifier
structure standardRegionalEndpoints {
    partitionSpecialCases: PartitionSpecialCaseMap
    regionSpecialCases: RegionSpecialCaseMap
}

@private
map PartitionSpecialCaseMap {
    key: String
    value: PartitionSpecialCaseList
}

@private
list PartitionSpecialCaseList {
    member: PartitionSpecialCase
}

@private
structure PartitionSpecialCase {
    @required
    endpoint: String
    dualStack: Boolean
    fips: Boolean
}

@private
map RegionSpecialCaseMap {
    key: String
    value: RegionSpecialCaseList
}

@private
list RegionSpecialCaseList {
    member: RegionSpecialCase
}

@private
structure RegionSpecialCase {
    @required
    endpoint: String
    dualStack: Boolean
    fips: Boolean
    signingRegion: String
}

@trait(selector: "service", conflicts: ["aws.endpoints#standardRegionalEndpoints"])
@endpointsModifier
structure standardPartitionalEndpoints {
    @required
    endpointPatternType: PartitionEndpointPattern
    partitionEndpointSpecialCases: PartitionEndpointSpecialCaseMap
}

@private
enum PartitionEndpointPattern {
    @deprecated(since: "2025-04-01", message: "Use AWS_RECOMMENDED.")
    SERVICE_DNSSUFFIX = "service_dnsSuffix"
    @deprecated(since: "2025-04-01", message: "Use AWS_RECOMMENDED.")
    SERVICE_REGION_DNSSUFFIX = "service_region_dnsSuffix"
    AWS_RECOMMENDED = "aws_recommended"
}

@private
map PartitionEndpointSpecialCaseMap {
    key: String
    value: PartitionEndpointSpecialCaseList
}

@private
list PartitionEndpointSpecialCaseList {
    member: PartitionEndpointSpecialCase
}

@private
structure PartitionEndpointSpecialCase {
    endpoint: String
    region: String
    dualStack: Boolean
    fips: Boolean
}

@trait(selector: "service")
@endpointsModifier
structure dualStackOnlyEndpoints {}

@trait(selector: "service")
@endpointsModifier
@unstable
structure rulesBasedEndpoints {}
