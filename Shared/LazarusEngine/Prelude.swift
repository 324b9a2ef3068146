import LazarusSyntax
import LazarusDigest

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

    nonisolated(unsafe) private static var linked: LinkedCode?

    /// The prelude's link-time data (built once per process, shared by every VM).
    static func linkedCode() throws -> LinkedCode {
        let unit = try compiled()
        lock.lock(); defer { lock.unlock() }
        if let l = linked { return l }
        let l = LinkedCode(unit)
        linked = l
        return l
    }

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
"""#

/// Library functions that take callbacks (the builtins engineer extends this).
let preludeLibrary = #"""
  // Array and String methods: Prelude+Arrays.swift.
})($$I, globalThis);
"""#
