// MARK: - Number ↔ string conversions (ECMA-262 Number::toString, StringToNumber)

public enum NumberFormatting {
    /// Number::toString(x) with radix 10: shortest round-trip digits, JS layout rules.
    public static func toString(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x == 0 { return "0" }
        if x.isInfinite { return x < 0 ? "-Infinity" : "Infinity" }
        if x < 0 { return "-" + toString(-x) }
        if x < 1e15, x == x.rounded(.towardZero) { return String(Int64(x)) }
        let (digits, n) = shortestDigits(x)
        let k = digits.count
        if k <= n && n <= 21 {
            return String(decoding: digits, as: UTF8.self) + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            return String(decoding: digits[0..<n], as: UTF8.self) + "." + String(decoding: digits[n...], as: UTF8.self)
        }
        if -6 < n && n <= 0 {
            return "0." + String(repeating: "0", count: -n) + String(decoding: digits, as: UTF8.self)
        }
        let e = n - 1
        let expPart = "e" + (e >= 0 ? "+" : "-") + String(abs(e))
        if k == 1 { return String(decoding: digits, as: UTF8.self) + expPart }
        return String(decoding: digits[0..<1], as: UTF8.self) + "." + String(decoding: digits[1...], as: UTF8.self) + expPart
    }

    /// Shortest decimal digits (ASCII) and exponent n such that x = 0.d1d2…dk × 10^n.
    /// Uses Swift's shortest round-trip `description` and re-reads it.
    public static func shortestDigits(_ x: Double) -> ([UInt8], Int) {
        let s = Array(x.description.utf8)
        var mantissa: ArraySlice<UInt8> = s[...]
        var exp = 0
        if let e = s.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            mantissa = s[..<e]
            exp = Int(String(decoding: s[(e + 1)...], as: UTF8.self)) ?? 0
        }
        var digits: [UInt8] = []
        var intDigits = 0
        var seenDot = false
        for c in mantissa {
            if c == UInt8(ascii: ".") { seenDot = true; continue }
            if c == UInt8(ascii: "-") || c == UInt8(ascii: "+") { continue }
            digits.append(c)
            if !seenDot { intDigits += 1 }
        }
        var n = intDigits + exp
        while let f = digits.first, f == UInt8(ascii: "0"), digits.count > 1 { digits.removeFirst(); n -= 1 }
        while let l = digits.last, l == UInt8(ascii: "0"), digits.count > 1 { digits.removeLast() }
        return (digits, n)
    }

    /// UTF-16 units of Number::toString(x) (integer fast path avoids String).
    public static func toUnits(_ x: Double) -> [UInt16] {
        if x >= 0, x < 1e15, x == x.rounded(.towardZero), !(x == 0 && x.sign == .minus) || x == 0 {
            var v = Int64(x)
            if v == 0 { return [48] }
            var buf = [UInt16]()
            buf.reserveCapacity(16)
            while v > 0 { buf.append(UInt16(48 + v % 10)); v /= 10 }
            buf.reverse()
            return buf
        }
        return Array(toString(x).utf16)
    }

    /// Appends the UTF-16 units of Number::toString(x) (integers without an intermediate array).
    public static func appendUnits(_ x: Double, to out: inout [UInt16]) {
        if x >= 0, x < 1e15, x == x.rounded(.towardZero) {
            var v = Int64(x)
            if v == 0 { out.append(48); return }
            var digits = 0
            var t = v
            while t > 0 { digits += 1; t /= 10 }
            let start = out.count
            out.append(contentsOf: repeatElement(48, count: digits))
            var k = start + digits - 1
            while v > 0 { out[k] = UInt16(48 + v % 10); v /= 10; k -= 1 }
            return
        }
        out.append(contentsOf: toUnits(x))
    }

    // MARK: String → number

    @inline(__always)
    public static func isWhitespace(_ u: UInt16) -> Bool {
        switch u {
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
            return true
        case 0x2000...0x200A: return true
        default: return false
        }
    }

    /// StringToNumber (ToNumber applied to a string).
    public static func parse(_ units: [UInt16]) -> Double {
        var lo = 0, hi = units.count
        while lo < hi && isWhitespace(units[lo]) { lo += 1 }
        while hi > lo && isWhitespace(units[hi - 1]) { hi -= 1 }
        if lo == hi { return 0 }
        let s = units[lo..<hi]
        // Fast path: plain non-negative integer.
        if s.count < 16 {
            var v: Int64 = 0
            var ok = true
            for u in s { if u >= 48 && u <= 57 { v = v * 10 + Int64(u - 48) } else { ok = false; break } }
            if ok { return Double(v) }
        }
        if s.count > 2 && s.first == 48 {
            let p = s[s.startIndex + 1] | 0x20
            let radix: Int? = p == UInt16(UInt8(ascii: "x")) ? 16 : p == UInt16(UInt8(ascii: "o")) ? 8 : p == UInt16(UInt8(ascii: "b")) ? 2 : nil
            if let radix {
                var v = 0.0
                for u in s.dropFirst(2) {
                    guard let d = digitValue(u), d < radix else { return .nan }
                    v = v * Double(radix) + Double(d)
                }
                return v
            }
        }
        var i = s.startIndex
        var sign = 1.0
        if s[i] == UInt16(UInt8(ascii: "+")) { i += 1 } else if s[i] == UInt16(UInt8(ascii: "-")) { sign = -1; i += 1 }
        let rest = s[i...]
        if rest.elementsEqual("Infinity".utf16) { return sign * .infinity }
        // Validate StrUnsignedDecimalLiteral.
        var j = rest.startIndex
        var intDigits = 0, fracDigits = 0
        while j < rest.endIndex, rest[j] >= 48 && rest[j] <= 57 { j += 1; intDigits += 1 }
        if j < rest.endIndex, rest[j] == UInt16(UInt8(ascii: ".")) {
            j += 1
            while j < rest.endIndex, rest[j] >= 48 && rest[j] <= 57 { j += 1; fracDigits += 1 }
        }
        if intDigits + fracDigits == 0 { return .nan }
        if j < rest.endIndex, rest[j] | 0x20 == UInt16(UInt8(ascii: "e")) {
            j += 1
            if j < rest.endIndex, rest[j] == UInt16(UInt8(ascii: "+")) || rest[j] == UInt16(UInt8(ascii: "-")) { j += 1 }
            var expDigits = 0
            while j < rest.endIndex, rest[j] >= 48 && rest[j] <= 57 { j += 1; expDigits += 1 }
            if expDigits == 0 { return .nan }
        }
        if j != rest.endIndex { return .nan }
        let text = String(decoding: rest, as: UTF16.self)
        return sign * (Double(text) ?? .nan)
    }

    @inline(__always)
    static func digitValue(_ u: UInt16) -> Int? {
        switch u {
        case 48...57: return Int(u - 48)
        case 97...122: return Int(u - 97 + 10)
        case 65...90: return Int(u - 65 + 10)
        default: return nil
        }
    }

    // MARK: Integer conversions

    /// ToInt32.
    @inline(__always)
    public static func toInt32(_ d: Double) -> Int32 {
        if let i = Int32(exactly: d) { return i }
        guard d.isFinite else { return 0 }
        let t = d.rounded(.towardZero)
        let m = t.truncatingRemainder(dividingBy: 4294967296.0)
        let u = m < 0 ? m + 4294967296.0 : m
        return Int32(bitPattern: UInt32(u))
    }

    @inline(__always)
    public static func toUint32(_ d: Double) -> UInt32 { UInt32(bitPattern: toInt32(d)) }

    /// Array index value of a canonical numeric string ("0", "17", not "017"), or nil.
    public static func arrayIndex(_ units: [UInt16]) -> UInt32? {
        guard !units.isEmpty, units.count <= 10 else { return nil }
        if units.count > 1 && units[0] == 48 { return nil }
        var v: UInt64 = 0
        for u in units {
            guard u >= 48 && u <= 57 else { return nil }
            v = v * 10 + UInt64(u - 48)
        }
        return v < 4294967295 ? UInt32(v) : nil
    }
}
