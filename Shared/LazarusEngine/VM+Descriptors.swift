// MARK: - Property descriptors: [[DefineOwnProperty]], integrity levels (builtins library)
//
// Arrays and `arguments` keep their elements in `elements` with the default attributes.
// An element with other attributes (or an accessor) lives as a named property keyed by its
// index atom, and its slot in `elements` is a hole (`.empty`); for arrays the hole keeps
// `length == elements.count` covering it. `getOwnProperty`, `setProperty`, `deleteProperty`
// and `ownKeys` (VM+Objects.swift) consult the named property behind a hole.

/// A property descriptor: every field optional (ECMA-262 6.2.6).
public struct PropertyDescriptor {
    public var value: Value?
    public var get: Value?
    public var set: Value?
    public var writable: Bool?
    public var enumerable: Bool?
    public var configurable: Bool?

    public init(value: Value? = nil, get: Value? = nil, set: Value? = nil,
                writable: Bool? = nil, enumerable: Bool? = nil, configurable: Bool? = nil) {
        self.value = value; self.get = get; self.set = set
        self.writable = writable; self.enumerable = enumerable; self.configurable = configurable
    }

    public var isAccessor: Bool { self.get != nil || self.set != nil }
    public var isData: Bool { value != nil || writable != nil }
    public var isGeneric: Bool { !isAccessor && !isData }
}

extension VM {
    /// True when element `i` of an array is a hole backed by a named property.
    @inline(__always)
    func isKeyedElement(_ id: ObjectID, _ i: Int) -> Bool {
        if heap.objects[id.index].keys.isEmpty { return false }
        if i < heap.objects[id.index].elements.count, !heap.objects[id.index].elements[i].isEmpty { return false }
        let key = indexAtom(i)
        return heap.objects[id.index].find(key) >= 0
    }

    /// Deletes named index properties `>= n` of an array, from the highest down. Stops at a
    /// non-configurable one: then the elements above it are dropped, `length` becomes its
    /// index + 1, and the result is false.
    func truncateKeyedElements(_ id: ObjectID, to n: Int) -> Bool {
        var keyed: [(Int, Int)] = []   // (index, slot)
        for (slot, k) in heap.objects[id.index].keys.enumerated() {
            if let i = indexOfKey(k), i >= n { keyed.append((i, slot)) }
        }
        if keyed.isEmpty { return true }
        keyed.sort { $0.0 > $1.0 }
        var stop = -1
        for (i, slot) in keyed where !heap.objects[id.index].attributes[slot].contains(.configurable) {
            stop = max(stop, i)
        }
        let cut = stop >= 0 ? stop + 1 : n
        var slots = keyed.filter { $0.0 >= cut }.map(\.1)
        slots.sort(by: >)
        for s in slots { heap.objects[id.index].remove(at: s) }
        if stop >= 0 {
            let count = heap.objects[id.index].elements.count
            if cut < count { heap.objects[id.index].elements.removeSubrange(cut..<count) }
            return false
        }
        return true
    }

    // MARK: Descriptor objects

    /// ToPropertyDescriptor on a data-only descriptor object; nil when reading it would run
    /// script code (a getter on one of its fields): the caller then goes through the prelude.
    public func toPropertyDescriptor(_ v: Value) throws -> PropertyDescriptor? {
        guard case .object(let d) = v else { throw typeError("Property description must be an object: \(toSwiftString(v))") }
        var desc = PropertyDescriptor()
        var needsScript = false
        func field(_ name: String) -> Value? {
            let key = heap.intern(name)
            var cur = d
            while !cur.isNone {
                if let (pv, attrs) = getOwnProperty(cur, key) {
                    if attrs.contains(.accessor) {
                        if case .object(let pair) = pv, !heap.objects[pair.index].slot0.isUndefined { needsScript = true }
                        return .undefined
                    }
                    return pv
                }
                cur = heap.objects[cur.index].proto
            }
            return nil
        }
        if let e = field("enumerable") { desc.enumerable = toBoolean(e) }
        if let c = field("configurable") { desc.configurable = toBoolean(c) }
        if let val = field("value") { desc.value = val }
        if let w = field("writable") { desc.writable = toBoolean(w) }
        if let g = field("get") { desc.get = g }
        if let s = field("set") { desc.set = s }
        if needsScript { return nil }
        if let g = desc.get, !g.isUndefined, !isCallable(g) { throw typeError("Getter must be a function: \(toSwiftString(g))") }
        if let s = desc.set, !s.isUndefined, !isCallable(s) { throw typeError("Setter must be a function: \(toSwiftString(s))") }
        if desc.isAccessor && desc.isData {
            throw typeError("Invalid property descriptor. Cannot both specify accessors and a value or writable attribute")
        }
        return desc
    }

    /// FromPropertyDescriptor of an own property (undefined when absent).
    public func ownPropertyDescriptorObject(_ o: ObjectID, _ key: StringID) -> Value {
        guard let (v, attrs) = getOwnProperty(o, key) else { return .undefined }
        let r = newObject()
        if attrs.contains(.accessor) {
            var g = Value.undefined, s = Value.undefined
            if case .object(let pair) = v { g = heap.objects[pair.index].slot0; s = heap.objects[pair.index].slot1 }
            defineOwn(r, heap.intern("get"), g)
            defineOwn(r, heap.intern("set"), s)
        } else {
            defineOwn(r, heap.intern("value"), v)
            defineOwn(r, heap.intern("writable"), .bool(attrs.contains(.writable)))
        }
        defineOwn(r, heap.intern("enumerable"), .bool(attrs.contains(.enumerable)))
        defineOwn(r, heap.intern("configurable"), .bool(attrs.contains(.configurable)))
        return .object(r)
    }

    // MARK: [[DefineOwnProperty]]

    /// [[DefineOwnProperty]](key, desc): ValidateAndApplyPropertyDescriptor plus the array
    /// `length`/index rules. Returns false when the definition is refused.
    public func defineOwnProperty(_ o: ObjectID, _ key: StringID, _ desc: PropertyDescriptor) throws -> Bool {
        let cls = heap.objects[o.index].cls
        if cls == .array {
            if key == atoms.length { return try arraySetLength(o, desc) }
            if let i = indexOfKey(key) {
                let count = heap.objects[o.index].elements.count
                if i >= count && !heap.objects[o.index].flags.isDisjoint(with: [.lengthReadOnly, .frozenElements]) { return false }
                if i >= limits.maxArrayLength { throw rangeError("Invalid array length") }
                return ordinaryDefine(o, key, desc, elementIndex: i)
            }
        }
        if cls == .arguments, let i = indexOfKey(key), i < heap.objects[o.index].elements.count {
            let ok = ordinaryDefine(o, key, desc, elementIndex: i)
            if ok { argumentsElementDefined(o, i, desc) }  // mapped arguments (VM+Calls.swift)
            return ok
        }
        if cls == .stringWrapper, case .string(let s) = heap.objects[o.index].slot0 {
            if key == atoms.length || (indexOfKey(key).map { $0 < heap.strings[s.index].units.count } ?? false) {
                // Virtual, non-writable, non-configurable: only a no-op redefinition passes.
                return validateOnly(o, key, desc)
            }
        }
        return ordinaryDefine(o, key, desc, elementIndex: nil)
    }

    /// Throws the TypeError of a refused definition.
    public func definePropertyOrThrow(_ o: ObjectID, _ key: StringID, _ desc: PropertyDescriptor) throws {
        if try !defineOwnProperty(o, key, desc) {
            throw typeError("Cannot redefine property: \(heap.string(key))")
        }
    }

    private func validateOnly(_ o: ObjectID, _ key: StringID, _ desc: PropertyDescriptor) -> Bool {
        guard let (cv, cattrs) = getOwnProperty(o, key) else { return false }
        return compatible(cv, cattrs, desc)
    }

    /// The part of ValidateAndApplyPropertyDescriptor that decides whether a change of an
    /// existing property is allowed.
    private func compatible(_ cv: Value, _ cattrs: PropertyFlags, _ desc: PropertyDescriptor) -> Bool {
        if cattrs.contains(.configurable) { return true }
        if desc.configurable == true { return false }
        if let e = desc.enumerable, e != cattrs.contains(.enumerable) { return false }
        if desc.isGeneric { return true }
        let curAccessor = cattrs.contains(.accessor)
        if desc.isAccessor != curAccessor { return false }
        if curAccessor {
            guard case .object(let pair) = cv else { return false }
            if let g = desc.get, !sameValue(g, heap.objects[pair.index].slot0) { return false }
            if let s = desc.set, !sameValue(s, heap.objects[pair.index].slot1) { return false }
            return true
        }
        if !cattrs.contains(.writable) {
            if desc.writable == true { return false }
            if let v = desc.value, !sameValue(v, cv) { return false }
        }
        return true
    }

    private func ordinaryDefine(_ o: ObjectID, _ key: StringID, _ desc: PropertyDescriptor, elementIndex: Int?) -> Bool {
        let current = getOwnProperty(o, key)
        var newValue: Value
        var newAttrs: PropertyFlags
        if let (cv, cattrs) = current {
            if !compatible(cv, cattrs, desc) { return false }
            // Frozen array elements: a compatible definition changes nothing.
            if let i = elementIndex, heap.objects[o.index].flags.contains(.frozenElements),
               i < heap.objects[o.index].elements.count, !heap.objects[o.index].elements[i].isEmpty { return true }
            newAttrs = cattrs.intersection([.enumerable, .configurable])
            if let e = desc.enumerable { newAttrs.set(.enumerable, e) }
            if let c = desc.configurable { newAttrs.set(.configurable, c) }
            let curAccessor = cattrs.contains(.accessor)
            if desc.isAccessor || (desc.isGeneric && curAccessor) {
                var g = Value.undefined, s = Value.undefined
                if curAccessor, case .object(let pair) = cv { g = heap.objects[pair.index].slot0; s = heap.objects[pair.index].slot1 }
                if let dg = desc.get { g = dg }
                if let ds = desc.set { s = ds }
                newValue = newAccessorPair(g, s)
                newAttrs.insert(.accessor)
            } else {
                newValue = curAccessor ? .undefined : cv
                var w = curAccessor ? false : cattrs.contains(.writable)
                if let dv = desc.value { newValue = dv }
                if let dw = desc.writable { w = dw }
                newAttrs.set(.writable, w)
            }
            if curAccessor && newAttrs.contains(.accessor), case .object(let pair) = cv, case .object(let np) = newValue {
                // Reuse the existing pair object.
                heap.objects[pair.index].slot0 = heap.objects[np.index].slot0
                heap.objects[pair.index].slot1 = heap.objects[np.index].slot1
                newValue = cv
            }
        } else {
            if !heap.objects[o.index].flags.contains(.extensible) { return false }
            newAttrs = []
            if desc.enumerable == true { newAttrs.insert(.enumerable) }
            if desc.configurable == true { newAttrs.insert(.configurable) }
            if desc.isAccessor {
                newValue = newAccessorPair(desc.get ?? .undefined, desc.set ?? .undefined)
                newAttrs.insert(.accessor)
            } else {
                newValue = desc.value ?? .undefined
                if desc.writable == true { newAttrs.insert(.writable) }
            }
        }
        store(o, key, newValue, newAttrs, elementIndex: elementIndex)
        return true
    }

    private func newAccessorPair(_ g: Value, _ s: Value) -> Value {
        var p = JSObject(cls: .accessorPair, proto: .none, flags: [])
        p.slot0 = g
        p.slot1 = s
        return .object(heap.allocate(p))
    }

    /// Writes a property with its attributes, choosing between the element store and a
    /// named property for array / arguments indices.
    private func store(_ o: ObjectID, _ key: StringID, _ value: Value, _ attrs: PropertyFlags, elementIndex: Int?) {
        if let i = elementIndex {
            if attrs == .default {
                let slot = heap.objects[o.index].find(key)
                if slot >= 0 { heap.objects[o.index].remove(at: slot) }
                let count = heap.objects[o.index].elements.count
                if i < count { heap.objects[o.index].elements[i] = value; return }
                heap.objects[o.index].elements.append(contentsOf: repeatElement(Value.empty, count: i - count))
                heap.objects[o.index].elements.append(value)
                return
            }
            let count = heap.objects[o.index].elements.count
            if i < count {
                heap.objects[o.index].elements[i] = .empty
            } else if heap.objects[o.index].cls == .array {
                heap.objects[o.index].elements.append(contentsOf: repeatElement(Value.empty, count: i + 1 - count))
            }
        }
        let slot = findOwn(o, key)
        if slot >= 0 {
            heap.objects[o.index].values[slot] = value
            heap.objects[o.index].attributes[slot] = attrs
        } else {
            heap.objects[o.index].append(key, value, attrs)
        }
    }

    /// ArraySetLength (ECMA-262 10.4.2.4).
    private func arraySetLength(_ a: ObjectID, _ desc: PropertyDescriptor) throws -> Bool {
        let count = heap.objects[a.index].elements.count
        let readOnly = !heap.objects[a.index].flags.isDisjoint(with: [.lengthReadOnly, .frozenElements])
        // length is { writable: !readOnly, enumerable: false, configurable: false }.
        if desc.configurable == true || desc.enumerable == true || desc.isAccessor { return false }
        guard let v = desc.value else {
            if readOnly && desc.writable == true { return false }
            if desc.writable == false { heap.objects[a.index].flags.insert(.lengthReadOnly) }
            return true
        }
        let num = toNumberPrimitive(v)
        let newLen = Double(NumberFormatting.toUint32(num))
        if newLen != num { throw rangeError("Invalid array length") }
        let n = Int(newLen)
        if n == count {
            if readOnly && desc.writable == true { return false }
            if desc.writable == false { heap.objects[a.index].flags.insert(.lengthReadOnly) }
            return true
        }
        if readOnly { return false }
        if n > count {
            if n > limits.maxArrayLength { throw rangeError("Invalid array length") }
            heap.objects[a.index].elements.append(contentsOf: repeatElement(Value.empty, count: n - count))
            heap.bytesSinceGC &+= (n - count) * 16
        } else {
            let ok = heap.objects[a.index].keys.isEmpty || truncateKeyedElements(a, to: n)
            let c = heap.objects[a.index].elements.count
            if ok && n < c { heap.objects[a.index].elements.removeSubrange(n..<c) }
            if !ok {
                if desc.writable == false { heap.objects[a.index].flags.insert(.lengthReadOnly) }
                return false
            }
        }
        if desc.writable == false { heap.objects[a.index].flags.insert(.lengthReadOnly) }
        return true
    }

    // MARK: Integrity levels

    /// Moves every element of an array / arguments object into named properties with
    /// `attrs` (used by seal, and by freeze on `arguments`).
    private func elementsToKeys(_ o: ObjectID, _ attrs: PropertyFlags) {
        let els = heap.objects[o.index].elements
        for (i, v) in els.enumerated() where !v.isEmpty {
            heap.objects[o.index].elements[i] = .empty
            let key = indexAtom(i)
            heap.objects[o.index].append(key, v, attrs)
        }
        if heap.objects[o.index].cls == .arguments {
            // Arguments have no virtual length: their elements may go entirely.
            heap.objects[o.index].elements = []
        }
    }

    /// SetIntegrityLevel(o, sealed/frozen) — never fails for ordinary objects.
    public func setIntegrity(_ o: ObjectID, frozen: Bool) {
        materializeFunctionProps(o)
        heap.objects[o.index].flags.remove(.extensible)
        let cls = heap.objects[o.index].cls
        if cls == .array {
            if frozen { heap.objects[o.index].flags.insert(.frozenElements) } else { elementsToKeys(o, [.writable, .enumerable]) }
        } else if cls == .arguments {
            if frozen { heap.objects[o.index].code = 0 }  // read-only elements are no longer mapped
            elementsToKeys(o, frozen ? [.enumerable] : [.writable, .enumerable])
        }
        for i in heap.objects[o.index].attributes.indices {
            var a = heap.objects[o.index].attributes[i]
            a.remove(.configurable)
            if frozen && !a.contains(.accessor) { a.remove(.writable) }
            heap.objects[o.index].attributes[i] = a
        }
    }

    /// TestIntegrityLevel(o, sealed/frozen).
    public func testIntegrity(_ o: ObjectID, frozen: Bool) -> Bool {
        if heap.objects[o.index].flags.contains(.extensible) { return false }
        for k in ownKeys(o, onlyEnumerable: false) {
            guard let (_, a) = getOwnProperty(o, k) else { continue }
            if a.contains(.configurable) { return false }
            if frozen && !a.contains(.accessor) && a.contains(.writable) { return false }
        }
        return true
    }
}

extension PropertyFlags {
    @inline(__always) mutating func set(_ f: PropertyFlags, _ on: Bool) {
        if on { insert(f) } else { remove(f) }
    }
}
