import LazarusSyntax

// MARK: - Resolver: scopes, hoisting, captured-variable analysis, early errors

enum BindingKind: Sendable {
    case `var`, `let`, `const`, function, param, catchParam, arguments, callee, this, rest
    var isLexical: Bool { self == .let || self == .const }
}

/// Where a binding lives at run time.
enum BindingLocation {
    case unassigned
    case register(Int)
    case env(Int)
    /// A property of the global object (top-level `var` / function declarations).
    case global
}

final class Binding {
    let name: String
    let kind: BindingKind
    unowned let scope: Scope
    var captured = false
    var location: BindingLocation = .unassigned
    /// UTF-16 offset after which the binding is certainly initialized (TDZ elision).
    var initializedAfter: Int
    /// Parameter position (params), for the prologue copy into the environment.
    var paramIndex = -1
    init(name: String, kind: BindingKind, scope: Scope, initializedAfter: Int) {
        self.name = name
        self.kind = kind
        self.scope = scope
        self.initializedAfter = initializedAfter
    }
}

/// `functionBody`: the separate var scope of a function whose parameters have
/// expressions (defaults): closures in the parameter list don't see body declarations.
/// `forHead`: the TDZ scope in which a `for (let/const x in/of expr)` head expression runs.
enum ScopeKind { case script, function, block, catchClause, switchBlock, forLoop, functionBody, forHead }

/// Identifies the scope of an AST node across passes.
struct ScopeKey: Hashable {
    var tag: UInt8
    var start: Int
    var end: Int
    init(_ tag: UInt8, _ range: SourceRange) { self.tag = tag; start = range.start.offset; end = range.end.offset }
}

final class Scope {
    let kind: ScopeKind
    let parent: Scope?
    unowned let function: FunctionContext
    var bindings: [String: Binding] = [:]
    var ordered: [Binding] = []
    /// Number of environment slots (captured bindings) once locations are assigned.
    var envSize = 0
    var needsEnv: Bool { envSize > 0 }

    init(kind: ScopeKind, parent: Scope?, function: FunctionContext) {
        self.kind = kind
        self.parent = parent
        self.function = function
    }

    @discardableResult
    func declare(_ name: String, _ kind: BindingKind, after: Int) -> Binding {
        if let b = bindings[name] { return b }
        let b = Binding(name: name, kind: kind, scope: self, initializedAfter: after)
        bindings[name] = b
        ordered.append(b)
        return b
    }
}

final class FunctionContext {
    let node: FunctionNode?
    let isArrow: Bool
    let isStrict: Bool
    var scope: Scope!
    var scopes: [Scope] = []
    var argumentsBinding: Binding?
    var thisBinding: Binding?
    var paramCount = 0
    var registerCount = 0
    /// Sloppy function with simple parameters that uses `arguments`: the arguments object
    /// is mapped to the parameters (all of them, and the arguments binding, live in the
    /// environment; see `VM.mapArguments`).
    var mappedArguments = false
    weak var parent: FunctionContext?
    init(node: FunctionNode?, isArrow: Bool, isStrict: Bool, parent: FunctionContext?) {
        self.node = node
        self.isArrow = isArrow
        self.isStrict = isStrict
        self.parent = parent
    }
}

/// Result of resolution: every scope by key, every function context, in creation order.
final class Resolution {
    var scopes: [ScopeKey: Scope] = [:]
    var functions: [ObjectIdentifier: FunctionContext] = [:]
    var script: FunctionContext!
}

enum ScopeTag {
    static let function: UInt8 = 1, block: UInt8 = 2, catchClause: UInt8 = 3, switchBlock: UInt8 = 4, forLoop: UInt8 = 5
    static let tryBlock: UInt8 = 6, finallyBlock: UInt8 = 7, functionBody: UInt8 = 8, forHead: UInt8 = 9
}

/// Pass 1 over a program: builds scopes, declares bindings with hoisting, resolves every
/// identifier (marking captured ones), reports early errors, then assigns locations.
struct Resolver {
    let program: Program
    let result = Resolution()

    init(program: Program) { self.program = program }

    func resolve() throws(SyntaxError) -> Resolution {
        let ctx = FunctionContext(node: nil, isArrow: false, isStrict: program.isStrict, parent: nil)
        let scope = Scope(kind: .script, parent: nil, function: ctx)
        ctx.scope = scope
        ctx.scopes.append(scope)
        result.script = ctx
        try declareBody(program.body, in: scope, functionScope: true)
        for s in program.body { try walk(s, scope) }
        assignLocations(ctx)
        for (_, f) in result.functions { assignLocations(f) }
        return result
    }

    // MARK: Declarations

    /// Hoists `var`s (recursively, not into functions) and declares the lexical
    /// declarations and function declarations that are direct children.
    func declareBody(_ body: [Statement], in scope: Scope, functionScope: Bool) throws(SyntaxError) {
        if functionScope {
            var vars: [(String, SourceRange)] = []
            var blockFunctions: [FunctionNode] = []
            for s in body { collectVars(s, &vars, &blockFunctions, topLevel: true) }
            for (name, range) in vars {
                if let existing = scope.bindings[name], existing.kind.isLexical {
                    throw redeclared(name, range)
                }
                scope.declare(name, .var, after: 0)
            }
            if !scope.function.isStrict {
                for f in blockFunctions where f.name != nil && scope.bindings[f.name!] == nil {
                    scope.declare(f.name!, .var, after: 0)
                }
            }
        }
        try declareLexical(body, in: scope, functionScope: functionScope)
    }

    func declareLexical(_ body: [Statement], in scope: Scope, functionScope: Bool) throws(SyntaxError) {
        for s in body {
            switch s.kind {
            case .variableDeclaration(let d) where d.kind != .var:
                for decl in d.declarators {
                    if scope.bindings[decl.name] != nil { throw redeclared(decl.name, decl.nameRange) }
                    scope.declare(decl.name, d.kind == .let ? .let : .const, after: s.range.end.offset)
                }
            case .functionDeclaration(let f):
                guard let name = f.name else { continue }
                if let existing = scope.bindings[name] {
                    if existing.kind.isLexical { throw redeclared(name, f.nameRange ?? s.range) }
                    if !functionScope && existing.kind == .function && scope.function.isStrict {
                        throw redeclared(name, f.nameRange ?? s.range)
                    }
                    if existing.kind == .callee {
                        scope.bindings[name] = nil
                        scope.ordered.removeAll { $0 === existing }
                    } else if functionScope || existing.kind == .function {
                        continue
                    }
                }
                if functionScope || scope.function.isStrict {
                    scope.declare(name, .function, after: 0)
                }
            default: break
            }
        }
    }

    func collectVars(_ s: Statement, _ out: inout [(String, SourceRange)], _ fns: inout [FunctionNode], topLevel: Bool) {
        switch s.kind {
        case .variableDeclaration(let d) where d.kind == .var:
            for decl in d.declarators { out.append((decl.name, decl.nameRange)) }
        case .functionDeclaration(let f): if !topLevel { fns.append(f) }
        case .block(let b): for x in b { collectVars(x, &out, &fns, topLevel: false) }
        case .if(_, let t, let e):
            collectVars(t, &out, &fns, topLevel: false)
            if let e { collectVars(e, &out, &fns, topLevel: false) }
        case .for(let i, _, _, let body):
            if case .declaration(let d)? = i, d.kind == .var { for decl in d.declarators { out.append((decl.name, decl.nameRange)) } }
            collectVars(body, &out, &fns, topLevel: false)
        case .forIn(let b, _, let body), .forOf(let b, _, let body):
            if case .declaration(.var, let name, let range) = b { out.append((name, range)) }
            collectVars(body, &out, &fns, topLevel: false)
        case .while(_, let body), .doWhile(let body, _): collectVars(body, &out, &fns, topLevel: false)
        case .try(let block, let c, let fin):
            for x in block { collectVars(x, &out, &fns, topLevel: false) }
            if let c { for x in c.body { collectVars(x, &out, &fns, topLevel: false) } }
            if let fin { for x in fin { collectVars(x, &out, &fns, topLevel: false) } }
        case .switch(_, let cases):
            for c in cases { for x in c.body { collectVars(x, &out, &fns, topLevel: false) } }
        case .labeled(_, let body): collectVars(body, &out, &fns, topLevel: false)
        default: break
        }
    }

    func hasLexical(_ body: [Statement], strict: Bool) -> Bool {
        for s in body {
            switch s.kind {
            case .variableDeclaration(let d) where d.kind != .var: return true
            case .functionDeclaration where strict: return true
            default: continue
            }
        }
        return false
    }

    func redeclared(_ name: String, _ range: SourceRange) -> SyntaxError {
        SyntaxError(message: "Identifier '\(name)' has already been declared", location: range.start)
    }

    func newScope(_ kind: ScopeKind, _ tag: UInt8, _ range: SourceRange, parent: Scope) -> Scope {
        let s = Scope(kind: kind, parent: parent, function: parent.function)
        parent.function.scopes.append(s)
        result.scopes[ScopeKey(tag, range)] = s
        return s
    }

    // MARK: Walk

    func walkBlock(_ body: [Statement], _ range: SourceRange, _ scope: Scope, tag: UInt8 = ScopeTag.block) throws(SyntaxError) {
        var inner = scope
        if hasLexical(body, strict: scope.function.isStrict) {
            inner = newScope(.block, tag, range, parent: scope)
            try declareLexical(body, in: inner, functionScope: false)
        }
        for s in body { try walk(s, inner) }
    }

    func walk(_ s: Statement, _ scope: Scope) throws(SyntaxError) {
        switch s.kind {
        case .variableDeclaration(let d):
            if d.kind == .var {
                // A var may not cross a block that declares the same name lexically.
                for decl in d.declarators {
                    var sc: Scope? = scope
                    while let c = sc, c.kind != .function, c.kind != .functionBody, c.kind != .script {
                        if let b = c.bindings[decl.name], b.kind.isLexical || (b.kind == .function && c.kind == .block) {
                            throw redeclared(decl.name, decl.nameRange)
                        }
                        sc = c.parent
                    }
                }
            }
            for decl in d.declarators {
                if let i = decl.initializer { try expr(i, scope) }
                if d.kind == .var { _ = lookup(decl.name, scope) }
            }
        case .functionDeclaration(let f):
            try function(f, scope, isDeclaration: true)
        case .expression(let e): try expr(e, scope)
        case .block(let b): try walkBlock(b, s.range, scope)
        case .empty, .debugger, .break, .continue: break
        case .if(let t, let a, let b):
            try expr(t, scope); try walk(a, scope)
            if let b { try walk(b, scope) }
        case .for(let i, let t, let u, let body):
            var inner = scope
            if case .declaration(let d)? = i, d.kind != .var {
                inner = newScope(.forLoop, ScopeTag.forLoop, s.range, parent: scope)
                for decl in d.declarators {
                    if inner.bindings[decl.name] != nil { throw redeclared(decl.name, decl.nameRange) }
                    inner.declare(decl.name, d.kind == .let ? .let : .const, after: decl.nameRange.end.offset)
                }
            }
            switch i {
            case .declaration(let d)?: try walk(Statement(.variableDeclaration(d), range: s.range), inner)
            case .expression(let e)?: try expr(e, inner)
            case nil: break
            }
            if let t { try expr(t, inner) }
            if let u { try expr(u, inner) }
            try walk(body, inner)
        case .forIn(let b, let o, let body), .forOf(let b, let o, let body):
            var inner = scope
            switch b {
            case .declaration(let k, let name, _) where k != .var:
                inner = newScope(.forLoop, ScopeTag.forLoop, s.range, parent: scope)
                inner.declare(name, k == .let ? .let : .const, after: 0)
                // The iterated expression runs in a scope where the bound name is in its TDZ.
                let head = newScope(.forHead, ScopeTag.forHead, s.range, parent: scope)
                head.declare(name, k == .let ? .let : .const, after: Int.max)
                try expr(o, head)
            case .declaration(_, let name, _):
                _ = lookup(name, scope)
                try expr(o, scope)
            case .target(let t):
                try expr(t, scope)
                try expr(o, scope)
            }
            try walk(body, inner)
        case .while(let t, let body): try expr(t, scope); try walk(body, scope)
        case .doWhile(let body, let t): try walk(body, scope); try expr(t, scope)
        case .return(let e): if let e { try expr(e, scope) }
        case .throw(let e): try expr(e, scope)
        case .try(let block, let c, let fin):
            try walkBlock(block, s.range, scope, tag: ScopeTag.tryBlock)
            if let c {
                let cs = newScope(.catchClause, ScopeTag.catchClause, c.range, parent: scope)
                if let p = c.param { cs.declare(p, .catchParam, after: 0) }
                for x in c.body {
                    if case .variableDeclaration(let d) = x.kind, d.kind != .var {
                        for decl in d.declarators where cs.bindings[decl.name] != nil { throw redeclared(decl.name, decl.nameRange) }
                    }
                }
                try declareLexical(c.body, in: cs, functionScope: false)
                for x in c.body { try walk(x, cs) }
            }
            if let fin {
                try walkBlock(fin, s.range, scope, tag: ScopeTag.finallyBlock)
            }
        case .switch(let d, let cases):
            try expr(d, scope)
            var inner = scope
            let all = cases.flatMap(\.body)
            if hasLexical(all, strict: scope.function.isStrict) {
                inner = newScope(.switchBlock, ScopeTag.switchBlock, s.range, parent: scope)
                try declareLexical(all, in: inner, functionScope: false)
            }
            for c in cases {
                if let t = c.test { try expr(t, inner) }
                for x in c.body { try walk(x, inner) }
            }
        case .labeled(_, let body): try walk(body, scope)
        }
    }

    func function(_ f: FunctionNode, _ scope: Scope, isDeclaration: Bool) throws(SyntaxError) {
        let isArrow = f.kind == .arrow
        let ctx = FunctionContext(node: f, isArrow: isArrow, isStrict: f.isStrict, parent: scope.function)
        let fs = Scope(kind: .function, parent: scope, function: ctx)
        ctx.scope = fs
        ctx.scopes.append(fs)
        result.functions[ObjectIdentifier(f)] = ctx
        result.scopes[ScopeKey(ScopeTag.function, f.range)] = fs
        if f.kind == .normal, let name = f.name, !isDeclaration {
            fs.declare(name, .callee, after: 0)
        }
        var paramIndex = 0
        for p in f.params {
            if p.isRest {
                if let old = fs.bindings[p.name], old.kind == .callee { fs.bindings[p.name] = nil; fs.ordered.removeAll { $0 === old } }
                let b = fs.declare(p.name, .rest, after: 0)
                b.paramIndex = -1
                continue
            }
            if let old = fs.bindings[p.name] {
                if old.kind == .callee { fs.bindings[p.name] = nil; fs.ordered.removeAll { $0 === old } }
                else if f.isStrict || !f.hasSimpleParameterList || isArrow {
                    throw SyntaxError(message: "Duplicate parameter name not allowed in this context", location: p.range.start)
                }
            }
            let b = fs.declare(p.name, .param, after: 0)
            b.paramIndex = paramIndex
            paramIndex += 1
        }
        ctx.paramCount = paramIndex
        // Vars and functions shadow the callee name.
        var vars: [(String, SourceRange)] = []
        var fns: [FunctionNode] = []
        for s in f.body { collectVars(s, &vars, &fns, topLevel: true) }
        for s in f.body {
            if case .functionDeclaration(let g) = s.kind, let n = g.name, let old = fs.bindings[n], old.kind == .callee {
                fs.bindings[n] = nil; fs.ordered.removeAll { $0 === old }
            }
        }
        for (n, _) in vars { if let old = fs.bindings[n], old.kind == .callee { fs.bindings[n] = nil; fs.ordered.removeAll { $0 === old } } }
        // let/const may not redeclare parameters.
        for s in f.body {
            if case .variableDeclaration(let d) = s.kind, d.kind != .var {
                for decl in d.declarators {
                    if let b = fs.bindings[decl.name], b.kind == .param || b.kind == .rest { throw redeclared(decl.name, decl.nameRange) }
                    if let b = fs.bindings[decl.name], b.kind == .callee { fs.bindings[decl.name] = nil; fs.ordered.removeAll { $0 === b } }
                }
            }
        }
        if f.params.contains(where: { $0.defaultValue != nil }) {
            // Parameter expressions: the body gets its own var scope (FunctionDeclarationInstantiation
            // step 28); `arguments` is then created unless a parameter is named so.
            let bs = newScope(.functionBody, ScopeTag.functionBody, f.range, parent: fs)
            try declareBody(f.body, in: bs, functionScope: true)
            for p in f.params { if let d = p.defaultValue { try expr(d, fs) } }
            for s in f.body { try walk(s, bs) }
            if !isArrow, let b = bs.bindings["arguments"], b.kind == .var, fs.bindings["arguments"] == nil {
                // `var arguments` in the body starts out as the arguments object.
                lookup("arguments", fs)
            }
        } else {
            try declareBody(f.body, in: fs, functionScope: true)
            for p in f.params { if let d = p.defaultValue { try expr(d, fs) } }
            for s in f.body { try walk(s, fs) }
            if !isArrow, let b = fs.bindings["arguments"], b.kind == .var, ctx.argumentsBinding == nil {
                // `var arguments` doesn't suppress the arguments object: it is its binding.
                ctx.argumentsBinding = b
            }
        }
        if !f.isStrict && !isArrow && f.hasSimpleParameterList && ctx.paramCount > 0 && ctx.paramCount <= 32,
           let ab = ctx.argumentsBinding, ab.scope === fs, Set(f.params.map(\.name)).count == f.params.count,
           f.params.allSatisfy({ fs.bindings[$0.name]?.kind == .param }) {
            ctx.mappedArguments = true
            for p in f.params { fs.bindings[p.name]?.captured = true }
            ab.captured = true
        }
    }

    // MARK: Expressions

    @discardableResult
    func lookup(_ name: String, _ scope: Scope) -> Binding? {
        Resolver.resolve(name, from: scope)
    }

    /// Resolves a name, marking bindings captured when found across a function boundary,
    /// and creating implicit `arguments` bindings. nil = global.
    static func resolve(_ name: String, from scope: Scope) -> Binding? {
        var sc: Scope? = scope
        let here = scope.function
        while let c = sc {
            if let b = c.bindings[name] {
                if c.function !== here { b.captured = true }
                return b
            }
            if c.kind == .function && name == "arguments" && !c.function.isArrow {
                let b = c.declare("arguments", .arguments, after: 0)
                c.function.argumentsBinding = b
                if c.function !== here { b.captured = true }
                return b
            }
            sc = c.parent
        }
        return nil
    }

    /// The binding holding lexical `this` for arrows (nil: use the frame's this).
    static func resolveThis(from scope: Scope) -> Binding? {
        guard scope.function.isArrow else { return nil }
        var sc: Scope? = scope
        while let c = sc {
            if (c.kind == .function && !c.function.isArrow) || c.kind == .script {
                let b = c.declare("this", .this, after: 0)
                c.function.thisBinding = b
                b.captured = true
                return b
            }
            sc = c.parent
        }
        return nil
    }

    func expr(_ e: Expression, _ scope: Scope) throws(SyntaxError) {
        switch e.kind {
        case .identifier(let n): lookup(n, scope)
        case .number, .string, .stringUnits, .boolean, .null: break
        case .this: _ = Resolver.resolveThis(from: scope)
        case .template(_, let es): for x in es { try expr(x, scope) }
        case .array(let els):
            for el in els {
                switch el {
                case .hole: break
                case .expression(let x), .spread(let x): try expr(x, scope)
                }
            }
        case .object(let props):
            for p in props {
                if case .computed(let k) = p.key { try expr(k, scope) }
                try expr(p.value, scope)
            }
        case .function(let f): try function(f, scope, isDeclaration: false)
        case .unary(_, let x): try expr(x, scope)
        case .update(_, _, let x): try expr(x, scope)
        case .binary(_, let a, let b), .logical(_, let a, let b): try expr(a, scope); try expr(b, scope)
        case .assignment(_, let t, let v): try expr(t, scope); try expr(v, scope)
        case .conditional(let t, let a, let b): try expr(t, scope); try expr(a, scope); try expr(b, scope)
        case .call(let c, let args), .new(let c, let args):
            try expr(c, scope)
            for a in args {
                switch a { case .expression(let x), .spread(let x): try expr(x, scope) }
            }
        case .member(let o, _): try expr(o, scope)
        case .index(let o, let k): try expr(o, scope); try expr(k, scope)
        case .sequence(let xs): for x in xs { try expr(x, scope) }
        }
    }

    // MARK: Locations

    func assignLocations(_ ctx: FunctionContext) {
        var next = ctx.paramCount
        for sc in ctx.scopes {
            var envSlot = 0
            for b in sc.ordered {
                if sc.kind == .script && (b.kind == .var || b.kind == .function) {
                    b.location = .global
                } else if b.captured {
                    b.location = .env(envSlot); envSlot += 1
                } else if b.kind == .param {
                    b.location = .register(b.paramIndex)
                } else {
                    b.location = .register(next); next += 1
                }
            }
            sc.envSize = envSlot
        }
        ctx.registerCount = next
    }
}

