import Foundation
import LazarusEngine
import Testing

// MARK: - Damaged snapshots are refused or restore into a VM that runs; nothing traps

@Suite struct SnapshotFuzzTests {
    /// xorshift64*: fixed seed, same mutations on every run.
    struct PRNG {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27
            return state &* 0x2545_F491_4F6C_DD1D
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
    }

    static let sources = [
        SnapshotCorpus.programs["hostCallsInCallbacks"]!,
        SnapshotCorpus.programs["closures"]!,
        SnapshotCorpus.programs["tryFinally"]!,
        SnapshotCorpus.programs["iteration"]!,
    ]

    /// Snapshots taken mid-run (every 150 instructions and at host calls).
    static func seeds() throws -> [(CompiledProgram, [UInt8])] {
        var out: [(CompiledProgram, [UInt8])] = []
        for source in sources {
            let program = try compileProgram(source)
            let vm = try VM()
            vm.load(program)
            let host = LocalHost(seed: 1, clock: { 1_700_000_000_000 })
            var taken = 0
            loop: while taken < 6 {
                switch vm.run(budget: 150) {
                case .completed, .failed: break loop
                case .hostCall(let c):
                    out.append((program, try vm.encodeSnapshot())); taken += 1
                    vm.resume(host.handle(c))
                case .budgetExhausted:
                    out.append((program, try vm.encodeSnapshot())); taken += 1
                }
            }
        }
        return out
    }

    static func fixLengthAndChecksum(_ b: inout [UInt8]) {
        guard b.count >= SnapshotFormat.headerSize else { return }
        let payload = UInt64(b.count - SnapshotFormat.headerSize)
        for i in 0..<8 { b[52 + i] = UInt8(truncatingIfNeeded: payload >> (8 * UInt64(i))) }
        let crc = CRC32C.checksum(Array(b[SnapshotFormat.headerSize...]))
        for i in 0..<4 { b[60 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
    }

    static func mutate(_ input: [UInt8], _ rng: inout PRNG) -> [UInt8] {
        var b = input
        switch rng.below(6) {
        case 0, 1: // bit flips anywhere
            for _ in 0...rng.below(3) { b[rng.below(b.count)] ^= UInt8(1 << rng.below(8)) }
        case 2: // bit flips in the payload only
            for _ in 0...rng.below(3) {
                b[SnapshotFormat.headerSize + rng.below(b.count - SnapshotFormat.headerSize)] ^= UInt8(1 << rng.below(8))
            }
        case 3: // random bytes overwritten
            let start = rng.below(b.count)
            for i in start..<min(b.count, start + 1 + rng.below(16)) { b[i] = UInt8(truncatingIfNeeded: rng.next()) }
        case 4: // truncation
            b.removeLast(1 + rng.below(b.count - 1))
        default: // garbage inserted or bytes deleted
            let at = SnapshotFormat.headerSize + rng.below(b.count - SnapshotFormat.headerSize)
            if rng.below(2) == 0 {
                b.insert(contentsOf: (0...rng.below(8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
            } else {
                b.removeSubrange(at..<min(b.count, at + 1 + rng.below(8)))
            }
        }
        return b
    }

    static func kind(_ e: SnapshotError) -> String {
        switch e {
        case .badMagic: return "badMagic"
        case .unsupportedFormatVersion: return "unsupportedFormatVersion"
        case .engineABIMismatch: return "engineABIMismatch"
        case .floatFormatMismatch: return "floatFormatMismatch"
        case .programMismatch: return "programMismatch"
        case .checksumMismatch: return "checksumMismatch"
        case .truncated: return "truncated"
        case .malformed: return "malformed"
        case .unknownNative: return "unknownNative"
        case .tooLarge: return "tooLarge"
        case .baselineMismatch: return "baselineMismatch"
        }
    }

    @Test("random flips, truncations and garbage are refused or run without trapping")
    func fuzz() throws {
        let seeds = try Self.seeds()
        #expect(seeds.count >= 10)
        var rng = PRNG(state: ProcessInfo.processInfo.environment["LAZARUS_SNAPSHOT_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5EED_1234_ABCD_0001)
        var refused: [String: Int] = [:]
        var restored = 0
        // LAZARUS_SNAPSHOT_FUZZ=N runs N mutations (a longer local campaign); 3,000 by default.
        let iterations = ProcessInfo.processInfo.environment["LAZARUS_SNAPSHOT_FUZZ"].flatMap { Int($0) } ?? 3000
        for i in 0..<iterations {
            let (program, original) = seeds[i % seeds.count]
            var bytes = Self.mutate(original, &rng)
            // Half the time, make the damage pass the checksum to reach the decoder's validation.
            if i % 2 == 0 { Self.fixLengthAndChecksum(&bytes) }
            let vm: VM
            do {
                vm = try VM.restore(from: bytes, program: program)
            } catch {
                refused[Self.kind(error), default: 0] += 1
                continue
            }
            restored += 1
            // It runs (a script error is fine) and can be snapshotted again.
            let host = LocalHost(seed: 1, clock: { 1_700_000_000_000 })
            var slices = 0
            loop: while slices < 200 {
                slices += 1
                switch vm.run(budget: 2_000) {
                case .completed, .failed: break loop
                case .hostCall(let c): vm.resume(host.handle(c))
                case .budgetExhausted: break
                }
            }
            _ = try? vm.encodeSnapshot()
        }
        print("snapshot fuzz: \(iterations) mutations, \(restored) restored and ran, refused: \(refused.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        #expect(restored + refused.values.reduce(0, +) == iterations)
        #expect(refused.values.reduce(0, +) > iterations / 2)
    }
}
