import Foundation
import LazarusEngine
import Testing

// MARK: - A snapshot written by one OS process resumes in another
//
// The parent test runs a program to its third host call, writes the snapshot and the
// source to a temporary directory, then starts this same test binary again as a child
// with LAZARUS_SNAPSHOT_CHILD_DIR set, running only `childResumesSnapshot`: the child
// compiles the source, restores the snapshot, answers the pending host call, runs to the
// end and writes its console lines. Parent lines + child lines must equal a straight run.

@Suite struct SnapshotCrossProcessTests {
    static let childEnv = "LAZARUS_SNAPSHOT_CHILD_DIR"

    /// Host calls are stateless here (checkpoint, now, yieldScript) so that the child's
    /// fresh LocalHost answers exactly as the parent's would have.
    static let source = """
        var log = [];
        function step(name) { log.push(name + "@" + checkpoint(name).status); return log.length; }
        var counter = (function () { var n = 0; return function () { return ++n; }; })();
        var items = [3, 1, 2].map(function (v) { counter(); return v * 10; });
        step("a"); step("b");
        var t = now();
        var obj = { items: items, self: null }; obj.self = obj;
        yieldScript();
        console.log(log.join(","), counter(), obj.self.items.join("-"), t);
        for (var i = 0; i < 3; i++) step("loop" + i);
        console.log(log.length, typeof obj.self.self);
        """

    static func host() -> LocalHost { LocalHost(seed: 3, clock: { 1_700_000_000_123 }) }

    static func finish(_ vm: VM, _ host: LocalHost) -> RunResult {
        while true {
            let r = vm.run()
            switch r {
            case .hostCall(let c): vm.resume(host.handle(c))
            case .budgetExhausted: continue
            default: return r
            }
        }
    }

    @Test("the snapshot resumes in another OS process")
    func resumesInAnotherProcess() throws {
        let program = try compileProgram(Self.source)
        // Straight run, for reference.
        let straightSink = SnapshotLineSink()
        let straight = try VM(consoleMode: .direct({ straightSink.append($0) }))
        straight.load(program)
        guard case .completed = Self.finish(straight, Self.host()) else { Issue.record("straight run failed"); return }

        // Parent: run to the third host call and write the snapshot.
        let sink = SnapshotLineSink()
        let vm = try VM(consoleMode: .direct({ sink.append($0) }))
        vm.load(program)
        let host = Self.host()
        var calls = 0
        while true {
            guard case .hostCall(let c) = vm.run() else { Issue.record("expected host calls"); return }
            calls += 1
            if calls == 3 { break }
            vm.resume(host.handle(c))
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lazarus-snap-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(try vm.encodeSnapshot()).write(to: dir.appendingPathComponent("snapshot.lzsn"))
        try Data(Self.source.utf8).write(to: dir.appendingPathComponent("program.js"))

        // Child: this test binary, running only the child test.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["--testing-library", "swift-testing", "--filter", "childResumesSnapshot"]
        var env = ProcessInfo.processInfo.environment
        env[Self.childEnv] = dir.path
        child.environment = env
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        child.waitUntilExit()
        #expect(child.terminationStatus == 0)
        let output = try String(contentsOf: dir.appendingPathComponent("output.txt"), encoding: .utf8)
        let childLines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast()
        #expect(childLines.first == "pid \(child.processIdentifier)")
        #expect(child.processIdentifier != getpid())
        #expect(sink.lines + childLines.dropFirst() == straightSink.lines)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment[childEnv] != nil, "runs only as the child of resumesInAnotherProcess"))
    func childResumesSnapshot() throws {
        let dir = URL(fileURLWithPath: ProcessInfo.processInfo.environment[Self.childEnv]!)
        let source = try String(contentsOf: dir.appendingPathComponent("program.js"), encoding: .utf8)
        let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent("snapshot.lzsn")))
        let program = try compileProgram(source)
        let sink = SnapshotLineSink()
        sink.append("pid \(getpid())")
        let vm = try VM.restore(from: bytes, program: program, consoleMode: .direct({ sink.append($0) }))
        guard case .completed = Self.finish(vm, Self.host()) else { Issue.record("child run failed"); return }
        try Data(sink.lines.map { $0 + "\n" }.joined().utf8).write(to: dir.appendingPathComponent("output.txt"))
    }
}
