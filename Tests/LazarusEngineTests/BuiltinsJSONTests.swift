import Testing
import LazarusEngine

// Expected outputs were produced by node (console.log printing String(arg) joined by spaces).

@Suite("Builtins: JSON")
struct BuiltinsJSONTests {
    static let cases: [SemanticCase] = [
        SemanticCase(#"stringify_basics"#,
                     #"""
console.log(JSON.stringify({ a: 1, b: "x", c: true, d: null, e: undefined, f: function () {}, g: [1, undefined, function () {}, NaN, Infinity, -0] }));
console.log(JSON.stringify("he said \"hi\"\n\t\u0001\u2028"), JSON.stringify(JSON.parse("\"\\ud800\"")), JSON.stringify("\ud83d\ude00"));
console.log(JSON.stringify(undefined), JSON.stringify(function () {}), JSON.stringify(null), JSON.stringify(1e21), JSON.stringify(0.1 + 0.2));
console.log(JSON.stringify({ 2: "b", 1: "a", z: 1, y: 2 }), JSON.stringify([]), JSON.stringify({}), JSON.stringify([[], {}]));
console.log(JSON.stringify(new Number(5)), JSON.stringify(new String("s")), JSON.stringify(new Boolean(false)), JSON.stringify([Object("w")]));
"""#,
                     #"""
{"a":1,"b":"x","c":true,"d":null,"g":[1,null,null,null,null,0]}
"he said \"hi\"\n\t\u0001 " "\ud800" "😀"
undefined undefined null 1e+21 0.30000000000000004
{"1":"a","2":"b","z":1,"y":2} [] {} [[],{}]
5 "s" false ["w"]
"""#),
        SemanticCase(#"stringify_indent"#,
                     #"""
var v = { a: [1, { b: 2 }, []], c: {}, d: "x" };
console.log(JSON.stringify(v, null, 2));
console.log(JSON.stringify(v, null, "--"));
console.log(JSON.stringify([1, 2], null, 20));
console.log(JSON.stringify({ a: 1 }, null, "abcdefghijklmnop"));
console.log(JSON.stringify({ a: 1 }, null, 0), JSON.stringify({ a: 1 }, null, ""), JSON.stringify({ a: 1 }, null, new Number(1)));
"""#,
                     #"""
{
  "a": [
    1,
    {
      "b": 2
    },
    []
  ],
  "c": {},
  "d": "x"
}
{
--"a": [
----1,
----{
------"b": 2
----},
----[]
--],
--"c": {},
--"d": "x"
}
[
          1,
          2
]
{
abcdefghij"a": 1
}
{"a":1} {"a":1} {
 "a": 1
}
"""#),
        SemanticCase(#"stringify_replacer_and_tojson"#,
                     #"""
var data = { a: 1, b: [1, 2], c: { d: 4 }, s: "x" };
console.log(JSON.stringify(data, function (k, v) { return typeof v === "number" ? v * 2 : v; }));
console.log(JSON.stringify(data, function (k, v) { return k === "b" ? undefined : v; }));
console.log(JSON.stringify(data, ["c", "a", "d", 1]));
console.log(JSON.stringify(data, ["s", new String("a"), new Number(1), {}]));
var keys = [];
JSON.stringify({ x: { y: 1 } }, function (k, v) { keys.push(JSON.stringify(k) + ":" + (this === undefined)); return v; });
console.log(keys.join(" "));
var t = { toJSON: function (key) { return "toJSON(" + key + ")"; } };
console.log(JSON.stringify({ t: t, arr: [t] }), JSON.stringify(t));
console.log(JSON.stringify({ get g() { return [1, 2]; }, h: 3 }));
function Money(c) { this.c = c; }
Money.prototype.toJSON = function () { return (this.c / 100).toFixed(2); };
console.log(JSON.stringify({ price: new Money(1234) }, null, 1));
"""#,
                     #"""
{"a":2,"b":[2,4],"c":{"d":8},"s":"x"}
{"a":1,"c":{"d":4},"s":"x"}
{"c":{"d":4},"a":1}
{"s":"x","a":1}
"":false "x":false "y":false
{"t":"toJSON(t)","arr":["toJSON(0)"]} "toJSON()"
{"g":[1,2],"h":3}
{
 "price": "12.34"
}
"""#),
        SemanticCase(#"stringify_cycles"#,
                     #"""
var o = { a: 1 }; o.self = o;
try { JSON.stringify(o); } catch (e) { console.log(e.name); }
var arr = [1]; arr.push(arr);
try { JSON.stringify(arr); } catch (e) { console.log(e.name); }
var shared = { s: 1 };
console.log(JSON.stringify({ x: shared, y: shared }));
var c2 = { a: {} }; c2.a.b = c2;
try { JSON.stringify(c2, function (k, v) { return v; }); } catch (e) { console.log(e.name); }
"""#,
                     #"""
TypeError
TypeError
{"x":{"s":1},"y":{"s":1}}
TypeError
"""#),
        SemanticCase(#"parse_basics"#,
                     #"""
var v = JSON.parse('{"a":[1,2.5,-3e2,true,false,null],"b":{"c":"x\\ny\\u0041"},"":0, "__proto__": 1}');
console.log(v.a.join(), v.b.c, v[""], Object.keys(v).join(), Object.getPrototypeOf(v) === Object.prototype);
console.log(JSON.parse("  123  "), JSON.parse('"s"'), JSON.parse("null"), JSON.parse('{"a":1,"a":2}').a, JSON.parse("[]").length);
var bad = ["", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "'s'", "\"\t\"", "undefined", "NaN", "[1] x", "\"\\x\"", "-", "{a:1}"];
console.log(bad.map(function (s) { try { JSON.parse(s); return "ok"; } catch (e) { return e.name; } }).join());
console.log(JSON.parse({ toString: function () { return "[7]"; } })[0]);
var deep = ""; for (var i = 0; i < 5000; i++) deep += "["; for (i = 0; i < 5000; i++) deep += "]";
var d = JSON.parse(deep), depth = 0; while (Array.isArray(d) && d.length) { d = d[0]; depth++; }
console.log(depth);
"""#,
                     #"""
1,2.5,-300,true,false, x
yA 0 a,b,,__proto__ true
123 s null 2 0
SyntaxError,SyntaxError,SyntaxError,SyntaxError,SyntaxError,SyntaxError,SyntaxError,SyntaxError,SyntaxError,SyntaxError,SyntaxError,SyntaxError,SyntaxError,SyntaxError,SyntaxError
7
4999
"""#),
        SemanticCase(#"parse_reviver"#,
                     #"""
var r = JSON.parse('{"a":1,"b":[1,2,{"c":3}],"d":"x"}', function (k, v) {
  if (typeof v === "number") return v * 10;
  if (k === "d") return undefined;
  return v;
});
console.log(JSON.stringify(r));
var order = [];
JSON.parse('{"x":{"y":1},"z":[2]}', function (k, v) { order.push(k); return v; });
console.log(order.join("|"));
console.log(JSON.parse("5", function (k, v) { return [k, v, this[""]].join(":"); }));
"""#,
                     #"""
{"a":10,"b":[10,20,{"c":30}]}
y|x|0|z|
:5:5
"""#),
        SemanticCase(#"round_trip"#,
                     #"""
var src = { name: "order", lines: [{ sku: "A", qty: 2, price: 9.99 }, { sku: "B", qty: 1, price: 0.1 }], meta: { tags: ["x", "y"], ok: true, none: null } };
var s = JSON.stringify(src);
console.log(s === JSON.stringify(JSON.parse(s)), s.length);
console.log(JSON.stringify(JSON.parse(s), null, 1).split("\n").length);
"""#,
                     #"""
true 139
23
"""#),
    ]

    @Test(arguments: cases)
    func program(_ c: SemanticCase) {
        #expect(outputOf(c.source) == c.expected)
    }
}
