extension Parser {
    // MARK: - Statement lists

    /// Parses statements up to `}` (not consumed) or end of input. With `directives`,
    /// processes the directive prologue and returns whether it contained "use strict".
    func parseStatementList(directives: Bool, untilRBrace: Bool) throws(ParseFailure) -> ([Statement], SourceLocation?) {
        var body: [Statement] = []
        var inPrologue = directives
        var useStrict: SourceLocation?
        var octalInPrologue: SourceLocation?
        while !(tok.kind == .eof || (untilRBrace && tok.isPunctuator(.rbrace))) {
            if inPrologue {
                if tok.kind == .string {
                    let strTok = tok
                    let stmt = try parseStatementListItem()
                    body.append(stmt)
                    if case .expression(let e) = stmt.kind, e.range.start.offset == strTok.start.offset,
                       e.range.end.offset == strTok.end.offset, stmt.range.start.offset == strTok.start.offset
                    {
                        if isUseStrictToken(strTok) {
                            if useStrict == nil { useStrict = strTok.start }
                            if !strict {
                                strict = true
                                if let loc = octalInPrologue {
                                    throw error("Octal escape sequences are not allowed in strict mode", loc)
                                }
                            }
                        }
                        if strTok.legacyOctal { octalInPrologue = strTok.start }
                    } else {
                        inPrologue = false
                    }
                    continue
                }
                inPrologue = false
            }
            body.append(try parseStatementListItem())
        }
        if untilRBrace && tok.kind == .eof { throw unexpected(tok, expected: "}") }
        return (body, useStrict)
    }

    /// Exactly `"use strict"` or `'use strict'` (no escapes, no line continuations).
    func isUseStrictToken(_ t: Token) -> Bool {
        guard t.end.offset - t.start.offset == 12 else { return false }
        let src = lexer.src
        let expected: [UInt16] = Array("use strict".utf16)
        for i in 0..<10 where src[t.start.offset + 1 + i] != expected[i] { return false }
        return true
    }

    /// StatementListItem: declarations allowed.
    func parseStatementListItem() throws(ParseFailure) -> Statement {
        if tok.kind == .identifier && !tok.escaped {
            switch tok.name {
            case "function":
                try enter()
                defer { leave() }
                fn.pendingLabels = []
                let start = tok.start
                let f = try parseFunction(isDeclaration: true, start: start)
                return Statement(.functionDeclaration(f), range: f.range)
            case "const":
                return try parseLexicalDeclarationStatement()
            case "let":
                if try isLetDeclarationStart() { return try parseLexicalDeclarationStatement() }
            case "class":
                throw unsupported("'class' is", feature: "class", tok.start,
                                  hint: "Use a constructor function and its prototype")
            default:
                break
            }
        }
        return try parseStatement(singleStatementContext: false)
    }

    /// `let` followed by an identifier, `[` or `{` starts a declaration.
    func isLetDeclarationStart() throws(ParseFailure) -> Bool {
        let next = try peek()
        if next.isPunctuator(.lbracket) || next.isPunctuator(.lbrace) { return true }
        if next.kind == .identifier {
            if strict { return true }
            return next.escaped || !Keywords.isReserved(next.name) || next.name == "let"
        }
        return false  // an expression; in strict code `let` is then reported as a reserved word
    }

    func parseLexicalDeclarationStatement() throws(ParseFailure) -> Statement {
        try enter()
        defer { leave() }
        fn.pendingLabels = []
        let start = tok.start
        let kind: DeclarationKind = tok.name == "const" ? .const : .let
        try advance()
        let decl = try parseDeclarators(kind: kind, inForHead: false)
        try consumeSemicolon()
        return Statement(.variableDeclaration(decl), range: range(from: start))
    }

    /// Declarators after `var`/`let`/`const`. In a for head, `const` without initializer is
    /// checked by the caller (allowed before `in`/`of`).
    func parseDeclarators(kind: DeclarationKind, inForHead: Bool) throws(ParseFailure) -> VariableDeclaration {
        var declarators: [VariableDeclarator] = []
        while true {
            let (name, nameRange) = try parseBindingIdentifier(lexical: kind != .var)
            if kind == .var {
                try declareVar(name, at: nameRange.start)
            } else {
                try declareLexical(name, at: nameRange.start)
            }
            var initializer: Expression?
            if try eat(.assign) {
                initializer = try parseMaybeAssign()
            } else if kind == .const && !inForHead {
                throw error("Missing initializer in const declaration", tok.start)
            }
            declarators.append(VariableDeclarator(name: name, nameRange: nameRange, initializer: initializer))
            guard try eat(.comma) else { break }
        }
        return VariableDeclaration(kind: kind, declarators: declarators)
    }

    // MARK: - Statements

    /// Statement. In a single-statement context (bodies of if/loops/labels), declarations
    /// are not allowed.
    func parseStatement(singleStatementContext: Bool) throws(ParseFailure) -> Statement {
        try enter()
        defer { leave() }
        let pending = fn.pendingLabels
        fn.pendingLabels = []
        let start = tok.start
        let t = tok
        switch t.kind {
        case .punctuator:
            if t.punctuator == .lbrace {
                let body = try parseBlock()
                return Statement(.block(body), range: range(from: start))
            }
            if t.punctuator == .semicolon {
                try advance()
                return Statement(.empty, range: t.range)
            }
        case .identifier where !t.escaped:
            switch t.name {
            case "var":
                try advance()
                let decl = try parseDeclarators(kind: .var, inForHead: false)
                try consumeSemicolon()
                return Statement(.variableDeclaration(decl), range: range(from: start))
            case "if": return try parseIf()
            case "for": return try parseFor(labels: pending)
            case "while": return try parseWhile(labels: pending)
            case "do": return try parseDoWhile(labels: pending)
            case "continue", "break": return try parseBreakContinue(isBreak: t.name == "break")
            case "return":
                guard fn.inFunction else { throw error("Illegal return statement", start) }
                try advance()
                var arg: Expression?
                if !(tok.isPunctuator(.semicolon) || tok.isPunctuator(.rbrace) || tok.kind == .eof || tok.newlineBefore) {
                    arg = try parseExpression()
                }
                try consumeSemicolon()
                return Statement(.return(arg), range: range(from: start))
            case "throw":
                try advance()
                if tok.newlineBefore { throw error("Illegal newline after throw", tok.start) }
                let arg = try parseExpression()
                try consumeSemicolon()
                return Statement(.throw(arg), range: range(from: start))
            case "try": return try parseTry()
            case "switch": return try parseSwitch()
            case "with":
                if strict { throw error("Strict mode code may not include a with statement", start) }
                throw unsupported("The 'with' statement is", feature: "with", start)
            case "debugger":
                try advance()
                try consumeSemicolon()
                return Statement(.debugger, range: range(from: start))
            case "function":
                if singleStatementContext {
                    throw error("Function declarations are not allowed in a single-statement context", start,
                                hint: "Wrap the function declaration in a block { … }")
                }
                let f = try parseFunction(isDeclaration: true, start: start)
                return Statement(.functionDeclaration(f), range: f.range)
            case "class":
                throw unsupported("'class' is", feature: "class", start, hint: "Use a constructor function and its prototype")
            case "const":
                throw error("Lexical declaration cannot appear in a single-statement context", start)
            case "let" where singleStatementContext:
                let next = try peek()
                if next.isPunctuator(.lbracket) || (next.kind == .identifier && !next.newlineBefore)
                    || (next.isPunctuator(.lbrace) && !next.newlineBefore)
                {
                    throw error("Lexical declaration cannot appear in a single-statement context", start)
                }
            case "import":
                let next = try peek()
                if !next.isPunctuator(.lparen) && !next.isPunctuator(.dot) {
                    throw unsupported("'import' declarations are", feature: "modules", start)
                }
            case "export":
                throw unsupported("'export' declarations are", feature: "modules", start)
            case "async":
                let next = try peek()
                if next.isWord("function") && !next.newlineBefore {
                    throw unsupported("async functions and 'await' are", feature: "async", start)
                }
            default:
                break
            }
        default:
            break
        }
        // Expression statement or labelled statement.
        let expr = try parseExpression()
        if case .identifier(let name) = expr.kind, tok.isPunctuator(.colon), !isParenthesized(expr, startedAt: start),
           t.kind == .identifier, expr.range.end.offset == t.end.offset
        {
            return try parseLabeled(name: name, labelToken: t, pending: pending, singleStatementContext: singleStatementContext)
        }
        try consumeSemicolon()
        return Statement(.expression(expr), range: range(from: start))
    }

    func parseLabeled(name: String, labelToken: Token, pending: [Int], singleStatementContext: Bool)
        throws(ParseFailure) -> Statement
    {
        try advance()  // :
        if fn.labels.contains(where: { $0.name == name }) {
            throw error("Label '\(name)' has already been declared", labelToken.start)
        }
        fn.labels.append(Label(name: name, isLoop: false))
        let index = fn.labels.count - 1
        defer { _ = fn.labels.popLast() }
        let body: Statement
        if tok.isWord("function") {
            // Annex B: labelled function declarations in sloppy code, only in statement lists.
            if strict || singleStatementContext {
                throw error("Function declarations cannot be labelled here", tok.start)
            }
            let fstart = tok.start
            let f = try parseFunction(isDeclaration: true, start: fstart)
            body = Statement(.functionDeclaration(f), range: f.range)
        } else {
            fn.pendingLabels = pending + [index]
            body = try parseStatement(singleStatementContext: true)
        }
        return Statement(.labeled(name, body), range: range(from: labelToken.start))
    }

    func parseBlock() throws(ParseFailure) -> [Statement] {
        try parseBlock(catchParam: nil)
    }

    func parseBlock(catchParam: String?) throws(ParseFailure) -> [Statement] {
        try expect(.lbrace)
        let scope = pushScope(isFunction: false)
        scope.catchParam = catchParam
        defer { popScope() }
        let (body, _) = try parseStatementList(directives: false, untilRBrace: true)
        try expect(.rbrace)
        return body
    }

    func parseParenthesizedCondition() throws(ParseFailure) -> Expression {
        try expect(.lparen)
        let e = try parseExpressionAllowingIn()
        try expect(.rparen)
        return e
    }

    func parseIf() throws(ParseFailure) -> Statement {
        let start = tok.start
        try advance()
        let test = try parseParenthesizedCondition()
        let then = try parseStatement(singleStatementContext: true)
        var otherwise: Statement?
        if tok.isWord("else") {
            try advance()
            otherwise = try parseStatement(singleStatementContext: true)
        }
        return Statement(.if(test: test, then: then, else: otherwise), range: range(from: start))
    }

    func markLoopLabels(_ pending: [Int]) {
        for i in pending where i < fn.labels.count { fn.labels[i].isLoop = true }
    }

    func parseLoopBody() throws(ParseFailure) -> Statement {
        fn.loopDepth += 1
        fn.breakableDepth += 1
        defer {
            fn.loopDepth -= 1
            fn.breakableDepth -= 1
        }
        return try parseStatement(singleStatementContext: true)
    }

    func parseWhile(labels: [Int]) throws(ParseFailure) -> Statement {
        markLoopLabels(labels)
        let start = tok.start
        try advance()
        let test = try parseParenthesizedCondition()
        let body = try parseLoopBody()
        return Statement(.while(test: test, body: body), range: range(from: start))
    }

    func parseDoWhile(labels: [Int]) throws(ParseFailure) -> Statement {
        markLoopLabels(labels)
        let start = tok.start
        try advance()
        let body = try parseLoopBody()
        guard tok.isWord("while") else { throw unexpected(tok, expected: "while") }
        try advance()
        let test = try parseParenthesizedCondition()
        _ = try eat(.semicolon)  // ASI always applies after do-while
        return Statement(.doWhile(body: body, test: test), range: range(from: start))
    }

    func parseFor(labels: [Int]) throws(ParseFailure) -> Statement {
        markLoopLabels(labels)
        let start = tok.start
        try advance()
        if tok.isWord("await") {
            throw unsupported("async functions and 'await' are", feature: "async", tok.start)
        }
        try expect(.lparen)
        var scope: Scope?
        defer { if scope != nil { popScope() } }
        var initializer: ForInit?
        if tok.isPunctuator(.semicolon) {
            // no init
        } else if try isForDeclarationStart() {
            let kind: DeclarationKind = tok.name == "var" ? .var : (tok.name == "let" ? .let : .const)
            if kind != .var { scope = pushScope(isFunction: false) }
            try advance()
            let saved = noIn
            noIn = true
            let decl = try parseDeclarators(kind: kind, inForHead: true)
            noIn = saved
            if tok.isWord("in") || tok.isWord("of") {
                let isOf = tok.name == "of"
                guard decl.declarators.count == 1, let d = decl.declarators.first else {
                    throw error("Invalid left-hand side in for-\(isOf ? "of" : "in") loop: must have a single binding",
                                tok.start)
                }
                if d.initializer != nil {
                    throw error("for-\(isOf ? "of" : "in") loop variable declaration may not have an initializer",
                                d.nameRange.start)
                }
                return try parseForInOfRest(.declaration(kind, name: d.name, range: d.nameRange), isOf: isOf, start: start)
            }
            if kind == .const, let d = decl.declarators.first(where: { $0.initializer == nil }) {
                throw error("Missing initializer in const declaration", d.nameRange.end)
            }
            initializer = .declaration(decl)
        } else {
            let exprStart = tok.start
            let saved = noIn
            noIn = true
            let startsWithLet = tok.isWord("let")
            let expr = try parseExpression()
            noIn = saved
            if tok.isWord("in") || tok.isWord("of") {
                let isOf = tok.name == "of"
                if isOf && startsWithLet { throw error("The left-hand side of a for-of loop may not be 'let'", exprStart) }
                try checkAssignmentTarget(expr, startedAt: exprStart, isPlainAssign: true,
                                          context: "for-\(isOf ? "of" : "in") loop")
                return try parseForInOfRest(.target(expr), isOf: isOf, start: start)
            }
            initializer = .expression(expr)
        }
        try expect(.semicolon)
        var test: Expression?
        if !tok.isPunctuator(.semicolon) { test = try parseExpressionAllowingIn() }
        try expect(.semicolon)
        var update: Expression?
        if !tok.isPunctuator(.rparen) { update = try parseExpressionAllowingIn() }
        try expect(.rparen)
        let body = try parseLoopBody()
        return Statement(.for(init: initializer, test: test, update: update, body: body), range: range(from: start))
    }

    func isForDeclarationStart() throws(ParseFailure) -> Bool {
        if tok.isWord("var") || tok.isWord("const") { return true }
        if tok.isWord("let") { return try isLetDeclarationStart() }
        return false
    }

    /// Current token is `in` or `of`.
    func parseForInOfRest(_ binding: ForBinding, isOf: Bool, start: SourceLocation) throws(ParseFailure) -> Statement {
        try advance()
        let collection = isOf ? try parseMaybeAssignAllowingIn() : try parseExpressionAllowingIn()
        try expect(.rparen)
        let body = try parseLoopBody()
        if isOf {
            return Statement(.forOf(binding, collection, body: body), range: range(from: start))
        }
        return Statement(.forIn(binding, collection, body: body), range: range(from: start))
    }

    func parseBreakContinue(isBreak: Bool) throws(ParseFailure) -> Statement {
        let start = tok.start
        try advance()
        var label: String?
        if tok.kind == .identifier && !tok.newlineBefore && !(tok.isWord("in") || tok.isWord("instanceof")) {
            let lt = tok
            if Keywords.isReserved(lt.name) { throw unexpected(lt) }
            guard let l = fn.labels.last(where: { $0.name == lt.name }) else {
                throw error("Undefined label '\(lt.name)'", lt.start)
            }
            if !isBreak && !l.isLoop {
                throw error("Illegal continue statement: '\(lt.name)' does not denote an iteration statement", lt.start)
            }
            label = lt.name
            try advance()
        } else if isBreak && fn.breakableDepth == 0 {
            throw error("Illegal break statement", start)
        } else if !isBreak && fn.loopDepth == 0 {
            throw error("Illegal continue statement: no surrounding iteration statement", start)
        }
        try consumeSemicolon()
        return Statement(isBreak ? .break(label: label) : .continue(label: label), range: range(from: start))
    }

    func parseTry() throws(ParseFailure) -> Statement {
        let start = tok.start
        try advance()
        let block = try parseBlock()
        var handler: CatchClause?
        var finalizer: [Statement]?
        if tok.isWord("catch") {
            let catchStart = tok.start
            try advance()
            var param: String?
            var paramRange: SourceRange?
            if try eat(.lparen) {
                let (name, r) = try parseBindingIdentifier()
                param = name
                paramRange = r
                try expect(.rparen)
            }
            let body = try parseBlock(catchParam: param)
            handler = CatchClause(param: param, paramRange: paramRange, body: body, range: range(from: catchStart))
        }
        if tok.isWord("finally") {
            try advance()
            finalizer = try parseBlock()
        }
        if handler == nil && finalizer == nil { throw error("Missing catch or finally after try", tok.start) }
        return Statement(.try(block: block, catch: handler, finally: finalizer), range: range(from: start))
    }

    func parseSwitch() throws(ParseFailure) -> Statement {
        let start = tok.start
        try advance()
        let discriminant = try parseParenthesizedCondition()
        try expect(.lbrace)
        _ = pushScope(isFunction: false)
        defer { popScope() }
        fn.breakableDepth += 1
        defer { fn.breakableDepth -= 1 }
        var cases: [SwitchCase] = []
        var sawDefault = false
        while !tok.isPunctuator(.rbrace) {
            let caseStart = tok.start
            var test: Expression?
            if tok.isWord("case") {
                try advance()
                test = try parseExpressionAllowingIn()
            } else if tok.isWord("default") {
                if sawDefault { throw error("More than one default clause in switch statement", tok.start) }
                sawDefault = true
                try advance()
            } else {
                throw unexpected(tok)
            }
            try expect(.colon)
            var body: [Statement] = []
            while !(tok.isPunctuator(.rbrace) || tok.isWord("case") || tok.isWord("default") || tok.kind == .eof) {
                body.append(try parseStatementListItem())
            }
            cases.append(SwitchCase(test: test, body: body, range: range(from: caseStart)))
        }
        try advance()
        return Statement(.switch(discriminant: discriminant, cases: cases), range: range(from: start))
    }
}
