import Testing
@testable import LazarusSyntax

@Suite struct ASITests {
    @Test func insertedAtNewlineBraceAndEnd() {
        #expect(sexp("a\nb") == "a b")
        #expect(sexp("var a = 1\nvar b = 2") == "(var (a 1)) (var (b 2))")
        #expect(sexp("{ a } b") == "(block a) b")
        #expect(sexp("a") == "a")
        #expect(sexp("function f() { return 1 }") == "(function f () (return 1))")
        #expect(!parses("a b"))
        #expect(!parses("var a = 1 var b"))
    }

    @Test func notInsertedWhenTheNextLineContinues() {
        #expect(sexp("a\n(b)") == "(call a b)")
        #expect(sexp("a\n[b]") == "([] a b)")
        #expect(sexp("a\n.b") == "(. a b)")
        #expect(sexp("a\n+ b") == "(+ a b)")
        #expect(sexp("a =\nb") == "(= a b)")
        #expect(sexp("a\n`t`").hasPrefix("ERROR"))  // would be a tagged template
    }

    @Test func restrictedProductions() {
        #expect(sexp("function f() { return\na }") == "(function f () (return) a)")
        #expect(sexp("a\n++b") == "a (++pre b)")
        #expect(sexp("a\n--\nb") == "a (--pre b)")
        #expect(sexp("a++\nb") == "(post++ a) b")
        #expect(sexp("x: while (1) { break\nx }") == "(label x (while 1 (block (break) x)))")
        #expect(sexp("x: while (1) { continue\nx }") == "(label x (while 1 (block (continue) x)))")
        #expect(syntaxError("throw\nnew Error()")?.message == "Illegal newline after throw")
        #expect(!parses("a\n++\n++\nb"))
        #expect(sexp("a /* \n */ ++b") == "a (++pre b)")
        #expect(sexp("a /* */ ++\nb").hasPrefix("ERROR") == false)
    }

    @Test func noInsertionInsideForHeader() {
        #expect(!parses("for (a\nb\n) {}"))
        #expect(!parses("for (var i = 0\n i < 3\n i++) {}"))
        #expect(parses("for (\n;\n;\n) break"))
    }

    @Test func doWhileAndEmptyStatements() {
        #expect(sexp("do {} while (a) b") == "(do (block) a) b")
        #expect(sexp("do ; while (0)\nx") == "(do (empty) 0) x")
        #expect(!parses("if (a)\nelse b"))
        #expect(!parses("for (;;)\n"))
        #expect(!parses("if (a)"))
    }
}
