$version: "2"

namespace example.storage

use aws.protocols#restJson1

/// Stores objects: named blobs of any size in buckets, with metadata.
///
/// Object bodies stream both ways: uploads are read from memory, a file or
/// any stream, downloads are read chunk by chunk as they arrive.
@restJson1
service Storage {
    version: "2026-11-01"
    operations: [PutObject, PutArchive, GetObject, HeadObject, DeleteObject]
    errors: [ServiceUnavailable]
}

/// The name of a bucket.
@pattern("^[a-z0-9-]{3,63}$")
string BucketName

/// The key of an object; may contain `/`.
@length(min: 1)
string ObjectKey

/// An object's content, streamed.
@streaming
blob ObjectBody

/// An archive's content: archives go to tape, which needs their size up
/// front, so the body must have a known length.
@streaming
@requiresLength
blob ArchiveBody

/// Metadata stored with an object, sent as `x-meta-*` headers.
map Metadata {
    key: String
    value: String
}

/// Uploads an object, replacing any object with the same key.
@idempotent
@http(method: "PUT", uri: "/buckets/{bucket}/objects/{key+}")
operation PutObject {
    input := {
        /// The bucket.
        @required
        @httpLabel
        bucket: BucketName

        /// The object's key.
        @required
        @httpLabel
        key: ObjectKey

        /// The media type of the content.
        @httpHeader("Content-Type")
        contentType: String

        /// Metadata to store with the object.
        @httpPrefixHeaders("x-meta-")
        metadata: Metadata

        /// The content.
        @required
        @httpPayload
        body: ObjectBody
    }

    output := {
        /// The stored content's entity tag (its SHA-256, hex).
        @httpHeader("ETag")
        etag: String
    }
}

/// Uploads an archive; its length must be known before sending.
@idempotent
@http(method: "PUT", uri: "/buckets/{bucket}/archives/{key+}")
operation PutArchive {
    input := {
        /// The bucket.
        @required
        @httpLabel
        bucket: BucketName

        /// The archive's key.
        @required
        @httpLabel
        key: ObjectKey

        /// The content, of known length.
        @required
        @httpPayload
        body: ArchiveBody
    }

    output := {
        /// The stored content's entity tag.
        @httpHeader("ETag")
        etag: String
    }
}

/// Downloads an object, or a byte range of it.
@readonly
@http(method: "GET", uri: "/buckets/{bucket}/objects/{key+}")
operation GetObject {
    input := {
        /// The bucket.
        @required
        @httpLabel
        bucket: BucketName

        /// The object's key.
        @required
        @httpLabel
        key: ObjectKey

        /// Only these bytes, as an HTTP range (`bytes=0-99`).
        @httpHeader("Range")
        range: String
    }

    output := {
        /// The content (or the requested range of it), streamed.
        @required
        @httpPayload
        body: ObjectBody

        /// The media type of the content.
        @httpHeader("Content-Type")
        contentType: String

        /// The length of this response's content.
        @httpHeader("Content-Length")
        contentLength: Long

        /// Which bytes of the object this is, for a ranged request.
        @httpHeader("Content-Range")
        contentRange: String

        /// The content's entity tag.
        @httpHeader("ETag")
        etag: String

        /// When the object was stored.
        @httpHeader("Last-Modified")
        lastModified: Timestamp

        /// The object's metadata.
        @httpPrefixHeaders("x-meta-")
        metadata: Metadata
    }

    errors: [NoSuchKey, InvalidRange]
}

/// Reads an object's size, type and metadata without its content.
@readonly
@http(method: "HEAD", uri: "/buckets/{bucket}/objects/{key+}")
operation HeadObject {
    input := {
        /// The bucket.
        @required
        @httpLabel
        bucket: BucketName

        /// The object's key.
        @required
        @httpLabel
        key: ObjectKey
    }

    output := {
        /// The media type of the content.
        @httpHeader("Content-Type")
        contentType: String

        /// The object's size in bytes.
        @httpHeader("Content-Length")
        contentLength: Long

        /// The content's entity tag.
        @httpHeader("ETag")
        etag: String

        /// When the object was stored.
        @httpHeader("Last-Modified")
        lastModified: Timestamp

        /// The object's metadata.
        @httpPrefixHeaders("x-meta-")
        metadata: Metadata
    }

    errors: [NoSuchKey]
}

/// Deletes an object; deleting a missing object succeeds.
@idempotent
@http(method: "DELETE", uri: "/buckets/{bucket}/objects/{key+}", code: 204)
operation DeleteObject {
    input := {
        /// The bucket.
        @required
        @httpLabel
        bucket: BucketName

        /// The object's key.
        @required
        @httpLabel
        key: ObjectKey
    }
}

/// No object has this key.
@error("client")
@httpError(404)
structure NoSuchKey {
    message: String

    /// The key that was asked for.
    key: String
}

/// The requested range is outside the object.
@error("client")
@httpError(416)
structure InvalidRange {
    message: String
}

/// The service is overloaded; try again later.
@error("server")
@retryable
@httpError(503)
structure ServiceUnavailable {
    message: String
}
