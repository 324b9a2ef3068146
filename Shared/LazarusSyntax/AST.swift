// The abstract syntax tree produced by `parseProgram(_:)`.
//
// STABILITY NOTE (for LazarusEngine): this API is consumed by the resolver and the
// compiler. After the first commit, changes are additive only (new cases are
// announced here). Change log:
//   v1 — initial AST.
//
// Conventions:
// - Every node carries a `range` (UTF-16 offsets, 1-based line/column; see SourceLocation).
// - Parenthesized expressions are not represented; `(a)` is just `a` (with the
//   range of the inner expression). `(a, b)` is `.sequence`.
// - String literal values: `.string(String)` normally; a literal whose value contains
//   an unpaired surrogate (e.g. "\uD800") cannot be a Swift `String` and is given as
//   `.stringUnits([UInt16])` (raw UTF-16 code units) instead. Template cooked strings and
//   property-key names with unpaired surrogates are converted lossily (U+FFFD).
// - Arrow functions with an expression body get body `[return expr]` and
//   `hasExpressionBody == true`.
// - Getters, setters and methods in object literals are `.function` values whose
//   FunctionNode.kind is `.getter`/`.setter`/`.method`.

// MARK: - Programs

public struct Program: Sendable {
    public var body: [Statement]
    /// The program starts with a "use strict" directive.
    public var isStrict: Bool
    /// The complete source text (offsets in ranges are UTF-16 offsets into it).
    public var source: String

    public init(body: [Statement], isStrict: Bool, source: String) {
        self.body = body
        self.isStrict = isStrict
        self.source = source
    }
}

// MARK: - Functions

/// A function: declaration, expression, arrow, method, getter or setter.
/// A class so later stages can key side tables by identity (`ObjectIdentifier(node)`).
public final class FunctionNode: Sendable {
    public enum Kind: String, Sendable, Hashable {
        case normal, arrow, method, getter, setter
    }

    public struct Parameter: Sendable {
        public var name: String
        public var range: SourceRange
        public var defaultValue: Expression?
        public var isRest: Bool

        public init(name: String, range: SourceRange, defaultValue: Expression? = nil, isRest: Bool = false) {
            self.name = name
            self.range = range
            self.defaultValue = defaultValue
            self.isRest = isRest
        }
    }

    /// The binding name (declarations, named function expressions). For methods,
    /// getters and setters with a non-computed key this is the key (`get`/`set`
    /// not included); `nil` for anonymous functions and arrows.
    public let name: String?
    public let nameRange: SourceRange?
    public let params: [Parameter]
    public let body: [Statement]
    public let kind: Kind
    /// True if the arrow had an expression body (`x => x + 1`); `body` is then `[return expr]`.
    public let hasExpressionBody: Bool
    /// Own "use strict" directive, or inherited from enclosing strict code.
    public let isStrict: Bool
    /// True if the function itself has a "use strict" directive in its body.
    public let hasUseStrictDirective: Bool
    /// No default values and no rest parameter.
    public let hasSimpleParameterList: Bool
    /// Whole function source: from `function` (or the first token of the arrow's
    /// parameters, or the method key / `get` / `set`) to the closing `}` (or the end of
    /// an arrow's expression body). `range.text(in: program.source)` is what
    /// `Function.prototype.toString` returns.
    public let range: SourceRange

    public init(name: String?, nameRange: SourceRange?, params: [Parameter], body: [Statement], kind: Kind,
                hasExpressionBody: Bool, isStrict: Bool, hasUseStrictDirective: Bool,
                hasSimpleParameterList: Bool, range: SourceRange) {
        self.name = name
        self.nameRange = nameRange
        self.params = params
        self.body = body
        self.kind = kind
        self.hasExpressionBody = hasExpressionBody
        self.isStrict = isStrict
        self.hasUseStrictDirective = hasUseStrictDirective
        self.hasSimpleParameterList = hasSimpleParameterList
        self.range = range
    }

    /// `Function.prototype.toString` text.
    public func sourceText(in source: String) -> String { range.text(in: source) }
}

// MARK: - Expressions

public struct Expression: Sendable {
    public var kind: Kind
    public var range: SourceRange

    public init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    public indirect enum Kind: Sendable {
        case identifier(String)
        case number(Double)
        case string(String)
        /// A string literal whose value has an unpaired surrogate (see file header).
        case stringUnits([UInt16])
        /// Untagged template literal: `cooked.count == expressions.count + 1`.
        case template(cooked: [String], expressions: [Expression])
        case boolean(Bool)
        case null
        case this
        case array([ArrayElement])
        case object([Property])
        case function(FunctionNode)
        case unary(UnaryOperator, Expression)
        case update(UpdateOperator, isPrefix: Bool, Expression)
        case binary(BinaryOperator, Expression, Expression)
        case logical(LogicalOperator, Expression, Expression)
        /// `target` is an identifier, `.member` or `.index` (validated by the parser).
        case assignment(AssignmentOperator, target: Expression, value: Expression)
        case conditional(test: Expression, then: Expression, else: Expression)
        case call(callee: Expression, arguments: [Argument])
        /// `new C` without parentheses has an empty argument list.
        case new(callee: Expression, arguments: [Argument])
        /// `object.name` (name may be a reserved word: `a.if`).
        case member(Expression, name: String)
        /// `object[key]`
        case index(Expression, Expression)
        /// Comma operator; at least two elements.
        case sequence([Expression])
    }
}

public enum ArrayElement: Sendable {
    /// An elision: `[1, , 2]`.
    case hole
    case expression(Expression)
    case spread(Expression)
}

public enum Argument: Sendable {
    case expression(Expression)
    case spread(Expression)
}

public enum PropertyKey: Sendable {
    /// Identifier, string or number key, canonicalized to its JS property-name
    /// string (`1.0` → "1", `0x10` → "16", `1e21` → "1e+21").
    case name(String)
    /// `[expr]`
    case computed(Expression)
}

public struct Property: Sendable {
    public enum Kind: String, Sendable, Hashable {
        case initializer, getter, setter
    }

    public var key: PropertyKey
    public var kind: Kind
    /// For getters/setters/methods: a `.function` expression.
    public var value: Expression
    /// `{ a }` — value is `.identifier("a")`.
    public var isShorthand: Bool
    /// `{ m() {} }` — value is a `.function` with kind `.method`.
    public var isMethod: Bool
    public var range: SourceRange

    public init(key: PropertyKey, kind: Kind, value: Expression, isShorthand: Bool, isMethod: Bool, range: SourceRange) {
        self.key = key
        self.kind = kind
        self.value = value
        self.isShorthand = isShorthand
        self.isMethod = isMethod
        self.range = range
    }
}

public enum UnaryOperator: String, Sendable, Hashable {
    case minus = "-", plus = "+", not = "!", bitwiseNot = "~"
    case typeof = "typeof", void = "void", delete = "delete"
}

public enum UpdateOperator: String, Sendable, Hashable {
    case increment = "++", decrement = "--"
}

public enum BinaryOperator: String, Sendable, Hashable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%", exponent = "**"
    case leftShift = "<<", rightShift = ">>", unsignedRightShift = ">>>"
    case lessThan = "<", greaterThan = ">", lessThanOrEqual = "<=", greaterThanOrEqual = ">="
    case equal = "==", notEqual = "!=", strictEqual = "===", strictNotEqual = "!=="
    case bitwiseAnd = "&", bitwiseOr = "|", bitwiseXor = "^"
    case `in` = "in", instanceof = "instanceof"
}

public enum LogicalOperator: String, Sendable, Hashable {
    case and = "&&", or = "||", nullishCoalescing = "??"
}

public enum AssignmentOperator: String, Sendable, Hashable {
    case assign = "="
    case add = "+=", subtract = "-=", multiply = "*=", divide = "/=", remainder = "%=", exponent = "**="
    case leftShift = "<<=", rightShift = ">>=", unsignedRightShift = ">>>="
    case bitwiseAnd = "&=", bitwiseOr = "|=", bitwiseXor = "^="

    /// The binary operator of a compound assignment; `nil` for `=`.
    public var binaryOperator: BinaryOperator? {
        switch self {
        case .assign: nil
        case .add: .add
        case .subtract: .subtract
        case .multiply: .multiply
        case .divide: .divide
        case .remainder: .remainder
        case .exponent: .exponent
        case .leftShift: .leftShift
        case .rightShift: .rightShift
        case .unsignedRightShift: .unsignedRightShift
        case .bitwiseAnd: .bitwiseAnd
        case .bitwiseOr: .bitwiseOr
        case .bitwiseXor: .bitwiseXor
        }
    }
}

// MARK: - Statements

public struct Statement: Sendable {
    public var kind: Kind
    public var range: SourceRange

    public init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    public indirect enum Kind: Sendable {
        case variableDeclaration(VariableDeclaration)
        case functionDeclaration(FunctionNode)
        case expression(Expression)
        case block([Statement])
        case empty
        case `if`(test: Expression, then: Statement, else: Statement?)
        case `for`(init: ForInit?, test: Expression?, update: Expression?, body: Statement)
        case forIn(ForBinding, Expression, body: Statement)
        case forOf(ForBinding, Expression, body: Statement)
        case `while`(test: Expression, body: Statement)
        case doWhile(body: Statement, test: Expression)
        case `return`(Expression?)
        case `break`(label: String?)
        case `continue`(label: String?)
        case `throw`(Expression)
        case `try`(block: [Statement], catch: CatchClause?, finally: [Statement]?)
        case `switch`(discriminant: Expression, cases: [SwitchCase])
        case labeled(String, Statement)
        case debugger
    }
}

public enum DeclarationKind: String, Sendable, Hashable {
    case `var`, `let`, `const`
}

public struct VariableDeclarator: Sendable {
    public var name: String
    public var nameRange: SourceRange
    public var initializer: Expression?

    public init(name: String, nameRange: SourceRange, initializer: Expression?) {
        self.name = name
        self.nameRange = nameRange
        self.initializer = initializer
    }
}

public struct VariableDeclaration: Sendable {
    public var kind: DeclarationKind
    /// At least one.
    public var declarators: [VariableDeclarator]

    public init(kind: DeclarationKind, declarators: [VariableDeclarator]) {
        self.kind = kind
        self.declarators = declarators
    }
}

public enum ForInit: Sendable {
    case declaration(VariableDeclaration)
    case expression(Expression)
}

/// The left side of `for (… in/of …)`.
public enum ForBinding: Sendable {
    /// `for (var x in o)` / `for (let x of a)` (no initializer).
    case declaration(DeclarationKind, name: String, range: SourceRange)
    /// `for (x in o)`, `for (a.b of c)`: identifier, `.member` or `.index`.
    case target(Expression)
}

public struct CatchClause: Sendable {
    /// `nil` for `catch { … }` (optional catch binding).
    public var param: String?
    public var paramRange: SourceRange?
    public var body: [Statement]
    public var range: SourceRange

    public init(param: String?, paramRange: SourceRange?, body: [Statement], range: SourceRange) {
        self.param = param
        self.paramRange = paramRange
        self.body = body
        self.range = range
    }
}

public struct SwitchCase: Sendable {
    /// `nil` for `default:`.
    public var test: Expression?
    public var body: [Statement]
    public var range: SourceRange

    public init(test: Expression?, body: [Statement], range: SourceRange) {
        self.test = test
        self.body = body
        self.range = range
    }
}
