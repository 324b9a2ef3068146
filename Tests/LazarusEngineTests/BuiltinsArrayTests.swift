import Testing
import LazarusEngine

/// Runs a script to its end (host calls answered by a LocalHost, `slice` instructions per
/// run); returns console lines, plus `!Name: message` for an uncaught error.
func builtinsOutput(_ source: String, slice: Int = Int.max,
                    answer: ((PendingHostCall) -> HostResult)? = nil) -> String {
    do {
        let vm = try VM(consoleMode: .buffer)
        vm.load(try compileProgram(source), mainArguments: nil)
        let host = LocalHost(clock: { 1000 })
        while true {
            switch vm.run(budget: slice) {
            case .hostCall(let c): vm.resume(answer?(c) ?? host.handle(c))
            case .budgetExhausted: continue
            case .failed(let e): return (vm.output + ["!\(e.name): \(e.message)"]).joined(separator: "\n")
            default: return vm.output.joined(separator: "\n")
            }
        }
    } catch {
        return "!\(error)"
    }
}

struct BuiltinCase: CustomTestStringConvertible, Sendable {
    var source: String
    var expected: String
    init(_ source: String, _ expected: String) { self.source = source; self.expected = expected }
    var testDescription: String { source }
}

@Suite("Builtins: Array")
struct BuiltinsArrayTests {
    static let cases: [BuiltinCase] = [
        // constructor, isArray, of, from
        BuiltinCase("var a = new Array(3); console.log(a.length, 0 in a, String(a));", "3 false ,,"),
        BuiltinCase("console.log(Array(1, 2).length, new Array('3').length, Array().length);", "2 1 0"),
        BuiltinCase("try { new Array(-1); } catch (e) { console.log(e.name); }", "RangeError"),
        BuiltinCase("try { new Array(1.5); } catch (e) { console.log(e.name); }", "RangeError"),
        BuiltinCase("console.log(Array.isArray([]), Array.isArray({length: 0}), Array.isArray(Array.prototype));", "true false true"),
        BuiltinCase("console.log(Array.of(7).length, Array.of(1, 2, 3).join());", "1 1,2,3"),
        BuiltinCase("console.log(Array.from('a\\uD83D\\uDE00b').length, Array.from({length: 3, 1: 'x'}).join('|'));", "3 |x|"),
        BuiltinCase("console.log(Array.from([1, 2], function (v, i) { return v * 10 + i + this.k; }, {k: 100}).join());", "110,121"),
        BuiltinCase("function C(n) { this.made = arguments.length; } var r = Array.of.call(C, 'a', 'b'); console.log(r instanceof C, r.length, r[1]);", "true 2 b"),
        // length semantics
        BuiltinCase("var a = [1, 2, 3, 4]; a.length = 2; console.log(a.join(), a[3]); a.length = 4; console.log(a.join(), 3 in a);", "1,2 undefined\n1,2,, false"),
        BuiltinCase("var a = []; try { a.length = -1; } catch (e) { console.log(e.name); } try { a.length = 1.5; } catch (e) { console.log(e.name); }", "RangeError\nRangeError"),
        BuiltinCase("var a = []; a[5] = 1; console.log(a.length, a.indexOf(undefined), a.includes(undefined));", "6 -1 true"),
        // push/pop/shift/unshift
        BuiltinCase("var a = [1]; console.log(a.push(2, 3), a.join(), a.pop(), a.shift(), a.unshift(0, 9), a.join());", "3 1,2,3 3 1 3 0,9,2"),
        BuiltinCase("console.log([].pop(), [].shift());", "undefined undefined"),
        BuiltinCase("var o = {length: 2, 0: 'a', 1: 'b'}; Array.prototype.push.call(o, 'c'); console.log(o.length, o[2], Array.prototype.pop.call(o), o.length);", "3 c c 2"),
        BuiltinCase("var o = {}; console.log(Array.prototype.push.call(o, 1), o.length, Array.prototype.pop.call({}), Array.prototype.shift.call({length: 1, 0: 'z'}));", "1 1 undefined z"),
        BuiltinCase("var o = {length: 2, 0: 1, 1: 2}; Array.prototype.unshift.call(o, 0); console.log(o.length, o[0], o[2]);", "3 0 2"),
        // join / toString / toLocaleString
        BuiltinCase("console.log([1, null, undefined, 'x', true].join(), [1, 2].join(''), [[1, 2], [3]].join(';'));", "1,,,x,true 12 1,2;3"),
        BuiltinCase("var o = {toString: function () { return 'O'; }}; console.log([o, o].join('-'), String([o]));", "O-O O"),
        BuiltinCase("console.log([1, [2, [3]]].toString(), Array.prototype.toString.call({join: function () { return 'J'; }}), Array.prototype.toString.call({}));", "1,2,3 J [object Object]"),
        BuiltinCase("console.log([1, 'a', null].toLocaleString());", "1,a,"),
        BuiltinCase("var a = [1]; a.push(a); console.log(a.length);", "2"),
        // reverse / concat / slice / splice
        BuiltinCase("var a = [1, 2, 3]; console.log(a.reverse() === a, a.join());", "true 3,2,1"),
        BuiltinCase("var a = [1, , 3, , ]; a.reverse(); console.log(a.length, 0 in a, 1 in a, a[3]);", "4 false true 1"),
        BuiltinCase("var a = [1, 2]; var b = a.concat(3, [4, [5]], {length: 1}); console.log(b.length, b[3], b[4].length, a.length);", "6 4 1 2"),
        BuiltinCase("console.log([1, , 3].concat([, 5]).length, 1 in [1, , 3].concat([]));", "5 false"),
        BuiltinCase("var a = [0, 1, 2, 3, 4]; console.log(a.slice(1, 3).join(), a.slice(-2).join(), a.slice(3, 1).length, a.slice().join());", "1,2 3,4 0 0,1,2,3,4"),
        BuiltinCase("console.log(Array.prototype.slice.call({length: 3, 0: 'a', 2: 'c'}, 1).length, Array.prototype.slice.call('xyz', 1).join());", "2 y,z"),
        BuiltinCase("var a = [0, 1, 2, 3]; var r = a.splice(1, 2, 'a', 'b', 'c'); console.log(r.join(), a.join());", "1,2 0,a,b,c,3"),
        BuiltinCase("var a = [0, 1, 2]; console.log(a.splice(1).join(), a.join(), a.splice().length, [1, 2, 3].splice(-1, 1).join());", "1,2 0 0 3"),
        BuiltinCase("var o = {length: 3, 0: 'a', 1: 'b', 2: 'c'}; var r = Array.prototype.splice.call(o, 0, 1); console.log(r[0], o.length, o[0], o[1], 2 in o);", "a 2 b c false"),
        // indexOf / lastIndexOf / includes
        BuiltinCase("var a = [1, 2, 3, 2, NaN]; console.log(a.indexOf(2), a.indexOf(2, 2), a.indexOf(2, -2), a.indexOf(NaN), a.lastIndexOf(2), a.lastIndexOf(2, 2), a.lastIndexOf(1, -6));", "1 3 3 -1 3 1 -1"),
        BuiltinCase("console.log([NaN].includes(NaN), [1, 2].includes(2, 2), ['1'].indexOf(1), [0].indexOf(-0), [-0].includes(0));", "true false -1 0 true"),
        BuiltinCase("var o = {length: 2, 0: 'x', 1: 'y'}; console.log(Array.prototype.indexOf.call(o, 'y'), Array.prototype.lastIndexOf.call(o, 'x'), Array.prototype.includes.call(o, 'y'));", "1 0 true"),
        BuiltinCase("var a = [1, 2, 3]; console.log(a.indexOf(3, {valueOf: function () { return 1; }}));", "2"),
        BuiltinCase("Array.prototype[1] = 'p'; var a = [0, , 2]; console.log(a.indexOf('p'), a.join(), a.slice(1, 2)[0]); delete Array.prototype[1];", "1 0,p,2 p"),
        // fill / copyWithin
        BuiltinCase("console.log([1, 2, 3, 4].fill(0, 1, -1).join(), new Array(3).fill('x').join(), [1, 2, 3].fill(9, -1).join());", "1,0,0,4 x,x,x 1,2,9"),
        BuiltinCase("console.log([1, 2, 3, 4, 5].copyWithin(0, 3).join(), [1, 2, 3, 4, 5].copyWithin(1, 0, 3).join());", "4,5,3,4,5 1,1,2,3,5"),
        // sort
        BuiltinCase("console.log([10, 9, 1, 100].sort().join(), ['b', 'a', 'C'].sort().join(), [3, 1, 2].sort(function (a, b) { return b - a; }).join());", "1,10,100,9 C,a,b 3,2,1"),
        BuiltinCase("var a = [3, undefined, , 1]; a.sort(); console.log(a.length, a[0], a[1], a[2], 3 in a);", "4 1 3 undefined false"),
        BuiltinCase("var a = [{k: 1, v: 'a'}, {k: 0, v: 'b'}, {k: 1, v: 'c'}, {k: 0, v: 'd'}]; a.sort(function (x, y) { return x.k - y.k; }); console.log(a.map(function (x) { return x.v; }).join(''));", "bdac"),
        BuiltinCase("var a = []; for (var i = 0; i < 100; i++) a.push({k: i % 3, i: i}); a.sort(function (x, y) { return x.k - y.k; }); var ok = true; for (var j = 1; j < 100; j++) if (a[j].k === a[j - 1].k && a[j].i < a[j - 1].i) ok = false; console.log(ok, a[0].i, a[99].i);", "true 0 98"),
        BuiltinCase("var a = [{toString: function () { return 'b'; }}, 'a', 'c']; console.log(a.sort().join());", "a,b,c"),
        BuiltinCase("try { [1].sort(1); } catch (e) { console.log(e.name); }", "TypeError"),
        BuiltinCase("console.log([true, false, null, 'n', -1, 2].sort().join());", "-1,2,false,n,,true"),
        BuiltinCase("var o = {length: 3, 0: 'c', 1: 'a', 2: 'b'}; Array.prototype.sort.call(o); console.log(o[0], o[1], o[2]);", "a b c"),
        // callbacks
        BuiltinCase("var r = []; [1, , 3].forEach(function (v, i, a) { r.push(v + ':' + i + ':' + (a.length)); }); console.log(r.join());", "1:0:3,3:2:3"),
        BuiltinCase("var m = [1, , 3].map(function (v) { return v * 2; }); console.log(m.length, 1 in m, m.join());", "3 false 2,,6"),
        BuiltinCase("console.log([1, 2, 3, 4].filter(function (v) { return v % 2 === 0; }).join(), [1, 2].some(function (v) { return v > 1; }), [1, 2].every(function (v) { return v > 1; }));", "2,4 true false"),
        BuiltinCase("console.log([1, 2, 3].find(function (v) { return v > 1; }), [1, 2, 3].findIndex(function (v) { return v > 5; }), [, 1].find(function (v) { return v === undefined; }));", "2 -1 undefined"),
        BuiltinCase("console.log([1, 2, 3].reduce(function (a, b) { return a + b; }), [1, 2, 3].reduce(function (a, b) { return a + b; }, 10), ['a', 'b', 'c'].reduceRight(function (a, b) { return a + b; }));", "6 16 cba"),
        BuiltinCase("try { [].reduce(function () {}); } catch (e) { console.log(e.name); } try { [1].map(); } catch (e) { console.log(e.name); }", "TypeError\nTypeError"),
        BuiltinCase("var t = {k: 5}; console.log([1].map(function (v) { return this.k + v; }, t)[0]);", "6"),
        BuiltinCase("var o = {length: 2, 0: 'a', 1: 'b'}; console.log(Array.prototype.map.call(o, function (x) { return x.toUpperCase(); }).join(), Array.prototype.map.call('hi', function (c) { return c + c; }).join(''));", "A,B hhii"),
        BuiltinCase("try { Array.prototype.forEach.call(null, function () {}); } catch (e) { console.log(e.name); }", "TypeError"),
        // iterators (no Symbol.iterator in v1: next() only)
        BuiltinCase("var it = ['a', 'b'].entries(), r = it.next(); console.log(r.value.join(':'), r.done, it.next().value[1], it.next().done, [7, 8].keys().next().value, [7].values().next().value);", "0:a false b true 0 7"),
        // optional arguments never read inherited indices
        BuiltinCase("Object.prototype[1] = 5; var seen = []; [1, 2].forEach(function () { 'use strict'; seen.push(this === undefined ? 'u' : this); }); console.log(Array.prototype.indexOf.call({length: 2, 0: 9, 1: 5}, 5), seen.join()); delete Object.prototype[1];", "1 u,u"),
        BuiltinCase("console.log(Array.of.call(Math.max, 1, 2).length, Array.of.call(Math.max.bind(null), 3)[0], Array.from.call(undefined, {length: 1, 0: 'z'})[0]);", "2 3 z"),
        BuiltinCase("function T() { Object.defineProperty(this, 0, {value: 1, writable: true, enumerable: true, configurable: false}); } try { Array.of.call(T, 'x'); } catch (e) { console.log(e.name); }", "TypeError"),
        // sparse arrays: callbacks skip runs of holes (and see elements added on the way)
        BuiltinCase("var a = [1]; a[500000] = 2; var seen = []; a.forEach(function (v, i) { seen.push(i); if (i === 0) a[7] = 'x'; }); console.log(seen.join(), a.reduceRight(function (s, v, i) { return s + i; }, 0), a.filter(function () { return true; }).length);", "0,7,500000 500007 3"),
        BuiltinCase("Array.prototype[3] = 'p'; var b = [0]; b.length = 6; var s = []; b.forEach(function (v, i) { s.push(i + v); }); console.log(s.join()); delete Array.prototype[3];", "0,3p"),
        // method shapes
        BuiltinCase("console.log(Array.prototype.map.length, Array.prototype.reduce.length, Array.prototype.splice.length, Array.prototype.slice.length, Array.prototype.push.length, Array.from.length, Array.of.length);", "1 1 2 2 1 1 0"),
        BuiltinCase("console.log(Object.keys(Array.prototype).length, Array.prototype.map.name, Array.prototype.indexOf.name);", "0 map indexOf"),
        BuiltinCase("var s = ''; for (var k in [7, 8]) s += k; console.log(s);", "01"),
    ]

    @Test(arguments: cases)
    func program(_ c: BuiltinCase) {
        #expect(builtinsOutput(c.source) == c.expected)
    }

    /// The same programs, preempted every few instructions (suspension inside library code).
    @Test(arguments: cases)
    func programWithTinySlices(_ c: BuiltinCase) {
        #expect(builtinsOutput(c.source, slice: 7) == c.expected)
    }

    @Test func hostCallsInsideCallbacksSuspendAndResume() {
        let src = """
        var m = [1, 2, 3].map(function (x) { return now() + x; });
        var f = [1, 2, 3, 4].filter(function (x) { return random() > 0.5 ? x % 2 === 0 : false; });
        var t = 0; [5, 6].forEach(function (x) { checkpoint('each'); t += x; });
        var r = [1, 2, 3].reduce(function (a, x) { return a + now() + x; }, 0);
        var rr = [1, 2].reduceRight(function (a, x) { return a + '' + x + now(); }, '');
        var s = [3, 1, 2].sort(function (a, b) { checkpoint('cmp'); return a - b; });
        var e = [1, 2].every(function (x) { return now() > 0; }), so = [1, 2].some(function (x) { return now() < 0; });
        var fi = [1, 2, 3].find(function (x) { return now() + x === 1002; }), fx = [1, 2, 3].findIndex(function (x) { return now() + x === 1003; });
        var af = Array.from({length: 2}, function (v, i) { return now() + i; });
        console.log(m.join(), f.join(), t, r, rr, s.join(), e, so, fi, fx, af.join());
        """
        let expected = "1001,1002,1003 2,4 11 3006 2100011000 1,2,3 true false 2 2 1000,1001"
        var calls = 0
        let answer: (PendingHostCall) -> HostResult = { c in
            calls += 1
            switch c.name {
            case "now": return .value(.number(1000))
            case "random": return .value(.number(0.9))
            default: return .value(.null)
            }
        }
        #expect(builtinsOutput(src, answer: answer) == expected)
        #expect(calls > 20)
        #expect(builtinsOutput(src, slice: 3, answer: answer) == expected)
    }

    @Test func hostErrorInsideCallbackIsCatchable() {
        let src = """
        try { [1, 2].map(function (x) { return records.load('t', 'missing' + x); }); console.log('no'); }
        catch (e) { console.log(e.name, e.message); }
        """
        #expect(builtinsOutput(src, answer: { _ in .error(name: "NotFound", message: "gone") }) == "NotFound gone")
    }

    @Test func largeArraysStayLinear() {
        let src = """
        var list = []; for (var i = 0; i < 50000; i++) list.push(i);
        var s = list.join(',');
        var back = s.split(',');
        console.log(back.length, list.indexOf(49999), list.slice(100, 103).join(), list.concat(list).length);
        var big = []; for (var j = 0; j < 20000; j++) big.push(String(20000 - j));
        big.sort(); console.log(big[0], big[19999]);
        """
        #expect(builtinsOutput(src) == "50000 49999 100,101,102 100000\n1 9999")
    }
}
