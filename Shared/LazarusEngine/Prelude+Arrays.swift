/// Prelude section for Array and String. Spliced into the prelude's function body (it
/// shares `I`, `global`, `hide`…).
///
/// Every Array method that takes a callback is here (so a host call inside the callback
/// suspends with no Swift frame live), plus the generic, spec-shaped versions of the
/// methods that have a native fast path (`I.arrayX`): the native handles plain dense
/// arrays of data and tail-calls these for array-likes, accessors, wrappers and objects
/// needing a user `toString`/`valueOf`.
let preludeArrays = #"""
  var AP = Array.prototype, SP = String.prototype, MAXLEN = 9007199254740991;
  function callable(f, what) {
    if (typeof f !== "function") throw new TypeError((what || String(f)) + " is not a function");
  }
  function toObj(v, m) {
    if (v === undefined || v === null) throw new TypeError(m + " called on null or undefined");
    return Object(v);
  }
  // An optional argument: `arguments[i]` past the end would read Object.prototype[i].
  function opt(a, i) { return a.length > i ? a[i] : undefined; }
  function lenOf(o) { return I.toLength(+o.length); }
  function toInt(v) {
    var n = +v;
    if (n !== n) return 0;
    if (n === Infinity || n === -Infinity) return n;
    return (n < 0 ? -Math.floor(-n) : Math.floor(n)) + 0;
  }
  function relIndex(v, len, dflt) {
    if (v === undefined) return dflt;
    var r = toInt(v);
    if (r < 0) { r += len; return r < 0 ? 0 : r; }
    return r > len ? len : r;
  }
  // skip(o, i, n): i is absent from o; the next index in (i, n) that may be present (n if
  // none). skip(o, i, -1): the previous one in (-1, i) (-1 if none). Plain arrays jump
  // over runs of holes natively; other objects step by one.
  var skip = I.arraySkipHoles;
  function isConstructor(C) { return I.arrayIsConstructor(C); }
  function thisStr(v, m) {
    if (v === undefined || v === null) throw new TypeError("String.prototype." + m + " called on null or undefined");
    return String(v);
  }
  var define = I.arrayCreateDataProperty;
  // ArraySpeciesCreate without Symbol.species: an array's `constructor` must be
  // undefined or an object (whose @@species is then undefined), and the length fit.
  function speciesCreate(o, n) {
    if (Array.isArray(o)) {
      var C = o.constructor;
      if (C !== undefined && !isObject(C)) throw new TypeError("object.constructor is not an object");
    }
    if (n > 4294967295) throw new RangeError("Invalid array length");
    return new Array(n);
  }
  function sameValueZero(a, b) { return a === b || (a !== a && b !== b); }

  // MARK: Array constructor functions
  hide(Array, "from", function from(items) {
    var mapFn = opt(arguments, 1), thisArg = opt(arguments, 2), mapping = mapFn !== undefined, C = this;
    if (mapping) callable(mapFn);
    var src, k, A, n, v;
    if (typeof items === "string") {
      src = [];
      for (k = 0; k < items.length; k++) {
        var c = items.charCodeAt(k);
        if (c >= 0xD800 && c <= 0xDBFF && k + 1 < items.length) {
          var d = items.charCodeAt(k + 1);
          if (d >= 0xDC00 && d <= 0xDFFF) { define(src, src.length, items.charAt(k) + items.charAt(k + 1)); k++; continue; }
        }
        define(src, src.length, items.charAt(k));
      }
      items = src;
    }
    var iterable = Array.isArray(items) || src !== undefined;
    var o = toObj(items, "Array.from");
    n = lenOf(o);
    A = isConstructor(C) ? (iterable ? new C() : new C(n)) : new Array(iterable ? 0 : n);
    for (k = 0; iterable ? k < o.length : k < n; k++) {
      v = o[k];
      define(A, k, mapping ? mapFn.call(thisArg, v, k) : v);
    }
    if (iterable) n = k;
    A.length = n;
    return A;
  });
  hide(Array, "of", function of() {
    var n = arguments.length, C = this;
    var A = isConstructor(C) ? new C(n) : new Array(n);
    for (var k = 0; k < n; k++) define(A, k, arguments[k]);
    A.length = n;
    return A;
  });

  // MARK: Generic versions of the native methods (called by the natives' slow paths)
  I.arrayPush = function push(x) {
    var o = toObj(this, "Array.prototype.push"), n = lenOf(o), c = arguments.length;
    if (n + c > MAXLEN) throw new TypeError("Pushing " + c + " elements on an array-like of length " + n + " is disallowed");
    for (var i = 0; i < c; i++) o[n + i] = arguments[i];
    o.length = n + c;
    return n + c;
  };
  I.arrayPop = function pop() {
    var o = toObj(this, "Array.prototype.pop"), n = lenOf(o);
    if (n === 0) { o.length = 0; return undefined; }
    var i = n - 1, e = o[i];
    delete o[i];
    o.length = i;
    return e;
  };
  I.arrayShift = function shift() {
    var o = toObj(this, "Array.prototype.shift"), n = lenOf(o);
    if (n === 0) { o.length = 0; return undefined; }
    var first = o[0];
    for (var k = 1; k < n; k++) {
      if (k in o) o[k - 1] = o[k]; else delete o[k - 1];
    }
    delete o[n - 1];
    o.length = n - 1;
    return first;
  };
  I.arrayUnshift = function unshift(x) {
    var o = toObj(this, "Array.prototype.unshift"), n = lenOf(o), c = arguments.length, k;
    if (c > 0) {
      if (n + c > MAXLEN) throw new TypeError("Unshift on an array-like of length " + n + " is disallowed");
      for (k = n; k > 0; k--) {
        if ((k - 1) in o) o[k + c - 1] = o[k - 1]; else delete o[k + c - 1];
      }
      for (k = 0; k < c; k++) o[k] = arguments[k];
    }
    o.length = n + c;
    return n + c;
  };
  I.arrayReverse = function reverse() {
    var o = toObj(this, "Array.prototype.reverse"), n = lenOf(o), mid = Math.floor(n / 2);
    for (var lo = 0; lo < mid; lo++) {
      var hi = n - lo - 1, lowExists = lo in o, lowValue, highValue;
      if (lowExists) lowValue = o[lo];
      var highExists = hi in o;
      if (highExists) highValue = o[hi];
      if (lowExists && highExists) { o[lo] = highValue; o[hi] = lowValue; }
      else if (highExists) { o[lo] = highValue; delete o[hi]; }
      else if (lowExists) { delete o[lo]; o[hi] = lowValue; }
    }
    return o;
  };
  I.arraySlice = function slice(start, end) {
    var o = toObj(this, "Array.prototype.slice"), n = lenOf(o);
    var k = relIndex(start, n, 0), fin = relIndex(end, n, n), i = 0;
    var A = speciesCreate(o, fin > k ? fin - k : 0);
    for (; k < fin; k++, i++) { if (k in o) define(A, i, o[k]); }
    A.length = i;
    return A;
  };
  I.arraySplice = function splice(start, deleteCount) {
    var o = toObj(this, "Array.prototype.splice"), n = lenOf(o), argc = arguments.length;
    var s = relIndex(start, n, 0), dc, k;
    if (argc === 0) dc = 0;
    else if (argc === 1) dc = n - s;
    else { dc = toInt(deleteCount); dc = dc < 0 ? 0 : dc > n - s ? n - s : dc; }
    var items = argc > 2 ? argc - 2 : 0;
    if (n + items - dc > MAXLEN) throw new TypeError("Invalid array length");
    var A = speciesCreate(o, dc);
    for (k = 0; k < dc; k++) { if ((s + k) in o) define(A, k, o[s + k]); }
    A.length = dc;
    if (items < dc) {
      for (k = s; k < n - dc; k++) {
        if ((k + dc) in o) o[k + items] = o[k + dc]; else delete o[k + items];
      }
      for (k = n; k > n - dc + items; k--) delete o[k - 1];
    } else if (items > dc) {
      for (k = n - dc; k > s; k--) {
        if ((k + dc - 1) in o) o[k + items - 1] = o[k + dc - 1]; else delete o[k + items - 1];
      }
    }
    for (k = 0; k < items; k++) o[s + k] = arguments[k + 2];
    o.length = n - dc + items;
    return A;
  };
  I.arrayConcat = function concat(x) {
    var o = toObj(this, "Array.prototype.concat"), A = speciesCreate(o, 0), n = 0;
    for (var a = -1; a < arguments.length; a++) {
      var E = a < 0 ? o : arguments[a];
      if (Array.isArray(E)) {
        var len = lenOf(E);
        if (n + len > MAXLEN) throw new TypeError("Invalid array length");
        for (var k = 0; k < len; k++, n++) { if (k in E) define(A, n, E[k]); }
      } else {
        if (n >= MAXLEN) throw new TypeError("Invalid array length");
        define(A, n++, E);
      }
    }
    A.length = n;
    return A;
  };
  I.arrayIndexOf = function indexOf(x) {
    var o = toObj(this, "Array.prototype.indexOf"), n = lenOf(o);
    if (n === 0) return -1;
    var k = toInt(opt(arguments, 1));
    if (k >= n) return -1;
    if (k < 0) { k += n; if (k < 0) k = 0; }
    for (; k < n; k++) { if (k in o && o[k] === x) return k; }
    return -1;
  };
  I.arrayLastIndexOf = function lastIndexOf(x) {
    var o = toObj(this, "Array.prototype.lastIndexOf"), n = lenOf(o);
    if (n === 0) return -1;
    var k = arguments.length > 1 ? toInt(arguments[1]) : n - 1;
    k = k >= 0 ? (k < n - 1 ? k : n - 1) : n + k;
    for (; k >= 0; k--) { if (k in o && o[k] === x) return k; }
    return -1;
  };
  I.arrayIncludes = function includes(x) {
    var o = toObj(this, "Array.prototype.includes"), n = lenOf(o);
    if (n === 0) return false;
    var k = toInt(opt(arguments, 1));
    if (k < 0) { k += n; if (k < 0) k = 0; }
    for (; k < n; k++) { if (sameValueZero(o[k], x)) return true; }
    return false;
  };
  I.arrayFill = function fill(value) {
    var o = toObj(this, "Array.prototype.fill"), n = lenOf(o);
    var k = relIndex(opt(arguments, 1), n, 0), fin = relIndex(opt(arguments, 2), n, n);
    for (; k < fin; k++) o[k] = value;
    return o;
  };
  I.arraySort = function sort(cmp) {
    if (cmp !== undefined) callable(cmp, "The comparison function");
    var o = toObj(this, "Array.prototype.sort");
    return sortIndexed(o, cmp);
  };
  I.joinSlow = function join(sep) {
    var o = toObj(this, "Array.prototype.join"), n = lenOf(o);
    var s = sep === undefined ? "," : String(sep), out = "";
    for (var i = 0; i < n; i++) {
      if (i > 0) out += s;
      var e = o[i];
      if (e !== undefined && e !== null) out += String(e);
    }
    return out;
  };

  // MARK: Sorting
  function defaultCompare(a, b) {
    var x = String(a), y = String(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  function sortIndexed(o, cmp) {
    var n = lenOf(o), vals = [], undefs = 0, i, v;
    for (i = 0; i < n; i++) {
      if (i in o) { v = o[i]; if (v === undefined) undefs++; else define(vals, vals.length, v); }
      else i = skip(o, i, n) - 1;
    }
    var m = vals.length;
    if (m > 1) {
      var c = cmp === undefined ? defaultCompare : cmp;
      // Stable merge sort (bottom-up); comparator calls are ordinary script calls.
      var buf = new Array(m), width, lo, mid, hi, a, b, k, r, t;
      for (width = 1; width < m; width *= 2) {
        for (lo = 0; lo < m; lo += 2 * width) {
          mid = lo + width; if (mid > m) mid = m;
          hi = lo + 2 * width; if (hi > m) hi = m;
          a = lo; b = mid; k = lo;
          while (a < mid && b < hi) {
            r = +c(vals[b], vals[a]);
            if (r < 0) define(buf, k++, vals[b++]); else define(buf, k++, vals[a++]);
          }
          while (a < mid) define(buf, k++, vals[a++]);
          while (b < hi) define(buf, k++, vals[b++]);
        }
        t = vals; vals = buf; buf = t;
      }
    }
    for (i = 0; i < m; i++) o[i] = vals[i];
    for (var j = 0; j < undefs; j++) o[i++] = undefined;
    for (; i < n; i++) delete o[i];
    return o;
  }

  // MARK: Methods written in JS (callbacks, user conversions)
  hide(AP, "toString", function toString() {
    var o = toObj(this, "Array.prototype.toString"), f = o.join;
    if (typeof f !== "function") return global.Object.prototype.toString.call(o);
    return f.call(o);
  });
  hide(AP, "toLocaleString", function toLocaleString() {
    var o = toObj(this, "Array.prototype.toLocaleString"), n = lenOf(o), out = "";
    for (var i = 0; i < n; i++) {
      if (i > 0) out += ",";
      var e = o[i];
      if (e !== undefined && e !== null) {
        var f = e.toLocaleString;
        callable(f, "toLocaleString");
        out += String(f.call(e));
      }
    }
    return out;
  });
  hide(AP, "forEach", function forEach(f) {
    var o = toObj(this, "Array.prototype.forEach"), n = lenOf(o), t = opt(arguments, 1);
    callable(f);
    if (t === undefined) { for (var i = 0; i < n; i++) { if (i in o) f(o[i], i, o); else i = skip(o, i, n) - 1; } }
    else { for (var j = 0; j < n; j++) { if (j in o) f.call(t, o[j], j, o); else j = skip(o, j, n) - 1; } }
  });
  hide(AP, "map", function map(f) {
    var o = toObj(this, "Array.prototype.map"), n = lenOf(o), t = opt(arguments, 1);
    callable(f);
    var r = speciesCreate(o, n);
    if (t === undefined) { for (var i = 0; i < n; i++) { if (i in o) define(r, i, f(o[i], i, o)); else i = skip(o, i, n) - 1; } }
    else { for (var j = 0; j < n; j++) { if (j in o) define(r, j, f.call(t, o[j], j, o)); else j = skip(o, j, n) - 1; } }
    return r;
  });
  hide(AP, "filter", function filter(f) {
    var o = toObj(this, "Array.prototype.filter"), n = lenOf(o), t = opt(arguments, 1), j = 0;
    callable(f);
    var r = speciesCreate(o, 0);
    for (var i = 0; i < n; i++) {
      if (i in o) { var v = o[i]; if (t === undefined ? f(v, i, o) : f.call(t, v, i, o)) define(r, j++, v); }
      else i = skip(o, i, n) - 1;
    }
    return r;
  });
  hide(AP, "some", function some(f) {
    var o = toObj(this, "Array.prototype.some"), n = lenOf(o), t = opt(arguments, 1);
    callable(f);
    for (var i = 0; i < n; i++) {
      if (!(i in o)) i = skip(o, i, n) - 1;
      else if (t === undefined ? f(o[i], i, o) : f.call(t, o[i], i, o)) return true;
    }
    return false;
  });
  hide(AP, "every", function every(f) {
    var o = toObj(this, "Array.prototype.every"), n = lenOf(o), t = opt(arguments, 1);
    callable(f);
    for (var i = 0; i < n; i++) {
      if (!(i in o)) i = skip(o, i, n) - 1;
      else if (!(t === undefined ? f(o[i], i, o) : f.call(t, o[i], i, o))) return false;
    }
    return true;
  });
  hide(AP, "find", function find(f) {
    var o = toObj(this, "Array.prototype.find"), n = lenOf(o), t = opt(arguments, 1);
    callable(f);
    for (var i = 0; i < n; i++) { var v = o[i]; if (t === undefined ? f(v, i, o) : f.call(t, v, i, o)) return v; }
    return undefined;
  });
  hide(AP, "findIndex", function findIndex(f) {
    var o = toObj(this, "Array.prototype.findIndex"), n = lenOf(o), t = opt(arguments, 1);
    callable(f);
    for (var i = 0; i < n; i++) { if (t === undefined ? f(o[i], i, o) : f.call(t, o[i], i, o)) return i; }
    return -1;
  });
  hide(AP, "reduce", function reduce(f) {
    var o = toObj(this, "Array.prototype.reduce"), n = lenOf(o), i = 0, acc;
    callable(f);
    if (arguments.length > 1) acc = arguments[1];
    else {
      while (i < n && !(i in o)) i = skip(o, i, n);
      if (i >= n) throw new TypeError("Reduce of empty array with no initial value");
      acc = o[i++];
    }
    for (; i < n; i++) { if (i in o) acc = f(acc, o[i], i, o); else i = skip(o, i, n) - 1; }
    return acc;
  });
  hide(AP, "reduceRight", function reduceRight(f) {
    var o = toObj(this, "Array.prototype.reduceRight"), n = lenOf(o), i = n - 1, acc;
    callable(f);
    if (arguments.length > 1) acc = arguments[1];
    else {
      while (i >= 0 && !(i in o)) i = skip(o, i, -1);
      if (i < 0) throw new TypeError("Reduce of empty array with no initial value");
      acc = o[i--];
    }
    for (; i >= 0; i--) { if (i in o) acc = f(acc, o[i], i, o); else i = skip(o, i, -1) + 1; }
    return acc;
  });
  hide(AP, "copyWithin", function copyWithin(target, start) {
    var o = toObj(this, "Array.prototype.copyWithin"), n = lenOf(o);
    var to = relIndex(target, n, 0), from = relIndex(start, n, 0), fin = relIndex(opt(arguments, 2), n, n);
    var count = Math.min(fin - from, n - to), dir = 1;
    if (from < to && to < from + count) { dir = -1; from += count - 1; to += count - 1; }
    for (; count > 0; count--, from += dir, to += dir) {
      if (from in o) o[to] = o[from]; else delete o[to];
    }
    return o;
  });

  // FlattenIntoArray (ES2019): depth levels of nested arrays, holes skipped.
  function flattenInto(A, n, src, len, depth, f, t) {
    for (var k = 0; k < len; k++) {
      if (!(k in src)) { k = skip(src, k, len) - 1; continue; }
      var e = src[k];
      if (f !== undefined) e = f.call(t, e, k, src);
      if (depth > 0 && Array.isArray(e)) {
        n = flattenInto(A, n, e, lenOf(e), depth - 1);
      } else {
        if (n >= MAXLEN) throw new TypeError("Invalid array length");
        define(A, n++, e);
      }
    }
    return n;
  }
  hide(AP, "flat", function flat() {
    var o = toObj(this, "Array.prototype.flat"), n = lenOf(o), d = opt(arguments, 0);
    var depth = d === undefined ? 1 : toInt(d);
    var A = speciesCreate(o, 0);
    flattenInto(A, 0, o, n, depth < 0 ? 0 : depth);
    return A;
  });
  hide(AP, "flatMap", function flatMap(f) {
    var o = toObj(this, "Array.prototype.flatMap"), n = lenOf(o);
    callable(f);
    var A = speciesCreate(o, 0);
    flattenInto(A, 0, o, n, 1, f, opt(arguments, 1));
    return A;
  });

  // Array iterators (keys/values/entries): objects with a `next` method. Iteration
  // protocols (Symbol.iterator) are not in version 1; for…of over arrays is the VM's.
  var arrayIteratorProto = {};
  hide(arrayIteratorProto, "next", function next() {
    var it = this, o = it === undefined || it === null ? undefined : it.$$iterated;
    if (!isObject(it) || !("$$kind" in it)) throw new TypeError("next method called on an incompatible receiver");
    if (o === undefined) return { value: undefined, done: true };
    var i = it.$$next;
    if (i >= lenOf(o)) { I.defineHidden(it, "$$iterated", undefined); return { value: undefined, done: true }; }
    I.defineHidden(it, "$$next", i + 1);
    var kind = it.$$kind;
    return { value: kind === "keys" ? i : kind === "values" ? o[i] : [i, o[i]], done: false };
  });
  function arrayIterator(o, kind) {
    var it = Object.create(arrayIteratorProto);
    I.defineHidden(it, "$$iterated", o);
    I.defineHidden(it, "$$next", 0);
    I.defineHidden(it, "$$kind", kind);
    return it;
  }
  hide(AP, "keys", function keys() { return arrayIterator(toObj(this, "Array.prototype.keys"), "keys"); });
  hide(AP, "values", function values() { return arrayIterator(toObj(this, "Array.prototype.values"), "values"); });
  hide(AP, "entries", function entries() { return arrayIterator(toObj(this, "Array.prototype.entries"), "entries"); });

  // MARK: String methods written in JS
  // Natives whose arguments need a user conversion (an object with toString/valueOf, or
  // an object `this`) call I.stringSlow(name, …args) with the native's `this`: it converts
  // in spec order (this, then each argument by its kind) and calls the native again with
  // primitives only. Kinds: "s" ToString, "n" ToNumber, "-" unchanged.
  var strNat = {}, strKinds = {
    charAt: "n", charCodeAt: "n", codePointAt: "n", at: "n", indexOf: "sn", lastIndexOf: "sn",
    includes: "sn", startsWith: "sn", endsWith: "sn", slice: "nn", substring: "nn", substr: "nn",
    split: "sn", padStart: "ns", padEnd: "ns", repeat: "n", localeCompare: "s", normalize: "s",
    concat: "*", toLowerCase: "", toUpperCase: "", toLocaleLowerCase: "", toLocaleUpperCase: "",
    trim: "", trimStart: "", trimEnd: ""
  };
  for (var sk in strKinds) strNat[sk] = SP[sk];
  I.stringNew = function (v) { return Object(String(v)); };
  I.stringSlow = function (name) {
    var s = thisStr(this, name);
    var kinds = strKinds[name], args = [];
    // split converts its limit before its separator.
    if (name === "split" && arguments.length > 2 && isObject(arguments[2])) return strNat.split.call(s, arguments[1], +arguments[2]);
    for (var i = 1; i < arguments.length; i++) {
      var a = arguments[i], k = kinds === "*" ? "s" : kinds.charAt(i - 1);
      if (typeof a === "object" && a !== null || typeof a === "function") {
        if (k === "s") a = String(a); else if (k === "n") a = +a;
      }
      define(args, args.length, a);
    }
    return strNat[name].apply(s, args);
  };
  function getSubstitution(matched, str, position, replacement) {
    var out = "", m = matched.length, tail = position + m, i = 0, n = replacement.length;
    for (;;) {
      var j = replacement.indexOf("$", i);
      if (j < 0 || j + 1 >= n) break;
      out += replacement.slice(i, j);
      var c = replacement.charAt(j + 1);
      if (c === "$") { out += "$"; i = j + 2; }
      else if (c === "&") { out += matched; i = j + 2; }
      else if (c === "`") { out += str.slice(0, position); i = j + 2; }
      else if (c === "'") { out += str.slice(tail); i = j + 2; }
      else { out += "$"; i = j + 1; }
    }
    return out + replacement.slice(i);
  }
  // match/search: RegExp is not in version 1, so the pattern is matched literally
  // (ToString of the argument, undefined = the empty pattern).
  function literalPattern(p) { return p === undefined ? "" : String(p); }
  hide(SP, "match", function match(regexp) {
    var s = thisStr(this, "match"), p = literalPattern(regexp), i = s.indexOf(p);
    if (i < 0) return null;
    var r = [p];
    r.index = i; r.input = s; r.groups = undefined;
    return r;
  });
  hide(SP, "search", function search(regexp) {
    var s = thisStr(this, "search");
    return s.indexOf(literalPattern(regexp));
  });
  hide(SP, "replace", function replace(searchValue, replaceValue) {
    var s = thisStr(this, "replace");
    var search = String(searchValue), fn = typeof replaceValue === "function";
    if (!fn) replaceValue = String(replaceValue);
    var pos = s.indexOf(search);
    if (pos < 0) return s;
    var rep = fn ? String(replaceValue.call(undefined, search, pos, s)) : getSubstitution(search, s, pos, replaceValue);
    return s.slice(0, pos) + rep + s.slice(pos + search.length);
  });
  hide(SP, "replaceAll", function replaceAll(searchValue, replaceValue) {
    var s = thisStr(this, "replaceAll");
    var search = String(searchValue), fn = typeof replaceValue === "function";
    if (!fn) replaceValue = String(replaceValue);
    var adv = search.length > 0 ? search.length : 1, positions = [], p = s.indexOf(search, 0);
    while (p >= 0) {
      define(positions, positions.length, p);
      if (p + adv > s.length) break;
      p = s.indexOf(search, p + adv);
    }
    var end = 0, out = "";
    for (var i = 0; i < positions.length; i++) {
      p = positions[i];
      var rep = fn ? String(replaceValue.call(undefined, search, p, s)) : getSubstitution(search, s, p, replaceValue);
      out += s.slice(end, p) + rep;
      end = p + search.length;
    }
    return end < s.length ? out + s.slice(end) : out;
  });
  var fromCharCodeNat = String.fromCharCode, fromCodePointNat = String.fromCodePoint;
  I.stringFromCodesSlow = function (points) {
    var a = [];
    for (var i = 1; i < arguments.length; i++) define(a, a.length, +arguments[i]);
    return (points ? fromCodePointNat : fromCharCodeNat).apply(undefined, a);
  };
  hide(String, "raw", function raw(template) {
    var cooked = toObj(template, "String.raw"), r = toObj(cooked.raw, "String.raw");
    var n = lenOf(r), out = "";
    for (var i = 0; i < n; i++) {
      out += String(r[i]);
      if (i + 1 < n && i + 1 < arguments.length) out += String(arguments[i + 1]);
    }
    return out;
  });
"""#
