$version: "2"

// Odd but valid event streams: every header type, every payload kind,
// document events, unit events, streams without modeled errors, both ways.
namespace tinsmith.odd.events

use aws.protocols#restJson1

@restJson1
service OddEvents {
    version: "1"
    operations: [Watch, Feed]
}

@http(method: "POST", uri: "/watch/{topic}")
operation Watch {
    input := {
        @required @httpLabel topic: String
        @httpHeader("x-since") since: Timestamp
    }
    output := {
        @httpHeader("x-session") session: String
        @httpPayload events: Happenings
    }
}

@http(method: "POST", uri: "/feed")
operation Feed {
    input := {
        @httpPayload events: Happenings
    }
    output := {
        accepted: Long
    }
}

@streaming
union Happenings {
    headers: AllHeaders
    blob: BlobPayload
    text: TextPayload
    structure: StructurePayload
    union: UnionPayload
    document: DocumentEvent
    ping: Unit
    @deprecated
    old: OldEvent
}

@deprecated
structure OldEvent {
    @eventHeader n: Integer
}

structure AllHeaders {
    @eventHeader b: Boolean
    @eventHeader by: Byte
    @eventHeader s: Short
    @eventHeader i: Integer
    @eventHeader l: Long
    @eventHeader bl: Blob
    @eventHeader st: String
    @eventHeader t: Timestamp
    @eventHeader e: Mood
    @eventHeader ie: Level
}

structure BlobPayload {
    @eventHeader name: String
    @eventPayload data: Picture
}

structure TextPayload {
    @eventPayload text: String
}

structure StructurePayload {
    @eventHeader id: Integer
    @eventPayload point: Point
}

structure UnionPayload {
    @eventPayload choice: Choice
}

structure DocumentEvent {
    @eventHeader id: String
    points: Points
    when: Timestamp
    extra: Document
}

@mediaType("image/png")
blob Picture

enum Mood {
    HAPPY
    SAD
}

intEnum Level {
    ONE = 1
    TWO = 2
}

structure Point {
    x: Integer
    y: Integer
}

list Points { member: Point }

union Choice {
    point: Point
    label: String
}
