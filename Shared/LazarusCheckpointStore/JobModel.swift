import Foundation
import LazarusWire

/// Where a job is in its life.
public enum JobStatus: String, Sendable, CaseIterable, Codable {
    /// Registered; no executor has reported `started` yet.
    case accepted
    /// An executor reported `started` or `resumed`.
    case running
    /// Gave its slot back with `yieldScript()`; a run is re-queued.
    case yielded
    /// In `sleep(ms)`; a timer will issue its next run.
    case sleeping
    case completed, failed, cancelled
    /// Refused at registration (oversize or malformed submission).
    case rejected

    /// `completed`, `failed`, `cancelled`, `rejected`: nothing changes such a job any more.
    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .cancelled, .rejected: true
        default: false
        }
    }
}

/// A registered job, as the registry holds it.
public struct JobRecord: Sendable, Equatable {
    public var jobId: String
    public var tenant: String
    public var script: String
    public var args: JSONValue
    public var policy: SaveStatePolicy
    public var status: JobStatus
    /// The epoch of the newest run issued (1 for the first).
    public var epoch: Int
    /// How many run commands were issued.
    public var runsIssued: Int
    /// Its partition of the `lazarus.*` topics.
    public var partition: Int
    public var createdAt: Int64
    public var updatedAt: Int64
    /// `completed`: the script's return value.
    public var result: JSONValue?
    /// `failed` / `rejected`: why.
    public var error: JobFailure?
    /// The snapshot the next run resumes from (seq and epoch), if any.
    public var lastSnapshotSeq: Int?
    public var lastSnapshotEpoch: Int?
    /// Runs issued to recover from a fault (`recover`), i.e. how often the job was resumed
    /// after losing its executor.
    public var resumptions: Int
}

/// The part of a job record that decides what a snapshot or an event does.
struct JobState {
    var tenant: String
    var status: JobStatus
    var epoch: Int
    var lastSnapshotSeq: Int?
    var lastSnapshotEpoch: Int?
}

/// One line of a job's history (`lazarus status`).
public struct JobHistoryEntry: Sendable, Equatable {
    /// Milliseconds since the epoch.
    public var time: Int64
    /// A `JobEvent.Kind` raw value, or one of the store's own: `run` (a run command issued),
    /// `cancel-requested`, `restore-requested`.
    public var type: String
    public var epoch: Int?
    public var seq: Int?
    public var detail: String?
}

/// A stored snapshot without its continuation bytes.
public struct SnapshotInfo: Sendable, Equatable {
    public var jobId: String
    public var seq: Int
    public var epoch: Int
    public var reason: String
    public var label: String?
    public var wakeAt: Int64?
    /// Continuation size in bytes.
    public var size: Int
    public var createdAt: Int64
}

/// A stored snapshot with its continuation.
public struct StoredSnapshot: Sendable, Equatable {
    public var info: SnapshotInfo
    public var continuation: Data
}

/// A job with its history, its kept snapshots and its pending timer.
public struct JobDetail: Sendable, Equatable {
    public var job: JobRecord
    /// Oldest first.
    public var history: [JobHistoryEntry]
    /// Oldest first.
    public var snapshots: [SnapshotInfo]
    /// When its `sleep` timer is due, if one is pending.
    public var wakeAt: Int64?
}

/// Why a run command is issued; becomes `RunCommand.reason`.
public enum RunReason: Sendable, Equatable {
    /// The first run, or re-issuing the run of a job accepted but never started.
    case start
    /// Its executor was lost (crash, rebalance): continue from the latest snapshot.
    case recover
    /// It called `yieldScript()`: continue from the yield snapshot.
    case yield
    /// Its `sleep` timer is due.
    case timer
    /// An operator asked to continue from the snapshot at `seq`.
    case restore(seq: Int)

    public var name: String {
        switch self {
        case .start: "start"
        case .recover: "recover"
        case .yield: "yield"
        case .timer: "timer"
        case .restore: "restore"
        }
    }
}

/// What `register` did.
public enum RegisterOutcome: Sendable, Equatable {
    /// A new job, stored as `accepted` at epoch 1: produce `run`.
    case registered(JobRecord, run: RunCommand)
    /// The job id was already registered; nothing changed and no run is to be issued.
    /// `sameSubmission` is false when the resent submission differs (script, args, tenant or policy).
    case duplicate(JobRecord, sameSubmission: Bool)
    /// Refused. `job` is the stored `rejected` job, or nil when the id itself is unusable.
    case rejected(JobFailure, job: JobRecord?)
}

/// What `saveSnapshot` did.
public enum SnapshotOutcome: Sendable, Equatable {
    /// Stored. `pruned` older snapshots were dropped; `jobStatus` tells the service whether
    /// a run is now due (a `yielded` job waiting for its yield snapshot).
    case stored(pruned: Int, timerSet: Bool, jobStatus: JobStatus)
    /// The same (job, seq, epoch) was stored before.
    case duplicate
    /// From an epoch older than the job's: a zombie run's. Ignored.
    case zombie(snapshotEpoch: Int, currentEpoch: Int)
    /// The job has ended; ignored.
    case jobTerminal(JobStatus)
    case unknownJob
    /// Refused: too large, wrong tenant, or an epoch never issued.
    case refused(String)
}

/// What `record` did with a job event.
public struct RecordOutcome: Sendable, Equatable {
    public enum Disposition: Sendable, Equatable {
        /// Recorded; the job's status may have changed.
        case applied
        /// The same event was recorded before.
        case duplicate
        /// Recorded in the history but changed nothing (terminal job, zombie epoch).
        case ignored(String)
        case unknownJob
    }

    public var disposition: Disposition
    /// The job's status after the event (nil for an unknown job).
    public var status: JobStatus?
    /// The seq of the snapshot the next run would resume from. For a `yielded` event with
    /// a `seq`, if this is lower the yield snapshot has not arrived yet: wait for it
    /// (`saveSnapshot` then reports `.stored(…, jobStatus: .yielded)`).
    public var latestSnapshotSeq: Int?

    public init(disposition: Disposition, status: JobStatus?, latestSnapshotSeq: Int?) {
        self.disposition = disposition
        self.status = status
        self.latestSnapshotSeq = latestSnapshotSeq
    }
}

/// What `cancel` did.
public enum CancelOutcome: Sendable, Equatable {
    case cancelled(JobRecord)
    case alreadyTerminal(JobStatus)
}

/// A `sleep` timer that is due.
public struct DueTimer: Sendable, Equatable {
    public var jobId: String
    public var wakeAt: Int64

    public init(jobId: String, wakeAt: Int64) {
        self.jobId = jobId
        self.wakeAt = wakeAt
    }
}
