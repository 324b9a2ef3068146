#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - ChildProcess: a worker spawned with posix_spawn and pipes

/// A child process with a pipe to its stdin and one from its stdout; stderr goes to a
/// file (read back to explain a crash). The parent's pipe ends are close-on-exec, so a
/// worker never holds another worker's pipes open (which would hide its EOF).
final class ChildProcess {
    let pid: pid_t
    /// Write end of the child's stdin (-1 once closed).
    private(set) var stdinFD: Int32
    /// Read end of the child's stdout.
    let stdoutFD: Int32
    let stderrPath: String

    /// Spawns `executable` with `arguments` (argv[1...]).
    init(executable: String, arguments: [String], stderrPath: String) throws {
        var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0 else { throw RunnerError("pipe failed: errno \(errno)") }
        for fd in [inPipe[1], outPipe[0]] { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addclose(&actions, inPipe[0])
        posix_spawn_file_actions_addclose(&actions, outPipe[1])

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var child: pid_t = 0
        let rc = argv.withUnsafeBufferPointer { buf in
            posix_spawn(&child, executable, &actions, nil, UnsafeMutablePointer(mutating: buf.baseAddress!), environ)
        }
        close(inPipe[0])
        close(outPipe[1])
        guard rc == 0 else {
            close(inPipe[1]); close(outPipe[0])
            throw RunnerError("cannot start worker \(executable): error \(rc)")
        }
        pid = child
        stdinFD = inPipe[1]
        stdoutFD = outPipe[0]
        self.stderrPath = stderrPath
    }

    /// Writes all of `text` to the child's stdin, then closes it.
    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { write(stdinFD, $0.baseAddress, $0.count) }
            if n <= 0 { break }   // the child died: its stdout EOF tells the rest
            off += n
        }
        close(stdinFD)
        stdinFD = -1
    }

    /// Reads what is available on stdout: nil at EOF.
    func readAvailable() -> [UInt8]? {
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        let n = buf.withUnsafeMutableBytes { read(stdoutFD, $0.baseAddress, $0.count) }
        if n < 0 && (errno == EINTR || errno == EAGAIN) { return [] }
        if n <= 0 { return nil }
        return Array(buf[0..<n])
    }

    /// Kills the child (SIGKILL) — used when a test exceeds the wall-clock limit.
    func kill() { _ = Glibc.kill(pid, SIGKILL) }

    /// Reaps the child and closes the pipes. Returns a description of an abnormal end
    /// (`signal 4`, `exit 1`), or nil for a clean exit.
    func finish() -> String? {
        if stdinFD >= 0 { close(stdinFD); stdinFD = -1 }
        close(stdoutFD)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        if signal != 0 { return "signal \(signal)" }
        let code = (status >> 8) & 0xff
        return code == 0 ? nil : "exit \(code)"
    }

    /// The most telling line the child wrote to stderr (a Swift `Fatal error:` line if any).
    func crashLine() -> String {
        guard let text = try? readText(stderrPath) else { return "" }
        let lines = text.split(separator: "\n").map(String.init)
        if let fatal = lines.first(where: { $0.contains("Fatal error") || $0.contains("fatal error") }) {
            return fatal.trimmingSpaces
        }
        return lines.first { !$0.trimmingSpaces.isEmpty && !$0.hasPrefix("Stack dump") }?.trimmingSpaces ?? ""
    }
}

/// The path of the running executable (to re-execute it as a worker).
func currentExecutablePath() -> String {
    var buf = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buf, buf.count - 1)
    if n > 0 { return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
    return CommandLine.arguments[0]
}
