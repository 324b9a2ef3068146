/// Prelude section for Object, Function, Error, JSON, Number, Math, Boolean and the global
/// functions. Spliced into the prelude's function body (it shares `I`, `global`, `hide`…).
///
/// The natives (Natives+Objects.swift, Natives+JSON.swift, …) handle plain data and
/// tail-call these functions whenever the spec runs script code: ToPrimitive of an object
/// argument (`I.recall`), getters on descriptor / source objects, setters on targets,
/// JSON replacers, revivers and toJSON methods. Originals are captured here, before any
/// script runs, so user code replacing `Object.keys` & co. does not change the library.
let preludeObjects = #"""
  var ODP = Object.defineProperty, ownKeys = I.ownKeys, isArrayFn = Array.isArray;
  function toStr(v) { return "" + (isObject(v) ? toPrimitive(v, "string") : v); }
  I.recall = function recall(f, t, kinds) {
    var a = [], n = arguments.length - 3, k = "-";
    for (var i = 0; i < n; i++) {
      if (i < kinds.length) k = kinds[i];
      var v = arguments[i + 3];
      if (isObject(v)) {
        if (k === "n") v = +toPrimitive(v, "number");
        else if (k === "s") v = toStr(v);
        else if (k === "k") v = toPropertyKey(v);
      }
      define(a, a.length, v);
    }
    return I.apply(f, t, a);
  };
  function toDescObj(d) {
    if (!isObject(d)) throw new TypeError("Property description must be an object: " + toStr(d));
    var r = I.nullObject();
    if ("enumerable" in d) r.enumerable = !!d.enumerable;
    if ("configurable" in d) r.configurable = !!d.configurable;
    if ("value" in d) r.value = d.value;
    if ("writable" in d) r.writable = !!d.writable;
    if ("get" in d) r.get = d.get;
    if ("set" in d) r.set = d.set;
    return r;
  }
  function arrayLengthDesc(o, k, desc) {
    // ArraySetLength: ToUint32(Desc.[[Value]]) and ToNumber(Desc.[[Value]]) both convert.
    if (k === "length" && isArrayFn(o) && isObject(desc.value)) {
      var newLen = +toPrimitive(desc.value, "number") >>> 0, numberLen = +toPrimitive(desc.value, "number");
      if (newLen !== numberLen) throw new RangeError("Invalid array length");
      desc.value = newLen;
    }
    return desc;
  }
  I.defineProperty = function defineProperty(o, k, d) { return ODP(o, k, arrayLengthDesc(o, k, toDescObj(d))); };
  I.defineProperties = function defineProperties(o, props) {
    if (props === undefined || props === null) throw new TypeError("Cannot convert undefined or null to object");
    var p = Object(props), keys = ownKeys(p), descs = [], i;
    for (i = 0; i < keys.length; i++) {
      if (I.isEnumerableOwn(p, keys[i])) define(descs, descs.length, toDescObj(p[keys[i]]));
      else define(descs, descs.length, undefined);
    }
    for (i = 0; i < keys.length; i++) { if (descs[i] !== undefined) ODP(o, keys[i], arrayLengthDesc(o, keys[i], descs[i])); }
    return o;
  };
  I.objectEntries = function entries(o, pairs) {
    var keys = ownKeys(o), r = [];
    for (var i = 0; i < keys.length; i++) {
      var k = keys[i];
      if (I.isEnumerableOwn(o, k)) { var v = o[k]; define(r, r.length, pairs ? [k, v] : v); }
    }
    return r;
  };
  I.assign = function assign(target) {
    for (var i = 1; i < arguments.length; i++) {
      var src = arguments[i];
      if (src === undefined || src === null) continue;
      var from = Object(src), keys = ownKeys(from);
      for (var j = 0; j < keys.length; j++) {
        var k = keys[j];
        if (I.isEnumerableOwn(from, k)) target[k] = from[k];
      }
    }
    return target;
  };
  I.errorToString = function toString() {
    var o = this;
    if (!isObject(o)) throw new TypeError("Error.prototype.toString requires that 'this' be an Object");
    var name = o.name;
    name = name === undefined ? "Error" : toStr(name);
    var msg = o.message;
    msg = msg === undefined ? "" : toStr(msg);
    if (name === "") return msg;
    if (msg === "") return name;
    return name + ": " + msg;
  };
  var hasOwnFn = Object.prototype.hasOwnProperty;
  I.applySlow = function (f, t, a) {
    if (a === undefined || a === null) return I.apply(f, t, []);
    if (!isObject(a)) throw new TypeError("CreateListFromArrayLike called on non-object");
    var n = I.toLength(a.length), list = [];
    for (var i = 0; i < n; i++) define(list, i, a[i]);
    return I.apply(f, t, list);
  };
  I.bindSlow = function bind(thisArg) {
    var target = this, args = [], L = 0;
    for (var i = 1; i < arguments.length; i++) define(args, args.length, arguments[i]);
    if (hasOwnFn.call(target, "length")) {
      var tl = target.length;
      if (typeof tl === "number") {
        if (tl === Infinity) L = Infinity;
        else if (tl === tl && tl !== -Infinity) { tl = tl - tl % 1; L = tl - args.length > 0 ? tl - args.length : 0; }
      }
    }
    var name = target.name;
    if (typeof name !== "string") name = "";
    return I.makeBound(target, thisArg, args, L, "bound " + name);
  };
  I.wrapNumber = function (v) { return I.wrapNumberPrimitive(+toPrimitive(v, "number")); };

  // JSON: the spec algorithms, for what the natives leave to script code.
  I.jsonRevive = function (result, reviver) {
    var root = {};
    I.createDataProperty(root, "", result);
    function walk(holder, name) {
      var val = holder[name];
      if (isObject(val)) {
        var keys, i, k, ne;
        if (isArrayFn(val)) {
          var len = I.toLength(val.length);
          for (i = 0; i < len; i++) {
            ne = walk(val, "" + i);
            if (ne === undefined) I.deleteProperty(val, "" + i); else I.createDataProperty(val, "" + i, ne);
          }
        } else {
          keys = ownKeys(val);
          var own = [];
          for (i = 0; i < keys.length; i++) { if (I.isEnumerableOwn(val, keys[i])) define(own, own.length, keys[i]); }
          for (i = 0; i < own.length; i++) {
            k = own[i];
            ne = walk(val, k);
            if (ne === undefined) I.deleteProperty(val, k); else I.createDataProperty(val, k, ne);
          }
        }
      }
      return reviver.call(holder, name, val);
    }
    return walk(root, "");
  };
  I.jsonStringify = function (value, replacer, space) {
    var stack = [], indent = "", gap = "", propertyList, replacerFn, i;
    if (typeof replacer === "function") replacerFn = replacer;
    else if (isArrayFn(replacer)) {
      propertyList = [];
      var rlen = I.toLength(replacer.length);
      for (i = 0; i < rlen; i++) {
        var v = replacer[i], item = undefined;
        if (typeof v === "string") item = v;
        else if (typeof v === "number") item = "" + v;
        else if (isObject(v)) { var c = I.classOf(v); if (c === "String" || c === "Number") item = toStr(v); }
        if (item !== undefined) {
          var dup = false;
          for (var j = 0; j < propertyList.length; j++) { if (propertyList[j] === item) { dup = true; break; } }
          if (!dup) define(propertyList, propertyList.length, item);
        }
      }
    }
    if (isObject(space)) {
      var sc = I.classOf(space);
      if (sc === "Number") space = +toPrimitive(space, "number"); else if (sc === "String") space = toStr(space);
    }
    if (typeof space === "number") {
      var n = space >= 10 ? 10 : space >= 1 ? space - space % 1 : 0;
      for (i = 0; i < n; i++) gap += " ";
    } else if (typeof space === "string") {
      for (i = 0; i < space.length && i < 10; i++) gap += space[i];
    }
    function ser(key, holder) {
      var value = holder[key];
      if (isObject(value)) {
        var toJSON = value.toJSON;
        if (typeof toJSON === "function") value = toJSON.call(value, key);
      }
      if (replacerFn !== undefined) value = replacerFn.call(holder, key, value);
      if (isObject(value)) {
        var c = I.classOf(value);
        if (c === "Number") value = +toPrimitive(value, "number");
        else if (c === "String") value = toStr(value);
        else if (c === "Boolean") value = I.unwrap(value);
      }
      if (value === null) return "null";
      if (value === true) return "true";
      if (value === false) return "false";
      if (typeof value === "string") return I.jsonQuote(value);
      if (typeof value === "number") return value === value && value !== Infinity && value !== -Infinity ? "" + value : "null";
      if (isObject(value) && typeof value !== "function") return isArrayFn(value) ? serArray(value) : serObject(value);
      return undefined;
    }
    function enter(value) {
      for (var s = 0; s < stack.length; s++) { if (stack[s] === value) throw new TypeError("Converting circular structure to JSON"); }
      define(stack, stack.length, value);
    }
    function wrap(partial, open, close, stepback) {
      if (partial.length === 0) return open + close;
      var out = open, p;
      if (gap === "") {
        for (p = 0; p < partial.length; p++) out += (p > 0 ? "," : "") + partial[p];
        return out + close;
      }
      for (p = 0; p < partial.length; p++) out += (p > 0 ? "," : "") + "\n" + indent + partial[p];
      return out + "\n" + stepback + close;
    }
    function serObject(value) {
      enter(value);
      var stepback = indent;
      indent += gap;
      var keys = propertyList, partial = [], k;
      if (keys === undefined) {
        var all = ownKeys(value);
        keys = [];
        for (k = 0; k < all.length; k++) { if (I.isEnumerableOwn(value, all[k])) define(keys, keys.length, all[k]); }
      }
      for (k = 0; k < keys.length; k++) {
        var str = ser(keys[k], value);
        if (str !== undefined) define(partial, partial.length, I.jsonQuote(keys[k]) + ":" + (gap !== "" ? " " : "") + str);
      }
      var r = wrap(partial, "{", "}", stepback);
      stack.length = stack.length - 1;
      indent = stepback;
      return r;
    }
    function serArray(value) {
      enter(value);
      var stepback = indent;
      indent += gap;
      var partial = [], len = I.toLength(value.length);
      for (var k = 0; k < len; k++) {
        var str = ser("" + k, value);
        define(partial, partial.length, str === undefined ? "null" : str);
      }
      var r = wrap(partial, "[", "]", stepback);
      stack.length = stack.length - 1;
      indent = stepback;
      return r;
    }
    var wrapper = {};
    I.createDataProperty(wrapper, "", value);
    return ser("", wrapper);
  };

  hide(Object.prototype, "toLocaleString", function toLocaleString() { return this.toString(); });
  function constant(o, name, v) { ODP(o, name, { value: v, writable: false, enumerable: false, configurable: false }); }
  constant(Math, "E", 2.718281828459045);
  constant(Math, "LN10", 2.302585092994046);
  constant(Math, "LN2", 0.6931471805599453);
  constant(Math, "LOG10E", 0.4342944819032518);
  constant(Math, "LOG2E", 1.4426950408889634);
  constant(Math, "PI", 3.141592653589793);
  constant(Math, "SQRT1_2", 0.7071067811865476);
  constant(Math, "SQRT2", 1.4142135623730951);
  constant(Number, "MAX_SAFE_INTEGER", 9007199254740991);
  constant(Number, "MIN_SAFE_INTEGER", -9007199254740991);
  constant(Number, "EPSILON", 2.220446049250313e-16);
  constant(Number, "MAX_VALUE", 1.7976931348623157e308);
  constant(Number, "MIN_VALUE", 5e-324);
  constant(Number, "NaN", NaN);
  constant(Number, "POSITIVE_INFINITY", Infinity);
  constant(Number, "NEGATIVE_INFINITY", -Infinity);
  hide(Number, "parseFloat", parseFloat);
  hide(Number, "parseInt", parseInt);
  ODP(Function.prototype, "length", { value: 0, configurable: true });
  ODP(Function.prototype, "name", { value: "", configurable: true });
  // %ThrowTypeError%: Function.prototype.caller / .arguments (AddRestrictedFunctionProperties).
  var thrower = function () { throw new TypeError("'caller', 'callee', and 'arguments' properties may not be accessed on strict mode functions or the arguments objects for calls to them"); };
  ODP(thrower, "length", { value: 0, writable: false, enumerable: false, configurable: false });
  ODP(thrower, "name", { value: "", writable: false, enumerable: false, configurable: false });
  Object.preventExtensions(thrower);
  ODP(Function.prototype, "caller", { get: thrower, set: thrower, enumerable: false, configurable: true });
  ODP(Function.prototype, "arguments", { get: thrower, set: thrower, enumerable: false, configurable: true });
  var errorCtors = [TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError];
  for (var ec = 0; ec < errorCtors.length; ec++) Object.setPrototypeOf(errorCtors[ec], Error);
"""#
