#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        /// Best of `repetitions`, thread CPU milliseconds (robust on a shared machine):
        /// `VM.encodeSnapshot()` and `VM.restore(from:…)` (the latter includes creating and
        /// linking the fresh VM).
        public var encodeMs: Double
        public var decodeMs: Double
        /// The same, wall-clock milliseconds.
        public var encodeWallMs: Double
        public var decodeWallMs: Double
        public var repetitions: Int

        public var description: String {
            func f(_ d: Double) -> String {
                let r = (d * 1000).rounded() / 1000
                return "\(r)"
            }
            return "snapshot \(scriptObjects) objects: heap \(heapObjects) objects + \(heapStrings) strings, \(bytes) bytes, "
                + "encode \(f(encodeMs)) ms CPU (\(f(encodeWallMs)) wall), decode \(f(decodeMs)) ms CPU (\(f(decodeWallMs)) wall), best of \(repetitions)"
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
        var bytes: [UInt8] = []
        var encode = (cpu: Double.infinity, wall: Double.infinity)
        for _ in 0..<max(1, repetitions) {
            let t = measure { bytes = (try? vm.encodeSnapshot()) ?? [] }
            encode = (min(encode.cpu, t.cpu), min(encode.wall, t.wall))
        }
        guard !bytes.isEmpty else { throw EngineError("encode failed") }
        var decode = (cpu: Double.infinity, wall: Double.infinity)
        var restored: VM?
        for _ in 0..<max(1, repetitions) {
            restored = nil
            let t = measure { restored = try? VM.restore(from: bytes, program: program, limits: limits) }
            decode = (min(decode.cpu, t.cpu), min(decode.wall, t.wall))
        }
        guard let check = restored, (try? check.encodeSnapshot()) == bytes else { throw EngineError("restore failed") }
        return Result(scriptObjects: objects, heapObjects: vm.heap.objects.count, heapStrings: vm.heap.strings.count,
                      bytes: bytes.count, encodeMs: encode.cpu, decodeMs: decode.cpu,
                      encodeWallMs: encode.wall, decodeWallMs: decode.wall, repetitions: max(1, repetitions))
    }

    /// Thread CPU time and wall time of `body`, in milliseconds.
    static func measure(_ body: () -> Void) -> (cpu: Double, wall: Double) {
        func now(_ clock: clockid_t) -> Double {
            var ts = timespec()
            clock_gettime(clock, &ts)
            return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
        }
        let c0 = now(CLOCK_THREAD_CPUTIME_ID), w0 = now(CLOCK_MONOTONIC)
        body()
        return (now(CLOCK_THREAD_CPUTIME_ID) - c0, now(CLOCK_MONOTONIC) - w0)
    }
}
