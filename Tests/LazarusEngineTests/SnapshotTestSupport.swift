import Foundation
import LazarusEngine
import Testing

// MARK: - Shared helpers for the snapshot tests

/// Collects console lines from any VM of a run (the console mode survives restores).
final class SnapshotLineSink: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ s: String) { lock.lock(); storage.append(s); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return storage }
}

/// What a run produced, compared between the straight run and restored runs.
struct SnapshotRunOutcome: Equatable, CustomStringConvertible {
    var lines: [String]
    var result: String
    var hostCalls: [String]
    var instructions: UInt64
    /// Snapshot of the final VM (after completion or failure).
    var finalSnapshot: [UInt8]
    var restores: Int

    static func == (a: SnapshotRunOutcome, b: SnapshotRunOutcome) -> Bool {
        a.lines == b.lines && a.result == b.result && a.hostCalls == b.hostCalls
            && a.instructions == b.instructions && a.finalSnapshot == b.finalSnapshot
    }

    var description: String {
        "result: \(result)\ninstructions: \(instructions), restores: \(restores)\nhost calls: \(hostCalls)\n" + lines.joined(separator: "\n")
    }
}

enum SnapshotTestRunner {
    static let mainArgs: HostValue = .object([("name", .string("lazarus")), ("n", .string("3"))])

    static func describe(_ r: RunResult) -> String {
        switch r {
        case .completed(let v): return "completed \(v.json)"
        case .failed(let e): return "failed \(e)"
        case .hostCall(let c): return "hostCall \(c.name)"
        case .budgetExhausted: return "budgetExhausted"
        }
    }

    /// Runs `source` to its end. With `restoreEvery`, every exhausted slice of that many
    /// instructions — and every host call, before it is answered — goes through
    /// encode → bytes → decode into a fresh VM. Past `window` instructions the slices
    /// grow to 997 (restores still happen), which keeps k = 1 affordable in debug builds.
    static func run(_ source: String, restoreEvery: Int? = nil, maxInstructions: UInt64 = 50_000_000,
                    gcInterval: Int = 300, window: UInt64 = 2_000) throws -> SnapshotRunOutcome {
        let program = try compileProgram(source)
        let sink = SnapshotLineSink()
        var limits = EngineLimits()
        limits.gcAllocationInterval = gcInterval
        limits.maxStackDepth = 200
        var vm = try VM(limits: limits, consoleMode: .direct({ sink.append($0) }))
        vm.load(program, mainArguments: mainArgs)
        let host = LocalHost(seed: 7, clock: { 1_700_000_000_000 }, logSink: { sink.append("log: " + $0) })
        var calls: [String] = []
        var restores = 0
        while true {
            var slice = restoreEvery ?? Int.max
            if slice < 997 && vm.instructionCount >= window { slice = 997 }
            let r = vm.run(budget: slice)
            switch r {
            case .completed, .failed:
                return SnapshotRunOutcome(lines: sink.lines, result: describe(r), hostCalls: calls,
                                          instructions: vm.instructionCount, finalSnapshot: try vm.encodeSnapshot(),
                                          restores: restores)
            case .hostCall(let call):
                calls.append("\(call.seq) \(call.name) \(HostValue.array(call.arguments).json)")
                if restoreEvery != nil {
                    vm = try SnapshotCodec.roundTrip(vm, program: program)
                    restores += 1
                }
                vm.resume(host.handle(call))
            case .budgetExhausted:
                if vm.instructionCount > maxInstructions { throw EngineError("runaway test program") }
                if restoreEvery != nil {
                    vm = try SnapshotCodec.roundTrip(vm, program: program)
                    restores += 1
                }
            }
        }
    }
}
