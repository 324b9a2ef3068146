// MARK: - JSON (builtins library)
//
// JSON.parse is native (an iterative parser: no recursion on deep input); a reviver is
// applied by the prelude (`I.jsonRevive`). JSON.stringify is native for plain data
// (no replacer function or array, no toJSON, no getters, no wrapper objects) and tail-calls
// the prelude's spec implementation (`I.jsonStringify`) otherwise, so replacers, toJSON
// methods and getters are ordinary script calls that may suspend.

extension Natives {
    static var jsonNatives: [NativeEntry] {
        [
            NativeEntry("JSON.parse", length: 2) { vm, this, args in
                if case .object = args[0] { return vm.recall(args, this, "s-") }
                let textID = vm.toStringPrimitive(args[0])
                let text = vm.heap.units(textID)
                var parser = JSONParser(units: text, vm: vm)
                let v = try parser.parse()
                if vm.isCallable(args[1]) { return vm.callPrelude("jsonRevive", [v, args[1]]) }
                return .value(v)
            },
            NativeEntry("JSON.stringify", length: 3) { vm, _, args in
                var gap: [UInt16] = []
                switch args[2] {
                case .number(let d):
                    let n = Int(max(0, min(10, vm.toIntegerPrimitive(.number(d)))))
                    gap = Array(repeating: 32, count: n)
                case .string(let s): gap = Array(vm.heap.units(s).prefix(10))
                case .object: return vm.callPrelude("jsonStringify", args.array)
                default: break
                }
                if case .object = args[1] { return vm.callPrelude("jsonStringify", args.array) }
                var w = JSONWriter(vm: vm, gap: gap)
                guard try w.write(args[0], indent: []) else { return vm.callPrelude("jsonStringify", args.array) }
                if w.omitted { return .value(.undefined) }
                return .value(try vm.newString(units: w.out))
            },
            NativeEntry("%jsonQuote", length: 1) { vm, _, args in
                var out: [UInt16] = []
                let sid = vm.toStringPrimitive(args[0])
                JSONWriter.quote(vm.heap.units(sid), into: &out)
                return .value(try vm.newString(units: out))
            },
        ]
    }
}

/// Native JSON.stringify for plain data. `write` returns false when script code would be
/// needed (the caller then uses the prelude), before any observable effect.
struct JSONWriter {
    let vm: VM
    let gap: [UInt16]
    var out: [UInt16] = []
    var stack: [ObjectID] = []
    /// The top-level value serializes to undefined.
    var omitted = false
    let toJSONAtom: StringID

    init(vm: VM, gap: [UInt16]) {
        self.vm = vm
        self.gap = gap
        self.toJSONAtom = vm.heap.intern("toJSON")
        out.reserveCapacity(64)
    }

    static func quote(_ u: [UInt16], into out: inout [UInt16]) {
        let hex: [UInt16] = Array("0123456789abcdef".utf16)
        out.append(34)
        var i = 0
        let n = u.count
        while i < n {
            let c = u[i]
            switch c {
            case 34: out.append(92); out.append(34)
            case 92: out.append(92); out.append(92)
            case 8: out.append(92); out.append(98)
            case 12: out.append(92); out.append(102)
            case 10: out.append(92); out.append(110)
            case 13: out.append(92); out.append(114)
            case 9: out.append(92); out.append(116)
            case 0..<0x20:
                out.append(contentsOf: [92, 117, 48, 48, hex[Int(c >> 4)], hex[Int(c & 15)]])
            case 0xD800..<0xDC00:
                if i + 1 < n, u[i + 1] >= 0xDC00, u[i + 1] < 0xE000 {
                    out.append(c); out.append(u[i + 1]); i += 1
                } else {
                    out.append(contentsOf: [92, 117, hex[Int(c >> 12)], hex[Int((c >> 8) & 15)], hex[Int((c >> 4) & 15)], hex[Int(c & 15)]])
                }
            case 0xDC00..<0xE000:
                out.append(contentsOf: [92, 117, hex[Int(c >> 12)], hex[Int((c >> 8) & 15)], hex[Int((c >> 4) & 15)], hex[Int(c & 15)]])
            default: out.append(c)
            }
            i += 1
        }
        out.append(34)
    }

    /// Appends the serialization of `v`; sets `omitted` (and appends nothing) for values
    /// that serialize to undefined. Returns false when the prelude must take over.
    mutating func write(_ v: Value, indent: [UInt16]) throws -> Bool {
        omitted = false
        switch v {
        case .null: out.append(contentsOf: [110, 117, 108, 108])
        case .bool(let b): out.append(contentsOf: b ? Array("true".utf16) : Array("false".utf16))
        case .number(let d):
            if d.isFinite { out.append(contentsOf: NumberFormatting.toUnits(d)) } else { out.append(contentsOf: [110, 117, 108, 108]) }
        case .string(let s): JSONWriter.quote(vm.heap.strings[s.index].units, into: &out)
        case .undefined, .empty: omitted = true
        case .object(let o):
            let cls = vm.heap.objects[o.index].cls
            switch cls {
            case .closure, .native, .bound: omitted = true; return true
            case .numberWrapper, .stringWrapper, .booleanWrapper: return false
            default: break
            }
            switch vm.getProperty(o, toJSONAtom) {
            case .getter: return false
            case .value(let f): if vm.isCallable(f) { return false }
            }
            if stack.contains(o) { throw vm.typeError("Converting circular structure to JSON") }
            if stack.count > 512 { return false }
            stack.append(o)
            defer { stack.removeLast() }
            let inner = indent + gap
            if cls == .array {
                let obj = vm.heap.objects[o.index]
                let n = obj.elements.count
                if n == 0 { out.append(contentsOf: [91, 93]); return true }
                out.append(91)
                for i in 0..<n {
                    if i > 0 { out.append(44) }
                    if !gap.isEmpty { out.append(10); out.append(contentsOf: inner) }
                    var e = vm.heap.objects[o.index].elements[i]
                    if e.isEmpty {
                        switch vm.getProperty(o, vm.indexAtom(i)) {
                        case .getter: return false
                        case .value(let x): e = x
                        }
                    }
                    guard try write(e, indent: inner) else { return false }
                    if omitted { out.append(contentsOf: [110, 117, 108, 108]); omitted = false }
                }
                if !gap.isEmpty { out.append(10); out.append(contentsOf: indent) }
                out.append(93)
                return true
            }
            let keys = vm.ownKeys(o, onlyEnumerable: true)
            out.append(123)
            var any = false
            for k in keys {
                guard let (pv, attrs) = vm.getOwnProperty(o, k) else { continue }
                if attrs.contains(.accessor) { return false }
                let mark = out.count
                if any { out.append(44) }
                if !gap.isEmpty { out.append(10); out.append(contentsOf: inner) }
                JSONWriter.quote(vm.heap.strings[k.index].units, into: &out)
                out.append(58)
                if !gap.isEmpty { out.append(32) }
                guard try write(pv, indent: inner) else { return false }
                if omitted { out.removeSubrange(mark...); omitted = false; continue }
                any = true
            }
            if any && !gap.isEmpty { out.append(10); out.append(contentsOf: indent) }
            out.append(125)
            if out.count > vm.limits.maxStringLength { throw vm.rangeError("Invalid string length") }
        }
        return true
    }
}

/// JSON.parse: an iterative parser over UTF-16 units (ECMA-404 grammar, JSON whitespace only).
struct JSONParser {
    let u: [UInt16]
    let vm: VM
    var i = 0

    init(units: [UInt16], vm: VM) { self.u = units; self.vm = vm }

    private enum Container {
        case array(ObjectID)
        case object(ObjectID, key: StringID)
    }

    func fail(_ what: String? = nil) -> ThrowSignal {
        if i >= u.count { return vm.syntaxError("Unexpected end of JSON input") }
        let c = String(decoding: [u[i]], as: UTF16.self)
        return vm.syntaxError(what ?? "Unexpected token '\(c)' in JSON at position \(i)")
    }

    mutating func skipWS() {
        while i < u.count {
            let c = u[i]
            if c == 32 || c == 9 || c == 10 || c == 13 { i += 1 } else { break }
        }
    }

    mutating func parse() throws -> Value {
        var stack: [Container] = []
        var value: Value
        while true {
            // Parse a value start.
            skipWS()
            guard i < u.count else { throw fail() }
            let c = u[i]
            switch c {
            case 123: // {
                i += 1
                skipWS()
                let o = vm.newObject()
                if i < u.count && u[i] == 125 { i += 1; value = .object(o); break }
                let key = try parseKey()
                stack.append(.object(o, key: key))
                continue
            case 91: // [
                i += 1
                skipWS()
                let a = vm.newArray([])
                if i < u.count && u[i] == 93 { i += 1; value = .object(a); break }
                stack.append(.array(a))
                continue
            case 34: value = .string(try parseString())
            case 116: try literal("true"); value = .true
            case 102: try literal("false"); value = .false
            case 110: try literal("null"); value = .null
            default:
                if c == 45 || (c >= 48 && c <= 57) { value = .number(try parseNumber()) } else { throw fail() }
            }
            // Attach the value to its containers, closing as many as end here.
            while true {
                guard let top = stack.last else {
                    skipWS()
                    if i < u.count { throw fail() }
                    return value
                }
                skipWS()
                switch top {
                case .array(let a):
                    vm.heap.objects[a.index].elements.append(value)
                    guard i < u.count else { throw fail() }
                    if u[i] == 44 { i += 1; break }
                    if u[i] == 93 { i += 1; stack.removeLast(); value = .object(a); continue }
                    throw fail()
                case .object(let o, let key):
                    vm.defineOwn(o, key, value)
                    guard i < u.count else { throw fail() }
                    if u[i] == 44 {
                        i += 1
                        skipWS()
                        let k = try parseKey()
                        stack[stack.count - 1] = .object(o, key: k)
                        break
                    }
                    if u[i] == 125 { i += 1; stack.removeLast(); value = .object(o); continue }
                    throw fail()
                }
                break
            }
        }
    }

    mutating func parseKey() throws -> StringID {
        guard i < u.count, u[i] == 34 else { throw fail() }
        let s = try parseString()
        skipWS()
        guard i < u.count, u[i] == 58 else { throw fail() }
        i += 1
        return vm.heap.atom(of: s)
    }

    mutating func literal(_ word: String) throws {
        for w in word.utf16 {
            guard i < u.count, u[i] == w else { throw fail() }
            i += 1
        }
    }

    mutating func parseString() throws -> StringID {
        i += 1 // opening quote
        var out: [UInt16] = []
        let start = i
        // Fast scan without escapes.
        while i < u.count, u[i] != 34, u[i] != 92, u[i] >= 0x20 { i += 1 }
        if i < u.count, u[i] == 34 {
            let r = vm.heap.allocateString(Array(u[start..<i]))
            i += 1
            return r
        }
        out.append(contentsOf: u[start..<i])
        while true {
            guard i < u.count else { throw fail("Unterminated string in JSON at position \(i)") }
            let c = u[i]
            if c == 34 { i += 1; break }
            if c < 0x20 { throw fail("Bad control character in string literal in JSON at position \(i)") }
            if c == 92 {
                i += 1
                guard i < u.count else { throw fail() }
                switch u[i] {
                case 34: out.append(34)
                case 92: out.append(92)
                case 47: out.append(47)
                case 98: out.append(8)
                case 102: out.append(12)
                case 110: out.append(10)
                case 114: out.append(13)
                case 116: out.append(9)
                case 117:
                    var v: UInt16 = 0
                    for _ in 0..<4 {
                        i += 1
                        guard i < u.count, let d = NumberFormatting.digitValue(u[i]), d < 16 else { throw fail("Bad Unicode escape in JSON at position \(i)") }
                        v = v * 16 + UInt16(d)
                    }
                    out.append(v)
                default: throw fail("Bad escaped character in JSON at position \(i)")
                }
                i += 1
                continue
            }
            out.append(c)
            i += 1
        }
        if out.count > vm.limits.maxStringLength { throw vm.rangeError("Invalid string length") }
        return vm.heap.allocateString(out)
    }

    mutating func parseNumber() throws -> Double {
        let start = i
        if u[i] == 45 { i += 1 }
        guard i < u.count, u[i] >= 48, u[i] <= 57 else { throw fail("No number after minus sign in JSON at position \(i)") }
        if u[i] == 48 { i += 1 } else { while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 } }
        if i < u.count, u[i] == 46 {
            i += 1
            guard i < u.count, u[i] >= 48, u[i] <= 57 else { throw fail("Unterminated fractional number in JSON at position \(i)") }
            while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
        }
        if i < u.count, u[i] == 101 || u[i] == 69 {
            i += 1
            if i < u.count, u[i] == 43 || u[i] == 45 { i += 1 }
            guard i < u.count, u[i] >= 48, u[i] <= 57 else { throw fail("Exponent part is missing a number in JSON at position \(i)") }
            while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
        }
        return Double(String(decoding: u[start..<i], as: UTF16.self)) ?? .nan
    }
}
