// MARK: - Value: the POD representation of every JavaScript value

/// Index of a string in `Heap.strings`. Trivial, copyable, no ARC.
public struct StringID: Hashable, Sendable {
    public var raw: UInt32
    @inlinable public init(_ raw: UInt32) { self.raw = raw }
    @inlinable public var index: Int { Int(raw) }
}

/// Index of an object in `Heap.objects` (ordinary objects, arrays, functions,
/// environments — every heap cell that is not a string).
public struct ObjectID: Hashable, Sendable {
    public var raw: UInt32
    @inlinable public init(_ raw: UInt32) { self.raw = raw }
    @inlinable public var index: Int { Int(raw) }
    /// Id 0 is never allocated: it means "no object" (e.g. a null prototype,
    /// the end of an environment chain).
    public static let none = ObjectID(0)
    @inlinable public var isNone: Bool { raw == 0 }
}

/// A JavaScript value. A trivial enum: copying it never touches a reference count.
/// Strings and objects are ids into the VM's `Heap`.
///
/// `.empty` is internal: it marks an array hole, an uninitialized `let`/`const`
/// binding (temporal dead zone) and "no value" in a few internal places. Scripts
/// never observe it (reads of holes produce `undefined`; reads of TDZ bindings throw).
public enum Value: Sendable, Equatable {
    case undefined
    case null
    case bool(Bool)
    case number(Double)
    case string(StringID)
    case object(ObjectID)
    case empty

    @inlinable public var isUndefined: Bool { if case .undefined = self { return true }; return false }
    @inlinable public var isNullish: Bool {
        switch self { case .undefined, .null: return true; default: return false }
    }
    @inlinable public var isObject: Bool { if case .object = self { return true }; return false }
    @inlinable public var asObject: ObjectID? { if case .object(let o) = self { return o }; return nil }
    @inlinable public var asNumber: Double? { if case .number(let d) = self { return d }; return nil }
    @inlinable public var asString: StringID? { if case .string(let s) = self { return s }; return nil }
    @inlinable public var isEmpty: Bool { if case .empty = self { return true }; return false }

    public static let `true` = Value.bool(true)
    public static let `false` = Value.bool(false)
}
