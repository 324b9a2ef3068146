// MARK: - HostValue: values crossing the script/host boundary

/// A JSON-like value exchanged with the host (host-call arguments and results,
/// the script's completion value). It travels over Kafka as JSON, so it has no
/// functions, no cycles and object keys keep their order.
public enum HostValue: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([HostValue])
    /// Keys in insertion order.
    case object([(String, HostValue)])

    public static func == (a: HostValue, b: HostValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)): return x == y || (x.isNaN && y.isNaN)
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) where p.0 != q.0 || p.1 != q.1 { return false }
            return true
        default: return false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .null: h.combine(0)
        case .bool(let b): h.combine(1); h.combine(b)
        case .number(let d): h.combine(2); h.combine(d.isNaN ? Double.nan.bitPattern : d.bitPattern)
        case .string(let s): h.combine(3); h.combine(s)
        case .array(let a): h.combine(4); h.combine(a)
        case .object(let o): h.combine(5); for (k, v) in o { h.combine(k); h.combine(v) }
        }
    }

    /// Member lookup for `.object` (first key wins); nil otherwise.
    public subscript(key: String) -> HostValue? {
        if case .object(let pairs) = self { return pairs.first(where: { $0.0 == key })?.1 }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var numberValue: Double? { if case .number(let d) = self { return d }; return nil }

    /// Compact JSON text (numbers formatted as JavaScript does).
    public var json: String {
        var out = ""
        HostValue.writeJSON(self, into: &out)
        return out
    }

    static func writeJSON(_ v: HostValue, into out: inout String) {
        switch v {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let d): out += d.isFinite ? NumberFormatting.toString(d) : "null"
        case .string(let s): writeJSONString(s, into: &out)
        case .array(let a):
            out += "["
            for (i, e) in a.enumerated() { if i > 0 { out += "," }; writeJSON(e, into: &out) }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, (k, e)) in o.enumerated() {
                if i > 0 { out += "," }
                writeJSONString(k, into: &out); out += ":"; writeJSON(e, into: &out)
            }
            out += "}"
        }
    }

    static func writeJSONString(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else { out.unicodeScalars.append(u) }
            }
        }
        out += "\""
    }
}
