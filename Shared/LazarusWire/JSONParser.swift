/// A strict RFC 8259 JSON parser into `JSONValue`, keeping object members in document order
/// (Foundation's decoder does not), with errors that say where the input went wrong.
public struct JSONParser {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "\(reason) at byte \(offset)" }
    }

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    private let maxDepth: Int

    /// Parses one JSON value filling the whole input.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 512) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.failure("unexpected data after the JSON value") }
        return value
    }

    private init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private func failure(_ reason: String) -> Failure { Failure(offset: index, reason: reason) }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let b = current, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { index += 1 }
    }

    private mutating func expect(_ literal: StaticString, _ value: JSONValue) throws(Failure) -> JSONValue {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw failure("unexpected end of input") }
        let matches = literal.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
        guard matches else { throw failure("invalid literal") }
        index += count
        return value
    }

    private mutating func parseValue() throws(Failure) -> JSONValue {
        guard let b = current else { throw failure("unexpected end of input") }
        switch b {
        case UInt8(ascii: "{"): return try nested { (p: inout JSONParser) throws(Failure) in try p.parseObject() }
        case UInt8(ascii: "["): return try nested { (p: inout JSONParser) throws(Failure) in try p.parseArray() }
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw failure("unexpected character")
        }
    }

    private mutating func nested(_ body: (inout JSONParser) throws(Failure) -> JSONValue) throws(Failure) -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        guard depth <= maxDepth else { throw failure("nesting deeper than \(maxDepth)") }
        return try body(&self)
    }

    private mutating func parseObject() throws(Failure) -> JSONValue {
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw failure("expected a member name") }
            let key = try parseString()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw failure("expected ':'") }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            if let existing = members.firstIndex(where: { $0.key == key }) {
                members[existing].value = value  // last duplicate wins, as in JSON.parse
            } else {
                members.append((key, value))
            }
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(members)
            default: throw failure("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray() throws(Failure) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { index += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw failure("expected ',' or ']'")
            }
        }
    }

    private mutating func parseNumber() throws(Failure) -> Double {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, isDigit(first) else { throw failure("invalid number") }
        if first == UInt8(ascii: "0") { index += 1 } else { skipDigits() }
        if current == UInt8(ascii: ".") {
            index += 1
            guard let d = current, isDigit(d) else { throw failure("invalid number") }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let d = current, isDigit(d) else { throw failure("invalid number") }
            skipDigits()
        }
        if let integer = smallInteger(start..<index) { return integer }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text) else { throw Failure(offset: start, reason: "invalid number") }
        return value
    }

    /// An integer of at most 15 digits (every one a `Double` holds exactly, so `Double(text)`
    /// would give the same value, -0 included) without making a String for it.
    private func smallInteger(_ range: Range<Int>) -> Double? {
        let negative = bytes[range.lowerBound] == UInt8(ascii: "-")
        let digits = (negative ? range.lowerBound + 1 : range.lowerBound)..<range.upperBound
        guard digits.count <= 15 else { return nil }
        var magnitude: Int64 = 0
        for i in digits {
            guard isDigit(bytes[i]) else { return nil }
            magnitude = magnitude * 10 + Int64(bytes[i] - UInt8(ascii: "0"))
        }
        return negative ? -Double(magnitude) : Double(magnitude)
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private mutating func skipDigits() {
        while let b = current, isDigit(b) { index += 1 }
    }

    private mutating func parseString() throws(Failure) -> String {
        index += 1
        // Fast path: a string without escapes (ids, base64 continuations, most text) is its
        // bytes, decoded once. Anything else continues below from where the scan stopped.
        let start = index
        index = bytes.withUnsafeBufferPointer { buffer in  // unchecked reads: base64 continuations are long runs
            var i = start
            while i < buffer.count, buffer[i] != UInt8(ascii: "\""), buffer[i] != UInt8(ascii: "\\"), buffer[i] >= 0x20 { i += 1 }
            return i
        }
        if current == UInt8(ascii: "\"") {
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            index += 1
            return text
        }
        var utf16: [UInt16] = []
        var runStart = start
        func flushRun(_ parser: JSONParser, upTo end: Int, into out: inout [UInt16]) {
            if end > runStart { out.append(contentsOf: String(decoding: parser.bytes[runStart..<end], as: UTF8.self).utf16) }
        }
        while true {
            guard let b = current else { throw failure("unterminated string") }
            if b == UInt8(ascii: "\"") {
                flushRun(self, upTo: index, into: &utf16)
                index += 1
                return String(decoding: utf16, as: UTF16.self)
            }
            if b < 0x20 { throw failure("control character in string") }
            if b == UInt8(ascii: "\\") {
                flushRun(self, upTo: index, into: &utf16)
                index += 1
                utf16.append(try parseEscape())
                runStart = index
                continue
            }
            index += 1
        }
    }

    private static func hexValue(_ b: UInt8) -> UInt16? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt16(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt16(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt16(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private mutating func parseEscape() throws(Failure) -> UInt16 {
        guard let e = current else { throw failure("unterminated escape") }
        index += 1
        switch e {
        case UInt8(ascii: "\""): return 0x22
        case UInt8(ascii: "\\"): return 0x5C
        case UInt8(ascii: "/"): return 0x2F
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "u"):
            var unit: UInt16 = 0
            for _ in 0..<4 {
                guard let h = current, let digit = Self.hexValue(h) else { throw failure("invalid \\u escape") }
                unit = unit << 4 | digit
                index += 1
            }
            return unit
        default:
            throw failure("invalid escape")
        }
    }
}
