import Foundation
import LazarusCheckpointStore
import LazarusWire
import Testing

final class TempDatabase {
    let directory: URL
    var path: String { directory.appendingPathComponent("checkpoints.sqlite").path }

    init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lazarus-checkpoints-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

func submission(_ jobId: String, tenant: String = "acme", script: String = "records.create('t', {})") -> JobSubmission {
    JobSubmission(jobId: jobId, tenant: tenant, script: script, args: .object([("n", .number(3))]), policy: .everyCalls(2))
}

func snapshot(_ jobId: String, seq: Int, epoch: Int, reason: String = "checkpoint", tenant: String = "acme",
              wakeAt: Int64? = nil, bytes: [UInt8]? = nil) -> SnapshotEvent {
    SnapshotEvent(jobId: jobId, tenant: tenant, epoch: epoch, seq: seq, reason: reason, label: "s\(seq)", wakeAt: wakeAt,
                  continuation: Data(bytes ?? [0x4c, 0x5a, UInt8(seq & 0xff), UInt8(epoch & 0xff)]))
}

func event(_ jobId: String, _ type: JobEvent.Kind, epoch: Int? = 1, seq: Int? = nil, time: Int64 = 1_000,
           result: JSONValue? = nil, error: JobFailure? = nil, detail: String? = nil) -> JobEvent {
    JobEvent(jobId: jobId, tenant: "acme", epoch: epoch, type: type, time: time, seq: seq, result: result, error: error, detail: detail)
}

extension CheckpointStore {
    /// Registers and returns the first run, failing the test otherwise.
    @discardableResult
    func registerNew(_ s: JobSubmission, partition: Int = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> RunCommand? {
        guard case .registered(_, let run) = try register(s, partition: partition) else {
            Issue.record("\(s.jobId) should be newly registered", sourceLocation: sourceLocation)
            return nil
        }
        return run
    }

    func status(_ jobId: String) throws -> JobStatus? { try job(jobId)?.job.status }
}
