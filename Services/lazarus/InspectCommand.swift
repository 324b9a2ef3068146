import ArgumentParser
import Foundation
import LazarusEngine
import LazarusKafka
import LazarusService
import LazarusWire

/// `lazarus inspect JOB [--seq N] [--json]`
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show the suspended script in one of a job's snapshots: frames, source lines, local variables.",
        discussion: """
            Reads the job's snapshots (lazarus.snapshots) and its script (lazarus.jobs), decodes \
            the snapshot with the engine and prints, innermost frame first: the function, the \
            source line it is at, and its variables (its own, then those it captured from \
            enclosing functions, marked `(closure)`), with the host call the script waits in. \
            Values are shown briefly: `[1, 2, 3, …] (length 10)`, `{id: "a", total: 5, …}`, \
            `function name`. Frames of builtins (e.g. the `map` calling a callback) are listed \
            without variables.

            Without --seq: the job's latest snapshot. `lazarus status JOB` shows the latest seq.
            """)

    @ArgumentParser.Argument(help: "The job id.")
    var job: String

    @Option(help: "The snapshot's call sequence number (default: the latest snapshot).")
    var seq: Int?

    @Flag(help: "Print the inspection as JSON.")
    var json = false

    @OptionGroup var connection: ServiceOptions

    func run() async throws {
        let session = try KafkaSession(options: connection)
        let snapshots = try await JobSnapshots.read(job, session: session)
        let entry = try snapshots.select(seq: seq)
        guard let submission = snapshots.submission else {
            throw CLIError("the submission of job \(job) is no longer on \(LazarusTopics.jobs): the script is needed to read its snapshots")
        }
        let program: CompiledProgram
        do {
            program = try compileProgram(submission.script)
        } catch {
            throw CLIError("the script of job \(job) does not compile here (\(error)); was it submitted to another Lazarus version?")
        }
        // Executors that sign their continuations (LAZARUS_SNAPSHOT_KEY_FILE) append a code
        // the engine does not read: checked and taken off with the same key.
        let signer: SnapshotSigner?
        do {
            signer = try SnapshotSigner.load(path: nil)
        } catch {
            throw CLIError(error.message)
        }
        let inspection: SnapshotInspection
        do {
            let continuation = Array(entry.event.continuation)
            inspection = try SnapshotInspector.inspect(Array(try signer?.verify(continuation) ?? continuation[...]), program: program)
        } catch {
            let hint = signer == nil ? " (if the executors sign their snapshots, set \(SnapshotSigner.keyFileVariable) to their key file)" : ""
            throw CLIError("snapshot seq \(entry.event.seq) of job \(job) cannot be read: \(error)\(hint)")
        }
        let report = InspectReport(entry: entry, seqs: snapshots.seqs, inspection: inspection)
        print(json ? report.json() : report.text())
    }
}

/// What `lazarus inspect` prints, as text or JSON.
struct InspectReport {
    let entry: JobSnapshots.Entry
    let seqs: [Int]
    let inspection: SnapshotInspection

    func text() -> String {
        let e = entry.event
        var out: [String] = []
        out.append("job       \(e.jobId)   tenant \(e.tenant)")
        var snapshot = "snapshot  seq \(e.seq) (seqs \(JobSnapshots.ranges(seqs)))   epoch \(e.epoch)   \(e.reason)"
        if let label = e.label { snapshot += " \"\(label)\"" }
        if entry.time >= 0 { snapshot += "   taken \(Format.time(entry.time))" }
        out.append(snapshot)
        if let wakeAt = e.wakeAt { out.append("due       \(Format.time(wakeAt))") }
        if let call = inspection.pendingHostCall {
            out.append("waiting   \(Self.callText(call))")
        } else {
            out.append("waiting   between two instructions (its run slice ended)")
        }
        out.append("executed  \(inspection.instructionCount) instructions")
        out.append("")
        out.append("frames (innermost first)")
        for (i, frame) in inspection.frames.enumerated() {
            if frame.isBuiltin {
                out.append("#\(i)  \(frame.function)   [builtin]")
                continue
            }
            out.append("#\(i)  \(frame.function)   line \(frame.line):\(frame.column)")
            if let source = frame.sourceLine {
                out.append("      \(frame.line) | \(source.trimmingCharacters(in: .whitespaces))")
            }
            let width = frame.variables.map(\.name.count).max() ?? 0
            for v in frame.variables {
                let name = v.name.padding(toLength: width, withPad: " ", startingAt: 0)
                out.append("      \(name) = \(v.value)" + (v.isCaptured ? "   (closure)" : ""))
            }
        }
        return out.joined(separator: "\n")
    }

    /// `checkpoint("batch-1")`, each argument as JSON, long ones cut.
    static func callText(_ call: PendingHostCall) -> String {
        let args = call.arguments.map { a -> String in
            let text = a.json
            return text.count > 60 ? String(text.prefix(60)) + "…" : text
        }
        return "\(call.name)(\(args.joined(separator: ", ")))"
    }

    func json() -> String {
        let e = entry.event
        var fields: [(key: String, value: JSONValue)] = [
            ("jobId", .string(e.jobId)), ("tenant", .string(e.tenant)), ("seq", .number(Double(e.seq))),
            ("seqs", .array(seqs.map { .number(Double($0)) })),
            ("epoch", .number(Double(e.epoch))), ("reason", .string(e.reason)),
            ("label", e.label.map(JSONValue.string) ?? .null),
            ("time", entry.time >= 0 ? .number(Double(entry.time)) : .null),
            ("wakeAt", e.wakeAt.map { .number(Double($0)) } ?? .null),
            ("instructions", .number(Double(inspection.instructionCount))),
        ]
        if let call = inspection.pendingHostCall {
            let args = call.arguments.map { (try? JSONParser.parse(Array($0.json.utf8))) ?? .string($0.json) }
            fields.append(("pendingHostCall", .object([("name", .string(call.name)),
                                                       ("arguments", .array(args))])))
        } else {
            fields.append(("pendingHostCall", .null))
        }
        fields.append(("frames", .array(inspection.frames.map { f in
            .object([
                ("function", .string(f.function)), ("builtin", .bool(f.isBuiltin)),
                ("line", .number(Double(f.line))), ("column", .number(Double(f.column))),
                ("source", f.sourceLine.map(JSONValue.string) ?? .null),
                ("variables", .array(f.variables.map { v in
                    .object([("name", .string(v.name)), ("value", .string(v.value)), ("captured", .bool(v.isCaptured))])
                })),
            ])
        })))
        return Format.json(.object(fields))
    }
}
