import Testing
@testable import LazarusSyntax

@Suite struct LexerTests {
    @Test func punctuatorsAreLongestMatch() {
        #expect(tokens("a >>>= b >>> c >> d > e") == ["a", ">>>=", "b", ">>>", "c", ">>", "d", ">", "e"])
        #expect(tokens("a === b !== c == d != e") == ["a", "===", "b", "!==", "c", "==", "d", "!=", "e"])
        #expect(tokens("x **= 2 ** 3 * 4") == ["x", "**=", "#2", "**", "#3", "*", "#4"])
        #expect(tokens("a ?? b ?. c ?.5 : d") == ["a", "??", "b", "?.", "c", "?", "#0.5", ":", "d"])
        #expect(tokens("(...a) => {}") == ["(", "...", "a", ")", "=>", "{", "}"])
        #expect(tokens("a++ + ++b - --c") == ["a", "++", "+", "++", "b", "-", "--", "c"])
        #expect(tokens("&& || & | ^ ~ ! %= &= |= ^= <<= <=") == ["&&", "||", "&", "|", "^", "~", "!", "%=", "&=", "|=", "^=", "<<=", "<="])
    }

    @Test func keywordsAreIdentifierTokens() {
        #expect(tokens("if (a) return this") == ["if", "(", "a", ")", "return", "this"])
    }

    @Test func commentsAndLineTerminators() {
        #expect(tokens("a // c\nb") == ["a", "\\nb"])
        #expect(tokens("a /* x */ b") == ["a", "b"])
        #expect(tokens("a /* x\n */ b") == ["a", "\\nb"])
        #expect(tokens("a\rb\r\nc\u{2028}d\u{2029}e") == ["a", "\\nb", "\\nc", "\\nd", "\\ne"])
        #expect(tokens("#!/usr/bin/env node\nx") == ["\\nx"])
        #expect(tokens("a /* never closed").last?.hasPrefix("ERROR: SyntaxError: Unterminated comment") == true)
    }

    @Test func whitespaceKinds() {
        // TAB VT FF SP NBSP ZWNBSP, Zs (U+2003 EM SPACE, U+3000)
        #expect(tokens("a\t\u{0B}\u{0C} \u{A0}\u{FEFF}\u{2003}\u{3000}b") == ["a", "b"])
    }

    @Test func locationsAreUTF16WithOneBasedLineAndColumn() throws {
        let lexer = Lexer("a\n  😀x = 1")
        _ = try lexer.next()
        // "😀" is not an identifier start: error at line 2, column 3.
        do {
            _ = try lexer.next()
            Issue.record("expected error")
        } catch {
            #expect(error.error.location == SourceLocation(offset: 4, line: 2, column: 3))
        }
        let l2 = Lexer("\"😀\" + b")
        _ = try l2.next()
        let plus = try l2.next()
        #expect(plus.start == SourceLocation(offset: 5, line: 1, column: 6))
        let l3 = Lexer("x\r\ny")
        _ = try l3.next()
        let y = try l3.next()
        #expect(y.start == SourceLocation(offset: 3, line: 2, column: 1))
    }

    @Test func numericLiterals() {
        #expect(numberValue("0") == 0)
        #expect(numberValue("123") == 123)
        #expect(numberValue("1.5") == 1.5)
        #expect(numberValue(".5") == 0.5)
        #expect(numberValue("5.") == 5)
        #expect(numberValue("1e3") == 1000)
        #expect(numberValue("1E-3") == 0.001)
        #expect(numberValue("2.5e+2") == 250)
        #expect(numberValue("0x1F") == 31)
        #expect(numberValue("0XfF") == 255)
        #expect(numberValue("0o17") == 15)
        #expect(numberValue("0B101") == 5)
        #expect(numberValue("017") == 15)  // legacy octal, sloppy only
        #expect(numberValue("019") == 19)  // leading-zero decimal
        #expect(numberValue("08.5") == 8.5)
        #expect(numberValue("1e400") == .infinity)
        #expect(numberValue("0.1") == 0.1)
        #expect(numberValue("9007199254740993") == 9007199254740992)
        // Hex beyond 2^64 is rounded once.
        #expect(numberValue("0x10000000000000000") == 18446744073709551616)
        #expect(numberValue("0x20000000000001") == 9007199254740992)
        #expect(numberValue("0x1fffffffffffff8") == 144115188075855864)
    }

    @Test func invalidNumericLiterals() {
        for src in ["3in x", "0x", "0b2", "0o8", "1e", "1e+", "3a", "1.e", "0x1g"] {
            #expect(!parses(src), "\(src)")
        }
        #expect(syntaxError("1_000")?.feature == "numeric separators")
        #expect(syntaxError("10n")?.feature == "BigInt")
        #expect(syntaxError("\"use strict\"; 017")?.message == "Octal literals are not allowed in strict mode")
        #expect(syntaxError("\"use strict\"; 08") != nil)
        #expect(parses("1..toString()"))
        #expect(!parses("1.toString()"))
        #expect(parses("1 .toString()"))
    }

    @Test func stringEscapes() {
        #expect(stringValue(#"'\n\t\r\b\f\v\0'"#) == "\n\t\r\u{8}\u{C}\u{B}\0")
        #expect(stringValue(#"'\x41\u0042\u{43}\u{1F600}'"#) == "ABC😀")
        #expect(stringValue(#"'\uD83D\uDE00'"#) == "😀")
        #expect(stringValue(#"'\'\"\\\q'"#) == "'\"\\q")
        #expect(stringValue("'a\\\nb\\\r\nc\\\u{2028}d'") == "abcd")  // line continuations
        #expect(stringValue("'\u{2028}'") == "\u{2028}")  // allowed unescaped since ES2019
        #expect(stringValue(#"'\101\7\08\377\400'"#) == "A\u{7}\u{0}8\u{FF}\u{20}0")  // legacy octal (sloppy)
        #expect(stringValue(#"'\8\9'"#) == "89")
        #expect(stringValue("\"😀\"") == "😀")
    }

    @Test func loneSurrogatesAreKeptAsCodeUnits() {
        guard let e = expression(#"'a\uD800b'"#), case .stringUnits(let u) = e.kind else {
            Issue.record("expected .stringUnits")
            return
        }
        #expect(u == [0x61, 0xD800, 0x62])
    }

    @Test func invalidStrings() {
        for src in ["'abc", "'a\nb'", #"'\x4'"#, #"'\u12'"#, #"'\u{110000}'"#, #"'\u{}'"#, "'\\"] {
            #expect(!parses(src), "\(src)")
        }
        #expect(syntaxError(#"'use strict'; '\01'"#)?.message == "Octal escape sequences are not allowed in strict mode")
        #expect(syntaxError(#"'use strict'; '\8'"#) != nil)
        #expect(parses(#"'use strict'; '\0'"#))
    }

    @Test func identifiers() {
        #expect(tokens("$a _b c1 été 日本 ℘x a\u{200C}b") == ["$a", "_b", "c1", "été", "日本", "℘x", "a\u{200C}b"])
        #expect(tokens(#"\u0061bc a\u{62}c"#) == ["abc", "abc"])
        #expect(firstToken(#"\u0061"#)?.escaped == true)
        #expect(!parses(#"\u0030abc"#))  // escape is not an ID_Start
        #expect(!parses(#"a\u002Db"#))  // '-' is not ID_Continue
        #expect(!parses(#"v\u0061r x = 1"#))  // escaped keyword
        #expect(parses(#"({ v\u0061r: 1 }).var"#))  // fine as a property name
    }

    @Test func templates() {
        #expect(tokens("`a${b") == ["`a${", "b"])
        #expect(sexp("`a${b}c${d}e`") == #"(template "a" b "c" d "e")"#)
        #expect(sexp("`${ {a: 1}.a }`") == #"(template "" (. (object (prop "a" 1)) a) "")"#)
        #expect(sexp("`a${`b${c}`}`") == #"(template "a" (template "b" c "") "")"#)
        #expect(sexp("`\\x41\\u{42}\r\n\\``") == "(template \"AB\\n`\")")
        #expect(!parses("`\\01`"))
        #expect(!parses("`\\x`"))
        #expect(!parses("`abc"))
        #expect(!parses("`${a`"))
    }

    @Test func unknownCharacters() {
        #expect(syntaxError("a ¶ b")?.message.hasPrefix("Invalid or unexpected token") == true)
    }
}
