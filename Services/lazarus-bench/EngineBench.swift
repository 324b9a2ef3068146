import ArgumentParser
import Foundation

/// `lazarus-bench engine`: each benchmark program run by `lazarus run` against its Python
/// twin run by python3, on the same machine in the same run; prints each time ratio and
/// their geometric mean (the engine's speed figure in docs/BENCHMARKS.md).
struct EngineBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Time the engine benchmark programs against CPython.")

    @Option(help: "Directory with NAME.js and NAME.py pairs.")
    var programs = "../shared/bench/engine"

    @Option(help: "The lazarus executable (default: next to this one; build it with -c release).")
    var lazarus: String?

    @Option(help: "The Python interpreter.")
    var python = "python3"

    @Option(help: "Runs of each program; the fastest counts.")
    var runs = 3

    func run() async throws {
        let directory = URL(fileURLWithPath: programs)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".js") }.map { String($0.dropLast(3)) }.sorted()
        guard !names.isEmpty else { throw ValidationError("no NAME.js programs in \(directory.path)") }
        let engine = lazarus ?? siblingExecutable("lazarus")
        print("program      lazarus_s  python_s  ratio")
        var logSum = 0.0
        for name in names {
            let js = directory.appendingPathComponent("\(name).js").path
            let py = directory.appendingPathComponent("\(name).py").path
            let ours = try bestTime(engine, ["run", js])
            let theirs = try bestTime(which(python), [py])
            let ratio = ours / theirs
            logSum += log(ratio)
            print("\(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(format(ours))     \(format(theirs))    \(format(ratio))")
        }
        print("geometric mean of ratios: \(format(exp(logSum / Double(names.count))))")
    }

    private func bestTime(_ executable: String, _ arguments: [String]) throws -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, runs) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            let start = ContinuousClock.now
            try process.run()
            process.waitUntilExit()
            let elapsed = ContinuousClock.now - start
            guard process.terminationStatus == 0 else {
                throw ValidationError("\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
            }
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return best
    }

    private func format(_ x: Double) -> String { String(format: "%.3f", x) }
}

/// An executable built next to this one.
func siblingExecutable(_ name: String) -> String {
    let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent(name).path
}

/// The full path of a command on PATH.
func which(_ command: String) throws -> String {
    if command.contains("/") { return command }
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let path = "\(dir)/\(command)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    throw ValidationError("\(command) not found on PATH")
}
