// MARK: - Brief, side-effect-free descriptions of values (for `lazarus inspect`)

extension VM {
    /// A short, one-line rendering of `v` for a debugger view: numbers and booleans as JS
    /// prints them, strings quoted (long ones cut with `…`), `[1, 2, …] (length N)`,
    /// `{a: 1, …}`, `function name`. Reads the heap only: never calls getters, `toString`
    /// or anything else that could run script code, never interns strings.
    public func describeBriefly(_ v: Value, maxLength: Int = 80) -> String {
        var budget = maxLength
        return describe(v, depth: 0, budget: &budget)
    }

    private static let maxItems = 3
    private static let maxDepth = 2
    private static let maxStringLength = 40

    private func describe(_ v: Value, depth: Int, budget: inout Int) -> String {
        let text: String
        switch v {
        case .undefined: text = "undefined"
        case .null: text = "null"
        case .bool(let b): text = b ? "true" : "false"
        case .number(let d): text = NumberFormatting.toString(d)
        case .empty: text = "<uninitialized>"
        case .string(let s):
            text = s.index < heap.strings.count ? VM.quoted(heap.string(s), max: VM.maxStringLength) : "<bad string>"
        case .object(let o): text = describeObject(o, depth: depth, budget: &budget)
        }
        budget -= text.count
        return text
    }

    private func describeObject(_ o: ObjectID, depth: Int, budget: inout Int) -> String {
        guard o.index > 0, o.index < heap.objects.count else { return "<bad object>" }
        let obj = heap.objects[o.index]
        switch obj.cls {
        case .closure, .native, .bound: return "function " + functionName(o)
        case .array, .arguments:
            let n = obj.elements.count
            let prefix = obj.cls == .arguments ? "arguments " : ""
            if depth >= VM.maxDepth { return prefix + "[…] (length \(n))" }
            var parts: [String] = []
            for e in obj.elements.prefix(VM.maxItems) {
                if budget <= 0 { break }
                parts.append(e == .empty ? "<hole>" : describe(e, depth: depth + 1, budget: &budget))
            }
            let cut = parts.count < n
            return prefix + "[" + parts.joined(separator: ", ") + (cut ? (parts.isEmpty ? "…" : ", …") : "") + "]"
                + (cut ? " (length \(n))" : "")
        case .error:
            let name = dataProperty(o, "name").flatMap { if case .string(let s) = $0 { heap.string(s) } else { nil } } ?? "Error"
            let message = dataProperty(o, "message").flatMap { if case .string(let s) = $0 { heap.string(s) } else { nil } } ?? ""
            return message.isEmpty ? name : "\(name): \(VM.truncated(message, max: VM.maxStringLength))"
        case .booleanWrapper, .numberWrapper, .stringWrapper:
            var inner = 0
            return "[object " + describe(obj.slot0, depth: VM.maxDepth, budget: &inner) + "]"
        case .environment, .accessorPair, .free:
            return "<internal>"
        case .ordinary:
            var shown = 0, parts: [String] = []
            for i in obj.keys.indices where obj.attributes[i].contains(.enumerable) {
                if shown >= VM.maxItems || budget <= 0 { parts.append("…"); break }
                if depth >= VM.maxDepth { parts.append("…"); break }
                let key = VM.propertyKey(heap.string(obj.keys[i]))
                let value = obj.attributes[i].contains(.accessor)
                    ? "[accessor]" : describe(obj.values[i], depth: depth + 1, budget: &budget)
                parts.append("\(key): \(value)")
                shown += 1
            }
            return parts.isEmpty ? "{}" : "{" + parts.joined(separator: ", ") + "}"
        }
    }

    /// The name a function object was compiled or installed with (`anonymous` when none).
    func functionName(_ o: ObjectID) -> String {
        var id = o
        var bound = ""
        for _ in 0..<16 {
            guard id.index > 0, id.index < heap.objects.count else { break }
            let obj = heap.objects[id.index]
            switch obj.cls {
            case .bound:
                bound += "bound "
                id = obj.link
                continue
            case .closure:
                let flat = Int(obj.code)
                guard flat < functions.count else { return bound + "anonymous" }
                let lf = functions[flat]
                let name = units[lf.unit].unit.functions[flat - units[lf.unit].functionBase].name
                return bound + (name.isEmpty ? "anonymous" : name)
            case .native:
                let index = Int(obj.code)
                guard index < Natives.table.count else { return bound + "anonymous" }
                return bound + Natives.table[index].name
            default:
                return bound + "anonymous"
            }
        }
        return bound + "anonymous"
    }

    /// An own or inherited data property, found without interning `name`; nil when absent
    /// or an accessor.
    func dataProperty(_ o: ObjectID, _ name: String) -> Value? {
        var id = o
        for _ in 0..<64 {
            guard id.index > 0, id.index < heap.objects.count else { return nil }
            let obj = heap.objects[id.index]
            for i in obj.keys.indices where heap.string(obj.keys[i]) == name {
                return obj.attributes[i].contains(.accessor) ? nil : obj.values[i]
            }
            id = obj.proto
        }
        return nil
    }

    static func truncated(_ s: String, max: Int) -> String {
        s.count > max ? String(s.prefix(max)) + "…" : s
    }

    /// JSON-style quoting (escapes control characters), cut after `max` characters.
    static func quoted(_ s: String, max: Int) -> String {
        let cut = s.count > max
        var out = "\""
        for ch in cut ? Substring(s.prefix(max)) : Substring(s) {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if let a = ch.asciiValue, a < 0x20 { out += "\\u" + String(format4(Int(a))) } else { out.append(ch) }
            }
        }
        return out + (cut ? "…\"" : "\"")
    }

    private static func format4(_ n: Int) -> String {
        let hex = String(n, radix: 16)
        return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// `a` for identifier-like keys, `"a b"` otherwise.
    static func propertyKey(_ k: String) -> String {
        let identifier = !k.isEmpty && k.unicodeScalars.allSatisfy { $0 == "_" || $0 == "$" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
            && !("0"..."9").contains(k.unicodeScalars.first!)
        return identifier ? k : quoted(k, max: maxStringLength)
    }
}
