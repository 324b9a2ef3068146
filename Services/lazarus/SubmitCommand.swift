import ArgumentParser
import Foundation
import LazarusEngine
import LazarusKafka
import LazarusService
import LazarusWire

/// `lazarus submit FILE.js --tenant T [--arg k=v]… [--policy P] [--wait]`
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a script as a durable job; print its id.",
        discussion: """
            The job survives the crash of any Lazarus process. With --wait, follow it to \
            the end: a progress line (calls done, last checkpoint, resumptions), then its \
            result. Exit status with --wait: 0 completed, 1 failed/cancelled/rejected.
            """)

    @ArgumentParser.Argument(help: "The script file.")
    var file: String

    @Option(help: "The tenant whose business objects the script works on.")
    var tenant: String

    @Option(name: .customLong("arg"), help: "An argument for main(args), as key=value (a string). Repeatable.")
    var args: [String] = []

    @Option(help: "When to save state: explicit, afterWrite, always, everyCalls(N) (or everyCalls:N), everyMillis(T).")
    var policy: String = SaveStatePolicy.default.description

    @Option(help: "The job id (default: a new random id).")
    var jobId: String?

    @Flag(help: "Follow the job until it ends and print its result.")
    var wait = false

    @Flag(help: "Submit even if the script does not compile here (the job will fail with the error).")
    var skipCheck = false

    @OptionGroup var connection: ServiceOptions

    func run() async throws {
        guard let source = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw CLIError("cannot read \(file)")
        }
        guard let policy = SaveStatePolicy(parsing: policy) else {
            throw ValidationError("unknown policy '\(self.policy)': use explicit, afterWrite, always, everyCalls(N) or everyMillis(T)")
        }
        if !skipCheck {
            do {
                _ = try compileProgram(source)
            } catch {
                throw CLIError("\(file): \(error)\n(not submitted; --skip-check submits anyway)")
            }
        }
        let submission = JobSubmission(jobId: jobId ?? Self.newJobId(), tenant: tenant, script: source,
                                       args: try Self.arguments(args), policy: policy)
        let session = try KafkaSession(options: connection)
        let start = wait ? try await session.jobEventsEnd() : [:]
        try await session.send(submission, to: LazarusTopics.jobs)
        print(submission.jobId)
        guard wait else { return }
        let ended = try await JobFollower(session: session, jobId: submission.jobId).follow(from: start)
        if ended.type != .completed { throw ExitCode(1) }
    }

    static func newJobId() -> String {
        "job-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
    }

    static func arguments(_ pairs: [String]) throws -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        for pair in pairs {
            guard let eq = pair.firstIndex(of: "=") else { throw ValidationError("--arg expects key=value, got '\(pair)'") }
            members.append((String(pair[..<eq]), .string(String(pair[pair.index(after: eq)...]))))
        }
        return .object(members)
    }
}
