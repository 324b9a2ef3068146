// MARK: - Programs run straight and with restores every k instructions

enum SnapshotCorpus {
    static let programs: [String: String] = [
        "closures": #"""
            function counter(start) {
              var n = start;
              return { inc: function () { n += 1; return n; }, get: () => n };
            }
            var a = counter(10), b = counter(100);
            a.inc(); a.inc(); b.inc();
            var fs = [];
            for (let i = 0; i < 4; i++) { fs.push(function () { return i * i; }); }
            var out = [];
            for (var j = 0; j < fs.length; j++) out.push(fs[j]());
            console.log(a.get(), b.get(), out.join(","));
            function adder(x) { return function (y) { return function (z) { return x + y + z; }; }; }
            console.log(adder(1)(2)(3), adder("a")("b")("c"));
            """#,
        "tryFinally": #"""
            var log = [];
            function f(n) {
              try {
                try {
                  if (n > 1) throw new Error("boom " + n);
                  log.push("body " + n);
                  return "ret " + n;
                } finally {
                  log.push("inner finally " + n);
                }
              } catch (e) {
                log.push("caught " + e.message);
                return "caught";
              } finally {
                log.push("outer finally " + n);
              }
            }
            console.log(f(1), f(2));
            outer: for (var i = 0; i < 3; i++) {
              for (var j = 0; j < 3; j++) {
                try { if (j == 1) continue outer; if (i == 2) break outer; log.push(i + ":" + j); }
                finally { log.push("f" + i + j); }
              }
            }
            console.log(log.join("|"));
            try { undefinedThing.x; } catch (e) { console.log(e.name); }
            """#,
        "iteration": #"""
            var o = { a: 1, b: 2, c: 3, d: 4 };
            var seen = [];
            for (var k in o) { seen.push(k); if (k === "b") delete o.c; }
            console.log(seen.join(","));
            var total = 0;
            for (const v of [1, 2, 3, 4, 5]) { total += v; }
            var chars = [];
            for (const ch of "h\u00e9\uD83D\uDE00!") chars.push(ch.length);
            console.log(total, chars.join(","));
            var arr = [];
            for (let i = 0; i < 20; i++) arr.push(i * 3);
            var s = 0;
            for (const x of arr) { for (var key in { p: 1, q: 2 }) s += x; }
            console.log(s);
            var n = 0; do { n++; } while (n < 50);
            var w = 0; while (w < 30) { w += 3; }
            switch (n % 7) { case 1: console.log("one"); break; default: console.log("other", n % 7); }
            console.log(n, w);
            """#,
        "accessors": #"""
            var calls = 0;
            var o = {
              _v: 5,
              get v() { calls++; return this._v * 2; },
              set v(x) { calls++; this._v = x; }
            };
            o.v = 21;
            console.log(o.v, calls);
            var p = Object.create(o);
            p.v = 4;
            console.log(p.v, o.v, calls, Object.keys(p).join(","));
            var t = { toString: function () { return "T!"; } };
            console.log("x" + t, String(t), [t, t].join("-"));
            var val = { valueOf: function () { return 40; } };
            console.log(val + 2, val * 2, val > 39);
            """#,
        "argumentsAndBind": #"""
            function sum() {
              var s = 0;
              for (var i = 0; i < arguments.length; i++) s += arguments[i];
              return s + ":" + arguments.length;
            }
            console.log(sum(1, 2, 3), sum(), sum.apply(null, [4, 5]), sum.call(null, 6));
            function Point(x, y) { this.x = x; this.y = y; }
            Point.prototype.norm1 = function () { return Math.abs(this.x) + Math.abs(this.y); };
            var p = new Point(3, -4);
            var bound = p.norm1.bind({ x: 10, y: 20 });
            var add = function (a, b, c) { return a + b + c; }.bind(null, 1, 2);
            console.log(p.norm1(), bound(), add(3), p instanceof Point);
            function rest(a, ...more) { return a + "/" + more.length; }
            function defaults(a, b = a + 1) { return a * b; }
            console.log(rest(1, 2, 3), defaults(3), defaults(3, 3), Math.max(...[1, 9, 4]));
            """#,
        "holesAndCycles": #"""
            var a = [1, , 3];
            a[6] = 7;
            var parts = [];
            for (var i = 0; i < a.length; i++) parts.push(i in a ? String(a[i]) : "_");
            console.log(a.length, parts.join(""));
            var x = { name: "x" }, y = { name: "y" };
            x.next = y; y.next = x; x.self = x;
            var ring = []; ring.push(ring);
            var cur = x, names = [];
            for (var k = 0; k < 5; k++) { names.push(cur.name); cur = cur.next; }
            console.log(names.join(""), x.self.self === x, ring[0][0] === ring);
            var nodes = [];
            for (var n = 0; n < 60; n++) nodes.push({ id: n, prev: nodes[n - 1] || null });
            nodes[0].prev = nodes[59];
            var c = nodes[0], hops = 0;
            do { c = c.prev; hops++; } while (c !== nodes[0]);
            console.log(hops);
            """#,
        "surrogates": #"""
            var pair = "\uD83D\uDE00";
            var hi = pair.charAt(0), lo = pair.slice(1);
            var lone = "a" + hi + "b" + lo + "c";
            console.log(lone.length, lone.charCodeAt(1), lone.charCodeAt(3), pair.length, hi.length);
            var built = "";
            for (var i = 0; i < 5; i++) built += hi;
            console.log(built.length, built.charCodeAt(4), (lone + pair).length, (lo + hi).charCodeAt(0));
            var o = {}; o[lone] = 1; o[lo] = 2;
            console.log(Object.keys(o).length, o[lone], o[lo], o["a" + hi + "b" + lo + "c"]);
            var units = [];
            for (const ch of lone + pair) units.push(ch.length);
            console.log(units.join(""));
            """#,
        "deepRecursion": #"""
            function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }
            console.log(depth(150));
            function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
            console.log(fib(10));
            function boom(n) { return boom(n + 1) + 1; }
            try { boom(0); } catch (e) { console.log(e.name, e.message); }
            """#,
        "hostCallsInCallbacks": #"""
            var ids = [1, 2, 3].map(function (n) {
              var r = records.create("item", { n: n });
              return r.id;
            });
            console.log(ids.length);
            var loaded = [];
            ids.forEach(function (id) { loaded.push(records.load("item", id).fields.n); });
            console.log(loaded.join(","));
            var sorted = [3, 1, 2].sort(function (a, b) { checkpoint("cmp"); return a - b; });
            console.log(sorted.join(","));
            var o = { get stamp() { return now(); } };
            console.log(o.stamp > 0);
            var t = { toString: function () { yieldScript(); return "yielded"; } };
            console.log("t=" + t);
            var picked = [5, 6, 7].filter(function (v) { return random() >= 0 && v > 5; });
            console.log(picked.join(","), [1, 2].reduce(function (s, v) { sleep(1); return s + v; }, 0));
            """#,
        "mainAndFailure": #"""
            var seen = [];
            function main(args) {
              seen.push(args.name);
              var n = Number(args.n);
              for (var i = 0; i < n; i++) seen.push(i);
              console.log(seen.join(" "));
              helper(n);
            }
            function helper(n) { if (n > 2) throw new RangeError("too many: " + n); }
            """#,
        "numbers": #"""
            var xs = [0.1 + 0.2, -0, 1e21, 123456789012, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53) - 2, 5e-324, 1 / 3];
            console.log(xs.join(" "));
            console.log(1 / xs[1], (123.456).toString(), (255).toString(16), 7 % -3, -7 % 3);
            var acc = 0;
            for (var i = 0; i < 120; i++) acc = (acc * 31 + i) % 1000003;
            console.log(acc, acc | 0, acc >>> 3, ~acc, Math.floor(-2.5), Math.sqrt(2));
            """#,
        "garbage": #"""
            var keep = [];
            for (var i = 0; i < 800; i++) {
              var tmp = { i: i, s: "s" + i, arr: [i, i + 1] };
              if (i % 100 === 0) keep.push(tmp);
            }
            var s = 0;
            for (var j = 0; j < keep.length; j++) s += keep[j].arr[1];
            console.log(keep.length, s, keep[7].s);
            """#,
    ]

    static var names: [String] { programs.keys.sorted() }
}
