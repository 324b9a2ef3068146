@testable import LazarusEngine
import Testing

// MARK: - Cells unchanged from a fresh VM are written as runs

@Suite struct SnapshotBaselineTests {
    static func suspended(_ source: String) throws -> (CompiledProgram, VM) {
        let program = try compileProgram(source)
        let vm = try VM()
        vm.load(program)
        guard case .hostCall = vm.run() else { throw EngineError("expected a host call") }
        return (program, vm)
    }

    /// Runs a restored VM to its end, answering host calls like the original would be.
    static func finish(_ vm: VM) -> String {
        let host = LocalHost(seed: 1, clock: { 1_700_000_000_000 })
        while true {
            switch vm.run() {
            case .completed(let v): return "completed \(v.json) \(vm.output)"
            case .failed(let e): return "failed \(e)"
            case .hostCall(let c): vm.resume(host.handle(c))
            case .budgetExhausted: continue
            }
        }
    }

    @Test func aSmallScriptWritesOnlyWhatItChanged() throws {
        let (program, vm) = try Self.suspended("""
            var total = 0;
            for (var i = 0; i < 10; i++) total += i;
            checkpoint("small");
            total;
            """)
        let delta = try vm.encodeSnapshot()
        let whole = try SnapshotEncoder.encode(vm, limits: SnapshotLimits(), baseline: nil)
        // The fresh realm is most of a small script's heap: the delta is a small fraction.
        #expect(delta.count * 10 < whole.count, "delta \(delta.count) bytes, whole \(whole.count) bytes")
        // Both restore to the same state: re-encoding either gives the same delta bytes.
        let fromDelta = try VM.restore(from: delta, program: program)
        let fromWhole = try VM.restore(from: whole, program: program)
        #expect(try fromDelta.encodeSnapshot() == delta)
        #expect(try fromWhole.encodeSnapshot() == delta)
    }

    @Test func changedBuiltinsSurviveARestore() throws {
        let (program, vm) = try Self.suspended("""
            Array.prototype.second = function () { return this[1]; };
            delete Math.max;
            Object.prototype.zero = -0;
            JSON.note = "patched";
            String.prototype.shout = function () { return this.toUpperCase() + "!"; };
            checkpoint("patched");
            console.log([7, 8, 9].second(), typeof Math.max, 1 / ({}).zero, JSON.note, "hey".shout(), Math.min(3, 2));
            """)
        let restored = try VM.restore(from: try vm.encodeSnapshot(), program: program)
        let original = try VM.restore(from: try SnapshotEncoder.encode(vm, limits: SnapshotLimits(), baseline: nil),
                                      program: program)
        let expected = "completed null [\"8 undefined -Infinity patched HEY! 2\"]"
        #expect(Self.finish(restored) == expected)
        #expect(Self.finish(original) == expected)
    }

    /// The first snapshot gives the VM's unchanged builtins the baseline's own arrays; a
    /// builtin changed after that must get its own copy — seen by this VM and its snapshots,
    /// never by the baseline (shared by every VM of the process) or another VM.
    @Test func builtinsChangedAfterSharingStorageStayThisVMs() throws {
        let (program, vm) = try Self.suspended("""
            checkpoint("before");
            Math.answer = 42;
            Array.prototype.last = function () { return this[this.length - 1]; };
            checkpoint("after");
            console.log(Math.answer, [1, 2, 3].last());
            """)
        let before = try vm.encodeSnapshot()
        #expect(vm.sharesBaselineStorage)
        vm.resume(.value(.null))
        guard case .hostCall = vm.run() else { throw EngineError("expected the second checkpoint") }
        let after = try vm.encodeSnapshot()
        #expect(after.count > before.count, "the changed builtins are written: \(before.count) → \(after.count) bytes")

        // The baseline, and so a fresh VM, still has neither.
        let (_, fresh) = try Self.suspended("checkpoint('x'); console.log(typeof Math.answer, typeof [].last);")
        fresh.resume(.value(.null))
        #expect(Self.finish(fresh) == "completed null [\"undefined undefined\"]")
        // Restored from the second snapshot: both changes are there.
        let restored = try VM.restore(from: after, program: program)
        restored.resume(.value(.null))
        #expect(Self.finish(restored) == "completed null [\"42 3\"]")
        // Restored from the first, the script makes both changes again on its way.
        let early = try VM.restore(from: before, program: program)
        early.resume(.value(.null))
        #expect(Self.finish(early) == "completed null [\"42 3\"]")
        #expect(try VM.restore(from: before, program: program).encodeSnapshot() == before)
    }

    @Test func numbersCompareByBits() {
        #expect(!Value.number(0).identical(to: .number(-0.0)))
        #expect(Value.number(.nan).identical(to: .number(.nan)))
        #expect(Value.number(1).identical(to: .number(1)))
        #expect(!Value.number(1).identical(to: .bool(true)))
        #expect(Value.string(StringID(3)).identical(to: .string(StringID(3))))
    }

    @Test func anotherBaselineIsRefused() throws {
        let (program, vm) = try Self.suspended("checkpoint('x');")
        var bytes = try vm.encodeSnapshot()
        // Baseline section: tag, u32 length, kind, then the fingerprint.
        let at = SnapshotFormat.headerSize + 6
        #expect(bytes[SnapshotFormat.headerSize] == SnapshotFormat.Section.baseline.rawValue)
        bytes[at] ^= 0xFF
        SnapshotRefusalTests.fixChecksum(&bytes)
        do {
            _ = try VM.restore(from: bytes, program: program)
            Issue.record("a snapshot of another baseline was restored")
        } catch {
            guard case .baselineMismatch(let theirs, let ours) = error else { Issue.record("got \(error)"); return }
            #expect(theirs != ours)
            #expect(error.description.contains("baseline"))
        }
    }

    @Test func formatVersionOneIsStillRead() throws {
        let (program, vm) = try Self.suspended("""
            var list = [1, 2, 3];
            checkpoint("v1");
            console.log(list.join("-"));
            """)
        // A version-1 snapshot is a version-2 one written without a baseline, minus the
        // baseline section.
        let v2 = try SnapshotEncoder.encode(vm, limits: SnapshotLimits(), baseline: nil)
        let section = SnapshotFormat.headerSize
        #expect(v2[section] == SnapshotFormat.Section.baseline.rawValue)
        let length = 5 + Int(v2[section + 1])
        var v1 = Array(v2[..<section]) + Array(v2[(section + length)...])
        v1[4] = 1
        v1[5] = 0
        let payload = UInt64(v1.count - SnapshotFormat.headerSize)
        for i in 0..<8 { v1[52 + i] = UInt8(truncatingIfNeeded: payload >> (8 * UInt64(i))) }
        SnapshotRefusalTests.fixChecksum(&v1)
        #expect(try SnapshotCodec.readHeader(v1).formatVersion == 1)
        let restored = try VM.restore(from: v1, program: program)
        #expect(Self.finish(restored) == "completed null [\"1-2-3\"]")
    }

    @Test func aForgedEnvironmentFailsTheJobInsteadOfTrapping() throws {
        // A closure pointed at a function that reads a deeper environment than it captured.
        let (program, vm) = try Self.suspended("""
            function outer() { var a = 1, b = 2; return function inner() { return a + b; }; }
            var f = outer();
            function flat() { return 0; }
            checkpoint("forge");
            f() + flat();
            """)
        var innerObject = -1, flatObject = -1
        for i in 1..<vm.heap.objects.count where vm.heap.objects[i].cls == .closure {
            let f = Int(vm.heap.objects[i].code)
            let unit = vm.units[vm.functions[f].unit]
            let name = unit.unit.functions[f - unit.functionBase].name
            if name == "inner" { innerObject = i }
            if name == "flat" { flatObject = i }
        }
        try #require(innerObject > 0 && flatObject > 0)
        // `flat` captured no environment; give it `inner`'s code, which reads `a` and `b`.
        vm.heap.objects[flatObject].code = vm.heap.objects[innerObject].code
        let forged = try VM.restore(from: try vm.encodeSnapshot(), program: program)
        let outcome = Self.finish(forged)
        #expect(outcome.hasPrefix("failed"), "\(outcome)")
        #expect(outcome.contains("InternalError") && outcome.contains("inconsistent state"), "\(outcome)")
    }
}
