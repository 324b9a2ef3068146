import Foundation

// MARK: - String natives
//
// Every String.prototype method is native on primitive data: `this` a primitive (or
// coercible to one without user code) and arguments primitives. An object `this` or
// argument (whose conversion may run a user toString/valueOf) goes to the prelude's
// `I.stringSlow(name, …)`, which converts in spec order and calls the native again.

extension VM {
    /// `this` of a String.prototype method when no user code is needed, nil otherwise.
    @inline(__always)
    func primitiveThisString(_ this: Value, _ name: String) throws -> StringID? {
        switch this {
        case .string(let s): return s
        case .undefined, .null, .empty: throw typeError("String.prototype.\(name) called on null or undefined")
        case .object: return nil
        default: return toStringPrimitive(this)
        }
    }

    /// ToIntegerOrInfinity of a primitive position argument.
    @inline(__always)
    func intArg(_ v: Value) -> Double { toIntegerPrimitive(v) }

    /// Index of `needle` in `hay` at or after `from` (-1 if none).
    static func unitsIndex(_ hay: [UInt16], _ needle: [UInt16], from: Int) -> Int {
        let n = hay.count, m = needle.count
        if m == 0 { return from <= n ? from : -1 }
        if m > n || from > n - m { return -1 }
        return hay.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { nd in
                let first = nd[0]
                var i = max(0, from)
                let last = n - m
                while i <= last {
                    if h[i] == first {
                        var k = 1
                        while k < m && h[i + k] == nd[k] { k += 1 }
                        if k == m { return i }
                    }
                    i += 1
                }
                return -1
            }
        }
    }

    /// Last index of `needle` in `hay` at or before `from` (-1 if none).
    static func unitsLastIndex(_ hay: [UInt16], _ needle: [UInt16], from: Int) -> Int {
        let n = hay.count, m = needle.count
        if m > n { return -1 }
        var i = min(from, n - m)
        while i >= 0 {
            var k = 0
            while k < m && hay[i + k] == needle[k] { k += 1 }
            if k == m { return i }
            i -= 1
        }
        return -1
    }

    static func isJSWhitespace(_ u: UInt16) -> Bool {
        switch u {
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: return true
        case 0x2000...0x200A: return true
        default: return false
        }
    }

    /// Case mapping of UTF-16 units (ASCII fast path; lone surrogates kept as they are).
    static func caseMap(_ u: [UInt16], upper: Bool) -> [UInt16] {
        var ascii = true
        for c in u where c >= 128 { ascii = false; break }
        if ascii {
            var out = u
            for i in 0..<out.count {
                let c = out[i]
                if upper { if c >= 97 && c <= 122 { out[i] = c - 32 } } else if c >= 65 && c <= 90 { out[i] = c + 32 }
            }
            return out
        }
        var out: [UInt16] = []
        out.reserveCapacity(u.count)
        var run: [UInt16] = []
        func flush() {
            if run.isEmpty { return }
            let s = String(decoding: run, as: UTF16.self)
            out.append(contentsOf: upper ? s.uppercased().utf16 : lowercaseJS(s).utf16)
            run.removeAll(keepingCapacity: true)
        }
        var i = 0
        while i < u.count {
            let c = u[i]
            if c >= 0xD800 && c <= 0xDBFF, i + 1 < u.count, u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF {
                run.append(c); run.append(u[i + 1]); i += 2; continue
            }
            if c >= 0xD800 && c <= 0xDFFF { flush(); out.append(c); i += 1; continue }
            run.append(c); i += 1
        }
        flush()
        return out
    }

    /// Lowercasing with the Final_Sigma rule of the Unicode special casing.
    static func lowercaseJS(_ s: String) -> String {
        if !s.unicodeScalars.contains("\u{3A3}") { return s.lowercased() }
        let scalars = Array(s.unicodeScalars)
        var out = ""
        func cased(_ c: Unicode.Scalar) -> Bool { c.properties.isCased }
        func ignorable(_ c: Unicode.Scalar) -> Bool { c.properties.isCaseIgnorable }
        for (i, c) in scalars.enumerated() {
            if c == "\u{3A3}" {
                var before = false, after = false
                var j = i - 1
                while j >= 0 && ignorable(scalars[j]) { j -= 1 }
                if j >= 0 && cased(scalars[j]) { before = true }
                j = i + 1
                while j < scalars.count && ignorable(scalars[j]) { j += 1 }
                if j < scalars.count && cased(scalars[j]) { after = true }
                out.unicodeScalars.append(before && !after ? "\u{3C2}" : "\u{3C3}")
            } else {
                out += String(c).lowercased()
            }
        }
        return out
    }
}

extension Natives {
    /// A String.prototype method on primitive data; `coerced` = how many leading
    /// arguments are converted (objects among them take the slow path).
    static func stringMethod(_ name: String, length: Int, coerced: Int,
                             _ body: @escaping (VM, StringID, NativeArgs) throws -> Value) -> NativeEntry {
        NativeEntry("String.prototype." + name, length: length) { vm, this, args in
            guard let s = try vm.primitiveThisString(this, name) else { return stringSlow(vm, name, this, args) }
            let n = min(coerced, args.count)
            var i = 0
            while i < n { if case .object = args[i] { return stringSlow(vm, name, this, args) }; i += 1 }
            return .value(try body(vm, s, args))
        }
    }

    static func stringSlow(_ vm: VM, _ name: String, _ this: Value, _ args: NativeArgs) -> NativeResult {
        .call(function: .object(vm.intrinsicHelper("stringSlow")), this: this,
              arguments: [.string(vm.heap.intern(name))] + args.array)
    }

    static func substringValue(_ vm: VM, _ s: StringID, _ a: Int, _ b: Int) -> Value {
        let u = vm.heap.strings[s.index].units
        if a == 0 && b == u.count { return .string(s) }
        if a >= b { return .string(vm.atoms.empty) }
        if b - a == 1 { return .string(vm.charString(u[a])) }
        return .string(vm.heap.allocateString(Array(u[a..<b])))
    }

    static var stringNatives: [NativeEntry] {
        [
            NativeEntry("String.fromCharCode", length: 1) { vm, _, args in
                var out: [UInt16] = []
                out.reserveCapacity(args.count)
                for i in 0..<args.count {
                    if case .object = args[i] {
                        return .call(function: .object(vm.intrinsicHelper("stringFromCodesSlow")), this: .undefined, arguments: [.false] + args.array)
                    }
                }
                for i in 0..<args.count { out.append(UInt16(truncatingIfNeeded: NumberFormatting.toUint32(vm.toNumberPrimitive(args[i])))) }
                if out.count == 1 { return .value(.string(vm.charString(out[0]))) }
                return .value(try vm.newString(units: out))
            },
            NativeEntry("String.fromCodePoint", length: 1) { vm, _, args in
                var out: [UInt16] = []
                for i in 0..<args.count {
                    if case .object = args[i] {
                        return .call(function: .object(vm.intrinsicHelper("stringFromCodesSlow")), this: .undefined, arguments: [.true] + args.array)
                    }
                }
                for i in 0..<args.count {
                    let d = vm.toNumberPrimitive(args[i])
                    guard d >= 0, d <= 0x10FFFF, d == d.rounded() else {
                        throw vm.rangeError("Invalid code point \(vm.toSwiftString(args[i]))")
                    }
                    let cp = UInt32(d)
                    if cp < 0x10000 { out.append(UInt16(cp)) } else {
                        let v = cp - 0x10000
                        out.append(UInt16(0xD800 + (v >> 10))); out.append(UInt16(0xDC00 + (v & 0x3FF)))
                    }
                }
                return .value(try vm.newString(units: out))
            },

            stringMethod("charAt", length: 1, coerced: 1) { vm, s, args in
                let u = vm.heap.strings[s.index].units
                let i = vm.intArg(args[0])
                if i < 0 || i >= Double(u.count) { return .string(vm.atoms.empty) }
                return .string(vm.charString(u[Int(i)]))
            },
            stringMethod("charCodeAt", length: 1, coerced: 1) { vm, s, args in
                let u = vm.heap.strings[s.index].units
                let i: Double
                if case .number(let d) = args[0], d >= 0, d < Double(u.count) { i = d.rounded(.towardZero) } else { i = vm.intArg(args[0]) }
                if i < 0 || i >= Double(u.count) { return .number(.nan) }
                return .number(Double(u[Int(i)]))
            },
            stringMethod("codePointAt", length: 1, coerced: 1) { vm, s, args in
                let u = vm.heap.strings[s.index].units
                let d = vm.intArg(args[0])
                if d < 0 || d >= Double(u.count) { return .undefined }
                let i = Int(d), c = u[i]
                if c >= 0xD800 && c <= 0xDBFF && i + 1 < u.count, u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF {
                    return .number(Double((UInt32(c) - 0xD800) << 10 + (UInt32(u[i + 1]) - 0xDC00) + 0x10000))
                }
                return .number(Double(c))
            },
            stringMethod("at", length: 1, coerced: 1) { vm, s, args in
                let u = vm.heap.strings[s.index].units
                var d = vm.intArg(args[0])
                if d < 0 { d += Double(u.count) }
                if d < 0 || d >= Double(u.count) { return .undefined }
                return .string(vm.charString(u[Int(d)]))
            },
            stringMethod("indexOf", length: 1, coerced: 2) { vm, s, args in
                let u = vm.heap.strings[s.index].units
                let needle = vm.primitiveUnits(args[0])
                let start = Int(min(max(vm.intArg(args[1]), 0), Double(u.count)))
                return .number(Double(VM.unitsIndex(u, needle, from: start)))
            },
            stringMethod("lastIndexOf", length: 1, coerced: 2) { vm, s, args in
                let u = vm.heap.strings[s.index].units
                let needle = vm.primitiveUnits(args[0])
                let num = vm.toNumberPrimitive(args[1])
                let pos = num.isNaN ? Double.infinity : vm.intArg(.number(num))
                let start = Int(min(max(pos, 0), Double(u.count)))
                return .number(Double(VM.unitsLastIndex(u, needle, from: start)))
            },
            stringMethod("includes", length: 1, coerced: 2) { vm, s, args in
                let u = vm.heap.strings[s.index].units
                let needle = vm.primitiveUnits(args[0])
                let start = Int(min(max(vm.intArg(args[1]), 0), Double(u.count)))
                return .bool(VM.unitsIndex(u, needle, from: start) >= 0)
            },
            stringMethod("startsWith", length: 1, coerced: 2) { vm, s, args in
                let u = vm.heap.strings[s.index].units
                let needle = vm.primitiveUnits(args[0])
                let start = Int(min(max(vm.intArg(args[1]), 0), Double(u.count)))
                if start + needle.count > u.count { return .false }
                return .bool(u[start..<(start + needle.count)].elementsEqual(needle))
            },
            stringMethod("endsWith", length: 1, coerced: 2) { vm, s, args in
                let u = vm.heap.strings[s.index].units
                let needle = vm.primitiveUnits(args[0])
                let end = args[1].isUndefined ? u.count : Int(min(max(vm.intArg(args[1]), 0), Double(u.count)))
                let start = end - needle.count
                if start < 0 { return .false }
                return .bool(u[start..<end].elementsEqual(needle))
            },
            stringMethod("slice", length: 2, coerced: 2) { vm, s, args in
                let n = vm.heap.strings[s.index].units.count
                let a = vm.relIndex(args[0], n, 0), b = vm.relIndex(args[1], n, n)
                return substringValue(vm, s, a, b)
            },
            stringMethod("substring", length: 2, coerced: 2) { vm, s, args in
                let n = vm.heap.strings[s.index].units.count
                let a = Int(min(max(vm.intArg(args[0]), 0), Double(n)))
                let b = args[1].isUndefined ? n : Int(min(max(vm.intArg(args[1]), 0), Double(n)))
                return substringValue(vm, s, min(a, b), max(a, b))
            },
            stringMethod("substr", length: 2, coerced: 2) { vm, s, args in
                let n = vm.heap.strings[s.index].units.count
                var st = vm.intArg(args[0])
                if st < 0 { st = max(Double(n) + st, 0) } else { st = min(st, Double(n)) }
                let len = args[1].isUndefined ? Double(n) : min(max(vm.intArg(args[1]), 0), Double(n))
                let end = min(st + len, Double(n))
                if st >= end { return .string(vm.atoms.empty) }
                return substringValue(vm, s, Int(st), Int(end))
            },
            stringMethod("split", length: 2, coerced: 2) { vm, s, args in
                let limit: UInt32 = args[1].isUndefined ? UInt32.max : NumberFormatting.toUint32(vm.toNumberPrimitive(args[1]))
                if args[0].isUndefined {
                    return .object(vm.newArray(limit == 0 ? [] : [.string(s)]))
                }
                let sep = vm.primitiveUnits(args[0])
                if limit == 0 { return .object(vm.newArray([])) }
                let units = vm.heap.strings[s.index].units
                let lim = Int(limit)
                var parts: [Value] = []
                if sep.isEmpty {
                    for u in units.prefix(lim) { parts.append(.string(vm.charString(u))) }
                    return .object(vm.newArray(parts))
                }
                if units.isEmpty { return .object(vm.newArray([.string(s)])) }
                var start = 0
                let n = units.count, m = sep.count
                units.withUnsafeBufferPointer { h in
                    let first = sep[0]
                    var i = 0
                    while i + m <= n {
                        if h[i] == first {
                            var k = 1
                            while k < m && h[i + k] == sep[k] { k += 1 }
                            if k == m {
                                parts.append(.string(vm.heap.allocateString(Array(h[start..<i]))))
                                if parts.count >= lim { return }
                                i += m; start = i
                                continue
                            }
                        }
                        i += 1
                    }
                    parts.append(.string(vm.heap.allocateString(Array(h[start..<n]))))
                }
                return .object(vm.newArray(parts))
            },
            stringMethod("padStart", length: 1, coerced: 2) { vm, s, args in try pad(vm, s, args, atStart: true) },
            stringMethod("padEnd", length: 1, coerced: 2) { vm, s, args in try pad(vm, s, args, atStart: false) },
            stringMethod("repeat", length: 1, coerced: 1) { vm, s, args in
                let n = vm.intArg(args[0])
                if n < 0 || n == .infinity { throw vm.rangeError("Invalid count value: \(vm.toSwiftString(args[0]))") }
                let u = vm.heap.strings[s.index].units
                if n == 0 || u.isEmpty { return .string(vm.atoms.empty) }
                if Double(u.count) * n > Double(vm.limits.maxStringLength) { throw vm.rangeError("Invalid string length") }
                var out: [UInt16] = []
                out.reserveCapacity(u.count * Int(n))
                for _ in 0..<Int(n) { out.append(contentsOf: u) }
                return .string(vm.heap.allocateString(out))
            },
            stringMethod("concat", length: 1, coerced: Int.max) { vm, s, args in
                var out = vm.heap.strings[s.index].units
                for i in 0..<args.count {
                    out.append(contentsOf: vm.primitiveUnits(args[i]))
                    if out.count > vm.limits.maxStringLength { throw vm.rangeError("Invalid string length") }
                }
                return .string(vm.heap.allocateString(out))
            },
            stringMethod("localeCompare", length: 1, coerced: 1) { vm, s, args in
                let a = vm.heap.string(s), b = String(decoding: vm.primitiveUnits(args[0]), as: UTF16.self)
                return .number(a == b ? 0 : (a < b ? -1 : 1))
            },
            stringMethod("normalize", length: 0, coerced: 1) { vm, s, args in
                let form = args[0].isUndefined ? "NFC" : vm.toSwiftString(args[0])
                let str = vm.heap.string(s)
                let r: String
                switch form {
                case "NFC": r = str.precomposedStringWithCanonicalMapping
                case "NFD": r = str.decomposedStringWithCanonicalMapping
                case "NFKC": r = str.precomposedStringWithCompatibilityMapping
                case "NFKD": r = str.decomposedStringWithCompatibilityMapping
                default: throw vm.rangeError("The normalization form should be one of NFC, NFD, NFKC, NFKD.")
                }
                return vm.newString(r)
            },
            stringMethod("toLowerCase", length: 0, coerced: 0) { vm, s, _ in
                .string(vm.heap.allocateString(VM.caseMap(vm.heap.strings[s.index].units, upper: false)))
            },
            stringMethod("toUpperCase", length: 0, coerced: 0) { vm, s, _ in
                .string(vm.heap.allocateString(VM.caseMap(vm.heap.strings[s.index].units, upper: true)))
            },
            stringMethod("toLocaleLowerCase", length: 0, coerced: 0) { vm, s, _ in
                .string(vm.heap.allocateString(VM.caseMap(vm.heap.strings[s.index].units, upper: false)))
            },
            stringMethod("toLocaleUpperCase", length: 0, coerced: 0) { vm, s, _ in
                .string(vm.heap.allocateString(VM.caseMap(vm.heap.strings[s.index].units, upper: true)))
            },
            stringMethod("trim", length: 0, coerced: 0) { vm, s, _ in trim(vm, s, start: true, end: true) },
            stringMethod("trimStart", length: 0, coerced: 0) { vm, s, _ in trim(vm, s, start: true, end: false) },
            stringMethod("trimEnd", length: 0, coerced: 0) { vm, s, _ in trim(vm, s, start: false, end: true) },
        ]
    }

    static func trim(_ vm: VM, _ s: StringID, start: Bool, end: Bool) -> Value {
        let u = vm.heap.strings[s.index].units
        var a = 0, b = u.count
        if start { while a < b && VM.isJSWhitespace(u[a]) { a += 1 } }
        if end { while b > a && VM.isJSWhitespace(u[b - 1]) { b -= 1 } }
        return substringValue(vm, s, a, b)
    }

    static func pad(_ vm: VM, _ s: StringID, _ args: NativeArgs, atStart: Bool) throws -> Value {
        let maxLen = max(0, min(vm.intArg(args[0]), 9007199254740991))
        let u = vm.heap.strings[s.index].units
        if maxLen <= Double(u.count) { return .string(s) }
        let filler: [UInt16] = args[1].isUndefined ? [32] : vm.primitiveUnits(args[1])
        if filler.isEmpty { return .string(s) }
        if maxLen > Double(vm.limits.maxStringLength) { throw vm.rangeError("Invalid string length") }
        let fillLen = Int(maxLen) - u.count
        var fill: [UInt16] = []
        fill.reserveCapacity(fillLen)
        while fill.count < fillLen { fill.append(contentsOf: filler.prefix(fillLen - fill.count)) }
        return .string(vm.heap.allocateString(atStart ? fill + u : u + fill))
    }
}
