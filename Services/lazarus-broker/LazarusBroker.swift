import ArgumentParser
import Dispatch
import Foundation
import LazarusKafka

/// `lazarus-broker`: the dev-only Kafka cluster (librdkafka's mock) on loopback.
/// Prints the bootstrap address as the first line of stdout, then answers fault-injection
/// commands read from stdin (grammar in docs/BROKER.md) until SIGTERM or SIGINT.
@main
struct LazarusBroker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lazarus-broker",
        abstract: "Runs an in-memory Kafka cluster (librdkafka mock) on 127.0.0.1 for development and tests.",
        discussion: "Creates every lazarus.* topic, prints the bootstrap address as the first stdout line, and reads control commands (down/up/rtt/error/topic) from stdin. See docs/BROKER.md.")

    @Option(help: "Number of brokers in the cluster (ids 1...N).")
    var brokers: Int = 1

    @Option(help: "Partitions of each lazarus.* topic.")
    var partitions: Int = 12

    @Flag(help: "Exit when stdin reaches end-of-file (for test harnesses that hold a pipe to the broker, so it dies with them). By default EOF only ends the control channel.")
    var exitOnStdinEof = false

    @Flag(help: "Exit when the parent process goes away (for harnesses: never leave an orphan broker behind).")
    var exitWithParent = false

    func validate() throws {
        guard brokers >= 1 else { throw ValidationError("--brokers must be at least 1") }
        guard partitions >= 1 else { throw ValidationError("--partitions must be at least 1") }
    }

    func run() throws {
        let cluster = try MockKafkaCluster(brokers: brokers)
        for topic in LazarusTopics.all {
            try cluster.createTopic(topic, partitions: partitions, replicationFactor: brokers)
        }
        let output = ControlOutput()
        output.line(cluster.bootstrapServers)
        log("lazarus-broker: \(brokers) broker(s) at \(cluster.bootstrapServers), \(LazarusTopics.all.count) topics × \(partitions) partitions")

        // Shut down cleanly on SIGTERM / SIGINT: destroy the cluster, exit 0.
        let signals = [SIGTERM, SIGINT].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
            source.setEventHandler {
                log("lazarus-broker: signal \(number), shutting down")
                withExtendedLifetime(cluster) {}
                Foundation.exit(0)
            }
            source.resume()
            return source
        }

        var parentWatch: DispatchSourceTimer? = nil
        if exitWithParent {
            let parent = getppid()
            let timer = DispatchSource.makeTimerSource(queue: .main)
            timer.schedule(deadline: .now() + .milliseconds(500), repeating: .milliseconds(500))
            timer.setEventHandler {
                if getppid() != parent {
                    log("lazarus-broker: parent \(parent) is gone, exiting (--exit-with-parent)")
                    Foundation.exit(0)
                }
            }
            timer.resume()
            parentWatch = timer
        }

        let channel = ControlChannel(cluster: cluster, output: output)
        let exitOnEof = exitOnStdinEof
        let reader = Thread {
            while let line = readLine() {
                channel.handle(line)
            }
            if exitOnEof {
                log("lazarus-broker: stdin closed, exiting (--exit-on-stdin-eof)")
                Foundation.exit(0)
            }
            log("lazarus-broker: stdin closed; control channel off, broker keeps running")
        }
        reader.name = "control-channel"
        reader.start()
        withExtendedLifetime((signals, parentWatch)) { dispatchMain() }
    }
}

/// Writes a diagnostic line to stderr.
func log(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
