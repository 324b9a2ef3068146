import LazarusSyntax

// MARK: - Frames and loaded code

/// One activation of a script function. `this` is `stack[base - 1]`, the callee is
/// `stack[base - 2]`, registers are `stack[base ..< base + registerCount]` and the
/// operand stack follows them.
public struct Frame: Sendable, Hashable {
    /// Flat function index (see `VM.functions`).
    public var function: Int32
    /// Next instruction to execute.
    public var pc: Int32
    public var base: Int32
    /// Current environment record (object id, `.none` when the function has none).
    public var env: ObjectID
    /// Number of arguments actually passed.
    public var argc: Int32
    public var flags: FrameFlags
}

public struct FrameFlags: OptionSet, Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Called with `new`: a non-object return value is replaced by `this`.
    public static let construct = FrameFlags(rawValue: 1)
    /// The return value is dropped (setter calls).
    public static let discardResult = FrameFlags(rawValue: 2)
    /// Top-level code of a unit (prelude or program).
    public static let script = FrameFlags(rawValue: 4)
    /// The return value is the completion of the `main(args)` call.
    public static let main = FrameFlags(rawValue: 8)
    /// Getter called by `getMethod`: on return push the result, then the receiver (`this`).
    public static let pushReceiver = FrameFlags(rawValue: 16)
}

/// Per-function data the interpreter needs, with code in stable memory (no ARC in the loop).
/// Derived from the compiled units on load; not part of the snapshot.
struct LoadedFunction {
    var code: UnsafeMutablePointer<Instruction>
    var count: Int
    var registerCount: Int
    var paramCount: Int
    var maxStack: Int
    var flags: FunctionFlags
    var argumentsRegister: Int
    var restRegister: Int
    var unit: Int
}

/// The immutable link-time data of a compiled unit: its constants as UTF-16 units and its
/// functions' code in stable memory (freed with this object). The prelude's is built once
/// per process and shared by every VM, so creating or restoring a VM copies no prelude
/// code and converts none of its strings (`Prelude.linkedCode()`).
final class LinkedCode: @unchecked Sendable {
    // @unchecked Sendable: immutable after init (the code memory is never written).
    let strings: [[UInt16]]
    /// `unit` is 0 here; `VM.link` sets it to the unit's index.
    let functions: [LoadedFunction]

    init(_ unit: CompiledUnit) {
        strings = unit.strings.indices.map { unit.stringUnits($0) }
        functions = unit.functions.map { f in
            let code = UnsafeMutablePointer<Instruction>.allocate(capacity: max(1, f.code.count))
            for (i, ins) in f.code.enumerated() { (code + i).initialize(to: ins) }
            return LoadedFunction(code: code, count: f.code.count, registerCount: Int(f.registerCount),
                                  paramCount: Int(f.paramCount), maxStack: Int(f.maxStack), flags: f.flags,
                                  argumentsRegister: Int(f.argumentsRegister), restRegister: Int(f.restRegister),
                                  unit: 0)
        }
    }

    deinit { for f in functions { f.code.deallocate() } }
}

/// A loaded compilation unit: constant atoms (pinned heap strings), numbers, inline caches.
struct LoadedUnit {
    var unit: CompiledUnit
    var strings: UnsafeMutablePointer<StringID>
    var numbers: UnsafeMutablePointer<Double>
    var cache: UnsafeMutablePointer<Int32>
    /// Flat index of the unit's function 0.
    var functionBase: Int
}

// MARK: - VM

/// Exclusivity: the hot stored properties are `@exclusivity(unchecked)`: the VM is
/// driven by one thread and the interpreter never holds overlapping accesses to them
/// (dynamic checks were 35% of the run time).
///
/// A JavaScript virtual machine. All state is plain data (see docs/ENGINE.md):
/// `heap`, `valueStack[0..<sp]`, `frames`, `realm`, counters and the pending host call.
/// Not thread-safe; drive it from one task at a time.
public final class VM {
    @exclusivity(unchecked) public var heap = Heap()
    /// Whether the heap's baseline cells already use the snapshot baseline's arrays.
    var sharesBaselineStorage = false
    /// The value stack (registers and operand stacks of all frames), `sp` values in use.
    @exclusivity(unchecked) public internal(set) var stack: UnsafeMutablePointer<Value>
    @exclusivity(unchecked) public internal(set) var stackCapacity: Int
    @exclusivity(unchecked) public var sp: Int = 0
    @exclusivity(unchecked) public var frames: [Frame] = []
    /// Well-known objects, indexed by `Intrinsic.rawValue`.
    @exclusivity(unchecked) public var realm: [ObjectID] = []
    /// Host calls made since the start of the job.
    @exclusivity(unchecked) public var hostCallSeq: Int = 0
    /// Instructions executed since the start of the job.
    @exclusivity(unchecked) public var instructionCount: UInt64 = 0
    public var pendingHostCall: PendingHostCall?
    @exclusivity(unchecked) public var status: VMStatus = .ready
    /// State of `Math.random`'s xorshift generator (deterministic, part of the state).
    public var prngState: UInt64 = 0x9E37_79B9_7F4A_7C15
    /// `main(args)` is called after the top level when it is defined: the args, or nil.
    public var mainArguments: HostValue?
    /// The value the job completes with.
    @exclusivity(unchecked) public var completionValue: Value = .undefined
    /// The failure, once `status == .failed`.
    public var failure: ScriptError?
    /// Output lines (ConsoleMode.buffer).
    public var output: [String] = []
    /// SHA-256 of the loaded program (`CompiledProgram.programHash`); empty until `load`
    /// or `linkForRestore`. The snapshot codec writes it in the header.
    public internal(set) var programHash: [UInt8] = []

    public let limits: EngineLimits
    public let consoleMode: ConsoleMode
    /// `new.target` of the native being called (`.undefined` for a plain call).
    @exclusivity(unchecked) public internal(set) var newTarget: Value = .undefined

    /// Atoms used by the engine itself (pinned).
    public internal(set) var atoms: CommonAtoms
    var charAtoms: [StringID]
    var typeAtoms: TypeAtoms
    var trueAtom, falseAtom, undefinedAtom, nullAtom: StringID
    /// Operator names handed to the prelude's `binary`/`unary` helpers, by `Op.rawValue`.
    var opAtoms: [StringID]

    @exclusivity(unchecked) var units: [LoadedUnit] = []
    @exclusivity(unchecked) var functions: [LoadedFunction] = []
    /// Owners of the code `functions` point into, one per linked unit.
    var linkedCode: [LinkedCode] = []
    /// Budget left in the current slice.
    @exclusivity(unchecked) var budget: Int = 0
    /// Cache of `protoChainHasIndices` for the standard chain Array.prototype →
    /// Object.prototype (not state; validated against both objects on every use).
    @exclusivity(unchecked) var arrayProtoIndexCache = ProtoIndexCache()

    public static let preludeUnitIndex = 0
    public static let programUnitIndex = 1

    /// Creates a VM with its realm (natives installed, prelude run). Load a program with `load(_:)`.
    public convenience init(limits: EngineLimits = EngineLimits(), consoleMode: ConsoleMode = .buffer) throws {
        try self.init(limits: limits, consoleMode: consoleMode, restoring: nil)
    }

    /// `restoring: heap` is the snapshot codec's restore entry point: the engine atoms and the
    /// prelude are linked against the decoded heap (where they exist, pinned) and the prelude
    /// is not run; the codec then links the program and installs stack, frames and realm.
    init(limits: EngineLimits, consoleMode: ConsoleMode, restoring restoredHeap: Heap?) throws {
        self.limits = limits
        self.consoleMode = consoleMode
        let restoring = restoredHeap != nil
        var h = (consume restoredHeap) ?? Heap() // uniquely owned: no copy-on-write copy below
        if restoring { h.rebuildAtomTable() }
        atoms = CommonAtoms(&h)
        charAtoms = (0..<128).map { h.internPinned(units: [UInt16($0)]) }
        typeAtoms = TypeAtoms(object: h.internPinned("object"), boolean: h.internPinned("boolean"),
                              number: h.internPinned("number"), string: h.internPinned("string"),
                              function: h.internPinned("function"))
        trueAtom = h.internPinned("true"); falseAtom = h.internPinned("false")
        undefinedAtom = h.internPinned("undefined"); nullAtom = h.internPinned("null")
        opAtoms = VM.opNames(&h)
        heap = h
        stackCapacity = 4096
        stack = .allocate(capacity: stackCapacity)
        stack.initialize(repeating: .undefined, count: stackCapacity)
        if restoring { link(try Prelude.compiled(), linked: try Prelude.linkedCode()) } else { try createRealm() }
    }

    deinit {
        stack.deallocate()
        for u in units {
            u.strings.deallocate(); u.numbers.deallocate(); u.cache.deallocate()
        }
    }

    // MARK: Loading

    /// Links a compiled unit: interns its strings (pinned), takes its code in stable memory
    /// from `linked` (shared, e.g. the prelude's) or copies it.
    @discardableResult
    func link(_ unit: CompiledUnit, linked shared: LinkedCode? = nil) -> Int {
        let linked = shared ?? LinkedCode(unit)
        let strings = UnsafeMutablePointer<StringID>.allocate(capacity: max(1, unit.strings.count))
        for (i, s) in linked.strings.enumerated() { strings[i] = heap.internPinned(units: s) }
        let numbers = UnsafeMutablePointer<Double>.allocate(capacity: max(1, unit.numbers.count))
        for (i, d) in unit.numbers.enumerated() { numbers[i] = d }
        let cache = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, Int(unit.cacheSlots)))
        cache.initialize(repeating: 0, count: max(1, Int(unit.cacheSlots)))
        let unitIndex = units.count
        units.append(LoadedUnit(unit: unit, strings: strings, numbers: numbers, cache: cache, functionBase: functions.count))
        linkedCode.append(linked)
        functions.reserveCapacity(functions.count + linked.functions.count)
        for var f in linked.functions {
            f.unit = unitIndex
            functions.append(f)
        }
        return unitIndex
    }

    /// After the snapshot codec replaced `heap`: re-interns every unit's constants so the
    /// linked constant ids match the restored heap (they are pinned atoms there).
    public func relinkConstants() {
        heap.rebuildAtomTable()
        atoms = CommonAtoms(&heap)
        charAtoms = (0..<128).map { heap.internPinned(String(UnicodeScalar(UInt8($0)))) }
        typeAtoms = TypeAtoms(object: heap.internPinned("object"), boolean: heap.internPinned("boolean"),
                              number: heap.internPinned("number"), string: heap.internPinned("string"),
                              function: heap.internPinned("function"))
        trueAtom = heap.internPinned("true"); falseAtom = heap.internPinned("false")
        undefinedAtom = heap.internPinned("undefined"); nullAtom = heap.internPinned("null")
        opAtoms = VM.opNames(&heap)
        for (u, linked) in zip(units, linkedCode) {
            for (i, s) in linked.strings.enumerated() { u.strings[i] = heap.internPinned(units: s) }
            u.cache.update(repeating: 0, count: max(1, Int(u.unit.cacheSlots)))
        }
    }

    func runPrelude() throws {
        let unit = try Prelude.compiled()
        let u = link(unit, linked: try Prelude.linkedCode())
        precondition(u == VM.preludeUnitIndex)
        // The prelude reads the intrinsics object through a temporary global `$$I`.
        let global = intrinsic(.global)
        setHidden(global, "$$I", .object(intrinsic(.intrinsics)))
        pushScriptFrame(unit: u)
        let r = run(budget: Int.max)
        guard case .completed = r else { throw EngineError("prelude failed: \(r)") }
        let key = heap.internPinned("$$I")
        let slot = heap.objects[global.index].find(key)
        if slot >= 0 { heap.objects[global.index].remove(at: slot) }
        completionValue = .undefined
        hostCallSeq = 0
        instructionCount = 0
        status = .ready
    }

    /// Loads the program (after the prelude) and prepares its top-level frame.
    /// `mainArguments`: when non-nil and the program defines a global function `main`,
    /// it is called with these args after the top level.
    public func load(_ program: CompiledProgram, mainArguments: HostValue? = nil) {
        let u = link(program.unit)
        precondition(u == VM.programUnitIndex, "load(_:) once per VM")
        programHash = program.programHash
        self.mainArguments = mainArguments
        pushScriptFrame(unit: u)
        status = .ready
    }

    /// Links the program without pushing any frame (the snapshot codec restores frames).
    public func linkForRestore(_ program: CompiledProgram) {
        let u = link(program.unit)
        precondition(u == VM.programUnitIndex, "linkForRestore(_:) once per VM")
        programHash = program.programHash
        relinkConstants()
    }

    func pushScriptFrame(unit u: Int) {
        let fIndex = units[u].functionBase
        let f = functions[fIndex]
        ensureStack(f.registerCount + f.maxStack + 8)
        stack[sp] = .undefined
        stack[sp + 1] = .object(intrinsic(.global))
        sp += 2
        let base = sp
        for i in 0..<f.registerCount { stack[base + i] = .undefined }
        sp += f.registerCount
        frames.append(Frame(function: Int32(fIndex), pc: 0, base: Int32(base), env: .none, argc: 0, flags: .script))
    }

    static func opNames(_ h: inout Heap) -> [StringID] {
        let names: [Op: String] = [.add: "+", .sub: "-", .mul: "*", .div: "/", .mod: "%", .exp: "**",
                                   .bitAnd: "&", .bitOr: "|", .bitXor: "^", .shl: "<<", .shr: ">>", .ushr: ">>>",
                                   .eq: "==", .neq: "!=", .lt: "<", .gt: ">", .le: "<=", .ge: ">=",
                                   .neg: "neg", .plus: "plus", .bitNot: "~", .toNumeric: "plus"]
        return Op.allCases.map { h.internPinned(names[$0] ?? "?") }
    }

    // MARK: Value stack

    @inline(__always)
    func ensureStack(_ extra: Int) {
        if sp + extra >= stackCapacity { growStack(sp + extra) }
    }

    func growStack(_ needed: Int) {
        var cap = stackCapacity
        while cap <= needed { cap *= 2 }
        let n = UnsafeMutablePointer<Value>.allocate(capacity: cap)
        n.initialize(repeating: .undefined, count: cap)
        n.update(from: stack, count: stackCapacity)
        stack.deallocate()
        stack = n
        stackCapacity = cap
    }

    /// Replaces the whole value stack (snapshot restore).
    public func restoreStack(_ values: [Value]) {
        if values.count + 64 >= stackCapacity { growStack(values.count + 64) }
        for (i, v) in values.enumerated() { stack[i] = v }
        sp = values.count
    }

    /// The live part of the value stack, bottom first.
    public var stackValues: [Value] { Array(UnsafeBufferPointer(start: stack, count: sp)) }

    // MARK: Driving

    /// Runs until completion, failure, a host call or the end of the budget (instructions).
    public func run(budget: Int = Int.max) -> RunResult {
        switch status {
        case .completed: return .completed(toHostValueLossy(completionValue))
        case .failed: return .failed(failure ?? ScriptError(name: "Error", message: "failed", stack: []))
        case .awaitingHost:
            if let p = pendingHostCall { return .hostCall(p) }
        case .ready, .running: break
        }
        status = .running
        self.budget = budget
        return execute()
    }

    /// Answers the pending host call. Call `run(budget:)` next.
    public func resume(_ result: HostResult) {
        guard status == .awaitingHost, pendingHostCall != nil else { return }
        pendingHostCall = nil
        status = .ready
        switch result {
        case .value(let hv):
            ensureStack(1)
            stack[sp] = fromHostValue(hv)
            sp += 1
        case .error(let name, let message):
            pendingThrow = makeError(name, message)
        }
    }

    /// An error to throw when execution continues (host error results).
    public var pendingThrow: Value?
}
