import ArgumentParser

/// `lazarus` — the command-line tool: `run` a script here, or submit and manage durable
/// jobs on a cluster.
@main
struct Lazarus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lazarus",
        abstract: "Run and manage Lazarus scripts.",
        discussion: "Commands that talk to a cluster take --brokers (default: $LAZARUS_BROKERS).",
        subcommands: [RunCommand.self, SubmitCommand.self, JobsCommand.self, StatusCommand.self, WatchCommand.self,
                      InspectCommand.self, CancelCommand.self, RestoreCommand.self]
    )
}
