import Foundation
import LazarusWire

/// A job as its events tell it: what the CLI shows in `jobs` and `status`.
struct JobSummary {
    let jobId: String
    var tenant: String?
    var status: JobEvent.Kind = .accepted
    var epoch: Int?
    var lastSeq: Int?
    var lastCheckpoint: (seq: Int, detail: String?)?
    var resumptions = 0
    var firstTime: Int64
    var lastTime: Int64
    var result: JSONValue?
    var error: JobFailure?

    init(first event: JobEvent) {
        jobId = event.jobId
        firstTime = event.time
        lastTime = event.time
        apply(event)
    }

    var isTerminal: Bool { [.completed, .failed, .cancelled, .rejected].contains(status) }

    mutating func apply(_ event: JobEvent) {
        tenant = event.tenant ?? tenant
        if let e = event.epoch { epoch = max(epoch ?? 0, e) }
        if let seq = event.seq { lastSeq = max(lastSeq ?? 0, seq) }
        lastTime = max(lastTime, event.time)
        switch event.type {
        case .log:
            return
        case .checkpointed:
            if let seq = event.seq { lastCheckpoint = (seq, event.detail) }
            return
        case .resumed:
            resumptions += 1
        case .completed:
            result = event.result
        case .failed, .rejected:
            error = event.error
        default:
            break
        }
        // A terminal status sticks, whatever stragglers from a zombie epoch say later.
        if !isTerminal { status = event.type }
    }

    /// Folds events (any order of jobs; each job's own in order) into summaries.
    static func fold(_ events: [JobEvent]) -> [JobSummary] {
        var byJob: [String: JobSummary] = [:]
        var order: [String] = []
        for event in events {
            if byJob[event.jobId] == nil {
                byJob[event.jobId] = JobSummary(first: event)
                order.append(event.jobId)
            } else {
                byJob[event.jobId]!.apply(event)
            }
        }
        return order.compactMap { byJob[$0] }
    }
}

/// Formatting shared by the commands.
enum Format {
    static func time(_ millis: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    static func json(_ value: JSONValue) -> String {
        String(decoding: JSONWriter.write(value), as: UTF8.self)
    }

    /// One line for an event: `time  job  type  seq=N  detail`.
    static func line(_ event: JobEvent, showJob: Bool = true) -> String {
        var parts = [time(event.time)]
        if showJob { parts.append(event.jobId) }
        parts.append(event.type.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0))
        if let epoch = event.epoch { parts.append("epoch=\(epoch)") }
        if let seq = event.seq { parts.append("seq=\(seq)") }
        if let detail = event.detail { parts.append(detail) }
        if let result = event.result { parts.append(event.type == .log ? logText(result) : "result=\(json(result))") }
        if let error = event.error { parts.append("\(error.name): \(error.message)") }
        return parts.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }

    /// `log(...)` values as the script author would print them.
    static func logText(_ value: JSONValue) -> String {
        if case .array(let values) = value {
            return values.map { if case .string(let s) = $0 { s } else { json($0) } }.joined(separator: " ")
        }
        if case .string(let s) = value { return s }
        return json(value)
    }
}
