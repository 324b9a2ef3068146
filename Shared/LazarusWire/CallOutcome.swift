/// The result of a host call: a value, or an error the script sees thrown at the call site.
public enum CallOutcome: Sendable, Equatable {
    case value(JSONValue)
    case error(CallError)
}

/// An error answering a host call.
public struct CallError: Sendable, Equatable, Codable, Error {
    /// Machine-readable: `not-found`, `version-conflict`, `invalid-argument`, `forbidden`,
    /// `fenced`, `nondeterministic-replay`, `unknown-operation`, `too-large`, `internal`.
    public var code: String
    public var message: String
    /// Whether retrying the same call may succeed.
    public var retriable: Bool

    public init(code: String, message: String, retriable: Bool = false) {
        self.code = code
        self.message = message
        self.retriable = retriable
    }
}

/// `result` or `error`, flattened into the enclosing message.
enum CallOutcomeKeys: String, CodingKey { case result, error }

extension CallOutcome {
    init(from container: KeyedDecodingContainer<CallOutcomeKeys>) throws {
        if let error = try container.decodeIfPresent(CallError.self, forKey: .error) {
            self = .error(error)
        } else {
            self = .value(try container.decodeIfPresent(JSONValue.self, forKey: .result) ?? .null)
        }
    }

    func encode(to container: inout KeyedEncodingContainer<CallOutcomeKeys>) throws {
        switch self {
        case .value(let v): try container.encode(v, forKey: .result)
        case .error(let e): try container.encode(e, forKey: .error)
        }
    }
}
