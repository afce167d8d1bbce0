$version: "2"

namespace example.inventory

use aws.protocols#awsJson1_0

/// Tracks the stock of a warehouse.
@awsJson1_0
@title("Inventory Service")
service Inventory {
    version: "2024-01-01"
    operations: [PutItem, GetItem, ListItems, DeleteItem, AdjustStock]
    errors: [ThrottlingException, InternalError]
}

/// Creates or replaces an item.
@idempotent
operation PutItem {
    input := {
        @required
        item: Item
    }

    output := {
        @required
        version: Long
    }

    errors: [ValidationError]
}

/// Reads one item.
@readonly
operation GetItem {
    input := {
        @required
        sku: Sku
    }

    output := {
        @required
        item: Item
    }

    errors: [ItemNotFound]
}

/// Lists items, a page at a time.
@readonly
@paginated(inputToken: "nextToken", outputToken: "nextToken", items: "items", pageSize: "limit")
operation ListItems {
    input := {
        category: Category
        nextToken: String
        limit: Integer
    }

    output := {
        @required
        items: ItemList

        nextToken: String
    }
}

/// Removes an item.
@idempotent
operation DeleteItem {
    input := {
        @required
        sku: Sku
    }

    errors: [ItemNotFound]
}

/// Changes the stock of an item by a delta, or sets it.
operation AdjustStock {
    input := {
        @required
        sku: Sku

        @required
        change: StockChange

        /// Makes retries of the same adjustment safe.
        @idempotencyToken
        clientToken: String
    }

    output := {
        @required
        quantity: Integer
    }

    errors: [ItemNotFound, ValidationError]
}

@pattern("^[A-Z0-9-]+$")
string Sku

structure Item {
    @required
    sku: Sku

    @required
    name: String

    @required
    category: Category

    quantity: Integer = 0

    /// Price in the smallest currency unit.
    priceCents: Long

    attributes: Attributes

    /// A thumbnail image.
    thumbnail: Blob

    updatedAt: Timestamp

    /// Supplier contract terms.
    @sensitive
    supplierNotes: String
}

list ItemList {
    member: Item
}

map Attributes {
    key: String
    value: String
}

enum Category {
    TOOLS
    GARDEN
    KITCHEN
}

/// How to change the stock.
union StockChange {
    /// Add (or, when negative, remove) this many.
    delta: Integer

    /// Set the stock to this many.
    set: Integer
}

/// No item has this SKU.
@error("client")
structure ItemNotFound {
    @required
    message: String

    sku: Sku
}

/// The input is invalid.
@error("client")
structure ValidationError {
    @required
    message: String

    /// The invalid fields, by name.
    fields: Attributes
}

/// Too many requests.
@error("client")
@retryable(throttling: true)
structure ThrottlingException {
    message: String
}

/// Something went wrong on the service's side.
@error("server")
@retryable
structure InternalError {
    message: String
}
