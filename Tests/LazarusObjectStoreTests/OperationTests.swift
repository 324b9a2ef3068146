import Foundation
import LazarusObjectStore
import LazarusWire
import Testing

@Suite struct OperationTests {
    let db = TempDatabase()
    let store: ObjectStore
    let caller = Caller()

    init() throws { store = try ObjectStore(path: db.path) }

    @Test func createAssignsReadableIdsAndVersionOne() throws {
        let first = try store.value(caller.request("records.create", [.string("invoice"), obj(("amount", .number(10)), ("customer", .string("c-1")))]))
        #expect(first == obj(("type", .string("invoice")), ("id", .string("invoice-1")), ("version", .number(1)),
                             ("fields", obj(("amount", .number(10)), ("customer", .string("c-1"))))))
        let second = try store.value(caller.request("records.create", [.string("invoice"), obj()]))
        #expect(second["id"] == .string("invoice-2"))
        let other = try store.value(caller.request("records.create", [.string("customer"), obj()]))
        #expect(other["id"] == .string("customer-1"), "counters are per type")
        #expect(try store.count(tenant: "acme", type: "invoice") == 2)
    }

    @Test func idsAreNotReusedAfterRemove() throws {
        _ = try store.value(caller.request("records.create", [.string("note"), obj()]))
        #expect(try store.value(caller.request("records.remove", [.string("note"), .string("note-1")])) == .bool(true))
        let next = try store.value(caller.request("records.create", [.string("note"), obj()]))
        #expect(next["id"] == .string("note-2"))
    }

    @Test func fieldsKeepMemberOrder() throws {
        let fields = obj(("zeta", .number(1)), ("alpha", .number(2)), ("mid", obj(("b", .null), ("a", .bool(true)))))
        _ = try store.value(caller.request("records.create", [.string("doc"), fields]))
        let loaded = try store.value(caller.request("records.load", [.string("doc"), .string("doc-1")]))
        #expect(loaded["fields"] == fields)
        #expect(try ObjectStore(path: db.path).record(tenant: "acme", type: "doc", id: "doc-1")?.fields == fields)
    }

    @Test func loadReturnsRecordOrNull() throws {
        _ = try store.value(caller.request("records.create", [.string("doc"), obj(("x", .number(1)))]))
        #expect(try store.value(caller.request("records.load", [.string("doc"), .string("doc-1")]))["version"] == .number(1))
        #expect(try store.value(caller.request("records.load", [.string("doc"), .string("doc-9")])) == .null)
        #expect(try store.value(caller.request("records.load", [.string("other"), .string("doc-1")])) == .null)
    }

    @Test func updateMergesShallowlyAndBumpsVersion() throws {
        _ = try store.value(caller.request("records.create", [.string("doc"), obj(("a", .number(1)), ("b", obj(("x", .number(1)))))]))
        let updated = try store.value(caller.request("records.update", [.string("doc"), .string("doc-1"),
                                                                        obj(("b", obj(("y", .number(2)))), ("c", .null))]))
        #expect(updated["version"] == .number(2))
        #expect(updated["fields"] == obj(("a", .number(1)), ("b", obj(("y", .number(2)))), ("c", .null)))
        #expect(try store.record(tenant: "acme", type: "doc", id: "doc-1")?.version == 2)
    }

    @Test func updateChecksExpectedVersion() throws {
        _ = try store.value(caller.request("records.create", [.string("doc"), obj()]))
        #expect(try store.value(caller.request("records.update", [.string("doc"), .string("doc-1"), obj(("a", .number(1))), .number(1)]))["version"] == .number(2))
        #expect(try store.errorCode(caller.request("records.update", [.string("doc"), .string("doc-1"), obj(("a", .number(2))), .number(1)])) == "version-conflict")
        #expect(try store.record(tenant: "acme", type: "doc", id: "doc-1")?.fields == obj(("a", .number(1))), "a conflict changes nothing")
        #expect(try store.value(caller.request("records.update", [.string("doc"), .string("doc-1"), obj(), .null]))["version"] == .number(3),
                "a null expectedVersion means no check")
    }

    @Test func updateOfMissingRecordIsNotFound() throws {
        #expect(try store.errorCode(caller.request("records.update", [.string("doc"), .string("doc-1"), obj()])) == "not-found")
    }

    @Test func removeSaysWhetherSomethingWasRemoved() throws {
        _ = try store.value(caller.request("records.create", [.string("doc"), obj()]))
        #expect(try store.value(caller.request("records.remove", [.string("doc"), .string("doc-1")])) == .bool(true))
        #expect(try store.value(caller.request("records.remove", [.string("doc"), .string("doc-1")])) == .bool(false))
        #expect(try store.count(tenant: "acme", type: "doc") == 0)
    }

    @Test func queryFiltersByEqualityInCreationOrderWithLimit() throws {
        for i in 1...12 {
            _ = try store.value(caller.request("records.create", [.string("invoice"),
                obj(("customer", .string(i % 3 == 0 ? "c-3" : "c-1")), ("n", .number(Double(i))), ("meta", obj(("a", .number(1)), ("b", .number(2)))))]))
        }
        let all = try store.value(caller.request("records.query", [.string("invoice"), obj()]))
        guard case .array(let allRecords) = all else { Issue.record("not an array"); return }
        #expect(allRecords.count == 12)
        let threes = try store.value(caller.request("records.query", [.string("invoice"), obj(("customer", .string("c-3")))]))
        guard case .array(let matched) = threes else { Issue.record("not an array"); return }
        #expect(matched.map { $0["fields"]?["n"] } == [3.0, 6, 9, 12].map { JSONValue.number($0) })
        let limited = try store.value(caller.request("records.query", [.string("invoice"), obj(("customer", .string("c-1"))), .number(2)]))
        guard case .array(let two) = limited else { Issue.record("not an array"); return }
        #expect(two.map { $0["id"] } == [.string("invoice-1"), .string("invoice-2")])
        let nested = try store.value(caller.request("records.query", [.string("invoice"), obj(("meta", obj(("b", .number(2)), ("a", .number(1))))), .number(1)]))
        guard case .array(let one) = nested else { Issue.record("not an array"); return }
        #expect(one.count == 1, "nested objects compare regardless of member order")
        let none = try store.value(caller.request("records.query", [.string("invoice"), obj(("missing", .null))]))
        #expect(none == .array([]), "a member absent from the fields does not equal null")
    }

    @Test func queryDefaultLimitIs100AndMaxIs1000() throws {
        var options = ObjectStoreOptions()
        options.defaultQueryLimit = 3
        let small = try ObjectStore(inMemory: options)
        for _ in 1...5 { _ = try small.value(caller.request("records.create", [.string("t"), obj()])) }
        guard case .array(let got) = try small.value(caller.request("records.query", [.string("t"), obj()])) else { return }
        #expect(got.count == 3)
        #expect(ObjectStoreOptions().defaultQueryLimit == 100)
        #expect(try store.errorCode(caller.request("records.query", [.string("t"), obj(), .number(1001)])) == "invalid-argument")
        #expect(try store.errorCode(caller.request("records.query", [.string("t"), obj(), .number(0)])) == "invalid-argument")
        #expect(try store.errorCode(caller.request("records.query", [.string("t"), obj(), .number(2.5)])) == "invalid-argument")
    }

    @Test func nowRandomAndLog() throws {
        let when = Date(timeIntervalSince1970: 1_700_000_000.123)
        #expect(try store.execute(caller.request("now", []), now: when).outcome == .value(.number(1_700_000_000_123)))
        guard case .number(let r) = try store.value(caller.request("random", [])) else { Issue.record("random is not a number"); return }
        #expect(r >= 0 && r < 1)
        #expect(try store.value(caller.request("log", [.string("hello"), .number(1)])) == .null)
    }

    @Test func saveStatePointsAndUnknownOpsAreUnknownOperation() throws {
        for op in ["checkpoint", "yieldScript", "sleep", "records.drop", "fs.read"] {
            let result = try store.execute(caller.request(op, []))
            guard case .error(let error) = result.outcome else { Issue.record("\(op) should fail"); continue }
            #expect(error.code == "unknown-operation")
            #expect(error.message.contains(op))
        }
    }

    @Test(arguments: [
        ("records.create", [JSONValue]()),
        ("records.create", [.number(1), .object([])]),
        ("records.create", [.string(""), .object([])]),
        ("records.create", [.string("bad type!"), .object([])]),
        ("records.create", [.string("9lives"), .object([])]),
        ("records.create", [.string("doc"), .array([])]),
        ("records.create", [.string("doc"), .object([]), .null]),
        ("records.load", [.string("doc")]),
        ("records.load", [.string("doc"), .number(1)]),
        ("records.load", [.string("doc"), .string("")]),
        ("records.update", [.string("doc"), .string("doc-1")]),
        ("records.update", [.string("doc"), .string("doc-1"), .string("x")]),
        ("records.update", [.string("doc"), .string("doc-1"), .object([]), .string("1")]),
        ("records.update", [.string("doc"), .string("doc-1"), .object([]), .number(0)]),
        ("records.remove", [.null, .string("doc-1")]),
        ("records.query", [.string("doc")]),
        ("records.query", [.string("doc"), .string("x")]),
        ("now", [.number(1)]),
        ("random", [.null]),
    ] as [(String, [JSONValue])])
    func invalidArgumentsAreRefusedWithAMessage(op: String, args: [JSONValue]) throws {
        let store = try ObjectStore(inMemory: .init())
        let result = try store.execute(ObjectRequest(jobId: "j", tenant: "t", epoch: 1, seq: 1, op: op, args: args))
        guard case .error(let error) = result.outcome else { Issue.record("\(op)\(args) should be refused"); return }
        #expect(error.code == "invalid-argument")
        #expect(error.message.hasPrefix(op + ":"), "the message names the operation: \(error.message)")
        #expect(try store.journalStats(jobId: "j").calls == 1, "refusals are journaled too")
    }

    @Test func oversizeFieldsAreRefused() throws {
        var options = ObjectStoreOptions()
        options.maxFieldsBytes = 100
        let small = try ObjectStore(path: db.directory.appendingPathComponent("small.sqlite").path, options: options)
        let big = obj(("text", .string(String(repeating: "x", count: 200))))
        let result = try small.execute(caller.request("records.create", [.string("doc"), big]))
        guard case .error(let error) = result.outcome else { Issue.record("should be refused"); return }
        #expect(error.code == "too-large")
        #expect(error.message.contains("limit is 100"))
        #expect(try small.count(tenant: "acme", type: "doc") == 0)

        _ = try small.value(caller.request("records.create", [.string("doc"), obj(("text", .string("short")))]))
        #expect(try small.errorCode(caller.request("records.update", [.string("doc"), .string("doc-1"), big])) == "too-large")
        #expect(try small.record(tenant: "acme", type: "doc", id: "doc-1")?.version == 1)
        #expect(ObjectStoreOptions().maxFieldsBytes == 256 * 1024)
    }
}
