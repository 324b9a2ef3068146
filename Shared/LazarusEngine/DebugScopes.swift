// MARK: - Debug scopes: where a function's variables live, by pc range

/// A lexical scope of one function as the compiler laid it out: the pc range in which it
/// is active and where each of its variables lives. Read by `lazarus inspect`
/// (SnapshotInspection.swift) to name registers and environment slots of a suspended frame.
///
/// Not part of `CompiledProgram.canonicalBytes`: debug scopes never change what the code
/// does, so a snapshot stays restorable (and inspectable) whatever this table holds.
public struct DebugScope: Sendable, Hashable {
    /// First pc of the scope (before its `pushEnv`, if any).
    public var start: Int32
    /// One past the last pc at which the scope is current (its `popEnv` included).
    public var end: Int32
    /// First pc at which the scope's environment record is the frame's current one
    /// (after `pushEnv`); meaningful only when `hasEnvironment`.
    public var environmentStart: Int32
    /// Index of the enclosing scope in the same function's `scopes`, or -1.
    public var parent: Int32
    /// The scope pushes an environment record (it has captured variables).
    public var hasEnvironment: Bool
    /// Number of slots of that environment record.
    public var environmentSize: Int32
    /// Its variables, in declaration order.
    public var variables: [DebugVariable]

    /// Whether the scope is current before the instruction at `pc` runs.
    public func contains(_ pc: Int) -> Bool { Int(start) <= pc && pc < Int(end) }

    /// Whether the scope's environment record is the current one before `pc` runs.
    public func environmentActive(at pc: Int) -> Bool {
        hasEnvironment && Int(environmentStart) <= pc && pc < Int(end)
    }
}

/// A named variable of a `DebugScope`.
public struct DebugVariable: Sendable, Hashable {
    public enum Location: Sendable, Hashable {
        /// `stack[frame.base + register]`.
        case register(Int32)
        /// Slot of the scope's environment record.
        case environment(Int32)
        /// A property of the global object (top-level `var` and function declarations).
        case global
    }

    public var name: String
    public var location: Location

    public init(name: String, location: Location) {
        self.name = name
        self.location = location
    }
}
