// MARK: - Array.prototype natives: fast paths for plain dense arrays
//
// Each native works on a "plain" array (an `.array` object whose holes, if any, read
// nothing from its prototype chain, and whose arguments need no user conversion) and
// otherwise tail-calls the generic JS version the prelude stored on `I` (`I.arraySlice`…),
// which follows the spec step by step (getters, array-likes, user valueOf/toString).

extension VM {
    /// Flags that make an array's elements or length read-only: frozen elements, and bit 64
    /// (a non-writable `length`, VM+Descriptors.swift).
    static let readOnlyArrayFlags: ObjectFlags = [.frozenElements, ObjectFlags(rawValue: 64)]

    /// `v` as an array natives may treat as plain data, or nil. `mutating`: the elements
    /// must also be writable and the array extensible.
    @inline(__always)
    func plainArray(_ v: Value, mutating: Bool = false) -> ObjectID? {
        guard case .object(let o) = v, heap.objects[o.index].cls == .array else { return nil }
        if mutating {
            let f = heap.objects[o.index].flags
            if !f.isDisjoint(with: VM.readOnlyArrayFlags) || !f.contains(.extensible) { return nil }
        }
        // Named properties (keyed elements with attributes, an own `constructor` that the
        // species protocol would read…): the generic path decides.
        if !heap.objects[o.index].keys.isEmpty { return nil }
        return o
    }

    /// `i in a` for an array and an integer key without building the key string (the
    /// interpreter's `in`); nil when the general path must decide.
    @inline(__always)
    func arrayHasIndex(_ o: ObjectID, _ k: Value) -> Bool? {
        guard case .number(let d) = k, heap.objects[o.index].cls == .array else { return nil }
        let i = Int(truncatingIfNeeded: Int64(d.isFinite ? d : -1))
        guard Double(i) == d, i >= 0, i < heap.objects[o.index].elements.count else { return nil }
        if !heap.objects[o.index].elements[i].isEmpty { return true }
        if heap.objects[o.index].keys.isEmpty && !protoChainHasIndices(o) { return false }
        return nil
    }

    /// Whether the object has named properties that look like array indices.
    func hasIndexKeys(_ o: ObjectID) -> Bool {
        for k in heap.objects[o.index].keys {
            if let f = heap.strings[k.index].units.first, f >= 48 && f <= 57, indexOfKey(k) != nil { return true }
        }
        return false
    }

    /// Whether some object on `o`'s prototype chain has an element or index-like property
    /// (then a hole of `o` does not simply read `undefined`, and writing one may meet an
    /// inherited setter or read-only property).
    @inline(__always)
    func protoChainHasIndices(_ o: ObjectID) -> Bool {
        let ap = intrinsic(.arrayPrototype)
        if heap.objects[o.index].proto == ap {
            let op = intrinsic(.objectPrototype)
            if heap.objects[ap.index].proto == op, heap.objects[op.index].proto.isNone {
                var stamp = ProtoIndexCache()
                stamp.valid = true
                stamp.apKeys = heap.objects[ap.index].keys.count
                stamp.apElements = heap.objects[ap.index].elements.count
                stamp.opKeys = heap.objects[op.index].keys.count
                stamp.apLast = heap.objects[ap.index].keys.last ?? StringID(0)
                stamp.opLast = heap.objects[op.index].keys.last ?? StringID(0)
                if arrayProtoIndexCache.matches(stamp) { return arrayProtoIndexCache.result }
                stamp.result = walkProtoChainForIndices(o)
                arrayProtoIndexCache = stamp
                return stamp.result
            }
        }
        return walkProtoChainForIndices(o)
    }

    func walkProtoChainForIndices(_ o: ObjectID) -> Bool {
        var p = heap.objects[o.index].proto
        var depth = 0
        while !p.isNone {
            let cls = heap.objects[p.index].cls
            if cls == .array || cls == .arguments {
                for e in heap.objects[p.index].elements where !e.isEmpty { return true }
            } else if cls == .stringWrapper, case .string(let s) = heap.objects[p.index].slot0, !heap.strings[s.index].units.isEmpty {
                return true
            }
            if hasIndexKeys(p) { return true }
            p = heap.objects[p.index].proto
            depth += 1
            if depth > 10_000 { return true }
        }
        return false
    }

    /// Holes of a plain array read as absent (nothing inherited): true when there are none
    /// or the prototype chain has no indices.
    @inline(__always)
    func holesAreAbsent(_ o: ObjectID) -> Bool {
        for e in heap.objects[o.index].elements where e.isEmpty { return !protoChainHasIndices(o) }
        return true
    }

    @inline(__always)
    func isPrimitive(_ v: Value) -> Bool { if case .object = v { return false }; return true }

    /// Tail call of a generic prelude function stored on `I`.
    func slowCall(_ name: String, _ this: Value, _ args: NativeArgs) -> NativeResult {
        .call(function: .object(intrinsicHelper(name)), this: this, arguments: args.array)
    }

    /// Relative index of slice-like methods for a primitive argument.
    @inline(__always)
    func relIndex(_ v: Value, _ len: Int, _ dflt: Int) -> Int {
        if v.isUndefined { return dflt }
        let d = toIntegerPrimitive(v)
        if d < 0 { return max(0, len + Int(max(d, -Double(len)))) }
        return Int(min(d, Double(len)))
    }

    func checkArrayLength(_ n: Int) throws {
        if n > limits.maxArrayLength { throw rangeError("Invalid array length") }
    }

    /// Default sort order (ToString, code units) of primitives; undefined last, holes after.
    func sortPrimitivesDefault(_ els: [Value]) -> [Value] {
        var keyed: [([UInt16], Int)] = []
        keyed.reserveCapacity(els.count)
        var undefs = 0, holes = 0
        for e in els {
            if e.isEmpty { holes += 1 } else if e.isUndefined { undefs += 1 }
        }
        let present = els.filter { !$0.isEmpty && !$0.isUndefined }
        for (i, e) in present.enumerated() {
            if case .string(let s) = e { keyed.append((heap.strings[s.index].units, i)) }
            else { keyed.append((NumberFormattingUnits.units(of: e, self), i)) }
        }
        keyed.sort { a, b in
            if a.0 == b.0 { return a.1 < b.1 }
            return a.0.lexicographicallyPrecedes(b.0)
        }
        var out = keyed.map { present[$0.1] }
        out.append(contentsOf: repeatElement(Value.undefined, count: undefs))
        out.append(contentsOf: repeatElement(Value.empty, count: holes))
        return out
    }
}

extension VM {
    /// ToString units of a primitive argument (no heap allocation). Never write
    /// `heap.strings[toStringPrimitive(v).index]`: `heap` is read before the argument
    /// allocates, so the new id is out of range of that copy.
    @inline(__always)
    func primitiveUnits(_ v: Value) -> [UInt16] { NumberFormattingUnits.units(of: v, self) }
}

/// ToString units of a primitive (no allocation in the heap).
enum NumberFormattingUnits {
    static func units(of v: Value, _ vm: VM) -> [UInt16] {
        switch v {
        case .number(let d): return NumberFormatting.toUnits(d)
        case .bool(let b): return Array((b ? "true" : "false").utf16)
        case .null: return Array("null".utf16)
        case .string(let s): return vm.heap.strings[s.index].units
        case .object:
            let id = vm.toStringPrimitive(v)
            return vm.heap.strings[id.index].units
        default: return Array("undefined".utf16)
        }
    }
}

extension Natives {
    static var arrayMethodNatives: [NativeEntry] {
        [
            NativeEntry("%arrayIsConstructor", length: 1) { vm, _, args in
                guard case .object(var o) = args[0] else { return .value(.false) }
                var depth = 0
                while vm.heap.objects[o.index].cls == .bound && depth < 10_000 { o = vm.heap.objects[o.index].link; depth += 1 }
                switch vm.heap.objects[o.index].cls {
                case .native: return .value(.bool(Natives.table[Int(vm.heap.objects[o.index].code)].isConstructor))
                case .closure: return .value(.bool(vm.heap.objects[o.index].flags.contains(.constructor)))
                default: return .value(.false)
                }
            },
            // CreateDataPropertyOrThrow(o, k, v): defines without running setters.
            NativeEntry("%arrayCreateDataProperty", length: 3) { vm, _, args in
                guard case .object(let o) = args[0] else { throw vm.typeError("CreateDataProperty on a non-object") }
                // A plain extensible array and an integer index: the element store directly.
                if case .number(let d) = args[1], vm.plainArray(args[0], mutating: true) != nil,
                   d >= 0, d < Double(vm.limits.maxArrayLength), d == d.rounded(.towardZero) {
                    let i = Int(d), count = vm.heap.objects[o.index].elements.count
                    if i < count {
                        vm.heap.objects[o.index].elements[i] = args[2]
                    } else {
                        if i > count { vm.heap.objects[o.index].elements.append(contentsOf: repeatElement(Value.empty, count: i - count)) }
                        vm.heap.objects[o.index].elements.append(args[2])
                        vm.heap.bytesSinceGC &+= 16 * (i - count + 1)
                    }
                    return .value(.true)
                }
                let key = vm.toPropertyKeyPrimitive(args[1])
                if let (_, attrs) = vm.getOwnProperty(o, key) {
                    if !attrs.contains(.configurable) {
                        throw vm.typeError("Cannot redefine property: \(vm.heap.string(key))")
                    }
                } else if !vm.heap.objects[o.index].flags.contains(.extensible) {
                    throw vm.typeError("Cannot define property \(vm.heap.string(key)), object is not extensible")
                }
                if vm.heap.objects[o.index].cls == .array, let i = vm.indexOfKey(key) {
                    try vm.checkArrayLength(i + 1)
                }
                vm.defineOwn(o, key, args[2], .default)
                return .value(.true)
            },

            // skip(o, i, n) / skip(o, i, -1): see Prelude+Arrays.swift.
            NativeEntry("%arraySkipHoles", length: 3) { vm, _, args in
                guard case .number(let di) = args[0 + 1], case .number(let dn) = args[2] else { return .value(.number(.nan)) }
                let backward = dn < 0
                guard case .object(let o) = args[0], vm.heap.objects[o.index].cls == .array,
                      vm.heap.objects[o.index].keys.isEmpty, di >= 0, di < 9007199254740992, !vm.protoChainHasIndices(o) else {
                    return .value(.number(backward ? di - 1 : di + 1))
                }
                let count = vm.heap.objects[o.index].elements.count
                if backward {
                    var j = min(Int(di) - 1, count - 1)
                    while j >= 0 && vm.heap.objects[o.index].elements[j].isEmpty { j -= 1 }
                    return .value(.number(Double(j)))
                }
                let end = Int(min(dn, Double(count)))
                var j = Int(di) + 1
                while j < end && vm.heap.objects[o.index].elements[j].isEmpty { j += 1 }
                return .value(.number(j >= end ? dn : Double(j)))
            },
            NativeEntry("Array.prototype.push", length: 1) { vm, this, args in
                guard let o = vm.plainArray(this, mutating: true), args.count == 0 || !vm.protoChainHasIndices(o) else {
                    return vm.slowCall("arrayPush", this, args)
                }
                if vm.heap.objects[o.index].elements.count + args.count > vm.limits.maxArrayLength { throw vm.rangeError("Invalid array length") }
                for i in 0..<args.count { vm.heap.objects[o.index].elements.append(args[i]) }
                vm.heap.bytesSinceGC &+= 16 * args.count
                return .value(.number(Double(vm.heap.objects[o.index].elements.count)))
            },
            NativeEntry("Array.prototype.pop") { vm, this, args in
                guard let o = vm.plainArray(this, mutating: true) else { return vm.slowCall("arrayPop", this, args) }
                guard let last = vm.heap.objects[o.index].elements.last else { return .value(.undefined) }
                if last.isEmpty && vm.protoChainHasIndices(o) { return vm.slowCall("arrayPop", this, args) }
                vm.heap.objects[o.index].elements.removeLast()
                return .value(last.isEmpty ? .undefined : last)
            },
            NativeEntry("Array.prototype.shift") { vm, this, args in
                guard let o = vm.plainArray(this, mutating: true), vm.holesAreAbsent(o) else { return vm.slowCall("arrayShift", this, args) }
                if vm.heap.objects[o.index].elements.isEmpty { return .value(.undefined) }
                let first = vm.heap.objects[o.index].elements.removeFirst()
                return .value(first.isEmpty ? .undefined : first)
            },
            NativeEntry("Array.prototype.unshift", length: 1) { vm, this, args in
                guard let o = vm.plainArray(this, mutating: true), !vm.protoChainHasIndices(o) else { return vm.slowCall("arrayUnshift", this, args) }
                let n = vm.heap.objects[o.index].elements.count + args.count
                try vm.checkArrayLength(n)
                if args.count > 0 { vm.heap.objects[o.index].elements.insert(contentsOf: args.array, at: 0) }
                vm.heap.bytesSinceGC &+= 16 * args.count
                return .value(.number(Double(n)))
            },
            NativeEntry("Array.prototype.reverse") { vm, this, args in
                guard let o = vm.plainArray(this, mutating: true), vm.holesAreAbsent(o) else { return vm.slowCall("arrayReverse", this, args) }
                vm.heap.objects[o.index].elements.reverse()
                return .value(this)
            },
            NativeEntry("Array.prototype.slice", length: 2) { vm, this, args in
                guard let o = vm.plainArray(this), vm.isPrimitive(args[0]), vm.isPrimitive(args[1]), vm.holesAreAbsent(o) else {
                    return vm.slowCall("arraySlice", this, args)
                }
                let els = vm.heap.objects[o.index].elements
                let a = vm.relIndex(args[0], els.count, 0), b = vm.relIndex(args[1], els.count, els.count)
                return .value(.object(vm.newArray(a < b ? Array(els[a..<b]) : [])))
            },
            NativeEntry("Array.prototype.splice", length: 2) { vm, this, args in
                guard let o = vm.plainArray(this, mutating: true), vm.isPrimitive(args[0]), vm.isPrimitive(args[1]), !vm.protoChainHasIndices(o) else {
                    return vm.slowCall("arraySplice", this, args)
                }
                let n = vm.heap.objects[o.index].elements.count
                let s = vm.relIndex(args[0], n, 0)
                var dc: Int
                if args.count == 0 { dc = 0 } else if args.count == 1 { dc = n - s } else {
                    let d = vm.toIntegerPrimitive(args[1])
                    dc = Int(max(0, min(d, Double(n - s))))
                }
                let items = args.dropFirst(2)
                try vm.checkArrayLength(n - dc + items.count)
                let removed = Array(vm.heap.objects[o.index].elements[s..<(s + dc)])
                vm.heap.objects[o.index].elements.replaceSubrange(s..<(s + dc), with: items)
                vm.heap.bytesSinceGC &+= 16 * items.count
                return .value(.object(vm.newArray(removed)))
            },
            NativeEntry("Array.prototype.concat", length: 1) { vm, this, args in
                guard let o = vm.plainArray(this), vm.holesAreAbsent(o) else { return vm.slowCall("arrayConcat", this, args) }
                var out = vm.heap.objects[o.index].elements
                for i in 0..<args.count {
                    let e = args[i]
                    if case .object(let a) = e, vm.heap.objects[a.index].cls == .array {
                        guard vm.plainArray(e) != nil, vm.holesAreAbsent(a) else { return vm.slowCall("arrayConcat", this, args) }
                        out.append(contentsOf: vm.heap.objects[a.index].elements)
                    } else {
                        out.append(e)
                    }
                    try vm.checkArrayLength(out.count)
                }
                return .value(.object(vm.newArray(out)))
            },
            NativeEntry("Array.prototype.indexOf", length: 1) { vm, this, args in
                guard let o = vm.plainArray(this), vm.isPrimitive(args[1]), vm.holesAreAbsent(o) else { return vm.slowCall("arrayIndexOf", this, args) }
                let els = vm.heap.objects[o.index].elements
                let n = els.count
                if n == 0 { return .value(.number(-1)) }
                var k = vm.toIntegerPrimitive(args[1])
                if k >= Double(n) { return .value(.number(-1)) }
                if k < 0 { k = max(0, k + Double(n)) }
                let x = args[0]
                var i = Int(k)
                switch x {
                case .number(let d):
                    while i < n { if case .number(let e) = els[i], e == d { return .value(.number(Double(i))) }; i += 1 }
                case .object(let id):
                    while i < n { if case .object(let e) = els[i], e == id { return .value(.number(Double(i))) }; i += 1 }
                case .undefined:
                    while i < n { if case .undefined = els[i] { return .value(.number(Double(i))) }; i += 1 }
                default:
                    while i < n { if !els[i].isEmpty && vm.strictEquals(els[i], x) { return .value(.number(Double(i))) }; i += 1 }
                }
                return .value(.number(-1))
            },
            NativeEntry("Array.prototype.lastIndexOf", length: 1) { vm, this, args in
                guard let o = vm.plainArray(this), vm.isPrimitive(args[1]), vm.holesAreAbsent(o) else { return vm.slowCall("arrayLastIndexOf", this, args) }
                let els = vm.heap.objects[o.index].elements
                let n = els.count
                if n == 0 { return .value(.number(-1)) }
                let k = args.count > 1 ? vm.toIntegerPrimitive(args[1]) : Double(n - 1)
                let start = k >= 0 ? min(k, Double(n - 1)) : Double(n) + k
                if start < 0 { return .value(.number(-1)) }
                let x = args[0]
                var i = Int(start)
                while i >= 0 {
                    if !els[i].isEmpty && vm.strictEquals(els[i], x) { return .value(.number(Double(i))) }
                    i -= 1
                }
                return .value(.number(-1))
            },
            NativeEntry("Array.prototype.includes", length: 1) { vm, this, args in
                guard let o = vm.plainArray(this), vm.isPrimitive(args[1]), vm.holesAreAbsent(o) else { return vm.slowCall("arrayIncludes", this, args) }
                let els = vm.heap.objects[o.index].elements
                let n = els.count
                if n == 0 { return .value(.false) }
                var k = vm.toIntegerPrimitive(args[1])
                if k >= Double(n) { return .value(.false) }
                if k < 0 { k = max(0, k + Double(n)) }
                let x = args[0]
                for i in Int(k)..<n {
                    let e = els[i].isEmpty ? Value.undefined : els[i]
                    if vm.sameValueZero(e, x) { return .value(.true) }
                }
                return .value(.false)
            },
            NativeEntry("Array.prototype.fill", length: 1) { vm, this, args in
                guard let o = vm.plainArray(this, mutating: true), vm.isPrimitive(args[1]), vm.isPrimitive(args[2]) else {
                    return vm.slowCall("arrayFill", this, args)
                }
                let n = vm.heap.objects[o.index].elements.count
                let a = vm.relIndex(args[1], n, 0), b = vm.relIndex(args[2], n, n)
                if a < b {
                    let v = args[0]
                    for i in a..<b { vm.heap.objects[o.index].elements[i] = v }
                }
                return .value(this)
            },
            NativeEntry("Array.prototype.sort", length: 1) { vm, this, args in
                if !args[0].isUndefined { return vm.slowCall("arraySort", this, args) }
                guard let o = vm.plainArray(this, mutating: true), vm.holesAreAbsent(o) else { return vm.slowCall("arraySort", this, args) }
                let els = vm.heap.objects[o.index].elements
                for e in els { if case .object = e { return vm.slowCall("arraySort", this, args) } }
                if els.count < 2 { return .value(this) }
                let sorted = vm.sortPrimitivesDefault(els)
                vm.heap.objects[o.index].elements = sorted
                return .value(this)
            },
            NativeEntry("Array.prototype.join", length: 1) { vm, this, args in
                guard let o = vm.plainArray(this) else { return vm.slowCall("joinSlow", this, args) }
                var sep: [UInt16] = [44]
                if !args[0].isUndefined {
                    if case .object = args[0] { return vm.slowCall("joinSlow", this, args) }
                    sep = vm.primitiveUnits(args[0])
                }
                let els = vm.heap.objects[o.index].elements
                var total = 0
                for e in els {
                    switch e {
                    case .string(let s): total += vm.heap.strings[s.index].units.count
                    case .object: return vm.slowCall("joinSlow", this, args)
                    case .empty: if vm.protoChainHasIndices(o) { return vm.slowCall("joinSlow", this, args) }
                    default: total += 8
                    }
                }
                var out: [UInt16] = []
                out.reserveCapacity(total + sep.count * max(0, els.count - 1))
                var first = true
                for e in els {
                    if !first { out.append(contentsOf: sep) }
                    first = false
                    switch e {
                    case .undefined, .null, .empty: continue
                    case .string(let s): out.append(contentsOf: vm.heap.strings[s.index].units)
                    default: out.append(contentsOf: NumberFormattingUnits.units(of: e, vm))
                    }
                    if out.count > vm.limits.maxStringLength { throw vm.rangeError("Invalid string length") }
                }
                return .value(try vm.newString(units: out))
            },
        ]
    }
}

/// What `protoChainHasIndices` found for the standard array prototype chain, stamped with
/// the shape of Array.prototype and Object.prototype: their key count and last key (a key
/// is only ever appended or removed, so a changed key set changes one of them) and
/// Array.prototype's element count (an Array.prototype with elements is never cached).
struct ProtoIndexCache {
    var valid = false
    var apKeys = 0, apElements = 0, opKeys = 0
    var apLast = StringID(0), opLast = StringID(0)
    var result = false


    @inline(__always)
    func matches(_ s: ProtoIndexCache) -> Bool {
        valid && apElements == 0 && apKeys == s.apKeys && apElements == s.apElements && opKeys == s.opKeys
            && apLast == s.apLast && opLast == s.opLast
    }
}
