import LazarusWire

/// How a `CallOutcome` is kept in the journal: `{"result": value}` or
/// `{"error": {"code", "message", "retriable"}}`, the same members a reply carries.
enum OutcomeCoding {
    static func encode(_ outcome: CallOutcome) -> String {
        let tree: JSONValue
        switch outcome {
        case .value(let value):
            tree = .object([("result", value)])
        case .error(let error):
            tree = .object([("error", .object([
                ("code", .string(error.code)), ("message", .string(error.message)), ("retriable", .bool(error.retriable)),
            ]))])
        }
        return String(decoding: JSONWriter.write(tree), as: UTF8.self)
    }

    static func decode(_ text: String) throws(ObjectStoreError) -> CallOutcome {
        let tree: JSONValue
        do {
            tree = try JSONParser.parse(Array(text.utf8))
        } catch {
            throw ObjectStoreError(.corrupt, "a journaled outcome is not valid JSON: \(error)")
        }
        if let error = tree["error"] {
            guard let code = error["code"]?.stringValue, let message = error["message"]?.stringValue else {
                throw ObjectStoreError(.corrupt, "a journaled error lacks code or message: \(text)")
            }
            var retriable = false
            if case .bool(let b)? = error["retriable"] { retriable = b }
            return .error(CallError(code: code, message: message, retriable: retriable))
        }
        guard let result = tree["result"] else {
            throw ObjectStoreError(.corrupt, "a journaled outcome has neither result nor error: \(text)")
        }
        return .value(result)
    }
}
