#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Worker: the child process that runs tests

/// One unit of work: a test in one configuration (`restoreEvery == 0`: a straight run).
struct WorkItem: Sendable, Hashable {
    /// Index of the test in the parent's list.
    var test: Int
    /// Index of the configuration (0: the primary run, 1: `--also-restore-every`).
    var config: Int
    var restoreEvery: Int
    var path: String

    /// `test \t config \t restoreEvery \t path` — one line on the worker's stdin.
    var line: String { "\(test)\t\(config)\t\(restoreEvery)\t\(path)" }

    init(test: Int, config: Int, restoreEvery: Int, path: String) {
        self.test = test; self.config = config; self.restoreEvery = restoreEvery; self.path = path
    }

    init?(line: Substring) {
        let f = line.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
        guard f.count == 4, let t = Int(f[0]), let c = Int(f[1]), let r = Int(f[2]) else { return nil }
        self.init(test: t, config: c, restoreEvery: r, path: String(f[3]))
    }
}

/// A worker's answer for one item: `test \t config \t status \t mode \t message`.
struct WorkResult: Sendable {
    var test: Int
    var config: Int
    var verdict: Verdict

    var line: String {
        let clean = verdict.message.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 }
        return "\(test)\t\(config)\t\(verdict.status.rawValue)\t\(verdict.mode?.rawValue ?? "-")\t\(String(clean))"
    }

    init(test: Int, config: Int, verdict: Verdict) {
        self.test = test; self.config = config; self.verdict = verdict
    }

    init?(line: Substring) {
        let f = line.split(separator: "\t", maxSplits: 4, omittingEmptySubsequences: false)
        guard f.count == 5, let t = Int(f[0]), let c = Int(f[1]), let s = Status(rawValue: String(f[2])) else { return nil }
        self.init(test: t, config: c, verdict: Verdict(status: s, mode: Mode(rawValue: String(f[3])), message: String(f[4])))
    }
}

/// The `--worker` side: reads all of stdin (one `WorkItem` line each) before starting —
/// so the parent can write a whole batch without waiting — then runs the items in order
/// and writes one `WorkResult` line per item to stdout, flushed at once so the parent
/// knows exactly which test was running if the process dies.
enum Worker {
    static func serve(root: String, limits: ExecutionLimits) {
        var items: [WorkItem] = []
        while let line = readLine(strippingNewline: true) {
            if let item = WorkItem(line: Substring(line)) { items.append(item) }
        }
        capMemory()
        let executor = Executor(harness: Harness(root: root), limits: limits)
        for item in items {
            let meta = (try? readText(root + "/" + item.path)).map { Frontmatter(source: $0) } ?? Frontmatter(source: "")
            let test = TestCase(path: item.path, group: "", meta: meta)
            let verdict = executor.run(test, restoreEvery: item.restoreEvery)
            emit(WorkResult(test: item.test, config: item.config, verdict: verdict).line + "\n")
        }
    }

    /// Writes a line to stdout unbuffered.
    static func emit(_ s: String) {
        let bytes = Array(s.utf8)
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            off += n
        }
    }

    /// Bounds the worker's address space (8 GiB) so a runaway native allocation kills
    /// this worker (reported as a crash) instead of the machine.
    static func capMemory() {
        var lim = rlimit()
        lim.rlim_cur = 8 << 30
        lim.rlim_max = 8 << 30
        #if canImport(Glibc)
        _ = setrlimit(Int32(RLIMIT_AS.rawValue), &lim)
        #else
        _ = setrlimit(RLIMIT_AS, &lim)
        #endif
    }
}
