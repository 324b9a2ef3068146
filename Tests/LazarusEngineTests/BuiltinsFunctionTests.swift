import Testing
import LazarusEngine

// Expected outputs were produced by node (console.log printing String(arg) joined by spaces).

@Suite("Builtins: Function.prototype")
struct BuiltinsFunctionTests {
    static let cases: [SemanticCase] = [
        SemanticCase(#"call_apply"#,
                     #"""
function f(a, b) { return [this && this.tag, a, b].join("|"); }
console.log(f.call({ tag: "T" }, 1, 2), f.apply({ tag: "U" }, [3, 4]), f.apply({ tag: "V" }), f.apply({ tag: "W" }, { length: 2, 0: "x", 1: "y" }));
try { f.apply(null, 5); } catch (e) { console.log(e.name); }
try { Function.prototype.call.call(5); } catch (e) { console.log(e.name); }
console.log(Math.max.apply(null, [1, 9, 3]), (function () { return arguments.length; }).apply(null, [1, , 3]));
"""#,
                     #"""
T|1|2 U|3|4 V|| W|x|y
TypeError
TypeError
9 3
"""#),
        SemanticCase(#"bind"#,
                     #"""
function add(a, b, c) { return this.base + a + b + c; }
var b1 = add.bind({ base: 100 }, 1);
console.log(b1(2, 3), b1.name, b1.length, add.bind(null, 1, 2, 3, 4).length, typeof b1.prototype);
function P(x, y) { this.x = x; this.y = y; }
P.prototype.sum = function () { return this.x + this.y; };
var BP = P.bind({ ignored: true }, 10);
var inst = new BP(5);
console.log(inst.sum(), inst instanceof P, inst instanceof BP, inst.ignored);
var bb = b1.bind(null, 2);
console.log(bb(3), bb.name, bb.length);
var anon = (function () {}).bind();
console.log(JSON.stringify(anon.name));
"""#,
                     #"""
106 bound add 2 0 undefined
15 true true undefined
106 bound bound add 1
"bound "
"""#),
        SemanticCase(#"function_to_string"#,
                     #"""
function hello(a, b) { return a + b; }
console.log(hello.toString());
console.log(Math.max.toString().indexOf("[native code]") > 0, Object.keys.toString().indexOf("keys") > 0);
console.log(Function.prototype.length, JSON.stringify(Function.prototype.name), hello.length, hello.name);
try { Function.prototype.toString.call({}); } catch (e) { console.log(e.name); }
"""#,
                     #"""
function hello(a, b) { return a + b; }
true true
0 "" 2 hello
TypeError
"""#),
        SemanticCase(#"strict_function_restricted_properties"#,
                     #"""
function s() { "use strict"; }
try { s.caller; } catch (e) { console.log("caller", e.name); }
try { s.arguments; } catch (e) { console.log("arguments", e.name); }
"""#,
                     #"""
caller TypeError
arguments TypeError
"""#),
    ]

    @Test(arguments: cases)
    func program(_ c: SemanticCase) {
        #expect(outputOf(c.source) == c.expected)
    }
}
