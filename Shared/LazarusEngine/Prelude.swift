import LazarusSyntax

// MARK: - The prelude: library code written in JavaScript
//
// Everything that calls back into script code (callbacks, ToPrimitive, getters…) is
// written here, so a host call made inside such a callback suspends with no Swift frame
// live. The prelude is compiled once per process and runs at realm creation as unit 0.
// It reaches engine internals only through `I` (the intrinsics object: natives named
// "%name" in the permanents table, plus whatever the prelude stores on it).
// Its id (a SHA-256 of the source) is folded into every program hash.

public enum Prelude {
    public static let source: String = preludeCore + preludeObjects + preludeArrays + preludeLibrary

    /// SHA-256 of the prelude source (folded into program hashes).
    public static let id: [UInt8] = SHA256.hash(Array(source.utf8))

    nonisolated(unsafe) private static var cache: CompiledUnit?
    private static let lock = NSLockish()

    /// The compiled prelude (compiled once per process).
    static func compiled() throws -> CompiledUnit {
        lock.lock(); defer { lock.unlock() }
        if let c = cache { return c }
        do {
            let program = try parseProgram(source, options: ParseOptions(strict: true))
            let unit = try Compiler.compile(program)
            cache = unit
            return unit
        } catch {
            throw EngineError("prelude does not compile: \(error)")
        }
    }
}

/// A tiny spin-free lock without Foundation (pthread mutex).
final class NSLockish: @unchecked Sendable {
    // @unchecked: the mutex is only touched through lock()/unlock().
    private var m = pthread_mutex_t()
    init() { pthread_mutex_init(&m, nil) }
    func lock() { pthread_mutex_lock(&m) }
    func unlock() { pthread_mutex_unlock(&m) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Engine-critical part: helpers the interpreter calls for objects, console.
let preludeCore = #"""
(function (I, global) {
  "use strict";
  function isObject(v) { return (typeof v === "object" && v !== null) || typeof v === "function"; }
  function toPrimitive(v, hint) {
    if (!isObject(v)) return v;
    var first = hint === "string" ? "toString" : "valueOf";
    var second = hint === "string" ? "valueOf" : "toString";
    var f = v[first], r;
    if (typeof f === "function") { r = f.call(v); if (!isObject(r)) return r; }
    f = v[second];
    if (typeof f === "function") { r = f.call(v); if (!isObject(r)) return r; }
    throw new TypeError("Cannot convert object to primitive value");
  }
  function toPropertyKey(k) { return isObject(k) ? "" + toPrimitive(k, "string") : k; }
  I.toPrimitive = toPrimitive;
  I.toPropertyKey = toPropertyKey;
  I.setHelper("binary", function (op, a, b) {
    if (op === "==" || op === "!=") {
      var eq = isObject(a) ? toPrimitive(a, "default") == b : a == toPrimitive(b, "default");
      return op === "==" ? eq : !eq;
    }
    var hint = op === "+" ? "default" : "number";
    a = toPrimitive(a, hint);
    b = toPrimitive(b, hint);
    switch (op) {
      case "+": return a + b;
      case "-": return a - b;
      case "*": return a * b;
      case "/": return a / b;
      case "%": return a % b;
      case "**": return a ** b;
      case "&": return a & b;
      case "|": return a | b;
      case "^": return a ^ b;
      case "<<": return a << b;
      case ">>": return a >> b;
      case ">>>": return a >>> b;
      case "<": return a < b;
      case ">": return a > b;
      case "<=": return a <= b;
      case ">=": return a >= b;
    }
    throw new TypeError("unknown operator " + op);
  });
  I.setHelper("unary", function (op, v) {
    v = toPrimitive(v, "number");
    if (op === "neg") return -v;
    if (op === "~") return ~v;
    return +v;
  });
  I.setHelper("toString", function (v) { return "" + (isObject(v) ? toPrimitive(v, "string") : v); });
  I.setHelper("toPropertyKey", toPropertyKey);
  I.setHelper("getElem", function (o, k) { return o[toPropertyKey(k)]; });
  I.setHelper("setElem", function (o, k, v) { o[toPropertyKey(k)] = v; return v; });
  I.setHelper("in", function (k, o) { return toPropertyKey(k) in o; });
  I.setHelper("deleteElem", function (o, k) { return delete o[toPropertyKey(k)]; });

  function hide(obj, name, f) { I.defineHidden(obj, name, f); }

  var console = {};
  hide(global, "console", console);
  hide(console, "log", function log() {
    var line = "";
    for (var i = 0; i < arguments.length; i++) { line += (i > 0 ? " " : "") + String(arguments[i]); }
    I.print(line);
  });
  I.joinSlow = function join(sep) {
    var o = Object(this);
    var n = I.toLength(o.length);
    var s = sep === undefined ? "," : String(sep);
    var out = "";
    for (var i = 0; i < n; i++) {
      if (i > 0) out += s;
      var e = o[i];
      if (e !== undefined && e !== null) out += String(e);
    }
    return out;
  };
"""#

/// Library functions that take callbacks (the builtins engineer extends this).
let preludeLibrary = #"""
  var AP = Array.prototype;
  function callable(f, what) { if (typeof f !== "function") throw new TypeError(String(f) + " is not a function"); }
  hide(AP, "toString", function toString() { return AP.join.call(this); });
  hide(AP, "forEach", function forEach(f, thisArg) {
    callable(f); var o = Object(this), n = I.toLength(o.length);
    for (var i = 0; i < n; i++) { if (i in o) f.call(thisArg, o[i], i, o); }
  });
  hide(AP, "map", function map(f, thisArg) {
    callable(f); var o = Object(this), n = I.toLength(o.length), r = new Array(n);
    for (var i = 0; i < n; i++) { if (i in o) r[i] = f.call(thisArg, o[i], i, o); }
    return r;
  });
  hide(AP, "filter", function filter(f, thisArg) {
    callable(f); var o = Object(this), n = I.toLength(o.length), r = [];
    for (var i = 0; i < n; i++) { if (i in o) { var v = o[i]; if (f.call(thisArg, v, i, o)) r.push(v); } }
    return r;
  });
  hide(AP, "some", function some(f, thisArg) {
    callable(f); var o = Object(this), n = I.toLength(o.length);
    for (var i = 0; i < n; i++) { if (i in o && f.call(thisArg, o[i], i, o)) return true; }
    return false;
  });
  hide(AP, "every", function every(f, thisArg) {
    callable(f); var o = Object(this), n = I.toLength(o.length);
    for (var i = 0; i < n; i++) { if (i in o && !f.call(thisArg, o[i], i, o)) return false; }
    return true;
  });
  hide(AP, "find", function find(f, thisArg) {
    callable(f); var o = Object(this), n = I.toLength(o.length);
    for (var i = 0; i < n; i++) { var v = o[i]; if (f.call(thisArg, v, i, o)) return v; }
    return undefined;
  });
  hide(AP, "findIndex", function findIndex(f, thisArg) {
    callable(f); var o = Object(this), n = I.toLength(o.length);
    for (var i = 0; i < n; i++) { if (f.call(thisArg, o[i], i, o)) return i; }
    return -1;
  });
  hide(AP, "reduce", function reduce(f, init) {
    callable(f); var o = Object(this), n = I.toLength(o.length), i = 0, acc;
    if (arguments.length > 1) acc = init; else {
      while (i < n && !(i in o)) i++;
      if (i >= n) throw new TypeError("Reduce of empty array with no initial value");
      acc = o[i++];
    }
    for (; i < n; i++) { if (i in o) acc = f(acc, o[i], i, o); }
    return acc;
  });
  hide(AP, "reduceRight", function reduceRight(f, init) {
    callable(f); var o = Object(this), n = I.toLength(o.length), i = n - 1, acc;
    if (arguments.length > 1) acc = init; else {
      while (i >= 0 && !(i in o)) i--;
      if (i < 0) throw new TypeError("Reduce of empty array with no initial value");
      acc = o[i--];
    }
    for (; i >= 0; i--) { if (i in o) acc = f(acc, o[i], i, o); }
    return acc;
  });
  function defaultCompare(a, b) {
    var x = String(a), y = String(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  hide(AP, "sort", function sort(cmp) {
    if (cmp !== undefined) callable(cmp);
    var o = Object(this), n = I.toLength(o.length), vals = [], undefs = 0, i;
    for (i = 0; i < n; i++) {
      if (i in o) { var v = o[i]; if (v === undefined) undefs++; else vals.push(v); }
    }
    var c = cmp === undefined ? defaultCompare : function (a, b) { var r = +cmp(a, b); return r !== r ? 0 : r; };
    // Stable merge sort (bottom-up), comparator calls are ordinary script calls.
    var m = vals.length, buf = new Array(m), width, lo, mid, hi, a, b, k;
    for (width = 1; width < m; width *= 2) {
      for (lo = 0; lo < m; lo += 2 * width) {
        mid = Math.min(lo + width, m); hi = Math.min(lo + 2 * width, m);
        a = lo; b = mid; k = lo;
        while (a < mid && b < hi) { if (c(vals[b], vals[a]) < 0) buf[k++] = vals[b++]; else buf[k++] = vals[a++]; }
        while (a < mid) buf[k++] = vals[a++];
        while (b < hi) buf[k++] = vals[b++];
      }
      var t = vals; vals = buf; buf = t;
    }
    for (i = 0; i < vals.length; i++) o[i] = vals[i];
    for (var j = 0; j < undefs; j++) o[i++] = undefined;
    for (; i < n; i++) delete o[i];
    return o;
  });
})($$I, globalThis);
"""#
