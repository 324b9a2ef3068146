// MARK: - In-memory business-object store (local runner, tests)

/// Records grouped by type, in creation order. Ids are deterministic: `<type>-<n>`.
public final class InMemoryRecordStore {
    public struct Record: Sendable, Hashable {
        public var type: String
        public var id: String
        public var version: Int
        public var fields: [(String, HostValue)]
        public static func == (a: Record, b: Record) -> Bool {
            a.type == b.type && a.id == b.id && a.version == b.version && HostValue.object(a.fields) == HostValue.object(b.fields)
        }
        public func hash(into h: inout Hasher) { h.combine(id); h.combine(version) }
        public var hostValue: HostValue {
            .object([("type", .string(type)), ("id", .string(id)), ("version", .number(Double(version))), ("fields", .object(fields))])
        }
    }

    public private(set) var records: [Record] = []
    private var counters: [String: Int] = [:]

    public init() {}

    public struct StoreError: Error, Sendable {
        public var name: String
        public var message: String
    }

    public func create(type: String, fields: HostValue) throws -> HostValue {
        guard case .object(let f) = fields else { throw StoreError(name: "TypeError", message: "records.create: fields must be an object") }
        let n = (counters[type] ?? 0) + 1
        counters[type] = n
        let r = Record(type: type, id: "\(type)-\(n)", version: 1, fields: f)
        records.append(r)
        return r.hostValue
    }

    public func load(type: String, id: String) -> HostValue {
        records.first { $0.type == type && $0.id == id }?.hostValue ?? .null
    }

    public func update(type: String, id: String, fields: HostValue, expectedVersion: Int?) throws -> HostValue {
        guard case .object(let f) = fields else { throw StoreError(name: "TypeError", message: "records.update: fields must be an object") }
        guard let i = records.firstIndex(where: { $0.type == type && $0.id == id }) else {
            throw StoreError(name: "Error", message: "records.update: no \(type) with id \(id)")
        }
        if let v = expectedVersion, v != records[i].version {
            throw StoreError(name: "Error", message: "records.update: version conflict on \(id) (expected \(v), found \(records[i].version))")
        }
        for (k, v) in f {
            if let j = records[i].fields.firstIndex(where: { $0.0 == k }) { records[i].fields[j].1 = v } else { records[i].fields.append((k, v)) }
        }
        records[i].version += 1
        return records[i].hostValue
    }

    public func remove(type: String, id: String) -> Bool {
        guard let i = records.firstIndex(where: { $0.type == type && $0.id == id }) else { return false }
        records.remove(at: i)
        return true
    }

    public func query(type: String, filter: HostValue, limit: Int?) -> HostValue {
        var pairs: [(String, HostValue)] = []
        if case .object(let f) = filter { pairs = f }
        var out: [HostValue] = []
        for r in records where r.type == type {
            let ok = pairs.allSatisfy { (k, v) in r.fields.first(where: { $0.0 == k })?.1 == v }
            if ok { out.append(r.hostValue) }
            if let limit, out.count >= limit { break }
        }
        return .array(out)
    }
}
