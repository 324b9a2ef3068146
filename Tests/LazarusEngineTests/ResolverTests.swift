import Testing
import LazarusEngine
import LazarusSyntax

@Suite("Resolver: early errors and scopes")
struct ResolverTests {
    func syntaxError(_ source: String) -> SyntaxError? {
        do { _ = try compileProgram(source); return nil } catch { return error }
    }

    @Test func letRedeclarationIsAnEarlyError() {
        let e = syntaxError("let a = 1;\nlet a = 2;")
        #expect(e?.message == "Identifier 'a' has already been declared")
        #expect(e?.location.line == 2)
        #expect(e?.location.column == 5)
    }

    @Test(arguments: ["let x; var x;", "var x; let x;", "const c = 1; function c() {}", "function f(a) { let a; }",
                      "{ let q; var q; }", "try {} catch (e) { let e; }", "'use strict'; { function g() {} function g() {} }"])
    func conflictingDeclarations(_ source: String) {
        #expect(syntaxError(source) != nil, "\(source)")
    }

    @Test(arguments: ["var x; var x;", "function f() {} function f() {}", "var a; function a() {}", "function f(a) { var a; }",
                      "try {} catch (e) { var e; }", "{ let x; } { let x; }", "let y; { let y; }"])
    func allowedRedeclarations(_ source: String) {
        #expect(syntaxError(source) == nil, "\(source)")
    }

    @Test func breakAndContinueNeedTargets() {
        #expect(syntaxError("break;")?.message == "Illegal break statement")
        #expect(syntaxError("while (1) { continue nope; }")?.message == "Undefined label 'nope'")
        #expect(syntaxError("a: { continue a; }") != nil)
        #expect(syntaxError("a: while (1) { continue a; }") == nil)
    }

    @Test func unsupportedFeaturesNameTheFeatureAndPosition() {
        let e = syntaxError("var x = 1;\nclass A {}")
        #expect(e != nil)
        #expect(e?.location.line == 2)
    }

    @Test func arrowsCaptureThisAndArguments() throws {
        let p = try compileProgram("function f() { return () => this.x + arguments[0]; }")
        let f = p.unit.functions[1]
        #expect(f.flags.contains(.usesArguments))
        #expect(f.code.contains { $0.op == .loadThis })
        #expect(f.code.first?.op == .pushEnv)
    }
}
