// MARK: - Error objects and stack traces

extension VM {
    /// Creates an error object of the given constructor name with `message` and `stack`.
    public func makeError(_ name: String, _ message: String) -> Value {
        let protoIntr = Intrinsic.errorPrototype(named: name)
        let o = heap.allocate(JSObject(cls: .error, proto: intrinsic(protoIntr)))
        if !message.isEmpty { defineOwn(o, atoms.message, .string(heap.allocateString(message)), .hidden) }
        if protoIntr == .errorPrototype && name != "Error" {
            defineOwn(o, atoms.name, .string(heap.intern(name)), .hidden)
        }
        attachStack(o, name: name, message: message)
        return .object(o)
    }

    /// Sets `stack` = "Name: message\n    at f (l:c)…" from the current frames.
    public func attachStack(_ o: ObjectID, name: String, message: String) {
        var text = message.isEmpty ? name : "\(name): \(message)"
        for f in captureStack() { text += "\n\(f)" }
        defineOwn(o, atoms.stack, .string(heap.allocateString(text)), .hidden)
    }

    public func typeError(_ message: String) -> ThrowSignal { ThrowSignal(makeError("TypeError", message)) }
    public func rangeError(_ message: String) -> ThrowSignal { ThrowSignal(makeError("RangeError", message)) }
    public func referenceError(_ message: String) -> ThrowSignal { ThrowSignal(makeError("ReferenceError", message)) }
    public func syntaxError(_ message: String) -> ThrowSignal { ThrowSignal(makeError("SyntaxError", message)) }
    public func error(_ name: String, _ message: String) -> ThrowSignal { ThrowSignal(makeError(name, message)) }

    /// Script frames, innermost first (prelude frames are shown as `native`-less builtins and skipped).
    public func captureStack(limit: Int = 50) -> [ScriptStackFrame] {
        var out: [ScriptStackFrame] = []
        for f in frames.reversed() {
            let lf = functions[Int(f.function)]
            if lf.unit == VM.preludeUnitIndex { continue }
            let u = units[lf.unit]
            let fc = u.unit.functions[Int(f.function) - u.functionBase]
            let (line, col) = fc.position(at: max(0, Int(f.pc) - 1))
            let name = fc.flags.contains(.script) ? "<script>" : (fc.name.isEmpty ? "<anonymous>" : fc.name)
            out.append(ScriptStackFrame(function: name, line: line, column: col))
            if out.count >= limit { break }
        }
        return out
    }

    /// Describes an uncaught value for the driver.
    func scriptError(from v: Value, stack: [ScriptStackFrame]) -> ScriptError {
        if case .object(let o) = v, heap.objects[o.index].cls == .error || isErrorLike(o) {
            let name = toSwiftString(getData(o, atom: atoms.name))
            let msgV = getData(o, atom: atoms.message)
            let message = msgV.isUndefined ? "" : toSwiftString(msgV)
            return ScriptError(name: name, message: message, stack: stack)
        }
        let text: String
        switch v {
        case .string(let s): text = heap.string(s)
        case .object: text = toSwiftString(v) == "[object Object]" ? (toHostValueLossy(v).json) : toSwiftString(v)
        default: text = toSwiftString(v)
        }
        return ScriptError(name: "Uncaught", message: text, stack: stack, thrownValue: toHostValueLossy(v))
    }

    func isErrorLike(_ o: ObjectID) -> Bool {
        var p = heap.objects[o.index].proto
        while !p.isNone {
            if p == intrinsic(.errorPrototype) { return true }
            p = heap.objects[p.index].proto
        }
        return false
    }
}
