import Foundation
import Synchronization

/// A `lazarus-broker` child process, for tests, benchmarks and local tooling.
///
/// Started with `--exit-on-stdin-eof --exit-with-parent`, so it never outlives the
/// process that launched it, even after a crash. ``command(_:)`` speaks its stdin
/// control channel (docs/BROKER.md).
public final class DevBrokerProcess: Sendable {
    /// The broker's bootstrap address (its first line of stdout).
    public let bootstrapServers: String

    private let process: Process
    private let stdin: FileHandle
    private let lines: LineLog
    private let commandLock = Mutex<Int>(1)  // index of the next answer line (line 0 is the address)

    /// The environment variable that can name the `lazarus-broker` executable.
    public static let executableVariable = "LAZARUS_BROKER_BIN"

    /// Finds the `lazarus-broker` executable: `$LAZARUS_BROKER_BIN`, then next to the
    /// running executable (SwiftPM puts all products and the test runner in one
    /// directory), then each of `candidates`.
    /// - Throws: ``KafkaError`` `.invalidConfig` listing every place tried.
    public static func locateExecutable(candidates: [URL] = []) throws(KafkaError) -> URL {
        var tried: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment[executableVariable], !explicit.isEmpty {
            tried.append(URL(fileURLWithPath: explicit))
        }
        let selfPath = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
        tried.append(URL(fileURLWithPath: selfPath).deletingLastPathComponent().appendingPathComponent("lazarus-broker"))
        tried += candidates
        if let found = tried.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) {
            return found
        }
        throw KafkaError(.invalidConfig, "lazarus-broker executable not found; build it first "
            + "(swift build --product lazarus-broker) or set \(executableVariable). Tried: "
            + tried.map(\.path).joined(separator: ", "))
    }

    /// Launches the broker and waits for its address line.
    /// - Throws: ``KafkaError`` if it cannot start or prints nothing within `startupTimeout`.
    public static func launch(
        executable: URL, brokers: Int = 1, partitions: Int = 12, startupTimeout: Duration = .seconds(30)
    ) async throws(KafkaError) -> DevBrokerProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--brokers", String(brokers), "--partitions", String(partitions), "--exit-on-stdin-eof", "--exit-with-parent"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw KafkaError(.other, "cannot start \(executable.path): \(error)")
        }
        let lines = LineLog()
        let reader = output.fileHandleForReading
        DedicatedThread.start(name: "lazarus-broker-stdout") {
            while true {
                let data = reader.availableData
                if data.isEmpty { break }
                lines.append(data)
            }
            lines.close()
        }
        guard let address = await lines.line(0, timeout: startupTimeout), !address.isEmpty else {
            process.terminate()
            throw KafkaError(.timedOut, "lazarus-broker at \(executable.path) printed no address within \(startupTimeout)")
        }
        return DevBrokerProcess(address: address, process: process, stdin: input.fileHandleForWriting, lines: lines)
    }

    private init(address: String, process: Process, stdin: FileHandle, lines: LineLog) {
        bootstrapServers = address
        self.process = process
        self.stdin = stdin
        self.lines = lines
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// The process id of the broker.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Sends one control command (e.g. `down all`) and returns the text after `ok `.
    /// - Throws: ``KafkaError`` `.invalidArgument` with the broker's `error …` answer, or
    ///   `.timedOut` if it does not answer.
    @discardableResult
    public func command(_ line: String, timeout: Duration = .seconds(10)) async throws(KafkaError) -> String {
        let index = commandLock.withLock { next in
            defer { next += 1 }
            stdin.write(Data((line + "\n").utf8))
            return next
        }
        guard let answer = await lines.line(index, timeout: timeout) else {
            throw KafkaError(.timedOut, "lazarus-broker did not answer '\(line)'", isRetriable: true)
        }
        if answer.hasPrefix("ok") { return String(answer.dropFirst(3)) }
        throw KafkaError(.invalidArgument, "lazarus-broker refused '\(line)': \(answer)")
    }

    /// Sends SIGTERM and waits for the exit; returns the exit status.
    @discardableResult
    public func terminate() async -> Int32 {
        let process = self.process
        if process.isRunning { process.terminate() }
        return await withCheckedContinuation { continuation in
            DedicatedThread.start(name: "lazarus-broker-wait") {
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }
        }
    }
}

/// Lines read from a child's stdout, kept in order.
private final class LineLog: Sendable {
    private struct State {
        var lines: [String] = []
        var partial = Data()
        var closed = false
    }

    private let state = Mutex(State())

    func append(_ data: Data) {
        state.withLock { s in
            s.partial.append(data)
            while let newline = s.partial.firstIndex(of: UInt8(ascii: "\n")) {
                s.lines.append(String(decoding: s.partial[s.partial.startIndex..<newline], as: UTF8.self))
                s.partial.removeSubrange(s.partial.startIndex...newline)
            }
        }
    }

    func close() { state.withLock { $0.closed = true } }

    /// Line number `index`, waiting up to `timeout`; `nil` on timeout or EOF.
    func line(_ index: Int, timeout: Duration) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let (line, closed): (String?, Bool) = state.withLock { s in
                (index < s.lines.count ? s.lines[index] : nil, s.closed)
            }
            if let line { return line }
            if closed { return nil }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return nil
    }
}
