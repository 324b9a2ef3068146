// MARK: - Object and Function builtins (the builtins library; see docs/ENGINE.md)
//
// Natives are data-only. Whenever the spec would run script code (ToPrimitive of an object
// argument, a getter on a descriptor or a source object, a setter on a target) the native
// tail-calls a prelude function instead (Prelude+Objects.swift) — usually `I.recall`,
// which converts the object arguments in JavaScript and calls the native again.

extension NativeArgs {
    /// The function being called (it sits two slots below the arguments on the value stack).
    var callee: Value { base[-2] }
}

extension VM {
    /// Tail-calls `I.recall(callee, this, kinds, ...args)`: the prelude converts object
    /// arguments by `kinds` (one letter per argument, the last one repeating: `n` ToNumber,
    /// `s` ToString, `k` ToPropertyKey, `-` as is) and calls the native again.
    func recall(_ args: NativeArgs, _ this: Value, _ kinds: String) -> NativeResult {
        .call(function: .object(intrinsicHelper("recall")), this: .undefined,
              arguments: [args.callee, this, .string(heap.intern(kinds))] + args.array)
    }

    /// True when any of the first `n` arguments is an object (its conversion may run script code).
    func anyObject(_ args: NativeArgs, _ n: Int = Int.max) -> Bool {
        var i = 0
        let m = min(n, args.count)
        while i < m { if case .object = args[i] { return true }; i += 1 }
        return false
    }

    /// Tail-calls a prelude function `I.name(args…)`.
    func callPrelude(_ name: String, this: Value = .undefined, _ args: [Value]) -> NativeResult {
        .call(function: .object(intrinsicHelper(name)), this: this, arguments: args)
    }

    /// Walks the prototype chain for `key`; true when an accessor is found first.
    func hasAccessorInChain(_ o: ObjectID, _ key: StringID) -> Bool {
        var cur = o
        var depth = 0
        while !cur.isNone && depth < 10_000 {
            if let (_, a) = getOwnProperty(cur, key) { return a.contains(.accessor) }
            cur = heap.objects[cur.index].proto
            depth += 1
        }
        return false
    }

    /// Own enumerable keys whose values are all data properties, or nil when one is an accessor.
    func enumerableDataEntries(_ o: ObjectID) -> [(StringID, Value)]? {
        var out: [(StringID, Value)] = []
        for k in ownKeys(o, onlyEnumerable: true) {
            guard let (v, a) = getOwnProperty(o, k) else { continue }
            if a.contains(.accessor) { return nil }
            out.append((k, v))
        }
        return out
    }

    /// ObjectDefineProperties with data-only descriptors; nil when script code is needed.
    func collectDescriptors(_ props: Value, target: ObjectID) throws -> [(StringID, PropertyDescriptor)]? {
        let p = try toObject(props)
        var descs: [(StringID, PropertyDescriptor)] = []
        for k in ownKeys(p, onlyEnumerable: true) {
            guard let (v, a) = getOwnProperty(p, k) else { continue }
            if a.contains(.accessor) { return nil }
            guard let d = try toPropertyDescriptor(v) else { return nil }
            if needsScriptToDefine(target, k, d) { return nil }
            descs.append((k, d))
        }
        return descs
    }

    /// An array `length` defined with an object value needs ToNumber in script code.
    func needsScriptToDefine(_ o: ObjectID, _ key: StringID, _ d: PropertyDescriptor) -> Bool {
        if key == atoms.length, heap.objects[o.index].cls == .array, case .object = d.value { return true }
        return false
    }

    /// CreateListFromArrayLike would run a getter (or the value is not an array-like object).
    func arrayLikeNeedsScript(_ v: Value) -> Bool {
        guard case .object(let o) = v else { return false }
        let cls = heap.objects[o.index].cls
        if cls == .array || cls == .arguments {
            return !heap.objects[o.index].keys.isEmpty && heap.objects[o.index].attributes.contains { $0.contains(.accessor) }
        }
        return true
    }

    func setPrototype(_ o: ObjectID, _ proto: ObjectID) -> Bool {
        if heap.objects[o.index].proto == proto { return true }
        if !heap.objects[o.index].flags.contains(.extensible) { return false }
        var p = proto
        while !p.isNone {
            if p == o { return false }
            p = heap.objects[p.index].proto
        }
        heap.objects[o.index].proto = proto
        return true
    }
}

extension Natives {
    /// Object, Function, Error types, JSON, Number, Math, Boolean, global functions.
    static var objectNatives: [NativeEntry] {
        objectConstructorNatives + jsonNatives + numberNatives + mathNatives + globalFunctionNatives
    }

    static var objectConstructorNatives: [NativeEntry] {
        [
            NativeEntry("%apply", length: 3) { vm, _, args in
                .call(function: args[0], this: args[1], arguments: try vm.arrayLikeValues(args[2]))
            },
            NativeEntry("%ownKeys", length: 1) { vm, _, args in
                let o = try vm.toObject(args[0])
                return .value(.object(vm.newArray(vm.ownKeys(o, onlyEnumerable: false).map { .string($0) })))
            },
            NativeEntry("%makeBound", length: 5) { vm, _, args in
                // (target, boundThis, boundArgs, length, name): Function.prototype.bind after the
                // prelude read a getter-bearing `length` / `name`.
                guard case .object(let target) = args[0], vm.isCallable(target) else { throw vm.typeError("Bind must be called on a function") }
                var b = JSObject(cls: .bound, proto: vm.heap.objects[target.index].proto)
                b.link = target
                b.slot0 = args[1]
                b.elements = try vm.arrayLikeValues(args[2])
                if vm.heap.objects[target.index].flags.contains(.constructor) { b.flags.insert(.constructor) }
                let id = vm.heap.allocate(b)
                vm.defineOwn(id, vm.atoms.length, args[3], [.configurable])
                vm.defineOwn(id, vm.atoms.name, args[4], [.configurable])
                return .value(.object(id))
            },
            NativeEntry("%nullObject") { vm, _, _ in .value(.object(vm.heap.allocate(JSObject(cls: .ordinary, proto: .none)))) },
            NativeEntry("%isEnumerableOwn", length: 2) { vm, _, args in
                guard case .object(let o) = args[0] else { return .value(.false) }
                return .value(.bool(vm.getOwnProperty(o, vm.toPropertyKeyPrimitive(args[1]))?.1.contains(.enumerable) ?? false))
            },
            NativeEntry("%createDataProperty", length: 3) { vm, _, args in
                guard case .object(let o) = args[0] else { return .value(.false) }
                let d = PropertyDescriptor(value: args[2], writable: true, enumerable: true, configurable: true)
                return .value(.bool(try vm.defineOwnProperty(o, vm.toPropertyKeyPrimitive(args[1]), d)))
            },
            NativeEntry("%deleteProperty", length: 2) { vm, _, args in
                guard case .object(let o) = args[0] else { return .value(.false) }
                return .value(.bool(try vm.deleteProperty(o, vm.toPropertyKeyPrimitive(args[1]), strict: false)))
            },
            NativeEntry("%classOf", length: 1) { vm, _, args in .value(vm.newString(vm.classTag(args[0]))) },
            NativeEntry("%unwrap", length: 1) { vm, _, args in
                if case .object(let o) = args[0] {
                    switch vm.heap.objects[o.index].cls {
                    case .numberWrapper, .stringWrapper, .booleanWrapper: return .value(vm.heap.objects[o.index].slot0)
                    default: break
                    }
                }
                return .value(args[0])
            },
            NativeEntry("Object.getPrototypeOf", length: 1) { vm, _, args in
                let o = try vm.toObject(args[0])
                let p = vm.heap.objects[o.index].proto
                return .value(p.isNone ? .null : .object(p))
            },
            NativeEntry("Object.setPrototypeOf", length: 2) { vm, _, args in
                if args[0].isNullish { throw vm.typeError("Object.setPrototypeOf called on null or undefined") }
                let proto: ObjectID
                switch args[1] {
                case .null: proto = .none
                case .object(let p): proto = p
                default: throw vm.typeError("Object prototype may only be an Object or null: \(vm.toSwiftString(args[1]))")
                }
                guard case .object(let o) = args[0] else { return .value(args[0]) }
                if !vm.setPrototype(o, proto) { throw vm.typeError("Cannot set the prototype of this object (cyclic or not extensible)") }
                return .value(args[0])
            },
            NativeEntry("Object.create", length: 2) { vm, _, args in
                let o: ObjectID
                switch args[0] {
                case .null: o = vm.heap.allocate(JSObject(cls: .ordinary, proto: .none))
                case .object(let p): o = vm.newObject(proto: p)
                default: throw vm.typeError("Object prototype may only be an Object or null: \(vm.toSwiftString(args[0]))")
                }
                if args[1].isUndefined { return .value(.object(o)) }
                guard let descs = try vm.collectDescriptors(args[1], target: o) else {
                    return vm.callPrelude("defineProperties", [.object(o), args[1]])
                }
                for (k, d) in descs { try vm.definePropertyOrThrow(o, k, d) }
                return .value(.object(o))
            },
            NativeEntry("Object.defineProperty", length: 3) { vm, _, args in
                guard case .object(let o) = args[0] else { throw vm.typeError("Object.defineProperty called on non-object") }
                if case .object = args[1] { return vm.recall(args, .undefined, "-k-") }
                let key = vm.toPropertyKeyPrimitive(args[1])
                guard let d = try vm.toPropertyDescriptor(args[2]), !vm.needsScriptToDefine(o, key, d) else {
                    return vm.callPrelude("defineProperty", [args[0], .string(key), args[2]])
                }
                try vm.definePropertyOrThrow(o, key, d)
                return .value(args[0])
            },
            NativeEntry("Object.defineProperties", length: 2) { vm, _, args in
                guard case .object(let o) = args[0] else { throw vm.typeError("Object.defineProperties called on non-object") }
                guard let descs = try vm.collectDescriptors(args[1], target: o) else {
                    return vm.callPrelude("defineProperties", [args[0], args[1]])
                }
                for (k, d) in descs { try vm.definePropertyOrThrow(o, k, d) }
                return .value(args[0])
            },
            NativeEntry("Object.getOwnPropertyDescriptor", length: 2) { vm, _, args in
                let o = try vm.toObject(args[0])
                if case .object = args[1] { return vm.recall(args, .undefined, "-k") }
                return .value(vm.ownPropertyDescriptorObject(o, vm.toPropertyKeyPrimitive(args[1])))
            },
            NativeEntry("Object.getOwnPropertyDescriptors", length: 1) { vm, _, args in
                let o = try vm.toObject(args[0])
                let r = vm.newObject()
                for k in vm.ownKeys(o, onlyEnumerable: false) {
                    let d = vm.ownPropertyDescriptorObject(o, k)
                    if !d.isUndefined { vm.defineOwn(r, k, d) }
                }
                return .value(.object(r))
            },
            NativeEntry("Object.getOwnPropertySymbols", length: 1) { vm, _, args in
                _ = try vm.toObject(args[0])
                return .value(.object(vm.newArray([])))   // no Symbols in Lazarus scripts
            },
            NativeEntry("Object.getOwnPropertyNames", length: 1) { vm, _, args in
                let o = try vm.toObject(args[0])
                return .value(.object(vm.newArray(vm.ownKeys(o, onlyEnumerable: false).map { .string($0) })))
            },
            NativeEntry("Object.keys", length: 1) { vm, _, args in
                let o = try vm.toObject(args[0])
                return .value(.object(vm.newArray(vm.ownKeys(o, onlyEnumerable: true).map { .string($0) })))
            },
            NativeEntry("Object.values", length: 1) { vm, _, args in
                let o = try vm.toObject(args[0])
                guard let entries = vm.enumerableDataEntries(o) else { return vm.callPrelude("objectEntries", [.object(o), .false]) }
                return .value(.object(vm.newArray(entries.map(\.1))))
            },
            NativeEntry("Object.entries", length: 1) { vm, _, args in
                let o = try vm.toObject(args[0])
                guard let entries = vm.enumerableDataEntries(o) else { return vm.callPrelude("objectEntries", [.object(o), .true]) }
                return .value(.object(vm.newArray(entries.map { .object(vm.newArray([.string($0.0), $0.1])) })))
            },
            NativeEntry("Object.assign", length: 2) { vm, _, args in
                let target = try vm.toObject(args[0])
                var plan: [[(StringID, Value)]] = []
                for i in 1..<max(1, args.count) {
                    if args[i].isNullish { continue }
                    let from = try vm.toObject(args[i])
                    guard let entries = vm.enumerableDataEntries(from) else {
                        return vm.callPrelude("assign", [.object(target)] + args.dropFirst(1))
                    }
                    for (k, _) in entries where vm.hasAccessorInChain(target, k) {
                        return vm.callPrelude("assign", [.object(target)] + args.dropFirst(1))
                    }
                    plan.append(entries)
                }
                for entries in plan {
                    for (k, v) in entries { _ = try vm.setProperty(target, k, v, strict: true) }
                }
                return .value(.object(target))
            },
            NativeEntry("Object.is", length: 2) { vm, _, args in .value(.bool(vm.sameValue(args[0], args[1]))) },
            NativeEntry("Object.freeze", length: 1) { vm, _, args in
                if case .object(let o) = args[0] { vm.setIntegrity(o, frozen: true) }
                return .value(args[0])
            },
            NativeEntry("Object.seal", length: 1) { vm, _, args in
                if case .object(let o) = args[0] { vm.setIntegrity(o, frozen: false) }
                return .value(args[0])
            },
            NativeEntry("Object.preventExtensions", length: 1) { vm, _, args in
                if case .object(let o) = args[0] { vm.heap.objects[o.index].flags.remove(.extensible) }
                return .value(args[0])
            },
            NativeEntry("Object.isFrozen", length: 1) { vm, _, args in
                guard case .object(let o) = args[0] else { return .value(.true) }
                return .value(.bool(vm.testIntegrity(o, frozen: true)))
            },
            NativeEntry("Object.isSealed", length: 1) { vm, _, args in
                guard case .object(let o) = args[0] else { return .value(.true) }
                return .value(.bool(vm.testIntegrity(o, frozen: false)))
            },
            NativeEntry("Object.isExtensible", length: 1) { vm, _, args in
                guard case .object(let o) = args[0] else { return .value(.false) }
                return .value(.bool(vm.heap.objects[o.index].flags.contains(.extensible)))
            },
        ]
    }
}
