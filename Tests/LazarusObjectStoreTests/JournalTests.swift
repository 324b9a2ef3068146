import Foundation
import LazarusObjectStore
import LazarusWire
import Testing

@Suite struct JournalTests {
    let db = TempDatabase()
    let store: ObjectStore

    init() throws { store = try ObjectStore(path: db.path) }

    private func request(seq: Int, epoch: Int = 1, op: String, _ args: [JSONValue], job: String = "job-1", tenant: String = "acme") -> ObjectRequest {
        ObjectRequest(jobId: job, tenant: tenant, epoch: epoch, seq: seq, op: op, args: args)
    }

    @Test func replayReturnsTheJournaledOutcomeAndAppliesNothing() throws {
        let create = request(seq: 1, op: "records.create", [.string("invoice"), obj(("amount", .number(5)))])
        let first = try store.execute(create)
        #expect(first.replayed == false)
        let again = try store.execute(create)
        #expect(again.replayed == true)
        #expect(again.outcome == first.outcome)
        #expect(try store.count(tenant: "acme", type: "invoice") == 1, "the replay created nothing")

        let update = request(seq: 2, op: "records.update", [.string("invoice"), .string("invoice-1"), obj(("paid", .bool(true)))])
        let updated = try store.execute(update)
        #expect(try store.execute(update) == .init(outcome: updated.outcome, replayed: true))
        #expect(try store.record(tenant: "acme", type: "invoice", id: "invoice-1")?.version == 2, "the replay did not bump the version again")

        let remove = request(seq: 3, op: "records.remove", [.string("invoice"), .string("invoice-1")])
        #expect(try store.execute(remove).outcome == .value(.bool(true)))
        #expect(try store.execute(remove).outcome == .value(.bool(true)), "a replayed remove says what the original said")

        let stats = try store.journalStats(jobId: "job-1")
        #expect(stats.calls == 3)
        #expect(stats.replaysServed == 3)
        #expect(stats.callsReplayed == 3)
        #expect(stats.lastSeq == 3)
    }

    @Test func nowAndRandomReplayTheSameValues() throws {
        let now = request(seq: 1, op: "now", [])
        let random = request(seq: 2, op: "random", [])
        let t0 = try store.execute(now, now: Date(timeIntervalSince1970: 1000))
        let r0 = try store.execute(random)
        #expect(try store.execute(now, now: Date(timeIntervalSince1970: 2000)).outcome == t0.outcome)
        #expect(try store.execute(random).outcome == r0.outcome)
    }

    @Test func errorOutcomesAreJournaledAndReplayed() throws {
        let update = request(seq: 1, op: "records.update", [.string("doc"), .string("doc-1"), obj()])
        #expect(try store.errorCode(update) == "not-found")
        // The record appears later (another job creates it); the replay must still see not-found.
        _ = try store.execute(request(seq: 1, op: "records.create", [.string("doc"), obj()], job: "job-2"))
        let replay = try store.execute(update)
        #expect(replay.replayed)
        #expect(replay.outcome == .error(CallError(code: "not-found", message: "records.update: no doc with id 'doc-1'")))
        #expect(try store.record(tenant: "acme", type: "doc", id: "doc-1")?.version == 1)
    }

    @Test func sameKeyDifferentRequestIsNondeterministicReplay() throws {
        _ = try store.execute(request(seq: 7, op: "records.create", [.string("doc"), obj(("a", .number(1)))]))
        for different in [
            request(seq: 7, op: "records.create", [.string("doc"), obj(("a", .number(2)))]),
            request(seq: 7, op: "records.create", [.string("note"), obj(("a", .number(1)))]),
            request(seq: 7, op: "records.load", [.string("doc"), obj(("a", .number(1)))]),
            request(seq: 7, op: "records.create", [.string("doc"), obj(("a", .number(1)))], tenant: "other"),
        ] {
            let result = try store.execute(different)
            guard case .error(let error) = result.outcome else { Issue.record("should be refused: \(different)"); continue }
            #expect(error.code == "nondeterministic-replay")
            #expect(error.message.contains("job-1") && error.message.contains("7"), "the message names job and seq: \(error.message)")
            #expect(result.replayed == false)
        }
        #expect(try store.count(tenant: "acme", type: "doc") == 1)
        #expect(try store.count(tenant: "acme", type: "note") == 0)
        #expect(try store.journalStats(jobId: "job-1").calls == 1)
    }

    @Test func olderEpochIsFencedNewerRaisesTheStoredEpoch() throws {
        _ = try store.execute(request(seq: 1, epoch: 2, op: "records.create", [.string("doc"), obj()]))
        #expect(try store.epoch(jobId: "job-1") == 2)

        let zombie = try store.execute(request(seq: 2, epoch: 1, op: "records.create", [.string("doc"), obj()]))
        guard case .error(let error) = zombie.outcome else { Issue.record("a zombie must be fenced"); return }
        #expect(error.code == "fenced")
        #expect(error.message.contains("epoch 1") && error.message.contains("epoch 2"))
        #expect(try store.count(tenant: "acme", type: "doc") == 1, "a fenced call writes nothing")
        #expect(try store.journalStats(jobId: "job-1").calls == 1, "nor journals anything")

        // The recovered run at epoch 3 replays seq 1 (journal) and goes on with seq 2.
        let replay = try store.execute(request(seq: 1, epoch: 3, op: "records.create", [.string("doc"), obj()]))
        #expect(replay.replayed)
        #expect(try store.epoch(jobId: "job-1") == 3, "a newer epoch raises the stored one, even on a replay")
        #expect(try store.errorCode(request(seq: 1, epoch: 2, op: "records.create", [.string("doc"), obj()])) == "fenced",
                "once epoch 3 is seen, epoch 2 is a zombie even for journaled calls")
        #expect(try store.execute(request(seq: 2, epoch: 3, op: "records.create", [.string("doc"), obj()])).replayed == false)
        #expect(try store.count(tenant: "acme", type: "doc") == 2)
        // Epochs are per job.
        #expect(try store.execute(request(seq: 1, epoch: 1, op: "now", [], job: "job-2")).replayed == false)
    }

    @Test func fingerprintIsStableAndSensitive() {
        let a = RequestFingerprint.of(tenant: "t", op: "records.create", args: [.string("doc"), obj(("a", .number(1)))])
        #expect(a == RequestFingerprint.of(tenant: "t", op: "records.create", args: [.string("doc"), obj(("a", .number(1)))]))
        #expect(a.count == 64)
        #expect(a != RequestFingerprint.of(tenant: "t", op: "records.create", args: [.string("doc"), obj(("a", .string("1")))]))
        #expect(a != RequestFingerprint.of(tenant: "t", op: "records.create", args: [.string("doc"), obj(("a", .number(1))), .null]))
        #expect(RequestFingerprint.of(tenant: "t", op: "x", args: [.number(0)]) == RequestFingerprint.of(tenant: "t", op: "x", args: [.number(-0.0)]))
        // Concatenation ambiguity is impossible: strings are length-prefixed.
        #expect(RequestFingerprint.of(tenant: "ab", op: "c", args: []) != RequestFingerprint.of(tenant: "a", op: "bc", args: []))
        // Pinned: this value must never change, or journals written before would look nondeterministic.
        #expect(RequestFingerprint.of(tenant: "acme", op: "now", args: []) == pinnedNowFingerprint)
    }

}

/// SHA-256 of the canonical bytes of `now()` for tenant `acme`, computed independently with Python hashlib.
let pinnedNowFingerprint = "683f1a940b052bf49d8b8786ef841d143ede7c698e7c9d633ac92ff927902743"
