import Foundation
import Testing
@testable import LazarusWire

private func roundTrip<M: WireMessage & Equatable>(_ message: M) throws -> M {
    let bytes = try WireCodec.encode(message)
    let text = String(decoding: bytes, as: UTF8.self)
    #expect(text.hasPrefix("{\"v\":1,"), "every message starts with its version: \(text)")
    return try WireCodec.decode(M.self, from: bytes)
}

private let sampleArgs: JSONValue = .object([("customer", .string("c-1")), ("amount", .number(12.5)),
                                             ("tags", .array([.bool(true), .null]))])
private let continuation = Data([0x4c, 0x5a, 0x00, 0xff, 0x10])

@Test func jobSubmissionRoundTrips() throws {
    let m = JobSubmission(jobId: "j1", tenant: "acme", script: "log('hi')", args: sampleArgs, policy: .everyCalls(5))
    #expect(try roundTrip(m) == m)
}

@Test func jobSubmissionDefaultsArgsAndPolicy() throws {
    let bytes = Array(#"{"v":1,"jobId":"j","tenant":"t","script":"1"}"#.utf8)
    let m = try WireCodec.decode(JobSubmission.self, from: bytes)
    #expect(m.policy == .afterWrite)
    #expect(m.args == .object([]))
}

@Test func runCommandRoundTripsWithAndWithoutSnapshot() throws {
    let fresh = RunCommand(jobId: "j1", tenant: "acme", epoch: 1, program: "x")
    #expect(try roundTrip(fresh) == fresh)
    let resumed = RunCommand(jobId: "j1", tenant: "acme", epoch: 3, program: "x", policy: .explicit,
                             snapshot: continuation, snapshotSeq: 42, reason: "recover")
    #expect(try roundTrip(resumed) == resumed)
}

@Test func continuationTravelsAsBase64() throws {
    let m = SnapshotEvent(jobId: "j", tenant: "t", epoch: 1, seq: 7, reason: "checkpoint", label: "batch-1", continuation: continuation)
    let text = String(decoding: try WireCodec.encode(m), as: UTF8.self)
    #expect(text.contains(continuation.base64EncodedString()))
    #expect(try roundTrip(m) == m)
}

@Test func hostCallRequestRoundTrips() throws {
    let m = HostCallRequest(jobId: "j", tenant: "t", epoch: 2, seq: 9, op: "records.create",
                            args: [.string("invoice"), sampleArgs], policy: .always, continuation: continuation,
                            lastSnapshotAt: 1_700_000_000_000)
    #expect(try roundTrip(m) == m)
}

@Test func objectRequestRoundTrips() throws {
    let m = ObjectRequest(jobId: "j", tenant: "t", epoch: 2, seq: 9, op: "records.load", args: [.string("customer"), .string("c-1")])
    #expect(try roundTrip(m) == m)
}

@Test func callReplyRoundTripsValueAndError() throws {
    let ok = CallReply(jobId: "j", epoch: 1, seq: 3, outcome: .value(sampleArgs), replayed: true)
    #expect(try roundTrip(ok) == ok)
    let failed = CallReply(jobId: "j", epoch: 1, seq: 4, outcome: .error(CallError(code: "fenced", message: "epoch 1 < 2")))
    #expect(try roundTrip(failed) == failed)
    let nullResult = CallReply(jobId: "j", epoch: 1, seq: 5, outcome: .value(.null))
    #expect(try roundTrip(nullResult) == nullResult)
}

@Test func jobEventRoundTrips() throws {
    let m = JobEvent(jobId: "j", tenant: "t", epoch: 1, type: .failed, time: 123, seq: 4,
                     error: JobFailure(name: "TypeError", message: "x is not a function", stack: "at main (job.js:3:5)"))
    #expect(try roundTrip(m) == m)
    #expect(m.isTerminal)
    #expect(!JobEvent(jobId: "j", type: .log, time: 1).isTerminal)
}

@Test func controlMessageRoundTrips() throws {
    let recover = ControlMessage(jobId: "executor-1", command: .recover, partitions: [0, 3, 7], requestedBy: "executor-1")
    #expect(try roundTrip(recover) == recover)
    let restore = ControlMessage(jobId: "j", command: .restore, seq: 12)
    #expect(try roundTrip(restore) == restore)
}

@Test func objectMemberOrderSurvivesEncoding() throws {
    let m = JobSubmission(jobId: "j", tenant: "t", script: "", args: .object([("z", .number(1)), ("a", .number(2))]))
    let text = String(decoding: try WireCodec.encode(m), as: UTF8.self)
    #expect(text.contains(#"{"z":1,"a":2}"#))
}

@Test(arguments: ["explicit", "afterWrite", "always", "everyCalls(5)", "everyMillis(250)"])
func policiesParseAndPrint(text: String) throws {
    let policy = try #require(SaveStatePolicy(parsing: text))
    #expect(policy.description == text)
}

@Test func policyAcceptsColonForm() {
    #expect(SaveStatePolicy(parsing: "everyCalls:7") == .everyCalls(7))
    #expect(SaveStatePolicy(parsing: "everyCalls(0)") == nil)
    #expect(SaveStatePolicy(parsing: "sometimes") == nil)
}

// MARK: - Bad input is answered with a reason

@Test func garbageIsInvalidJSON() {
    #expect(throws: WireError.self) { try WireCodec.decode(JobSubmission.self, from: [0xff, 0x00, 0x12]) }
    do {
        _ = try WireCodec.decode(JobSubmission.self, from: Array("not json".utf8))
        Issue.record("decoded garbage")
    } catch {
        #expect(error.code == .invalidJSON)
    }
}

@Test func otherVersionIsRefused() {
    do {
        _ = try WireCodec.decode(JobSubmission.self, from: Array(#"{"v":2,"jobId":"j","tenant":"t","script":""}"#.utf8))
        Issue.record("accepted version 2")
    } catch {
        #expect(error.code == .unsupportedVersion)
    }
}

@Test func wrongShapeNamesTheField() {
    do {
        _ = try WireCodec.decode(JobSubmission.self, from: Array(#"{"v":1,"jobId":"j","script":""}"#.utf8))
        Issue.record("accepted a submission without tenant")
    } catch {
        #expect(error.code == .wrongShape)
        #expect(error.message.contains("tenant"))
    }
}

@Test func unknownPolicyIsWrongShape() {
    do {
        _ = try WireCodec.decode(JobSubmission.self, from: Array(#"{"v":1,"jobId":"j","tenant":"t","script":"","policy":"never"}"#.utf8))
        Issue.record("accepted policy 'never'")
    } catch {
        #expect(error.message.contains("never"))
    }
}
