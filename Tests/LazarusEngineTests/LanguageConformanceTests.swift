import Testing
import LazarusEngine

/// Regression tests for language-semantics bugs found with test262 (language/ directories).
/// Each case is a program and the console output it must print (checked against node).

@Suite("Language conformance regressions")
struct LanguageConformanceTests {
    static let cases: [SemanticCase] = [
        // Compound assignment / update on `base[key]`: the base is checked before the key is
        // converted, and ToPropertyKey runs once (not once for the get and once for the set).
        SemanticCase("compound_index_null_base_before_key",
                     #"""
                     var key = { toString: function () { throw new Error("key converted"); } };
                     try { var base = null; base[key] ^= 1; } catch (e) { console.log(e.constructor.name); }
                     try { var u; u[key]++; } catch (e) { console.log(e.constructor.name); }
                     """#,
                     "TypeError\nTypeError"),
        SemanticCase("compound_index_key_converted_once",
                     #"""
                     var n = 0, o = { k: 1 }, key = { toString: function () { n++; return "k"; } };
                     o[key] += 1; o[key]++; ++o[key];
                     console.log(n, o.k);
                     """#,
                     "3 4"),
        // -0 % x keeps the sign of the dividend.
        SemanticCase("modulus_negative_zero",
                     #"console.log(1 / (-0 % 1), 1 / (0 % 1), -5 % 2, 5 % -2);"#,
                     "-Infinity Infinity -1 1"),
        // `__proto__: v` in an object literal sets the prototype (B.3.1).
        SemanticCase("object_literal_proto",
                     #"""
                     var p = { hello: "hi" };
                     var o = { __proto__: p, a: 1 };
                     console.log(Object.getPrototypeOf(o) === p, o.hello, Object.keys(o).join());
                     var n = { "__proto__": null };
                     console.log(Object.getPrototypeOf(n) === null);
                     var s = { __proto__: 5 };
                     console.log(Object.getPrototypeOf(s) === Object.prototype);
                     var c = { ["__proto__"]: p };
                     console.log(Object.getPrototypeOf(c) === Object.prototype, c.hasOwnProperty("__proto__"));
                     var __proto__ = p; var sh = { __proto__ };
                     console.log(Object.getPrototypeOf(sh) === Object.prototype);
                     """#,
                     "true hi a\ntrue\ntrue\ntrue true\ntrue"),
        // `var arguments` does not suppress the arguments object.
        SemanticCase("var_arguments_is_the_arguments_object",
                     #"""
                     function f() { return typeof arguments; var arguments = 1; }
                     function g() { var arguments; return arguments.length; }
                     function h() { function arguments() {} return typeof arguments; }
                     console.log(f(1), g(1, 2), h(1));
                     """#,
                     "object 2 function"),
        // Parameter expressions get their own scope: closures in defaults don't see body vars.
        SemanticCase("parameter_scope_separate_from_body",
                     #"""
                     var x = "outside", probe;
                     function f(_ = probe = function () { return x; }) { var x = "inside"; return x; }
                     console.log(f(), probe());
                     function g(a, b = a) { var a; var c = a; a = 9; return [c, a, b].join(); }
                     console.log(g(1));
                     var args;
                     function h(x = args = arguments) { function arguments() {} return typeof arguments; }
                     console.log(h(), typeof args, args.length);
                     """#,
                     "inside outside\n1,9,1\nfunction object 0"),
        // `for (let x in/of expr)`: expr runs with x in its TDZ.
        SemanticCase("for_in_of_head_tdz",
                     #"""
                     let x = [1];
                     try { for (let x in x) {} } catch (e) { console.log(e.name); }
                     try { for (const x of x) {} } catch (e) { console.log(e.name); }
                     try { for (let y of (function () { return y; })()) {} } catch (e) { console.log(e.name); }
                     for (let z of [x[0] + 1]) console.log(z);
                     """#,
                     "ReferenceError\nReferenceError\nReferenceError\n2"),
        // Strict-mode arguments.callee is a throwing accessor.
        SemanticCase("strict_arguments_callee_throws",
                     #"""
                     function f() { "use strict"; return arguments; }
                     var a = f();
                     try { a.callee; } catch (e) { console.log(e.name); }
                     var d = Object.getOwnPropertyDescriptor(a, "callee");
                     console.log(typeof d.get, d.get === d.set, d.enumerable, d.configurable);
                     function g() { return arguments.callee === g; }
                     console.log(g());
                     """#,
                     "TypeError\nfunction true false false\ntrue"),
        // Sloppy functions with simple parameters: arguments is mapped to the parameters.
        SemanticCase("mapped_arguments",
                     #"""
                     function f(a, b) { a = 1; arguments[1] = 2; return [a, b, arguments[0], arguments[1]].join(); }
                     console.log(f(10, 20));
                     function g(a) { delete arguments[0]; arguments[0] = 5; return a; }
                     console.log(g(1));
                     function h(a, b) { arguments[1] = 2; return b; }
                     console.log(h(1));
                     function k(a) { Object.defineProperty(arguments, "0", { configurable: false }); a = 2; return arguments[0]; }
                     console.log(k(1));
                     function m(a) { Object.defineProperty(arguments, "0", { value: 3, writable: false }); a = 4; return [a, arguments[0]].join(); }
                     console.log(m(1));
                     function n(a) { return function () { a = 7; return arguments.length; }() + ":" + arguments[0]; }
                     console.log(n(1));
                     function q(a) { var inner = function () { a = 8; }; inner(); return arguments[0]; }
                     console.log(q(1));
                     function r(a) { "use strict"; a = 2; return arguments[0]; }
                     console.log(r(1));
                     function s(a, b = 0) { a = 2; return arguments[0]; }
                     console.log(s(1));
                     function t(a) { a++; a += 2; return arguments[0]; }
                     console.log(t(1));
                     """#,
                     "1,2,1,2\n1\nundefined\n2\n4,3\n0:7\n8\n1\n1\n4"),
        // Lexical declarations in a finally block inlined on break/continue/return paths.
        SemanticCase("finally_inlined_on_jumps",
                     #"""
                     function f() {
                       for (var i = 0; i < 3; i++) {
                         try { if (i === 1) continue; if (i === 2) return "r" + i; }
                         finally { let v = "f" + i; console.log(v); }
                       }
                     }
                     console.log(f());
                     function g() { try { return 1; } finally { return 2; } }
                     console.log(g());
                     function h() { a: try { return 1; } finally { break a; } return 3; }
                     console.log(h());
                     function k() { do { try { break; } finally { console.log("fin"); } } while (false); return "after"; }
                     console.log(k());
                     """#,
                     "f0\nf1\nf2\nr2\n2\n3\nfin\nafter"),
        // A try/catch inside a finally block keeps its own handler (it was redirected to the
        // finally's rethrowing handler).
        SemanticCase("try_catch_inside_finally",
                     #"""
                     try { throw "ex1"; } catch (a) { console.log("c1", a); }
                     finally { try { throw "ex2"; } catch (b) { console.log("c2", b); } }
                     function f() { try { return "r"; } finally { try { throw 1; } catch (e) { console.log("c3", e); } } }
                     console.log(f());
                     try { try { throw "x"; } finally { try { throw "y"; } catch (e) { console.log("c4", e); } } }
                     catch (e) { console.log("outer", e); }
                     """#,
                     "c1 ex1\nc2 ex2\nc3 1\nr\nc4 y\nouter x"),
    ]

    @Test(arguments: cases)
    func program(_ c: SemanticCase) {
        #expect(outputOf(c.source) == c.expected)
    }
}
