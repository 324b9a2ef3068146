import Foundation

/// A message on one of the `lazarus.*` topics: a UTF-8 JSON object with `"v": 1`.
public protocol WireMessage: Codable, Sendable {
    /// The job this message belongs to; also the Kafka message key.
    var jobId: String { get }
}

/// The wire format version every message carries as `"v"`.
public let wireFormatVersion = 1

/// Encodes and decodes wire messages, checking the format version and size limits.
public enum WireCodec {
    /// Encodes `message` as one JSON object whose first member is `"v"`, the rest in
    /// declaration order (stable, and readable in kcat).
    public static func encode<M: WireMessage>(_ message: M) throws -> [UInt8] {
        try JSONStreamEncoder.encodeObject(message, leadingMembers: versionMember)
    }

    private static let versionMember: [(key: String, value: JSONValue)] = [("v", .number(Double(wireFormatVersion)))]

    /// Decodes `bytes` as `M`. Throws a `WireError` whose message is fit for a dead letter.
    public static func decode<M: WireMessage>(_ type: M.Type, from bytes: [UInt8]) throws(WireError) -> M {
        let tree: JSONValue
        do {
            tree = try JSONParser.parse(bytes)
        } catch {
            throw WireError(.invalidJSON, "not valid JSON: \(error)")
        }
        guard case .object = tree else { throw WireError(.invalidJSON, "not a JSON object") }
        guard let version = tree["v"]?.numberValue else {
            throw WireError(.wrongShape, "missing numeric field 'v' (the wire format version)")
        }
        guard version == Double(wireFormatVersion) else {
            throw WireError(.unsupportedVersion, "wire format version \(version) is not supported (expected \(wireFormatVersion))")
        }
        do {
            return try JSONValueDecoder().decode(M.self, from: tree)
        } catch {
            throw WireError(.wrongShape, "not a valid \(M.self): \(Self.describe(error))")
        }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing field '\(path(context.codingPath + [key]))'"
        case DecodingError.typeMismatch(let type, let context):
            return "field '\(path(context.codingPath))' should be \(type)"
        case DecodingError.valueNotFound(let type, let context):
            return "field '\(path(context.codingPath))' is null, expected \(type)"
        case DecodingError.dataCorrupted(let context):
            let field = context.codingPath.isEmpty ? "" : "field '\(path(context.codingPath))': "
            return field + context.debugDescription
        default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// Why a message could not be read. Its `message` goes into the dead letter.
public struct WireError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidJSON, unsupportedVersion, wrongShape, tooLarge
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
