import Foundation
import LazarusObjectStore
import LazarusWire
import Testing

/// Tenant A, using tenant B's exact ids, can neither read, change, remove nor find B's records.
@Suite struct IsolationTests {
    let db = TempDatabase()
    let store: ObjectStore
    let a = Caller(jobId: "job-a", tenant: "tenant-a")
    let b = Caller(jobId: "job-b", tenant: "tenant-b")

    init() throws {
        store = try ObjectStore(path: db.path)
        // B has invoices 1...3; A has only invoice-1 (its own), so ids 2 and 3 exist only for B.
        for n in 1...3 { _ = try store.value(b.request("records.create", [.string("invoice"), obj(("owner", .string("b")), ("n", .number(Double(n))))])) }
        _ = try store.value(a.request("records.create", [.string("invoice"), obj(("owner", .string("a")))]))
    }

    @Test func loadSeesOnlyOwnTenant() throws {
        #expect(try store.value(a.request("records.load", [.string("invoice"), .string("invoice-2")])) == .null)
        #expect(try store.value(a.request("records.load", [.string("invoice"), .string("invoice-1")]))["fields"]?["owner"] == .string("a"),
                "the same id names A's own record, not B's")
    }

    @Test func updateOfAnotherTenantsRecordIsNotFound() throws {
        #expect(try store.errorCode(a.request("records.update", [.string("invoice"), .string("invoice-2"), obj(("owner", .string("a")))])) == "not-found")
        #expect(try store.errorCode(a.request("records.update", [.string("invoice"), .string("invoice-3"), obj(), .number(1)])) == "not-found",
                "not version-conflict either: that would reveal the record exists")
        _ = try store.value(a.request("records.update", [.string("invoice"), .string("invoice-1"), obj(("touched", .bool(true)))]))
        #expect(try store.record(tenant: "tenant-b", type: "invoice", id: "invoice-1")?.version == 1)
        #expect(try store.record(tenant: "tenant-b", type: "invoice", id: "invoice-2")?.fields["owner"] == .string("b"))
    }

    @Test func removeOfAnotherTenantsRecordIsFalse() throws {
        #expect(try store.value(a.request("records.remove", [.string("invoice"), .string("invoice-3")])) == .bool(false))
        #expect(try store.count(tenant: "tenant-b", type: "invoice") == 3)
        #expect(try store.value(a.request("records.remove", [.string("invoice"), .string("invoice-1")])) == .bool(true))
        #expect(try store.record(tenant: "tenant-b", type: "invoice", id: "invoice-1") != nil, "B's invoice-1 survives A removing its own")
    }

    @Test func queryExcludesOtherTenants() throws {
        let all = try store.value(a.request("records.query", [.string("invoice"), obj()]))
        #expect(all.arrayCount == 1)
        #expect(try store.value(a.request("records.query", [.string("invoice"), obj(("owner", .string("b")))])) == .array([]))
    }

    @Test func createNumbersIdsPerTenant() throws {
        let created = try store.value(a.request("records.create", [.string("invoice"), obj()]))
        #expect(created["id"] == .string("invoice-2"), "A's counter is its own: B's records do not leak through the id sequence")
        #expect(try store.record(tenant: "tenant-b", type: "invoice", id: "invoice-2")?.fields["owner"] == .string("b"))
    }
}

extension JSONValue {
    var arrayCount: Int? {
        if case .array(let elements) = self { return elements.count }
        return nil
    }
}
