// MARK: - Calls: frames for script functions, natives, bound functions

enum CallKind {
    /// A script frame was pushed: the interpreter must reload its registers.
    case frame
    /// A native finished; its result is on the stack (unless discarded).
    case value
    /// A native asked for a host call: the VM is now awaiting the host.
    case suspended
}

extension VM {
    /// Calls the function at `stack[sp - argc - 2]` with `this` at `sp - argc - 1` and the
    /// arguments above. Never runs script code on the Swift stack: script callees get a frame.
    func performCall(argc argcIn: Int, flags flagsIn: FrameFlags, calleeName: Int32 = -1, unit: Int = 0) throws -> CallKind {
        var argc = argcIn
        var flags = flagsIn
        while true {
            let calleeIndex = sp - argc - 2
            let fv = stack[calleeIndex]
            guard case .object(let fid) = fv else { throw notCallable(fv, calleeName, unit, construct: flags.contains(.construct)) }
            let cls = heap.objects[fid.index].cls
            switch cls {
            case .closure:
                let fnIndex = Int(heap.objects[fid.index].code)
                let lf = functions[fnIndex]
                let construct = flags.contains(.construct)
                if construct && !heap.objects[fid.index].flags.contains(.constructor) {
                    throw notCallable(fv, calleeName, unit, construct: true)
                }
                if frames.count >= limits.maxStackDepth { throw rangeError("Maximum call stack size exceeded") }
                ensureStack(lf.registerCount + lf.maxStack + 8)
                let base = calleeIndex + 2
                if construct {
                    var protoID = intrinsic(.objectPrototype)
                    if case .value(.object(let p)) = getProperty(fid, atoms.prototype) { protoID = p }
                    stack[calleeIndex + 1] = .object(newObject(proto: protoID))
                } else if !lf.flags.contains(.strict) && !lf.flags.contains(.arrow) {
                    let t = stack[calleeIndex + 1]
                    switch t {
                    case .undefined, .null, .empty: stack[calleeIndex + 1] = .object(intrinsic(.global))
                    case .object: break
                    default: stack[calleeIndex + 1] = .object(try toObject(t))
                    }
                }
                var argumentsObject = Value.undefined, rest = Value.undefined
                if lf.argumentsRegister >= 0 {
                    var a = JSObject(cls: .arguments, proto: intrinsic(.objectPrototype))
                    a.elements = Array(UnsafeBufferPointer(start: stack + base, count: argc))
                    let aid = heap.allocate(a)
                    heap.objects[aid.index].append(atoms.length, .number(Double(argc)), .hidden)
                    if lf.flags.contains(.strict) {
                        // Unmapped arguments: `callee` is an accessor throwing a TypeError.
                        heap.objects[aid.index].append(atoms.callee, .object(throwerAccessor()), [.accessor])
                    } else {
                        heap.objects[aid.index].append(atoms.callee, fv, .hidden)
                    }
                    argumentsObject = .object(aid)
                }
                if lf.restRegister >= 0 {
                    let n = max(0, argc - lf.paramCount)
                    rest = .object(newArray(n == 0 ? [] : Array(UnsafeBufferPointer(start: stack + base + lf.paramCount, count: n))))
                }
                var i = min(argc, lf.paramCount)
                let end = lf.registerCount
                while i < end { stack[base + i] = .undefined; i += 1 }
                if lf.argumentsRegister >= 0 { stack[base + lf.argumentsRegister] = argumentsObject }
                if lf.restRegister >= 0 { stack[base + lf.restRegister] = rest }
                sp = base + end
                frames.append(Frame(function: Int32(fnIndex), pc: 0, base: Int32(base), env: heap.objects[fid.index].link,
                                    argc: Int32(argc), flags: flags))
                return .frame
            case .native:
                let entry = Natives.table[Int(heap.objects[fid.index].code)]
                let construct = flags.contains(.construct)
                if construct && !entry.isConstructor { throw notCallable(fv, calleeName, unit, construct: true) }
                newTarget = construct ? fv : .undefined
                let this = stack[calleeIndex + 1]
                let result = try entry.function(self, this, NativeArgs(base: stack + calleeIndex + 2, count: argc))
                newTarget = .undefined
                switch result {
                case .value(let v):
                    sp = calleeIndex
                    if !flags.contains(.discardResult) { stack[sp] = v; sp += 1 }
                    if flags.contains(.main) { completionValue = v; status = .completed }
                    return .value
                case .call(let f, let t, let a):
                    sp = calleeIndex
                    ensureStack(a.count + 4)
                    stack[sp] = f; stack[sp + 1] = t
                    for (k, v) in a.enumerated() { stack[sp + 2 + k] = v }
                    sp += 2 + a.count
                    argc = a.count
                    flags.remove(.construct)
                    continue
                case .hostCall(let name, let a):
                    let hv = try a.map { try toHostValue($0) }
                    sp = calleeIndex
                    pendingHostCall = PendingHostCall(seq: hostCallSeq, name: name, arguments: hv)
                    hostCallSeq += 1
                    status = .awaitingHost
                    return .suspended
                }
            case .bound:
                let target = heap.objects[fid.index].link
                let boundArgs = heap.objects[fid.index].elements
                ensureStack(boundArgs.count + 4)
                if !boundArgs.isEmpty {
                    let argStart = calleeIndex + 2
                    var k = argc - 1
                    while k >= 0 { stack[argStart + boundArgs.count + k] = stack[argStart + k]; k -= 1 }
                    for (j, v) in boundArgs.enumerated() { stack[argStart + j] = v }
                    sp += boundArgs.count
                    argc += boundArgs.count
                }
                stack[calleeIndex] = .object(target)
                if !flags.contains(.construct) { stack[calleeIndex + 1] = heap.objects[fid.index].slot0 }
                continue
            default:
                throw notCallable(fv, calleeName, unit, construct: flags.contains(.construct))
            }
        }
    }

    // MARK: Mapped arguments
    //
    // A sloppy function with simple parameters that uses `arguments` keeps its parameters in
    // its environment; its arguments object has `code` = bitmask of the indices still mapped,
    // `link` = that environment, `slot0` = the environment slot of parameter 0. Both sides
    // are kept equal by writing through: a parameter store mirrors into the element
    // (`syncArgument`), an element write mirrors into the parameter (`argumentsElementWritten`,
    // called by [[Set]] / [[DefineOwnProperty]]); delete and accessor / read-only redefinition
    // unmap the index (`argumentsUnmap`).

    /// Parameter `i` was assigned `v`: mirror it into a still-mapped `arguments[i]`.
    func argumentsParameterWritten(_ a: ObjectID, _ i: Int, _ v: Value) {
        guard heap.objects[a.index].cls == .arguments, i < 32, heap.objects[a.index].code & (1 << UInt32(i)) != 0 else { return }
        if i < heap.objects[a.index].elements.count, !heap.objects[a.index].elements[i].isEmpty {
            heap.objects[a.index].elements[i] = v
            return
        }
        let slot = heap.objects[a.index].find(indexAtom(i))
        if slot >= 0, !heap.objects[a.index].attributes[slot].contains(.accessor) {
            heap.objects[a.index].values[slot] = v
        }
    }

    /// `arguments[i]` was written (data value `v`): mirror it into a still-mapped parameter.
    func argumentsElementWritten(_ a: ObjectID, _ i: Int, _ v: Value) {
        let mask = heap.objects[a.index].code
        guard mask != 0, i < 32, mask & (1 << UInt32(i)) != 0, case .number(let first) = heap.objects[a.index].slot0 else { return }
        let env = heap.objects[a.index].link
        guard !env.isNone, heap.objects[env.index].cls == .environment, first >= 0, first < 1e9 else { return }
        let k = Int(first) + i
        if k < heap.objects[env.index].elements.count { heap.objects[env.index].elements[k] = v }
    }

    /// `arguments[i]` stops being mapped (deleted, redefined as accessor or read-only).
    func argumentsUnmap(_ a: ObjectID, _ i: Int) {
        if i < 32 { heap.objects[a.index].code &= ~(1 << UInt32(i)) }
    }

    /// [[DefineOwnProperty]] on an arguments index succeeded: apply the mapping rules.
    func argumentsElementDefined(_ a: ObjectID, _ i: Int, _ desc: PropertyDescriptor) {
        guard heap.objects[a.index].code != 0 else { return }
        if desc.isAccessor { argumentsUnmap(a, i); return }
        if let v = desc.value { argumentsElementWritten(a, i, v) }
        if desc.writable == false { argumentsUnmap(a, i) }
    }

    /// A fresh accessor pair whose getter and setter are %ThrowTypeError% (the getter of
    /// `Function.prototype.caller`, installed by the prelude); undefined halves if missing.
    func throwerAccessor() -> ObjectID {
        var p = JSObject(cls: .accessorPair, proto: .none, flags: [])
        let fp = intrinsic(.functionPrototype)
        let slot = heap.objects[fp.index].find(heap.intern("caller"))
        if slot >= 0, heap.objects[fp.index].attributes[slot].contains(.accessor),
           case .object(let pair) = heap.objects[fp.index].values[slot] {
            p.slot0 = heap.objects[pair.index].slot0
            p.slot1 = heap.objects[pair.index].slot0
        }
        return heap.allocate(p)
    }

    func notCallable(_ v: Value, _ calleeName: Int32, _ unit: Int, construct: Bool) -> ThrowSignal {
        var what: String
        if calleeName >= 0, unit < units.count, Int(calleeName) < units[unit].unit.strings.count {
            what = units[unit].unit.strings[Int(calleeName)]
        } else {
            switch v {
            case .string(let s): what = "\"\(heap.string(s))\""
            case .object: what = "object"
            default: what = toSwiftString(v)
            }
        }
        return typeError(construct ? "\(what) is not a constructor" : "\(what) is not a function")
    }

    /// ToObject for primitives (wrappers); TypeError for null/undefined.
    public func toObject(_ v: Value) throws -> ObjectID {
        switch v {
        case .object(let o): return o
        case .undefined, .null, .empty: throw typeError("Cannot convert undefined or null to object")
        case .bool:
            var o = JSObject(cls: .booleanWrapper, proto: intrinsic(.booleanPrototype)); o.slot0 = v
            return heap.allocate(o)
        case .number:
            var o = JSObject(cls: .numberWrapper, proto: intrinsic(.numberPrototype)); o.slot0 = v
            return heap.allocate(o)
        case .string:
            var o = JSObject(cls: .stringWrapper, proto: intrinsic(.stringPrototype)); o.slot0 = v
            return heap.allocate(o)
        }
    }

    /// Pushes `[helper, undefined, args…]` and calls it (its result replaces nothing: it is pushed).
    func callHelper(_ h: Intrinsic, _ args: Value..., flags: FrameFlags = []) throws -> CallKind {
        ensureStack(args.count + 4)
        stack[sp] = .object(intrinsic(h))
        stack[sp + 1] = .undefined
        for (i, a) in args.enumerated() { stack[sp + 2 + i] = a }
        sp += 2 + args.count
        return try performCall(argc: args.count, flags: flags)
    }

    /// Pushes `[f, this, args…]` and calls it.
    func callValue(_ f: Value, this: Value, _ args: [Value], flags: FrameFlags = []) throws -> CallKind {
        ensureStack(args.count + 4)
        stack[sp] = f
        stack[sp + 1] = this
        for (i, a) in args.enumerated() { stack[sp + 2 + i] = a }
        sp += 2 + args.count
        return try performCall(argc: args.count, flags: flags)
    }
}
