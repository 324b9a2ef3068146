// MARK: - Snapshot benchmark (a measurement, not a test)

/// Encode/decode timings of a suspended VM holding `objects` live script objects.
/// `lazarus-bench engine` prints these; docs/SNAPSHOT.md records them (release build).
public enum SnapshotBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        /// Script objects the program built (the heap also holds the realm and prelude).
        public var scriptObjects: Int
        /// Heap object slots and string slots in the snapshot.
        public var heapObjects: Int
        public var heapStrings: Int
        public var bytes: Int
        /// Best of `repetitions`, milliseconds: `VM.encodeSnapshot()` and `VM.restore(from:…)`
        /// (the latter includes creating and linking the fresh VM).
        public var encodeMs: Double
        public var decodeMs: Double
        public var repetitions: Int

        public var description: String {
            func f(_ d: Double) -> String {
                let r = (d * 1000).rounded() / 1000
                return "\(r)"
            }
            return "snapshot \(scriptObjects) objects: heap \(heapObjects) objects + \(heapStrings) strings, \(bytes) bytes, encode \(f(encodeMs)) ms, decode \(f(decodeMs)) ms (best of \(repetitions))"
        }
    }

    /// The program: `objects` small records `{ id, name, tags: [..] }` — one object in
    /// three is an array, names are distinct strings — kept alive, then a host call.
    public static func source(objects: Int) -> String {
        """
        var keep = [];
        var n = \(objects);
        for (var i = 0; keep.length < n; i++) {
          var rec = { id: i, name: "record-" + i, score: i * 0.5 };
          keep.push(rec);
          if (keep.length < n && i % 2 === 0) { rec.tags = [i, "t"]; keep.push(rec.tags); }
        }
        checkpoint("bench");
        console.log(keep.length);
        """
    }

    /// Builds the state (suspended at its `checkpoint` host call), then times encode and
    /// restore `repetitions` times each.
    public static func run(objects: Int, repetitions: Int = 5) throws -> Result {
        let program = try compileProgram(source(objects: objects))
        var limits = EngineLimits()
        limits.maxHeapCells = max(limits.maxHeapCells, objects * 4)
        let vm = try VM(limits: limits)
        vm.load(program)
        var r = vm.run()
        while case .budgetExhausted = r { r = vm.run() }
        guard case .hostCall = r else { throw EngineError("benchmark program did not suspend: \(r)") }
        vm.collectGarbage()
        let clock = ContinuousClock()
        var bytes: [UInt8] = []
        var best = Duration.seconds(1_000_000)
        for _ in 0..<max(1, repetitions) {
            let t = clock.measure { bytes = (try? vm.encodeSnapshot()) ?? [] }
            best = min(best, t)
        }
        guard !bytes.isEmpty else { throw EngineError("encode failed") }
        let encode = best
        best = .seconds(1_000_000)
        var restored: VM?
        for _ in 0..<max(1, repetitions) {
            restored = nil
            let t = clock.measure { restored = try? VM.restore(from: bytes, program: program, limits: limits) }
            best = min(best, t)
        }
        guard let check = restored, (try? check.encodeSnapshot()) == bytes else { throw EngineError("restore failed") }
        func ms(_ d: Duration) -> Double {
            Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        }
        return Result(scriptObjects: objects, heapObjects: vm.heap.objects.count, heapStrings: vm.heap.strings.count,
                      bytes: bytes.count, encodeMs: ms(encode), decodeMs: ms(best), repetitions: max(1, repetitions))
    }
}
