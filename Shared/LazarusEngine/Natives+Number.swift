import Foundation

// MARK: - Number, Boolean and the global functions (builtins library)

/// Exact decimal expansion of a finite double (for toFixed / toExponential / toPrecision,
/// whose spec asks for the exact mathematical value, rounded half up).
enum ExactDecimal {
    /// Digits (ASCII '0'…'9', no leading zero) and the position of the decimal point:
    /// |x| = 0.d1d2…dn × 10^point. x must be finite and non-zero.
    static func digits(_ x: Double) -> ([UInt8], Int) {
        let a = abs(x)
        var m = UInt64(a.significandBitPattern)
        var e = Int(a.exponentBitPattern)
        if e == 0 { e = 1 - 1075 } else { m |= 1 << 52; e -= 1075 }
        // a = m × 2^e
        var limbs: [UInt32] = [UInt32(m % 1_000_000_000), UInt32((m / 1_000_000_000) % 1_000_000_000), UInt32(m / 1_000_000_000_000_000_000)]
        func mul(_ f: UInt32) {
            var carry: UInt64 = 0
            for k in limbs.indices {
                let p = UInt64(limbs[k]) * UInt64(f) + carry
                limbs[k] = UInt32(p % 1_000_000_000)
                carry = p / 1_000_000_000
            }
            while carry > 0 { limbs.append(UInt32(carry % 1_000_000_000)); carry /= 1_000_000_000 }
        }
        var k = 0
        if e >= 0 {
            var r = e
            while r >= 29 { mul(1 << 29); r -= 29 }
            if r > 0 { mul(UInt32(1) << UInt32(r)) }
        } else {
            k = -e
            var r = k
            while r >= 13 { mul(1_220_703_125); r -= 13 } // 5^13
            var p: UInt32 = 1
            for _ in 0..<r { p *= 5 }
            if p > 1 { mul(p) }
        }
        while limbs.count > 1 && limbs.last == 0 { limbs.removeLast() }
        var s: [UInt8] = Array(String(limbs.last!).utf8)
        for limb in limbs.dropLast().reversed() {
            let t = Array(String(limb).utf8)
            s.append(contentsOf: Array(repeating: UInt8(ascii: "0"), count: 9 - t.count))
            s.append(contentsOf: t)
        }
        // value = s × 10^-k
        return (s, s.count - k)
    }

    /// Rounds 0.d × 10^point half up keeping `keep` digits (keep may be ≤ 0). Returns the
    /// kept digits (exactly max(keep,0) of them, or keep+1 after a carry, with point+1).
    static func round(_ d: [UInt8], _ point: Int, keep: Int) -> ([UInt8], Int) {
        if keep < 0 { return ([], point) }
        var r = Array(d.prefix(keep))
        while r.count < keep { r.append(UInt8(ascii: "0")) }
        let roundUp = keep < d.count && d[keep] >= UInt8(ascii: "5")
        if !roundUp { return (r, point) }
        var j = keep - 1
        while j >= 0 {
            if r[j] == UInt8(ascii: "9") { r[j] = UInt8(ascii: "0"); j -= 1 } else { r[j] += 1; break }
        }
        if j < 0 { r.insert(UInt8(ascii: "1"), at: 0); return (r, point + 1) }
        return (r, point)
    }

    static func toFixed(_ x: Double, _ f: Int) -> String {
        let v = abs(x)
        var n: [UInt8] = []   // digits of round(v × 10^f)
        if v != 0 {
            let (d, p) = digits(v)
            n = round(d, p, keep: p + f).0
        }
        while n.count > 1 && n.first == UInt8(ascii: "0") { n.removeFirst() }
        if n.isEmpty { n = [UInt8(ascii: "0")] }
        var m = String(decoding: n, as: UTF8.self)
        if f != 0 {
            if m.count <= f { m = String(repeating: "0", count: f + 1 - m.count) + m }
            let idx = m.index(m.endIndex, offsetBy: -f)
            m = m[..<idx] + "." + m[idx...]
        }
        return (x < 0 ? "-" : "") + m
    }

    /// toExponential / toPrecision digits: `count` significant digits and exponent e.
    static func significant(_ x: Double, _ count: Int) -> ([UInt8], Int) {
        if x == 0 { return (Array(repeating: UInt8(ascii: "0"), count: count), 0) }
        let (d, p) = digits(x)
        let (r, p2) = round(d, p, keep: count)
        return (Array(r.prefix(count)), p2 - 1)
    }

    static func expString(_ digits: [UInt8], _ e: Int) -> String {
        var m = String(decoding: digits.prefix(1), as: UTF8.self)
        if digits.count > 1 { m += "." + String(decoding: digits.dropFirst(), as: UTF8.self) }
        return m + "e" + (e >= 0 ? "+" : "-") + String(abs(e))
    }
}

extension VM {
    func thisNumberValue(_ this: Value, _ method: String) throws -> Double {
        switch this {
        case .number(let d): return d
        case .object(let o) where heap.objects[o.index].cls == .numberWrapper: return toNumberPrimitive(heap.objects[o.index].slot0)
        default: throw typeError("Number.prototype.\(method) requires that 'this' be a Number")
        }
    }

    /// parseFloat on UTF-16 units.
    static func parseFloatUnits(_ u: [UInt16]) -> Double {
        var i = 0
        while i < u.count, NumberFormatting.isWhitespace(u[i]) || u[i] == 0x2028 || u[i] == 0x2029 { i += 1 }
        let start = i
        var sign = 1.0
        if i < u.count, u[i] == 43 || u[i] == 45 { if u[i] == 45 { sign = -1 }; i += 1 }
        let inf = Array("Infinity".utf16)
        if u.count - i >= 8, Array(u[i..<(i + 8)]) == inf { return sign * .infinity }
        let numStart = i
        var digits = 0
        while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1; digits += 1 }
        if i < u.count, u[i] == 46 {
            var j = i + 1
            var frac = 0
            while j < u.count, u[j] >= 48, u[j] <= 57 { j += 1; frac += 1 }
            if digits + frac > 0 { i = j; digits += frac }
        }
        if digits == 0 { return .nan }
        if i < u.count, u[i] == 101 || u[i] == 69 {
            var j = i + 1
            if j < u.count, u[j] == 43 || u[j] == 45 { j += 1 }
            var ed = 0
            while j < u.count, u[j] >= 48, u[j] <= 57 { j += 1; ed += 1 }
            if ed > 0 { i = j }
        }
        _ = start
        let text = String(decoding: u[numStart..<i], as: UTF16.self)
        let v = Double(text) ?? .nan
        return sign * v
    }

    static func parseIntUnits(_ u: [UInt16], radix radixIn: Int32) -> Double {
        var i = 0
        while i < u.count, NumberFormatting.isWhitespace(u[i]) || u[i] == 0x2028 || u[i] == 0x2029 { i += 1 }
        var sign = 1.0
        if i < u.count, u[i] == 43 || u[i] == 45 { if u[i] == 45 { sign = -1 }; i += 1 }
        var r = Int(radixIn)
        var stripPrefix = true
        if r != 0 {
            if r < 2 || r > 36 { return .nan }
            if r != 16 { stripPrefix = false }
        } else { r = 10 }
        if stripPrefix, i + 1 < u.count, u[i] == 48, u[i + 1] | 0x20 == 120 { i += 2; r = 16 }
        let start = i
        while i < u.count, let d = NumberFormatting.digitValue(u[i]), d < r { i += 1 }
        if i == start { return .nan }
        if r == 10 {
            return sign * (Double(String(decoding: u[start..<i], as: UTF16.self)) ?? .nan)
        }
        var v = 0.0
        for k in start..<i { v = v * Double(r) + Double(NumberFormatting.digitValue(u[k])!) }
        return sign * v
    }
}

extension Natives {
    static var numberNatives: [NativeEntry] {
        [
            NativeEntry("%wrapNumberPrimitive", length: 1) { vm, _, args in
                .value(.object(try vm.toObject(.number(vm.toNumberPrimitive(args[0])))))
            },
            NativeEntry("Number.prototype.toFixed", length: 1) { vm, this, args in
                let x = try vm.thisNumberValue(this, "toFixed")
                if vm.anyObject(args, 1) { return vm.recall(args, this, "n-") }
                let f = vm.toIntegerPrimitive(args[0])
                if !f.isFinite || f < 0 || f > 100 { throw vm.rangeError("toFixed() digits argument must be between 0 and 100") }
                if !x.isFinite || abs(x) >= 1e21 { return .value(vm.newString(NumberFormatting.toString(x))) }
                return .value(vm.newString(ExactDecimal.toFixed(x, Int(f))))
            },
            NativeEntry("Number.prototype.toExponential", length: 1) { vm, this, args in
                let x = try vm.thisNumberValue(this, "toExponential")
                if vm.anyObject(args, 1) { return vm.recall(args, this, "n-") }
                let f = vm.toIntegerPrimitive(args[0])
                if !x.isFinite { return .value(vm.newString(NumberFormatting.toString(x))) }
                if !f.isFinite || f < 0 || f > 100 { throw vm.rangeError("toExponential() argument must be between 0 and 100") }
                let sign = x < 0 ? "-" : ""
                let v = abs(x)
                if args[0].isUndefined {
                    if v == 0 { return .value(vm.newString(sign + "0e+0")) }
                    let (d, n) = NumberFormatting.shortestDigits(v)
                    return .value(vm.newString(sign + ExactDecimal.expString(d, n - 1)))
                }
                let (d, e) = ExactDecimal.significant(v, Int(f) + 1)
                return .value(vm.newString(sign + ExactDecimal.expString(d, e)))
            },
            NativeEntry("Number.prototype.toPrecision", length: 1) { vm, this, args in
                let x = try vm.thisNumberValue(this, "toPrecision")
                if args[0].isUndefined { return .value(vm.newString(NumberFormatting.toString(x))) }
                if vm.anyObject(args, 1) { return vm.recall(args, this, "n-") }
                let pd = vm.toIntegerPrimitive(args[0])
                if !x.isFinite { return .value(vm.newString(NumberFormatting.toString(x))) }
                if !pd.isFinite || pd < 1 || pd > 100 { throw vm.rangeError("toPrecision() argument must be between 1 and 100") }
                let p = Int(pd)
                let sign = x < 0 ? "-" : ""
                let (d, e) = ExactDecimal.significant(abs(x), p)
                let ds = String(decoding: d, as: UTF8.self)
                if e < -6 || e >= p { return .value(vm.newString(sign + ExactDecimal.expString(d, e))) }
                if e == p - 1 { return .value(vm.newString(sign + ds)) }
                if e >= 0 {
                    let idx = ds.index(ds.startIndex, offsetBy: e + 1)
                    return .value(vm.newString(sign + ds[..<idx] + "." + ds[idx...]))
                }
                return .value(vm.newString(sign + "0." + String(repeating: "0", count: -(e + 1)) + ds))
            },
            NativeEntry("Number.prototype.toLocaleString") { vm, this, _ in
                .value(vm.newString(NumberFormatting.toString(try vm.thisNumberValue(this, "toLocaleString"))))
            },
            NativeEntry("Number.isFinite", length: 1) { _, _, args in
                if case .number(let d) = args[0] { return .value(.bool(d.isFinite)) }
                return .value(.false)
            },
            NativeEntry("Number.isNaN", length: 1) { _, _, args in
                if case .number(let d) = args[0] { return .value(.bool(d.isNaN)) }
                return .value(.false)
            },
            NativeEntry("Number.isInteger", length: 1) { _, _, args in
                if case .number(let d) = args[0] { return .value(.bool(d.isFinite && d.rounded(.towardZero) == d)) }
                return .value(.false)
            },
            NativeEntry("Number.isSafeInteger", length: 1) { _, _, args in
                if case .number(let d) = args[0] {
                    return .value(.bool(d.isFinite && d.rounded(.towardZero) == d && abs(d) <= 9007199254740991))
                }
                return .value(.false)
            },
        ]
    }

    static var globalFunctionNatives: [NativeEntry] {
        [
            NativeEntry("isNaN", length: 1) { vm, this, args in
                if vm.anyObject(args, 1) { return vm.recall(args, this, "n") }
                return .value(.bool(vm.toNumberPrimitive(args[0]).isNaN))
            },
            NativeEntry("isFinite", length: 1) { vm, this, args in
                if vm.anyObject(args, 1) { return vm.recall(args, this, "n") }
                return .value(.bool(vm.toNumberPrimitive(args[0]).isFinite))
            },
            NativeEntry("parseFloat", length: 1) { vm, this, args in
                if vm.anyObject(args, 1) { return vm.recall(args, this, "s") }
                let sid = vm.toStringPrimitive(args[0])
                return .value(.number(VM.parseFloatUnits(vm.heap.units(sid))))
            },
            NativeEntry("parseInt", length: 2) { vm, this, args in
                if vm.anyObject(args, 2) { return vm.recall(args, this, "sn") }
                let sid = vm.toStringPrimitive(args[0])
                let s = vm.heap.units(sid)
                let r = NumberFormatting.toInt32(vm.toNumberPrimitive(args[1]))
                return .value(.number(VM.parseIntUnits(s, radix: r)))
            },
            uriNative("encodeURIComponent", encode: true, unescaped: URICoding.unreservedComponent),
            uriNative("encodeURI", encode: true, unescaped: URICoding.unreservedURI),
            uriNative("decodeURIComponent", encode: false, unescaped: []),
            uriNative("decodeURI", encode: false, unescaped: URICoding.reservedURI),
        ]
    }

    static func uriNative(_ name: String, encode: Bool, unescaped: Set<UInt16>) -> NativeEntry {
        NativeEntry(name, length: 1) { vm, this, args in
            if vm.anyObject(args, 1) { return vm.recall(args, this, "s") }
            let sid = vm.toStringPrimitive(args[0])
            let u = vm.heap.units(sid)
            let r = encode ? try URICoding.encode(u, unescaped, vm) : try URICoding.decode(u, reserved: unescaped, vm)
            return .value(try vm.newString(units: r))
        }
    }
}

enum URICoding {
    static let alnum: Set<UInt16> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf16))
    static let mark: Set<UInt16> = Set(Array("-_.!~*'()".utf16))
    static let reservedURI: Set<UInt16> = Set(Array(";/?:@&=+$,#".utf16))
    static let unreservedComponent: Set<UInt16> = alnum.union(mark)
    static let unreservedURI: Set<UInt16> = alnum.union(mark).union(reservedURI)

    static func encode(_ u: [UInt16], _ unescaped: Set<UInt16>, _ vm: VM) throws -> [UInt16] {
        let hex = Array("0123456789ABCDEF".utf16)
        var out: [UInt16] = []
        out.reserveCapacity(u.count)
        var k = 0
        while k < u.count {
            let c = u[k]
            if unescaped.contains(c) { out.append(c); k += 1; continue }
            var cp: UInt32
            if c >= 0xDC00 && c <= 0xDFFF { throw vm.error("URIError", "URI malformed") }
            if c >= 0xD800 && c <= 0xDBFF {
                guard k + 1 < u.count, u[k + 1] >= 0xDC00, u[k + 1] <= 0xDFFF else { throw vm.error("URIError", "URI malformed") }
                cp = (UInt32(c) - 0xD800) * 0x400 + (UInt32(u[k + 1]) - 0xDC00) + 0x10000
                k += 1
            } else { cp = UInt32(c) }
            var bytes: [UInt8] = []
            if cp < 0x80 { bytes = [UInt8(cp)] }
            else if cp < 0x800 { bytes = [UInt8(0xC0 | (cp >> 6)), UInt8(0x80 | (cp & 0x3F))] }
            else if cp < 0x10000 { bytes = [UInt8(0xE0 | (cp >> 12)), UInt8(0x80 | ((cp >> 6) & 0x3F)), UInt8(0x80 | (cp & 0x3F))] }
            else { bytes = [UInt8(0xF0 | (cp >> 18)), UInt8(0x80 | ((cp >> 12) & 0x3F)), UInt8(0x80 | ((cp >> 6) & 0x3F)), UInt8(0x80 | (cp & 0x3F))] }
            for b in bytes { out.append(37); out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)]) }
            k += 1
        }
        return out
    }

    static func decode(_ u: [UInt16], reserved: Set<UInt16>, _ vm: VM) throws -> [UInt16] {
        func malformed() -> ThrowSignal { vm.error("URIError", "URI malformed") }
        func hexByte(_ k: Int) throws -> UInt8 {
            guard k + 2 < u.count, u[k] == 37,
                  let h = NumberFormatting.digitValue(u[k + 1]), h < 16,
                  let l = NumberFormatting.digitValue(u[k + 2]), l < 16 else { throw malformed() }
            return UInt8(h * 16 + l)
        }
        var out: [UInt16] = []
        out.reserveCapacity(u.count)
        var k = 0
        while k < u.count {
            let c = u[k]
            if c != 37 { out.append(c); k += 1; continue }
            let start = k
            let b = try hexByte(k)
            k += 2
            if b < 0x80 {
                if reserved.contains(UInt16(b)) { out.append(contentsOf: u[start...k]) } else { out.append(UInt16(b)) }
                k += 1
                continue
            }
            var n = 0
            if b & 0xE0 == 0xC0 { n = 2 } else if b & 0xF0 == 0xE0 { n = 3 } else if b & 0xF8 == 0xF0 { n = 4 } else { throw malformed() }
            var cp = UInt32(b) & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07)
            for _ in 1..<n {
                k += 1
                guard k < u.count else { throw malformed() }
                let bb = try hexByte(k)
                guard bb & 0xC0 == 0x80 else { throw malformed() }
                cp = (cp << 6) | UInt32(bb & 0x3F)
                k += 2
            }
            let minCp: UInt32 = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000
            if cp < minCp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) { throw malformed() }
            if cp < 0x10000 { out.append(UInt16(cp)) } else {
                let v = cp - 0x10000
                out.append(UInt16(0xD800 + (v >> 10))); out.append(UInt16(0xDC00 + (v & 0x3FF)))
            }
            k += 1
        }
        return out
    }
}
