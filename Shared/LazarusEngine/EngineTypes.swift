// MARK: - Public types of the engine surface

/// Engine ABI version: bump whenever bytecode, heap layout, natives or the prelude
/// change in a way that makes old snapshots unusable. Folded into `programHash`.
public let engineABIVersion: UInt32 = 2

/// Governance limits of one VM. All exceeded limits are catchable script errors
/// (`RangeError`), except the instruction budget which suspends the VM.
public struct EngineLimits: Sendable, Hashable {
    /// Maximum live heap estimate in bytes (objects, properties, elements, string units).
    public var maxHeapBytes: Int = 256 << 20
    /// Maximum live heap cells (objects + strings).
    public var maxHeapCells: Int = 4_000_000
    /// Maximum number of script frames (`RangeError: Maximum call stack size exceeded`).
    public var maxStackDepth: Int = 2_000
    /// Maximum string length in UTF-16 units (`RangeError: Invalid string length`).
    public var maxStringLength: Int = 1 << 27
    /// Maximum array length reachable by writes (`RangeError: Invalid array length`).
    public var maxArrayLength: Int = 1 << 25
    /// Collect after this many allocations (or when the heap doubled since the last collection).
    public var gcAllocationInterval: Int = 100_000

    public init() {}
}

/// How `console.log` output leaves the VM.
public enum ConsoleMode: Sendable {
    /// Lines are appended to `VM.output` (the driver drains it).
    case buffer
    /// Lines are handed to the callback as they are printed (local runner, tests).
    case direct(@Sendable (String) -> Void)
    /// `console.log(...)` becomes a `log` host call with one string argument (services).
    case hostCall
}

/// A host call the VM is waiting on.
public struct PendingHostCall: Sendable, Hashable {
    /// Counts host calls since the start of the job (0-based); part of the VM state.
    public var seq: Int
    /// e.g. `records.create`, `checkpoint`, `now`.
    public var name: String
    public var arguments: [HostValue]
    public init(seq: Int, name: String, arguments: [HostValue]) {
        self.seq = seq
        self.name = name
        self.arguments = arguments
    }
}

/// What the driver answers to a host call.
public enum HostResult: Sendable, Hashable {
    case value(HostValue)
    /// Thrown at the call site as a catchable JS error (`name` picks the constructor:
    /// Error, TypeError, RangeError… ; anything else becomes an Error with that `name`).
    case error(name: String, message: String)
}

/// One line of a script stack trace.
public struct ScriptStackFrame: Sendable, Hashable, CustomStringConvertible {
    public var function: String
    public var line: Int
    public var column: Int
    public init(function: String, line: Int, column: Int) {
        self.function = function
        self.line = line
        self.column = column
    }
    public var description: String { "    at \(function) (\(line):\(column))" }
}

/// An uncaught script error.
public struct ScriptError: Error, Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var message: String
    public var stack: [ScriptStackFrame]
    /// The thrown value, when it was not an Error object (e.g. `throw 42`).
    public var thrownValue: HostValue?
    public init(name: String, message: String, stack: [ScriptStackFrame], thrownValue: HostValue? = nil) {
        self.name = name
        self.message = message
        self.stack = stack
        self.thrownValue = thrownValue
    }
    /// `Name: message` then one `    at f (line:col)` line per frame.
    public var description: String {
        var s = message.isEmpty ? name : "\(name): \(message)"
        for f in stack { s += "\n\(f)" }
        return s
    }
}

/// Result of `VM.run(budget:)`.
public enum RunResult: Sendable {
    /// The script (and `main`, if any) finished; the value `main` (or nothing) returned.
    case completed(HostValue)
    case failed(ScriptError)
    /// Suspended on a host call: answer with `VM.resume(_:)`, then `run` again.
    case hostCall(PendingHostCall)
    /// The instruction budget of this slice ran out: `run` again to continue.
    case budgetExhausted
}

/// Lifecycle of a VM.
public enum VMStatus: UInt8, Sendable {
    case ready = 0, running, awaitingHost, completed, failed
}

/// A JavaScript exception propagating through Swift code (natives, VM helpers).
public struct ThrowSignal: Error {
    public var value: Value
    public init(_ value: Value) { self.value = value }
}

/// The running state contradicts the code (only a forged snapshot can do that): the job
/// fails with an InternalError, which scripts cannot catch.
enum InconsistentState: Error, CustomStringConvertible {
    case environment
    var description: String {
        switch self {
        case .environment: return "inconsistent state: the code reads a variable its environment does not have (was the snapshot tampered with?)"
        }
    }
}

/// Internal errors of the engine itself (bugs or misuse by the driver), never script errors.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "engine error: \(message)" }
}
