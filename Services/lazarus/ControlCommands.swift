import ArgumentParser
import LazarusKafka
import LazarusService
import LazarusWire

/// `lazarus cancel JOB`
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Stop a job; it ends `cancelled` and makes no further calls.")

    @ArgumentParser.Argument(help: "The job id.")
    var job: String

    @OptionGroup var connection: ServiceOptions

    func run() async throws {
        let session = try KafkaSession(options: connection)
        try await ControlRequest(session: session, jobId: job)
            .send(ControlMessage(jobId: job, command: .cancel, requestedBy: "lazarus-cli"), until: [.cancelled])
    }
}

/// `lazarus restore JOB --seq N`
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Resume a job from an earlier snapshot.",
        discussion: "`lazarus status JOB` lists the snapshot seqs the checkpoint service keeps.")

    @ArgumentParser.Argument(help: "The job id.")
    var job: String

    @Option(help: "The snapshot's call sequence number.")
    var seq: Int

    @OptionGroup var connection: ServiceOptions

    func run() async throws {
        let session = try KafkaSession(options: connection)
        try await ControlRequest(session: session, jobId: job)
            .send(ControlMessage(jobId: job, command: .restore, seq: seq, requestedBy: "lazarus-cli"), until: [.resumed, .started])
    }
}

/// Sends an operator request to the checkpoint service and waits for its effect on the job.
struct ControlRequest {
    let session: KafkaSession
    let jobId: String

    func send(_ message: ControlMessage, until kinds: Set<JobEvent.Kind>, timeout: Duration = .seconds(30)) async throws {
        guard !(try await session.events(of: jobId)).isEmpty else {
            throw CLIError("no events for job \(jobId): check the id with `lazarus jobs`")
        }
        let start = try await session.jobEventsEnd()
        try await session.send(message, to: LazarusTopics.control)
        let events = try session.followJobEvents(from: start)
        let outcome = try await withThrowingTaskGroup(of: JobEvent?.self) { group in
            group.addTask {
                for await event in events where event.jobId == jobId {
                    if kinds.contains(event.type) || event.type == .rejected || event.isTerminal { return event }
                }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let outcome else {
            throw CLIError("\(message.command.rawValue) of \(jobId) sent, but no answer within \(timeout); is checkpoint-service running? (`lazarus status \(jobId)`)")
        }
        print(Format.line(outcome))
        if !kinds.contains(outcome.type) { throw ExitCode(1) }
    }
}
