import LazarusEngine
import LazarusWire

// MARK: - Values between the engine and the wire

extension JSONValue {
    /// A host value as JSON (same shape; non-finite numbers are written as `null` on the wire).
    init(_ value: HostValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        case .array(let elements): self = .array(elements.map(JSONValue.init))
        case .object(let members): self = .object(members.map { (key: $0.0, value: JSONValue($0.1)) })
        }
    }
}

extension HostValue {
    /// A JSON value handed to the script.
    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        case .array(let elements): self = .array(elements.map(HostValue.init))
        case .object(let members): self = .object(members.map { ($0.key, HostValue($0.value)) })
        }
    }
}

// MARK: - Host-call errors as script errors

extension CallError {
    /// The `name` of the JS error the script catches: the code in PascalCase + `Error`
    /// (`not-found` → `NotFoundError`, `version-conflict` → `VersionConflictError`,
    /// `invalid-argument` → `InvalidArgumentError`); the message is the reply's message.
    var scriptErrorName: String {
        let words = code.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == " " })
        guard !words.isEmpty else { return "HostError" }
        let pascal = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return pascal.hasSuffix("Error") ? pascal : pascal + "Error"
    }
}

extension ScriptError {
    /// The `failed` event's error: name, message, and the script stack one frame a line.
    var jobFailure: JobFailure {
        JobFailure(name: name, message: message,
                   stack: stack.isEmpty ? nil : stack.map(\.description).joined(separator: "\n"))
    }
}
