import Testing
import LazarusEngine

// Expected outputs were produced by node (console.log printing String(arg) joined by spaces).

@Suite("Builtins: Object")
struct BuiltinsObjectTests {
    static let cases: [SemanticCase] = [
        SemanticCase(#"create_with_properties"#,
                     #"""
var p = { greet: function () { return "hi " + this.n; } };
var o = Object.create(p, { n: { value: "bob", enumerable: true }, hidden: { value: 1 } });
console.log(o.greet(), Object.keys(o).join(), Object.getPrototypeOf(o) === p, o.hidden);
var bare = Object.create(null); bare.x = 1;
console.log(Object.getPrototypeOf(bare), "toString" in bare, Object.keys(bare).join());
try { Object.create(5); } catch (e) { console.log(e.name); }
"""#,
                     #"""
hi bob n true 1
null false x
TypeError
"""#),
        SemanticCase(#"keys_values_entries_order"#,
                     #"""
var o = { b: 1, a: 2, 10: "ten", 2: "two", "-1": "neg" };
console.log(Object.keys(o).join(), Object.values(o).join(), JSON.stringify(Object.entries(o)));
console.log(Object.keys("ab").join(), Object.keys([5, 6]).join(), Object.values("xy").join());
var g = { get v() { return 7; }, w: 1 };
console.log(Object.values(g).join(), JSON.stringify(Object.entries(g)));
"""#,
                     #"""
2,10,b,a,-1 two,ten,1,2,neg [["2","two"],["10","ten"],["b",1],["a",2],["-1","neg"]]
0,1 0,1 x,y
7,1 [["v",7],["w",1]]
"""#),
        SemanticCase(#"assign"#,
                     #"""
var t = { a: 1 };
var r = Object.assign(t, { b: 2 }, null, undefined, { a: 3, c: [1] }, "hi");
console.log(r === t, JSON.stringify(t));
var log = [];
var target = { set x(v) { log.push("set " + v); } };
Object.assign(target, { get x() { log.push("get"); return 5; } });
console.log(log.join());
try { Object.assign(Object.freeze({ a: 1 }), { a: 2 }); } catch (e) { console.log(e.name); }
"""#,
                     #"""
true {"0":"h","1":"i","a":3,"b":2,"c":[1]}
get,set 5
TypeError
"""#),
        SemanticCase(#"freeze_seal_extensions"#,
                     #"""
"use strict";
var o = Object.freeze({ a: 1, nested: { b: 2 } });
console.log(Object.isFrozen(o), Object.isSealed(o), Object.isExtensible(o));
try { o.a = 2; } catch (e) { console.log(e.name); }
try { o.z = 2; } catch (e) { console.log(e.name); }
o.nested.b = 3; console.log(o.nested.b, Object.isFrozen(o.nested));
var s = Object.seal({ x: 1 });
s.x = 5; console.log(s.x, Object.isSealed(s), Object.isFrozen(s));
try { delete s.x; } catch (e) { console.log(e.name); }
var p = Object.preventExtensions({ y: 1 });
delete p.y; console.log(Object.isExtensible(p), "y" in p, Object.isFrozen(p));
console.log(Object.isFrozen(1), Object.isExtensible(1), Object.freeze(5));
var a = Object.freeze([1, 2]);
try { a.push(3); } catch (e) { console.log(e.name); }
try { a[0] = 9; } catch (e) { console.log(e.name); }
console.log(a.join(), Object.isFrozen(a));
var sa = Object.seal([1, 2]); sa[0] = 7;
console.log(sa.join(), Object.isSealed(sa), Object.isFrozen(sa), sa.length);
"""#,
                     #"""
true true false
TypeError
TypeError
3 false
5 true false
TypeError
false false true
true false 5
TypeError
TypeError
1,2 true
7,2 true false 2
"""#),
        SemanticCase(#"define_property_data_and_accessor"#,
                     #"""
var o = {};
Object.defineProperty(o, "x", { value: 1 });
var d = Object.getOwnPropertyDescriptor(o, "x");
console.log(d.value, d.writable, d.enumerable, d.configurable, JSON.stringify(Object.keys(o)));
o.x = 2; console.log(o.x);
try { Object.defineProperty(o, "x", { value: 3 }); } catch (e) { console.log(e.name); }
Object.defineProperty(o, "x", { value: 1, writable: false });
var hits = 0;
Object.defineProperty(o, "y", { get: function () { hits++; return this.x * 10; }, set: function (v) { this._y = v; }, enumerable: true, configurable: true });
console.log(o.y, o.y, hits); o.y = 4; console.log(o._y);
var dy = Object.getOwnPropertyDescriptor(o, "y");
console.log(typeof dy.get, typeof dy.set, dy.enumerable, dy.configurable, "value" in dy);
Object.defineProperty(o, "y", { value: "data" });
console.log(o.y, Object.getOwnPropertyDescriptor(o, "y").writable);
try { Object.defineProperty(o, "z", { get: function () {}, value: 1 }); } catch (e) { console.log(e.name); }
try { Object.defineProperty(1, "z", {}); } catch (e) { console.log(e.name); }
try { Object.defineProperty({}, "z", { get: 5 }); } catch (e) { console.log(e.name); }
console.log(Object.getOwnPropertyDescriptor(o, "nope"));
"""#,
                     #"""
1 false false false []
1
TypeError
10 10 2
4
function function true true false
data false
TypeError
TypeError
TypeError
undefined
"""#),
        SemanticCase(#"define_property_key_conversion"#,
                     #"""
var o = {};
Object.defineProperty(o, { toString: function () { return "k"; } }, { value: 1, enumerable: true });
Object.defineProperty(o, 5, { value: 2, enumerable: true });
console.log(JSON.stringify(o), o.hasOwnProperty({ toString: function () { return "k"; } }));
var desc = { get value() { return "from getter"; }, enumerable: true };
Object.defineProperty(o, "g", desc);
console.log(o.g);
"""#,
                     #"""
{"5":2,"k":1} true
from getter
"""#),
        SemanticCase(#"define_properties"#,
                     #"""
var o = Object.defineProperties({}, {
  a: { value: 1, enumerable: true },
  b: { get: function () { return this.a + 1; }, enumerable: true },
  c: { value: 3 }
});
console.log(JSON.stringify(o), o.c, Object.getOwnPropertyNames(o).join());
try { Object.defineProperties({}, { a: { value: 1 }, b: 5 }); } catch (e) { console.log(e.name); }
"""#,
                     #"""
{"a":1,"b":2} 3 a,b,c
TypeError
"""#),
        SemanticCase(#"array_define_property"#,
                     #"""
var a = [1, 2, 3];
Object.defineProperty(a, "1", { value: 20, writable: false });
a[1] = 99; console.log(a.join(), a.length);
Object.defineProperty(a, "5", { value: 6, enumerable: true, configurable: true, writable: true });
console.log(a.length, JSON.stringify(a));
Object.defineProperty(a, "length", { value: 2 });
console.log(a.length, a.join(), a[1]);
Object.defineProperty(a, "length", { writable: false });
a[5] = 1; console.log(a.length, Object.getOwnPropertyDescriptor(a, "length").writable);
try { "use strict"; (function () { "use strict"; a.push(1); })(); } catch (e) { console.log(e.name); }
var b = [1, 2, 3];
Object.defineProperty(b, "1", { value: 2, configurable: false });
b.length = 0; console.log(b.length);
try { Object.defineProperty(b, "length", { value: 0 }); } catch (e) { console.log(e.name, b.length); }
try { Object.defineProperty([], "length", { value: -1 }); } catch (e) { console.log(e.name); }
var c = [1, 2, 3];
Object.defineProperty(c, "0", { get: function () { return "g"; }, enumerable: true, configurable: true });
console.log(c[0], c.join(), Object.keys(c).join());
"""#,
                     #"""
1,20,3 3
6 [1,20,3,null,null,6]
2 1,20 20
2 false
TypeError
2
TypeError 2
RangeError
g g,2,3 0,1,2
"""#),
        SemanticCase(#"own_property_names_and_prototypes"#,
                     #"""
function F() { this.x = 1; }
F.prototype.y = 2;
var f = new F();
console.log(Object.getOwnPropertyNames(f).join(), Object.getOwnPropertyNames([1]).join(), Object.getOwnPropertyNames("ab").join());
console.log(Object.getPrototypeOf(f) === F.prototype, Object.getPrototypeOf(1) === Number.prototype);
var p = { hello: function () { return "hello"; } };
var o = Object.setPrototypeOf({}, p);
console.log(o.hello(), p.isPrototypeOf(o), Object.prototype.isPrototypeOf(o), o.isPrototypeOf(p));
try { Object.setPrototypeOf(p, o); } catch (e) { console.log(e.name); }
try { Object.setPrototypeOf(Object.preventExtensions({}), p); } catch (e) { console.log(e.name); }
console.log(Object.setPrototypeOf(1, null), Object.is(NaN, NaN), Object.is(0, -0));
"""#,
                     #"""
x 0,length 0,1,length
true true
hello true true false
TypeError
TypeError
1 true false
"""#),
        SemanticCase(#"object_prototype_methods"#,
                     #"""
var o = { a: 1 };
Object.defineProperty(o, "h", { value: 2 });
console.log(o.hasOwnProperty("a"), o.hasOwnProperty("toString"), o.propertyIsEnumerable("a"), o.propertyIsEnumerable("h"));
var ts = Object.prototype.toString;
console.log(ts.call([]), ts.call(null), ts.call(undefined), ts.call(1), ts.call("s"), ts.call(true), ts.call(function () {}), ts.call(new Error("x")), ts.call({}));
console.log((function () { return ts.call(arguments); })());
console.log(o.toLocaleString(), o.valueOf() === o, typeof Object.prototype.valueOf.call(1));
console.log(Object(1) instanceof Number, typeof Object("s"), Object(null) !== null);
"""#,
                     #"""
true false true false
[object Array] [object Null] [object Undefined] [object Number] [object String] [object Boolean] [object Function] [object Error] [object Object]
[object Arguments]
[object Object] true object
true object true
"""#),
    ]

    @Test(arguments: cases)
    func program(_ c: SemanticCase) {
        #expect(outputOf(c.source) == c.expected)
    }
}
