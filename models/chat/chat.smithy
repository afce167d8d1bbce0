$version: "2"

namespace example.chat

use aws.protocols#restJson1
use tinsmith.api#endOfStream

/// Chat rooms over event streams: subscribe to a room's events, publish a
/// stream of messages, or converse (send and receive at once, over HTTP/2).
///
/// The service closes every stream with an end-of-stream message and
/// expects the same from clients, so a stream cut short is always reported
/// as such.
@restJson1
@endOfStream
service Chat {
    version: "2026-11-20"
    operations: [SubscribeRoom, PublishMessages, Converse]
    errors: [NoSuchRoom]
}

/// A room's name.
@pattern("^[a-z0-9-]{1,32}$")
string RoomName

/// A user's handle.
string UserName

/// A list of user handles.
list UserList {
    member: UserName
}

/// Streams a room's events as they happen.
@readonly
@http(method: "GET", uri: "/rooms/{room}/events")
operation SubscribeRoom {
    input := {
        /// The room.
        @required
        @httpLabel
        room: RoomName

        /// Replay events after this sequence number first.
        @httpQuery("after")
        after: Long
    }

    output := {
        /// The room's topic when the subscription started.
        @httpHeader("x-room-topic")
        topic: String

        /// The room's events.
        @required
        @httpPayload
        events: RoomEvents
    }
}

/// Publishes a stream of messages to a room; the answer comes when the
/// stream ends.
@http(method: "POST", uri: "/rooms/{room}/messages")
operation PublishMessages {
    input := {
        /// The room.
        @required
        @httpLabel
        room: RoomName

        /// The messages, in order.
        @required
        @httpPayload
        messages: PublishEvents
    }

    output := {
        /// How many messages the room accepted.
        @required
        accepted: Long
    }
}

/// Sends and receives at once: each `ping` is answered by a `pong` as soon
/// as it arrives, and each `say` is echoed back as a room message.
@http(method: "POST", uri: "/rooms/{room}/converse")
operation Converse {
    input := {
        /// The room.
        @required
        @httpLabel
        room: RoomName

        /// What the client says.
        @required
        @httpPayload
        requests: ConverseRequests
    }

    output := {
        /// What the room answers.
        @required
        @httpPayload
        responses: ConverseResponses
    }
}

/// Events of a room.
@streaming
union RoomEvents {
    /// A message was posted.
    message: MessageEvent

    /// A user came or went.
    presence: PresenceEvent

    /// A file was shared.
    attachment: AttachmentEvent

    /// A notice from the room itself, as plain text.
    notice: NoticeEvent

    /// You were removed from the room; the stream ends.
    kicked: Kicked

    /// The room is overloaded; the stream ends. Try again later.
    overloaded: RoomOverloaded
}

/// Messages to publish.
@streaming
union PublishEvents {
    /// A message to post.
    message: OutgoingMessage

    /// The user is typing.
    typing: TypingEvent
}

/// What a client says in a conversation.
@streaming
union ConverseRequests {
    /// A message to post (echoed back as a `message`).
    say: OutgoingMessage

    /// A ping, answered at once by a `pong` with the same id.
    ping: PingEvent
}

/// What the room answers in a conversation.
@streaming
union ConverseResponses {
    /// A message was posted.
    message: MessageEvent

    /// The answer to a `ping`.
    pong: PingEvent

    /// You were removed from the room; the stream ends.
    kicked: Kicked
}

/// A posted message: who and when in headers, the text in a JSON payload.
structure MessageEvent {
    /// Who posted it.
    @required
    @eventHeader
    sender: UserName

    /// Its position in the room, from 1.
    @required
    @eventHeader
    sequence: Long

    /// When it was posted.
    @eventHeader
    sentAt: Timestamp

    /// The text.
    @required
    text: String

    /// Users the message mentions.
    mentions: UserList
}

/// A user's presence changed.
structure PresenceEvent {
    /// The user.
    @required
    @eventHeader
    user: UserName

    /// True when the user came online.
    @required
    @eventHeader
    online: Boolean
}

/// A shared file: its name and type in headers, its bytes as the payload.
structure AttachmentEvent {
    /// The file's name.
    @required
    @eventHeader
    name: String

    /// The file's media type.
    @eventHeader
    mediaType: String

    /// The file's bytes.
    @eventPayload
    data: Blob
}

/// A notice, as plain text.
structure NoticeEvent {
    /// The text.
    @required
    @eventPayload
    text: String
}

/// A message to post.
structure OutgoingMessage {
    /// The text.
    @required
    text: String

    /// Users the message mentions.
    mentions: UserList
}

/// The user is typing.
structure TypingEvent {
    /// Who.
    @required
    @eventHeader
    user: UserName
}

/// A ping or its pong.
structure PingEvent {
    /// Chosen by the client, echoed by the room.
    @required
    @eventHeader
    id: Integer
}

/// You were removed from the room.
@error("client")
structure Kicked {
    /// Why.
    message: String

    /// Who removed you.
    by: UserName
}

/// The room cannot keep up; try again later.
@error("server")
@retryable
structure RoomOverloaded {
    /// Details.
    message: String
}

/// No room has that name.
@error("client")
@httpError(404)
structure NoSuchRoom {
    /// Details.
    message: String
}
