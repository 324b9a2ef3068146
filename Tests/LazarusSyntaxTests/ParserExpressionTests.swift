import Testing
@testable import LazarusSyntax

@Suite struct ParserExpressionTests {
    @Test func precedence() {
        #expect(sexp("a = b + 1 * c") == "(= a (+ b (* 1 c)))")
        #expect(sexp("a || b && c | d ^ e & f == g < h << i + j * k")
            == "(|| a (&& b (| c (^ d (& e (== f (< g (<< h (+ i (* j k))))))))))")
        #expect(sexp("a * b + c * d") == "(+ (* a b) (* c d))")
        #expect(sexp("a < b == c > d") == "(== (< a b) (> c d))")
        #expect(sexp("a instanceof b in c") == "(in (instanceof a b) c)")
        #expect(sexp("!a++") == "(! (post++ a))")
        #expect(sexp("-a * b") == "(* (- a) b)")
        #expect(sexp("typeof a.b") == "(typeof (. a b))")
        #expect(sexp("void 0, delete a[b]") == "(, (void 0) (delete ([] a b)))")
        #expect(sexp("a ? b : c ? d : e") == "(? a b (? c d e))")
        #expect(sexp("a ? b = 1 : c = 2") == "(? a (= b 1) (= c 2))")
        #expect(sexp("a = b ? c : d") == "(= a (? b c d))")
        #expect(sexp("(a, b), c") == "(, (, a b) c)")
        #expect(sexp("a ?? b") == "(?? a b)")
        #expect(sexp("(a ?? b) || c") == "(|| (?? a b) c)")
        #expect(sexp("a ?? (b && c)") == "(?? a (&& b c))")
    }

    @Test func associativity() {
        #expect(sexp("a - b - c") == "(- (- a b) c)")
        #expect(sexp("a / b * c % d") == "(% (* (/ a b) c) d)")
        #expect(sexp("a = b = c") == "(= a (= b c))")
        #expect(sexp("a += b -= c") == "(+= a (-= b c))")
        #expect(sexp("2 ** 3 ** 2") == "(** 2 (** 3 2))")
        #expect(sexp("a * b ** c") == "(* a (** b c))")
        #expect(sexp("(-2) ** 2") == "(** (- 2) 2)")
        #expect(sexp("2 ** -2") == "(** 2 (- 2))")
        #expect(sexp("++a ** 2") == "(** (++pre a) 2)")
        #expect(sexp("a++ ** 2") == "(** (post++ a) 2)")
    }

    @Test func allAssignmentOperators() {
        for op in ["=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^="] {
            #expect(sexp("a \(op) b") == "(\(op) a b)")
        }
        #expect(sexp("a.b = 1; a[0] = 2; (a) = 3; (a.b) = 4")
            == "(= (. a b) 1) (= ([] a 0) 2) (= a 3) (= (. a b) 4)")
    }

    @Test func newAndCalls() {
        #expect(sexp("new a.b()") == "(new (. a b))")
        #expect(sexp("new a().b") == "(. (new a) b)")
        #expect(sexp("new a") == "(new a)")
        #expect(sexp("new a.b.c(1, 2)") == "(new (. (. a b) c) 1 2)")
        #expect(sexp("new new X()()") == "(new (new X))")
        #expect(sexp("new a()()") == "(call (new a))")
        #expect(sexp("new (f())()") == "(new (call f))")
        #expect(sexp("new a[b]") == "(new ([] a b))")
        #expect(sexp("f(a)(b).c[d]()") == "(call ([] (. (call (call f a) b) c) d))")
        #expect(sexp("f(...a, b, ...c,)") == "(call f (... a) b (... c))")
        #expect(sexp("f()") == "(call f)")
    }

    @Test func membersAndKeywordsAsNames() {
        #expect(sexp("a.if.else.new.class") == "(. (. (. (. a if) else) new) class)")
        #expect(sexp("1..toString()") == "(call (. 1 toString))")
        #expect(sexp("1.5.toFixed(1)") == "(call (. 1.5 toFixed) 1)")
        #expect(sexp("'s'.length") == #"(. "s" length)"#)
        #expect(sexp("this.x") == "(. this x)")
    }

    @Test func literals() {
        #expect(sexp("null; true; false; this") == "null true false this")
        #expect(sexp("[1,,2,]") == "(array 1 hole 2)")
        #expect(sexp("[,]") == "(array hole)")
        #expect(sexp("[1,,]") == "(array 1 hole)")
        #expect(sexp("[]") == "(array)")
        #expect(sexp("[...a, b, ...c]") == "(array (... a) b (... c))")
        #expect(sexp("`x`") == #"(template "x")"#)
        #expect(sexp("`a${b}c${d}`") == #"(template "a" b "c" d "")"#)
    }

    @Test func objectLiterals() {
        #expect(sexp("x = {a, b: 1, get c() { return 1 }, set c(v) {}, m() {}, [k]: 2, 'if': 3, if: 4}")
            == #"(= x (object (shorthand "a") (prop "b" 1) (get "c" (getter-fn () (return 1))) (set "c" (setter-fn (v))) (method "m" (method-fn ())) (prop [k] 2) (prop "if" 3) (prop "if" 4)))"#)
        #expect(sexp("x = {get: 1, set: 2, get() {}, set(v) {}, get, set}")
            == #"(= x (object (prop "get" 1) (prop "set" 2) (method "get" (method-fn ())) (method "set" (method-fn (v))) (shorthand "get") (shorthand "set")))"#)
        #expect(sexp("x = {get [a]() {}, set 1(v) {}, get 'q'() {}}")
            == #"(= x (object (get [a] (getter-fn ())) (set "1" (setter-fn (v))) (get "q" (getter-fn ()))))"#)
        #expect(sexp("x = {a: 1,}") == #"(= x (object (prop "a" 1)))"#)
        #expect(sexp("({})") == "(object)")
    }

    @Test func numericKeysAreCanonicalized() {
        #expect(sexp("x = {1.0: a, 0x10: b, 1e21: c, .5: d, 1e-7: e, 0b11: f, 017: g, 100: h, 1.50: i}")
            == #"(= x (object (prop "1" a) (prop "16" b) (prop "1e+21" c) (prop "0.5" d) (prop "1e-7" e) (prop "3" f) (prop "15" g) (prop "100" h) (prop "1.5" i)))"#)
    }

    @Test func javaScriptNumberStrings() {
        #expect(javaScriptNumberString(0) == "0")
        #expect(javaScriptNumberString(-0.0) == "0")
        #expect(javaScriptNumberString(1) == "1")
        #expect(javaScriptNumberString(-1.5) == "-1.5")
        #expect(javaScriptNumberString(0.1 + 0.2) == "0.30000000000000004")
        #expect(javaScriptNumberString(1e21) == "1e+21")
        #expect(javaScriptNumberString(1e20) == "100000000000000000000")
        #expect(javaScriptNumberString(123456789012) == "123456789012")
        #expect(javaScriptNumberString(0.000001) == "0.000001")
        #expect(javaScriptNumberString(1e-7) == "1e-7")
        #expect(javaScriptNumberString(1.5e-7) == "1.5e-7")
        #expect(javaScriptNumberString(.nan) == "NaN")
        #expect(javaScriptNumberString(-.infinity) == "-Infinity")
        #expect(javaScriptNumberString(5e-324) == "5e-324")
        #expect(javaScriptNumberString(1.7976931348623157e308) == "1.7976931348623157e+308")
        #expect(javaScriptNumberString(123.456) == "123.456")
    }

    @Test func arrowFunctions() {
        #expect(sexp("x => x + 1") == "(arrow (x) (+ x 1))")
        #expect(sexp("() => {}") == "(arrow ())")
        #expect(sexp("(a, b) => { return a }") == "(arrow (a b) (return a))")
        #expect(sexp("(a, b = 1, ...c) => a") == "(arrow (a b=1 ...c) a)")
        #expect(sexp("(a,) => a") == "(arrow (a) a)")
        #expect(sexp("(...a) => a") == "(arrow (...a) a)")
        #expect(sexp("x => y => x + y") == "(arrow (x) (arrow (y) (+ x y)))")
        #expect(sexp("f(x => x, (a) => ({a}))") == #"(call f (arrow (x) x) (arrow (a) (object (shorthand "a"))))"#)
        #expect(sexp("a = b => c, d") == "(, (= a (arrow (b) c)) d)")
        #expect(sexp("(x => x)(1)") == "(call (arrow (x) x) 1)")
        #expect(sexp("a ? b => c : d => e") == "(? a (arrow (b) c) (arrow (d) e))")
        #expect(!parses("x\n=> x"))
        #expect(!parses("(x)\n=> x"))
        #expect(!parses("(x) => {}()"))
        #expect(!parses("x => {} + 1"))
        #expect(!parses("a + b => c"))
        #expect(!parses("-x => x"))
        #expect(!parses("(a, ...b,) => 1"))
        #expect(!parses("(...a)"))
        #expect(!parses("(a,)"))
        #expect(!parses("()"))
        #expect(!parses("((a)) => 1"))
        #expect(!parses("(a + 1) => 1"))
        guard let e = expression("x => x"), case .function(let f) = e.kind else {
            Issue.record("no function")
            return
        }
        #expect(f.kind == .arrow && f.hasExpressionBody && f.hasSimpleParameterList)
    }

    @Test func functionExpressions() {
        #expect(sexp("(function () {})") == "(function ())")
        #expect(sexp("(function f(a, b) { return a })") == "(function f (a b) (return a))")
        #expect(sexp("x = function g(a = 1, ...r) {}") == "(= x (function g (a=1 ...r)))")
        #expect(sexp("(function () { 'use strict'; })") == #"(function! () "use strict")"#)
        #expect(sexp("'use strict'; (function () { })") == #""use strict" (function! ())"#)
    }

    @Test func functionNodeMetadata() throws {
        let src = "var f = function named(a, b = 2) {\n  return a;\n};"
        let p = try parseProgram(src)
        guard case .variableDeclaration(let d) = p.body[0].kind, case .function(let f)? = d.declarators[0].initializer?.kind
        else {
            Issue.record("shape")
            return
        }
        #expect(f.name == "named")
        #expect(f.params.map(\.name) == ["a", "b"])
        #expect(!f.hasSimpleParameterList)
        #expect(f.kind == .normal)
        #expect(!f.isStrict)
        #expect(f.sourceText(in: p.source) == "function named(a, b = 2) {\n  return a;\n}")
        #expect(f.range.start == SourceLocation(offset: 8, line: 1, column: 9))
        #expect(f.range.end.line == 3)
        let m = try parseProgram("o = { get x() { return 1 }, m(a) { } , y: (a) => a * 2 }")
        guard case .expression(let e) = m.body[0].kind, case .assignment(_, _, let v) = e.kind,
              case .object(let props) = v.kind, case .function(let getter) = props[0].value.kind,
              case .function(let method) = props[1].value.kind, case .function(let arrow) = props[2].value.kind
        else {
            Issue.record("shape")
            return
        }
        #expect(getter.kind == .getter && getter.name == "x")
        #expect(getter.sourceText(in: m.source) == "get x() { return 1 }")
        #expect(method.sourceText(in: m.source) == "m(a) { }")
        #expect(arrow.sourceText(in: m.source) == "(a) => a * 2")
    }

    @Test func rangesOfExpressions() throws {
        let p = try parseProgram("x = (a + b) * c;")
        guard case .expression(let e) = p.body[0].kind, case .assignment(_, let t, let v) = e.kind,
              case .binary(.multiply, let l, _) = v.kind
        else {
            Issue.record("shape")
            return
        }
        #expect(t.range.start.column == 1 && t.range.end.column == 2)
        #expect(v.range.text(in: p.source) == "(a + b) * c")
        #expect(l.range.text(in: p.source) == "a + b")  // parentheses are not part of the inner range
        #expect(p.body[0].range.text(in: p.source) == "x = (a + b) * c;")
    }

    @Test func invalidExpressions() {
        for src in ["a +", "(a", "a)", "[1, 2", "{a: 1", "a ? b", "f(a b)", "a.1", "a..b", "new", "x = {a b}",
                    "x = {1}", "x = {'a'}", "x = {get a(b) {}}", "x = {set a() {}}", "x = {set a(...b) {}}",
                    "x = {get a}", "a => {", "` ${ }`", "...a", "a ...b", "typeof", "(a b)"]
        {
            #expect(!parses(src), "\(src)")
        }
    }
}
