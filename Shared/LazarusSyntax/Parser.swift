/// Internal error box: typed throws of an 8-byte class keeps the (debug-build) stack
/// frames of the recursive parser small; `parseProgram` unwraps it.
final class ParseFailure: Error, Sendable {
    let error: SyntaxError
    init(_ error: SyntaxError) { self.error = error }
}

/// Recursive-descent parser with one token of lookahead (plus an occasional peek).
/// Early errors are checked inline; see docs/SYNTAX.md.
final class Parser {
    let source: String
    let lexer: Lexer
    let maxDepth: Int

    /// Current token.
    var tok: Token
    var peeked: Token?
    /// End of the last consumed token.
    var lastEnd: SourceLocation = .start
    var strict: Bool
    /// `in` is not a binary operator here (for-statement initializers).
    var noIn = false
    var depth = 0
    /// Offset where an arrow function may start (the start of the current AssignmentExpression).
    var potentialArrowAt = -1
    var fn = FunctionContext(inFunction: false)
    var scopes: [Scope] = []
    let stackGuard = StackGuard()

    struct Label {
        var name: String
        var isLoop: Bool
    }

    struct FunctionContext {
        var inFunction: Bool
        var labels: [Label] = []
        var loopDepth = 0
        var breakableDepth = 0
        /// Indices into `labels` of labels directly prefixing the statement being parsed.
        var pendingLabels: [Int] = []
    }

    final class Scope {
        let isFunction: Bool
        var lexical: Set<String> = []
        var vars: Set<String> = []
        var blockFunctions: Set<String> = []
        var params: Set<String> = []
        var catchParam: String?

        init(isFunction: Bool) { self.isFunction = isFunction }
    }

    init(source: String, options: ParseOptions) {
        self.source = source
        self.lexer = Lexer(source)
        self.maxDepth = max(1, options.maxNestingDepth)
        self.strict = options.strict
        self.tok = Token(kind: .eof, start: .start, end: .start)
    }

    func parseProgram() throws(ParseFailure) -> Program {
        tok = try lexer.next()
        scopes = [Scope(isFunction: true)]
        let (body, _) = try parseStatementList(directives: true, untilRBrace: false)
        if tok.kind != .eof { throw unexpected(tok) }
        return Program(body: body, isStrict: strict, source: source)
    }

    // MARK: - Tokens

    func advance() throws(ParseFailure) {
        lastEnd = tok.end
        if let p = peeked {
            tok = p
            peeked = nil
        } else {
            tok = try lexer.next()
        }
    }

    func peek() throws(ParseFailure) -> Token {
        if let p = peeked { return p }
        let p = try lexer.next()
        peeked = p
        return p
    }

    func expect(_ p: Punctuator) throws(ParseFailure) {
        guard tok.isPunctuator(p) else { throw unexpected(tok, expected: p.text) }
        try advance()
    }

    func eat(_ p: Punctuator) throws(ParseFailure) -> Bool {
        if tok.isPunctuator(p) {
            try advance()
            return true
        }
        return false
    }

    func consumeSemicolon() throws(ParseFailure) {
        if tok.isPunctuator(.semicolon) { try advance(); return }
        if tok.isPunctuator(.rbrace) || tok.kind == .eof || tok.newlineBefore { return }
        throw unexpected(tok)
    }

    func range(from start: SourceLocation) -> SourceRange {
        SourceRange(start: start, end: lastEnd.offset >= start.offset ? lastEnd : start)
    }

    // MARK: - Errors

    func error(_ message: String, _ loc: SourceLocation, hint: String? = nil) -> ParseFailure {
        ParseFailure(SyntaxError(message: message, location: loc, hint: hint))
    }

    func unexpected(_ t: Token, expected: String? = nil) -> ParseFailure {
        if t.kind == .eof { return error("Unexpected end of input", t.start) }
        if t.kind == .identifier && t.escaped && Keywords.isReserved(t.name) {
            return error("Keyword must not contain escaped characters", t.start)
        }
        var message = "Unexpected \(t.displayText)"
        if let expected { message += " (expected '\(expected)')" }
        return error(message, t.start)
    }

    func unsupported(_ what: String, feature: String, _ loc: SourceLocation, hint: String? = nil) -> ParseFailure {
        ParseFailure(SyntaxError(message: "\(what) not supported in Lazarus scripts (version 1)", location: loc,
                                 hint: hint, feature: feature))
    }

    func enter() throws(ParseFailure) {
        depth += 1
        if depth > maxDepth || stackGuard.isExhausted { throw nestingTooDeep(tok.start) }
    }

    func leave() { depth -= 1 }

    func nestingTooDeep(_ loc: SourceLocation) -> ParseFailure {
        error("Program nesting too deep (more than \(maxDepth) levels, or out of parser stack)", loc)
    }

    /// Parenthesized expressions are not in the AST; an expression is known to have been
    /// parenthesized when its range starts after the token where its parse began.
    func isParenthesized(_ e: Expression, startedAt start: SourceLocation) -> Bool {
        e.range.start.offset != start.offset
    }

    func isUnparenthesizedArrow(_ e: Expression, startedAt start: SourceLocation) -> Bool {
        if case .function(let f) = e.kind, f.kind == .arrow, !isParenthesized(e, startedAt: start) { return true }
        return false
    }

    // MARK: - Literal checks

    /// Strict-mode restrictions on number and string tokens, checked when consumed.
    func checkLiteral(_ t: Token) throws(ParseFailure) {
        guard strict, t.legacyOctal else { return }
        if t.kind == .number {
            throw error("Octal literals are not allowed in strict mode", t.start,
                        hint: "Use 0o17 for octal, or remove the leading zero")
        }
        throw error("Octal escape sequences are not allowed in strict mode", t.start, hint: "Use \\x or \\u escapes")
    }

    static func hasLoneSurrogate(_ units: [UInt16]) -> Bool {
        var i = 0
        while i < units.count {
            let u = units[i]
            if u >= 0xD800 && u <= 0xDBFF {
                if i + 1 < units.count && units[i + 1] >= 0xDC00 && units[i + 1] <= 0xDFFF { i += 2; continue }
                return true
            }
            if u >= 0xDC00 && u <= 0xDFFF { return true }
            i += 1
        }
        return false
    }

    static func string(_ units: [UInt16]) -> String { String(decoding: units, as: UTF16.self) }

    // MARK: - Identifiers

    /// Validates a name being declared (var/let/const/function/param/catch).
    func checkBindingName(_ name: String, escaped: Bool, at loc: SourceLocation, strict: Bool, lexical: Bool = false)
        throws(ParseFailure)
    {
        if Keywords.isReserved(name) {
            throw error(escaped ? "Keyword must not contain escaped characters" : "Unexpected token '\(name)'", loc)
        }
        if strict && Keywords.strictReserved.contains(name) {
            throw error("Unexpected strict mode reserved word '\(name)'", loc)
        }
        if strict && (name == "eval" || name == "arguments") {
            throw error("Unexpected eval or arguments in strict mode", loc)
        }
        if lexical && name == "let" {
            throw error("let is disallowed as a lexically bound name", loc)
        }
    }

    /// Validates an identifier used as an expression (or label).
    func checkIdentifierReference(_ t: Token) throws(ParseFailure) {
        if Keywords.isReserved(t.name) { throw unexpected(t) }
        if strict && Keywords.strictReserved.contains(t.name) {
            throw error("Unexpected strict mode reserved word '\(t.name)'", t.start)
        }
    }

    /// Consumes a binding identifier token (reporting destructuring patterns).
    func parseBindingIdentifier(lexical: Bool = false) throws(ParseFailure) -> (String, SourceRange) {
        if tok.isPunctuator(.lbracket) || tok.isPunctuator(.lbrace) {
            throw unsupported("Destructuring patterns are", feature: "destructuring", tok.start,
                              hint: "Bind the value to a name and read its properties or elements instead")
        }
        guard tok.kind == .identifier else { throw unexpected(tok) }
        let t = tok
        try checkBindingName(t.name, escaped: t.escaped, at: t.start, strict: strict, lexical: lexical)
        try advance()
        return (t.name, t.range)
    }

    // MARK: - Scopes (redeclaration early errors)

    func redeclared(_ name: String, _ loc: SourceLocation) -> ParseFailure {
        error("Identifier '\(name)' has already been declared", loc)
    }

    func declareVar(_ name: String, at loc: SourceLocation) throws(ParseFailure) {
        var i = scopes.count - 1
        while i >= 0 {
            let s = scopes[i]
            if s.lexical.contains(name) { throw redeclared(name, loc) }
            s.vars.insert(name)
            if s.isFunction { break }
            i -= 1
        }
    }

    func declareLexical(_ name: String, at loc: SourceLocation, isBlockFunction: Bool = false) throws(ParseFailure) {
        guard let s = scopes.last else { return }
        if s.lexical.contains(name) {
            // Annex B: duplicate plain function declarations in a sloppy block are allowed.
            if !(isBlockFunction && !strict && s.blockFunctions.contains(name)) { throw redeclared(name, loc) }
        } else if s.blockFunctions.contains(name) {
            throw redeclared(name, loc)
        }
        if s.vars.contains(name) || s.params.contains(name) || s.catchParam == name { throw redeclared(name, loc) }
        s.lexical.insert(name)
        if isBlockFunction { s.blockFunctions.insert(name) }
    }

    /// A function declaration directly in a function body or the script: var-like.
    func declareTopLevelFunction(_ name: String, at loc: SourceLocation) throws(ParseFailure) {
        guard let s = scopes.last else { return }
        if s.lexical.contains(name) { throw redeclared(name, loc) }
        s.vars.insert(name)
    }

    func pushScope(isFunction: Bool) -> Scope {
        let s = Scope(isFunction: isFunction)
        scopes.append(s)
        return s
    }

    func popScope() { _ = scopes.popLast() }

    var atFunctionTopLevel: Bool { scopes.last?.isFunction ?? true }

    // MARK: - Functions

    /// Parses `( params )` after the current position is at `(`.
    func parseFormalParameters() throws(ParseFailure) -> [FunctionNode.Parameter] {
        try expect(.lparen)
        var params: [FunctionNode.Parameter] = []
        let saved = noIn
        noIn = false
        defer { noIn = saved }
        while !tok.isPunctuator(.rparen) {
            if tok.isPunctuator(.ellipsis) {
                let restStart = tok.start
                try advance()
                let (name, r) = try parseBindingIdentifier()
                if tok.isPunctuator(.assign) { throw error("Rest parameter may not have a default initializer", tok.start) }
                if !tok.isPunctuator(.rparen) { throw error("Rest parameter must be last formal parameter", restStart) }
                params.append(.init(name: name, range: r, defaultValue: nil, isRest: true))
                break
            }
            let (name, r) = try parseBindingIdentifier()
            var def: Expression?
            if try eat(.assign) { def = try parseMaybeAssign() }
            params.append(.init(name: name, range: r, defaultValue: def, isRest: false))
            if !tok.isPunctuator(.rparen) { try expect(.comma) }
        }
        try expect(.rparen)
        return params
    }

    /// Parses `{ body }` for a function whose parameters are already parsed, then runs the
    /// strictness-dependent checks on the name and parameters.
    func parseFunctionRest(name: String?, nameToken: Token?, params: [FunctionNode.Parameter], kind: FunctionNode.Kind,
                           start: SourceLocation) throws(ParseFailure) -> FunctionNode
    {
        guard tok.isPunctuator(.lbrace) else { throw unexpected(tok, expected: "{") }
        let savedStrict = strict, savedFn = fn, savedNoIn = noIn
        fn = FunctionContext(inFunction: true)
        noIn = false
        let scope = pushScope(isFunction: true)
        for p in params { scope.params.insert(p.name) }
        try advance()
        let (body, useStrict) = try parseStatementList(directives: true, untilRBrace: true)
        let hasUseStrict = useStrict != nil
        let isStrict = strict
        guard tok.isPunctuator(.rbrace) else { throw unexpected(tok, expected: "}") }
        popScope()
        strict = savedStrict
        fn = savedFn
        noIn = savedNoIn
        try advance()
        let simple = params.allSatisfy { $0.defaultValue == nil && !$0.isRest }
        try validateFunction(nameToken: nameToken, params: params, kind: kind, isStrict: isStrict,
                             hasUseStrict: hasUseStrict, simple: simple, directiveLoc: useStrict ?? start)
        return FunctionNode(name: name, nameRange: nameToken?.range, params: params, body: body, kind: kind,
                            hasExpressionBody: false, isStrict: isStrict, hasUseStrictDirective: hasUseStrict,
                            hasSimpleParameterList: simple, range: range(from: start))
    }

    func validateFunction(nameToken: Token?, params: [FunctionNode.Parameter], kind: FunctionNode.Kind,
                          isStrict: Bool, hasUseStrict: Bool, simple: Bool, directiveLoc: SourceLocation) throws(ParseFailure)
    {
        if hasUseStrict && !simple {
            throw error("Illegal 'use strict' directive in function with non-simple parameter list", directiveLoc)
        }
        if isStrict {
            if let t = nameToken { try checkBindingName(t.name, escaped: t.escaped, at: t.start, strict: true) }
            for p in params { try checkBindingName(p.name, escaped: false, at: p.range.start, strict: true) }
        }
        if isStrict || !simple || kind != .normal {
            var seen = Set<String>()
            for p in params where !seen.insert(p.name).inserted {
                throw error("Duplicate parameter name '\(p.name)' not allowed in this context", p.range.start)
            }
        }
        switch kind {
        case .getter where !params.isEmpty:
            throw error("Getter must not have any formal parameters", params[0].range.start)
        case .setter where params.count != 1 || params[0].isRest:
            throw error("Setter must have exactly one formal parameter", params.first?.range.start ?? directiveLoc)
        default: break
        }
    }

    /// `function` keyword already current. Declarations require a name.
    func parseFunction(isDeclaration: Bool, start: SourceLocation) throws(ParseFailure) -> FunctionNode {
        try enter()
        defer { leave() }
        try advance()  // `function`
        if tok.isPunctuator(.star) {
            throw unsupported("Generator functions (function*) are", feature: "generators", tok.start)
        }
        var name: String?
        var nameToken: Token?
        if tok.kind == .identifier {
            let t = tok
            try checkBindingName(t.name, escaped: t.escaped, at: t.start, strict: strict)
            name = t.name
            nameToken = t
            try advance()
        } else if isDeclaration {
            throw unexpected(tok, expected: "function name")
        }
        if isDeclaration, let name, let t = nameToken {
            if atFunctionTopLevel {
                try declareTopLevelFunction(name, at: t.start)
            } else {
                try declareLexical(name, at: t.start, isBlockFunction: true)
            }
        }
        let params = try parseFormalParameters()
        return try parseFunctionRest(name: name, nameToken: nameToken, params: params, kind: .normal, start: start)
    }

    /// Object literal method/getter/setter: the current token is `(`.
    func parseMethod(kind: FunctionNode.Kind, name: String?, start: SourceLocation) throws(ParseFailure) -> FunctionNode {
        try enter()
        defer { leave() }
        let params = try parseFormalParameters()
        return try parseFunctionRest(name: name, nameToken: nil, params: params, kind: kind, start: start)
    }

    /// The current token is `=>`; parameters come from the arrow's cover grammar.
    func parseArrowFunction(params: [FunctionNode.Parameter], start: SourceLocation) throws(ParseFailure) -> Expression {
        try advance()  // =>
        let simple = params.allSatisfy { $0.defaultValue == nil && !$0.isRest }
        if tok.isPunctuator(.lbrace) {
            let f = try parseFunctionRest(name: nil, nameToken: nil, params: params, kind: .arrow, start: start)
            return Expression(.function(f), range: f.range)
        }
        let savedFn = fn
        fn = FunctionContext(inFunction: true)
        let scope = pushScope(isFunction: true)
        for p in params { scope.params.insert(p.name) }
        let body = try parseMaybeAssign()
        popScope()
        fn = savedFn
        try validateFunction(nameToken: nil, params: params, kind: .arrow, isStrict: strict, hasUseStrict: false,
                             simple: simple, directiveLoc: start)
        let ret = Statement(.return(body), range: body.range)
        let f = FunctionNode(name: nil, nameRange: nil, params: params, body: [ret], kind: .arrow,
                             hasExpressionBody: true, isStrict: strict, hasUseStrictDirective: false,
                             hasSimpleParameterList: simple, range: range(from: start))
        return Expression(.function(f), range: f.range)
    }
}
