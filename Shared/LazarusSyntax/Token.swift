/// Punctuators of the version-1 language (plus a few that only exist to give
/// good errors for unsupported syntax: `?.`, `&&=`, `||=`, `??=`, `#`, `@`).
enum Punctuator: UInt8, Sendable {
    case lbrace, rbrace, lparen, rparen, lbracket, rbracket
    case dot, ellipsis, semicolon, comma, question, questionDot, colon, arrow
    case lt, gt, le, ge, eq, ne, seq, sne
    case plus, minus, star, slash, percent, starStar, plusPlus, minusMinus
    case shl, shr, ushr, amp, pipe, caret, bang, tilde, ampAmp, pipePipe, questionQuestion
    case assign, plusAssign, minusAssign, starAssign, slashAssign, percentAssign, starStarAssign
    case shlAssign, shrAssign, ushrAssign, ampAssign, pipeAssign, caretAssign
    case ampAmpAssign, pipePipeAssign, questionQuestionAssign
    case hash, at

    var text: String {
        switch self {
        case .lbrace: "{"
        case .rbrace: "}"
        case .lparen: "("
        case .rparen: ")"
        case .lbracket: "["
        case .rbracket: "]"
        case .dot: "."
        case .ellipsis: "..."
        case .semicolon: ";"
        case .comma: ","
        case .question: "?"
        case .questionDot: "?."
        case .colon: ":"
        case .arrow: "=>"
        case .lt: "<"
        case .gt: ">"
        case .le: "<="
        case .ge: ">="
        case .eq: "=="
        case .ne: "!="
        case .seq: "==="
        case .sne: "!=="
        case .plus: "+"
        case .minus: "-"
        case .star: "*"
        case .slash: "/"
        case .percent: "%"
        case .starStar: "**"
        case .plusPlus: "++"
        case .minusMinus: "--"
        case .shl: "<<"
        case .shr: ">>"
        case .ushr: ">>>"
        case .amp: "&"
        case .pipe: "|"
        case .caret: "^"
        case .bang: "!"
        case .tilde: "~"
        case .ampAmp: "&&"
        case .pipePipe: "||"
        case .questionQuestion: "??"
        case .assign: "="
        case .plusAssign: "+="
        case .minusAssign: "-="
        case .starAssign: "*="
        case .slashAssign: "/="
        case .percentAssign: "%="
        case .starStarAssign: "**="
        case .shlAssign: "<<="
        case .shrAssign: ">>="
        case .ushrAssign: ">>>="
        case .ampAssign: "&="
        case .pipeAssign: "|="
        case .caretAssign: "^="
        case .ampAmpAssign: "&&="
        case .pipePipeAssign: "||="
        case .questionQuestionAssign: "??="
        case .hash: "#"
        case .at: "@"
        }
    }
}

/// One token. Keywords are `.identifier` tokens (the parser decides by context),
/// which makes `a.if` and `{if: 1}` natural.
struct Token: Sendable {
    enum Kind: UInt8, Sendable {
        case eof, identifier, punctuator, number, string, template
    }

    var kind: Kind
    var punctuator: Punctuator = .semicolon
    /// Identifier name (escapes decoded).
    var name: String = ""
    /// The identifier contained a `\u` escape.
    var escaped: Bool = false
    var number: Double = 0
    /// Number: legacy octal `017` or leading-zero decimal `08`. String: legacy octal
    /// escape (`\01`, `\7`) or `\8` / `\9`. Both are errors in strict code.
    var legacyOctal: Bool = false
    /// String value, or template chunk cooked value (UTF-16).
    var units: [UInt16] = []
    /// Template chunk: first invalid escape (reported for untagged templates only).
    var templateError: ParseFailure?
    /// Template chunk ends the template (closing backtick) rather than `${`.
    var templateTail: Bool = false
    /// A line terminator (or a comment containing one) precedes this token.
    var newlineBefore: Bool = false
    var start: SourceLocation
    var end: SourceLocation

    init(kind: Kind, start: SourceLocation, end: SourceLocation) {
        self.kind = kind
        self.start = start
        self.end = end
    }

    func isPunctuator(_ p: Punctuator) -> Bool { kind == .punctuator && punctuator == p }
    /// An unescaped identifier token spelled `word` (keyword check).
    func isWord(_ word: String) -> Bool { kind == .identifier && !escaped && name == word }

    var range: SourceRange { SourceRange(start: start, end: end) }

    /// How the token is named in "Unexpected …" messages.
    var displayText: String {
        switch kind {
        case .eof: "end of input"
        case .identifier: Keywords.isReserved(name) ? "token '\(name)'" : "identifier '\(name)'"
        case .punctuator: "token '\(punctuator.text)'"
        case .number: "number"
        case .string: "string"
        case .template: "template string"
        }
    }
}

enum Keywords {
    /// Always-reserved words (ES2015+ script goal), including literals.
    static let reserved: Set<String> = [
        "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete",
        "do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if",
        "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this",
        "throw", "true", "try", "typeof", "var", "void", "while", "with",
    ]
    /// Reserved only in strict mode code.
    static let strictReserved: Set<String> = [
        "implements", "interface", "let", "package", "private", "protected", "public", "static", "yield",
    ]

    static func isReserved(_ name: String) -> Bool { reserved.contains(name) }
}
