import Testing
import LazarusEngine

/// Regression tests for builtins bugs found with test262 (built-ins/ directories and the
/// builtins parts of language/). Each case is a program and the console output the
/// specification requires of it.
@Suite("Builtins conformance regressions")
struct BuiltinsConformanceTests {
    static let cases: [BuiltinCase] = [
        // A non-writable `length` refuses every [[Set]], also of the value it already has
        // (push/pop/shift/unshift end with Set(O, "length", n, true)).
        BuiltinCase(#"""
            "use strict";
            var a = []; Object.freeze(a);
            try { a.length = 0; console.log("no"); } catch (e) { console.log(e.name); }
            try { a.push(); console.log("no"); } catch (e) { console.log(e.name); }
            var b = []; Object.defineProperty(b, "length", { writable: false });
            try { b.pop(); console.log("no"); } catch (e) { console.log(e.name); }
            try { b.shift(); console.log("no"); } catch (e) { console.log(e.name); }
            """#, "TypeError\nTypeError\nTypeError\nTypeError"),
        // Math and JSON have their own tags in Object.prototype.toString (@@toStringTag).
        BuiltinCase(#"""
            var ts = Object.prototype.toString;
            console.log(ts.call(Math), ts.call(JSON), ts.call({}), String(Math));
            """#, "[object Math] [object JSON] [object Object] [object Math]"),
        // String literals keep unpaired surrogates (no U+FFFD replacement).
        BuiltinCase(#"""
            var hi = "\uD83D", lo = "\uDC00";
            console.log(hi.length, hi.charCodeAt(0), lo.charCodeAt(0), hi < lo, hi === "\uFFFD");
            console.log("\uD800".codePointAt(0), ("\uD83D" + "\uDCA9").codePointAt(0), "abc".padEnd(5, "\uD83D").charCodeAt(4));
            """#, "1 55357 56320 true false\n55296 128169 55357"),
        // An element write into a hole or past the end meets setters and read-only
        // elements inherited from the prototype chain; CreateDataProperty (map, filter,
        // slice, concat…) and the library's internal lists do not.
        BuiltinCase(#"""
            var seen = "";
            Object.defineProperty(Array.prototype, "0", { set: function (v) { seen += "set" + v + ";"; }, configurable: true });
            var a = []; a[0] = 1;
            console.log(seen, a.length, a.hasOwnProperty(0));
            var b = []; b.push(2);
            console.log(seen, b.length, b.hasOwnProperty(0));
            var c = [5, 6].map(function (x) { return x * 2; }), f = [5, 6].filter(function () { return true; });
            console.log(c.join(), f.join(), [7].slice(0).join(), [].concat(8).join(), seen);
            console.log([3, 1, 2].sort().join(), JSON.stringify([1, [2]]), Object.keys({ x: 1 }).join());
            delete Array.prototype[0];
            var d = []; d[0] = 9; console.log(d[0], seen);
            Object.defineProperty(Object.prototype, "1", { value: "ro", writable: false, configurable: true });
            var e = [0]; e[1] = 1; console.log(e.length, e[1]);
            delete Object.prototype[1];
            """#, "set1; 0 false\nset1;set2; 1 false\n10,12 5,6 7 8 set1;set2;\n1,2,3 [1,[2]] x\n9 set1;set2;\n1 ro"),
        BuiltinCase(#"""
            var arr = [], calls = 0;
            Object.defineProperty(Array.prototype, "0", { set: function () { Object.freeze(arr); calls++; }, configurable: true });
            try { arr.push(1); } catch (e) { console.log(e.name, arr.length, calls); }
            try { arr.unshift(1); } catch (e) { console.log(e.name, arr.length, calls); }
            delete Array.prototype[0];
            """#, "TypeError 0 1\nTypeError 0 2"),
        // flat / flatMap (ES2019).
        BuiltinCase(#"""
            var n = [1, [2, [3, [4]]]];
            console.log(n.flat().length, n.flat(Infinity).join(), n.flat(0).length, [1, , 2].flat().length);
            console.log(Array.prototype.flat.call(true).length, [1, 2].flatMap(function (x) { return [x, x * 2]; }).join());
            console.log(Array.prototype.flat.length, Array.prototype.flatMap.length);
            """#, "3 1,2,3,4 2 2\n0 1,2,2,4\n0 1"),
    ]

    @Test(arguments: cases)
    func program(_ c: BuiltinCase) {
        #expect(builtinsOutput(c.source) == c.expected)
    }

    @Test(arguments: cases)
    func programWithTinySlices(_ c: BuiltinCase) {
        #expect(builtinsOutput(c.source, slice: 7) == c.expected)
    }
}
