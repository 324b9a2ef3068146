import Testing
import LazarusEngine

/// A program and the console output it must print (expected outputs were produced by
/// node with `console.log` printing `String(arg)` joined by spaces, as Lazarus does).
struct SemanticCase: Sendable, CustomTestStringConvertible {
    var name: String
    var source: String
    var expected: String
    init(_ name: String, _ source: String, _ expected: String) {
        self.name = name
        self.source = source
        self.expected = expected
    }
    var testDescription: String { name }
}

@Suite("Semantics: programs and their output")
struct SemanticTests {
    static let cases: [SemanticCase] = [
        SemanticCase(#"var_hoisting"#,
                     #"console.log(typeof v, v); var v = 1; console.log(v);"#,
                     #"""
undefined undefined
1
"""#),
        SemanticCase(#"function_hoisting"#,
                     #"console.log(f()); function f() { return 'hoisted'; }"#,
                     #"hoisted"#),
        SemanticCase(#"closures_counter"#,
                     #"function counter() { var c = 0; return function () { return ++c; }; } var a = counter(), b = counter(); a(); a(); console.log(a(), b());"#,
                     #"3 1"#),
        SemanticCase(#"let_block_scope"#,
                     #"let x = 1; { let x = 2; console.log(x); } console.log(x);"#,
                     #"""
2
1
"""#),
        SemanticCase(#"let_per_iteration"#,
                     #"var fs = []; for (let i = 0; i < 3; i++) fs.push(() => i); console.log(fs.map(f => f()).join());"#,
                     #"0,1,2"#),
        SemanticCase(#"var_shared_iteration"#,
                     #"var fs = []; for (var i = 0; i < 3; i++) fs.push(function () { return i; }); console.log(fs.map(function (f) { return f(); }).join());"#,
                     #"3,3,3"#),
        SemanticCase(#"tdz"#,
                     #"try { y; let y = 1; } catch (e) { console.log(e.name, e.message); }"#,
                     #"ReferenceError Cannot access 'y' before initialization"#),
        SemanticCase(#"tdz_closure"#,
                     #"function f() { return z; } try { f(); } catch (e) { console.log(e.name); } let z = 3; console.log(f());"#,
                     #"""
ReferenceError
3
"""#),
        SemanticCase(#"const_assign"#,
                     #"const k = 1; try { k = 2; } catch (e) { console.log(e.name); } console.log(k);"#,
                     #"""
TypeError
1
"""#),
        SemanticCase(#"if_else"#,
                     #"for (var i = 0; i < 3; i++) { if (i === 0) console.log('zero'); else if (i === 1) console.log('one'); else console.log('many'); }"#,
                     #"""
zero
one
many
"""#),
        SemanticCase(#"while_loop"#,
                     #"var i = 0, s = 0; while (i < 10) { s += i; i++; } console.log(s);"#,
                     #"45"#),
        SemanticCase(#"do_while"#,
                     #"var n = 0; do { n++; } while (n < 5); console.log(n); do { n++; } while (false); console.log(n);"#,
                     #"""
5
6
"""#),
        SemanticCase(#"for_loop_empty_parts"#,
                     #"var i = 0; for (;;) { if (++i > 4) break; } console.log(i);"#,
                     #"5"#),
        SemanticCase(#"for_in_order"#,
                     #"var o = {b: 1, a: 2, 2: 'x', 1: 'y'}; var ks = []; for (var k in o) ks.push(k); console.log(ks.join());"#,
                     #"1,2,b,a"#),
        SemanticCase(#"for_in_inherited"#,
                     #"function P() { this.own = 1; } P.prototype.inh = 2; var ks = []; for (var k in new P()) ks.push(k); console.log(ks.join());"#,
                     #"own,inh"#),
        SemanticCase(#"for_in_delete_during"#,
                     #"var o = {a: 1, b: 2, c: 3}; var ks = []; for (var k in o) { ks.push(k); delete o.b; } console.log(ks.join());"#,
                     #"a,c"#),
        SemanticCase(#"for_in_array"#,
                     #"var ks = []; for (var k in [7, 8, 9]) ks.push(typeof k + k); console.log(ks.join());"#,
                     #"string0,string1,string2"#),
        SemanticCase(#"for_of_array"#,
                     #"var s = 0; for (const v of [1, 2, 3]) s += v; console.log(s);"#,
                     #"6"#),
        SemanticCase(#"for_of_string"#,
                     #"var out = []; for (var c of 'héllo') out.push(c); console.log(out.join('|'));"#,
                     #"h|é|l|l|o"#),
        SemanticCase(#"for_of_let_closure"#,
                     #"var fs = []; for (let v of [1, 2]) fs.push(() => v); console.log(fs[0](), fs[1]());"#,
                     #"1 2"#),
        SemanticCase(#"break_continue"#,
                     #"var out = []; for (var i = 0; i < 10; i++) { if (i % 2) continue; if (i > 6) break; out.push(i); } console.log(out.join());"#,
                     #"0,2,4,6"#),
        SemanticCase(#"labeled_break_continue"#,
                     #"var out = []; outer: for (var a = 0; a < 3; a++) { for (var b = 0; b < 3; b++) { if (b === 1) continue outer; if (a === 2) break outer; out.push(a + '' + b); } } console.log(out.join());"#,
                     #"00,10"#),
        SemanticCase(#"labeled_block"#,
                     #"lbl: { console.log('in'); break lbl; console.log('never'); } console.log('out');"#,
                     #"""
in
out
"""#),
        SemanticCase(#"switch_fallthrough"#,
                     #"function f(x) { var r = []; switch (x) { case 1: r.push('one'); case 2: r.push('two'); break; case 3: r.push('three'); default: r.push('default'); } return r.join(); } console.log(f(1), f(2), f(3), f(9));"#,
                     #"one,two two three,default default"#),
        SemanticCase(#"switch_strict_equality"#,
                     #"switch ('1') { case 1: console.log('number'); break; case '1': console.log('string'); break; }"#,
                     #"string"#),
        SemanticCase(#"switch_default_middle"#,
                     #"function f(x) { switch (x) { case 1: return 'a'; default: return 'd'; case 2: return 'b'; } } console.log(f(1), f(2), f(3));"#,
                     #"a b d"#),
        SemanticCase(#"switch_let_scope"#,
                     #"switch (1) { case 1: let q = 'q1'; console.log(q); break; }"#,
                     #"q1"#),
        SemanticCase(#"return_values"#,
                     #"function f() { return; } function g() { return 1, 2; } console.log(f(), g());"#,
                     #"undefined 2"#),
        SemanticCase(#"throw_catch"#,
                     #"try { throw {code: 42}; } catch (e) { console.log(e.code); }"#,
                     #"42"#),
        SemanticCase(#"try_finally_order"#,
                     #"var log = []; function f() { try { log.push('try'); return 'r'; } finally { log.push('finally'); } } log.push(f()); console.log(log.join());"#,
                     #"try,finally,r"#),
        SemanticCase(#"finally_overrides_return"#,
                     #"function f() { try { return 1; } finally { return 2; } } console.log(f());"#,
                     #"2"#),
        SemanticCase(#"finally_break_in_loop"#,
                     #"var log = []; for (var i = 0; i < 3; i++) { try { if (i === 1) break; log.push('t' + i); } finally { log.push('f' + i); } } console.log(log.join());"#,
                     #"t0,f0,f1"#),
        SemanticCase(#"nested_try_rethrow"#,
                     #"try { try { throw new Error('inner'); } catch (e) { throw new TypeError('outer ' + e.message); } finally { console.log('cleanup'); } } catch (e) { console.log(e.name, e.message); }"#,
                     #"""
cleanup
TypeError outer inner
"""#),
        SemanticCase(#"catch_scope"#,
                     #"var e = 'outer'; try { throw 'inner'; } catch (e) { console.log(e); } console.log(e);"#,
                     #"""
inner
outer
"""#),
        SemanticCase(#"finally_exception_path"#,
                     #"function f() { try { throw new Error('x'); } finally { console.log('fin'); } } try { f(); } catch (e) { console.log('caught', e.message); }"#,
                     #"""
fin
caught x
"""#),
        SemanticCase(#"arithmetic"#,
                     #"console.log(1 + 2, 7 - 10, 6 * 7, 1 / 4, 7 % 3, -7 % 3, 5.5 % 2, 2 ** 10, 2 ** -1, (-8) % 3, 1 / 0, -1 / 0, 0 / 0);"#,
                     #"3 -3 42 0.25 1 -1 1.5 1024 0.5 -2 Infinity -Infinity NaN"#),
        SemanticCase(#"bitwise"#,
                     #"console.log(5 & 3, 5 | 3, 5 ^ 3, ~5, 1 << 31, -1 >> 28, -1 >>> 28, 2 ** 32 | 0, 3.7 | 0, -3.7 | 0);"#,
                     #"1 7 6 -6 -2147483648 -1 15 0 3 -3"#),
        SemanticCase(#"comparison"#,
                     #"console.log(1 < 2, 2 <= 2, 'a' < 'b', 'B' < 'a', '10' < '9', 10 < 9, '10' < 9, null < 1, undefined < 1, NaN < NaN);"#,
                     #"true true true true true false false true false false"#),
        SemanticCase(#"equality_coercion"#,
                     #"console.log(1 == '1', 0 == '', null == undefined, null == 0, undefined == 0, true == 1, '1' == true, [1] == 1, [1,2] == '1,2', NaN == NaN, ({}) == '[object Object]');"#,
                     #"true true true false false true true true true false true"#),
        SemanticCase(#"strict_equality"#,
                     #"console.log(1 === 1, 1 === '1', null === undefined, NaN === NaN, 0 === -0, 'a' === 'a');"#,
                     #"true false false false true true"#),
        SemanticCase(#"logical_ops"#,
                     #"console.log(0 || 'x', 1 && 'y', null && 1, '' || 0 || 'z', !0, !!'a', null ?? 'd', 0 ?? 'd');"#,
                     #"x y null z true true d 0"#),
        SemanticCase(#"conditional_comma"#,
                     #"var a = (1, 2, 3); console.log(a, a > 2 ? 'big' : 'small', void 0);"#,
                     #"3 big undefined"#),
        SemanticCase(#"typeof_all"#,
                     #"console.log(typeof 1, typeof 'a', typeof true, typeof undefined, typeof null, typeof {}, typeof [], typeof function () {}, typeof undeclaredThing, typeof Math.floor);"#,
                     #"number string boolean undefined object object object function undefined function"#),
        SemanticCase(#"instanceof_in"#,
                     #"function A() {} var a = new A(); console.log(a instanceof A, a instanceof Object, [] instanceof Array, 'x' in {x: 1}, 'toString' in {}, 1 in [5, 6], 2 in [5, 6]);"#,
                     #"true true true true true true false"#),
        SemanticCase(#"delete_operator"#,
                     #"var o = {a: 1, b: 2}; console.log(delete o.a, o.a, 'a' in o, delete o['b'], Object.keys(o).length); var arr = [1, 2, 3]; delete arr[1]; console.log(arr.length, arr[1], 1 in arr);"#,
                     #"""
true undefined false true 0
3 undefined false
"""#),
        SemanticCase(#"string_concat_coercion"#,
                     #"console.log('a' + 1, 1 + 'a', 1 + 2 + '3', '3' + 1 + 2, 'x' + null, 'x' + undefined, 'x' + true, [1, 2] + '', {} + '');"#,
                     #"a1 1a 33 312 xnull xundefined xtrue 1,2 [object Object]"#),
        SemanticCase(#"numeric_coercion"#,
                     #"console.log('3' * '4', '10' / '2', '5' - 2, +'', +' 12 ', +'0x1f', +'1e3', +'1.5', +'abc', +[], +[5], +null, +undefined, +true, -'3');"#,
                     #"12 5 3 0 12 31 1000 1.5 NaN 0 5 0 NaN 1 -3"#),
        SemanticCase(#"number_to_string"#,
                     #"console.log(0.1 + 0.2, 1e21, 1e20, 123456789012, -0, 1e-7, 1e-6, 1.5e300, 2 ** 53, 0.000001234, 100, 1 / 3, 5e-324, 1.7976931348623157e308, -1.5);"#,
                     #"0.30000000000000004 1e+21 100000000000000000000 123456789012 0 1e-7 0.000001 1.5e+300 9007199254740992 0.000001234 100 0.3333333333333333 5e-324 1.7976931348623157e+308 -1.5"#),
        SemanticCase(#"number_radix"#,
                     #"console.log((255).toString(16), (255).toString(2), (-10).toString(3), (0.5).toString(2));"#,
                     #"ff 11111111 -101 0.1"#),
        SemanticCase(#"update_ops"#,
                     #"var i = 5; console.log(i++, i, ++i, i--, --i); var o = {n: 1}; o.n++; ++o.n; console.log(o.n); var a = [1]; a[0]++; console.log(a[0]); var s = '5'; s++; console.log(s, typeof s);"#,
                     #"""
5 6 7 7 5
3
2
6 number
"""#),
        SemanticCase(#"compound_assignment"#,
                     #"var x = 10; x += 5; x -= 3; x *= 2; x /= 4; x %= 4; x **= 3; x <<= 2; x >>= 1; x >>>= 0; x &= 7; x |= 8; x ^= 1; console.log(x); var o = {v: 'a'}; o.v += 'b'; o['v'] += 'c'; console.log(o.v);"#,
                     #"""
9
abc
"""#),
        SemanticCase(#"this_method_call"#,
                     #"var o = {v: 3, get() { return this.v; }}; var g = o.get; console.log(o.get(), o['get']());"#,
                     #"3 3"#),
        SemanticCase(#"this_sloppy_global"#,
                     #"function f() { return this === globalThis; } console.log(f());"#,
                     #"true"#),
        SemanticCase(#"this_strict_undefined"#,
                     #"function f() { 'use strict'; return this; } console.log(f());"#,
                     #"undefined"#),
        SemanticCase(#"this_arrow_lexical"#,
                     #"var o = { v: 7, m() { return [1, 2].map(x => this.v * x).join(); } }; console.log(o.m());"#,
                     #"7,14"#),
        SemanticCase(#"constructor_prototype"#,
                     #"function P(n) { this.n = n; } P.prototype.get = function () { return this.n; }; var p = new P(5); console.log(p.get(), p.constructor === P, Object.getPrototypeOf(p) === P.prototype);"#,
                     #"5 true true"#),
        SemanticCase(#"constructor_return_object"#,
                     #"function F() { this.a = 1; return {b: 2}; } function G() { this.a = 1; return 3; } console.log(JSON_like(new F()), JSON_like(new G())); function JSON_like(o) { return Object.keys(o).join(); }"#,
                     #"b a"#),
        SemanticCase(#"prototype_chain"#,
                     #"var base = {hello() { return 'hi ' + this.name; }}; var child = Object.create(base); child.name = 'c'; console.log(child.hello(), base.isPrototypeOf(child), child.hasOwnProperty('hello'));"#,
                     #"hi c true false"#),
        SemanticCase(#"arguments_object"#,
                     #"function f(a, b) { return arguments.length + ':' + arguments[0] + ':' + arguments[2]; } console.log(f(1), f(1, 2, 3));"#,
                     #"1:1:undefined 3:1:3"#),
        SemanticCase(#"arguments_in_arrow"#,
                     #"function f() { var g = () => arguments[0]; return g(); } console.log(f('outer'));"#,
                     #"outer"#),
        SemanticCase(#"rest_default_params"#,
                     #"function f(a, b = a + 1, ...rest) { return [a, b, rest.length].join(); } console.log(f(1), f(1, 5), f(1, 2, 3, 4), f.length);"#,
                     #"1,2,0 1,5,0 1,2,2 1"#),
        SemanticCase(#"spread_call_array"#,
                     #"function sum() { var s = 0; for (var i = 0; i < arguments.length; i++) s += arguments[i]; return s; } console.log(sum(...[1, 2, 3]), sum(0, ...[1], ...[2, 3]), [0, ...[1, 2], ...'ab'].join());"#,
                     #"6 6 0,1,2,a,b"#),
        SemanticCase(#"arrow_functions"#,
                     #"var sq = x => x * x; var add = (a, b) => { return a + b; }; var obj = () => ({k: 1}); console.log(sq(4), add(1, 2), obj().k);"#,
                     #"16 3 1"#),
        SemanticCase(#"template_literals"#,
                     #"var n = 3; console.log(`n=${n}, twice=${n * 2}, ${'nested ' + `in${n}`}`, `line1\nline2`.length);"#,
                     #"n=3, twice=6, nested in3 11"#),
        SemanticCase(#"shorthand_props_methods"#,
                     #"var a = 1, b = 2; var o = {a, b, sum() { return this.a + this.b; }, ['c' + 1]: 3}; console.log(o.a, o.b, o.sum(), o.c1);"#,
                     #"1 2 3 3"#),
        SemanticCase(#"getters_setters"#,
                     #"var o = { _v: 1, get v() { return this._v; }, set v(x) { this._v = x * 2; } }; o.v = 5; console.log(o.v, o._v); var p = Object.create(o); p.v = 1; console.log(p.v, o.v);"#,
                     #"""
10 10
2 10
"""#),
        SemanticCase(#"named_function_expression"#,
                     #"var f = function fact(n) { return n <= 1 ? 1 : n * fact(n - 1); }; console.log(f(5), typeof fact);"#,
                     #"120 undefined"#),
        SemanticCase(#"function_name_length"#,
                     #"function foo(a, b) {} var bar = function () {}; var o = { baz: function () {} }; console.log(foo.name, foo.length, bar.name, o.baz.name, (() => 1).name);"#,
                     #"foo 2 bar baz "#),
        SemanticCase(#"recursion"#,
                     #"function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); } console.log(fib(20));"#,
                     #"6765"#),
        SemanticCase(#"mutual_recursion"#,
                     #"function even(n) { return n === 0 ? true : odd(n - 1); } function odd(n) { return n === 0 ? false : even(n - 1); } console.log(even(10), odd(7));"#,
                     #"true true"#),
        SemanticCase(#"asi"#,
                     #"""
var a = 1
var b = 2
console.log(a + b)
var c = a
+b
console.log(c)
function r() { return
 5 }
console.log(r())
"""#,
                     #"""
3
3
undefined
"""#),
        SemanticCase(#"strict_mode_assign_undeclared"#,
                     #"'use strict'; try { undeclaredVar = 1; } catch (e) { console.log(e.name); }"#,
                     #"ReferenceError"#),
        SemanticCase(#"sloppy_assign_undeclared"#,
                     #"function f() { implicitGlobal = 5; } f(); console.log(implicitGlobal, globalThis.implicitGlobal);"#,
                     #"5 5"#),
        SemanticCase(#"valueof_tostring"#,
                     #"var o = { valueOf() { return 42; }, toString() { return 'str'; } }; console.log(o + 1, o * 2, `${o}`, String(o), o > 41, o == 42, [o] + '');"#,
                     #"43 84 str str true true str"#),
        SemanticCase(#"toprimitive_error"#,
                     #"var o = { valueOf() { return {}; }, toString() { return {}; } }; try { o + 1; } catch (e) { console.log(e.name); }"#,
                     #"TypeError"#),
        SemanticCase(#"error_types"#,
                     #"var es = [new Error('e'), new TypeError('t'), new RangeError('r'), new ReferenceError('re'), new SyntaxError('s'), new EvalError('ev'), new URIError('u')]; console.log(es.map(function (e) { return e.name + ':' + e.message + ':' + (e instanceof Error); }).join(' '));"#,
                     #"Error:e:true TypeError:t:true RangeError:r:true ReferenceError:re:true SyntaxError:s:true EvalError:ev:true URIError:u:true"#),
        SemanticCase(#"error_stack"#,
                     #"function inner() { throw new Error('boom'); } try { inner(); } catch (e) { console.log(e.stack.split('\n')[0], typeof e.stack); }"#,
                     #"Error: boom string"#),
        SemanticCase(#"error_tostring"#,
                     #"console.log(String(new TypeError('bad')), String(new Error()), new RangeError('x') + '');"#,
                     #"TypeError: bad Error RangeError: x"#),
        SemanticCase(#"runtime_type_errors"#,
                     #"try { null.x; } catch (e) { console.log(e.name); } try { undefined(); } catch (e) { console.log(e.name); } try { ({}).f(); } catch (e) { console.log(e.name); } try { new (function () {}.bind())(); console.log('bound ok'); } catch (e) { console.log(e.name); }"#,
                     #"""
TypeError
TypeError
TypeError
bound ok
"""#),
        SemanticCase(#"reference_error"#,
                     #"try { nope + 1; } catch (e) { console.log(e.name, e.message); }"#,
                     #"ReferenceError nope is not defined"#),
        SemanticCase(#"call_apply_bind"#,
                     #"function f(a, b) { return this.x + a + b; } var o = {x: 1}; console.log(f.call(o, 2, 3), f.apply(o, [2, 3]), f.bind(o, 2)(3), f.bind(o).name);"#,
                     #"6 6 6 bound f"#),
        SemanticCase(#"array_basics"#,
                     #"var a = [1, 2, 3]; a.push(4, 5); console.log(a.length, a.pop(), a.length, a[10], a.join('-')); a[6] = 7; console.log(a.length, a[5]); a.length = 2; console.log(a.join());"#,
                     #"""
5 5 4 undefined 1-2-3-4
7 undefined
1,2
"""#),
        SemanticCase(#"array_holes"#,
                     #"var a = [1, , 3]; console.log(a.length, 1 in a, a[1]); var b = new Array(3); console.log(b.length, 0 in b);"#,
                     #"""
3 false undefined
3 false
"""#),
        SemanticCase(#"array_callbacks"#,
                     #"var a = [1, 2, 3, 4]; console.log(a.map(x => x * 2).join(), a.filter(x => x % 2).join(), a.reduce((s, x) => s + x, 0), a.reduceRight((s, x) => s + x), a.some(x => x > 3), a.every(x => x > 0), a.find(x => x > 2), a.findIndex(x => x > 2));"#,
                     #"2,4,6,8 1,3 10 10 true true 3 2"#),
        SemanticCase(#"array_foreach_this"#,
                     #"var out = []; [1, 2].forEach(function (x, i, arr) { out.push(this.p + x + i + arr.length); }, {p: 'p'}); console.log(out.join());"#,
                     #"p102,p212"#),
        SemanticCase(#"array_sort"#,
                     #"console.log([3, 1, 2].sort().join(), [10, 9, 1, 100].sort().join(), [10, 9, 1, 100].sort((a, b) => a - b).join(), ['b', undefined, 'a'].sort().join());"#,
                     #"1,2,3 1,10,100,9 1,9,10,100 a,b,"#),
        SemanticCase(#"sort_stable"#,
                     #"var a = [{k: 1, v: 'a'}, {k: 0, v: 'b'}, {k: 1, v: 'c'}, {k: 0, v: 'd'}]; console.log(a.sort((x, y) => x.k - y.k).map(x => x.v).join(''));"#,
                     #"bdac"#),
        SemanticCase(#"string_methods_basic"#,
                     #"var s = 'hello world'; console.log(s.length, s.charAt(4), s.charCodeAt(0), s.indexOf('o'), s.indexOf('o', 5), s.slice(-5), s.slice(0, 5), s.split(' ').length, 'a,b,,c'.split(',').length, s[0]);"#,
                     #"11 o 104 4 7 world hello 2 4 h"#),
        SemanticCase(#"object_keys_order"#,
                     #"var o = {z: 1, 10: 'a', y: 2, 2: 'b'}; console.log(Object.keys(o).join());"#,
                     #"2,10,z,y"#),
        SemanticCase(#"global_this"#,
                     #"var gv = 1; console.log(globalThis.gv, typeof globalThis, globalThis.globalThis === globalThis);"#,
                     #"1 object true"#),
        SemanticCase(#"deep_recursion_ok"#,
                     #"function d(n) { return n === 0 ? 0 : 1 + d(n - 1); } console.log(d(1000));"#,
                     #"1000"#),
        SemanticCase(#"closures_shared_env"#,
                     #"function mk() { var v = 0; return { inc() { v++; }, get() { return v; } }; } var m = mk(); m.inc(); m.inc(); console.log(m.get());"#,
                     #"2"#),
        SemanticCase(#"nested_closures"#,
                     #"function a(x) { return function (y) { return function (z) { return x + y + z; }; }; } console.log(a(1)(2)(3));"#,
                     #"6"#),
        SemanticCase(#"iife"#,
                     #"var r = (function (n) { return n * 2; })(21); console.log(r);"#,
                     #"42"#),
        SemanticCase(#"string_compare_unicode"#,
                     #"console.log('é' > 'e', 'abc' < 'abd', 'a' < 'aa', '' < 'a');"#,
                     #"true true true true"#),
        SemanticCase(#"number_edge"#,
                     #"console.log(0.1 * 3, 9007199254740993, 1e21 + 1, -1e-7, 1/3*3, (0.1).toString(), 4.35 * 100, 1e300 * 1e10);"#,
                     #"0.30000000000000004 9007199254740992 1e+21 -1e-7 1 0.1 434.99999999999994 Infinity"#),
        SemanticCase(#"big_loop_sum"#,
                     #"var s = 0; for (var i = 0; i < 100000; i++) s = (s + i * 7) % 1000003; console.log(s);"#,
                     #"545003"#),
        SemanticCase(#"main_not_defined_ok"#,
                     #"console.log('top');"#,
                     #"top"#),
        SemanticCase(#"console_log_multiple"#,
                     #"console.log(); console.log('a', 1, true, null, undefined, [1, [2, 3]], {});"#,
                     #"""

a 1 true null undefined 1,2,3 [object Object]
"""#),
    ]

    @Test(arguments: cases)
    func program(_ c: SemanticCase) {
        #expect(outputOf(c.source) == c.expected)
    }
}
