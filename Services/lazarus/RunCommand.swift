import ArgumentParser
import LazarusEngine
import LazarusSyntax
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `lazarus run FILE.js [--arg k=v]… [--restore-every N]`
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a script in-process against an in-memory object store."
    )

    @ArgumentParser.Argument(help: "The script file.")
    var file: String

    @Option(name: .customLong("arg"), help: "An argument for main(args), as key=value (values are strings). Repeatable.")
    var args: [String] = []

    @Option(name: .customLong("restore-every"), help: "Serialize the VM and continue in a fresh one every N instructions.")
    var restoreEvery: Int?

    func run() throws {
        guard let source = readFile(file) else {
            writeErr("lazarus: cannot read \(file)\n")
            throw ExitCode(2)
        }
        var pairs: [(String, HostValue)] = []
        for a in args {
            guard let eq = a.firstIndex(of: "=") else {
                writeErr("lazarus: --arg expects key=value, got '\(a)'\n")
                throw ExitCode(2)
            }
            pairs.append((String(a[..<eq]), .string(String(a[a.index(after: eq)...]))))
        }
        let program: CompiledProgram
        do {
            program = try compileProgram(source)
        } catch {
            writeErr("\(error)\n")
            throw ExitCode(1)
        }
        let out = StdoutBuffer()
        let vm = try VM(consoleMode: .direct({ line in out.write(line) }))
        vm.load(program, mainArguments: .object(pairs))
        let host = LocalHost(logSink: { out.flush(); writeErr($0 + "\n") })
        let slice = restoreEvery.map { max(1, $0) } ?? Int.max
        // --restore-every N: encode → bytes → decode into a fresh VM between slices.
        let between: ((VM) throws -> VM)? = restoreEvery == nil ? nil : { old in
            try SnapshotCodec.roundTrip(old, program: program)
        }
        let result: RunResult
        do {
            result = try host.runToEnd(vm, slice: slice, between: between)
        } catch let e as SnapshotError {
            out.flush()
            writeErr("lazarus: \(e)\n")
            throw ExitCode(1)
        }
        out.flush()
        switch result {
        case .completed:
            return
        case .failed(let e):
            writeErr("\(e)\n")
            throw ExitCode(1)
        default:
            throw ExitCode(1)
        }
    }

    func readFile(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            bytes.append(contentsOf: buf[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Buffered stdout (console.log output), flushed when large and at the end.
final class StdoutBuffer: @unchecked Sendable {
    // @unchecked: used from the single thread that drives the VM.
    private var bytes: [UInt8] = []
    func write(_ line: String) {
        bytes.append(contentsOf: line.utf8)
        bytes.append(10)
        if bytes.count > 1 << 16 { flush() }
    }
    func flush() {
        writeAll(1, bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}

func writeErr(_ s: String) { writeAll(2, Array(s.utf8)) }

func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    var off = 0
    while off < bytes.count {
        let n = bytes[off...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if n <= 0 { return }
        off += n
    }
}
