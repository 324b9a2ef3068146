extension Parser {
    // MARK: - Expression entry points

    /// Expression (comma-separated).
    func parseExpression() throws(ParseFailure) -> Expression {
        let start = tok.start
        let first = try parseMaybeAssign()
        guard tok.isPunctuator(.comma) else { return first }
        var items = [first]
        while try eat(.comma) {
            items.append(try parseMaybeAssign())
            if items.count + depth > maxDepth * 64 { throw nestingTooDeep(tok.start) }
        }
        return Expression(.sequence(items), range: range(from: start))
    }

    /// Parses with `in` allowed (inside brackets, parentheses, braces).
    func parseMaybeAssignAllowingIn() throws(ParseFailure) -> Expression {
        let saved = noIn
        noIn = false
        defer { noIn = saved }
        return try parseMaybeAssign()
    }

    func parseExpressionAllowingIn() throws(ParseFailure) -> Expression {
        let saved = noIn
        noIn = false
        defer { noIn = saved }
        return try parseExpression()
    }

    /// AssignmentExpression.
    func parseMaybeAssign() throws(ParseFailure) -> Expression {
        try enter()
        defer { leave() }
        let start = tok.start
        potentialArrowAt = start.offset
        let left = try parseConditional()
        guard tok.kind == .punctuator, let op = assignmentOperator(tok.punctuator) else {
            if tok.kind == .punctuator,
               tok.punctuator == .ampAmpAssign || tok.punctuator == .pipePipeAssign
                || tok.punctuator == .questionQuestionAssign
            {
                throw unsupported("Logical assignment operators (&&=, ||=, ??=) are", feature: "logical assignment",
                                  tok.start)
            }
            return left
        }
        try checkAssignmentTarget(left, startedAt: start, isPlainAssign: op == .assign, context: "assignment")
        try advance()
        let value = try parseMaybeAssign()
        return Expression(.assignment(op, target: left, value: value), range: range(from: start))
    }

    func assignmentOperator(_ p: Punctuator) -> AssignmentOperator? {
        switch p {
        case .assign: .assign
        case .plusAssign: .add
        case .minusAssign: .subtract
        case .starAssign: .multiply
        case .slashAssign: .divide
        case .percentAssign: .remainder
        case .starStarAssign: .exponent
        case .shlAssign: .leftShift
        case .shrAssign: .rightShift
        case .ushrAssign: .unsignedRightShift
        case .ampAssign: .bitwiseAnd
        case .pipeAssign: .bitwiseOr
        case .caretAssign: .bitwiseXor
        default: nil
        }
    }

    /// Simple assignment targets: identifiers (not eval/arguments in strict code),
    /// member and index expressions.
    func checkAssignmentTarget(_ e: Expression, startedAt start: SourceLocation, isPlainAssign: Bool,
                               context: String) throws(ParseFailure)
    {
        switch e.kind {
        case .identifier(let name):
            if strict && (name == "eval" || name == "arguments") {
                throw error("Unexpected eval or arguments in strict mode", e.range.start)
            }
        case .member, .index:
            break
        case .array, .object:
            if isPlainAssign && !isParenthesized(e, startedAt: start) {
                throw unsupported("Destructuring assignment is", feature: "destructuring", e.range.start)
            }
            throw error("Invalid left-hand side in \(context)", e.range.start)
        default:
            throw error("Invalid left-hand side in \(context)", e.range.start)
        }
    }

    func parseConditional() throws(ParseFailure) -> Expression {
        let start = tok.start
        let test = try parseBinary()
        if isUnparenthesizedArrow(test, startedAt: start) { return test }
        guard tok.isPunctuator(.question) else { return test }
        try advance()
        let then = try parseMaybeAssignAllowingIn()
        try expect(.colon)
        let otherwise = try parseMaybeAssign()
        return Expression(.conditional(test: test, then: then, else: otherwise), range: range(from: start))
    }

    // MARK: - Binary operators

    enum BinaryOp {
        case binary(BinaryOperator)
        case logical(LogicalOperator)
    }

    /// Binary operator at the current token with its precedence (`**` is handled separately).
    func currentBinaryOp() -> (BinaryOp, Int)? {
        switch tok.kind {
        case .punctuator:
            switch tok.punctuator {
            case .questionQuestion: return (.logical(.nullishCoalescing), 1)
            case .pipePipe: return (.logical(.or), 1)
            case .ampAmp: return (.logical(.and), 2)
            case .pipe: return (.binary(.bitwiseOr), 3)
            case .caret: return (.binary(.bitwiseXor), 4)
            case .amp: return (.binary(.bitwiseAnd), 5)
            case .eq: return (.binary(.equal), 6)
            case .ne: return (.binary(.notEqual), 6)
            case .seq: return (.binary(.strictEqual), 6)
            case .sne: return (.binary(.strictNotEqual), 6)
            case .lt: return (.binary(.lessThan), 7)
            case .gt: return (.binary(.greaterThan), 7)
            case .le: return (.binary(.lessThanOrEqual), 7)
            case .ge: return (.binary(.greaterThanOrEqual), 7)
            case .shl: return (.binary(.leftShift), 8)
            case .shr: return (.binary(.rightShift), 8)
            case .ushr: return (.binary(.unsignedRightShift), 8)
            case .plus: return (.binary(.add), 9)
            case .minus: return (.binary(.subtract), 9)
            case .star: return (.binary(.multiply), 10)
            case .slash: return (.binary(.divide), 10)
            case .percent: return (.binary(.remainder), 10)
            default: return nil
            }
        case .identifier:
            if tok.escaped { return nil }
            if tok.name == "instanceof" { return (.binary(.instanceof), 7) }
            if tok.name == "in" && !noIn { return (.binary(.in), 7) }
            return nil
        default:
            return nil
        }
    }

    func parseBinary() throws(ParseFailure) -> Expression {
        let start = tok.start
        let left = try parseExponent()
        if isUnparenthesizedArrow(left, startedAt: start) { return left }
        var chain = 0
        return try parseBinaryRest(left, start: start, minPrec: 0, chain: &chain)
    }

    func parseBinaryRest(_ leftIn: Expression, start: SourceLocation, minPrec: Int, chain: inout Int)
        throws(ParseFailure) -> Expression
    {
        var left = leftIn
        while let (op, prec) = currentBinaryOp(), prec > minPrec {
            let opToken = tok
            try advance()
            let rightStart = tok.start
            var right = try parseExponent()
            while let (_, nextPrec) = currentBinaryOp(), nextPrec > prec {
                right = try parseBinaryRest(right, start: rightStart, minPrec: prec, chain: &chain)
            }
            chain += 1
            if depth + chain > maxDepth { throw nestingTooDeep(opToken.start) }
            switch op {
            case .binary(let b):
                left = Expression(.binary(b, left, right), range: range(from: start))
            case .logical(let l):
                try checkCoalesceMixing(l, left, startedAt: start, opToken: opToken)
                try checkCoalesceMixing(l, right, startedAt: rightStart, opToken: opToken)
                left = Expression(.logical(l, left, right), range: range(from: start))
            }
        }
        return left
    }

    /// `a ?? b || c` and `a || b ?? c` need parentheses.
    func checkCoalesceMixing(_ op: LogicalOperator, _ operand: Expression, startedAt start: SourceLocation,
                             opToken: Token) throws(ParseFailure)
    {
        guard case .logical(let inner, _, _) = operand.kind, !isParenthesized(operand, startedAt: start) else { return }
        if (op == .nullishCoalescing) != (inner == .nullishCoalescing) {
            throw error("Cannot mix '??' with '&&' or '||' without parentheses", opToken.start)
        }
    }

    /// ExponentiationExpression: `UpdateExpression ** ExponentiationExpression` | UnaryExpression.
    func parseExponent() throws(ParseFailure) -> Expression {
        let start = tok.start
        let startsWithUnary = isUnaryOperatorToken(tok)
        let left = try parseUnary()
        guard tok.isPunctuator(.starStar) else { return left }
        if isUnparenthesizedArrow(left, startedAt: start) { return left }
        if startsWithUnary {
            throw error("Unary operator used immediately before exponentiation expression; parentheses are required",
                        tok.start)
        }
        try advance()
        try enter()
        defer { leave() }
        let right = try parseExponent()
        return Expression(.binary(.exponent, left, right), range: range(from: start))
    }

    func isUnaryOperatorToken(_ t: Token) -> Bool {
        switch t.kind {
        case .punctuator:
            return t.punctuator == .plus || t.punctuator == .minus || t.punctuator == .bang || t.punctuator == .tilde
        case .identifier:
            return !t.escaped && (t.name == "typeof" || t.name == "void" || t.name == "delete")
        default:
            return false
        }
    }

    // MARK: - Unary and update

    func parseUnary() throws(ParseFailure) -> Expression {
        if isUnaryOperatorToken(tok) { return try parsePrefixUnary() }
        if tok.isPunctuator(.plusPlus) || tok.isPunctuator(.minusMinus) { return try parsePrefixUpdate() }
        if tok.kind == .identifier && !strict && tok.isWord("await") { try checkAwait() }
        let start = tok.start
        let expr = try parseLeftHandSide()
        if (tok.isPunctuator(.plusPlus) || tok.isPunctuator(.minusMinus)) && !tok.newlineBefore {
            return try parsePostfixUpdate(expr, start: start)
        }
        return expr
    }

    // Split out of parseUnary so the frames on the recursive path stay small.
    @inline(never)
    func parsePrefixUnary() throws(ParseFailure) -> Expression {
        let start = tok.start
        try enter()
        defer { leave() }
        let op: UnaryOperator
        switch tok.kind == .punctuator ? tok.punctuator.text : tok.name {
        case "+": op = .plus
        case "-": op = .minus
        case "!": op = .not
        case "~": op = .bitwiseNot
        case "typeof": op = .typeof
        case "void": op = .void
        default: op = .delete
        }
        try advance()
        let operand = try parseUnary()
        if op == .delete && strict, case .identifier = operand.kind {
            throw error("Delete of an unqualified identifier in strict mode", start)
        }
        return Expression(.unary(op, operand), range: range(from: start))
    }

    @inline(never)
    func parsePrefixUpdate() throws(ParseFailure) -> Expression {
        let start = tok.start
        try enter()
        defer { leave() }
        let op: UpdateOperator = tok.punctuator == .plusPlus ? .increment : .decrement
        try advance()
        let operandStart = tok.start
        let operand = try parseUnary()
        try checkUpdateTarget(operand, startedAt: operandStart, context: "prefix operation")
        return Expression(.update(op, isPrefix: true, operand), range: range(from: start))
    }

    @inline(never)
    func parsePostfixUpdate(_ expr: Expression, start: SourceLocation) throws(ParseFailure) -> Expression {
        if isUnparenthesizedArrow(expr, startedAt: start) { throw unexpected(tok) }
        try checkUpdateTarget(expr, startedAt: start, context: "postfix operation")
        let op: UpdateOperator = tok.punctuator == .plusPlus ? .increment : .decrement
        try advance()
        return Expression(.update(op, isPrefix: false, expr), range: range(from: start))
    }

    @inline(never)
    func checkAwait() throws(ParseFailure) {
        let next = try peek()
        if !next.newlineBefore && (next.kind == .identifier || next.kind == .number || next.kind == .string) {
            throw unsupported("async functions and 'await' are", feature: "async", tok.start)
        }
    }

    func checkUpdateTarget(_ e: Expression, startedAt start: SourceLocation, context: String) throws(ParseFailure) {
        switch e.kind {
        case .identifier(let name):
            if strict && (name == "eval" || name == "arguments") {
                throw error("Unexpected eval or arguments in strict mode", e.range.start)
            }
        case .member, .index:
            break
        default:
            throw error("Invalid left-hand side expression in \(context)", e.range.start)
        }
    }

    // MARK: - Calls, members, new

    func parseLeftHandSide() throws(ParseFailure) -> Expression {
        let start = tok.start
        var expr: Expression
        if tok.isWord("new") {
            expr = try parseNew()
        } else {
            expr = try parsePrimary()
            if isUnparenthesizedArrow(expr, startedAt: start) { return expr }
        }
        expr = try parseSubscripts(expr, start: start, allowCalls: true)
        if tok.isPunctuator(.arrow), !tok.newlineBefore, case .call(let callee, _) = expr.kind,
           case .identifier("async") = callee.kind
        {
            throw unsupported("async functions and 'await' are", feature: "async", start)
        }
        return expr
    }

    func parseSubscripts(_ base: Expression, start: SourceLocation, allowCalls: Bool) throws(ParseFailure) -> Expression {
        var expr = base
        var chain = 0
        while true {
            if tok.kind == .punctuator {
                switch tok.punctuator {
                case .dot:
                    try advance()
                    if tok.isPunctuator(.hash) {
                        throw unsupported("Private names (#name) are", feature: "private names", tok.start)
                    }
                    guard tok.kind == .identifier else { throw unexpected(tok) }
                    let name = tok.name
                    try advance()
                    expr = Expression(.member(expr, name: name), range: range(from: start))
                case .lbracket:
                    try advance()
                    let key = try parseExpressionAllowingIn()
                    try expect(.rbracket)
                    expr = Expression(.index(expr, key), range: range(from: start))
                case .lparen where allowCalls:
                    let args = try parseArguments()
                    expr = Expression(.call(callee: expr, arguments: args), range: range(from: start))
                case .questionDot:
                    throw unsupported("Optional chaining (?.) is", feature: "optional chaining", tok.start)
                default:
                    return expr
                }
            } else if tok.kind == .template {
                throw unsupported("Tagged templates are", feature: "tagged templates", tok.start)
            } else {
                return expr
            }
            chain += 1
            if depth + chain > maxDepth { throw nestingTooDeep(tok.start) }
        }
    }

    /// `new` is the current token.
    func parseNew() throws(ParseFailure) -> Expression {
        try enter()
        defer { leave() }
        let start = tok.start
        try advance()
        if tok.isPunctuator(.dot) {
            throw unsupported("'new.target' is", feature: "new.target", start)
        }
        let calleeStart = tok.start
        var callee: Expression
        if tok.isWord("new") {
            callee = try parseNew()
        } else {
            callee = try parsePrimary()
            if isUnparenthesizedArrow(callee, startedAt: calleeStart) { throw unexpected(tok) }
        }
        callee = try parseSubscripts(callee, start: calleeStart, allowCalls: false)
        var args: [Argument] = []
        if tok.isPunctuator(.lparen) { args = try parseArguments() }
        return Expression(.new(callee: callee, arguments: args), range: range(from: start))
    }

    func parseArguments() throws(ParseFailure) -> [Argument] {
        try expect(.lparen)
        let saved = noIn
        noIn = false
        defer { noIn = saved }
        var args: [Argument] = []
        while !tok.isPunctuator(.rparen) {
            if try eat(.ellipsis) {
                args.append(.spread(try parseMaybeAssign()))
            } else {
                args.append(.expression(try parseMaybeAssign()))
            }
            if !tok.isPunctuator(.rparen) { try expect(.comma) }
        }
        try advance()
        return args
    }

    // MARK: - Primary expressions

    func parsePrimary() throws(ParseFailure) -> Expression {
        let canBeArrow = potentialArrowAt == tok.start.offset
        switch tok.kind {
        case .identifier:
            return try parseIdentifierOrKeywordPrimary(canBeArrow: canBeArrow)
        case .punctuator:
            switch tok.punctuator {
            case .lparen: return try parseParenthesized(canBeArrow: canBeArrow)
            case .lbracket: return try parseArrayLiteral()
            case .lbrace: return try parseObjectLiteral()
            default: throw primaryPunctuatorError()
            }
        default:
            return try parseLiteralPrimary()
        }
    }

    @inline(never)
    func parseLiteralPrimary() throws(ParseFailure) -> Expression {
        let t = tok
        switch t.kind {
        case .number:
            try checkLiteral(t)
            try advance()
            return Expression(.number(t.number), range: t.range)
        case .string:
            try checkLiteral(t)
            try advance()
            if Parser.hasLoneSurrogate(t.units) { return Expression(.stringUnits(t.units), range: t.range) }
            return Expression(.string(Parser.string(t.units)), range: t.range)
        case .template:
            return try parseTemplate()
        default:
            throw unexpected(t)
        }
    }

    @inline(never)
    func primaryPunctuatorError() -> ParseFailure {
        let start = tok.start
        switch tok.punctuator {
        case .slash, .slashAssign:
            return unsupported("Regular expressions are", feature: "regular expressions", start,
                               hint: "Use string methods such as indexOf, split or replace with a string pattern")
        case .hash:
            return unsupported("Private names (#name) are", feature: "private names", start)
        case .at:
            return unsupported("Decorators (@) are", feature: "decorators", start)
        default:
            return unexpected(tok)
        }
    }

    @inline(never)
    func parseIdentifierOrKeywordPrimary(canBeArrow: Bool) throws(ParseFailure) -> Expression {
        let t = tok
        let start = t.start
        if !t.escaped {
            switch t.name {
            case "function":
                let f = try parseFunction(isDeclaration: false, start: start)
                return Expression(.function(f), range: f.range)
            case "this":
                try advance()
                return Expression(.this, range: t.range)
            case "null":
                try advance()
                return Expression(.null, range: t.range)
            case "true", "false":
                try advance()
                return Expression(.boolean(t.name == "true"), range: t.range)
            case "new":
                return try parseNew()
            case "class":
                throw unsupported("'class' is", feature: "class", start,
                                  hint: "Use a constructor function and its prototype")
            case "super":
                throw unsupported("'super' is", feature: "class", start)
            case "import":
                throw unsupported("'import' is", feature: "modules", start)
            case "async":
                let next = try peek()
                if !next.newlineBefore
                    && (next.isWord("function")
                        || (next.kind == .identifier && canBeArrow && !Keywords.isReserved(next.name)))
                {
                    throw unsupported("async functions and 'await' are", feature: "async", start)
                }
            default:
                break
            }
        }
        try checkIdentifierReference(t)
        try advance()
        if canBeArrow && tok.isPunctuator(.arrow) && !tok.newlineBefore {
            try checkBindingName(t.name, escaped: t.escaped, at: t.start, strict: strict)
            let p = FunctionNode.Parameter(name: t.name, range: t.range)
            return try parseArrowFunction(params: [p], start: start)
        }
        return Expression(.identifier(t.name), range: t.range)
    }

    func parseTemplate() throws(ParseFailure) -> Expression {
        let start = tok.start
        var cooked: [String] = []
        var exprs: [Expression] = []
        while true {
            guard tok.kind == .template else { throw unexpected(tok) }
            if let e = tok.templateError { throw e }
            cooked.append(Parser.string(tok.units))
            if tok.templateTail {
                try advance()
                break
            }
            try advance()  // first token of the substitution
            let e = try parseExpressionAllowingIn()
            exprs.append(e)
            guard tok.isPunctuator(.rbrace) else { throw unexpected(tok, expected: "}") }
            peeked = nil
            tok = try lexer.continueTemplate(after: tok)
        }
        return Expression(.template(cooked: cooked, expressions: exprs), range: range(from: start))
    }

    /// `(` … `)` — a parenthesized expression or the parameters of an arrow function.
    func parseParenthesized(canBeArrow: Bool) throws(ParseFailure) -> Expression {
        let start = tok.start
        try advance()
        let saved = noIn
        noIn = false
        var items: [(Expression, SourceLocation)] = []
        var rest: FunctionNode.Parameter?
        var trailingComma: Token?
        var restToken: Token?
        if !tok.isPunctuator(.rparen) {
            while true {
                if tok.isPunctuator(.ellipsis) {
                    restToken = tok
                    try advance()
                    let (name, r) = try parseBindingIdentifier()
                    rest = .init(name: name, range: r, defaultValue: nil, isRest: true)
                    if !tok.isPunctuator(.rparen) {
                        throw error("Rest parameter must be last formal parameter", tok.start)
                    }
                    break
                }
                let itemStart = tok.start
                items.append((try parseMaybeAssign(), itemStart))
                guard tok.isPunctuator(.comma) else { break }
                let comma = tok
                try advance()
                if tok.isPunctuator(.rparen) {
                    trailingComma = comma
                    break
                }
            }
        }
        noIn = saved
        let closeParen = tok
        try expect(.rparen)
        if canBeArrow && tok.isPunctuator(.arrow) && !tok.newlineBefore {
            return try parseArrowFromCover(items: items, rest: rest, start: start)
        }
        if let restToken { throw unexpected(restToken) }
        if let trailingComma { throw unexpected(trailingComma) }
        guard let first = items.first else { throw unexpected(closeParen) }
        if items.count == 1 { return first.0 }
        let seqRange = SourceRange(start: first.0.range.start, end: items[items.count - 1].0.range.end)
        return Expression(.sequence(items.map(\.0)), range: seqRange)
    }

    @inline(never)
    func parseArrowFromCover(items: [(Expression, SourceLocation)], rest: FunctionNode.Parameter?,
                             start: SourceLocation) throws(ParseFailure) -> Expression
    {
        var params: [FunctionNode.Parameter] = []
        for (item, itemStart) in items {
            params.append(try arrowParameter(item, startedAt: itemStart))
        }
        if let rest { params.append(rest) }
        return try parseArrowFunction(params: params, start: start)
    }

    /// Reinterprets a parenthesized item as an arrow parameter.
    func arrowParameter(_ e: Expression, startedAt start: SourceLocation) throws(ParseFailure) -> FunctionNode.Parameter {
        if isParenthesized(e, startedAt: start) { throw error("Invalid arrow function parameter", e.range.start) }
        switch e.kind {
        case .identifier(let name):
            try checkBindingName(name, escaped: false, at: e.range.start, strict: strict)
            return .init(name: name, range: e.range)
        case .assignment(.assign, let target, let value):
            if case .identifier(let name) = target.kind, target.range.start.offset == start.offset {
                try checkBindingName(name, escaped: false, at: target.range.start, strict: strict)
                return .init(name: name, range: target.range, defaultValue: value)
            }
            if case .array = target.kind { break }
            if case .object = target.kind { break }
            throw error("Invalid arrow function parameter", e.range.start)
        case .array, .object:
            break
        default:
            throw error("Invalid arrow function parameter", e.range.start)
        }
        throw unsupported("Destructuring patterns are", feature: "destructuring", e.range.start)
    }

    func parseArrayLiteral() throws(ParseFailure) -> Expression {
        let start = tok.start
        try advance()
        let saved = noIn
        noIn = false
        defer { noIn = saved }
        var elements: [ArrayElement] = []
        while !tok.isPunctuator(.rbracket) {
            if tok.isPunctuator(.comma) {
                try advance()
                elements.append(.hole)
                continue
            }
            if try eat(.ellipsis) {
                elements.append(.spread(try parseMaybeAssign()))
            } else {
                elements.append(.expression(try parseMaybeAssign()))
            }
            if !tok.isPunctuator(.rbracket) { try expect(.comma) }
        }
        try advance()
        return Expression(.array(elements), range: range(from: start))
    }

    // MARK: - Object literals

    func parseObjectLiteral() throws(ParseFailure) -> Expression {
        let start = tok.start
        try advance()
        let saved = noIn
        noIn = false
        defer { noIn = saved }
        var props: [Property] = []
        var sawProto = false
        var duplicateProto: ParseFailure?
        while !tok.isPunctuator(.rbrace) {
            let prop = try parseProperty()
            if case .name("__proto__") = prop.key, prop.kind == .initializer, !prop.isShorthand, !prop.isMethod {
                if sawProto && duplicateProto == nil {
                    duplicateProto = error("Duplicate __proto__ fields are not allowed in object literals",
                                           prop.range.start)
                }
                sawProto = true
            }
            props.append(prop)
            if !tok.isPunctuator(.rbrace) { try expect(.comma) }
        }
        try advance()
        // Allowed in a destructuring pattern (reported as unsupported by the assignment).
        if let duplicateProto, !tok.isPunctuator(.assign) { throw duplicateProto }
        return Expression(.object(props), range: range(from: start))
    }

    func parseProperty() throws(ParseFailure) -> Property {
        let start = tok.start
        if tok.isPunctuator(.ellipsis) {
            throw unsupported("Spread in object literals is", feature: "object spread", start,
                              hint: "Use Object.assign({}, …) instead")
        }
        if tok.isPunctuator(.star) {
            throw unsupported("Generator methods are", feature: "generators", start)
        }
        if tok.kind == .identifier && !tok.escaped && (tok.name == "get" || tok.name == "set" || tok.name == "async") {
            let next = try peek()
            let nextIsKeyStart = next.kind == .identifier || next.kind == .string || next.kind == .number
                || next.isPunctuator(.lbracket) || next.isPunctuator(.hash)
            if tok.name == "async" && (nextIsKeyStart || next.isPunctuator(.star)) && !next.newlineBefore {
                throw unsupported("async functions and 'await' are", feature: "async", start)
            }
            if tok.name != "async" && nextIsKeyStart {
                let kind: Property.Kind = tok.name == "get" ? .getter : .setter
                try advance()
                let (key, _) = try parsePropertyKey()
                guard tok.isPunctuator(.lparen) else { throw unexpected(tok, expected: "(") }
                let f = try parseMethod(kind: kind == .getter ? .getter : .setter, name: key.staticName, start: start)
                return Property(key: key, kind: kind, value: Expression(.function(f), range: f.range),
                                isShorthand: false, isMethod: false, range: range(from: start))
            }
        }
        let (key, keyToken) = try parsePropertyKey()
        if try eat(.colon) {
            let value = try parseMaybeAssign()
            return Property(key: key, kind: .initializer, value: value, isShorthand: false, isMethod: false,
                            range: range(from: start))
        }
        if tok.isPunctuator(.lparen) {
            let f = try parseMethod(kind: .method, name: key.staticName, start: start)
            return Property(key: key, kind: .initializer, value: Expression(.function(f), range: f.range),
                            isShorthand: false, isMethod: true, range: range(from: start))
        }
        if let t = keyToken, t.kind == .identifier {
            if tok.isPunctuator(.assign) {
                throw unsupported("Destructuring patterns are", feature: "destructuring", tok.start)
            }
            if tok.isPunctuator(.comma) || tok.isPunctuator(.rbrace) {
                try checkIdentifierReference(t)
                if t.escaped && Keywords.isReserved(t.name) { throw unexpected(t) }
                return Property(key: key, kind: .initializer, value: Expression(.identifier(t.name), range: t.range),
                                isShorthand: true, isMethod: false, range: range(from: start))
            }
        }
        throw unexpected(tok)
    }

    /// Returns the key and, for non-computed keys, the key token.
    func parsePropertyKey() throws(ParseFailure) -> (PropertyKey, Token?) {
        let t = tok
        switch t.kind {
        case .identifier:
            try advance()
            return (.name(t.name), t)
        case .string:
            try checkLiteral(t)
            try advance()
            return (.name(Parser.string(t.units)), t)
        case .number:
            try checkLiteral(t)
            try advance()
            return (.name(javaScriptNumberString(t.number)), t)
        case .punctuator where t.punctuator == .lbracket:
            try advance()
            let e = try parseMaybeAssignAllowingIn()
            try expect(.rbracket)
            return (.computed(e), nil)
        case .punctuator where t.punctuator == .hash:
            throw unsupported("Private names (#name) are", feature: "private names", t.start)
        default:
            throw unexpected(t)
        }
    }
}

extension PropertyKey {
    /// The name of a non-computed key.
    var staticName: String? {
        if case .name(let n) = self { return n }
        return nil
    }
}
