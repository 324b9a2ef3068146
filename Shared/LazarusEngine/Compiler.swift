import LazarusSyntax

// MARK: - Compiler: AST → bytecode

/// Builds the constant pools and function table of one unit.
final class UnitBuilder {
    var strings: [String] = []
    var rawStrings: [Int32: [UInt16]] = [:]
    /// Keyed by UTF-16 units: Swift `String` equality is canonical equivalence, which would
    /// merge "\u00F6" and "o\u0308" into one constant.
    var stringIndex: [[UInt16]: Int32] = [:]
    var numbers: [Double] = []
    var numberIndex: [UInt64: Int32] = [:]
    var functions: [FunctionCode] = []
    var cacheSlots: Int32 = 0
    let source: String
    let resolution: Resolution
    let sourceUnits: [UInt16]

    init(source: String, resolution: Resolution) {
        self.source = source
        self.resolution = resolution
        self.sourceUnits = Array(source.utf16)
    }

    func string(_ s: String) -> Int32 {
        let key = Array(s.utf16)
        if let i = stringIndex[key] { return i }
        let i = Int32(strings.count)
        strings.append(s)
        stringIndex[key] = i
        return i
    }

    /// A pool entry for a string value given as UTF-16 units (it may hold unpaired surrogates).
    func string(units: [UInt16]) -> Int32 {
        if let i = stringIndex[units] { return i }
        let i = Int32(strings.count)
        strings.append(String(decoding: units, as: UTF16.self))
        stringIndex[units] = i
        if Array(strings[Int(i)].utf16) != units { rawStrings[i] = units }
        return i
    }

    func number(_ d: Double) -> Int32 {
        if let i = numberIndex[d.bitPattern] { return i }
        let i = Int32(numbers.count)
        numbers.append(d)
        numberIndex[d.bitPattern] = i
        return i
    }

    func newCacheSlot() -> Int32 { cacheSlots += 1; return cacheSlots - 1 }

    func text(_ r: SourceRange) -> String {
        let lo = max(0, min(r.start.offset, sourceUnits.count)), hi = max(lo, min(r.end.offset, sourceUnits.count))
        return String(decoding: sourceUnits[lo..<hi], as: UTF16.self)
    }
}

/// Compiles a program (or the prelude) into a `CompiledUnit`.
struct Compiler {
    static func compile(_ program: Program) throws(SyntaxError) -> CompiledUnit {
        let resolution = try Resolver(program: program).resolve()
        let unit = UnitBuilder(source: program.source, resolution: resolution)
        unit.functions.append(FunctionCode(name: ""))  // slot 0: the script
        let fb = FunctionBuilder(unit: unit, ctx: resolution.script, node: nil, name: "<script>")
        let script = try fb.compileScript(program)
        unit.functions[0] = script
        var compiled = CompiledUnit(functions: unit.functions, strings: unit.strings, numbers: unit.numbers,
                                    cacheSlots: unit.cacheSlots, source: program.source)
        compiled.rawStrings = unit.rawStrings
        return compiled
    }
}

/// Jump/exit bookkeeping.
enum Control {
    case target(Int)           // index into FunctionBuilder.targets
    case env                   // a pushed environment
    case tryRange(Int)         // index into FunctionBuilder.tries
    case finally([Statement], Scope, Int, SourceRange) // finally body, its outer scope, try index, the try statement's range
}

struct BreakTarget {
    var labels: [String]
    var isLoop: Bool
    /// Unlabelled `break` may target it (loops and switch).
    var acceptsPlainBreak: Bool
    var depth: Int
    var breaks: [Int] = []
    var continues: [Int] = []
}

struct TryRecord {
    var segments: [(Int32, Int32)] = []
    var openStart: Int32?
    var depth: Int
}

final class FunctionBuilder {
    let unit: UnitBuilder
    let ctx: FunctionContext
    let node: FunctionNode?
    let name: String
    var code: [Instruction] = []
    var handlers: [ExceptionHandler] = []
    var lines: [LineEntry] = []
    var depth = 0
    var maxDepth = 0
    var nextRegister: Int
    var scope: Scope
    var controls: [Control] = []
    var targets: [BreakTarget] = []
    var tries: [TryRecord] = []
    var lastLine: Int32 = -1, lastColumn: Int32 = -1
    var usesEnvs: Bool
    /// Debug scopes (DebugScopes.swift) and the indices of those still open.
    var debugScopes: [DebugScope] = []
    var openDebugScopes: [Int] = []

    init(unit: UnitBuilder, ctx: FunctionContext, node: FunctionNode?, name: String) {
        self.unit = unit
        self.ctx = ctx
        self.node = node
        self.name = name
        self.scope = ctx.scope
        self.nextRegister = ctx.registerCount
        self.usesEnvs = ctx.scopes.contains { $0.needsEnv }
    }

    var strict: Bool { ctx.isStrict }

    // MARK: Emission

    @discardableResult
    func emit(_ op: Op, _ a: Int32 = 0, _ b: Int32 = 0, c: Int16 = -1) -> Int {
        code.append(Instruction(op, a, b, c: c))
        depth += op.stackEffect(a)
        if depth > maxDepth { maxDepth = depth }
        return code.count - 1
    }

    var pc: Int { code.count }

    func patch(_ at: Int, to target: Int) { code[at].a = Int32(target) }

    func mark(_ r: SourceRange) {
        let l = Int32(r.start.line), c = Int32(r.start.column)
        if l == lastLine && c == lastColumn { return }
        lastLine = l; lastColumn = c
        if let last = lines.last, Int(last.pc) == pc { lines[lines.count - 1] = LineEntry(pc: Int32(pc), line: l, column: c) }
        else { lines.append(LineEntry(pc: Int32(pc), line: l, column: c)) }
    }

    func temp() -> Int { nextRegister += 1; return nextRegister - 1 }

    func str(_ s: String) -> Int32 { unit.string(s) }
    func name16(_ s: String) -> Int16 { let i = unit.string(s); return i < Int32(Int16.max) ? Int16(i) : -1 }

    func pushNumber(_ d: Double) {
        if d == d.rounded(.towardZero), abs(d) < 1_000_000_000, !(d == 0 && d.sign == .minus) { emit(.int, Int32(d)) }
        else { emit(.number, unit.number(d)) }
    }

    // MARK: Functions

    func finish(flags: FunctionFlags, length: Int, paramCount: Int, argumentsRegister: Int, restRegister: Int) -> FunctionCode {
        var f = FunctionCode(name: name)
        f.paramCount = Int32(paramCount)
        f.length = Int32(length)
        f.registerCount = Int32(nextRegister)
        f.maxStack = Int32(maxDepth + 4)
        f.flags = flags
        f.argumentsRegister = Int32(argumentsRegister)
        f.restRegister = Int32(restRegister)
        f.code = code
        f.handlers = handlers
        f.lines = lines
        while !openDebugScopes.isEmpty { closeDebugScope() }
        f.scopes = debugScopes
        if let node {
            f.sourceStart = Int32(node.range.start.offset)
            f.sourceEnd = Int32(node.range.end.offset)
        }
        return f
    }

    func compileScript(_ program: Program) throws(SyntaxError) -> FunctionCode {
        mark(SourceRange.empty)
        let fs = ctx.scope!
        if fs.needsEnv { emit(.pushEnv, Int32(fs.envSize)); controls.append(.env) }
        openDebugScope(fs, start: 0)
        // Global declarations.
        for b in fs.ordered where b.kind == .var { emit(.declareGlobalVar, str(b.name)) }
        if let tb = ctx.thisBinding { emit(.loadThis); initialize(tb) }
        clearLexicals(fs)
        try hoistFunctions(program.body)
        for s in program.body { try statement(s) }
        emit(.returnUndefined)
        var flags: FunctionFlags = [.script]
        if strict { flags.insert(.strict) }
        return finish(flags: flags, length: 0, paramCount: 0, argumentsRegister: -1, restRegister: -1)
    }

    func compileFunction(_ f: FunctionNode) throws(SyntaxError) -> FunctionCode {
        mark(f.range)
        let fs = ctx.scope!
        if fs.needsEnv { emit(.pushEnv, Int32(fs.envSize)); controls.append(.env) }
        openDebugScope(fs, start: 0)
        // Captured parameters move into the environment.
        for b in fs.ordered where b.kind == .param {
            if case .env(let slot) = b.location { emit(.getLocal, Int32(b.paramIndex)); emit(.initEnv, 0, Int32(slot)) }
        }
        var argumentsRegister = -1, restRegister = -1
        if let ab = ctx.argumentsBinding {
            if case .register(let r) = ab.location { argumentsRegister = r } else {
                argumentsRegister = temp()
                emit(.getLocal, Int32(argumentsRegister)); initialize(ab)
            }
        }
        if let rp = f.params.last, rp.isRest, let rb = fs.bindings[rp.name], rb.kind == .rest {
            if case .register(let r) = rb.location { restRegister = r } else {
                restRegister = temp()
                emit(.getLocal, Int32(restRegister)); initialize(rb)
            }
        }
        if ctx.mappedArguments, let ab = ctx.argumentsBinding {
            // Parameters live in consecutive environment slots (declared first, all captured).
            var slots: [Int] = []
            for p in f.params { if let b = fs.bindings[p.name], case .env(let k) = b.location { slots.append(k) } }
            if slots.count == f.params.count, let first = slots.first, slots == Array(first..<(first + slots.count)) {
                loadBinding(ab)
                emit(.mapArguments, Int32(first), Int32(slots.count))
            }
        }
        if let tb = ctx.thisBinding { emit(.loadThis); initialize(tb) }
        if let n = f.name, let cb = fs.bindings[n], cb.kind == .callee { emit(.loadCallee); initialize(cb) }
        clearLexicals(fs)
        // Defaults.
        for p in f.params where !p.isRest {
            guard let d = p.defaultValue else { continue }
            load(p.name, p.range)
            emit(.undefined)
            emit(.strictEq)
            let skip = emit(.jumpIfFalse)
            try expression(d, name: p.name)
            store(p.name, p.range)
            emit(.pop)
            patch(skip, to: pc)
        }
        let bodyKey = ScopeKey(ScopeTag.functionBody, f.range)
        if let bs = unit.resolution.scopes[bodyKey] {
            // Separate var scope after parameter expressions: body vars named like a
            // parameter (or `arguments`) start with its value.
            _ = enterScope(bodyKey)
            for b in bs.ordered where b.kind == .var {
                guard let pb = fs.bindings[b.name], pb.kind == .param || pb.kind == .rest || pb.kind == .arguments else { continue }
                loadBinding(pb)
                initialize(b)
            }
        }
        try hoistFunctions(f.body)
        for s in f.body { try statement(s) }
        emit(.returnUndefined)
        var flags: FunctionFlags = []
        if f.isStrict { flags.insert(.strict) }
        if f.kind == .arrow { flags.insert(.arrow) }
        if f.kind == .normal { flags.insert(.constructor) }
        if f.kind == .method || f.kind == .getter || f.kind == .setter { flags.insert(.method) }
        if argumentsRegister >= 0 { flags.insert(.usesArguments) }
        if restRegister >= 0 { flags.insert(.hasRest) }
        var length = 0
        for p in f.params { if p.isRest || p.defaultValue != nil { break }; length += 1 }
        return finish(flags: flags, length: length, paramCount: ctx.paramCount,
                      argumentsRegister: argumentsRegister, restRegister: restRegister)
    }

    /// Compiles a nested function and returns its unit-relative index.
    func nestedFunction(_ f: FunctionNode, name inferred: String?) throws(SyntaxError) -> Int32 {
        guard let fctx = unit.resolution.functions[ObjectIdentifier(f)] else {
            throw SyntaxError(message: "internal: unresolved function", location: f.range.start)
        }
        let index = unit.functions.count
        unit.functions.append(FunctionCode(name: ""))
        let fb = FunctionBuilder(unit: unit, ctx: fctx, node: f, name: f.name ?? inferred ?? "")
        unit.functions[index] = try fb.compileFunction(f)
        return Int32(index)
    }

    func hoistFunctions(_ body: [Statement]) throws(SyntaxError) {
        for s in body {
            guard case .functionDeclaration(let f) = s.kind, let n = f.name else { continue }
            let i = try nestedFunction(f, name: n)
            emit(.closure, i)
            if let b = Resolver.resolve(n, from: scope), case .global = b.location {
                emit(.declareGlobalFunction, str(n))
            } else if let b = Resolver.resolve(n, from: scope) {
                if b.kind == .param && b.scope.function.mappedArguments {
                    emit(.dup); initialize(b); syncMappedArgument(b); emit(.pop)
                } else {
                    initialize(b)
                }
            } else {
                emit(.declareGlobalFunction, str(n))
            }
        }
    }

    func clearLexicals(_ sc: Scope) {
        for b in sc.ordered where b.kind.isLexical {
            switch b.location {
            case .register(let r): emit(.clearLocal, Int32(r))
            case .env(let slot): emit(.clearEnv, 0, Int32(slot))
            default: break
            }
        }
    }

    // MARK: Scopes

    func enterScope(_ key: ScopeKey) -> Scope? {
        guard let sc = unit.resolution.scopes[key] else { return nil }
        scope = sc
        let start = pc
        if sc.needsEnv { emit(.pushEnv, Int32(sc.envSize)); controls.append(.env) }
        openDebugScope(sc, start: start)
        clearLexicals(sc)
        return sc
    }

    func exitScope(_ sc: Scope?) {
        guard let sc else { return }
        if sc.needsEnv {
            emit(.popEnv)
            if case .env? = controls.last { controls.removeLast() }
        }
        closeDebugScope()
        scope = sc.parent!
    }

    /// Starts the debug scope of `sc` (its `pushEnv`, if any, was just emitted at `start`).
    func openDebugScope(_ sc: Scope, start: Int) {
        var variables: [DebugVariable] = []
        for b in sc.ordered {
            switch b.kind {
            case .this, .callee, .arguments: continue
            default: break
            }
            switch b.location {
            case .register(let r): variables.append(DebugVariable(name: b.name, location: .register(Int32(r))))
            case .env(let slot): variables.append(DebugVariable(name: b.name, location: .environment(Int32(slot))))
            case .global: variables.append(DebugVariable(name: b.name, location: .global))
            case .unassigned: continue
            }
        }
        debugScopes.append(DebugScope(start: Int32(start), end: Int32(start), environmentStart: Int32(pc),
                                      parent: Int32(openDebugScopes.last ?? -1), hasEnvironment: sc.needsEnv,
                                      environmentSize: Int32(sc.envSize), variables: variables))
        openDebugScopes.append(debugScopes.count - 1)
    }

    /// Ends the innermost open debug scope after the instruction just emitted.
    func closeDebugScope() {
        guard let i = openDebugScopes.popLast() else { return }
        debugScopes[i].end = Int32(pc)
    }

    // MARK: Variables

    func hops(to target: Scope) -> Int32 {
        var n: Int32 = 0
        var sc: Scope? = scope
        while let c = sc, c !== target {
            if c.needsEnv { n += 1 }
            sc = c.parent
        }
        return n
    }

    func needsCheck(_ b: Binding, _ r: SourceRange) -> Bool {
        guard b.kind.isLexical else { return false }
        if b.scope.function !== ctx { return true }
        if b.scope.kind == .switchBlock { return true }
        return r.start.offset < b.initializedAfter
    }

    func load(_ name: String, _ r: SourceRange, typeofContext: Bool = false) {
        mark(r)
        guard let b = Resolver.resolve(name, from: scope) else {
            emit(typeofContext ? .getGlobalOrUndefined : .getGlobal, str(name), unit.newCacheSlot())
            return
        }
        switch b.location {
        case .register(let reg):
            if needsCheck(b, r) { emit(.getLocalChecked, Int32(reg), str(name)) } else { emit(.getLocal, Int32(reg)) }
        case .env(let slot):
            emit(b.kind.isLexical ? .getEnvChecked : .getEnv, hops(to: b.scope), Int32(slot), c: name16(name))
        case .global, .unassigned:
            emit(typeofContext ? .getGlobalOrUndefined : .getGlobal, str(name), unit.newCacheSlot())
        }
    }

    /// Pushes a binding's value (no TDZ check: parameters and vars only).
    func loadBinding(_ b: Binding) {
        switch b.location {
        case .register(let reg): emit(.getLocal, Int32(reg))
        case .env(let slot): emit(.getEnv, hops(to: b.scope), Int32(slot), c: name16(b.name))
        case .global, .unassigned: emit(.getGlobal, str(b.name), unit.newCacheSlot())
        }
    }

    /// Assignment: the value stays on the stack.
    func store(_ name: String, _ r: SourceRange) {
        mark(r)
        guard let b = Resolver.resolve(name, from: scope) else {
            emit(strict ? .setGlobalStrict : .setGlobal, str(name), unit.newCacheSlot())
            return
        }
        if b.kind == .const {
            load(name, r)   // TDZ first
            emit(.pop)
            emit(.constAssign, str(name))
            return
        }
        if b.kind == .callee {
            if strict { emit(.constAssign, str(name)) }
            return
        }
        switch b.location {
        case .register(let reg):
            emit(needsCheck(b, r) ? .setLocalChecked : .setLocal, Int32(reg), str(name))
        case .env(let slot):
            emit(b.kind.isLexical ? .setEnvChecked : .setEnv, hops(to: b.scope), Int32(slot), c: name16(name))
        case .global, .unassigned:
            emit(strict ? .setGlobalStrict : .setGlobal, str(name), unit.newCacheSlot())
        }
        syncMappedArgument(b)
    }

    /// After a store to a parameter of a function with a mapped arguments object
    /// (value on the stack): mirror it into `arguments[i]`.
    func syncMappedArgument(_ b: Binding) {
        guard b.kind == .param, b.scope.function.mappedArguments, let ab = b.scope.function.argumentsBinding else { return }
        loadBinding(ab)
        emit(.syncArgument, Int32(b.paramIndex))
    }

    /// Declaration initialization: pops the value.
    func initialize(_ b: Binding) {
        switch b.location {
        case .register(let reg): emit(.initLocal, Int32(reg))
        case .env(let slot): emit(.initEnv, hops(to: b.scope), Int32(slot))
        case .global, .unassigned: emit(.setGlobal, str(b.name), unit.newCacheSlot()); emit(.pop)
        }
    }

    func initialize(name: String, _ r: SourceRange) {
        if let b = Resolver.resolve(name, from: scope) { initialize(b) } else {
            emit(.setGlobal, str(name), unit.newCacheSlot()); emit(.pop)
        }
    }

    // MARK: Statements

    func statement(_ s: Statement, labels: [String] = []) throws(SyntaxError) {
        mark(s.range)
        switch s.kind {
        case .variableDeclaration(let d):
            for decl in d.declarators {
                if let i = decl.initializer {
                    try expression(i, name: decl.name)
                    if d.kind == .var { store(decl.name, decl.nameRange); emit(.pop) } else { initialize(name: decl.name, decl.nameRange) }
                } else if d.kind != .var {
                    emit(.undefined)
                    initialize(name: decl.name, decl.nameRange)
                }
            }
        case .functionDeclaration: break
        case .expression(let e): try effect(e)
        case .block(let body):
            let sc = enterScope(ScopeKey(ScopeTag.block, s.range))
            if !labels.isEmpty {
                try labeledBlock(labels) { () throws(SyntaxError) in
                    try self.hoistFunctions(body)
                    for x in body { try self.statement(x) }
                }
            } else {
                try hoistFunctions(body)
                for x in body { try statement(x) }
            }
            exitScope(sc)
        case .empty, .debugger: break
        case .if(let t, let a, let b):
            try expression(t)
            let j = emit(.jumpIfFalse)
            try statement(a)
            if let b {
                let k = emit(.jump)
                patch(j, to: pc)
                try statement(b)
                patch(k, to: pc)
            } else {
                patch(j, to: pc)
            }
        case .while(let t, let body):
            let top = pc
            try expression(t)
            let exit = emit(.jumpIfFalse)
            let ti = pushTarget(labels, loop: true)
            try statement(body)
            let cont = pc
            emit(.jump, Int32(top))
            patch(exit, to: pc)
            popTarget(ti, breakTo: pc, continueTo: cont)
        case .doWhile(let body, let t):
            let top = pc
            let ti = pushTarget(labels, loop: true)
            try statement(body)
            let cont = pc
            try expression(t)
            emit(.jumpIfTrue, Int32(top))
            popTarget(ti, breakTo: pc, continueTo: cont)
        case .for(let i, let t, let u, let body):
            let sc = enterScope(ScopeKey(ScopeTag.forLoop, s.range))
            switch i {
            case .declaration(let d)?: try statement(Statement(.variableDeclaration(d), range: s.range))
            case .expression(let e)?: try effect(e)
            case nil: break
            }
            let perIteration = sc?.needsEnv ?? false
            if perIteration { emit(.copyEnv) }
            let top = pc
            var exit = -1
            if let t { try expression(t); exit = emit(.jumpIfFalse) }
            let ti = pushTarget(labels, loop: true)
            try statement(body)
            let cont = pc
            if perIteration { emit(.copyEnv) }
            if let u { try effect(u) }
            emit(.jump, Int32(top))
            if exit >= 0 { patch(exit, to: pc) }
            popTarget(ti, breakTo: pc, continueTo: cont)
            exitScope(sc)
        case .forIn(let b, let o, let body), .forOf(let b, let o, let body):
            var isIn = false
            if case .forIn = s.kind { isIn = true }
            let head = enterScope(ScopeKey(ScopeTag.forHead, s.range))
            try expression(o)
            exitScope(head)
            mark(s.range)
            emit(isIn ? .forInPrepare : .forOfPrepare)
            let top = pc
            let next = emit(.iterNext)
            let ti = pushTarget(labels, loop: true)
            var sc: Scope? = nil
            switch b {
            case .declaration(let k, let name, let r):
                if k != .var {
                    sc = enterScope(ScopeKey(ScopeTag.forLoop, s.range))
                    initialize(name: name, r)
                } else {
                    store(name, r); emit(.pop)
                }
            case .target(let t):
                try assignFromStack(t)
            }
            try statement(body)
            exitScope(sc)
            let cont = pc
            emit(.jump, Int32(top))
            patch(next, to: pc)
            popTarget(ti, breakTo: pc, continueTo: cont)
            emit(.pop)
        case .return(let e):
            if let e { try expression(e) } else { emit(.undefined) }
            if controls.contains(where: { if case .finally = $0 { return true }; return false }) {
                let t = temp()
                emit(.initLocal, Int32(t))
                exitControls(downTo: 0)
                emit(.getLocal, Int32(t))
                resumeRanges()
            }
            emit(.return)
            depth -= 0
        case .break(let label):
            guard let ti = findTarget(label, isContinue: false) else {
                throw SyntaxError(message: label.map { "Undefined label '\($0)'" } ?? "Illegal break statement", location: s.range.start)
            }
            jumpToTarget(ti, isContinue: false)
        case .continue(let label):
            guard let ti = findTarget(label, isContinue: true) else {
                throw SyntaxError(message: label.map { "Undefined label '\($0)'" } ?? "Illegal continue statement", location: s.range.start)
            }
            jumpToTarget(ti, isContinue: true)
        case .throw(let e):
            try expression(e)
            mark(s.range)
            emit(.throw)
        case .try(let block, let c, let fin):
            try tryStatement(s, block, c, fin)
        case .switch(let d, let cases):
            try switchStatement(s, d, cases, labels)
        case .labeled(let l, let body):
            switch body.kind {
            case .labeled, .while, .doWhile, .for, .forIn, .forOf, .block:
                try statement(body, labels: labels + [l])
            default:
                try labeledBlock(labels + [l]) { () throws(SyntaxError) in try self.statement(body) }
            }
        }
    }

    func labeledBlock(_ labels: [String], _ body: () throws(SyntaxError) -> Void) throws(SyntaxError) {
        let ti = pushTarget(labels, loop: false, plainBreak: false)
        try body()
        popTarget(ti, breakTo: pc, continueTo: pc)
    }

    /// Expression statement / for update: value discarded, with the `i++` fast path.
    func effect(_ e: Expression) throws(SyntaxError) {
        if case .update(let op, _, let target) = e.kind, case .identifier(let n) = target.kind,
           let b = Resolver.resolve(n, from: scope), case .register(let r) = b.location,
           op == .increment, b.kind != .const, b.kind != .callee, !needsCheck(b, target.range) {
            let fast = emit(.incLocal, Int32(r))
            emit(.getLocal, Int32(r)); emit(.toNumeric); emit(.inc); emit(.setLocal, Int32(r)); emit(.pop)
            code[fast].b = Int32(pc)
            return
        }
        try expression(e)
        emit(.pop)
    }

    // MARK: Jumps

    func pushTarget(_ labels: [String], loop: Bool, plainBreak: Bool = true) -> Int {
        targets.append(BreakTarget(labels: labels, isLoop: loop, acceptsPlainBreak: plainBreak, depth: depth))
        controls.append(.target(targets.count - 1))
        return targets.count - 1
    }

    func popTarget(_ ti: Int, breakTo: Int, continueTo: Int) {
        for j in targets[ti].breaks { patch(j, to: breakTo) }
        for j in targets[ti].continues { patch(j, to: continueTo) }
        if case .target(let t)? = controls.last, t == ti { controls.removeLast() }
    }

    func findTarget(_ label: String?, isContinue: Bool) -> Int? {
        for c in controls.reversed() {
            guard case .target(let ti) = c else { continue }
            let t = targets[ti]
            if let label {
                if t.labels.contains(label) { return (isContinue && !t.isLoop) ? nil : ti }
            } else if isContinue ? t.isLoop : t.acceptsPlainBreak {
                return ti
            }
        }
        return nil
    }

    var suspended: [Int] = []

    /// Emits the exit path through every control above `level` (pops envs, closes
    /// protected ranges, inlines finally blocks). Ranges stay suspended until `resumeRanges`.
    func exitControls(downTo level: Int) {
        let saved = controls
        let savedScope = scope
        var i = controls.count - 1
        while i >= level {
            switch saved[i] {
            case .env: emit(.popEnv)
            case .tryRange(let t): suspendRange(t)
            case .finally(let body, let sc, let t, let range):
                suspendRange(t)
                controls = Array(saved[0..<i])
                scope = sc
                let d = depth
                // The inlined copy gets the finally block's own lexical scope and hoisted functions.
                let fsc = enterScope(ScopeKey(ScopeTag.finallyBlock, range))
                try? hoistFunctions(body)
                for x in body { try? statement(x) }
                exitScope(fsc)
                depth = d
            case .target: break
            }
            i -= 1
        }
        controls = saved
        scope = savedScope
    }

    func suspendRange(_ t: Int) {
        if let s = tries[t].openStart {
            if Int32(pc) > s { tries[t].segments.append((s, Int32(pc))) }
            tries[t].openStart = nil
            suspended.append(t)
        }
    }

    func resumeRanges() {
        for t in suspended { tries[t].openStart = Int32(pc) }
        suspended.removeAll()
    }

    func jumpToTarget(_ ti: Int, isContinue: Bool) {
        let level = controls.lastIndex(where: { if case .target(let t) = $0 { return t == ti }; return false })! + 1
        let d = depth
        exitControls(downTo: level)
        for _ in 0..<max(0, depth - targets[ti].depth) { emit(.pop) }
        let j = emit(.jump)
        if isContinue { targets[ti].continues.append(j) } else { targets[ti].breaks.append(j) }
        resumeRanges()
        depth = d
    }

    // MARK: try / switch

    func beginTry() -> Int {
        tries.append(TryRecord(segments: [], openStart: Int32(pc), depth: depth))
        return tries.count - 1
    }

    func endTry(_ t: Int, handler: Int) {
        if let s = tries[t].openStart, Int32(pc) > s { tries[t].segments.append((s, Int32(pc))) }
        tries[t].openStart = nil
        for (a, b) in tries[t].segments {
            handlers.append(ExceptionHandler(start: a, end: b, handler: Int32(handler), stackDepth: Int32(tries[t].depth)))
        }
    }

    func tryStatement(_ s: Statement, _ block: [Statement], _ c: CatchClause?, _ fin: [Statement]?) throws(SyntaxError) {
        var envTmp = -1
        if usesEnvs { envTmp = temp(); emit(.getEnvRef); emit(.initLocal, Int32(envTmp)) }
        let outerScope = scope
        var finTry = -1
        if let fin {
            finTry = beginTry()
            controls.append(.finally(fin, outerScope, finTry, s.range))
        }
        var catchTry = -1
        if c != nil {
            catchTry = beginTry()
            controls.append(.tryRange(catchTry))
        }
        let sc = enterScope(ScopeKey(ScopeTag.tryBlock, s.range))
        try hoistFunctions(block)
        for x in block { try statement(x) }
        exitScope(sc)
        if let c {
            controls.removeLast()
            let handlerPlaceholder = pc + 1
            _ = handlerPlaceholder
            let skip = emit(.jump)
            // Handler: [exc]
            let handlerPC = pc
            endTryAt(catchTry, end: skip + 1, handler: handlerPC)
            depth = tries[catchTry].depth + 1
            if depth > maxDepth { maxDepth = depth }
            mark(c.range)
            if envTmp >= 0 { emit(.getLocal, Int32(envTmp)); emit(.setEnvRef) }
            let cs = enterScope(ScopeKey(ScopeTag.catchClause, c.range))
            if let p = c.param { initialize(name: p, c.paramRange ?? c.range) } else { emit(.pop) }
            try hoistFunctions(c.body)
            for x in c.body { try statement(x) }
            exitScope(cs)
            patch(skip, to: pc)
        }
        if let fin {
            controls.removeLast()
            let d = depth
            let jumpOver: Int
            // Normal completion: run finally inline.
            endTry(finTry, handler: -1)  // placeholder handler patched below
            let firstHandlerIndex = handlers.count - tries[finTry].segments.count
            let endHandlerIndex = handlers.count  // handlers of try statements inside the finally body come after
            let fsc = enterScope(ScopeKey(ScopeTag.finallyBlock, s.range))
            try hoistFunctions(fin)
            for x in fin { try statement(x) }
            exitScope(fsc)
            jumpOver = emit(.jump)
            let handlerPC = pc
            for k in firstHandlerIndex..<endHandlerIndex { handlers[k].handler = Int32(handlerPC) }
            depth = tries[finTry].depth + 1
            if depth > maxDepth { maxDepth = depth }
            let excTmp = temp()
            emit(.initLocal, Int32(excTmp))
            if envTmp >= 0 { emit(.getLocal, Int32(envTmp)); emit(.setEnvRef) }
            let fsc2 = enterScope(ScopeKey(ScopeTag.finallyBlock, s.range))
            try hoistFunctions(fin)
            for x in fin { try statement(x) }
            exitScope(fsc2)
            emit(.getLocal, Int32(excTmp))
            emit(.throw)
            patch(jumpOver, to: pc)
            depth = d
        }
    }

    func endTryAt(_ t: Int, end: Int, handler: Int) {
        if let s = tries[t].openStart, Int32(end) > s { tries[t].segments.append((s, Int32(end - 1))) }
        tries[t].openStart = nil
        for (a, b) in tries[t].segments where b > a {
            handlers.append(ExceptionHandler(start: a, end: b, handler: Int32(handler), stackDepth: Int32(tries[t].depth)))
        }
    }

    func switchStatement(_ s: Statement, _ d: Expression, _ cases: [SwitchCase], _ labels: [String]) throws(SyntaxError) {
        try expression(d)
        let ti = pushTarget(labels, loop: false)
        let sc = enterScope(ScopeKey(ScopeTag.switchBlock, s.range))
        var jumps: [Int] = []
        for c in cases {
            if let t = c.test {
                emit(.dup)
                try expression(t)
                emit(.strictEq)
                jumps.append(emit(.jumpIfTrue))
            } else {
                jumps.append(-1)
            }
        }
        let toDefault = emit(.jump)
        var hasDefault = false
        for (i, c) in cases.enumerated() {
            if jumps[i] >= 0 { patch(jumps[i], to: pc) } else { patch(toDefault, to: pc); hasDefault = true }
            if i == 0, let sc { _ = sc }
            try hoistFunctions(c.body)
            for x in c.body { try statement(x) }
        }
        exitScope(sc)
        let end = pc
        if !hasDefault { patch(toDefault, to: end) }
        // When the scope had an environment, jumps from the case tests skip the popEnv:
        // route "no case matched" to the popEnv instead.
        if let sc, sc.needsEnv, !hasDefault { patch(toDefault, to: end - 1) }
        popTarget(ti, breakTo: pc, continueTo: pc)
        emit(.pop)
    }

    // MARK: Expressions

    /// Stores the value on top of the stack into an assignment target, popping it.
    func assignFromStack(_ t: Expression) throws(SyntaxError) {
        switch t.kind {
        case .identifier(let n): store(n, t.range); emit(.pop)
        case .member(let o, let name):
            try expression(o)
            emit(.swap)
            mark(t.range)
            emit(.setProp, str(name), unit.newCacheSlot())
            emit(.pop)
        case .index(let o, let k):
            let tmp = temp()
            emit(.initLocal, Int32(tmp))
            try expression(o)
            try expression(k)
            emit(.getLocal, Int32(tmp))
            mark(t.range)
            emit(.setElem)
            emit(.pop)
        default:
            throw SyntaxError(message: "Invalid assignment target", location: t.range.start)
        }
    }

    func binaryOp(_ op: BinaryOperator) -> Op {
        switch op {
        case .add: return .add
        case .subtract: return .sub
        case .multiply: return .mul
        case .divide: return .div
        case .remainder: return .mod
        case .exponent: return .exp
        case .leftShift: return .shl
        case .rightShift: return .shr
        case .unsignedRightShift: return .ushr
        case .lessThan: return .lt
        case .greaterThan: return .gt
        case .lessThanOrEqual: return .le
        case .greaterThanOrEqual: return .ge
        case .equal: return .eq
        case .notEqual: return .neq
        case .strictEqual: return .strictEq
        case .strictNotEqual: return .strictNeq
        case .bitwiseAnd: return .bitAnd
        case .bitwiseOr: return .bitOr
        case .bitwiseXor: return .bitXor
        case .in: return .in
        case .instanceof: return .instanceOf
        }
    }

    func calleeText(_ e: Expression) -> Int32 {
        var t = unit.text(e.range)
        if t.count > 60 { t = String(t.prefix(57)) + "..." }
        return str(t)
    }

    func expression(_ e: Expression, name: String? = nil) throws(SyntaxError) {
        switch e.kind {
        case .identifier(let n):
            if n == "undefined", Resolver.resolve(n, from: scope) == nil { emit(.undefined); return }
            load(n, e.range)
        case .number(let d): pushNumber(d)
        case .string(let s): emit(.string, str(s))
        case .stringUnits(let u): emit(.string, unit.string(units: u))
        case .boolean(let b): emit(b ? .true : .false)
        case .null: emit(.null)
        case .this:
            if let b = Resolver.resolveThis(from: scope) {
                emit(.getEnv, hops(to: b.scope), Int32(envSlot(b)), c: name16("this"))
            } else {
                emit(.loadThis)
            }
        case .template(let cooked, let exprs):
            emit(.string, str(cooked[0]))
            for (i, x) in exprs.enumerated() {
                try expression(x)
                emit(.toStringOp)
                emit(.add)
                if !cooked[i + 1].isEmpty { emit(.string, str(cooked[i + 1])); emit(.add) }
            }
        case .array(let els):
            let simple = els.allSatisfy { if case .expression = $0 { return true }; return false }
            if simple && els.count < 64 {
                for el in els { if case .expression(let x) = el { try expression(x) } }
                emit(.newArray, Int32(els.count))
            } else {
                emit(.newArray, 0)
                for el in els {
                    switch el {
                    case .hole: emit(.arrayAppendHole)
                    case .expression(let x): try expression(x); emit(.arrayAppend)
                    case .spread(let x): try expression(x); mark(x.range); emit(.arrayAppendSpread)
                    }
                }
            }
        case .object(let props):
            emit(.newObject)
            for p in props {
                switch (p.kind, p.key) {
                case (.initializer, .name(let n)) where n == "__proto__" && !p.isShorthand && !p.isMethod:
                    // `__proto__: v` sets the prototype (B.3.1); shorthand, methods and computed keys don't.
                    try expression(p.value)
                    emit(.setProtoLiteral)
                case (.initializer, .name(let n)):
                    try expression(p.value, name: n)
                    emit(.defineField, str(n))
                case (.initializer, .computed(let k)):
                    try expression(k)
                    emit(.toStringOp)
                    try expression(p.value)
                    emit(.defineFieldComputed)
                case (.getter, .name(let n)), (.setter, .name(let n)):
                    try expression(p.value, name: n)
                    emit(p.kind == .getter ? .defineGetter : .defineSetter, str(n))
                case (.getter, .computed(let k)), (.setter, .computed(let k)):
                    try expression(k)
                    emit(.toStringOp)
                    try expression(p.value)
                    emit(p.kind == .getter ? .defineGetter : .defineSetter, -1)
                }
            }
        case .function(let f):
            let i = try nestedFunction(f, name: name)
            emit(.closure, i)
        case .unary(let op, let x):
            switch op {
            case .minus:
                if case .number(let d) = x.kind { pushNumber(-d); return }
                try expression(x); emit(.neg)
            case .plus: try expression(x); emit(.plus)
            case .not: try expression(x); emit(.not)
            case .bitwiseNot: try expression(x); emit(.bitNot)
            case .void: try expression(x); emit(.void)
            case .typeof:
                if case .identifier(let n) = x.kind { load(n, x.range, typeofContext: true) } else { try expression(x) }
                emit(.typeOf)
            case .delete:
                mark(e.range)
                switch x.kind {
                case .member(let o, let n): try expression(o); emit(.deleteProp, str(n))
                case .index(let o, let k): try expression(o); try expression(k); emit(.deleteElem)
                case .identifier(let n):
                    if Resolver.resolve(n, from: scope) != nil { emit(.false) } else {
                        emit(.globalObject); emit(.deleteProp, str(n))
                    }
                default: try expression(x); emit(.pop); emit(.true)
                }
            }
        case .update(let op, let isPrefix, let target):
            let step: Op = op == .increment ? .inc : .dec
            switch target.kind {
            case .identifier(let n):
                load(n, target.range)
                emit(.toNumeric)
                if isPrefix { emit(step); store(n, target.range) } else {
                    emit(.dup); emit(step); store(n, target.range); emit(.pop)
                }
            case .member(let o, let n):
                try expression(o)
                emit(.dup)
                mark(target.range)
                emit(.getProp, str(n), unit.newCacheSlot())
                emit(.toNumeric)
                if isPrefix { emit(step); emit(.setProp, str(n), unit.newCacheSlot()) } else {
                    emit(.dupX1); emit(step); emit(.setProp, str(n), unit.newCacheSlot()); emit(.pop)
                }
            case .index(let o, let k):
                try expression(o)
                try expression(k)
                mark(target.range)
                emit(.toPropertyKey)  // base checked, key converted once (get and set share it)
                emit(.dup2)
                emit(.getElem)
                emit(.toNumeric)
                if isPrefix { emit(step); emit(.setElem) } else {
                    emit(.dupX2); emit(step); emit(.setElem); emit(.pop)
                }
            default:
                throw SyntaxError(message: "Invalid left-hand side expression in \(isPrefix ? "prefix" : "postfix") operation", location: target.range.start)
            }
        case .binary(let op, let a, let b):
            try expression(a)
            try expression(b)
            mark(e.range)
            emit(binaryOp(op))
        case .logical(let op, let a, let b):
            try expression(a)
            let j: Int
            switch op {
            case .and: j = emit(.jumpIfFalseKeep)
            case .or: j = emit(.jumpIfTrueKeep)
            case .nullishCoalescing: j = emit(.jumpIfNotNullishKeep)
            }
            try expression(b)
            patch(j, to: pc)
        case .assignment(let op, let target, let value):
            try assignment(op, target, value)
        case .conditional(let t, let a, let b):
            try expression(t)
            let j = emit(.jumpIfFalse)
            try expression(a)
            let k = emit(.jump)
            depth -= 1
            patch(j, to: pc)
            try expression(b)
            patch(k, to: pc)
        case .call(let callee, let args):
            try call(callee, args, e.range)
        case .new(let callee, let args):
            try expression(callee)
            emit(.undefined)
            try arguments(args, e.range, callee: callee, construct: true)
        case .member(let o, let n):
            try expression(o)
            mark(e.range)
            emit(.getProp, str(n), unit.newCacheSlot())
        case .index(let o, let k):
            try expression(o)
            try expression(k)
            mark(e.range)
            emit(.getElem)
        case .sequence(let xs):
            for (i, x) in xs.enumerated() {
                try expression(x)
                if i < xs.count - 1 { emit(.pop) }
            }
        }
    }

    func envSlot(_ b: Binding) -> Int {
        if case .env(let s) = b.location { return s }
        return 0
    }

    func call(_ callee: Expression, _ args: [Argument], _ r: SourceRange) throws(SyntaxError) {
        switch callee.kind {
        case .member(let o, let n):
            try expression(o)
            mark(callee.range)
            emit(.getMethod, str(n), unit.newCacheSlot())
        case .index(let o, let k):
            try expression(o)
            emit(.dup)
            try expression(k)
            mark(callee.range)
            emit(.getElem)
            emit(.swap)
        default:
            try expression(callee)
            emit(.undefined)
        }
        try arguments(args, r, callee: callee, construct: false)
    }

    func arguments(_ args: [Argument], _ r: SourceRange, callee: Expression, construct: Bool) throws(SyntaxError) {
        let hasSpread = args.contains { if case .spread = $0 { return true }; return false }
        if hasSpread {
            emit(.newArray, 0)
            for a in args {
                switch a {
                case .expression(let x): try expression(x); emit(.arrayAppend)
                case .spread(let x): try expression(x); mark(x.range); emit(.arrayAppendSpread)
                }
            }
            mark(r)
            emit(construct ? .constructSpread : .callSpread, 0, calleeText(callee))
        } else {
            for a in args { if case .expression(let x) = a { try expression(x) } }
            mark(r)
            emit(construct ? .construct : .call, Int32(args.count), calleeText(callee))
        }
    }

    func assignment(_ op: AssignmentOperator, _ target: Expression, _ value: Expression) throws(SyntaxError) {
        let bin = op.binaryOperator.map(binaryOp)
        switch target.kind {
        case .identifier(let n):
            if let bin {
                load(n, target.range)
                try expression(value)
                emit(bin)
            } else {
                try expression(value, name: n)
            }
            store(n, target.range)
        case .member(let o, let n):
            try expression(o)
            if let bin {
                emit(.dup)
                mark(target.range)
                emit(.getProp, str(n), unit.newCacheSlot())
                try expression(value)
                emit(bin)
            } else {
                try expression(value)
            }
            mark(target.range)
            emit(.setProp, str(n), unit.newCacheSlot())
        case .index(let o, let k):
            try expression(o)
            try expression(k)
            if let bin {
                mark(target.range)
                emit(.toPropertyKey)  // base checked, key converted once (get and set share it)
                emit(.dup2)
                mark(target.range)
                emit(.getElem)
                try expression(value)
                emit(bin)
            } else {
                try expression(value)
            }
            mark(target.range)
            emit(.setElem)
        default:
            throw SyntaxError(message: "Invalid left-hand side in assignment", location: target.range.start)
        }
    }
}
