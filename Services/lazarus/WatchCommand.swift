import ArgumentParser
import Foundation
import LazarusKafka
import LazarusService
import LazarusWire

/// `lazarus watch [JOB]`
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow job events live (all jobs, or one job from its first event).",
        discussion: "Stops at Ctrl-C, or when the watched job ends.")

    @ArgumentParser.Argument(help: "Only this job; its history is printed first.")
    var job: String?

    @OptionGroup var connection: ServiceOptions

    func run() async throws {
        let session = try KafkaSession(options: connection)
        let start = try await session.jobEventsEnd()
        if let job {
            for event in try await session.events(of: job) {
                show(event)
                if event.isTerminal { return }
            }
        }
        for await event in try session.followJobEvents(from: start) where job == nil || event.jobId == job {
            show(event)
            if job != nil, event.isTerminal { return }
        }
    }

    /// Prints one event and flushes it, so that a pipe (`lazarus watch | grep …`) sees each
    /// event when it happens, not when a block buffer fills.
    private func show(_ event: JobEvent) {
        print(Format.line(event))
        fflush(nil)
    }
}
