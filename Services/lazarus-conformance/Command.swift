import ArgumentParser
import Foundation

// MARK: - The command line

/// `lazarus-conformance --root DIR …`: runs the measured test262 directories against
/// LazarusEngine and prints (and optionally writes) the per-directory figures.
struct ConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lazarus-conformance",
        abstract: "Run the measured test262 directories against LazarusEngine and report pass rates.",
        discussion: """
        Measured: the directories of issue 3 ("Conformance"), without tests that have a \
        `features:` key or the module/async flags. Each test runs in a fresh VM (sloppy and \
        strict unless its flags say otherwise) inside worker processes, so an engine crash \
        only fails that test.

        Examples:
          lazarus-conformance --root ../test262
          lazarus-conformance --root ../test262 --filter built-ins/JSON --verbose
          lazarus-conformance --root ../test262 --also-restore-every 97 \\
              --report docs/CONFORMANCE.md --failures /tmp/failures.txt
        """
    )

    @Option(help: ArgumentHelp("A test262 checkout (with harness/ and test/).", valueName: "dir"))
    var root: String

    @Option(name: .customLong("restore-every"),
            help: ArgumentHelp("Snapshot the VM and continue in a freshly decoded one every N instructions.", valueName: "n"))
    var restoreEvery: Int?

    @Option(name: .customLong("also-restore-every"),
            help: ArgumentHelp("Run everything a second time with --restore-every N and report both columns.", valueName: "n"))
    var alsoRestoreEvery: Int?

    @Option(help: ArgumentHelp("Only tests whose path (test/…) contains this substring.", valueName: "substr"))
    var filter: String?

    @Option(help: "Worker processes running in parallel.")
    var jobs: Int = 2

    @Option(help: ArgumentHelp("Write the markdown report (e.g. docs/CONFORMANCE.md).", valueName: "file"))
    var report: String?

    @Option(help: ArgumentHelp("Write the failures, grouped by cause, then one line per failing test.", valueName: "file"))
    var failures: String?

    @Flag(help: "Print every failing test with its error.")
    var verbose = false

    @Option(help: "Instruction budget of one run (beyond it the test is a timeout).")
    var budget: Int = 50_000_000

    @Option(name: .customLong("heap-mb"), help: "Heap limit of one VM, in MiB.")
    var heapMB: Int = 256

    @Option(help: "Seconds a worker may go without reporting a result before it is killed.")
    var timeout: Int = 60

    @Option(name: .customLong("batch-size"), help: "Tests handed to one worker process.")
    var batchSize: Int = 150

    @Option(name: .customLong("test262-commit"), help: "The test262 commit, for the report (default: git rev-parse in --root).")
    var test262Commit: String?

    @Option(name: .customLong("engine-commit"), help: "The engine's commit, for the report.")
    var engineCommit: String?

    @Option(name: .customLong("command-line"), help: "The command shown in the report (default: this invocation).")
    var commandLine: String?

    @Flag(help: .hidden)
    var worker = false

    var limits: ExecutionLimits {
        ExecutionLimits(instructionBudget: budget, heapBytes: heapMB << 20)
    }

    func validate() throws {
        if jobs < 1 { throw ArgumentParser.ValidationError("--jobs must be at least 1") }
        if let n = restoreEvery, n < 1 { throw ArgumentParser.ValidationError("--restore-every must be at least 1") }
        if let n = alsoRestoreEvery, n < 1 { throw ArgumentParser.ValidationError("--also-restore-every must be at least 1") }
        if batchSize < 1 || budget < 1 || heapMB < 1 || timeout < 1 {
            throw ArgumentParser.ValidationError("--batch-size, --budget, --heap-mb and --timeout must be positive")
        }
    }

    func run() throws {
        if worker {
            Worker.serve(root: root, limits: limits)
            return
        }
        let started = monotonicSeconds()
        let tests: [TestCase]
        do { tests = try Suite.discover(root: root, filter: filter) } catch {
            writeErr("lazarus-conformance: \(error)\n")
            throw ExitCode(2)
        }
        var configs = [RunConfig(restoreEvery: restoreEvery ?? 0)]
        if let n = alsoRestoreEvery { configs.append(RunConfig(restoreEvery: n)) }
        var skippedRestore: Int?
        if !SnapshotBridge.isAvailable, let n = configs.map(\.restoreEvery).first(where: { $0 > 0 }) {
            writeErr("lazarus-conformance: no snapshot codec linked: --restore-every \(n) is not measured\n")
            configs.removeAll { $0.restoreEvery > 0 }
            if configs.isEmpty { configs = [RunConfig(restoreEvery: 0)] }
            skippedRestore = n
        }

        var items: [WorkItem] = []
        for (c, config) in configs.enumerated() {
            for (t, test) in tests.enumerated() where test.skipReason == nil {
                items.append(WorkItem(test: t, config: c, restoreEvery: config.restoreEvery, path: test.path))
            }
        }
        let measured = tests.filter { $0.skipReason == nil }.count
        writeErr("lazarus-conformance: \(tests.count) tests, \(measured) measured, \(items.count) runs in \(jobs) workers\n")

        var options = Scheduler.Options()
        options.jobs = jobs
        options.batchSize = batchSize
        options.wallTimeout = Double(timeout)
        options.workerArguments = ["--worker", "--root", root, "--budget", "\(budget)", "--heap-mb", "\(heapMB)"]
        let results = try Scheduler(items: items, options: options).run()

        var verdicts: [[Verdict?]] = Array(repeating: Array(repeating: nil, count: configs.count), count: tests.count)
        for r in results { verdicts[r.test][r.config] = r.verdict }
        var summary = Report(tests: tests, configs: configs, verdicts: verdicts)
        summary.test262Commit = test262Commit ?? gitHead(root) ?? "unknown"
        summary.engineCommit = engineCommit
        summary.commandLine = commandLine ?? (["lazarus-conformance"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        summary.seconds = monotonicSeconds() - started
        summary.cpuSeconds = childrenCPUSeconds()
        summary.skippedRestore = skippedRestore

        if verbose {
            for (t, test) in tests.enumerated() {
                for (c, config) in configs.enumerated() {
                    if let v = verdicts[t][c], v.status != .pass {
                        print("FAIL \(config.label) " + Report.failureLine(test, v), terminator: "")
                    }
                }
            }
        }
        print(summary.textTable, terminator: "")
        print("time: \(Int(summary.seconds.rounded())) s wall, \(Int(summary.cpuSeconds.rounded())) s CPU in workers")
        if let path = report { try write(summary.markdown, to: path) }
        if let path = failures { try write(summary.failureList(), to: path) }
    }

    private func write(_ text: String, to path: String) throws {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            writeErr("lazarus-conformance: cannot write \(path): \(error)\n")
            throw ExitCode(2)
        }
    }
}

/// `git rev-parse HEAD` in `dir`, if it is a git checkout.
func gitHead(_ dir: String) -> String? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["git", "-C", dir, "rev-parse", "HEAD"]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    do { try p.run() } catch { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { return nil }
    let s = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return s.isEmpty ? nil : s
}

/// User + system CPU seconds of the reaped child processes (the workers).
func childrenCPUSeconds() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    let who = Int32(RUSAGE_CHILDREN.rawValue)
    #else
    let who = RUSAGE_CHILDREN
    #endif
    guard getrusage(who, &usage) == 0 else { return 0 }
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
