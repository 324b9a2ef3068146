import Foundation
import LazarusObjectStore
import LazarusWire
import Testing

@Suite struct DurabilityTests {
    @Test func reopenedDatabaseKeepsRecordsJournalAndEpochs() throws {
        let db = TempDatabase()
        let caller = Caller(epoch: 4)
        let create = caller.request("records.create", [.string("invoice"), obj(("amount", .number(12.5)))])
        let first: ObjectStore.ExecutionResult
        do {
            let store = try ObjectStore(path: db.path)
            first = try store.execute(create)
            _ = try store.execute(caller.request("records.update", [.string("invoice"), .string("invoice-1"), obj(("paid", .bool(true)))]))
        } // the store is released: the file is closed
        let reopened = try ObjectStore(path: db.path)
        #expect(try reopened.record(tenant: "acme", type: "invoice", id: "invoice-1")?.fields == obj(("amount", .number(12.5)), ("paid", .bool(true))))
        let replay = try reopened.execute(create)
        #expect(replay == .init(outcome: first.outcome, replayed: true))
        #expect(try reopened.epoch(jobId: "job-1") == 4)
        #expect(try reopened.errorCode(ObjectRequest(jobId: "job-1", tenant: "acme", epoch: 3, seq: 3, op: "now", args: [])) == "fenced")
        #expect(try reopened.value(caller.request("records.create", [.string("invoice"), obj()]))["id"] == .string("invoice-2"),
                "the id counter survives too")
    }

    @Test func inMemoryStoreWorksForTheLocalRunner() throws {
        let store = try ObjectStore(inMemory: .init())
        let caller = Caller()
        #expect(try store.value(caller.request("records.create", [.string("t"), obj()]))["id"] == .string("t-1"))
        #expect(try store.count(tenant: "acme", type: "t") == 1)
    }

    @Test func normalDurabilityOpensToo() throws {
        let db = TempDatabase()
        var options = ObjectStoreOptions()
        options.durability = .normal
        let store = try ObjectStore(path: db.path, options: options)
        #expect(try store.value(Caller().request("now", [])) != .null)
    }

    @Test func unopenablePathIsAClearError() {
        #expect(throws: ObjectStoreError.self) { try ObjectStore(path: "/proc/definitely/not/here.sqlite") }
    }
}

/// Two stores on one file (as two object-service processes sharing it would be) writing at
/// once: IMMEDIATE transactions and the busy timeout serialize them; no id is handed out twice.
@Suite struct SharedFileTests {
    @Test func twoStoresOnOneFileNeverCollide() async throws {
        let db = TempDatabase()
        let first = try ObjectStore(path: db.path)
        let second = try ObjectStore(path: db.path)
        await withTaskGroup(of: Void.self) { group in
            for (index, store) in [first, second, first, second].enumerated() {
                group.addTask {
                    for seq in 1...50 {
                        let request = ObjectRequest(jobId: "job-\(index)", tenant: "acme", epoch: 1, seq: seq,
                                                    op: "records.create", args: [.string("invoice"), obj(("writer", .number(Double(index))))])
                        do { _ = try store.execute(request) } catch { Issue.record("\(error)") }
                    }
                }
            }
        }
        let records = try first.records(tenant: "acme", type: "invoice")
        #expect(records.count == 200)
        #expect(Set(records.map(\.id)).count == 200)
        #expect(records.map(\.id) == (1...200).map { "invoice-\($0)" }, "creation order is id order")
        #expect(try second.allJournalStats().map(\.calls) == [50, 50, 50, 50])
    }
}
