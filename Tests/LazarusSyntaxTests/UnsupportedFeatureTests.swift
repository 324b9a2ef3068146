import Testing
@testable import LazarusSyntax

/// Every version-1 unsupported feature fails to parse with a message naming it and its line:column.
@Suite struct UnsupportedFeatureTests {
    func expectUnsupported(_ src: String, feature: String, at line: Int, _ column: Int, _ fragment: String,
                           sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let e = syntaxError(src) else {
            Issue.record("expected an unsupported-feature error for: \(src)", sourceLocation: sourceLocation)
            return
        }
        #expect(e.feature == feature, "\(src): \(e)", sourceLocation: sourceLocation)
        #expect(e.message.contains(fragment), "\(src): \(e)", sourceLocation: sourceLocation)
        #expect(e.message.hasSuffix("not supported in Lazarus scripts (version 1)"), "\(e)", sourceLocation: sourceLocation)
        #expect(e.location.line == line && e.location.column == column, "\(src): \(e)", sourceLocation: sourceLocation)
    }

    @Test func classes() {
        expectUnsupported("var a;\nclass A {}", feature: "class", at: 2, 1, "'class'")
        #expect(syntaxError("var a;\nclass A {}")?.description
            == "SyntaxError: 'class' is not supported in Lazarus scripts (version 1) at 2:1")
        expectUnsupported("x = class {}", feature: "class", at: 1, 5, "'class'")
        expectUnsupported("function f() { super.x() }", feature: "class", at: 1, 16, "'super'")
    }

    @Test func generatorsAndAsync() {
        expectUnsupported("function* g() {}", feature: "generators", at: 1, 9, "Generator")
        expectUnsupported("x = function* () {}", feature: "generators", at: 1, 13, "Generator")
        expectUnsupported("x = { *g() {} }", feature: "generators", at: 1, 7, "Generator")
        expectUnsupported("async function f() {}", feature: "async", at: 1, 1, "async")
        expectUnsupported("x = async function () {}", feature: "async", at: 1, 5, "async")
        expectUnsupported("x = async () => 1", feature: "async", at: 1, 5, "async")
        expectUnsupported("x = async x => 1", feature: "async", at: 1, 5, "async")
        expectUnsupported("f(async (a) => a)", feature: "async", at: 1, 3, "async")
        expectUnsupported("x = { async m() {} }", feature: "async", at: 1, 7, "async")
        expectUnsupported("await x", feature: "async", at: 1, 1, "await")
        expectUnsupported("for await (x of y) ;", feature: "async", at: 1, 5, "await")
        #expect(parses("var async = 1; async(1); async\nfunction f() {}"))
        #expect(parses("var await = 1; await(1);"))
    }

    @Test func destructuring() {
        expectUnsupported("var {a} = b", feature: "destructuring", at: 1, 5, "Destructuring")
        expectUnsupported("let [a, b] = c", feature: "destructuring", at: 1, 5, "Destructuring")
        expectUnsupported("const {a} = b", feature: "destructuring", at: 1, 7, "Destructuring")
        expectUnsupported("[a, b] = [b, a]", feature: "destructuring", at: 1, 1, "Destructuring")
        expectUnsupported("({a} = b)", feature: "destructuring", at: 1, 2, "Destructuring")
        expectUnsupported("function f({a}) {}", feature: "destructuring", at: 1, 12, "Destructuring")
        expectUnsupported("f = ([a]) => a", feature: "destructuring", at: 1, 6, "Destructuring")
        expectUnsupported("f = ({a} = {}) => a", feature: "destructuring", at: 1, 6, "Destructuring")
        expectUnsupported("try {} catch ({message}) {}", feature: "destructuring", at: 1, 15, "Destructuring")
        expectUnsupported("for (const [k, v] of m) ;", feature: "destructuring", at: 1, 12, "Destructuring")
        expectUnsupported("for ([a] of m) ;", feature: "destructuring", at: 1, 6, "Destructuring")
        expectUnsupported("x = {a = 1}", feature: "destructuring", at: 1, 8, "Destructuring")
    }

    @Test func modules() {
        expectUnsupported("import x from 'y'", feature: "modules", at: 1, 1, "'import'")
        expectUnsupported("export var x", feature: "modules", at: 1, 1, "'export'")
        expectUnsupported("x = import('y')", feature: "modules", at: 1, 5, "'import'")
        expectUnsupported("import.meta", feature: "modules", at: 1, 1, "'import'")
    }

    @Test func regularExpressions() {
        expectUnsupported("x = /ab+c/g", feature: "regular expressions", at: 1, 5, "Regular expressions")
        expectUnsupported("s.split(/'/)", feature: "regular expressions", at: 1, 9, "Regular expressions")
        expectUnsupported("x = /=/", feature: "regular expressions", at: 1, 5, "Regular expressions")
        expectUnsupported("if (a)\n  /x`/.test(b)", feature: "regular expressions", at: 2, 3, "Regular expressions")
        #expect(parses("a / b / c; a /= 2"))
    }

    @Test func with() {
        expectUnsupported("with (o) { x }", feature: "with", at: 1, 1, "'with'")
    }

    @Test func templatesChainingSpreadAndMisc() {
        expectUnsupported("tag`x`", feature: "tagged templates", at: 1, 4, "Tagged templates")
        expectUnsupported("a.b`x${1}`", feature: "tagged templates", at: 1, 4, "Tagged templates")
        expectUnsupported("tag`\\unicode`", feature: "tagged templates", at: 1, 4, "Tagged templates")
        expectUnsupported("a?.b", feature: "optional chaining", at: 1, 2, "Optional chaining")
        expectUnsupported("x = {...a}", feature: "object spread", at: 1, 6, "Spread in object literals")
        expectUnsupported("function F() { new.target }", feature: "new.target", at: 1, 16, "'new.target'")
        expectUnsupported("a &&= b", feature: "logical assignment", at: 1, 3, "Logical assignment")
        expectUnsupported("a ??= b", feature: "logical assignment", at: 1, 3, "Logical assignment")
        expectUnsupported("this.#x", feature: "private names", at: 1, 6, "Private names")
        expectUnsupported("@dec x", feature: "decorators", at: 1, 1, "Decorators")
        expectUnsupported("x = 1_000", feature: "numeric separators", at: 1, 6, "Numeric separators")
        expectUnsupported("x = 10n", feature: "BigInt", at: 1, 7, "BigInt")
        #expect(parses("a ? .5 : 1"))  // `?.` followed by a digit is a conditional
    }

    @Test func strictWithIsAnEarlyErrorNotAFeature() {
        #expect(syntaxError("'use strict'; with (o) {}")?.feature == nil)
    }
}
