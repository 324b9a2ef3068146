// MARK: - Bytecode: instructions, functions, compiled programs

/// Operation codes. Stack effects are written `[before] → [after]` (top of stack on the right).
/// Operands: `a`, `b` (Int32). "name" operands index `CompiledUnit.strings`; numbers index `numbers`.
public enum Op: UInt8, Sendable, CaseIterable {
    // Constants
    case undefined, null, `true`, `false`, empty
    case int            // a = small integer
    case number         // a = index in numbers
    case string         // a = index in strings
    // Stack
    case pop, dup, dup2, swap
    case dupX1          // [a b] → [b a b]
    case dupX2          // [a b c] → [c a b c]
    // Registers (locals of the frame): a = register
    case getLocal, setLocal            // setLocal keeps the value on the stack
    case getLocalChecked               // TDZ check; b = name
    case setLocalChecked               // TDZ check; b = name
    case initLocal                     // pops; a = register
    case clearLocal                    // register ← empty (TDZ start)
    // Environment (captured variables): a = hops, b = slot
    case getEnv, setEnv, getEnvChecked, setEnvChecked
    case initEnv                       // pops
    case clearEnv                      // slot ← empty
    case pushEnv                       // a = slot count: new env (parent = current)
    case popEnv
    case copyEnv                       // per-iteration bindings: fresh copy of the current env
    case getEnvRef, setEnvRef          // [] → [envObject] / [env] → [] (save/restore around try)
    // Globals: a = name, b = inline-cache slot
    case getGlobal, getGlobalOrUndefined, setGlobal, setGlobalStrict
    case declareGlobalVar              // a = name
    case declareGlobalFunction         // [f] → []; a = name
    case constAssign                   // throws TypeError; a = name
    // Properties
    case getProp                       // [o] → [v]; a = name, b = cache
    case setProp                       // [o v] → [v]; a = name, b = cache
    case getMethod                     // [o] → [f o]; a = name, b = cache
    case getElem                       // [o k] → [v]
    case setElem                       // [o k v] → [v]
    case deleteProp                    // [o] → [bool]; a = name
    case deleteElem                    // [o k] → [bool]
    // Literals
    case newObject                     // [] → [o]
    case defineField                   // [o v] → [o]; a = name
    case defineFieldComputed           // [o k v] → [o]
    case defineGetter, defineSetter    // [o f] → [o]; a = name (a = -1: computed, [o k f] → [o])
    case newArray                      // [v1…vn] → [array]; a = n
    case arrayAppend                   // [arr v] → [arr]
    case arrayAppendHole               // [arr] → [arr]
    case arrayAppendSpread             // [arr iterable] → [arr]
    case closure                       // [] → [f]; a = function index (unit-relative)
    // Calls
    case call                          // [f this a1…an] → [r]; a = n
    case construct                     // [f undefined a1…an] → [r]; a = n
    case callSpread                    // [f this argsArray] → [r]
    case constructSpread               // [f undefined argsArray] → [r]
    case `return`                      // [v] → (caller)
    case returnUndefined
    case loadThis
    case loadCallee
    case globalObject                  // [] → [global]
    // Control
    case jump                          // a = target pc
    case jumpIfFalse, jumpIfTrue       // pops
    case jumpIfFalseKeep, jumpIfTrueKeep // pops only when not jumping
    case jumpIfNotNullishKeep          // `??`
    case `throw`
    case throwRef                      // ReferenceError "<name> is not defined"; a = name
    // Operators
    case add, sub, mul, div, mod, exp
    case bitAnd, bitOr, bitXor, shl, shr, ushr
    case eq, neq, strictEq, strictNeq, lt, gt, le, ge
    case instanceOf, `in`
    case neg, plus, not, bitNot, typeOf, void
    case inc, dec                      // numeric ±1 (operand must be a number: use toNumeric first)
    case toNumeric                     // ToNumber (objects via the prelude)
    case toStringOp                    // ToString (objects via the prelude)
    // Iteration
    case forInPrepare                  // [o] → [iter]
    case forOfPrepare                  // [o] → [iter]
    case iterNext                      // [iter] → [iter v] or jump to a (iter stays)
    // Fast paths
    case incLocal                      // if register a holds a number: += 1 and jump to b; else fall through
    case nop
    // Added after `nop` (raw values of the cases above are unchanged)
    case toPropertyKey                 // [o k] → [o key]: TypeError when o is null/undefined, then ToPropertyKey(k) once
    case setProtoLiteral               // [o v] → [o]: `__proto__: v` in an object literal (object or null only)
    case mapArguments                  // [args] → []: map args[0..<min(argc, b)] to env slots a… of the current env
    case syncArgument                  // [v args] → [v]: parameter a was assigned: mirror into a mapped args[a]

    /// Stack effect when execution falls through to the next instruction.
    func stackEffect(_ a: Int32) -> Int {
        switch self {
        case .undefined, .null, .true, .false, .empty, .int, .number, .string, .dup, .dupX1, .dupX2,
             .getLocal, .getLocalChecked, .getEnv, .getEnvChecked, .getEnvRef, .getGlobal, .getGlobalOrUndefined,
             .getMethod, .newObject, .closure, .loadThis, .loadCallee, .globalObject, .iterNext:
            return 1
        case .dup2: return 2
        case .pop, .initLocal, .initEnv, .setEnvRef, .declareGlobalFunction, .setProp, .getElem, .deleteElem,
             .defineField, .arrayAppend, .arrayAppendSpread, .return, .jumpIfFalse, .jumpIfTrue,
             .jumpIfFalseKeep, .jumpIfTrueKeep, .jumpIfNotNullishKeep, .throw,
             .add, .sub, .mul, .div, .mod, .exp, .bitAnd, .bitOr, .bitXor, .shl, .shr, .ushr,
             .eq, .neq, .strictEq, .strictNeq, .lt, .gt, .le, .ge, .instanceOf, .in, .setProtoLiteral, .mapArguments, .syncArgument:
            return -1
        case .setElem, .defineFieldComputed, .callSpread, .constructSpread: return -2
        case .defineGetter, .defineSetter: return a >= 0 ? -1 : -2
        case .newArray: return 1 - Int(a)
        case .call, .construct: return -(Int(a) + 1)
        default: return 0
        }
    }
}

/// One instruction: opcode and operands `a`, `b` (Int32) and `c` (Int16: a name for
/// diagnostics on environment ops, -1 when unused). 12 bytes, no pointers.
public struct Instruction: Sendable, Hashable {
    public var op: Op
    public var c: Int16
    public var a: Int32
    public var b: Int32
    @inlinable public init(_ op: Op, _ a: Int32 = 0, _ b: Int32 = 0, c: Int16 = -1) { self.op = op; self.c = c; self.a = a; self.b = b }
}

/// A pc range covered by a handler. On a throw inside [start, end) the operand stack
/// is cut to `stackDepth` values above the registers, the exception is pushed and
/// execution continues at `handler`.
public struct ExceptionHandler: Sendable, Hashable {
    public var start: Int32
    public var end: Int32
    public var handler: Int32
    public var stackDepth: Int32
}

/// pc → source position (the entry with the greatest pc ≤ the pc wins).
public struct LineEntry: Sendable, Hashable {
    public var pc: Int32
    public var line: Int32
    public var column: Int32
}

public struct FunctionFlags: OptionSet, Sendable, Hashable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let strict = FunctionFlags(rawValue: 1)
    public static let arrow = FunctionFlags(rawValue: 2)
    /// Has a register holding the `arguments` object (built at call time).
    public static let usesArguments = FunctionFlags(rawValue: 4)
    public static let hasRest = FunctionFlags(rawValue: 8)
    /// Can be called with `new`.
    public static let constructor = FunctionFlags(rawValue: 16)
    /// Top-level script code.
    public static let script = FunctionFlags(rawValue: 32)
    /// Getter / setter / method (not a constructor).
    public static let method = FunctionFlags(rawValue: 64)
}

/// A compiled function.
public struct FunctionCode: Sendable, Hashable {
    public var name: String
    /// Declared parameters (excluding rest). Arguments land in registers 0..<paramCount.
    public var paramCount: Int32
    /// `length` property value.
    public var length: Int32
    /// Total registers (params + locals + temporaries).
    public var registerCount: Int32
    public var maxStack: Int32
    public var flags: FunctionFlags
    /// Register receiving the `arguments` object (usesArguments), or -1.
    public var argumentsRegister: Int32
    /// Register receiving the rest array (hasRest), or -1.
    public var restRegister: Int32
    public var code: [Instruction]
    public var handlers: [ExceptionHandler]
    public var lines: [LineEntry]
    /// Where named variables live, by pc range (DebugScopes.swift); not hashed.
    public var scopes: [DebugScope]
    /// Source text range (UTF-16 offsets) for Function.prototype.toString.
    public var sourceStart: Int32
    public var sourceEnd: Int32

    public init(name: String) {
        self.name = name
        paramCount = 0; length = 0; registerCount = 0; maxStack = 0
        flags = []
        argumentsRegister = -1; restRegister = -1
        code = []; handlers = []; lines = []; scopes = []
        sourceStart = 0; sourceEnd = 0
    }

    /// Source position of a pc.
    public func position(at pc: Int) -> (line: Int, column: Int) {
        var lo = 0, hi = lines.count - 1, best = -1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if Int(lines[mid].pc) <= pc { best = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        if best < 0 { return (0, 0) }
        return (Int(lines[best].line), Int(lines[best].column))
    }
}

/// A compiled compilation unit (the program, or the prelude): functions (index 0 is
/// the top-level code) and constant pools shared by them.
public struct CompiledUnit: Sendable, Hashable {
    public var functions: [FunctionCode]
    public var strings: [String]
    /// Pool entries whose value has an unpaired surrogate (a Swift `String` cannot hold
    /// one): `strings[i]` is only a lossy placeholder; the VM interns these units instead.
    public var rawStrings: [Int32: [UInt16]] = [:]
    public var numbers: [Double]
    /// Number of inline-cache slots used by the unit's instructions.
    public var cacheSlots: Int32
    /// The source text (kept for Function.prototype.toString and error positions).
    public var source: String

    /// The UTF-16 units of pool entry `i`.
    public func stringUnits(_ i: Int) -> [UInt16] { rawStrings[Int32(i)] ?? Array(strings[i].utf16) }

    public init(functions: [FunctionCode] = [], strings: [String] = [], numbers: [Double] = [], cacheSlots: Int32 = 0, source: String = "") {
        self.functions = functions
        self.strings = strings
        self.numbers = numbers
        self.cacheSlots = cacheSlots
        self.source = source
    }
}
