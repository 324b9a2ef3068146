import Foundation
import LazarusKafka
import LazarusObjectStore
import LazarusService
import LazarusWire
import Testing

/// DESIGN.md guarantee 5, whole stack: malformed messages on every topic a service consumes
/// are dead-lettered with their reason, every service goes on, and no job is lost.
@Suite("Whole stack: bad input", .serialized)
struct WholeStackBadInputTests {
    /// Every topic some service consumes (DESIGN.md "Processes").
    static let inputTopics = [
        LazarusTopics.jobs, LazarusTopics.runs, LazarusTopics.calls, LazarusTopics.callResults,
        LazarusTopics.objectRequests, LazarusTopics.objectReplies, LazarusTopics.snapshots,
        LazarusTopics.jobEvents, LazarusTopics.control,
    ]

    /// Larger than every service's input limit (the largest is 4 MiB).
    static let oversizeBytes = (4 << 20) + (64 << 10)

    enum Kind: String, CaseIterable {
        case garbage, invalidJSON, wrongShape, oversize

        func value(key: String) -> [UInt8] {
            switch self {
            case .garbage: [0xFF, 0x00, 0xFE, 0x13, 0x37, 0xC3, 0x28]
            case .invalidJSON: Array(#"{"v": 1, "jobId": "\#(key)", "#.utf8)
            case .wrongShape: Array(#"{"v": 1, "hello": "world", "jobId": 42}"#.utf8)
            case .oversize:
                Array(#"{"v": 1, "jobId": "\#(key)", "pad": ""#.utf8)
                    + [UInt8](repeating: UInt8(ascii: "x"), count: oversizeBytes) + Array(#""}"#.utf8)
            }
        }

        /// What the dead letter's reason must say.
        var reasonMentions: String {
            switch self {
            case .garbage, .invalidJSON: "not valid JSON"
            case .wrongShape: "not a valid"
            case .oversize: "exceeds"
            }
        }
    }

    /// A key (job id) whose messages land in `partition`.
    static func key(_ prefix: String, partition: Int) -> String {
        var n = 0
        while JobPartitioner.partition(for: "\(prefix)-\(n)", partitionCount: 12) != partition { n += 1 }
        return "\(prefix)-\(n)"
    }

    @Test func badInputOnEveryTopicIsDeadLetteredAndNoJobIsLost() async throws {
        let stack = try await LazarusStack(label: "e2e-bad-input")
        // The dev broker keeps ≤ 5 MiB per partition: each topic's bad messages go to a
        // partition of their own (0…8), the jobs to partitions 10 and 11, so an oversize
        // message never pushes anything else out of the log.
        let inFlight = try await stack.submit(writerScript, args: .object([("count", .string("30")), ("tag", .string("during"))]),
                                              jobId: Self.key("job-during", partition: 10))
        try await waitUntil("the first job is under way") { stack.events(of: inFlight).contains { $0.type == .checkpointed } }

        var sent: [(topic: String, kind: Kind, offset: Int64)] = []
        for (index, topic) in Self.inputTopics.enumerated() {
            for kind in Kind.allCases {
                let key = Self.key("bad-\(kind.rawValue)", partition: index)
                let offset = try await stack.probe.sendRaw(kind.value(key: key), to: topic, key: key)
                sent.append((topic, kind, offset))
            }
        }
        let after = try await stack.submit(writerScript, args: .object([("count", .string("5")), ("tag", .string("after"))]),
                                           jobId: Self.key("job-after", partition: 11))

        func missing() -> [String] {
            let letters = stack.probe.deadLetters()
            return sent.filter { item in !letters.contains { $0.sourceTopic == item.topic && $0.sourceOffset == item.offset } }
                .map { "\($0.topic) \($0.kind)" }
        }
        do {
            try await waitUntil("every bad message was dead-lettered", timeout: .seconds(180)) { missing().isEmpty }
        } catch {
            Issue.record("not dead-lettered: \(missing())")
            throw error
        }
        let letters = stack.probe.deadLetters()
        for item in sent {
            let matching = letters.filter { $0.sourceTopic == item.topic && $0.sourceOffset == item.offset }
            #expect(matching.count == 1, "\(item.topic) \(item.kind): \(matching.count) dead letters")
            guard let letter = matching.first else { continue }
            #expect(letter.reason.contains(item.kind.reasonMentions), "\(item.topic) \(item.kind): reason '\(letter.reason.prefix(300))'")
        }

        let ends = try await stack.waitForEnd(of: [inFlight, after])
        for (id, end) in ends {
            #expect(end.type == .completed, "\(id): \(end.error.map { "\($0.name): \($0.message)" } ?? end.type.rawValue)")
        }
        let store = try stack.objectStore()
        try expectExactlyOnce(store, tenant: "acme", tag: "during", count: 30)
        try expectExactlyOnce(store, tenant: "acme", tag: "after", count: 5)
        for service in LazarusStack.Service.allCases {
            #expect(stack.process(service)?.isRunning == true, "\(service.rawValue) is still running")
        }
        await stack.shutdown()
    }
}
