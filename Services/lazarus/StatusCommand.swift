import ArgumentParser
import LazarusService
import LazarusWire

/// `lazarus status JOB`
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show one job's state and history.")

    @ArgumentParser.Argument(help: "The job id.")
    var job: String

    @OptionGroup var connection: ServiceOptions

    func run() async throws {
        let session = try KafkaSession(options: connection)
        let events = try await session.events(of: job)
        guard let summary = JobSummary.fold(events).first else {
            throw CLIError("no events for job \(job): check the id with `lazarus jobs` (and that --brokers/LAZARUS_BROKERS names the right cluster)")
        }
        print("job       \(summary.jobId)")
        print("tenant    \(summary.tenant ?? "-")")
        print("status    \(summary.status.rawValue)")
        print("epoch     \(summary.epoch ?? 0)   calls \(summary.lastSeq ?? 0)   resumptions \(summary.resumptions)")
        if let checkpoint = summary.lastCheckpoint {
            var line = "snapshot  seq \(checkpoint.seq)" + (checkpoint.detail.map { " (\($0))" } ?? "")
            // The proxy announces a policy's snapshots at most once a second per job (the
            // script's own checkpoint, yield and sleep always): later ones may be stored.
            let reason = checkpoint.detail?.split(separator: " ").first.map(String.init)
            let scriptAsked = reason.map(SaveStatePolicy.scriptRequestedReasons.contains) ?? false
            if !scriptAsked && checkpoint.seq < summary.lastSeq ?? 0 {
                line += ", the newest announced (later ones may be stored: `lazarus inspect \(summary.jobId)`)"
            }
            print(line)
        }
        if let result = summary.result { print("result    \(Format.json(result))") }
        if let error = summary.error {
            print("error     \(error.name): \(error.message)")
            if let stack = error.stack { print(stack.split(separator: "\n").map { "          " + $0 }.joined(separator: "\n")) }
        }
        print("\nhistory")
        for event in events { print("  " + Format.line(event, showJob: false)) }
    }
}
