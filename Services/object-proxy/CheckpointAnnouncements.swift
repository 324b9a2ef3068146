import Synchronization

/// Which snapshots get a `checkpointed` event on `lazarus.job-events`.
///
/// A snapshot the script asked for (`checkpoint`, `yieldScript`, `sleep`) is always
/// announced. One the policy took (`afterWrite`, `everyCalls`, `everyMillis`, `always`) is
/// announced only if the job had none announced in the last `intervalMillis` (or at another
/// epoch): under `always` every host call is a snapshot, and an event per call cost a third
/// of what saving state costs (docs/BENCHMARKS.md) while `lazarus watch` and the progress
/// line of `submit --wait` need about one a second.
///
/// The only state the proxy keeps, and a restart may lose it freely: the worst a lost entry
/// does is announce one snapshot more. The snapshots themselves are never throttled.
final class CheckpointAnnouncements: Sendable {
    static let defaultIntervalMillis: Int64 = 1_000

    /// 0 announces every snapshot.
    let intervalMillis: Int64
    private let lastAnnounced = Mutex<[String: (epoch: Int, millis: Int64)]>([:])
    /// Past this many jobs, entries older than the interval are dropped (they would allow
    /// the next announcement anyway).
    private let sweepAbove: Int

    init(intervalMillis: Int64, sweepAbove: Int = 10_000) {
        self.intervalMillis = max(0, intervalMillis)
        self.sweepAbove = sweepAbove
    }

    /// Whether the policy snapshot of `jobId` at `epoch`, taken at `nowMillis`, is announced
    /// (and if so, remembers it).
    func shouldAnnounce(jobId: String, epoch: Int, nowMillis: Int64) -> Bool {
        guard intervalMillis > 0 else { return true }
        return lastAnnounced.withLock { last in
            if let previous = last[jobId], previous.epoch == epoch,
               nowMillis >= previous.millis, nowMillis - previous.millis < intervalMillis {
                return false
            }
            if last.count >= sweepAbove {
                last = last.filter { nowMillis >= $0.value.millis && nowMillis - $0.value.millis < intervalMillis }
            }
            last[jobId] = (epoch, nowMillis)
            return true
        }
    }
}
