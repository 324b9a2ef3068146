import Foundation
import LazarusKafka

/// Writes whole lines to stdout, unbuffered (the reader is usually a pipe).
final class ControlOutput: Sendable {
    private let lock = NSLock()

    func line(_ text: String) {
        lock.withLock { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
    }
}

/// Executes one fault-injection command per stdin line and answers `ok …` or `error …`.
/// Grammar: docs/BROKER.md.
struct ControlChannel: Sendable {
    let cluster: MockKafkaCluster
    let output: ControlOutput

    func handle(_ line: String) {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let verb = words.first, !verb.hasPrefix("#") else { return }  // blank lines and comments
        do {
            output.line("ok " + (try execute(verb.lowercased(), Array(words.dropFirst()))))
        } catch let error as ControlError {
            output.line("error \(error.text)")
        } catch let error as KafkaError {
            output.line("error \(error.message)")
        } catch {
            output.line("error \(error)")
        }
    }

    private func execute(_ verb: String, _ args: [String]) throws -> String {
        switch verb {
        case "down", "up":
            guard args.count == 1 else { throw ControlError("usage: \(verb) <broker-id|all>") }
            for id in try brokerIds(args[0]) {
                if verb == "down" { try cluster.setBrokerDown(id) } else { try cluster.setBrokerUp(id) }
            }
            return "\(verb) \(args[0])"
        case "rtt":
            guard args.count == 2, let ms = Int(args[1]), ms >= 0 else { throw ControlError("usage: rtt <broker-id|all> <ms>") }
            for id in try brokerIds(args[0]) { try cluster.setRoundTripTime(broker: id, milliseconds: ms) }
            return "rtt \(args[0]) \(ms)"
        case "error":
            guard (2...3).contains(args.count), let apiKey = Int16(args[0]), let code = Int32(args[1]) else {
                throw ControlError("usage: error <apiKey> <errcode> [count]")
            }
            let count = args.count == 3 ? Int(args[2]) ?? -1 : 1
            guard count >= 1 else { throw ControlError("count must be a positive number") }
            cluster.pushRequestErrors(apiKey: apiKey, errors: Array(repeating: code, count: count))
            return "error \(apiKey) \(MockKafkaCluster.errorName(code)) x\(count)"
        case "topic":
            guard args.count == 2, let partitions = Int(args[1]), partitions >= 1 else {
                throw ControlError("usage: topic <name> <partitions>")
            }
            try cluster.createTopic(args[0], partitions: partitions, replicationFactor: cluster.brokerCount)
            return "topic \(args[0]) \(partitions)"
        case "brokers":
            return "brokers " + (1...cluster.brokerCount).map(String.init).joined(separator: " ")
        case "ping":
            return "pong"
        default:
            throw ControlError("unknown command '\(verb)'; commands: down, up, rtt, error, topic, brokers, ping")
        }
    }

    private func brokerIds(_ word: String) throws -> [Int32] {
        if word == "all" { return (1...cluster.brokerCount).map(Int32.init) }
        guard let id = Int32(word), (1...cluster.brokerCount).contains(Int(id)) else {
            throw ControlError("no broker '\(word)'; ids are 1...\(cluster.brokerCount) or 'all'")
        }
        return [id]
    }
}

struct ControlError: Error {
    let text: String
    init(_ text: String) { self.text = text }
}
