$version: "2"

// The worker of the hub/worker example: a service keeping notes, served
// by a generated Rust worker (`src/bin/notes-worker.rs`) and called
// through the gateway (`src/bin/gateway.rs`) as `notes/<operation>`.
namespace example.hub

use tinsmith.api#endOfStream
use tinsmith.protocols#jsonRpc2

/// Keeps short notes for the callers the gateway vouches for.
///
/// Streams end with an end-of-stream message both ways, so a stream cut
/// short anywhere between the caller, the gateway and the worker is
/// reported as such.
@jsonRpc2(path: "/api/rpc", methodPrefix: "notes/")
@httpBearerAuth
@endOfStream
service Notes {
    version: "2026-12-01"
    operations: [AddNote, GetNote, WhoAmI, ImportNotes]
}

/// Stores a note by the calling user.
operation AddNote {
    input := {
        /// The note, 1 to 2,000 characters.
        @required
        @length(min: 1, max: 2000)
        text: String
    }

    output := {
        /// The note's id.
        @required
        id: String

        /// Who wrote it: the caller the gateway authenticated.
        @required
        author: String
    }
}

/// Reads a note back.
@readonly
operation GetNote {
    input := {
        /// The note's id, as `AddNote` returned it.
        @required
        id: String
    }

    output := {
        /// The note.
        @required
        text: String

        /// Who wrote it.
        @required
        author: String
    }

    errors: [NoteNotFound]
}

/// Who the worker sees calling, and through which requests.
@readonly
operation WhoAmI {
    output := {
        /// The caller's id.
        @required
        caller: String

        /// The caller's attributes (roles, tenant), as the gateway set them.
        attributes: Attributes

        /// The upstream requests, oldest first (`<request id>@<service>`).
        @required
        chain: Chain

        /// The id of the worker's own request.
        @required
        requestId: String
    }
}

/// No note has this id.
@error("client")
structure NoteNotFound {
    @required
    message: String
}

map Attributes {
    key: String
    value: String
}

list Chain {
    member: String
}

/// Stores notes as they arrive, answering each with its id as soon as it
/// is stored: a call that streams both ways, through the gateway as
/// directly.
operation ImportNotes {
    input := {
        /// A label put before each note's text, in brackets
        /// (`[label] text`).
        label: String

        /// The notes, one event each.
        @required
        notes: ImportEvents
    }

    output := {
        /// Who the notes are by: the caller the gateway authenticated.
        @required
        author: String

        /// Each note's id, in the order the notes came.
        @required
        stored: ImportedEvents
    }
}

/// The notes to import.
@streaming
union ImportEvents {
    /// A note.
    note: NoteText
}

/// A note's text.
structure NoteText {
    /// The text, 1 to 2,000 characters.
    @required
    text: String
}

/// What an import answers.
@streaming
union ImportedEvents {
    /// A note was stored.
    stored: StoredNote

    /// A note could not be stored; nothing after it is.
    rejected: NoteRejected
}

/// A stored note.
structure StoredNote {
    /// Its id.
    @required
    id: String

    /// Its text, as stored (with the label).
    @required
    text: String
}

/// A note that cannot be stored (empty, or longer than 2,000 characters).
@error("client")
structure NoteRejected {
    @required
    message: String
}
