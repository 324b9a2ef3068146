import ArgumentParser
import Foundation
import LazarusWire

/// `lazarus-bench wire`: `WireCodec.encode` and `WireCodec.decode` time per message for the
/// messages of the host-call path, the wire codec figures of docs/BENCHMARKS.md.
struct WireBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wire",
        abstract: "Wire codec encode/decode time per message.")

    @Option(help: "Encodes (and decodes) of each message in one run.")
    var iterations = 20_000

    @Option(help: "Runs of each measurement; the median counts.")
    var runs = 9

    func run() throws {
        guard iterations > 0, runs > 0 else { throw ValidationError("--iterations and --runs take positive counts") }
        print("message                         bytes  encode_us  decode_us")
        for sample in WireSamples.all {
            let (bytes, encode, decode) = try sample.timing(iterations, runs)
            let name = sample.name.padding(toLength: 30, withPad: " ", startingAt: 0)
            print("\(name) \(pad(String(bytes), 6))  \(pad(format(encode), 9))  \(pad(format(decode), 9))")
        }
    }

    private func format(_ us: Double) -> String { String(format: "%.2f", us) }
    private func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
}

/// One message to time, type-erased so the samples fit in one list.
struct WireSample {
    let name: String
    /// (iterations, runs) → (encoded size, encode µs, decode µs)
    let timing: (Int, Int) throws -> (Int, Double, Double)

    init<M: WireMessage>(_ name: String, _ message: M) {
        self.name = name
        timing = { iterations, runs in
            let bytes = try WireCodec.encode(message)
            var sink = 0
            let encode = try medianMicros(iterations: iterations, runs: runs) {
                sink &+= try WireCodec.encode(message).count
            }
            let decode = try medianMicros(iterations: iterations, runs: runs) {
                sink &+= try WireCodec.decode(M.self, from: bytes).jobId.utf8.count
            }
            precondition(sink != 0)
            return (bytes.count, encode, decode)
        }
    }
}

/// The median over `runs` of the mean time of one `body` call, in microseconds (after one warm-up
/// run). Time is the thread's CPU time, so other work sharing the cores does not count.
private func medianMicros(iterations: Int, runs: Int, _ body: () throws -> Void) throws -> Double {
    var perCall: [Double] = []
    for run in 0...runs {
        let start = cpuSeconds(CLOCK_THREAD_CPUTIME_ID)
        for _ in 0..<iterations { try body() }
        let seconds = cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - start
        if run > 0 { perCall.append(seconds * 1e6 / Double(iterations)) }
    }
    perCall.sort()
    return perCall[perCall.count / 2]
}

/// CPU seconds used so far by this thread (`CLOCK_THREAD_CPUTIME_ID`) or this process
/// (`CLOCK_PROCESS_CPUTIME_ID`): time other work on the cores does not count in.
func cpuSeconds(_ clock: clockid_t) -> Double {
    var now = timespec()
    clock_gettime(clock, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// Messages shaped like the ones the services exchange under load.
enum WireSamples {
    static let continuation = Data((0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
    static let record: JSONValue = .object([("customer", .string("c-1042")), ("amount", .number(12.5)),
                                            ("lines", .array([.number(1), .number(2), .number(3)])),
                                            ("note", .string("paid \"in full\""))])

    static var all: [WireSample] { [
        WireSample("HostCallRequest+1000B", HostCallRequest(
            jobId: "job-7f3a9c", tenant: "acme", epoch: 3, seq: 42, op: "records.create",
            args: [.string("invoice"), record], policy: .afterWrite, continuation: continuation,
            lastSnapshotAt: 1_700_000_000_123)),
        WireSample("HostCallRequest", HostCallRequest(
            jobId: "job-7f3a9c", tenant: "acme", epoch: 3, seq: 42, op: "records.create",
            args: [.string("invoice"), record], policy: .afterWrite)),
        WireSample("ObjectRequest", ObjectRequest(
            jobId: "job-7f3a9c", tenant: "acme", epoch: 3, seq: 42, op: "records.create", args: [.string("invoice"), record])),
        WireSample("CallReply", CallReply(
            jobId: "job-7f3a9c", epoch: 3, seq: 42, outcome: .value(.object([("id", .string("invoice-981")), ("version", .number(1))])))),
        WireSample("SnapshotEvent+1000B", SnapshotEvent(
            jobId: "job-7f3a9c", tenant: "acme", epoch: 3, seq: 42, reason: "afterWrite", continuation: continuation)),
        WireSample("JobEvent", JobEvent(
            jobId: "job-7f3a9c", tenant: "acme", epoch: 3, type: .checkpointed, time: 1_700_000_000_123, seq: 42, detail: "batch-1")),
    ] }
}
