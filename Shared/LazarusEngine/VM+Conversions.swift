// MARK: - Type conversions and comparisons on primitives (objects go through the prelude)

extension VM {
    @inline(__always)
    public func toBoolean(_ v: Value) -> Bool {
        switch v {
        case .bool(let b): return b
        case .number(let d): return !(d == 0 || d.isNaN)
        case .string(let s): return !heap.strings[s.index].units.isEmpty
        case .object: return true
        case .undefined, .null, .empty: return false
        }
    }

    /// ToNumber for primitives; objects give NaN (callers route objects through the prelude).
    public func toNumberPrimitive(_ v: Value) -> Double {
        switch v {
        case .number(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .undefined, .empty: return .nan
        case .null: return 0
        case .string(let s): return NumberFormatting.parse(heap.strings[s.index].units)
        case .object(let o):
            switch heap.objects[o.index].cls {
            case .numberWrapper, .booleanWrapper, .stringWrapper: return toNumberPrimitive(heap.objects[o.index].slot0)
            default: return .nan
            }
        }
    }

    /// ToString for primitives (objects: "[object Object]"-ish fallback; callers route
    /// objects through the prelude helper so user `toString` methods run).
    public func toStringPrimitive(_ v: Value) -> StringID {
        switch v {
        case .string(let s): return s
        case .number(let d):
            if d >= 0, d < 10, d == d.rounded(.towardZero) { return charAtoms[48 + Int(d)] }
            return heap.allocateString(NumberFormatting.toUnits(d))
        case .bool(let b): return b ? trueAtom : falseAtom
        case .undefined, .empty: return undefinedAtom
        case .null: return nullAtom
        case .object(let o):
            switch heap.objects[o.index].cls {
            case .numberWrapper, .booleanWrapper, .stringWrapper: return toStringPrimitive(heap.objects[o.index].slot0)
            default: return heap.intern("[object Object]")
            }
        }
    }

    public func toSwiftString(_ v: Value) -> String { let id = toStringPrimitive(v); return heap.string(id) }

    /// Property key for a primitive value (interned).
    @inline(__always)
    public func toPropertyKeyPrimitive(_ v: Value) -> StringID {
        switch v {
        case .string(let s): return heap.atom(of: s)
        case .number(let d):
            if d >= 0, d < 10, d == d.rounded(.towardZero) { return charAtoms[48 + Int(d)] }
            return heap.intern(NumberFormatting.toUnits(d))
        default: return heap.atom(of: toStringPrimitive(v))
        }
    }

    public func typeOf(_ v: Value) -> StringID {
        switch v {
        case .undefined, .empty: return undefinedAtom
        case .null: return typeAtoms.object
        case .bool: return typeAtoms.boolean
        case .number: return typeAtoms.number
        case .string: return typeAtoms.string
        case .object(let o): return isCallable(o) ? typeAtoms.function : typeAtoms.object
        }
    }

    @inline(__always)
    public func isCallable(_ o: ObjectID) -> Bool {
        switch heap.objects[o.index].cls {
        case .closure, .native, .bound: return true
        default: return false
        }
    }

    public func isCallable(_ v: Value) -> Bool {
        if case .object(let o) = v { return isCallable(o) }
        return false
    }

    @inline(__always)
    public func strictEquals(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case let (.number(x), .number(y)): return x == y
        case let (.string(x), .string(y)): return heap.stringsEqual(x, y)
        case let (.object(x), .object(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.undefined, .undefined), (.null, .null): return true
        case (.empty, .undefined), (.undefined, .empty), (.empty, .empty): return true
        default: return false
        }
    }

    public func sameValueZero(_ a: Value, _ b: Value) -> Bool {
        if case .number(let x) = a, case .number(let y) = b { return x == y || (x.isNaN && y.isNaN) }
        return strictEquals(a, b)
    }

    public func sameValue(_ a: Value, _ b: Value) -> Bool {
        if case .number(let x) = a, case .number(let y) = b {
            if x.isNaN && y.isNaN { return true }
            if x == 0 && y == 0 { return x.sign == y.sign }
            return x == y
        }
        return strictEquals(a, b)
    }

    /// Abstract equality when neither operand needs ToPrimitive; nil when one is an object
    /// compared with a primitive (the prelude does that case).
    public func looseEquals(_ a: Value, _ b: Value) -> Bool? {
        switch (a, b) {
        case (.undefined, .undefined), (.null, .null), (.undefined, .null), (.null, .undefined): return true
        case (.undefined, _), (.null, _), (_, .undefined), (_, .null): return false
        case let (.number(x), .number(y)): return x == y
        case let (.string(x), .string(y)): return heap.stringsEqual(x, y)
        case let (.bool(x), .bool(y)): return x == y
        case let (.object(x), .object(y)): return x == y
        case (.object, _), (_, .object): return nil
        case (.bool, _), (_, .bool), (.number, .string), (.string, .number):
            return toNumberPrimitive(a) == toNumberPrimitive(b)
        default: return false
        }
    }

    /// Abstract relational comparison of primitives: true/false, or nil for undefined (NaN).
    public func lessThan(_ a: Value, _ b: Value) -> Bool? {
        if case .string(let x) = a, case .string(let y) = b {
            let ux = heap.strings[x.index].units, uy = heap.strings[y.index].units
            return ux.lexicographicallyPrecedes(uy)
        }
        let x = toNumberPrimitive(a), y = toNumberPrimitive(b)
        if x.isNaN || y.isNaN { return nil }
        return x < y
    }

    /// String concatenation.
    public func concat(_ a: StringID, _ b: StringID) throws -> Value {
        let ua = heap.strings[a.index].units, ub = heap.strings[b.index].units
        if ua.isEmpty { return .string(b) }
        if ub.isEmpty { return .string(a) }
        let n = ua.count + ub.count
        if n > limits.maxStringLength { throw rangeError("Invalid string length") }
        var u = [UInt16]()
        u.reserveCapacity(n)
        u.append(contentsOf: ua)
        u.append(contentsOf: ub)
        return .string(heap.allocateString(u))
    }

    /// `a + b` for primitives, one of them a string: the other side's ToString is written
    /// straight into the result (no intermediate heap string for a number).
    func concatPrimitives(_ a: Value, _ b: Value) throws -> Value {
        if case .string(let x) = a, case .string(let y) = b { return try concat(x, y) }
        if case .string(let x) = a, heap.strings[x.index].units.isEmpty { return .string(toStringPrimitive(b)) }
        if case .string(let y) = b, heap.strings[y.index].units.isEmpty { return .string(toStringPrimitive(a)) }
        var u = [UInt16]()
        u.reserveCapacity(primitiveLengthHint(a) + primitiveLengthHint(b))
        appendToString(a, to: &u)
        appendToString(b, to: &u)
        if u.count > limits.maxStringLength { throw rangeError("Invalid string length") }
        return .string(heap.allocateString(u))
    }

    @inline(__always)
    private func primitiveLengthHint(_ v: Value) -> Int {
        if case .string(let s) = v { return heap.strings[s.index].units.count }
        return 24
    }

    /// Appends ToString of a primitive.
    @inline(__always)
    private func appendToString(_ v: Value, to u: inout [UInt16]) {
        switch v {
        case .string(let s): u.append(contentsOf: heap.strings[s.index].units)
        case .number(let d): NumberFormatting.appendUnits(d, to: &u)
        default: u.append(contentsOf: heap.strings[toStringPrimitive(v).index].units)
        }
    }

    // MARK: HostValue ↔ Value

    /// Converts a host value into heap values (objects and arrays are fresh).
    public func fromHostValue(_ h: HostValue) -> Value {
        switch h {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let d): return .number(d)
        case .string(let s): return .string(heap.allocateString(s))
        case .array(let a): return .object(newArray(a.map { fromHostValue($0) }))
        case .object(let pairs):
            let o = newObject()
            for (k, v) in pairs { defineOwn(o, heap.intern(k), fromHostValue(v)) }
            return .object(o)
        }
    }

    /// JSON-like conversion for the host boundary: own enumerable data properties, arrays by
    /// index; functions and undefined in objects are omitted (null in arrays); cycles → TypeError.
    public func toHostValue(_ v: Value) throws -> HostValue {
        var visiting = Set<ObjectID>()
        return try toHostValue(v, &visiting, depth: 0)
    }

    func toHostValue(_ v: Value, _ visiting: inout Set<ObjectID>, depth: Int) throws -> HostValue {
        switch v {
        case .undefined, .null, .empty: return .null
        case .bool(let b): return .bool(b)
        case .number(let d): return .number(d)
        case .string(let s): return .string(heap.string(s))
        case .object(let o):
            if isCallable(o) { return .null }
            let cls = heap.objects[o.index].cls
            if cls == .numberWrapper || cls == .stringWrapper || cls == .booleanWrapper {
                return try toHostValue(heap.objects[o.index].slot0, &visiting, depth: depth)
            }
            if visiting.contains(o) { throw typeError("Converting circular structure to a host value") }
            if depth > 1000 { throw rangeError("Value too deeply nested for a host call") }
            visiting.insert(o)
            defer { visiting.remove(o) }
            if cls == .array {
                let els = heap.objects[o.index].elements
                return .array(try els.map { e in
                    if case .object(let f) = e, isCallable(f) { return .null }
                    return try toHostValue(e, &visiting, depth: depth + 1)
                })
            }
            var pairs: [(String, HostValue)] = []
            for k in ownKeys(o, onlyEnumerable: true) {
                guard let (pv, attrs) = getOwnProperty(o, k), !attrs.contains(.accessor) else { continue }
                if pv.isUndefined { continue }
                if case .object(let f) = pv, isCallable(f) { continue }
                pairs.append((heap.string(k), try toHostValue(pv, &visiting, depth: depth + 1)))
            }
            return .object(pairs)
        }
    }

    /// Never-throwing variant (cycles become null).
    public func toHostValueLossy(_ v: Value) -> HostValue {
        (try? toHostValue(v)) ?? .null
    }
}

/// Atoms of `typeof` results.
public struct TypeAtoms {
    public var object, boolean, number, string, function: StringID
}
