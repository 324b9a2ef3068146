import Testing
@testable import LazarusSyntax

@Suite struct ParserStatementTests {
    @Test func declarations() {
        #expect(sexp("var a, b = 1; let c = 2; const d = 3;") == "(var a (b 1)) (let (c 2)) (const (d 3))")
        #expect(sexp("function f(a, b) { return a + b }") == "(function f (a b) (return (+ a b)))")
        #expect(sexp("var let = 1; let = 2;") == "(var (let 1)) (= let 2)")
        #expect(sexp("let\nx = 1") == "(let (x 1))")
        #expect(sexp("let;") == "let")
        #expect(sexp("var yield, static, async, of, get, set;") == "(var yield static async of get set)")
    }

    @Test func controlFlow() {
        #expect(sexp("if (a) b; else if (c) d; else e") == "(if a b (if c d e))")
        #expect(sexp("if (a) { b }") == "(if a (block b))")
        #expect(sexp("while (a) b++") == "(while a (post++ b))")
        #expect(sexp("do a(); while (b)") == "(do (call a) b)")
        #expect(sexp("do x; while(0) y") == "(do x 0) y")
        #expect(sexp(";;") == "(empty) (empty)")
        #expect(sexp("debugger;") == "(debugger)")
        #expect(sexp("{ a; { b } }") == "(block a (block b))")
    }

    @Test func forLoops() {
        #expect(sexp("for (;;) {}") == "(for _ _ _ (block))")
        #expect(sexp("for (var i = 0, n = a.length; i < n; i++) f(i)")
            == "(for (var (i 0) (n (. a length))) (< i n) (post++ i) (call f i))")
        #expect(sexp("for (let i = 0; i < 3; ++i) ;") == "(for (let (i 0)) (< i 3) (++pre i) (empty))")
        #expect(sexp("for (i = 0; ; ) break;") == "(for (= i 0) _ _ (break))")
        #expect(sexp("for (var k in o) ;") == "(for-in (var k) o (empty))")
        #expect(sexp("for (const k in o) ;") == "(for-in (const k) o (empty))")
        #expect(sexp("for (k in o) ;") == "(for-in k o (empty))")
        #expect(sexp("for (a.b in o) ;") == "(for-in (. a b) o (empty))")
        #expect(sexp("for (let x of [1, 2]) ;") == "(for-of (let x) (array 1 2) (empty))")
        #expect(sexp("for (const x of s) ;") == "(for-of (const x) s (empty))")
        #expect(sexp("for (x of a) ;") == "(for-of x a (empty))")
        #expect(sexp("for (var x = (a in b); ;) ;") == "(for (var (x (in a b))) _ _ (empty))")
        #expect(sexp("for (x in a, b) ;") == "(for-in x (, a b) (empty))")
        #expect(sexp("for (let in o) ;") == "(for-in let o (empty))")
        #expect(sexp("for (var x = function () { return a in b }; ;) break")
            == "(for (var (x (function () (return (in a b))))) _ _ (break))")
        #expect(!parses("for (x of a, b) ;"))
        #expect(!parses("for (var a, b in o) ;"))
        #expect(!parses("for (var a = 1 of o) ;"))
        #expect(!parses("for (var a = 1 in o) ;"))  // Annex B form not supported
        #expect(!parses("for (a in b;;) ;"))
        #expect(!parses("for (a + b in c) ;"))
        #expect(!parses("for (f() in c) ;"))
        #expect(!parses("for (let of x) ;"))
        #expect(!parses("for (;) ;"))
    }

    @Test func switchStatements() {
        #expect(sexp("switch (x) { case 1: a; break; case 2: case 3: b; default: c }")
            == "(switch x (case 1 a (break)) (case 2) (case 3 b) (default c))")
        #expect(sexp("switch (x) {}") == "(switch x)")
        #expect(sexp("switch (x) { default: let y = 1; }") == "(switch x (default (let (y 1))))")
        #expect(!parses("switch (x) { default: ; default: ; }"))
        #expect(!parses("switch (x) { a; }"))
    }

    @Test func tryStatements() {
        #expect(sexp("try { a } catch (e) { b } finally { c }") == "(try (block a) (catch e b) (finally c))")
        #expect(sexp("try {} catch (e) {}") == "(try (block) (catch e))")
        #expect(sexp("try {} finally {}") == "(try (block) (finally))")
        #expect(sexp("try {} catch {}") == "(try (block) (catch _))")
        #expect(!parses("try {}"))
        #expect(!parses("try a; catch (e) {}"))
        #expect(!parses("try {} catch (e) b"))
    }

    @Test func jumpsAndLabels() {
        #expect(sexp("function f() { return; }") == "(function f () (return))")
        #expect(sexp("function f() { return a, b }") == "(function f () (return (, a b)))")
        #expect(sexp("throw new Error('x')") == #"(throw (new Error "x"))"#)
        #expect(sexp("a: for (;;) { continue a; }") == "(label a (for _ _ _ (block (continue a))))")
        #expect(sexp("a: { break a; }") == "(label a (block (break a)))")
        #expect(sexp("a: b: while (1) continue a;") == "(label a (label b (while 1 (continue a))))")
        #expect(sexp("while (1) { break; }") == "(while 1 (block (break)))")
        #expect(sexp("a: a2: ;") == "(label a (label a2 (empty)))")
        #expect(sexp("yield: 1") == "(label yield 1)")
        #expect(sexp("L: function f() {}") == "(label L (function f ()))")
        #expect(sexp("await: 1") == "(label await 1)")
    }

    @Test func directives() throws {
        let p = try parseProgram("'use strict'; x = 1")
        #expect(p.isStrict)
        #expect(try !parseProgram("'use strict' + 1; x").isStrict)
        #expect(try !parseProgram("('use strict'); x").isStrict)
        #expect(try !parseProgram("x; 'use strict';").isStrict)
        #expect(try parseProgram("'a'; \"use strict\"; x").isStrict)
        #expect(try !parseProgram(#"'use\x20strict'; x"#).isStrict)
        #expect(try !parseProgram("'use strict\\\n'; x").isStrict)
        #expect(try parseProgram("x", options: ParseOptions(strict: true)).isStrict)
        // Per function.
        let q = try parseProgram("function f() { 'use strict'; function g() {} } function h() {}")
        guard case .functionDeclaration(let f) = q.body[0].kind, case .functionDeclaration(let g) = f.body[1].kind,
              case .functionDeclaration(let h) = q.body[1].kind
        else {
            Issue.record("shape")
            return
        }
        #expect(f.isStrict && f.hasUseStrictDirective)
        #expect(g.isStrict && !g.hasUseStrictDirective)
        #expect(!h.isStrict)
        #expect(!q.isStrict)
    }

    @Test func blockFunctionsAndLexicalScopes() {
        #expect(parses("{ function f() {} }"))
        #expect(parses("{ function f() {} function f() {} }"))  // Annex B, sloppy
        #expect(!parses("'use strict'; { function f() {} function f() {} }"))
        #expect(parses("function f() {} function f() {} var f;"))
        #expect(parses("var a; var a;"))
        #expect(parses("let a; { let a; }"))
        #expect(parses("function f(a) { var a; }"))
        #expect(parses("try {} catch (e) { var e; }"))
        #expect(parses("for (let i;;) { let i; }"))
        #expect(parses("switch (0) { case 1: let a; } let a;"))
    }

    @Test func statementRanges() throws {
        let p = try parseProgram("if (a) {\n  b();\n}\nvar x = 1")
        #expect(p.body[0].range.text(in: p.source) == "if (a) {\n  b();\n}")
        #expect(p.body[0].range.start == SourceLocation(offset: 0, line: 1, column: 1))
        #expect(p.body[0].range.end == SourceLocation(offset: 17, line: 3, column: 2))
        #expect(p.body[1].range.start.line == 4)
        guard case .variableDeclaration(let d) = p.body[1].kind else { return }
        #expect(d.declarators[0].nameRange.start == SourceLocation(offset: 22, line: 4, column: 5))
    }
}
