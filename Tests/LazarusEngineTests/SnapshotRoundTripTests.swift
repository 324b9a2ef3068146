import LazarusEngine
import Testing

// MARK: - Restore every k instructions: the output and the final state do not change

@Suite struct SnapshotRoundTripTests {
    static let ks = [1, 2, 3, 7, 97, 1000]

    @Test("restore every k instructions equals the straight run", arguments: SnapshotCorpus.names, ks)
    func restoreEveryK(name: String, k: Int) throws {
        let source = SnapshotCorpus.programs[name]!
        let straight = try SnapshotTestRunner.run(source)
        let restored = try SnapshotTestRunner.run(source, restoreEvery: k)
        #expect(restored.restores > 0 || (straight.instructions <= UInt64(k) && straight.hostCalls.isEmpty))
        #expect(restored.lines == straight.lines, "\(name) k=\(k)")
        #expect(restored.result == straight.result, "\(name) k=\(k)")
        #expect(restored.hostCalls == straight.hostCalls, "\(name) k=\(k)")
        #expect(restored.instructions == straight.instructions, "\(name) k=\(k)")
        // Everything, heap ids and GC counters included, ends identical.
        #expect(restored.finalSnapshot == straight.finalSnapshot, "\(name) k=\(k): final states differ")
    }

    @Test("the corpus runs (straight) without engine errors", arguments: SnapshotCorpus.names)
    func corpusRuns(name: String) throws {
        let r = try SnapshotTestRunner.run(SnapshotCorpus.programs[name]!)
        #expect(!r.result.contains("InternalError"), "\(name): \(r)")
        #expect(!r.lines.isEmpty, "\(name): \(r)")
    }

    @Test("encode → decode → encode gives identical bytes at every slice", arguments: SnapshotCorpus.names)
    func reencodeIdentical(name: String) throws {
        let program = try compileProgram(SnapshotCorpus.programs[name]!)
        let vm = try VM()
        vm.load(program, mainArguments: SnapshotTestRunner.mainArgs)
        let host = LocalHost(seed: 7, clock: { 1_700_000_000_000 })
        var steps = 0
        loop: while steps < 400 {
            steps += 1
            switch vm.run(budget: 37) {
            case .completed, .failed: break loop
            case .hostCall(let c):
                try checkReencode(vm, program)
                vm.resume(host.handle(c))
            case .budgetExhausted:
                try checkReencode(vm, program)
            }
        }
        try checkReencode(vm, program)
    }

    func checkReencode(_ vm: VM, _ program: CompiledProgram) throws {
        let a = try vm.encodeSnapshot()
        let again = try vm.encodeSnapshot()
        #expect(a == again, "encoding changed the VM")
        let restored = try VM.restore(from: a, program: program)
        let b = try restored.encodeSnapshot()
        #expect(a == b, "decode → encode is not the identity")
    }

    @Test("two runs of the same program give identical snapshot bytes at the same point")
    func deterministicAcrossRuns() throws {
        for name in SnapshotCorpus.names {
            let source = SnapshotCorpus.programs[name]!
            func snapshotAt(_ n: Int) throws -> [UInt8] {
                let program = try compileProgram(source)
                let vm = try VM()
                vm.load(program, mainArguments: SnapshotTestRunner.mainArgs)
                let host = LocalHost(seed: 7, clock: { 1_700_000_000_000 })
                var left = n
                while left > 0 {
                    let before = vm.instructionCount
                    switch vm.run(budget: left) {
                    case .hostCall(let c): vm.resume(host.handle(c))
                    case .budgetExhausted: break
                    case .completed, .failed: return try vm.encodeSnapshot()
                    }
                    left -= Int(vm.instructionCount - before)
                }
                return try vm.encodeSnapshot()
            }
            let a = try snapshotAt(1234), b = try snapshotAt(1234)
            #expect(a == b, "\(name)")
        }
    }

    @Test("host-call suspension: encode while awaiting, resume the restored VM with the value")
    func hostCallSuspension() throws {
        let source = """
            var before = "kept";
            var r = records.create("invoice", { amount: 12.5, lines: [1, 2] });
            console.log(before, r.fields.amount, r.fields.lines.length, typeof r.id);
            var n = now();
            console.log(n);
            try { records.load("missing", "nope"); console.log("no error?"); }
            catch (e) { console.log("caught", e.name); }
            """
        let program = try compileProgram(source)
        let sink = SnapshotLineSink()
        let vm = try VM(consoleMode: .direct({ sink.append($0) }))
        vm.load(program)
        guard case .hostCall(let call) = vm.run() else { Issue.record("expected a host call"); return }
        #expect(call.name == "records.create")
        #expect(call.seq == 0)
        let bytes = try vm.encodeSnapshot()
        let header = try SnapshotCodec.readHeader(bytes)
        #expect(header.programHash == program.programHash)

        let fresh = try VM.restore(from: bytes, program: program, consoleMode: .direct({ sink.append($0) }))
        guard case .hostCall(let again) = fresh.run() else { Issue.record("restored VM lost its pending call"); return }
        #expect(again == call)
        fresh.resume(.value(.object([("id", .string("inv-1")), ("fields", .object([("amount", .number(12.5)), ("lines", .array([.number(1), .number(2)]))]))])))
        guard case .hostCall(let nowCall) = fresh.run() else { Issue.record("expected now()"); return }
        #expect(nowCall.name == "now")
        #expect(nowCall.seq == 1)
        // Suspend again, restore again, answer with a value.
        let second = try VM.restore(from: try fresh.encodeSnapshot(), program: program, consoleMode: .direct({ sink.append($0) }))
        second.resume(.value(.number(42)))
        guard case .hostCall(let load) = second.run() else { Issue.record("expected records.load"); return }
        #expect(load.seq == 2)
        // The error result is thrown at the call site in a restored VM too.
        let third = try VM.restore(from: try second.encodeSnapshot(), program: program, consoleMode: .direct({ sink.append($0) }))
        third.resume(.error(name: "TypeError", message: "no such record"))
        guard case .completed = third.run() else { Issue.record("expected completion"); return }
        #expect(sink.lines == ["kept 12.5 2 string", "42", "caught TypeError"])
    }
}
