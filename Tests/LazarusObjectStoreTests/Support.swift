import Foundation
import LazarusObjectStore
import LazarusWire
import Testing

/// A fresh SQLite file in its own temporary directory, removed when the test is done.
final class TempDatabase {
    let directory: URL
    var path: String { directory.appendingPathComponent("objects.sqlite").path }

    init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lazarus-objects-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

/// Builds requests for one job, numbering calls like an executor does.
final class Caller {
    var jobId = "job-1"
    var tenant = "acme"
    var epoch = 1
    var seq = 0

    init(jobId: String = "job-1", tenant: String = "acme", epoch: Int = 1) {
        self.jobId = jobId
        self.tenant = tenant
        self.epoch = epoch
    }

    func request(_ op: String, _ args: [JSONValue]) -> ObjectRequest {
        seq += 1
        return ObjectRequest(jobId: jobId, tenant: tenant, epoch: epoch, seq: seq, op: op, args: args)
    }
}

extension ObjectStore {
    /// Executes and returns the value, failing the test on an error outcome.
    func value(_ request: ObjectRequest, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        let result = try execute(request)
        guard case .value(let value) = result.outcome else {
            Issue.record("expected a value from \(request.op), got \(result.outcome)", sourceLocation: sourceLocation)
            return .null
        }
        return value
    }

    /// Executes and returns the error code, failing the test on a value.
    func errorCode(_ request: ObjectRequest, sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        let result = try execute(request)
        guard case .error(let error) = result.outcome else {
            Issue.record("expected an error from \(request.op), got \(result.outcome)", sourceLocation: sourceLocation)
            return nil
        }
        return error.code
    }
}

func obj(_ members: (String, JSONValue)...) -> JSONValue { .object(members.map { (key: $0.0, value: $0.1) }) }
