import ArgumentParser
import LazarusService
import LazarusWire

/// `lazarus jobs [--status S] [--tenant T] [--limit N]`
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List jobs, most recently active first.",
        discussion: "Built from the job events the cluster keeps (lazarus.job-events).")

    @Option(help: "Only jobs in this state: accepted, started, resumed, checkpointed, yielded, sleeping, completed, failed, cancelled, rejected.")
    var status: String?

    @Option(help: "Only this tenant's jobs.")
    var tenant: String?

    @Option(help: "At most this many jobs.")
    var limit = 50

    @OptionGroup var connection: ServiceOptions

    func run() async throws {
        let wanted: JobEvent.Kind?
        if let status {
            guard let kind = JobEvent.Kind(rawValue: status) else {
                throw ValidationError("unknown status '\(status)': use one of \(JobEvent.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            wanted = kind
        } else {
            wanted = nil
        }
        let session = try KafkaSession(options: connection)
        let jobs = JobSummary.fold(try await session.allJobEvents())
            .filter { wanted == nil || $0.status == wanted }
            .filter { tenant == nil || $0.tenant == tenant }
            .sorted { $0.lastTime > $1.lastTime }
            .prefix(limit)
        guard !jobs.isEmpty else {
            print("no jobs")
            return
        }
        let rows = jobs.map { job in
            [job.jobId, job.tenant ?? "-", job.status.rawValue, "\(job.epoch ?? 0)", "\(job.lastSeq ?? 0)",
             "\(job.resumptions)", Format.time(job.lastTime)]
        }
        printTable(header: ["JOB", "TENANT", "STATUS", "EPOCH", "CALLS", "RESUMED", "LAST ACTIVITY (UTC)"], rows: rows)
    }
}

/// Left-aligned columns separated by two spaces.
func printTable(header: [String], rows: [[String]]) {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    for row in all {
        print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            .trimmingCharacters(in: .whitespaces))
    }
}

import Foundation
