import Foundation
import Synchronization
import Testing

/// One Lazarus executable started as a real OS process, for tests that kill and restart.
///
/// Executables are found in `$LAZARUS_BIN_DIR` (set by infra/test.sh), else next to the
/// test runner (SwiftPM builds every product into one directory). Output (stdout and
/// stderr together) goes to a log file and is kept in memory for `waitForOutput`.
final class ServiceProcess: Sendable {
    let name: String
    let logFile: URL
    private let process: Process
    private let output: OutputBuffer

    /// The directory holding the built executables.
    static func binDirectory() throws -> URL {
        if let dir = ProcessInfo.processInfo.environment["LAZARUS_BIN_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        let selfPath = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: selfPath).deletingLastPathComponent()
    }

    static func executable(_ name: String) throws -> URL {
        let url = try binDirectory().appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw FixtureError("\(name) not found at \(url.path): run `swift build` first, or set LAZARUS_BIN_DIR")
        }
        return url
    }

    /// Starts `name` with `arguments`; `environment` is added to this process's own.
    init(_ name: String, arguments: [String] = [], environment: [String: String] = [:], logDirectory: URL) throws {
        self.name = name
        let process = Process()
        process.executableURL = try Self.executable(name)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        let logFile = logDirectory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(6)).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        let output = OutputBuffer()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                return
            }
            log.write(data)
            output.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        self.process = process
        self.output = output
        self.logFile = logFile
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var outputSoFar: String { output.text.withLock { $0 } }

    /// Waits until the process has printed `text` (or fails the wait at `timeout`).
    func waitForOutput(_ text: String, timeout: Duration = .seconds(60)) async throws {
        try await waitUntil("\(name) printed '\(text)'", timeout: timeout) { outputSoFar.contains(text) }
    }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// `kill -9`: no cleanup, no goodbye, exactly like a crash.
    func crash() async {
        signal(SIGKILL)
        _ = await waitForExit(timeout: .seconds(30))
    }

    /// Waits for the exit and returns the status, or `nil` if it is still running at `timeout`.
    func waitForExit(timeout: Duration = .seconds(30)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// Runs `name` to its end (a CLI command) and returns its exit status and everything it
    /// printed (stdout and stderr together, also written to a log in `logDirectory`). A
    /// command still running at `timeout` is killed (bounds a hang; nothing asserts on speed).
    static func run(_ name: String, arguments: [String], environment: [String: String] = [:], logDirectory: URL,
                    timeout: Duration = .seconds(120)) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try executable(name)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let pid = process.processIdentifier
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            kill(pid, SIGKILL)
        }
        let reader = pipe.fileHandleForReading
        // Blocking read to the end, off the cooperative pool.
        let data = await withCheckedContinuation { (done: CheckedContinuation<Data, Never>) in
            Thread.detachNewThread { done.resume(returning: reader.readDataToEndOfFile()) }
        }
        process.waitUntilExit()
        watchdog.cancel()
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        try data.write(to: logDirectory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(6)).log"))
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// Everything a child process printed so far.
final class OutputBuffer: Sendable {
    let text = Mutex("")
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Waits until `condition` holds, polling; fails with `what` at the deadline, which only
/// bounds a hang (no test asserts on speed).
func waitUntil(_ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(25))
    }
    throw FixtureError("timed out after \(timeout) waiting until \(what)")
}

/// A fresh directory for one test's files (SQLite databases, logs).
func temporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lazarus-test-\(label)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
