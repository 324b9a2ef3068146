import GRDB
import LazarusWire

// MARK: - The host operations, run inside `execute`'s transaction

extension ObjectStore {
    /// Runs one operation. Argument and business errors come back as `.error` outcomes;
    /// only database failures throw (and roll the whole call back).
    func perform(_ db: Database, _ request: ObjectRequest, now: Int64) throws -> CallOutcome {
        let reader = ArgumentReader(op: request.op, args: request.args)
        do {
            switch HostOperation(rawValue: request.op) {
            case .create: return try create(db, request.tenant, reader, now: now)
            case .load: return try load(db, request.tenant, reader)
            case .update: return try update(db, request.tenant, reader, now: now)
            case .remove: return try remove(db, request.tenant, reader)
            case .query: return try query(db, request.tenant, reader)
            case .now:
                try reader.expectCount(0...0, usage: "no arguments")
                return .value(.number(Double(now)))
            case .random:
                try reader.expectCount(0...0, usage: "no arguments")
                return .value(.number(options.random()))
            case .log:
                return .value(.null)
            case .checkpoint, .yieldScript, .sleep, nil:
                // checkpoint, yieldScript and sleep are answered by the proxy and the
                // checkpoint service; reaching here means a routing mistake, said plainly.
                let known = HostOperation.allCases.filter { !$0.isSaveStatePoint }.map(\.rawValue).joined(separator: ", ")
                return .error(CallError(code: "unknown-operation",
                                        message: "the object service does not execute '\(request.op)'; it executes \(known)"))
            }
        } catch let invalid as ArgumentReader.Invalid {
            return .error(invalid.error)
        }
    }

    // MARK: records.create(type, fields)

    private func create(_ db: Database, _ tenant: String, _ args: ArgumentReader, now: Int64) throws -> CallOutcome {
        try args.expectCount(2...2, usage: "(type, fields)")
        let type = try args.type(at: 0)
        let fields = JSONValue.object(try args.object(at: 1, name: "fields"))
        let text = JSONWriter.write(fields)
        if let refusal = sizeRefusal(text, type: type) { return .error(refusal) }

        let number = try (Int.fetchOne(db.cachedStatement(sql: "SELECT last FROM id_counters WHERE tenant = ? AND type = ?"),
                                       arguments: [tenant, type]) ?? 0) + 1
        try db.cachedStatement(sql: """
            INSERT INTO id_counters (tenant, type, last) VALUES (?, ?, ?)
            ON CONFLICT (tenant, type) DO UPDATE SET last = excluded.last
            """).execute(arguments: [tenant, type, number])
        let record = StoredRecord(type: type, id: "\(type)-\(number)", version: 1, fields: fields, createdAt: now, updatedAt: now)
        try db.cachedStatement(sql: """
            INSERT INTO records (tenant, type, id, version, fields, created_seq, created_at, updated_at)
            VALUES (?, ?, ?, 1, ?, ?, ?, ?)
            """).execute(arguments: [tenant, type, record.id, String(decoding: text, as: UTF8.self), number, now, now])
        return .value(record.scriptValue)
    }

    // MARK: records.load(type, id)

    private func load(_ db: Database, _ tenant: String, _ args: ArgumentReader) throws -> CallOutcome {
        try args.expectCount(2...2, usage: "(type, id)")
        let type = try args.type(at: 0)
        let id = try args.id(at: 1)
        return .value(try fetchRecord(db, tenant, type, id)?.scriptValue ?? .null)
    }

    // MARK: records.update(type, id, fields, expectedVersion?)

    private func update(_ db: Database, _ tenant: String, _ args: ArgumentReader, now: Int64) throws -> CallOutcome {
        try args.expectCount(3...4, usage: "(type, id, fields, expectedVersion?)")
        let type = try args.type(at: 0)
        let id = try args.id(at: 1)
        let changes = try args.object(at: 2, name: "fields")
        let expected = try args.optionalInteger(at: 3, name: "expectedVersion", in: 1...Int(Int32.max))
        guard var record = try fetchRecord(db, tenant, type, id) else {
            return .error(CallError(code: "not-found", message: "records.update: no \(type) with id '\(id)'"))
        }
        if let expected, expected != record.version {
            return .error(CallError(
                code: "version-conflict",
                message: "records.update: \(type) '\(id)' is at version \(record.version), not \(expected): load it again and retry"))
        }
        record.fields = Self.merge(record.fields, changes)
        let text = JSONWriter.write(record.fields)
        if let refusal = sizeRefusal(text, type: type) { return .error(refusal) }
        record.version += 1
        record.updatedAt = now
        try db.cachedStatement(sql: """
            UPDATE records SET version = ?, fields = ?, updated_at = ? WHERE tenant = ? AND type = ? AND id = ?
            """).execute(arguments: [record.version, String(decoding: text, as: UTF8.self), now, tenant, type, id])
        return .value(record.scriptValue)
    }

    /// Shallow merge: members of `changes` replace same-named members in place, new ones are
    /// appended in their order. A `null` value is stored as `null` (it does not delete).
    static func merge(_ fields: JSONValue, _ changes: [(key: String, value: JSONValue)]) -> JSONValue {
        guard case .object(var members) = fields else { return .object(changes) }
        for change in changes {
            if let index = members.firstIndex(where: { $0.key == change.key }) {
                members[index].value = change.value
            } else {
                members.append(change)
            }
        }
        return .object(members)
    }

    // MARK: records.remove(type, id)

    private func remove(_ db: Database, _ tenant: String, _ args: ArgumentReader) throws -> CallOutcome {
        try args.expectCount(2...2, usage: "(type, id)")
        let type = try args.type(at: 0)
        let id = try args.id(at: 1)
        try db.cachedStatement(sql: "DELETE FROM records WHERE tenant = ? AND type = ? AND id = ?")
            .execute(arguments: [tenant, type, id])
        return .value(.bool(db.changesCount > 0))
    }

    // MARK: records.query(type, filter, limit?)

    private func query(_ db: Database, _ tenant: String, _ args: ArgumentReader) throws -> CallOutcome {
        try args.expectCount(2...3, usage: "(type, filter, limit?)")
        let type = try args.type(at: 0)
        let filter = try args.object(at: 1, name: "filter")
        let limit = try args.optionalInteger(at: 2, name: "limit", in: 1...options.maxQueryLimit) ?? options.defaultQueryLimit
        let records = try matchingRecords(db, tenant: tenant, type: type, filter: filter, limit: limit)
        return .value(.array(records.map(\.scriptValue)))
    }

    /// Records of `tenant` and `type` whose fields equal every member of `filter`, oldest first.
    /// Filtering happens in Swift on the parsed fields (see docs/STORES.md for why).
    func matchingRecords(_ db: Database, tenant: String, type: String,
                         filter: [(key: String, value: JSONValue)], limit: Int) throws -> [StoredRecord] {
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT type, id, version, fields, created_at, updated_at FROM records
            WHERE tenant = ? AND type = ? ORDER BY created_seq
            """), arguments: [tenant, type])
        var found: [StoredRecord] = []
        while found.count < limit, let row = try cursor.next() {
            let record = try Self.record(from: row)
            if filter.allSatisfy({ member in record.fields[member.key].map { Self.sameJSON($0, member.value) } ?? false }) {
                found.append(record)
            }
        }
        return found
    }

    /// JSON equality with objects compared as sets of members (order does not matter).
    static func sameJSON(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.array(x), .array(y)):
            return x.count == y.count && zip(x, y).allSatisfy { sameJSON($0, $1) }
        case let (.object(x), .object(y)):
            guard x.count == y.count else { return false }
            return x.allSatisfy { member in y.first { $0.key == member.key }.map { sameJSON(member.value, $0.value) } ?? false }
        default:
            return a == b
        }
    }

    // MARK: - Helpers

    private func sizeRefusal(_ text: [UInt8], type: String) -> CallError? {
        guard text.count > options.maxFieldsBytes else { return nil }
        return CallError(code: "too-large",
                         message: "the fields of this \(type) take \(text.count) bytes as JSON; the limit is \(options.maxFieldsBytes): store large data in several records")
    }

    func fetchRecord(_ db: Database, _ tenant: String, _ type: String, _ id: String) throws -> StoredRecord? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT type, id, version, fields, created_at, updated_at FROM records WHERE tenant = ? AND type = ? AND id = ?
            """), arguments: [tenant, type, id]).map(Self.record(from:))
    }

    static func record(from row: Row) throws -> StoredRecord {
        let text: String = row["fields"]
        let fields: JSONValue
        do {
            fields = try JSONParser.parse(Array(text.utf8))
        } catch {
            throw ObjectStoreError(.corrupt, "the fields of record \(row["id"] as String? ?? "?") are not valid JSON: \(error)")
        }
        return StoredRecord(type: row["type"], id: row["id"], version: row["version"], fields: fields,
                            createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}
