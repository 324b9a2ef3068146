@testable import LazarusSyntax

/// S-expression of a program, or "ERROR: <description>".
func sexp(_ source: String, strict: Bool = false) -> String {
    do {
        return try parseProgram(source, options: ParseOptions(strict: strict)).dump
    } catch {
        return "ERROR: \(error)"
    }
}

/// The SyntaxError for `source`, or nil if it parses.
func syntaxError(_ source: String, strict: Bool = false) -> SyntaxError? {
    do {
        _ = try parseProgram(source, options: ParseOptions(strict: strict))
        return nil
    } catch {
        return error
    }
}

func parses(_ source: String, strict: Bool = false) -> Bool { syntaxError(source, strict: strict) == nil }

/// Compact token stream: identifiers by name, punctuators by text, `#n` numbers, `"s"` strings,
/// `` `t` `` template chunks, `\n` marks a token preceded by a line terminator.
func tokens(_ source: String) -> [String] {
    let lexer = Lexer(source)
    var out: [String] = []
    do {
        while true {
            let t = try lexer.next()
            var s: String
            switch t.kind {
            case .eof: return out
            case .identifier: s = t.name
            case .punctuator: s = t.punctuator.text
            case .number: s = "#" + javaScriptNumberString(t.number)
            case .string: s = "\"" + String(decoding: t.units, as: UTF16.self) + "\""
            case .template: s = "`" + String(decoding: t.units, as: UTF16.self) + (t.templateTail ? "`" : "${")
            }
            out.append(t.newlineBefore ? "\\n" + s : s)
        }
    } catch {
        out.append("ERROR: \(error.error)")
        return out
    }
}

/// The first token of `source`.
func firstToken(_ source: String) -> Token? {
    try? Lexer(source).next()
}

/// First expression statement's expression.
func expression(_ source: String) -> Expression? {
    guard let p = try? parseProgram(source), case .expression(let e)? = p.body.first?.kind else { return nil }
    return e
}

func numberValue(_ source: String) -> Double? {
    guard let e = expression(source), case .number(let v) = e.kind else { return nil }
    return v
}

func stringValue(_ source: String) -> String? {
    guard let e = expression(source) else { return nil }
    if case .string(let s) = e.kind { return s }
    return nil
}
