// MARK: - Object layout

/// What kind of heap cell an object is. Stored as one byte; the codec writes the raw value.
public enum ObjectClass: UInt8, Sendable {
    /// A free slot (on the free list).
    case free = 0
    case ordinary
    /// `elements` holds the dense element store (holes are `.empty`); `length` is virtual.
    case array
    /// A script function: `code` = function index (see `VM.functions`), `link` = captured environment.
    case closure
    /// A native function: `code` = index in `Natives.table` (serialized by name).
    case native
    /// `link` = target function, `slot0` = bound this, `elements` = bound arguments.
    case bound
    case error
    /// Primitive wrappers: `slot0` = the primitive.
    case booleanWrapper, numberWrapper, stringWrapper
    /// `arguments` object: `elements` holds the values (unmapped, like strict mode).
    case arguments
    /// Environment record: `elements` = variable slots, `link` = parent environment.
    case environment
    /// Accessor pair stored as a property value: `slot0` = getter, `slot1` = setter (or `.undefined`).
    case accessorPair
}

/// Attribute bits of a property.
public struct PropertyFlags: OptionSet, Sendable, Hashable {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let writable = PropertyFlags(rawValue: 1)
    public static let enumerable = PropertyFlags(rawValue: 2)
    public static let configurable = PropertyFlags(rawValue: 4)
    /// The value is `.object(accessorPair)`.
    public static let accessor = PropertyFlags(rawValue: 8)
    /// Plain data property created by assignment.
    public static let `default`: PropertyFlags = [.writable, .enumerable, .configurable]
    /// Builtin methods: writable, configurable, not enumerable.
    public static let hidden: PropertyFlags = [.writable, .configurable]
}

/// Object-level flag bits.
public struct ObjectFlags: OptionSet, Sendable, Hashable {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let extensible = ObjectFlags(rawValue: 1)
    /// Function whose `length`/`name`/`prototype` own properties have not been created yet.
    public static let lazyFunctionProps = ObjectFlags(rawValue: 2)
    /// Function usable with `new`.
    public static let constructor = ObjectFlags(rawValue: 4)
    /// Closure of strict-mode code (this is not coerced).
    public static let strict = ObjectFlags(rawValue: 8)
    /// Arrow function (lexical this; not a constructor).
    public static let arrow = ObjectFlags(rawValue: 16)
    /// Array whose elements are all non-writable/non-configurable (Object.freeze on an array).
    public static let frozenElements = ObjectFlags(rawValue: 32)
    /// Array whose `length` is non-writable (Object.defineProperty(a, "length", {writable: false})).
    public static let lengthReadOnly = ObjectFlags(rawValue: 64)
    /// GC mark bit (always clear outside a collection).
    public static let marked = ObjectFlags(rawValue: 128)
}

/// One heap object. Plain data: everything is ids and values.
///
/// Named properties are kept in insertion order in the parallel arrays `keys`
/// (atom ids) and `values`/`attributes`. A lookup is a linear scan over `keys`
/// comparing integers; objects with many properties also get `index` (atom → slot),
/// which is a cache rebuilt on demand and never serialized.
public struct JSObject: Sendable {
    public var cls: ObjectClass
    public var flags: ObjectFlags
    /// Prototype, or `.none` for null.
    public var proto: ObjectID
    public var keys: [StringID]
    public var values: [Value]
    public var attributes: [PropertyFlags]
    /// Lookup cache for objects with many properties (not part of the state).
    public var index: [StringID: Int32]?
    /// Array / arguments elements, environment slots, bound arguments.
    public var elements: [Value]
    /// Function index (closure) or native index (native).
    public var code: UInt32
    /// Closure environment, environment parent, bound target.
    public var link: ObjectID
    /// Class-specific: wrapper primitive, bound this, getter, error name marker.
    public var slot0: Value
    /// Class-specific: setter.
    public var slot1: Value

    public init(cls: ObjectClass, proto: ObjectID, flags: ObjectFlags = .extensible) {
        self.cls = cls
        self.flags = flags
        self.proto = proto
        self.keys = []
        self.values = []
        self.attributes = []
        self.index = nil
        self.elements = []
        self.code = 0
        self.link = .none
        self.slot0 = .undefined
        self.slot1 = .undefined
    }

    static let indexThreshold = 12

    /// Slot of an own named property, or -1.
    @inlinable public func find(_ key: StringID) -> Int {
        if let index { if let i = index[key] { return Int(i) }; return -1 }
        var i = 0
        let n = keys.count
        while i < n {
            if keys[i] == key { return i }
            i += 1
        }
        return -1
    }

    public mutating func append(_ key: StringID, _ value: Value, _ attrs: PropertyFlags) {
        keys.append(key)
        values.append(value)
        attributes.append(attrs)
        if index != nil {
            index![key] = Int32(keys.count - 1)
        } else if keys.count > JSObject.indexThreshold {
            rebuildIndex()
        }
    }

    public mutating func remove(at slot: Int) {
        keys.remove(at: slot)
        values.remove(at: slot)
        attributes.remove(at: slot)
        if index != nil { rebuildIndex() }
    }

    public mutating func rebuildIndex() {
        var d = [StringID: Int32](minimumCapacity: keys.count)
        for (i, k) in keys.enumerated() { d[k] = Int32(i) }
        index = d
    }
}
