import Foundation

// MARK: - The interpreter loop

extension VM {
    /// Runs until something returns control to the driver. JS exceptions are unwound here.
    func execute() -> RunResult {
        while true {
            do {
                if let t = pendingThrow {
                    pendingThrow = nil
                    throw ThrowSignal(t)
                }
                return try interpret()
            } catch let t as ThrowSignal {
                if let failure = unwind(t.value) {
                    status = .failed
                    self.failure = failure
                    return .failed(failure)
                }
            } catch {
                let f = ScriptError(name: "InternalError", message: "\(error)", stack: captureStack())
                status = .failed
                failure = f
                return .failed(f)
            }
        }
    }

    /// The index of the environment `hops` links up from `start`, which must have `slot`.
    /// Compiled code always agrees with the environments it built; a restored state that
    /// does not (a forged snapshot: a closure pointed at another function) fails the job
    /// with an InternalError instead of trapping the process.
    @inline(__always)
    func environmentHolding(slot: Int32, hops: Int32, from start: ObjectID) throws -> Int {
        var e = start
        var h = hops
        while h > 0 { e = heap.objects[e.index].link; h -= 1 }
        guard !e.isNone, Int(slot) < heap.objects[e.index].elements.count else { throw InconsistentState.environment }
        return e.index
    }

    /// Finds the innermost handler for a thrown value, cutting frames. Returns the
    /// failure when nothing catches it.
    func unwind(_ value: Value) -> ScriptError? {
        // Uncaught? Compute the stack at the throw point first.
        var hasHandler = false
        search: for f in frames.reversed() {
            let lf = functions[Int(f.function)]
            let u = units[lf.unit]
            let fc = u.unit.functions[Int(f.function) - u.functionBase]
            let pc = Int32(f.pc) - 1
            for h in fc.handlers where h.start <= pc && pc < h.end { hasHandler = true; break search }
        }
        if !hasHandler {
            var stackTrace = captureStack()
            if case .object(let o) = value, case .string(let s) = getData(o, atom: atoms.stack) {
                // Prefer the stack recorded when the error was created.
                let parsed = parseStack(heap.string(s))
                if !parsed.isEmpty || heap.objects[o.index].cls == .error { stackTrace = parsed }
            }
            let e = scriptError(from: value, stack: stackTrace)
            frames.removeAll()
            sp = 0
            return e
        }
        while let f = frames.last {
            let lf = functions[Int(f.function)]
            let u = units[lf.unit]
            let fc = u.unit.functions[Int(f.function) - u.functionBase]
            let pc = Int32(f.pc) - 1
            for h in fc.handlers where h.start <= pc && pc < h.end {
                sp = Int(f.base) + lf.registerCount + Int(h.stackDepth)
                ensureStack(2)
                stack[sp] = value
                sp += 1
                frames[frames.count - 1].pc = h.handler
                return nil
            }
            frames.removeLast()
            sp = Int(f.base) - 2
        }
        return ScriptError(name: "InternalError", message: "unwind found no handler", stack: [])
    }

    func parseStack(_ text: String) -> [ScriptStackFrame] {
        var out: [ScriptStackFrame] = []
        for line in text.split(separator: "\n") where line.hasPrefix("    at ") {
            let body = line.dropFirst(7)
            guard let open = body.lastIndex(of: "("), let close = body.lastIndex(of: ")") else { continue }
            let name = String(body[..<open].dropLast())
            let pos = body[body.index(after: open)..<close].split(separator: ":")
            if pos.count == 2, let l = Int(pos[0]), let c = Int(pos[1]) {
                out.append(ScriptStackFrame(function: name, line: l, column: c))
            }
        }
        return out
    }

    /// The dispatch loop. Locals mirror the top frame; `sync()` writes them back before
    /// anything that can observe the VM state (calls, allocation-heavy helpers, throws).
    func interpret() throws -> RunResult {
        var fi = frames.count - 1
        var fn = functions[Int(frames[fi].function)]
        var code = fn.code
        var pc = Int(frames[fi].pc)
        var base = Int(frames[fi].base)
        var env = frames[fi].env
        var sp = self.sp
        var s = stack
        var unitIndex = fn.unit
        var strs = units[unitIndex].strings
        var nums = units[unitIndex].numbers
        var cache = units[unitIndex].cache
        var funcBase = units[unitIndex].functionBase
        var strict = fn.flags.contains(.strict)
        var budget = self.budget
        let startBudget = budget
        let gcInterval = limits.gcAllocationInterval

        @inline(__always) func sync() {
            self.sp = sp
            if fi < frames.count {
                frames[fi].pc = Int32(pc)
                frames[fi].env = env
            }
        }
        @inline(__always) func reload() {
            fi = frames.count - 1
            fn = functions[Int(frames[fi].function)]
            code = fn.code
            pc = Int(frames[fi].pc)
            base = Int(frames[fi].base)
            env = frames[fi].env
            sp = self.sp
            s = stack
            if fn.unit != unitIndex {
                unitIndex = fn.unit
                strs = units[unitIndex].strings
                nums = units[unitIndex].numbers
                cache = units[unitIndex].cache
                funcBase = units[unitIndex].functionBase
            }
            strict = fn.flags.contains(.strict)
        }
        defer {
            let used = startBudget - budget
            instructionCount &+= UInt64(max(0, used))
            self.budget = budget
        }
        do {
            while true {
                budget &-= 1
                if budget < 0 {
                    budget = 0
                    sync()
                    status = .ready
                    return .budgetExhausted
                }
                let ins = code[pc]
                assert(sp + 2 < stackCapacity && s == stack && pc < fn.count, "stack overflow or stale stack pointer at \(ins.op)")
                pc &+= 1
                switch ins.op {
                // MARK: constants
                case .undefined: s[sp] = .undefined; sp &+= 1
                case .null: s[sp] = .null; sp &+= 1
                case .true: s[sp] = .bool(true); sp &+= 1
                case .false: s[sp] = .bool(false); sp &+= 1
                case .empty: s[sp] = .empty; sp &+= 1
                case .int: s[sp] = .number(Double(ins.a)); sp &+= 1
                case .number: s[sp] = .number(nums[Int(ins.a)]); sp &+= 1
                case .string: s[sp] = .string(strs[Int(ins.a)]); sp &+= 1
                // MARK: stack
                case .pop: sp &-= 1
                case .dup: s[sp] = s[sp - 1]; sp &+= 1
                case .dup2: s[sp] = s[sp - 2]; s[sp + 1] = s[sp - 1]; sp &+= 2
                case .swap: let t = s[sp - 1]; s[sp - 1] = s[sp - 2]; s[sp - 2] = t
                case .dupX1:
                    let b = s[sp - 1], a = s[sp - 2]
                    s[sp - 2] = b; s[sp - 1] = a; s[sp] = b; sp &+= 1
                case .dupX2:
                    let c = s[sp - 1], b = s[sp - 2], a = s[sp - 3]
                    s[sp - 3] = c; s[sp - 2] = a; s[sp - 1] = b; s[sp] = c; sp &+= 1
                // MARK: registers
                case .getLocal: s[sp] = s[base + Int(ins.a)]; sp &+= 1
                case .setLocal: s[base + Int(ins.a)] = s[sp - 1]
                case .initLocal: sp &-= 1; s[base + Int(ins.a)] = s[sp]
                case .clearLocal: s[base + Int(ins.a)] = .empty
                case .getLocalChecked:
                    let v = s[base + Int(ins.a)]
                    if case .empty = v { sync(); throw tdzError(strs[Int(ins.b)]) }
                    s[sp] = v; sp &+= 1
                case .setLocalChecked:
                    if case .empty = s[base + Int(ins.a)] { sync(); throw tdzError(strs[Int(ins.b)]) }
                    s[base + Int(ins.a)] = s[sp - 1]
                case .incLocal:
                    if case .number(let d) = s[base + Int(ins.a)] {
                        s[base + Int(ins.a)] = .number(d + 1)
                        pc = Int(ins.b)
                    }
                // MARK: environments
                case .getEnv, .getEnvChecked:
                    let e = try environmentHolding(slot: ins.b, hops: ins.a, from: env)
                    let v = heap.objects[e].elements[Int(ins.b)]
                    if case .empty = v {
                        sync()
                        throw tdzError(ins.c >= 0 ? strs[Int(ins.c)] : heap.intern("variable"))
                    }
                    s[sp] = v; sp &+= 1
                case .setEnv, .setEnvChecked:
                    let e = try environmentHolding(slot: ins.b, hops: ins.a, from: env)
                    if ins.op == .setEnvChecked, case .empty = heap.objects[e].elements[Int(ins.b)] {
                        sync(); throw tdzError(ins.c >= 0 ? strs[Int(ins.c)] : heap.intern("variable"))
                    }
                    heap.objects[e].elements[Int(ins.b)] = s[sp - 1]
                case .initEnv:
                    let e = try environmentHolding(slot: ins.b, hops: ins.a, from: env)
                    sp &-= 1
                    heap.objects[e].elements[Int(ins.b)] = s[sp]
                case .clearEnv:
                    let e = try environmentHolding(slot: ins.b, hops: ins.a, from: env)
                    heap.objects[e].elements[Int(ins.b)] = .empty
                case .pushEnv:
                    var o = JSObject(cls: .environment, proto: .none, flags: [])
                    o.link = env
                    o.elements = Array(repeating: .undefined, count: Int(ins.a))
                    env = heap.allocate(o)
                case .popEnv:
                    env = heap.objects[env.index].link
                case .copyEnv:
                    var o = JSObject(cls: .environment, proto: .none, flags: [])
                    o.link = heap.objects[env.index].link
                    o.elements = heap.objects[env.index].elements
                    env = heap.allocate(o)
                case .getEnvRef: s[sp] = env.isNone ? .undefined : .object(env); sp &+= 1
                case .setEnvRef:
                    sp &-= 1
                    if case .object(let e) = s[sp] { env = e } else { env = .none }
                // MARK: globals
                case .getGlobal, .getGlobalOrUndefined:
                    let key = strs[Int(ins.a)]
                    let g = realm[0]
                    let c = Int(cache[Int(ins.b)])
                    if c > 0, c <= heap.objects[g.index].keys.count, heap.objects[g.index].keys[c - 1] == key,
                       !heap.objects[g.index].attributes[c - 1].contains(.accessor) {
                        s[sp] = heap.objects[g.index].values[c - 1]; sp &+= 1
                        break
                    }
                    let slot = heap.objects[g.index].find(key)
                    if slot >= 0 && !heap.objects[g.index].attributes[slot].contains(.accessor) {
                        cache[Int(ins.b)] = Int32(slot + 1)
                        s[sp] = heap.objects[g.index].values[slot]; sp &+= 1
                        break
                    }
                    sync()
                    if !hasProperty(g, key) {
                        if ins.op == .getGlobalOrUndefined { s[sp] = .undefined; sp &+= 1; break }
                        throw referenceError("\(heap.string(key)) is not defined")
                    }
                    switch getProperty(g, key) {
                    case .value(let v): s[sp] = v; sp &+= 1
                    case .getter(let f):
                        if try callValue(f, this: .object(g), []) != .value { reload() } else { sp = self.sp; s = stack }
                    }
                case .setGlobal, .setGlobalStrict:
                    let key = strs[Int(ins.a)]
                    let g = realm[0]
                    let c = Int(cache[Int(ins.b)])
                    if c > 0, c <= heap.objects[g.index].keys.count, heap.objects[g.index].keys[c - 1] == key,
                       heap.objects[g.index].attributes[c - 1].contains(.writable) {
                        heap.objects[g.index].values[c - 1] = s[sp - 1]
                        break
                    }
                    let slot = heap.objects[g.index].find(key)
                    if slot >= 0 && heap.objects[g.index].attributes[slot].contains(.writable) {
                        cache[Int(ins.b)] = Int32(slot + 1)
                        heap.objects[g.index].values[slot] = s[sp - 1]
                        break
                    }
                    sync()
                    if ins.op == .setGlobalStrict && !hasProperty(g, key) {
                        throw referenceError("\(heap.string(key)) is not defined")
                    }
                    let v = s[sp - 1]
                    switch try setProperty(g, key, v, strict: ins.op == .setGlobalStrict) {
                    case .done: break
                    case .setter(let f):
                        if f.isUndefined { throw typeError("Cannot set property \(heap.string(key)) which has only a getter") }
                        if try callValue(f, this: .object(g), [v], flags: .discardResult) != .value { reload() } else { sp = self.sp; s = stack }
                    }
                case .declareGlobalVar:
                    let key = strs[Int(ins.a)]
                    let g = realm[0]
                    if !hasProperty(g, key) { heap.objects[g.index].append(key, .undefined, [.writable, .enumerable]) }
                case .declareGlobalFunction:
                    let key = strs[Int(ins.a)]
                    let g = realm[0]
                    sp &-= 1
                    let slot = heap.objects[g.index].find(key)
                    if slot >= 0 {
                        heap.objects[g.index].values[slot] = s[sp]
                        if heap.objects[g.index].attributes[slot].contains(.configurable) {
                            heap.objects[g.index].attributes[slot] = [.writable, .enumerable]
                        }
                    } else {
                        heap.objects[g.index].append(key, s[sp], [.writable, .enumerable])
                    }
                case .constAssign:
                    sync()
                    throw typeError("Assignment to constant variable '\(heap.string(strs[Int(ins.a)]))'")
                // MARK: properties
                case .getProp:
                    let key = strs[Int(ins.a)]
                    let ov = s[sp - 1]
                    if case .object(let o) = ov {
                        let c = Int(cache[Int(ins.b)])
                        if c > 0, c <= heap.objects[o.index].keys.count, heap.objects[o.index].keys[c - 1] == key,
                           !heap.objects[o.index].attributes[c - 1].contains(.accessor) {
                            s[sp - 1] = heap.objects[o.index].values[c - 1]
                            break
                        }
                        if heap.objects[o.index].cls == .ordinary {
                            let slot = heap.objects[o.index].find(key)
                            if slot >= 0 && !heap.objects[o.index].attributes[slot].contains(.accessor) {
                                cache[Int(ins.b)] = Int32(slot + 1)
                                s[sp - 1] = heap.objects[o.index].values[slot]
                                break
                            }
                        }
                    }
                    sync()
                    switch try getValueProperty(ov, key) {
                    case .value(let v): s[sp - 1] = v
                    case .getter(let f):
                        sp &-= 1; self.sp = sp
                        if try callValue(f, this: ov, []) != .value { reload() } else { sp = self.sp; s = stack }
                    }
                case .getMethod:
                    let key = strs[Int(ins.a)]
                    let ov = s[sp - 1]
                    sync()
                    switch try getValueProperty(ov, key) {
                    case .value(let v): s[sp - 1] = v; s[sp] = ov; sp &+= 1
                    case .getter(let f):
                        // [o] → [f o]: the getter frame pushes its result, then its receiver.
                        sp &-= 1; self.sp = sp
                        let k = try callValue(f, this: ov, [], flags: .pushReceiver)
                        if k == .value { sp = self.sp; s = stack; s[sp] = ov; sp &+= 1 } else { reload() }
                    }
                case .setProp:
                    let key = strs[Int(ins.a)]
                    let ov = s[sp - 2]
                    let v = s[sp - 1]
                    if case .object(let o) = ov {
                        let c = Int(cache[Int(ins.b)])
                        if c > 0, c <= heap.objects[o.index].keys.count, heap.objects[o.index].keys[c - 1] == key,
                           heap.objects[o.index].attributes[c - 1].contains(.writable) {
                            heap.objects[o.index].values[c - 1] = v
                            s[sp - 2] = v; sp &-= 1
                            break
                        }
                        sync()
                        let r = try setProperty(o, key, v, strict: strict)
                        s[sp - 2] = v; sp &-= 1
                        switch r {
                        case .done:
                            if heap.objects[o.index].cls == .ordinary {
                                let slot = heap.objects[o.index].find(key)
                                if slot >= 0 { cache[Int(ins.b)] = Int32(slot + 1) }
                            }
                        case .setter(let f):
                            if f.isUndefined { throw typeError("Cannot set property \(heap.string(key)) of object which has only a getter") }
                            self.sp = sp
                            if try callValue(f, this: ov, [v], flags: .discardResult) != .value { reload() } else { sp = self.sp; s = stack }
                        }
                    } else {
                        sync()
                        try setOnPrimitive(ov, key, v, strict: strict)
                        s[sp - 2] = v; sp &-= 1
                    }
                case .getElem:
                    let kv = s[sp - 1]
                    let ov = s[sp - 2]
                    if case .object(let o) = ov, case .number(let d) = kv {
                        let cls = heap.objects[o.index].cls
                        if cls == .array || cls == .arguments {
                            let i = Int(truncatingIfNeeded: Int64(d.isFinite ? d : -1))
                            if Double(i) == d, i >= 0, i < heap.objects[o.index].elements.count {
                                let v = heap.objects[o.index].elements[i]
                                if case .empty = v {} else { s[sp - 2] = v; sp &-= 1; break }
                            }
                        }
                    } else if case .string(let str) = ov, case .number(let d) = kv {
                        let i = Int(truncatingIfNeeded: Int64(d.isFinite ? d : -1))
                        if Double(i) == d, i >= 0, i < heap.strings[str.index].units.count {
                            s[sp - 2] = .string(charString(heap.strings[str.index].units[i])); sp &-= 1
                            break
                        }
                    }
                    sync()
                    if case .object = kv {
                        sp &-= 2; self.sp = sp
                        if try callHelper(.helperGetElem, ov, kv) != .value { reload() } else { sp = self.sp; s = stack }
                        break
                    }
                    if ov.isNullish {
                        throw typeError("Cannot read properties of \(ov == .null ? "null" : "undefined") (reading '\(toSwiftString(kv))')")
                    }
                    let key = toPropertyKeyPrimitive(kv)
                    switch try getValueProperty(ov, key) {
                    case .value(let v): s[sp - 2] = v; sp &-= 1
                    case .getter(let f):
                        sp &-= 2; self.sp = sp
                        if try callValue(f, this: ov, []) != .value { reload() } else { sp = self.sp; s = stack }
                    }
                case .setElem:
                    let v = s[sp - 1]
                    let kv = s[sp - 2]
                    let ov = s[sp - 3]
                    if case .object(let o) = ov, case .number(let d) = kv, heap.objects[o.index].cls == .array {
                        let i = Int(truncatingIfNeeded: Int64(d.isFinite ? d : -1))
                        let count = heap.objects[o.index].elements.count
                        if Double(i) == d, i >= 0, i < count, !heap.objects[o.index].flags.contains(.frozenElements),
                           !heap.objects[o.index].elements[i].isEmpty
                            || (heap.objects[o.index].keys.isEmpty && heap.objects[o.index].flags.contains(.extensible) && !protoChainHasIndices(o)) {
                            heap.objects[o.index].elements[i] = v
                            s[sp - 3] = v; sp &-= 2
                            break
                        }
                        if Double(i) == d, i == count, heap.objects[o.index].flags.contains(.extensible),
                           !heap.objects[o.index].flags.contains(.lengthReadOnly), !protoChainHasIndices(o) {
                            heap.objects[o.index].elements.append(v)
                            heap.bytesSinceGC &+= 16
                            s[sp - 3] = v; sp &-= 2
                            break
                        }
                    }
                    sync()
                    if case .object = kv {
                        sp &-= 3; self.sp = sp
                        if try callHelper(.helperSetElem, ov, kv, v) != .value { reload() } else { sp = self.sp; s = stack }
                        break
                    }
                    if ov.isNullish {
                        throw typeError("Cannot set properties of \(ov == .null ? "null" : "undefined") (setting '\(toSwiftString(kv))')")
                    }
                    let key = toPropertyKeyPrimitive(kv)
                    s[sp - 3] = v; sp &-= 2
                    guard case .object(let o) = ov else {
                        try setOnPrimitive(ov, key, v, strict: strict)
                        break
                    }
                    switch try setProperty(o, key, v, strict: strict) {
                    case .done: break
                    case .setter(let f):
                        if f.isUndefined { throw typeError("Cannot set property \(heap.string(key)) of object which has only a getter") }
                        self.sp = sp
                        if try callValue(f, this: ov, [v], flags: .discardResult) != .value { reload() } else { sp = self.sp; s = stack }
                    }
                case .deleteProp:
                    sync()
                    let ov = s[sp - 1]
                    guard case .object(let o) = ov else {
                        if ov.isNullish { throw typeError("Cannot convert undefined or null to object") }
                        s[sp - 1] = .bool(true); break
                    }
                    s[sp - 1] = .bool(try deleteProperty(o, strs[Int(ins.a)], strict: strict))
                case .deleteElem:
                    sync()
                    let kv = s[sp - 1], ov = s[sp - 2]
                    if case .object = kv {
                        sp &-= 2; self.sp = sp
                        if try callHelper(.helperDeleteElem, ov, kv) != .value { reload() } else { sp = self.sp; s = stack }
                        break
                    }
                    guard case .object(let o) = ov else {
                        if ov.isNullish { throw typeError("Cannot convert undefined or null to object") }
                        s[sp - 2] = .bool(true); sp &-= 1; break
                    }
                    s[sp - 2] = .bool(try deleteProperty(o, toPropertyKeyPrimitive(kv), strict: strict)); sp &-= 1
                // MARK: literals
                case .newObject:
                    s[sp] = .object(heap.allocate(JSObject(cls: .ordinary, proto: realm[Intrinsic.objectPrototype.rawValue])))
                    sp &+= 1
                case .defineField:
                    sp &-= 1
                    if case .object(let o) = s[sp - 1] {
                        let key = strs[Int(ins.a)]
                        if heap.objects[o.index].keys.isEmpty || heap.objects[o.index].find(key) < 0 {
                            heap.objects[o.index].append(key, s[sp], .default)
                        } else {
                            defineOwn(o, key, s[sp])
                        }
                    }
                case .defineFieldComputed:
                    let v = s[sp - 1], kv = s[sp - 2]
                    if case .object = kv {
                        // Convert the key through the prelude first: [o k v] → [o key v] via helper
                        sp &-= 3; self.sp = sp; sync()
                        throw typeError("computed object keys must be primitive in this engine")
                    }
                    sp &-= 2
                    if case .object(let o) = s[sp - 1] { defineOwn(o, toPropertyKeyPrimitive(kv), v) }
                case .defineGetter, .defineSetter:
                    let f = s[sp - 1]
                    var key: StringID
                    if ins.a >= 0 { key = strs[Int(ins.a)]; sp &-= 1 } else {
                        key = toPropertyKeyPrimitive(s[sp - 2]); sp &-= 2
                    }
                    if case .object(let o) = s[sp - 1] {
                        if ins.op == .defineGetter { defineAccessor(o, key, getter: f, setter: nil) } else { defineAccessor(o, key, getter: nil, setter: f) }
                    }
                case .newArray:
                    let n = Int(ins.a)
                    let els = Array(UnsafeBufferPointer(start: s + sp - n, count: n))
                    sp &-= n
                    s[sp] = .object(newArray(els)); sp &+= 1
                case .arrayAppend:
                    sp &-= 1
                    if case .object(let a) = s[sp - 1] { heap.objects[a.index].elements.append(s[sp]) }
                case .arrayAppendHole:
                    if case .object(let a) = s[sp - 1] { heap.objects[a.index].elements.append(.empty) }
                case .arrayAppendSpread:
                    sync()
                    sp &-= 1
                    let items = try spreadValues(s[sp])
                    if case .object(let a) = s[sp - 1] { heap.objects[a.index].elements.append(contentsOf: items) }
                case .closure:
                    let index = funcBase + Int(ins.a)
                    let ff = functions[index].flags
                    var o = JSObject(cls: .closure, proto: realm[Intrinsic.functionPrototype.rawValue])
                    o.code = UInt32(index)
                    o.link = env
                    var flags: ObjectFlags = [.extensible, .lazyFunctionProps]
                    if ff.contains(.constructor) { flags.insert(.constructor) }
                    if ff.contains(.strict) { flags.insert(.strict) }
                    if ff.contains(.arrow) { flags.insert(.arrow) }
                    o.flags = flags
                    s[sp] = .object(heap.allocate(o)); sp &+= 1
                // MARK: calls
                case .call, .construct:
                    // Fast path: a plain call of a script closure needing no `arguments`/rest
                    // object, no this-boxing and no collection — push its frame here and
                    // switch the locals to it (performCall + reload() do the general case).
                    if ins.op == .call {
                        let argc = Int(ins.a)
                        let calleeIndex = sp &- argc &- 2
                        if case .object(let fid) = s[calleeIndex], heap.objects[fid.index].cls == .closure {
                            let fnIndex = Int(heap.objects[fid.index].code)
                            let lf = functions[fnIndex]
                            if lf.argumentsRegister < 0, lf.restRegister < 0, frames.count < limits.maxStackDepth,
                               sp &+ lf.registerCount &+ lf.maxStack &+ 8 < stackCapacity,
                               heap.allocationsSinceGC <= max(gcInterval, heap.liveObjects), heap.bytesSinceGC <= gcByteInterval,
                               lf.flags.contains(.strict) || lf.flags.contains(.arrow) || fastThis(&s[calleeIndex + 1]) {
                                let newBase = calleeIndex &+ 2
                                var i = min(argc, lf.paramCount)
                                let end = lf.registerCount
                                while i < end { s[newBase &+ i] = .undefined; i &+= 1 }
                                frames[fi].pc = Int32(pc)
                                frames[fi].env = env
                                env = heap.objects[fid.index].link
                                frames.append(Frame(function: Int32(fnIndex), pc: 0, base: Int32(newBase), env: env,
                                                    argc: Int32(argc), flags: []))
                                fi &+= 1
                                fn = lf
                                code = lf.code
                                pc = 0
                                base = newBase
                                sp = newBase &+ end
                                if lf.unit != unitIndex {
                                    unitIndex = lf.unit
                                    strs = units[unitIndex].strings
                                    nums = units[unitIndex].numbers
                                    cache = units[unitIndex].cache
                                    funcBase = units[unitIndex].functionBase
                                }
                                strict = lf.flags.contains(.strict)
                                break
                            }
                        }
                    }
                    sync()
                    if heap.allocationsSinceGC > gcInterval || heap.bytesSinceGC > gcByteInterval { try collectAtSafePoint() }
                    let k = try performCall(argc: Int(ins.a), flags: ins.op == .construct ? .construct : [], calleeName: ins.b, unit: unitIndex)
                    switch k {
                    case .frame: reload()
                    case .value:
                        sp = self.sp; s = stack
                        if status == .completed { return .completed(toHostValueLossy(completionValue)) }
                    case .suspended:
                        return .hostCall(pendingHostCall!)
                    }
                case .callSpread, .constructSpread:
                    sync()
                    let items = try spreadValues(s[sp - 1])
                    sp &-= 1
                    self.sp = sp
                    ensureStack(items.count + 4)
                    s = stack
                    for v in items { s[sp] = v; sp &+= 1 }
                    self.sp = sp
                    let k = try performCall(argc: items.count, flags: ins.op == .constructSpread ? .construct : [], calleeName: ins.b, unit: unitIndex)
                    switch k {
                    case .frame: reload()
                    case .value: sp = self.sp; s = stack
                    case .suspended: return .hostCall(pendingHostCall!)
                    }
                case .return, .returnUndefined:
                    var result: Value = ins.op == .return ? s[sp - 1] : .undefined
                    let fr = frames.removeLast()
                    if fr.flags.rawValue == 0, fi > 0 {
                        // Plain call returning into a script caller: restore its locals here.
                        sp = base &- 2
                        s[sp] = result; sp &+= 1
                        fi &-= 1
                        let caller = frames[fi]
                        fn = functions[Int(caller.function)]
                        code = fn.code
                        pc = Int(caller.pc)
                        base = Int(caller.base)
                        env = caller.env
                        if fn.unit != unitIndex {
                            unitIndex = fn.unit
                            strs = units[unitIndex].strings
                            nums = units[unitIndex].numbers
                            cache = units[unitIndex].cache
                            funcBase = units[unitIndex].functionBase
                        }
                        strict = fn.flags.contains(.strict)
                        break
                    }
                    if fr.flags.contains(.construct), !result.isObject { result = s[base - 1] }
                    sp = base - 2
                    if fr.flags.contains(.pushReceiver) {
                        s[sp] = result; s[sp + 1] = s[base - 1]; sp += 2
                        self.sp = sp
                        reload()
                        break
                    }
                    if fr.flags.contains(.main) {
                        completionValue = result
                        self.sp = sp
                        status = .completed
                        return .completed(toHostValueLossy(result))
                    }
                    if !fr.flags.contains(.discardResult) { s[sp] = result; sp &+= 1 }
                    if frames.isEmpty {
                        self.sp = sp
                        if fr.flags.contains(.script), let args = mainArguments, units.count > VM.programUnitIndex,
                           case .value(let m) = getProperty(intrinsic(.global), heap.intern("main")), isCallable(m) {
                            sp = 0; self.sp = 0
                            let argsValue = fromHostValue(args)
                            if try callValue(m, this: .undefined, [argsValue], flags: .main) == .frame { reload(); break }
                            if status == .completed { return .completed(toHostValueLossy(completionValue)) }
                            if case .awaitingHost = status { return .hostCall(pendingHostCall!) }
                        }
                        completionValue = fr.flags.contains(.script) ? .undefined : result
                        self.sp = 0
                        status = .completed
                        return .completed(toHostValueLossy(completionValue))
                    }
                    self.sp = sp
                    reload()
                case .loadThis: s[sp] = s[base - 1]; sp &+= 1
                case .loadCallee: s[sp] = s[base - 2]; sp &+= 1
                case .globalObject: s[sp] = .object(realm[0]); sp &+= 1
                // MARK: control
                case .jump:
                    let target = Int(ins.a)
                    if target < pc, heap.allocationsSinceGC > gcInterval || heap.bytesSinceGC > gcByteInterval {
                        pc = target
                        sync()
                        try collectAtSafePoint()
                    }
                    pc = target
                case .jumpIfFalse:
                    sp &-= 1
                    let v = s[sp]
                    if case .bool(let b) = v { if !b { pc = Int(ins.a) } } else if !toBoolean(v) { pc = Int(ins.a) }
                case .jumpIfTrue:
                    sp &-= 1
                    let v = s[sp]
                    if case .bool(let b) = v { if b { pc = Int(ins.a) } } else if toBoolean(v) { pc = Int(ins.a) }
                case .jumpIfFalseKeep:
                    if !toBoolean(s[sp - 1]) { pc = Int(ins.a) } else { sp &-= 1 }
                case .jumpIfTrueKeep:
                    if toBoolean(s[sp - 1]) { pc = Int(ins.a) } else { sp &-= 1 }
                case .jumpIfNotNullishKeep:
                    if !s[sp - 1].isNullish { pc = Int(ins.a) } else { sp &-= 1 }
                case .throw:
                    sync()
                    throw ThrowSignal(s[sp - 1])
                case .throwRef:
                    sync()
                    throw referenceError("\(heap.string(strs[Int(ins.a)])) is not defined")
                // MARK: arithmetic
                case .add:
                    let b = s[sp - 1], a = s[sp - 2]
                    if case .number(let x) = a, case .number(let y) = b { s[sp - 2] = .number(x + y); sp &-= 1; break }
                    if case .string(let x) = a, case .string(let y) = b {
                        sync(); s[sp - 2] = try concat(x, y); sp &-= 1; break
                    }
                    if a.isObject || b.isObject {
                        sp &-= 2; self.sp = sp; sync()
                        if try callHelper(.helperBinary, .string(opAtoms[Int(Op.add.rawValue)]), a, b) != .value { reload() } else { sp = self.sp; s = stack }
                        break
                    }
                    sync()
                    if a.asString != nil || b.asString != nil { s[sp - 2] = try concatPrimitives(a, b) }
                    else { s[sp - 2] = .number(toNumberPrimitive(a) + toNumberPrimitive(b)) }
                    sp &-= 1
                case .sub, .mul, .div, .mod, .exp:
                    let b = s[sp - 1], a = s[sp - 2]
                    let x: Double, y: Double
                    if case .number(let p) = a, case .number(let q) = b { x = p; y = q } else {
                        if a.isObject || b.isObject {
                            sp &-= 2; self.sp = sp; sync()
                            if try callHelper(.helperBinary, .string(opAtoms[Int(ins.op.rawValue)]), a, b) != .value { reload() } else { sp = self.sp; s = stack }
                            break
                        }
                        x = toNumberPrimitive(a); y = toNumberPrimitive(b)
                    }
                    let r: Double
                    switch ins.op {
                    case .sub: r = x - y
                    case .mul: r = x * y
                    case .div: r = x / y
                    case .mod: r = jsRemainder(x, y)
                    default: r = jsPow(x, y)
                    }
                    s[sp - 2] = .number(r); sp &-= 1
                case .bitAnd, .bitOr, .bitXor, .shl, .shr, .ushr:
                    let b = s[sp - 1], a = s[sp - 2]
                    if a.isObject || b.isObject {
                        sp &-= 2; self.sp = sp; sync()
                        if try callHelper(.helperBinary, .string(opAtoms[Int(ins.op.rawValue)]), a, b) != .value { reload() } else { sp = self.sp; s = stack }
                        break
                    }
                    let x = NumberFormatting.toInt32(toNumberPrimitive(a))
                    let y = NumberFormatting.toInt32(toNumberPrimitive(b))
                    let r: Double
                    switch ins.op {
                    case .bitAnd: r = Double(x & y)
                    case .bitOr: r = Double(x | y)
                    case .bitXor: r = Double(x ^ y)
                    case .shl: r = Double(x << (y & 31))
                    case .shr: r = Double(x >> (y & 31))
                    default: r = Double(UInt32(bitPattern: x) >> UInt32(y & 31))
                    }
                    s[sp - 2] = .number(r); sp &-= 1
                case .lt, .gt, .le, .ge:
                    let b = s[sp - 1], a = s[sp - 2]
                    if case .number(let x) = a, case .number(let y) = b {
                        let r: Bool
                        switch ins.op {
                        case .lt: r = x < y
                        case .gt: r = x > y
                        case .le: r = x <= y
                        default: r = x >= y
                        }
                        s[sp - 2] = .bool(r); sp &-= 1
                        break
                    }
                    if a.isObject || b.isObject {
                        sp &-= 2; self.sp = sp; sync()
                        if try callHelper(.helperBinary, .string(opAtoms[Int(ins.op.rawValue)]), a, b) != .value { reload() } else { sp = self.sp; s = stack }
                        break
                    }
                    let r: Bool
                    switch ins.op {
                    case .lt: r = lessThan(a, b) ?? false
                    case .gt: r = lessThan(b, a) ?? false
                    case .le: r = lessThan(b, a).map { !$0 } ?? false
                    default: r = lessThan(a, b).map { !$0 } ?? false
                    }
                    s[sp - 2] = .bool(r); sp &-= 1
                case .strictEq: let r = strictEquals(s[sp - 2], s[sp - 1]); s[sp - 2] = .bool(r); sp &-= 1
                case .strictNeq: let r = strictEquals(s[sp - 2], s[sp - 1]); s[sp - 2] = .bool(!r); sp &-= 1
                case .eq, .neq:
                    let b = s[sp - 1], a = s[sp - 2]
                    if let r = looseEquals(a, b) { s[sp - 2] = .bool(ins.op == .eq ? r : !r); sp &-= 1; break }
                    sp &-= 2; self.sp = sp; sync()
                    if try callHelper(.helperBinary, .string(opAtoms[Int(ins.op.rawValue)]), a, b) != .value { reload() } else { sp = self.sp; s = stack }
                case .instanceOf:
                    sync()
                    let r = try instanceOf(s[sp - 2], s[sp - 1])
                    s[sp - 2] = .bool(r); sp &-= 1
                case .in:
                    let o = s[sp - 1], k = s[sp - 2]
                    sync()
                    guard case .object(let oid) = o else {
                        throw typeError("Cannot use 'in' operator to search for '\(k.isObject ? "object" : toSwiftString(k))' in \(toSwiftString(o))")
                    }
                    if case .object = k {
                        sp &-= 2; self.sp = sp
                        if try callHelper(.helperIn, k, o) != .value { reload() } else { sp = self.sp; s = stack }
                        break
                    }
                    if let has = arrayHasIndex(oid, k) { s[sp - 2] = .bool(has); sp &-= 1; break }
                    s[sp - 2] = .bool(hasProperty(oid, toPropertyKeyPrimitive(k))); sp &-= 1
                case .neg, .plus, .bitNot, .toNumeric:
                    let v = s[sp - 1]
                    if case .object = v {
                        sp &-= 1; self.sp = sp; sync()
                        if try callHelper(.helperUnary, .string(opAtoms[Int(ins.op.rawValue)]), v) != .value { reload() } else { sp = self.sp; s = stack }
                        break
                    }
                    let d: Double
                    if case .number(let x) = v { d = x } else { d = toNumberPrimitive(v) }
                    switch ins.op {
                    case .neg: s[sp - 1] = .number(-d)
                    case .bitNot: s[sp - 1] = .number(Double(~NumberFormatting.toInt32(d)))
                    default: s[sp - 1] = .number(d)
                    }
                case .not: s[sp - 1] = .bool(!toBoolean(s[sp - 1]))
                case .typeOf: s[sp - 1] = .string(typeOf(s[sp - 1]))
                case .void: s[sp - 1] = .undefined
                case .inc:
                    if case .number(let d) = s[sp - 1] { s[sp - 1] = .number(d + 1) } else { s[sp - 1] = .number(toNumberPrimitive(s[sp - 1]) + 1) }
                case .dec:
                    if case .number(let d) = s[sp - 1] { s[sp - 1] = .number(d - 1) } else { s[sp - 1] = .number(toNumberPrimitive(s[sp - 1]) - 1) }
                case .toStringOp:
                    let v = s[sp - 1]
                    if case .string = v { break }
                    if case .object = v {
                        sp &-= 1; self.sp = sp; sync()
                        if try callHelper(.helperToString, v) != .value { reload() } else { sp = self.sp; s = stack }
                        break
                    }
                    s[sp - 1] = .string(toStringPrimitive(v))
                // MARK: iteration
                case .forInPrepare:
                    sync()
                    let v = s[sp - 1]
                    var it = JSObject(cls: .ordinary, proto: .none, flags: [])
                    if case .object(let o) = v {
                        it.link = o
                        it.elements = forInKeys(o)
                    } else if case .string = v {
                        let o = try toObject(v)
                        it.link = o
                        it.elements = forInKeys(o)
                    }
                    it.slot0 = .number(0)
                    it.slot1 = .bool(true)
                    s[sp - 1] = .object(heap.allocate(it))
                case .forOfPrepare:
                    sync()
                    let v = s[sp - 1]
                    var it = JSObject(cls: .ordinary, proto: .none, flags: [])
                    switch v {
                    case .object(let o) where heap.objects[o.index].cls == .array || heap.objects[o.index].cls == .arguments:
                        it.link = o
                    case .object(let o) where heap.objects[o.index].cls == .stringWrapper:
                        it.slot1 = heap.objects[o.index].slot0
                    case .string: it.slot1 = v
                    default:
                        throw typeError("\(v.isObject ? "object" : toSwiftString(v)) is not iterable")
                    }
                    it.slot0 = .number(0)
                    s[sp - 1] = .object(heap.allocate(it))
                case .iterNext:
                    guard case .object(let it) = s[sp - 1], case .number(let posD) = heap.objects[it.index].slot0 else { pc = Int(ins.a); break }
                    var pos = Int(posD)
                    if case .bool(true) = heap.objects[it.index].slot1 {
                        // for-in: skip keys deleted meanwhile.
                        let target = heap.objects[it.index].link
                        var found: Value? = nil
                        while pos < heap.objects[it.index].elements.count {
                            let k = heap.objects[it.index].elements[pos]
                            pos += 1
                            if case .string(let key) = k, hasProperty(target, key) { found = k; break }
                        }
                        heap.objects[it.index].slot0 = .number(Double(pos))
                        if let k = found { s[sp] = k; sp &+= 1 } else { pc = Int(ins.a) }
                    } else if case .string(let str) = heap.objects[it.index].slot1 {
                        let units = heap.strings[str.index].units
                        if pos >= units.count { pc = Int(ins.a); break }
                        let u = units[pos]
                        if u >= 0xD800 && u < 0xDC00 && pos + 1 < units.count && units[pos + 1] >= 0xDC00 && units[pos + 1] < 0xE000 {
                            s[sp] = .string(heap.allocateString([u, units[pos + 1]])); pos += 2
                        } else {
                            s[sp] = .string(charString(u)); pos += 1
                        }
                        sp &+= 1
                        heap.objects[it.index].slot0 = .number(Double(pos))
                    } else {
                        let target = heap.objects[it.index].link
                        if pos >= heap.objects[target.index].elements.count { pc = Int(ins.a); break }
                        let v = heap.objects[target.index].elements[pos]
                        s[sp] = v.isEmpty ? .undefined : v; sp &+= 1
                        heap.objects[it.index].slot0 = .number(Double(pos + 1))
                    }
                case .nop: break
                case .toPropertyKey:
                    let kv = s[sp - 1], ov = s[sp - 2]
                    if ov.isNullish {
                        sync()
                        throw typeError("Cannot read properties of \(ov == .null ? "null" : "undefined") (reading '\(kv.isObject ? "object" : toSwiftString(kv))')")
                    }
                    if case .object = kv {
                        sp &-= 1; self.sp = sp; sync()
                        if try callHelper(.helperToPropertyKey, kv) != .value { reload() } else { sp = self.sp; s = stack }
                    }
                case .mapArguments:
                    sp &-= 1
                    if case .object(let a) = s[sp], heap.objects[a.index].cls == .arguments {
                        let n = min(Int(frames[fi].argc), Int(ins.b), heap.objects[a.index].elements.count, 32)
                        heap.objects[a.index].code = n == 0 ? 0 : UInt32.max >> UInt32(32 - n)
                        heap.objects[a.index].link = env
                        heap.objects[a.index].slot0 = .number(Double(ins.a))
                    }
                case .syncArgument:
                    sp &-= 1
                    if case .object(let a) = s[sp] { argumentsParameterWritten(a, Int(ins.a), s[sp - 1]) }
                case .setProtoLiteral:
                    sp &-= 1
                    if case .object(let o) = s[sp - 1] {
                        switch s[sp] {
                        case .object(let p): heap.objects[o.index].proto = p
                        case .null: heap.objects[o.index].proto = .none
                        default: break
                        }
                    }
                }
            }
        } catch {
            if fi == frames.count - 1 { sync() }
            throw error
        }
    }

    func tdzError(_ name: StringID) -> ThrowSignal {
        referenceError("Cannot access '\(heap.string(name))' before initialization")
    }

    func setOnPrimitive(_ ov: Value, _ key: StringID, _ v: Value, strict: Bool) throws {
        if ov.isNullish {
            throw typeError("Cannot set properties of \(ov == .null ? "null" : "undefined") (setting '\(heap.string(key))')")
        }
        // Setters on the prototype of a primitive still run; plain writes are dropped (TypeError in strict mode).
        if strict { throw typeError("Cannot create property '\(heap.string(key))' on \(typeOfName(ov)) '\(toSwiftString(ov))'") }
    }

    func typeOfName(_ v: Value) -> String { heap.string(typeOf(v)) }

    public func instanceOf(_ v: Value, _ f: Value) throws -> Bool {
        guard case .object(var fid) = f, isCallable(fid) else {
            throw typeError("Right-hand side of 'instanceof' is not callable")
        }
        while heap.objects[fid.index].cls == .bound { fid = heap.objects[fid.index].link }
        guard case .object(let o) = v else { return false }
        guard case .value(.object(let proto)) = getProperty(fid, atoms.prototype) else {
            throw typeError("Function has non-object prototype in instanceof check")
        }
        var p = heap.objects[o.index].proto
        while !p.isNone {
            if p == proto { return true }
            p = heap.objects[p.index].proto
        }
        return false
    }

    /// Values of a spread (`...x`): arrays, arguments, strings.
    func spreadValues(_ v: Value) throws -> [Value] {
        switch v {
        case .object(let o) where heap.objects[o.index].cls == .array || heap.objects[o.index].cls == .arguments:
            return heap.objects[o.index].elements.map { $0.isEmpty ? .undefined : $0 }
        case .string(let s):
            var out: [Value] = []
            let u = heap.strings[s.index].units
            var i = 0
            while i < u.count {
                if u[i] >= 0xD800 && u[i] < 0xDC00 && i + 1 < u.count && u[i + 1] >= 0xDC00 && u[i + 1] < 0xE000 {
                    out.append(.string(heap.allocateString([u[i], u[i + 1]]))); i += 2
                } else { out.append(.string(charString(u[i]))); i += 1 }
            }
            return out
        default:
            throw typeError("\(v.isObject ? "object" : toSwiftString(v)) is not iterable")
        }
    }
}

@inline(__always)
func jsRemainder(_ x: Double, _ y: Double) -> Double {
    if x > 0, y > 0, x < 9.007199254740992e15, y < 9.007199254740992e15, x == x.rounded(.towardZero), y == y.rounded(.towardZero) {
        return Double(Int64(x) % Int64(y))
    }
    return x.truncatingRemainder(dividingBy: y)
}

func jsPow(_ x: Double, _ y: Double) -> Double {
    if y.isNaN { return .nan }
    if y == 0 { return 1 }
    if (x == 1 || x == -1) && y.isInfinite { return .nan }
    return pow(x, y)
}


extension VM {
    /// `this` of a sloppy-mode call when it needs no allocation: undefined/null become the
    /// global object, objects stay; false for primitives (they need a wrapper: slow path).
    @inline(__always)
    func fastThis(_ t: inout Value) -> Bool {
        switch t {
        case .undefined, .null, .empty: t = .object(realm[Intrinsic.global.rawValue]); return true
        case .object: return true
        default: return false
        }
    }
}
