import Foundation
import LazarusObjectStore
import LazarusWire
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real crash: a child process (this test binary, running `crashChild`) executes calls
/// against a file and prints each seq after `execute` returned; the parent `kill -9`s it
/// mid-stream, reopens the file and checks that every reported call is there, that records
/// and journal agree (no half-applied call), and that replaying the whole history applies
/// each write exactly once.
@Suite struct CrashTests {
    static let childEnvironment = "LAZARUS_OBJECT_STORE_CRASH_CHILD_DB"

    /// The call the child makes at `seq`: creates, updates of a tally, and a `random()`.
    static func call(_ seq: Int, epoch: Int) -> ObjectRequest {
        let (op, args): (String, [JSONValue]) = switch seq % 3 {
        case 1: ("records.create", [.string("invoice"), obj(("n", .number(Double(seq))))])
        case 2: ("records.update", [.string("tally"), .string("tally-1"), obj(("last", .number(Double(seq))))])
        default: ("random", [])
        }
        return ObjectRequest(jobId: "crash-job", tenant: "acme", epoch: epoch, seq: seq, op: op, args: args)
    }

    static func seed(_ store: ObjectStore) throws {
        _ = try store.execute(ObjectRequest(jobId: "seed", tenant: "acme", epoch: 1, seq: 1, op: "records.create",
                                            args: [.string("tally"), obj(("last", .number(0)))]))
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment[childEnvironment] != nil, "only as the child of killedProcessLosesNothing"))
    func crashChild() throws {
        let path = ProcessInfo.processInfo.environment[Self.childEnvironment]!
        let store = try ObjectStore(path: path)
        for seq in 1...1_000_000 {
            _ = try store.execute(Self.call(seq, epoch: 1))
            let line = Array("COMMITTED \(seq)\n".utf8)
            _ = line.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func killedProcessLosesNothing() throws {
        let db = TempDatabase()
        try Self.seed(try ObjectStore(path: db.path))

        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["--testing-library", "swift-testing", "--filter", "crashChild"]
        var environment = ProcessInfo.processInfo.environment
        environment[Self.childEnvironment] = db.path
        child.environment = environment
        let output = Pipe()
        child.standardOutput = output
        child.standardError = FileHandle.nullDevice
        try child.run()

        // Read until enough calls are committed, then kill -9 in the middle of the stream.
        var text = ""
        var reported = 0
        let deadline = Date().addingTimeInterval(45)
        while reported < 300, Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            reported = text.split(separator: "\n").compactMap { line in
                line.hasPrefix("COMMITTED ") ? Int(line.dropFirst("COMMITTED ".count)) : nil
            }.max() ?? 0
        }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal, "the child was killed, it did not finish")
        try #require(reported >= 300, "the child reported \(reported) committed calls before the deadline")

        // Everything reported is there, and records agree with the journal.
        let store = try ObjectStore(path: db.path)
        let stats = try store.journalStats(jobId: "crash-job")
        #expect(stats.calls >= reported, "a call reported as committed was lost")
        #expect(stats.lastSeq == stats.calls, "journal seqs are contiguous")
        let journaledCreates = (1...stats.calls).filter { $0 % 3 == 1 }.count
        #expect(try store.count(tenant: "acme", type: "invoice") == journaledCreates, "every journaled create, and only those, left a record")
        let lastUpdate = (1...stats.calls).last { $0 % 3 == 2 }
        #expect(try store.record(tenant: "acme", type: "tally", id: "tally-1")?.version == 1 + (1...stats.calls).filter { $0 % 3 == 2 }.count)
        #expect(try store.record(tenant: "acme", type: "tally", id: "tally-1")?.fields["last"] == .number(Double(lastUpdate ?? 0)))

        // A recovered run (epoch 2) re-lives the history and goes 30 calls further.
        let end = stats.calls + 30
        var replayed = 0
        for seq in 1...end where try store.execute(Self.call(seq, epoch: 2)).replayed { replayed += 1 }
        #expect(replayed == stats.calls)
        #expect(try store.count(tenant: "acme", type: "invoice") == (1...end).filter { $0 % 3 == 1 }.count)
        #expect(try store.record(tenant: "acme", type: "tally", id: "tally-1")?.version == 1 + (1...end).filter { $0 % 3 == 2 }.count)
        #expect(try store.errorCode(Self.call(end + 1, epoch: 1)) == "fenced", "the killed run's epoch is fenced now")
    }
}
