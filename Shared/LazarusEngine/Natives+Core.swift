import Foundation

// MARK: - Core natives: the minimum the engine and its tests need.
// The full library (Object/Array/String/Number/Math/JSON…) lives in Natives+Builtins*.swift
// and the prelude; see docs/ENGINE.md for how to add to it.

extension VM {
    /// ToIntegerOrInfinity for primitives.
    public func toIntegerPrimitive(_ v: Value) -> Double {
        let d = toNumberPrimitive(v)
        if d.isNaN { return 0 }
        if d.isInfinite { return d }
        return d.rounded(.towardZero) + 0
    }

    /// Relative index helper used by slice-like methods.
    public func relativeIndex(_ v: Value, length: Int, default def: Int) -> Int {
        if v.isUndefined { return def }
        let d = toIntegerPrimitive(v)
        if d < 0 { return max(0, length + Int(max(d, -Double(length)))) }
        return Int(min(d, Double(length)))
    }

    /// Elements of an array-like (arrays, arguments; other objects by `length` and indices, data only).
    public func arrayLikeValues(_ v: Value) throws -> [Value] {
        switch v {
        case .undefined, .null: return []
        case .object(let o):
            let cls = heap.objects[o.index].cls
            if cls == .array || cls == .arguments { return heap.objects[o.index].elements.map { $0.isEmpty ? .undefined : $0 } }
            let n = Int(max(0, min(toIntegerPrimitive(getData(o, atom: atoms.length)), Double(limits.maxArrayLength))))
            return (0..<n).map { getData(o, atom: indexAtom($0)) }
        default:
            throw typeError("CreateListFromArrayLike called on non-object")
        }
    }

    func classTag(_ v: Value) -> String {
        switch v {
        case .undefined, .empty: return "Undefined"
        case .null: return "Null"
        case .bool: return "Boolean"
        case .number: return "Number"
        case .string: return "String"
        case .object(let o):
            switch heap.objects[o.index].cls {
            case .array: return "Array"
            case .closure, .native, .bound: return "Function"
            case .error: return "Error"
            case .booleanWrapper: return "Boolean"
            case .numberWrapper: return "Number"
            case .stringWrapper: return "String"
            case .arguments: return "Arguments"
            case .ordinary:
                // Builtin namespace objects (Math, JSON) carry their tag in slot0 (Realm.swift).
                if case .string(let tag) = heap.objects[o.index].slot0 { return heap.string(tag) }
                return "Object"
            default: return "Object"
            }
        }
    }

    /// Emits one console line according to `consoleMode`.
    func consoleLine(_ line: String) -> NativeResult {
        switch consoleMode {
        case .buffer: output.append(line); return .value(.undefined)
        case .direct(let f): f(line); return .value(.undefined)
        case .hostCall: return .hostCall(name: "log", arguments: [.string(heap.allocateString(line))])
        }
    }

    func errorConstructor(_ name: String) -> NativeFunction {
        return { vm, this, args in
            let msg = args[0]
            if case .object = msg { return vm.recall(args, this, "s") }
            var text = ""
            if !msg.isUndefined { text = vm.toSwiftString(msg) }
            let e = vm.makeError(name, text)
            if case .object(let o) = e, text.isEmpty, !msg.isUndefined { vm.defineOwn(o, vm.atoms.message, .string(vm.atoms.empty), .hidden) }
            if case .object(let o) = e, case .object(let nt) = vm.newTarget,
               case .value(.object(let p)) = vm.getProperty(nt, vm.atoms.prototype) {
                vm.heap.objects[o.index].proto = p
            }
            return .value(e)
        }
    }

    func functionSource(_ f: ObjectID) -> String {
        switch heap.objects[f.index].cls {
        case .closure:
            let code = Int(heap.objects[f.index].code)
            let lf = functions[code]
            let u = units[lf.unit]
            let fc = u.unit.functions[code - u.functionBase]
            if lf.unit == VM.preludeUnitIndex { return "function \(fc.name)() { [native code] }" }
            let src = Array(u.unit.source.utf16)
            let lo = max(0, min(Int(fc.sourceStart), src.count)), hi = max(lo, min(Int(fc.sourceEnd), src.count))
            return String(decoding: src[lo..<hi], as: UTF16.self)
        case .native:
            let name = Natives.table[Int(heap.objects[f.index].code)].name.split(separator: ".").last.map(String.init) ?? ""
            return "function \(name)() { [native code] }"
        default:
            return "function () { [native code] }"
        }
    }
}

extension Natives {
    static var coreNatives: [NativeEntry] {
        [
            NativeEntry("%noop") { _, _, _ in .value(.undefined) },
            NativeEntry("%print", length: 1) { vm, _, args in vm.consoleLine(vm.toSwiftString(args[0])) },
            NativeEntry("%setHelper", length: 2) { vm, _, args in
                guard case .string(let s) = args[0], let h = Intrinsic.helperNames[vm.heap.string(s)], case .object(let f) = args[1] else {
                    throw vm.typeError("setHelper: unknown helper")
                }
                vm.realm[h.rawValue] = f
                return .value(.undefined)
            },
            NativeEntry("%defineHidden", length: 3) { vm, _, args in
                guard case .object(let o) = args[0] else { throw vm.typeError("defineHidden: not an object") }
                // Builtin methods are not constructors (no `prototype`, `new` throws).
                if case .object(let f) = args[2], vm.heap.objects[f.index].cls == .closure { vm.heap.objects[f.index].flags.remove(.constructor) }
                vm.defineOwn(o, vm.toPropertyKeyPrimitive(args[1]), args[2], .hidden)
                return .value(.undefined)
            },
            NativeEntry("%isCallable", length: 1) { vm, _, args in .value(.bool(vm.isCallable(args[0]))) },
            NativeEntry("%toLength", length: 1) { vm, _, args in
                let d = vm.toIntegerPrimitive(args[0])
                return .value(.number(max(0, min(d, 9007199254740991))))
            },

            // MARK: constructors
            NativeEntry("Object", length: 1, constructor: true, prototype: .objectPrototype) { vm, _, args in
                let v = args[0]
                if v.isNullish { return .value(.object(vm.newObject())) }
                return .value(.object(try vm.toObject(v)))
            },
            NativeEntry("Function", length: 1, constructor: true, prototype: .functionPrototype) { vm, _, _ in
                throw vm.error("EvalError", "Function constructor is not supported in Lazarus scripts")
            },
            NativeEntry("Array", length: 1, constructor: true, prototype: .arrayPrototype) { vm, _, args in
                if args.count == 1, case .number(let d) = args[0] {
                    guard d >= 0, d == d.rounded(), d < 4294967296 else { throw vm.rangeError("Invalid array length") }
                    if Int(d) > vm.limits.maxArrayLength { throw vm.rangeError("Invalid array length") }
                    return .value(.object(vm.newArray(Array(repeating: .empty, count: Int(d)))))
                }
                return .value(.object(vm.newArray(args.array)))
            },
            NativeEntry("String", length: 1, constructor: true, prototype: .stringPrototype) { vm, _, args in
                let v = args.count == 0 ? Value.string(vm.atoms.empty) : args[0]
                if vm.newTarget.isUndefined {
                    if case .object = v { return .call(function: .object(vm.intrinsic(.helperToString)), this: .undefined, arguments: [v]) }
                    return .value(.string(vm.toStringPrimitive(v)))
                }
                // `new String(object)`: ToString may run user code (Prelude+Arrays.swift).
                if case .object = v { return .call(function: .object(vm.intrinsicHelper("stringNew")), this: .undefined, arguments: [v]) }
                return .value(.object(try vm.toObject(.string(vm.toStringPrimitive(v)))))
            },
            NativeEntry("Number", length: 1, constructor: true, prototype: .numberPrototype) { vm, _, args in
                let v = args.count == 0 ? Value.number(0) : args[0]
                if vm.newTarget.isUndefined {
                    if case .object = v {
                        return .call(function: .object(vm.intrinsic(.helperUnary)), this: .undefined, arguments: [.string(vm.heap.intern("plus")), v])
                    }
                    return .value(.number(vm.toNumberPrimitive(v)))
                }
                if case .object = v { return vm.callPrelude("wrapNumber", [v]) }
                return .value(.object(try vm.toObject(.number(vm.toNumberPrimitive(v)))))
            },
            NativeEntry("Boolean", length: 1, constructor: true, prototype: .booleanPrototype) { vm, _, args in
                let b = Value.bool(vm.toBoolean(args[0]))
                return .value(vm.newTarget.isUndefined ? b : .object(try vm.toObject(b)))
            },
        ]
        + ["Error", "TypeError", "RangeError", "ReferenceError", "SyntaxError", "EvalError", "URIError"].map { name in
            NativeEntry(name, length: 1, constructor: true, prototype: Intrinsic.errorPrototype(named: name)) { vm, this, args in
                try vm.errorConstructor(name)(vm, this, args)
            }
        }
        + [
            // MARK: Object.prototype
            NativeEntry("Object.prototype.toString") { vm, this, _ in
                .value(vm.newString("[object \(vm.classTag(this))]"))
            },
            NativeEntry("Object.prototype.valueOf") { vm, this, _ in .value(.object(try vm.toObject(this))) },
            NativeEntry("Object.prototype.hasOwnProperty", length: 1) { vm, this, args in
                if case .object = args[0] { return vm.recall(args, this, "k") }
                let key = vm.toPropertyKeyPrimitive(args[0])
                let o = try vm.toObject(this)
                return .value(.bool(vm.getOwnProperty(o, key) != nil))
            },
            NativeEntry("Object.prototype.isPrototypeOf", length: 1) { vm, this, args in
                guard case .object(let v) = args[0] else { return .value(.false) }
                let o = try vm.toObject(this)
                var p = vm.heap.objects[v.index].proto
                while !p.isNone { if p == o { return .value(.true) }; p = vm.heap.objects[p.index].proto }
                return .value(.false)
            },
            NativeEntry("Object.prototype.propertyIsEnumerable", length: 1) { vm, this, args in
                if case .object = args[0] { return vm.recall(args, this, "k") }
                let key = vm.toPropertyKeyPrimitive(args[0])
                let o = try vm.toObject(this)
                return .value(.bool(vm.getOwnProperty(o, key)?.1.contains(.enumerable) ?? false))
            },
            // MARK: Function.prototype
            NativeEntry("Function.prototype.call", length: 1) { vm, this, args in
                guard vm.isCallable(this) else { throw vm.typeError("Function.prototype.call called on non-function") }
                return .call(function: this, this: args[0], arguments: args.dropFirst(1))
            },
            NativeEntry("Function.prototype.apply", length: 2) { vm, this, args in
                guard vm.isCallable(this) else { throw vm.typeError("Function.prototype.apply called on non-function") }
                if vm.arrayLikeNeedsScript(args[1]) { return vm.callPrelude("applySlow", [this, args[0], args[1]]) }
                return .call(function: this, this: args[0], arguments: try vm.arrayLikeValues(args[1]))
            },
            NativeEntry("Function.prototype.bind", length: 1) { vm, this, args in
                guard case .object(let target) = this, vm.isCallable(target) else { throw vm.typeError("Bind must be called on a function") }
                if vm.hasAccessorInChain(target, vm.atoms.length) || vm.hasAccessorInChain(target, vm.atoms.name) {
                    return vm.callPrelude("bindSlow", this: this, args.array)   // getters: Prelude+Objects.swift
                }
                var b = JSObject(cls: .bound, proto: vm.heap.objects[target.index].proto)
                b.link = target
                b.slot0 = args[0]
                b.elements = args.dropFirst(1)
                if vm.heap.objects[target.index].flags.contains(.constructor) || vm.heap.objects[target.index].cls == .native {
                    b.flags.insert(.constructor)
                }
                let id = vm.heap.allocate(b)
                var boundLen = 0.0
                if vm.getOwnProperty(target, vm.atoms.length) != nil, case .number(let l) = vm.getData(target, atom: vm.atoms.length) {
                    boundLen = l == .infinity ? l : max(0, vm.toIntegerPrimitive(.number(l)) - Double(max(0, args.count - 1)))
                }
                vm.defineOwn(id, vm.atoms.length, .number(boundLen), [.configurable])
                let tn = vm.getData(target, atom: vm.atoms.name)
                vm.defineOwn(id, vm.atoms.name, vm.newString("bound " + (tn.asString.map { vm.heap.string($0) } ?? "")), [.configurable])
                return .value(.object(id))
            },
            NativeEntry("Function.prototype.toString") { vm, this, _ in
                guard case .object(let f) = this, vm.isCallable(f) else { throw vm.typeError("Function.prototype.toString requires that 'this' be a Function") }
                return .value(vm.newString(vm.functionSource(f)))
            },

            // MARK: Array
            NativeEntry("Array.isArray", length: 1) { vm, _, args in
                if case .object(let o) = args[0], vm.heap.objects[o.index].cls == .array { return .value(.true) }
                return .value(.false)
            },

            // MARK: String.prototype (the rest: Natives+String.swift)
            NativeEntry("String.prototype.toString") { vm, this, _ in .value(try vm.thisString(this, "toString")) },
            NativeEntry("String.prototype.valueOf") { vm, this, _ in .value(try vm.thisString(this, "valueOf")) },

            // MARK: Number / Boolean / Error prototypes
            NativeEntry("Number.prototype.toString", length: 1) { vm, this, args in
                let d: Double
                switch this {
                case .number(let x): d = x
                case .object(let o) where vm.heap.objects[o.index].cls == .numberWrapper: d = vm.toNumberPrimitive(vm.heap.objects[o.index].slot0)
                default: throw vm.typeError("Number.prototype.toString requires that 'this' be a Number")
                }
                if case .object = args[0] { return vm.recall(args, this, "n") }
                let r = args[0].isUndefined ? 10 : vm.toIntegerPrimitive(args[0])
                guard r >= 2 && r <= 36 else { throw vm.rangeError("toString() radix must be between 2 and 36") }
                let radix = Int(r)
                if radix == 10 || !d.isFinite { return .value(vm.newString(NumberFormatting.toString(d))) }
                return .value(vm.newString(NumberFormatting.toString(d, radix: radix)))
            },
            NativeEntry("Number.prototype.valueOf") { vm, this, _ in
                switch this {
                case .number: return .value(this)
                case .object(let o) where vm.heap.objects[o.index].cls == .numberWrapper: return .value(vm.heap.objects[o.index].slot0)
                default: throw vm.typeError("Number.prototype.valueOf requires that 'this' be a Number")
                }
            },
            NativeEntry("Boolean.prototype.toString") { vm, this, _ in
                switch this {
                case .bool(let b): return .value(vm.newString(b ? "true" : "false"))
                case .object(let o) where vm.heap.objects[o.index].cls == .booleanWrapper:
                    return .value(vm.newString(vm.toBoolean(vm.heap.objects[o.index].slot0) ? "true" : "false"))
                default: throw vm.typeError("Boolean.prototype.toString requires that 'this' be a Boolean")
                }
            },
            NativeEntry("Boolean.prototype.valueOf") { vm, this, _ in
                switch this {
                case .bool: return .value(this)
                case .object(let o) where vm.heap.objects[o.index].cls == .booleanWrapper: return .value(vm.heap.objects[o.index].slot0)
                default: throw vm.typeError("Boolean.prototype.valueOf requires that 'this' be a Boolean")
                }
            },
            NativeEntry("Error.prototype.toString") { vm, this, _ in
                guard case .object(let o) = this else { throw vm.typeError("Error.prototype.toString requires that 'this' be an Object") }
                let n = vm.getData(o, atom: vm.atoms.name), m = vm.getData(o, atom: vm.atoms.message)
                if n.isObject || m.isObject || vm.hasAccessorInChain(o, vm.atoms.name) || vm.hasAccessorInChain(o, vm.atoms.message) {
                    return vm.callPrelude("errorToString", this: this, [])
                }
                let name = n.isUndefined ? "Error" : vm.toSwiftString(n)
                let msg = m.isUndefined ? "" : vm.toSwiftString(m)
                if name.isEmpty { return .value(vm.newString(msg)) }
                if msg.isEmpty { return .value(vm.newString(name)) }
                return .value(vm.newString("\(name): \(msg)"))
            },

        ]
    }

    /// The host API: each call suspends the VM (see DESIGN.md "Scripts").
    static var hostNatives: [NativeEntry] {
        func host(_ name: String, _ length: Int) -> NativeEntry {
            NativeEntry(name, length: length) { _, _, args in .hostCall(name: name, arguments: args.array) }
        }
        return [
            host("records.create", 2), host("records.load", 2), host("records.update", 4),
            host("records.remove", 2), host("records.query", 3),
            host("checkpoint", 1), host("yieldScript", 0), host("sleep", 1),
            host("now", 0), host("random", 0), host("log", 1),
        ]
    }
}

extension VM {
    /// A function the prelude registered on the intrinsics object (`I.name = function…`).
    public func intrinsicHelper(_ name: String) -> ObjectID {
        if case .object(let f) = getData(intrinsic(.intrinsics), name) { return f }
        return intrinsic(.functionPrototype)
    }

    func thisString(_ this: Value, _ method: String) throws -> Value {
        switch this {
        case .string: return this
        case .object(let o) where heap.objects[o.index].cls == .stringWrapper: return heap.objects[o.index].slot0
        default: throw typeError("String.prototype.\(method) requires that 'this' be a String")
        }
    }

    /// `this` of String.prototype methods: RequireObjectCoercible + ToString (primitive path).
    public func thisStringCoerced(_ this: Value) throws -> Value {
        switch this {
        case .string: return this
        case .undefined, .null, .empty: throw typeError("String.prototype method called on null or undefined")
        case .object(let o) where heap.objects[o.index].cls == .stringWrapper: return heap.objects[o.index].slot0
        default: return .string(toStringPrimitive(this))
        }
    }

    /// xorshift64* — deterministic, state in `prngState`.
    public func nextRandom() -> Double {
        var x = prngState
        x ^= x >> 12; x ^= x << 25; x ^= x >> 27
        prngState = x
        let r = x &* 0x2545_F491_4F6C_DD1D
        return Double(r >> 11) / Double(1 << 53)
    }
}

extension NumberFormatting {
    /// Number::toString with a radix other than 10 (integer part exact, fraction up to 52 digits).
    public static func toString(_ x: Double, radix: Int) -> String {
        if x.isNaN { return "NaN" }
        if x == 0 { return "0" }
        if x.isInfinite { return x < 0 ? "-Infinity" : "Infinity" }
        let neg = x < 0
        var v = abs(x)
        var intPart = v.rounded(.down)
        v -= intPart
        let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        var s: [Character] = []
        if intPart == 0 { s.append("0") }
        while intPart >= 1 {
            let d = Int(intPart.truncatingRemainder(dividingBy: Double(radix)))
            s.append(digits[d])
            intPart = (intPart / Double(radix)).rounded(.down)
        }
        s.reverse()
        if v > 0 {
            s.append(".")
            var n = 0
            while v > 0 && n < 52 {
                v *= Double(radix)
                let d = Int(v)
                s.append(digits[d])
                v -= Double(d)
                n += 1
            }
        }
        return (neg ? "-" : "") + String(s)
    }
}
