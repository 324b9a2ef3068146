// MARK: - Native functions: a permanents table of stable names

/// Arguments of a native call: a view on the VM's value stack, valid only during the call.
public struct NativeArgs {
    @usableFromInline let base: UnsafeMutablePointer<Value>
    public let count: Int
    @inlinable init(base: UnsafeMutablePointer<Value>, count: Int) { self.base = base; self.count = count }
    /// The i-th argument, `undefined` when absent.
    @inlinable public subscript(i: Int) -> Value { i < count ? base[i] : .undefined }
    public var array: [Value] { Array(UnsafeBufferPointer(start: base, count: count)) }
    public func dropFirst(_ n: Int) -> [Value] { n >= count ? [] : Array(UnsafeBufferPointer(start: base + n, count: count - n)) }
}

/// How a native finishes.
public enum NativeResult {
    case value(Value)
    /// Tail call: the native's result is whatever this function returns. The VM pushes a
    /// frame for it (no Swift frame stays live), so script code run this way may suspend.
    case call(function: Value, this: Value, arguments: [Value])
    /// Suspend the VM on a host call (only the host API natives do this).
    case hostCall(name: String, arguments: [Value])
}

/// A native: `(vm, this, args) throws -> NativeResult`. Throw `ThrowSignal` (see
/// `VM.typeError(_:)` etc.) for a JS exception. `vm.newTarget` is the constructor when
/// called with `new`, `.undefined` otherwise.
public typealias NativeFunction = (VM, Value, NativeArgs) throws -> NativeResult

/// One entry of the permanents table.
///
/// `name` is stable (snapshots store it) and also says where the realm installs the
/// function: a dotted path from the global object (`"Array.prototype.push"`,
/// `"Math.max"`, `"records.create"`; missing intermediate objects are created as plain
/// objects), or `"%name"` for internals reachable only from the prelude as
/// `I.name` (the intrinsics object handed to the prelude).
public struct NativeEntry {
    public var name: String
    /// `length` property.
    public var length: Int
    /// Usable with `new` (gets a `prototype`; see `prototypeIntrinsic`).
    public var isConstructor: Bool
    /// For builtin constructors: the realm's prototype object to link as `prototype`.
    public var prototypeIntrinsic: Intrinsic?
    public var function: NativeFunction

    public init(_ name: String, length: Int = 0, constructor: Bool = false, prototype: Intrinsic? = nil, _ function: @escaping NativeFunction) {
        self.name = name
        self.length = length
        self.isConstructor = constructor
        self.prototypeIntrinsic = prototype
        self.function = function
    }
}

/// The permanents table. Index = position; snapshots refer to natives by `name`.
/// To add natives, add an array to `Natives.groups` (one file per library area).
public enum Natives {
    nonisolated(unsafe) public static let table: [NativeEntry] = {
        var all: [NativeEntry] = []
        for g in groups { all.append(contentsOf: g) }
        return all
    }()

    /// Name → index.
    nonisolated(unsafe) public static let index: [String: Int] = {
        var d: [String: Int] = [:]
        for (i, e) in table.enumerated() {
            precondition(d[e.name] == nil, "duplicate native \(e.name)")
            d[e.name] = i
        }
        return d
    }()

    /// Where `createRealm` installs each native, shorter paths first (constructors before
    /// their methods): the table index and the name split at dots. Worked out once per
    /// process, not once per VM.
    nonisolated(unsafe) static let installOrder: [(index: Int, path: [String])] = {
        let paths = table.map { $0.name.split(separator: ".").map(String.init) }
        let order = table.indices.sorted { a, b in
            paths[a].count != paths[b].count ? paths[a].count < paths[b].count : a < b
        }
        return order.map { ($0, paths[$0]) }
    }()

    /// Groups of natives, installed in this order (paths with fewer dots first).
    static var groups: [[NativeEntry]] {
        [coreNatives, hostNatives, builtinNatives]
    }
}
