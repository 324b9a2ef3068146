import Foundation
import LazarusKafka
import LazarusWire

/// Follows one job's events to its end, printing a live progress line (on a terminal)
/// or one line per event (otherwise), then the result.
struct JobFollower {
    let session: KafkaSession
    let jobId: String

    /// Returns the terminal event.
    func follow(from start: [TopicPartition: Int64]) async throws -> JobEvent {
        let interactive = isatty(STDERR_FILENO) == 1
        var summary: JobSummary?
        for await event in try session.followJobEvents(from: start) where event.jobId == jobId {
            if summary == nil { summary = JobSummary(first: event) } else { summary!.apply(event) }
            if event.type == .log {
                clearProgress(interactive)
                print(Format.logText(event.result ?? .null))
            } else if !interactive {
                FileHandle.standardError.write(Data((Format.line(event, showJob: false) + "\n").utf8))
            }
            if interactive, let summary { showProgress(summary) }
            if event.isTerminal {
                clearProgress(interactive)
                report(event)
                return event
            }
        }
        throw CLIError("stopped following \(jobId) before it ended; `lazarus status \(jobId)` shows where it is")
    }

    private func showProgress(_ s: JobSummary) {
        var text = "\(jobId)  \(s.status.rawValue)  calls=\(s.lastSeq ?? 0)"
        if let checkpoint = s.lastCheckpoint { text += "  checkpoint=seq \(checkpoint.seq)" + (checkpoint.detail.map { " (\($0))" } ?? "") }
        text += "  resumptions=\(s.resumptions)"
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }

    private func clearProgress(_ interactive: Bool) {
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    private func report(_ event: JobEvent) {
        switch event.type {
        case .completed:
            print(Format.json(event.result ?? .null))
        case .failed, .rejected:
            let failure = event.error ?? JobFailure(name: "Error", message: "no detail")
            FileHandle.standardError.write(Data("\(jobId) \(event.type.rawValue): \(failure.name): \(failure.message)\n".utf8))
            if let stack = failure.stack { FileHandle.standardError.write(Data((stack + "\n").utf8)) }
        default:
            FileHandle.standardError.write(Data("\(jobId) \(event.type.rawValue)\n".utf8))
        }
    }
}
