// MARK: - Objects: property lookup, definition, enumeration

/// Atoms the engine uses by name (pinned; recomputed by `relinkConstants`).
public struct CommonAtoms {
    public var length, prototype, constructor, name, message, stack, toString, valueOf, callee, empty: StringID
    init(_ heap: inout Heap) {
        length = heap.internPinned("length"); prototype = heap.internPinned("prototype")
        constructor = heap.internPinned("constructor"); name = heap.internPinned("name")
        message = heap.internPinned("message"); stack = heap.internPinned("stack")
        toString = heap.internPinned("toString"); valueOf = heap.internPinned("valueOf")
        callee = heap.internPinned("callee"); empty = heap.internPinned("")
    }
}

/// Result of a property read: a value, or a getter the interpreter must call.
public enum GetOutcome {
    case value(Value)
    case getter(Value)
}

/// Result of a property write.
public enum SetOutcome {
    case done
    case setter(Value)
}

extension VM {
    // MARK: Allocation helpers

    @inline(__always)
    public func newObject(proto: ObjectID? = nil) -> ObjectID {
        heap.allocate(JSObject(cls: .ordinary, proto: proto ?? intrinsic(.objectPrototype)))
    }

    public func newArray(_ elements: [Value]) -> ObjectID {
        var o = JSObject(cls: .array, proto: intrinsic(.arrayPrototype))
        o.elements = elements
        heap.bytesSinceGC &+= elements.count * 16
        return heap.allocate(o)
    }

    public func newString(_ s: String) -> Value { .string(heap.allocateString(s)) }
    public func newString(units: [UInt16]) throws -> Value {
        if units.count > limits.maxStringLength { throw rangeError("Invalid string length") }
        return .string(heap.allocateString(units))
    }

    // MARK: Own properties

    /// Creates `length`/`name`/`prototype` of a closure on first need.
    func materializeFunctionProps(_ id: ObjectID) {
        guard heap.objects[id.index].flags.contains(.lazyFunctionProps) else { return }
        heap.objects[id.index].flags.remove(.lazyFunctionProps)
        let code = Int(heap.objects[id.index].code)
        let f = functions[code]
        let fc = units[f.unit].unit.functions[code - units[f.unit].functionBase]
        heap.objects[id.index].append(atoms.length, .number(Double(fc.length)), [.configurable])
        let nameID = heap.intern(fc.name)
        heap.objects[id.index].append(atoms.name, .string(nameID), [.configurable])
        if heap.objects[id.index].flags.contains(.constructor) {
            let proto = newObject()
            heap.objects[proto.index].append(atoms.constructor, .object(id), .hidden)
            heap.objects[id.index].append(atoms.prototype, .object(proto), [.writable])
        }
    }

    /// Slot of an own named property (materializing lazy function properties).
    @inline(__always)
    func findOwn(_ id: ObjectID, _ key: StringID) -> Int {
        if heap.objects[id.index].flags.contains(.lazyFunctionProps) {
            if key == atoms.length || key == atoms.name || key == atoms.prototype { materializeFunctionProps(id) }
        }
        return heap.objects[id.index].find(key)
    }

    /// Array index of an atom key, if the key is canonical numeric.
    @inline(__always)
    func indexOfKey(_ key: StringID) -> Int? {
        let u = heap.strings[key.index].units
        guard let f = u.first, f >= 48 && f <= 57 else { return nil }
        return NumberFormatting.arrayIndex(u).map(Int.init)
    }

    /// Own property lookup including exotic elements (arrays, strings, arguments).
    /// Returns the value (or accessor pair) and attributes, or nil.
    public func getOwnProperty(_ id: ObjectID, _ key: StringID) -> (Value, PropertyFlags)? {
        let cls = heap.objects[id.index].cls
        switch cls {
        case .array, .arguments:
            if cls == .array && key == atoms.length {
                let ro = !heap.objects[id.index].flags.isDisjoint(with: [.frozenElements, .lengthReadOnly])
                return (.number(Double(heap.objects[id.index].elements.count)), ro ? [] : [.writable])
            }
            if let i = indexOfKey(key) {
                let els = heap.objects[id.index].elements
                if i < els.count, !els[i].isEmpty {
                    return (els[i], heap.objects[id.index].flags.contains(.frozenElements) ? [.enumerable] : .default)
                }
                // A hole may be backed by a named property with its own attributes (VM+Descriptors.swift).
                if cls == .array && (i >= els.count || heap.objects[id.index].keys.isEmpty) { return nil }
            }
        case .stringWrapper:
            if case .string(let s) = heap.objects[id.index].slot0 {
                let units = heap.strings[s.index].units
                if key == atoms.length { return (.number(Double(units.count)), []) }
                if let i = indexOfKey(key), i < units.count {
                    return (.string(heap.intern([units[i]])), [.enumerable])
                }
            }
        default: break
        }
        let slot = findOwn(id, key)
        if slot < 0 { return nil }
        return (heap.objects[id.index].values[slot], heap.objects[id.index].attributes[slot])
    }

    // MARK: Get

    /// [[Get]] on an object (walks the prototype chain).
    public func getProperty(_ id: ObjectID, _ key: StringID) -> GetOutcome {
        var cur = id
        var depth = 0
        while !cur.isNone {
            if let (v, attrs) = getOwnProperty(cur, key) {
                if attrs.contains(.accessor) {
                    guard case .object(let pair) = v else { return .value(.undefined) }
                    let g = heap.objects[pair.index].slot0
                    return g.isUndefined ? .value(.undefined) : .getter(g)
                }
                return .value(v)
            }
            cur = heap.objects[cur.index].proto
            depth += 1
            if depth > 10_000 { break }
        }
        return .value(.undefined)
    }

    /// Data-only [[Get]] for natives: a getter found on the way yields `undefined`.
    /// (Natives never call script code synchronously; see docs/ENGINE.md.)
    public func getData(_ id: ObjectID, _ key: String) -> Value {
        if case .value(let v) = getProperty(id, heap.intern(key)) { return v }
        return .undefined
    }

    public func getData(_ id: ObjectID, atom key: StringID) -> Value {
        if case .value(let v) = getProperty(id, key) { return v }
        return .undefined
    }

    /// [[Get]] on any value (primitives use their prototype).
    public func getValueProperty(_ v: Value, _ key: StringID) throws -> GetOutcome {
        switch v {
        case .object(let id): return getProperty(id, key)
        case .string(let s):
            if key == atoms.length { return .value(.number(Double(heap.strings[s.index].units.count))) }
            if let i = indexOfKey(key) {
                let u = heap.strings[s.index].units
                if i < u.count { return .value(.string(charString(u[i]))) }
            }
            return getProperty(intrinsic(.stringPrototype), key)
        case .number: return getProperty(intrinsic(.numberPrototype), key)
        case .bool: return getProperty(intrinsic(.booleanPrototype), key)
        case .undefined, .null, .empty:
            throw typeError("Cannot read properties of \(v == .null ? "null" : "undefined") (reading '\(heap.string(key))')")
        }
    }

    /// A one-unit string (ASCII ones are cached atoms).
    @inline(__always)
    public func charString(_ u: UInt16) -> StringID {
        if u < 128 { return charAtoms[Int(u)] }
        return heap.intern([u])
    }

    // MARK: Set

    /// [[Set]] with receiver == the object. `strict` decides between silent failure and TypeError.
    public func setProperty(_ id: ObjectID, _ key: StringID, _ value: Value, strict: Bool) throws -> SetOutcome {
        let cls = heap.objects[id.index].cls
        if cls == .array {
            if key == atoms.length { try setArrayLength(id, value, strict: strict); return .done }
            if let i = indexOfKey(key), !isKeyedElement(id, i) {
                let els = heap.objects[id.index].elements
                if i >= els.count || els[i].isEmpty, protoChainHasIndices(id) {
                    // A hole: an inherited setter or read-only element decides (OrdinarySet).
                    if let outcome = try inheritedSet(id, key, strict: strict) { return outcome }
                }
                try setElement(id, i, value, strict: strict)
                return .done
            }
        } else if cls == .arguments, let i = indexOfKey(key), i < heap.objects[id.index].elements.count, !heap.objects[id.index].elements[i].isEmpty {
            heap.objects[id.index].elements[i] = value
            argumentsElementWritten(id, i, value)
            return .done
        }
        let slot = findOwn(id, key)
        if slot >= 0 {
            let attrs = heap.objects[id.index].attributes[slot]
            if attrs.contains(.accessor) { return accessorSet(heap.objects[id.index].values[slot], key, strict: strict) }
            if !attrs.contains(.writable) {
                if strict { throw typeError("Cannot assign to read only property '\(heap.string(key))' of object") }
                return .done
            }
            heap.objects[id.index].values[slot] = value
            if cls == .arguments, let i = indexOfKey(key) { argumentsElementWritten(id, i, value) }
            return .done
        }
        if let outcome = try inheritedSet(id, key, strict: strict) { return outcome }
        if !heap.objects[id.index].flags.contains(.extensible) {
            if strict { throw typeError("Cannot add property \(heap.string(key)), object is not extensible") }
            return .done
        }
        if cls == .stringWrapper, key == atoms.length || getOwnProperty(id, key) != nil {
            if strict { throw typeError("Cannot assign to read only property '\(heap.string(key))' of string") }
            return .done
        }
        heap.objects[id.index].append(key, value, .default)
        heap.bytesSinceGC &+= 24
        return .done
    }

    /// The part of OrdinarySet decided by the prototype chain when the object has no own
    /// `key`: an inherited setter, or a refusal by an inherited read-only property. nil:
    /// define the property on the object itself.
    func inheritedSet(_ id: ObjectID, _ key: StringID, strict: Bool) throws -> SetOutcome? {
        var cur = heap.objects[id.index].proto
        while !cur.isNone {
            if let (v, attrs) = getOwnProperty(cur, key) {
                if attrs.contains(.accessor) { return accessorSet(v, key, strict: strict) }
                if !attrs.contains(.writable) {
                    if strict { throw typeError("Cannot assign to read only property '\(heap.string(key))' of object") }
                    return .done
                }
                return nil
            }
            cur = heap.objects[cur.index].proto
        }
        return nil
    }

    func accessorSet(_ pairValue: Value, _ key: StringID, strict: Bool) -> SetOutcome {
        guard case .object(let pair) = pairValue else { return .done }
        let s = heap.objects[pair.index].slot1
        if s.isUndefined {
            // No setter: silently ignored in sloppy mode; TypeError in strict mode is raised by the caller.
            return strict ? .setter(.undefined) : .done
        }
        return .setter(s)
    }

    public func setElement(_ id: ObjectID, _ i: Int, _ value: Value, strict: Bool) throws {
        let count = heap.objects[id.index].elements.count
        if heap.objects[id.index].flags.contains(.frozenElements) {
            if strict { throw typeError("Cannot assign to read only property '\(i)' of object") }
            return
        }
        if i < count && (!heap.objects[id.index].elements[i].isEmpty || heap.objects[id.index].flags.contains(.extensible)) {
            heap.objects[id.index].elements[i] = value
            return
        }
        if !heap.objects[id.index].flags.contains(.extensible) || heap.objects[id.index].flags.contains(.lengthReadOnly) {
            if strict { throw typeError("Cannot add property \(i), object is not extensible") }
            return
        }
        if i == count {
            heap.objects[id.index].elements.append(value)
            heap.bytesSinceGC &+= 16
            return
        }
        if i >= limits.maxArrayLength { throw rangeError("Invalid array length") }
        heap.objects[id.index].elements.reserveCapacity(i + 1)
        for _ in count..<i { heap.objects[id.index].elements.append(.empty) }
        heap.objects[id.index].elements.append(value)
        heap.bytesSinceGC &+= (i - count + 1) * 16
    }

    public func setArrayLength(_ id: ObjectID, _ value: Value, strict: Bool) throws {
        let d = toNumberPrimitive(value)
        guard d >= 0, d == d.rounded(), d < 4294967296 else { throw rangeError("Invalid array length") }
        let n = Int(d)
        let count = heap.objects[id.index].elements.count
        // A non-writable `length` refuses every [[Set]], even of the same value (OrdinarySet).
        if !heap.objects[id.index].flags.isDisjoint(with: [.frozenElements, .lengthReadOnly]) {
            if strict { throw typeError("Cannot assign to read only property 'length' of object") }
            return
        }
        if n == count { return }
        if n < count {
            if !heap.objects[id.index].keys.isEmpty, !truncateKeyedElements(id, to: n) {
                if strict { throw typeError("Cannot delete array element: property is not configurable") }
                return
            }
            heap.objects[id.index].elements.removeSubrange(n..<count)
        } else {
            if n > limits.maxArrayLength { throw rangeError("Invalid array length") }
            heap.objects[id.index].elements.append(contentsOf: repeatElement(Value.empty, count: n - count))
            heap.bytesSinceGC &+= (n - count) * 16
        }
    }

    /// Defines an own data property (object literals, natives): overwrites whatever is there.
    public func defineOwn(_ id: ObjectID, _ key: StringID, _ value: Value, _ attrs: PropertyFlags = .default) {
        let cls = heap.objects[id.index].cls
        if cls == .array || cls == .arguments, let i = indexOfKey(key), attrs == .default {
            let count = heap.objects[id.index].elements.count
            if i < count {
                heap.objects[id.index].elements[i] = value
                if cls == .arguments { argumentsElementWritten(id, i, value) }
                return
            }
            if i < limits.maxArrayLength {
                for _ in count..<i { heap.objects[id.index].elements.append(.empty) }
                heap.objects[id.index].elements.append(value)
                return
            }
        }
        let slot = findOwn(id, key)
        if slot >= 0 {
            heap.objects[id.index].values[slot] = value
            heap.objects[id.index].attributes[slot] = attrs
        } else {
            heap.objects[id.index].append(key, value, attrs)
        }
    }

    /// Defines a getter or setter half of an accessor property.
    public func defineAccessor(_ id: ObjectID, _ key: StringID, getter: Value?, setter: Value?, attrs: PropertyFlags = [.enumerable, .configurable]) {
        let slot = findOwn(id, key)
        if slot >= 0, heap.objects[id.index].attributes[slot].contains(.accessor),
           case .object(let pair) = heap.objects[id.index].values[slot] {
            if let getter { heap.objects[pair.index].slot0 = getter }
            if let setter { heap.objects[pair.index].slot1 = setter }
            heap.objects[id.index].attributes[slot] = attrs.union(.accessor)
            return
        }
        var p = JSObject(cls: .accessorPair, proto: .none, flags: [])
        p.slot0 = getter ?? .undefined
        p.slot1 = setter ?? .undefined
        let pair = heap.allocate(p)
        if slot >= 0 {
            heap.objects[id.index].values[slot] = .object(pair)
            heap.objects[id.index].attributes[slot] = attrs.union(.accessor)
        } else {
            heap.objects[id.index].append(key, .object(pair), attrs.union(.accessor))
        }
    }

    // MARK: Delete / has

    public func deleteProperty(_ id: ObjectID, _ key: StringID, strict: Bool) throws -> Bool {
        let cls = heap.objects[id.index].cls
        if cls == .array || cls == .arguments {
            if cls == .array && key == atoms.length {
                if strict { throw typeError("Cannot delete property 'length' of array") }
                return false
            }
            if let i = indexOfKey(key), i < heap.objects[id.index].elements.count, !heap.objects[id.index].elements[i].isEmpty {
                if heap.objects[id.index].flags.contains(.frozenElements) {
                    if strict { throw typeError("Cannot delete property '\(i)' of object") }
                    return false
                }
                heap.objects[id.index].elements[i] = .empty
                if cls == .arguments { argumentsUnmap(id, i) }
                return true
            }
        }
        if cls == .stringWrapper, key == atoms.length || indexOfKey(key) != nil, getOwnProperty(id, key) != nil {
            if strict { throw typeError("Cannot delete property '\(heap.string(key))' of string") }
            return false
        }
        let slot = findOwn(id, key)
        if slot < 0 { return true }
        if !heap.objects[id.index].attributes[slot].contains(.configurable) {
            if strict { throw typeError("Cannot delete property '\(heap.string(key))' of object") }
            return false
        }
        heap.objects[id.index].remove(at: slot)
        if cls == .arguments, let i = indexOfKey(key) { argumentsUnmap(id, i) }
        return true
    }

    public func hasProperty(_ id: ObjectID, _ key: StringID) -> Bool {
        var cur = id
        while !cur.isNone {
            if getOwnProperty(cur, key) != nil { return true }
            cur = heap.objects[cur.index].proto
        }
        return false
    }

    // MARK: Enumeration

    /// Own property keys in spec order: integer indices ascending, then strings in insertion order.
    public func ownKeys(_ id: ObjectID, onlyEnumerable: Bool) -> [StringID] {
        materializeFunctionProps(id)
        var result: [StringID] = []
        let o = heap.objects[id.index]
        switch o.cls {
        case .array, .arguments:
            for (i, v) in o.elements.enumerated() where !v.isEmpty { result.append(indexAtom(i)) }
        case .stringWrapper:
            if case .string(let s) = o.slot0 {
                for i in 0..<heap.strings[s.index].units.count { result.append(indexAtom(i)) }
            }
        default: break
        }
        var integerKeys: [(Int, StringID)] = []
        var named: [StringID] = []
        for (i, k) in o.keys.enumerated() {
            if onlyEnumerable && !o.attributes[i].contains(.enumerable) { continue }
            if let n = indexOfKey(k) { integerKeys.append((n, k)) } else { named.append(k) }
        }
        if !integerKeys.isEmpty {
            if o.cls == .array || o.cls == .arguments || o.cls == .stringWrapper {
                for k in result { integerKeys.append((indexOfKey(k) ?? 0, k)) }
                result.removeAll()
            }
            integerKeys.sort { $0.0 < $1.0 }
            result.append(contentsOf: integerKeys.map(\.1))
        }
        result.append(contentsOf: named)
        if !onlyEnumerable {
            if o.cls == .array { result.append(atoms.length) }
            if o.cls == .stringWrapper { result.append(atoms.length) }
        }
        return result
    }

    public func indexAtom(_ i: Int) -> StringID {
        if i < 10 { return charAtoms[48 + i] }
        return heap.intern(NumberFormatting.toUnits(Double(i)))
    }

    /// Keys visited by `for (k in o)`: enumerable string keys along the prototype chain, shadowing respected.
    func forInKeys(_ id: ObjectID) -> [Value] {
        var seen = Set<StringID>()
        var out: [Value] = []
        var cur = id
        var first = true
        while !cur.isNone {
            let all = ownKeys(cur, onlyEnumerable: false)
            for k in all {
                if seen.contains(k) { continue }
                seen.insert(k)
                if let (_, attrs) = getOwnProperty(cur, k), attrs.contains(.enumerable) { out.append(.string(k)) }
            }
            _ = first
            first = false
            cur = heap.objects[cur.index].proto
        }
        return out
    }
}
