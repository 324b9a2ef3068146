import Testing
@testable import LazarusSyntax

/// Every early error of docs/SYNTAX.md, with the reported message fragment.
@Suite struct EarlyErrorTests {
    func expectError(_ src: String, _ fragment: String, strict: Bool = false,
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let e = syntaxError(src, strict: strict) else {
            Issue.record("expected a SyntaxError for: \(src)", sourceLocation: sourceLocation)
            return
        }
        #expect(e.message.contains(fragment), "\(src): \(e)", sourceLocation: sourceLocation)
        #expect(e.feature == nil, "\(src) is an error, not an unsupported feature", sourceLocation: sourceLocation)
    }

    @Test func invalidAssignmentTargets() {
        expectError("1 = 2", "Invalid left-hand side in assignment")
        expectError("a + b = c", "Invalid left-hand side in assignment")
        expectError("f() = 1", "Invalid left-hand side in assignment")
        expectError("f() += 1", "Invalid left-hand side in assignment")
        expectError("this = 1", "Invalid left-hand side in assignment")
        expectError("(a, b) = 1", "Invalid left-hand side in assignment")
        expectError("++f()", "Invalid left-hand side expression in prefix operation")
        expectError("f()++", "Invalid left-hand side expression in postfix operation")
        expectError("1++", "Invalid left-hand side expression in postfix operation")
        expectError("--1", "Invalid left-hand side expression in prefix operation")
        expectError("for (f() in a) ;", "Invalid left-hand side in for-in")
        expectError("for (1 of a) ;", "Invalid left-hand side in for-of")
        expectError("new a = 1", "Invalid left-hand side")
        expectError("({}) = 1", "Invalid left-hand side in assignment")
    }

    @Test func jumpsNeedTargets() {
        expectError("break", "Illegal break statement")
        expectError("continue", "Illegal continue statement")
        expectError("{ break; }", "Illegal break statement")
        expectError("switch (1) { case 1: continue; }", "Illegal continue statement")
        expectError("while (1) { function f() { break; } }", "Illegal break statement")
        expectError("while (1) { (() => { continue; })() }", "Illegal continue statement")
        expectError("break a;", "Undefined label 'a'")
        expectError("a: while (1) { function f() { break a; } }", "Undefined label 'a'")
        expectError("a: { continue a; }", "does not denote an iteration statement")
        expectError("a: if (1) { while (1) continue a; }", "does not denote an iteration statement")
        expectError("a: a: ;", "Label 'a' has already been declared")
        expectError("a: { a: ; }", "Label 'a' has already been declared")
        expectError("return", "Illegal return statement")
        expectError("{ return 1 }", "Illegal return statement")
        #expect(parses("a: { a2: ; } a: ;"))
        #expect(parses("switch (1) { case 1: break; }"))
        #expect(parses("a: { b: while (1) { break a; } }"))
        #expect(parses("a: while (1) { switch (1) { case 1: continue a; } }"))
        #expect(parses("function f() { a: while (1) break a; } a: ;"))
    }

    @Test func duplicateProto() {
        expectError("x = {__proto__: 1, __proto__: 2}", "Duplicate __proto__")
        expectError("x = {'__proto__': 1, \"__proto__\": 2}", "Duplicate __proto__")
        #expect(parses("x = {__proto__: 1, __proto__() {}}"))
        #expect(parses("x = {__proto__: 1, ['__proto__']: 2}"))
        #expect(parses("__proto__ = 0; x = {__proto__: 1, __proto__}"))
        #expect(parses("x = {__proto__: 1, get __proto__() {}}"))
    }

    @Test func lexicalDeclarationsInSingleStatementContexts() {
        expectError("if (1) let x = 1;", "single-statement context")
        expectError("if (1) const x = 1;", "single-statement context")
        expectError("while (1) let x;", "single-statement context")
        expectError("for (;;) const x = 1;", "single-statement context")
        expectError("a: let x;", "single-statement context")
        expectError("if (1) let [a] = b;", "single-statement context")
        expectError("do let x; while (0)", "single-statement context")
        expectError("if (1) function f() {}", "single-statement context")
        expectError("while (1) function f() {}", "single-statement context")
        expectError("if (1) L: function f() {}", "cannot be labelled")
        expectError("'use strict'; L: function f() {}", "cannot be labelled")
        #expect(parses("if (1) let\nx"))  // `let` is an identifier here
    }

    @Test func constNeedsInitializer() {
        expectError("const a;", "Missing initializer in const declaration")
        expectError("const a = 1, b;", "Missing initializer in const declaration")
        expectError("for (const a; ;) ;", "Missing initializer in const declaration")
        #expect(parses("for (const a in o) ;"))
        #expect(parses("for (const a of o) ;"))
    }

    @Test func lexicalRedeclarations() {
        expectError("let a; let a;", "Identifier 'a' has already been declared")
        expectError("let a, a;", "Identifier 'a' has already been declared")
        expectError("let a; var a;", "has already been declared")
        expectError("var a; let a;", "has already been declared")
        expectError("const a = 1; function a() {}", "has already been declared")
        expectError("function a() {} let a;", "has already been declared")
        expectError("let a; { var a; }", "has already been declared")
        expectError("{ var a; } let a;", "has already been declared")
        expectError("{ let a; var a; }", "has already been declared")
        expectError("{ let a; function a() {} }", "has already been declared")
        expectError("function f(a) { let a; }", "has already been declared")
        expectError("(a) => { const a = 1; }", "has already been declared")
        expectError("try {} catch (e) { let e; }", "has already been declared")
        expectError("for (let i;;) { var i; }", "has already been declared")
        expectError("switch (0) { case 1: let a; case 2: let a; }", "has already been declared")
        expectError("let let = 1;", "let is disallowed as a lexically bound name")
        expectError("const let = 1;", "let is disallowed")
        expectError("for (let let of a) ;", "let is disallowed")
    }

    @Test func strictModeRestrictions() {
        expectError("'use strict'; with (a) {}", "Strict mode code may not include a with statement")
        expectError("'use strict'; 010", "Octal literals are not allowed in strict mode")
        expectError("'use strict'; '\\012'", "Octal escape sequences")
        expectError("function f() { '\\012'; 'use strict'; }", "Octal escape sequences")
        expectError("'use strict'; eval = 1", "eval or arguments")
        expectError("'use strict'; arguments++", "eval or arguments")
        expectError("'use strict'; --eval", "eval or arguments")
        expectError("'use strict'; arguments += 1", "eval or arguments")
        expectError("'use strict'; for (eval in a) ;", "eval or arguments")
        expectError("'use strict'; var eval;", "eval or arguments")
        expectError("'use strict'; let arguments;", "eval or arguments")
        expectError("'use strict'; function eval() {}", "eval or arguments")
        expectError("function arguments() { 'use strict'; }", "eval or arguments")
        expectError("'use strict'; function f(eval) {}", "eval or arguments")
        expectError("function f(arguments) { 'use strict' }", "eval or arguments")
        expectError("'use strict'; try {} catch (eval) {}", "eval or arguments")
        expectError("'use strict'; (eval) => 1", "eval or arguments")
        expectError("'use strict'; x = function eval() {}", "eval or arguments")
        expectError("'use strict'; delete x", "Delete of an unqualified identifier")
        expectError("'use strict'; delete (x)", "Delete of an unqualified identifier")
        expectError("'use strict'; function f(a, a) {}", "Duplicate parameter name")
        expectError("function f(a, a) { 'use strict' }", "Duplicate parameter name")
        expectError("function f(a, a = 1) {}", "Duplicate parameter name")
        expectError("function f(a, ...a) {}", "Duplicate parameter name")
        expectError("(a, a) => 1", "Duplicate parameter name")
        expectError("x = { m(a, a) {} }", "Duplicate parameter name")
        expectError("function f(a = 1) { 'use strict' }", "Illegal 'use strict' directive")
        expectError("(...a) => { 'use strict' }", "Illegal 'use strict' directive")
        for word in ["implements", "interface", "let", "package", "private", "protected", "public", "static", "yield"] {
            expectError("'use strict'; var \(word);", "strict mode reserved word")
            expectError("'use strict'; \(word) = 1;", "strict mode reserved word")
            expectError("function \(word)() { 'use strict' }", "strict mode reserved word")
            #expect(parses("var \(word); \(word) = 1;"), "\(word) is an identifier in sloppy code")
        }
        #expect(parses("function f(a, a) {}"))  // sloppy, simple parameters
        #expect(parses("delete x.y; delete x[0]"))
        #expect(parses("'use strict'; delete x.y"))
        #expect(parses("'use strict'; eval(a); arguments[0]; a.eval = 1"))
        #expect(parses("'use strict'; ({ eval: 1, arguments: 2 }).eval"))
        #expect(parses("'use strict'; '\\0'"))
    }

    @Test func reservedWordsAsNames() {
        expectError("var if;", "Unexpected token 'if'")
        expectError("function class() {}", "class")
        expectError("var enum;", "enum")
        expectError("x = { if }", "Unexpected token 'if'")
        #expect(parses("x = { if: 1, class: 2, new: 3 }; x.if; x.class"))
    }

    @Test func otherEarlyErrors() {
        expectError("a ?? b || c", "Cannot mix '??'")
        expectError("a || b ?? c", "Cannot mix '??'")
        expectError("a && b ?? c", "Cannot mix '??'")
        expectError("-2 ** 2", "Unary operator used immediately before exponentiation")
        expectError("typeof a ** 2", "Unary operator")
        expectError("function f(...a, b) {}", "Rest parameter must be last")
        expectError("function f(...a = 1) {}", "Rest parameter may not have a default")
        expectError("x = { get a(b) {} }", "Getter must not have any formal parameters")
        expectError("x = { set a(b, c) {} }", "Setter must have exactly one formal parameter")
        expectError("x = { set a(...b) {} }", "Setter must have exactly one formal parameter")
        expectError("try {} catch (e) {} finally", "Unexpected end of input")
        expectError("'use strict'; if (1) function f() {}", "single-statement context")
    }

    @Test func errorDescriptionFormat() {
        let e = syntaxError("var a = 1;\nfunction f() {\n  return 1 + }\n")
        #expect(e?.description == "SyntaxError: Unexpected token '}' at 3:14")
        #expect(e?.location == SourceLocation(offset: 39, line: 3, column: 14))
        #expect(syntaxError("a = (")?.description == "SyntaxError: Unexpected end of input at 1:6")
    }
}
