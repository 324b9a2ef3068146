import Testing
import LazarusEngine

// Expected outputs were produced by node (console.log printing String(arg) joined by spaces).

@Suite("Builtins: Number, Math, Boolean, global functions")
struct BuiltinsNumberMathTests {
    static let cases: [SemanticCase] = [
        SemanticCase(#"number_conversion"#,
                     #"""
console.log(Number("  12  "), Number("0x1F"), Number("0b101"), Number("0o17"), Number(""), Number("1e3"), Number("12px"), Number(null), Number(undefined), Number(true), Number([5]), Number({ valueOf: function () { return 42; } }));
console.log(new Number(3) + 1, typeof new Number(3), new Number({ valueOf: function () { return 8; } }).valueOf(), Number(), Number("-0") === 0, 1 / Number("-0"));
console.log(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.EPSILON, Number.MAX_VALUE, Number.MIN_VALUE, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
console.log(Number.isInteger(5), Number.isInteger(5.5), Number.isInteger("5"), Number.isSafeInteger(2 ** 53), Number.isSafeInteger(2 ** 53 - 1), Number.isFinite("1"), isFinite("1"), Number.isNaN("x"), isNaN("x"));
console.log(Number.parseInt === parseInt, Number.parseFloat === parseFloat);
"""#,
                     #"""
12 31 5 15 0 1000 NaN 0 NaN 1 5 42
4 object 8 0 true -Infinity
9007199254740991 -9007199254740991 2.220446049250313e-16 1.7976931348623157e+308 5e-324 NaN Infinity -Infinity
true false false false true false true false true
true true
"""#),
        SemanticCase(#"number_to_string"#,
                     #"""
console.log(String(0.1 + 0.2), String(1e21), String(1e-7), String(123456789012), String(-0), String(5e-324), String(1.7976931348623157e308), String(100), String(0.000001));
console.log((255).toString(16), (255).toString(2), (-255).toString(36), (0.5).toString(2), (3.75).toString(16), (1e21).toString(7).length > 0);
try { (1).toString(1); } catch (e) { console.log(e.name); }
"""#,
                     #"""
0.30000000000000004 1e+21 1e-7 123456789012 0 5e-324 1.7976931348623157e+308 100 0.000001
ff 11111111 -73 0.1 3.c true
RangeError
"""#),
        SemanticCase(#"to_fixed"#,
                     #"""
console.log((1.005).toFixed(2), (1.45).toFixed(1), (0.5).toFixed(0), (1.5).toFixed(0), (2.5).toFixed(0), (-1.5).toFixed(0), (123.456).toFixed(), (0).toFixed(2), (-0).toFixed(2));
console.log((1e21).toFixed(2), (1.23e20).toFixed(2), (0.000001).toFixed(7), (-0.0000001).toFixed(2), (1000000000000000128).toFixed(0), (NaN).toFixed(1), (0.1).toFixed(20));
console.log((12.345).toFixed(1.9), (5).toFixed("2"));
try { (1).toFixed(-1); } catch (e) { console.log(e.name); }
"""#,
                     #"""
1.00 1.4 1 2 3 -2 123 0.00 0.00
1e+21 123000000000000000000.00 0.0000010 -0.00 1000000000000000128 NaN 0.10000000000000000555
12.3 5.00
RangeError
"""#),
        SemanticCase(#"to_precision_and_exponential"#,
                     #"""
console.log((123.456).toPrecision(4), (0.000123).toPrecision(2), (123456).toPrecision(2), (1.5).toPrecision(1), (1e21).toPrecision(3), (0).toPrecision(3), (-1.25).toPrecision(2), (123.456).toPrecision());
console.log((123.456).toExponential(2), (0).toExponential(), (0).toExponential(2), (1.5e-7).toExponential(), (-12345).toExponential(1), (1).toExponential(0), (9.5).toExponential(0));
console.log((Infinity).toPrecision(200), (NaN).toExponential(-5));
try { (1).toPrecision(0); } catch (e) { console.log(e.name); }
try { (1).toExponential(101); } catch (e) { console.log(e.name); }
"""#,
                     #"""
123.5 0.00012 1.2e+5 2 1.00e+21 0.00 -1.3 123.456
1.23e+2 0e+0 0.00e+0 1.5e-7 -1.2e+4 1e+0 1e+1
Infinity NaN
RangeError
RangeError
"""#),
        SemanticCase(#"parse_int_float"#,
                     #"""
console.log(parseInt("  42abc"), parseInt("-0x1A"), parseInt("1010", 2), parseInt("z", 36), parseInt("08"), parseInt(""), parseInt("0x"), parseInt("12", 1), parseInt("12", 37), parseInt(15.99), parseInt("123456789012345678901234567890"));
console.log(parseFloat("3.14abc"), parseFloat("  -.5e2x"), parseFloat("Infinityx"), parseFloat("e5"), parseFloat("1e"), parseFloat("-0"), 1 / parseFloat("-0"), parseFloat(".x"), parseFloat({ toString: function () { return "2.5"; } }));
"""#,
                     #"""
42 -26 10 35 8 NaN NaN NaN NaN 15 1.2345678901234568e+29
3.14 -50 Infinity NaN 1 0 -Infinity NaN 2.5
"""#),
        SemanticCase(#"booleans"#,
                     #"""
console.log(Boolean(""), Boolean("0"), Boolean(0), Boolean(NaN), Boolean({}), Boolean([]), Boolean(null), new Boolean(false) ? "truthy" : "falsy");
console.log(new Boolean(true).toString(), true.toString(), new Boolean(false).valueOf(), typeof new Boolean(true), Object.prototype.toString.call(new Boolean(true)));
try { Boolean.prototype.toString.call(1); } catch (e) { console.log(e.name); }
"""#,
                     #"""
false true false false true true false truthy
true true false object [object Boolean]
TypeError
"""#),
        SemanticCase(#"math_functions"#,
                     #"""
console.log(Math.abs(-3), Math.ceil(1.2), Math.floor(-1.2), Math.round(2.5), Math.round(-2.5), Math.round(0.49999999999999994), Math.trunc(-4.7), Math.sign(-0) === 0, 1 / Math.sign(-0));
console.log(Math.max(), Math.min(), Math.max(1, NaN, 3), Math.max(-0, 0) === 0 && 1 / Math.max(-0, 0), Math.min(0, -0) === 0 && 1 / Math.min(0, -0));
console.log(Math.pow(2, 10), Math.pow(1, Infinity), Math.pow(NaN, 0), 2 ** -1, Math.sqrt(16), Math.cbrt(-27), Math.hypot(3, 4), Math.hypot(), Math.hypot(NaN, Infinity));
console.log(Math.clz32(1), Math.clz32(0), Math.imul(0xffffffff, 5), Math.fround(5.5), Math.fround(5.05) === 5.05, Math.log2(8), Math.log10(1000), Math.expm1(0), Math.log1p(0));
console.log(Math.sin(0), Math.cos(0), Math.atan2(1, 1) === Math.PI / 4, Math.exp(0), Math.log(Math.E), Math.sinh(0), Math.tanh(Infinity), Math.asinh(-0) === 0 && 1 / Math.asinh(-0));
console.log(Math.E, Math.LN10, Math.LN2, Math.LOG10E, Math.LOG2E, Math.PI, Math.SQRT1_2, Math.SQRT2);
console.log(Math.max({ valueOf: function () { return 10; } }, "5"), Math.abs("-2"), Math.floor(null), Math.ceil(undefined));
var r = Math.random(); console.log(r >= 0 && r < 1, typeof r);
"""#,
                     #"""
3 2 -2 3 -2 0 -4 true -Infinity
-Infinity Infinity NaN Infinity -Infinity
1024 NaN 1 0.5 4 -3 5 0 Infinity
31 32 -5 5.5 false 3 3 0 0
0 1 true 1 1 0 1 -Infinity
2.718281828459045 2.302585092994046 0.6931471805599453 0.4342944819032518 1.4426950408889634 3.141592653589793 0.7071067811865476 1.4142135623730951
10 2 0 NaN
true number
"""#),
        SemanticCase(#"global_functions"#,
                     #"""
console.log(isNaN(undefined), isNaN(null), isNaN("abc"), isFinite("12"), isFinite(Infinity), typeof globalThis.parseInt, globalThis.Math === Math);
console.log(encodeURIComponent("a b&c=d/é?€😀"), encodeURI("http://x.y/a b?q=1&r=é#h"), decodeURIComponent("a%20b%26%C3%A9%F0%9F%98%80"), decodeURI("%3Fa%20b%23"));
try { encodeURIComponent(JSON.parse('"\\ud800"')); } catch (e) { console.log(e.name); }
try { decodeURIComponent("%E0%A4%A"); } catch (e) { console.log(e.name); }
"""#,
                     #"""
true false true true false function true
a%20b%26c%3Dd%2F%C3%A9%3F%E2%82%AC%F0%9F%98%80 http://x.y/a%20b?q=1&r=%C3%A9#h a b&é😀 %3Fa b%23
URIError
URIError
"""#),
    ]

    @Test(arguments: cases)
    func program(_ c: SemanticCase) {
        #expect(outputOf(c.source) == c.expected)
    }
}
