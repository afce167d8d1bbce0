// smithy.mqtt traits, as bundled by tinsmith. Definitions only.
$version: "2.0"

namespace smithy.mqtt

@trait(selector: "service")
@protocolDefinition
structure mqttJson {}

// Topics: one or more characters, none of them "#" or "+".
@trait(selector: "operation :not(-[output]-> * > member)", conflicts: ["smithy.mqtt#subscribe"])
@traitValidators(
    "MqttPublishInput.NoEventStreams": {
        selector: "-[input]-> structure > member :test(> union [trait|streaming])"
        message: "publish operations cannot have event streams in their input"
    }
    MqttUnsupportedErrors: {
        selector: ":test(-[error]->)"
        message: "publish operations cannot have errors"
        severity: "DANGER"
    }
)
@pattern("^[^#+]+$")
string publish

@trait(selector: "operation :test(-[output]->)", conflicts: ["smithy.mqtt#publish"])
@traitValidators(
    "MqttSubscribeInput.MissingTopicLabel": {
        selector: "-[input]-> structure > member :not([trait|smithy.mqtt#topicLabel])"
        message: "every input member of a subscribe operation needs @smithy.mqtt#topicLabel"
    }
    MqttUnsupportedErrors: {
        selector: ":test(-[error]->)"
        message: "subscribe operations cannot have errors"
        severity: "DANGER"
    }
    "MqttSubscribeOutput.MissingEventStream": {
        selector: ":test(-[output]-> :not(> member > union [trait|streaming]))"
        message: "subscribe operations need an output event stream"
    }
    "MqttSubscribeOutput.EventHeaderNotSupported": {
        selector: "-[output]-> structure > member > union [trait|streaming] > member > structure > member [trait|eventHeader]"
        message: "subscribe operations do not support @eventHeader"
        severity: "DANGER"
    }
    "MqttSubscribeOutput.NoInitialEvents": {
        selector: ":test(-[output]-> structure > member :not(> union [trait|streaming]))"
        message: "subscribe operations do not support initial responses in their output streams"
    }
)
@pattern("^[^#+]+$")
string subscribe

@trait(selector: "member[trait|required] :test(> :test(string, byte, short, integer, long, boolean, timestamp))")
structure topicLabel {}
