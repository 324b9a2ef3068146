// MARK: - Snapshot inspection: a suspended script as a debugger would show it
//
// Read-only: decodes a snapshot into a throwaway VM and describes its frames (innermost
// first) with function names, source positions and named variables (registers, captured
// variables in environment records, top-level globals), using the compiler's line table
// and debug scopes (DebugScopes.swift). Used by `lazarus inspect`.

/// What a snapshot holds, described for a person.
public struct SnapshotInspection: Sendable, Hashable {
    /// `awaitingHost` (suspended in a host call) or `ready` (between two instructions).
    public var status: VMStatus
    /// Script frames, innermost first.
    public var frames: [InspectedFrame]
    /// The host call the script is suspended in, arguments as JSON-like values.
    public var pendingHostCall: PendingHostCall?
    /// Host calls made since the start of the job.
    public var hostCallSeq: Int
    /// Instructions executed since the start of the job.
    public var instructionCount: UInt64
}

/// One activation of a function.
public struct InspectedFrame: Sendable, Hashable {
    /// The function's name; `<script>` for top-level code, `<anonymous>` when it has none.
    public var function: String
    /// A frame of the engine's own library code (e.g. `Array.prototype.map` calling a
    /// callback): no source line and no variables are shown for it.
    public var isBuiltin: Bool
    /// 1-based position of the instruction the frame is in (0 when unknown).
    public var line: Int
    public var column: Int
    /// The text of that source line (nil for builtins).
    public var sourceLine: String?
    /// Named variables visible in the frame, the function's own first (outer scopes
    /// before inner ones, in declaration order), then those captured from enclosing
    /// functions. A name shadowed by an inner scope is shown once, with the inner value.
    public var variables: [InspectedVariable]
}

/// A variable and its value, rendered by `VM.describeBriefly`.
public struct InspectedVariable: Sendable, Hashable {
    public var name: String
    public var value: String
    /// Captured from an enclosing function (a closure variable), not the frame's own.
    public var isCaptured: Bool
}

public enum SnapshotInspector {
    /// Decodes `bytes` (checked like a restore: header, checksum, program hash) and
    /// describes the suspended script.
    public static func inspect(_ bytes: [UInt8], program: CompiledProgram) throws(SnapshotError) -> SnapshotInspection {
        let vm = try VM.restore(from: bytes, program: program)
        return vm.inspect()
    }
}

extension VM {
    /// Describes the VM's frames and pending host call. Does not change the VM.
    public func inspect() -> SnapshotInspection {
        let sites = closureSites()
        var out: [InspectedFrame] = []
        for frame in frames.reversed() {
            out.append(inspect(frame, sites: sites))
        }
        return SnapshotInspection(status: status, frames: out, pendingHostCall: pendingHostCall,
                                  hostCallSeq: hostCallSeq, instructionCount: instructionCount)
    }

    private func code(ofFlat flat: Int) -> (code: FunctionCode, unit: Int)? {
        guard flat >= 0, flat < functions.count else { return nil }
        let unit = functions[flat].unit
        let u = units[unit]
        let rel = flat - u.functionBase
        guard rel >= 0, rel < u.unit.functions.count else { return nil }
        return (u.unit.functions[rel], unit)
    }

    /// For each program function, the function and pc whose `closure` instruction creates
    /// it: where its captured environment chain continues.
    private func closureSites() -> [Int: (function: Int, pc: Int)] {
        guard units.count > VM.programUnitIndex else { return [:] }
        let u = units[VM.programUnitIndex]
        var sites: [Int: (Int, Int)] = [:]
        for (rel, fc) in u.unit.functions.enumerated() {
            for (pc, ins) in fc.code.enumerated() where ins.op == .closure {
                sites[u.functionBase + Int(ins.a)] = (u.functionBase + rel, pc)
            }
        }
        return sites
    }

    private func inspect(_ frame: Frame, sites: [Int: (function: Int, pc: Int)]) -> InspectedFrame {
        let flat = Int(frame.function)
        guard let (fc, unit) = code(ofFlat: flat) else {
            return InspectedFrame(function: "<unknown>", isBuiltin: true, line: 0, column: 0, sourceLine: nil, variables: [])
        }
        let name = fc.flags.contains(.script) ? "<script>" : (fc.name.isEmpty ? "<anonymous>" : fc.name)
        let pc = Int(frame.pc)
        let (line, column) = fc.position(at: max(0, pc - 1))
        if unit != VM.programUnitIndex {
            return InspectedFrame(function: name, isBuiltin: true, line: line, column: column, sourceLine: nil, variables: [])
        }
        var seen = Set<String>()
        var env = frame.env
        // The frame's own scopes, innermost first, then the enclosing functions' scopes
        // at the point where each closure was created.
        var chunks = variables(of: fc, at: pc, frame: frame, env: &env, seen: &seen, captured: false)
        var outer: [[InspectedVariable]] = []
        var site = sites[flat]
        var hops = 0
        while let (parent, sitePC) = site, hops < 1000, let (pfc, _) = code(ofFlat: parent) {
            outer.append(contentsOf: variables(of: pfc, at: sitePC, frame: nil, env: &env, seen: &seen, captured: true))
            site = sites[parent]
            hops += 1
        }
        chunks.reverse()
        let own = chunks.flatMap { $0 }
        return InspectedFrame(function: name, isBuiltin: false, line: line, column: column,
                              sourceLine: sourceLine(line), variables: own + outer.flatMap { $0 })
    }

    /// Variables of the scopes of `fc` current before `pc` runs, innermost scope first.
    /// `frame` nil: an enclosing function (only environment slots are reachable).
    /// Advances `env` past each environment record it reads.
    private func variables(of fc: FunctionCode, at pc: Int, frame: Frame?, env: inout ObjectID,
                           seen: inout Set<String>, captured: Bool) -> [[InspectedVariable]] {
        var index = fc.scopes.lastIndex { $0.contains(pc) } ?? -1
        var chunks: [[InspectedVariable]] = []
        var guardCount = 0
        while index >= 0, index < fc.scopes.count, guardCount < 10_000 {
            guardCount += 1
            let scope = fc.scopes[index]
            var record: ObjectID? = nil
            if scope.environmentActive(at: pc) {
                if env.index > 0, env.index < heap.objects.count, heap.objects[env.index].cls == .environment {
                    record = env
                    env = heap.objects[env.index].link
                } else {
                    env = .none  // out of step with the code: name nothing further out
                }
            }
            var chunk: [InspectedVariable] = []
            for variable in scope.variables where !seen.contains(variable.name) {
                guard let value = value(of: variable, frame: frame, record: record) else { continue }
                seen.insert(variable.name)
                chunk.append(InspectedVariable(name: variable.name, value: describeBriefly(value), isCaptured: captured))
            }
            chunks.append(chunk)
            index = Int(scope.parent)
        }
        return chunks
    }

    private func value(of variable: DebugVariable, frame: Frame?, record: ObjectID?) -> Value? {
        switch variable.location {
        case .register(let r):
            guard let frame else { return nil }
            let slot = Int(frame.base) + Int(r)
            guard r >= 0, slot < sp else { return nil }
            return stack[slot]
        case .environment(let slot):
            guard let record, slot >= 0, Int(slot) < heap.objects[record.index].elements.count else { return nil }
            return heap.objects[record.index].elements[Int(slot)]
        case .global:
            guard frame != nil, realm.count > Intrinsic.global.rawValue else { return nil }
            let global = intrinsic(.global)
            guard global.index > 0, global.index < heap.objects.count else { return nil }
            let obj = heap.objects[global.index]
            for i in obj.keys.indices where heap.string(obj.keys[i]) == variable.name {
                return obj.attributes[i].contains(.accessor) ? nil : obj.values[i]
            }
            return nil
        }
    }

    /// The text of 1-based `line` of the program's source (line terminators as the lexer
    /// counts them: CR LF, LF, CR, U+2028, U+2029).
    private func sourceLine(_ line: Int) -> String? {
        guard line > 0, units.count > VM.programUnitIndex else { return nil }
        let units16 = Array(units[VM.programUnitIndex].unit.source.utf16)
        var current = 1, start = 0, i = 0
        while i < units16.count {
            let c = units16[i]
            if c == 0x0A || c == 0x0D || c == 0x2028 || c == 0x2029 {
                if current == line { break }
                if c == 0x0D, i + 1 < units16.count, units16[i + 1] == 0x0A { i += 1 }
                current += 1
                start = i + 1
            }
            i += 1
        }
        guard current == line else { return nil }
        return String(decoding: units16[start..<min(i, units16.count)], as: UTF16.self)
    }
}
