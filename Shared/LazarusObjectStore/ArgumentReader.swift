import LazarusWire

/// Reads and validates a host call's positional arguments; failures become `invalid-argument`.
struct ArgumentReader {
    let op: String
    let args: [JSONValue]

    struct Invalid: Error {
        let error: CallError
    }

    func invalid(_ message: String) -> Invalid {
        Invalid(error: CallError(code: "invalid-argument", message: "\(op): \(message)"))
    }

    func expectCount(_ range: ClosedRange<Int>, usage: String) throws(Invalid) {
        guard range.contains(args.count) else {
            throw invalid("expected \(usage), got \(args.count) argument\(args.count == 1 ? "" : "s")")
        }
    }

    /// A record type: 1–64 characters of letters, digits, `_`, `-` or `.`, starting with a letter or `_`.
    func type(at index: Int) throws(Invalid) -> String {
        guard index < args.count, case .string(let type) = args[index] else {
            throw invalid("argument \(index + 1) (type) must be a string, got \(describe(index))")
        }
        let allowed = type.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" || $0 == "-" || $0 == "."
        }
        guard !type.isEmpty, type.count <= 64, allowed,
              let first = type.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else {
            throw invalid("type '\(type)' is not valid: use 1 to 64 letters, digits, '_', '-' or '.', starting with a letter")
        }
        return type
    }

    func id(at index: Int) throws(Invalid) -> String {
        guard index < args.count, case .string(let id) = args[index] else {
            throw invalid("argument \(index + 1) (id) must be a string, got \(describe(index))")
        }
        guard !id.isEmpty, id.utf8.count <= 256 else {
            throw invalid("id must be 1 to 256 bytes long")
        }
        return id
    }

    func object(at index: Int, name: String) throws(Invalid) -> [(key: String, value: JSONValue)] {
        guard index < args.count, case .object(let members) = args[index] else {
            throw invalid("argument \(index + 1) (\(name)) must be an object, got \(describe(index))")
        }
        return members
    }

    /// An optional integer argument: absent or `null` gives `nil`.
    func optionalInteger(at index: Int, name: String, in range: ClosedRange<Int>) throws(Invalid) -> Int? {
        guard index < args.count, args[index] != .null else { return nil }
        guard case .number(let n) = args[index], n == n.rounded(), n >= Double(range.lowerBound), n <= Double(range.upperBound) else {
            throw invalid("argument \(index + 1) (\(name)) must be an integer from \(range.lowerBound) to \(range.upperBound), got \(describe(index))")
        }
        return Int(n)
    }

    private func describe(_ index: Int) -> String {
        guard index < args.count else { return "nothing" }
        switch args[index] {
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .number(let n): return String(decoding: JSONWriter.write(.number(n)), as: UTF8.self)
        case .string(let s): return "the string '\(s.prefix(40))'"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
