import LazarusWire

/// A business object as scripts see it: `{type, id, version, fields}`.
public struct StoredRecord: Sendable, Equatable {
    public var type: String
    public var id: String
    public var version: Int
    /// Always a JSON object; members in the order they were first written.
    public var fields: JSONValue
    /// Milliseconds since the epoch.
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(type: String, id: String, version: Int, fields: JSONValue, createdAt: Int64, updatedAt: Int64) {
        self.type = type
        self.id = id
        self.version = version
        self.fields = fields
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// What a script receives: `{type, id, version, fields}` (timestamps stay internal).
    public var scriptValue: JSONValue {
        .object([("type", .string(type)), ("id", .string(id)), ("version", .number(Double(version))), ("fields", fields)])
    }
}
