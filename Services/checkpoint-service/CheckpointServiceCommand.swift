import ArgumentParser
import Foundation
import LazarusCheckpointStore
import LazarusKafka
import LazarusService
import LazarusWire
import Logging

/// `checkpoint-service`: the job registry, snapshots and durable timers (docs/CHECKPOINT-SERVICE.md).
///
/// Consumes `lazarus.jobs`, `lazarus.snapshots`, `lazarus.job-events` and `lazarus.control`
/// in the group `lazarus.checkpoint-service`; produces run commands to `lazarus.runs` and
/// job events to `lazarus.job-events`, always after the store committed the decision.
@main
struct CheckpointServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint-service",
        abstract: "Registers jobs, keeps their snapshots and timers, and issues their run commands.",
        discussion: "See docs/CHECKPOINT-SERVICE.md. Exits 0 on SIGTERM or SIGINT after handing on what it started.")

    static let serviceName = "checkpoint-service"
    static let groupId = "lazarus.checkpoint-service"

    @OptionGroup var service: ServiceOptions

    @Option(help: "The SQLite file holding jobs, snapshots and timers (created if missing).")
    var database: String = ".lazarus/checkpoints.sqlite"

    @Option(help: "Snapshots kept per job (the newest by arrival, plus the one its next run resumes from).")
    var snapshotsKept: Int = 5

    /// Off the host-call path, so it need not fetch every millisecond like the executor,
    /// the proxy and the object service: an idle fetch of its 4 × P partitions every 1 ms
    /// cost ~50 ms CPU per second here and as much again in the dev broker, whose fetch
    /// walks each partition's log from the start (docs/BENCHMARKS.md, "Services").
    /// Costs at most this much latency per submission, yield, timer or recover request.
    @Option(help: "fetch.wait.max.ms of its consumer: how long the broker may hold an empty fetch (ms).")
    var fetchWaitMaxMs: Int = 10

    func validate() throws {
        guard snapshotsKept >= 1 else { throw ValidationError("--snapshots-kept must be at least 1") }
        guard !database.isEmpty else { throw ValidationError("--database must name a file") }
        guard (1...500).contains(fetchWaitMaxMs) else { throw ValidationError("--fetch-wait-max-ms must be within 1...500") }
    }

    func run() async throws {
        let logger = try service.makeLogger(service: Self.serviceName)
        let config = try service.kafkaConfig(service: Self.serviceName)

        var storeOptions = CheckpointStoreOptions()
        storeOptions.snapshotsKept = snapshotsKept
        let store: CheckpointStore
        do {
            store = try CheckpointStore(path: database, options: storeOptions)
        } catch {
            throw CheckpointServiceError(error.message)
        }

        let partitions = try await Self.partitionCounts(config: config, logger: logger)
        logger.info("starting", metadata: [
            "kafka.brokers": "\(config.brokers)", "database": "\(database)",
            "kafka.partitions": "\(partitions.runs)", "snapshots.kept": "\(snapshotsKept)",
        ])

        // Run commands carry snapshots: up to ~1 MiB of base64 plus the script.
        let producer = try KafkaProducer(config: MessageSizes.allowingLargeMessages(config).config, logger: logger)
        let storeQueue = StoreQueue(store)
        let startup = StartupReplay(jobEventPartitions: partitions.jobEvents)
        let processor = CheckpointProcessor(store: storeQueue, partitionCount: partitions.runs, startup: startup,
                                            deadLetters: DeadLetterWriter(producer: producer), logger: logger)
        var consumerOptions = KafkaConsumerOptions(
            groupId: Self.groupId,
            topics: [LazarusTopics.jobs, LazarusTopics.snapshots, LazarusTopics.jobEvents, LazarusTopics.control])
        consumerOptions.fetchWaitMaxMs = fetchWaitMaxMs
        let pipeline = PipelineService(name: "checkpoints", config: config, consumerOptions: consumerOptions,
                                       producer: producer, processor: processor, logger: logger)
        let scheduler = RunScheduler(store: storeQueue, producer: producer, startup: startup, logger: logger)

        try await runUntilSignalled([pipeline, scheduler], logger: logger)
        await producer.close()
    }

    /// The partition counts of `lazarus.runs` (what `JobPartitioner` uses; every topic
    /// should have the same) and `lazarus.job-events`. Waits for the cluster a little.
    static func partitionCounts(config: KafkaConfig, logger: Logger) async throws -> (runs: Int, jobEvents: Int) {
        let admin = try KafkaAdmin(config: config, logger: logger)
        var attempt = 0
        while true {
            attempt += 1
            do {
                let topics = try await admin.topics()
                func count(_ name: String) throws -> Int {
                    guard let found = topics.first(where: { $0.name == name }) else {
                        throw CheckpointServiceError("topic \(name) does not exist on \(config.brokers): create the lazarus.* topics "
                            + "(the dev broker `lazarus-broker` creates them) with the same partition count everywhere")
                    }
                    return found.partitionCount
                }
                let runs = try count(LazarusTopics.runs)
                let events = try count(LazarusTopics.jobEvents)
                if runs != events {
                    logger.warning("lazarus.runs and lazarus.job-events have different partition counts; every lazarus.* topic should have the same",
                                   metadata: ["runs": "\(runs)", "job-events": "\(events)"])
                }
                return (runs, events)
            } catch let error as KafkaError where error.isRetriable && attempt < 30 {
                logger.warning("cannot read the cluster's topics yet; retrying", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}

/// Why the service cannot start; ArgumentParser prints it and exits 1.
struct CheckpointServiceError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
