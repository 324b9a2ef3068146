import Testing
import LazarusEngine

// Expected outputs were produced by node (console.log printing String(arg) joined by spaces).

@Suite("Builtins: Error types")
struct BuiltinsErrorTests {
    static let cases: [SemanticCase] = [
        SemanticCase(#"error_basics"#,
                     #"""
var e = new Error("boom");
console.log(e.name, e.message, String(e), e instanceof Error, Object.keys(e).length, e.hasOwnProperty("message"));
var t = new TypeError("bad");
console.log(t.name, t instanceof TypeError, t instanceof Error, Object.getPrototypeOf(TypeError) === Error, TypeError.prototype.name);
var kinds = [RangeError, SyntaxError, ReferenceError, EvalError, URIError];
console.log(kinds.map(function (K) { var x = K("m"); return x.name + ":" + (x instanceof K) + ":" + (x instanceof Error); }).join());
console.log(new Error().message === "", new Error().hasOwnProperty("message"), new Error("").hasOwnProperty("message"), new Error(undefined).hasOwnProperty("message"));
console.log(Error.prototype.toString.call({ name: "N", message: "M" }), Error.prototype.toString.call({}), Error.prototype.toString.call({ name: "", message: "only" }));
console.log(new Error({ toString: function () { return "obj msg"; } }).message);
"""#,
                     #"""
Error boom Error: boom true 0 true
TypeError true true true TypeError
RangeError:true:true,SyntaxError:true:true,ReferenceError:true:true,EvalError:true:true,URIError:true:true
true false true false
N: M Error only
obj msg
"""#),
        SemanticCase(#"error_caught_from_engine"#,
                     #"""
try { null.x; } catch (e) { console.log(e instanceof TypeError, e.name); }
try { undefinedVariable; } catch (e) { console.log(e instanceof ReferenceError); }
try { new Array(-1); } catch (e) { console.log(e instanceof RangeError); }
try { (1).toFixed(101); } catch (e) { console.log(e.name); }
try { decodeURIComponent("%"); } catch (e) { console.log(e.name, e instanceof URIError); }
try { JSON.parse("{bad"); } catch (e) { console.log(e.name); }
"""#,
                     #"""
true TypeError
true
true
RangeError
URIError true
SyntaxError
"""#),
        SemanticCase(#"error_custom_subclass"#,
                     #"""
function MyError(msg) { this.message = msg; }
MyError.prototype = Object.create(Error.prototype);
MyError.prototype.name = "MyError";
MyError.prototype.constructor = MyError;
var m = new MyError("custom");
console.log(String(m), m instanceof Error, Object.prototype.toString.call(m));
var obj = { name: "X", get message() { return "from getter"; } };
console.log(Error.prototype.toString.call(obj));
"""#,
                     #"""
MyError: custom true [object Object]
X: from getter
"""#),
    ]

    @Test(arguments: cases)
    func program(_ c: SemanticCase) {
        #expect(outputOf(c.source) == c.expected)
    }
}
