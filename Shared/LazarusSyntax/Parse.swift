/// Parses a whole script (not a module).
///
/// Uses typed throws: the only error is `SyntaxError` (syntax errors, early errors and
/// unsupported features). Never crashes on any input; nesting deeper than
/// `ParseOptions.maxNestingDepth` is reported as "nesting too deep".
public func parseProgram(_ source: String) throws(SyntaxError) -> Program {
    try parseProgram(source, options: ParseOptions())
}

public struct ParseOptions: Sendable {
    /// Parse the whole program as strict code (as if it started with "use strict").
    public var strict: Bool = false
    /// Maximum syntactic nesting depth (statements, expressions, functions, and the
    /// length of left-associative chains such as `a+b+c…` or `a.b.c…`).
    public var maxNestingDepth: Int = 1000

    public init(strict: Bool = false, maxNestingDepth: Int = 1000) {
        self.strict = strict
        self.maxNestingDepth = maxNestingDepth
    }
}

public func parseProgram(_ source: String, options: ParseOptions) throws(SyntaxError) -> Program {
    let parser = Parser(source: source, options: options)
    do {
        return try parser.parseProgram()
    } catch {
        throw error.error
    }
}
