$version: "2"

// The worker of the hub/worker example: a service keeping notes, served
// by a generated Rust worker (`src/bin/notes-worker.rs`) and called
// through the gateway (`src/bin/gateway.rs`) as `notes/<operation>`.
namespace example.hub

use tinsmith.protocols#jsonRpc2

/// Keeps short notes for the callers the gateway vouches for.
@jsonRpc2(path: "/api/rpc", methodPrefix: "notes/")
@httpBearerAuth
service Notes {
    version: "2026-12-01"
    operations: [AddNote, GetNote, WhoAmI]
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
