#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Scheduler: batches of work items over crash-isolated worker processes

/// Runs work items in `jobs` worker processes (this executable re-run with `--worker`),
/// one batch per worker process. A single-threaded `poll` loop reads their result lines.
///
/// * A worker that dies mid-batch (an engine trap) is reaped; the item it was on is marked
///   `crash` with the worker's `Fatal error:` line, and the rest of its batch goes back to
///   the front of the queue for a new worker.
/// * A worker that reports nothing for `wallTimeout` seconds is killed; its current item
///   is a `timeout` (a native stuck inside one instruction, beyond the instruction budget).
final class Scheduler {
    struct Options {
        var jobs = 2
        var batchSize = 150
        /// Seconds without a result line before the worker is killed.
        var wallTimeout: Double = 60
        /// argv[1...] of a worker (`--worker --root …`).
        var workerArguments: [String] = []
        var progress = true
    }

    /// A worker process and the items of its batch that have no result yet (in order).
    private final class Slot {
        let process: ChildProcess
        var pending: [WorkItem]
        var buffer: [UInt8] = []
        var lastProgress: Double
        /// Set when the parent killed the worker for going silent (the item is already recorded).
        var killed = false
        init(process: ChildProcess, pending: [WorkItem], now: Double) {
            self.process = process; self.pending = pending; self.lastProgress = now
        }
    }

    let options: Options
    private var queue: [WorkItem]
    private var queueHead = 0
    private var slots: [Slot] = []
    private var results: [WorkResult] = []
    private let executable = currentExecutablePath()
    private var spawned = 0
    private let total: Int

    init(items: [WorkItem], options: Options) {
        self.queue = items
        self.options = options
        self.total = items.count
    }

    /// Runs every item; returns one result per item (crashes and wall timeouts included).
    func run() throws -> [WorkResult] {
        signal(SIGPIPE, SIG_IGN)
        var nextReport = 0
        while queueHead < queue.count || !slots.isEmpty {
            while slots.count < options.jobs, queueHead < queue.count { try startWorker() }
            pollOnce()
            if options.progress, results.count >= nextReport {
                writeErr("  \(results.count)/\(total) runs done\n")
                nextReport = results.count + max(1000, total / 10)
            }
        }
        return results
    }

    /// The stderr file of the `k`th worker (removed when the worker has been reaped).
    private func errorPath(_ k: Int) -> String {
        "/tmp/lazarus-conformance-\(getpid())-\(k).err"
    }

    /// Starts a worker on the next batch.
    private func startWorker() throws {
        let end = min(queue.count, queueHead + options.batchSize)
        let batch = Array(queue[queueHead..<end])
        queueHead = end
        spawned += 1
        let process = try ChildProcess(executable: executable, arguments: options.workerArguments,
                                       stderrPath: errorPath(spawned))
        process.send(batch.map { $0.line + "\n" }.joined())
        slots.append(Slot(process: process, pending: batch, now: monotonicSeconds()))
    }

    /// Waits up to a second for output from any worker and handles it.
    private func pollOnce() {
        var fds = slots.map { pollfd(fd: $0.process.stdoutFD, events: Int16(POLLIN), revents: 0) }
        let n = poll(&fds, nfds_t(fds.count), 1000)
        var finished: [Int] = []
        if n > 0 {
            for (i, fd) in fds.enumerated() where fd.revents != 0 {
                if let bytes = slots[i].process.readAvailable() {
                    if !bytes.isEmpty { consume(bytes, in: slots[i]) }
                } else {
                    finished.append(i)
                }
            }
        }
        let now = monotonicSeconds()
        for (i, slot) in slots.enumerated() where !finished.contains(i) && now - slot.lastProgress > options.wallTimeout {
            slot.process.kill()
            slot.killed = true
            if let item = slot.pending.first {
                record(item, Verdict(status: .timeout, mode: nil,
                                     message: "timeout: no result within \(Int(options.wallTimeout)) s (worker killed)"))
                slot.pending.removeFirst()
            }
            finished.append(i)
        }
        for i in finished.sorted(by: >) {
            let slot = slots.remove(at: i)
            end(slot)
        }
    }

    /// Splits complete lines off the slot's buffer and records their results.
    private func consume(_ bytes: [UInt8], in slot: Slot) {
        slot.buffer.append(contentsOf: bytes)
        while let nl = slot.buffer.firstIndex(of: 10) {
            let line = String(decoding: slot.buffer[..<nl], as: UTF8.self)
            slot.buffer.removeSubrange(...nl)
            guard let result = WorkResult(line: Substring(line)) else { continue }
            if let k = slot.pending.firstIndex(where: { $0.test == result.test && $0.config == result.config }) {
                slot.pending.remove(at: k)
                results.append(result)
                slot.lastProgress = monotonicSeconds()
            }
        }
    }

    /// Reaps a finished (or killed) worker. Items left without a result: the first one is
    /// the one that took the worker down, the others are queued again.
    private func end(_ slot: Slot) {
        let abnormal = slot.process.finish()
        defer { unlink(slot.process.stderrPath) }
        guard let culprit = slot.pending.first else { return }
        var rest = slot.pending[...]
        if !slot.killed {
            let why = slot.process.crashLine()
            let message = "crash (\(abnormal ?? "worker ended early"))" + (why.isEmpty ? "" : ": " + why)
            record(culprit, Verdict(status: .crash, mode: nil, message: message))
            rest = rest.dropFirst()
        }
        if !rest.isEmpty {
            queue.replaceSubrange(queueHead..<queueHead, with: rest)
        }
    }

    private func record(_ item: WorkItem, _ verdict: Verdict) {
        results.append(WorkResult(test: item.test, config: item.config, verdict: verdict))
    }
}

/// Seconds on the monotonic clock.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Writes to stderr, unbuffered.
func writeErr(_ s: String) {
    let bytes = Array(s.utf8)
    var off = 0
    while off < bytes.count {
        let n = bytes[off...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        if n <= 0 { return }
        off += n
    }
}
