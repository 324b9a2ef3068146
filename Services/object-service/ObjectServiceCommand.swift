import ArgumentParser
import Foundation
import LazarusKafka
import LazarusObjectStore
import LazarusService
import Logging

/// `object-service`: executes routed host calls against the business objects and the call
/// journal (SQLite), and replies on `lazarus.object-replies`. See docs/OBJECT-SERVICE.md.
@main
struct ObjectServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "object-service",
        abstract: "Executes host calls from lazarus.object-requests against the business-object store and replies on lazarus.object-replies.",
        discussion: """
            Every call runs in one SQLite transaction together with its journal row (jobId, seq): a \
            repeated call is answered from the journal and applies nothing; a call from an older epoch \
            is refused as 'fenced'. When several calls are waiting they share one transaction (group \
            commit). A reply is produced after the commit; the input offset is stored after the broker \
            acknowledged the reply. Malformed input goes to lazarus.dead-letters. Any number of \
            instances may share the consumer group lazarus.object-service, but they must share the \
            database file too (the journal is the guarantee). See docs/OBJECT-SERVICE.md.
            """)

    @OptionGroup var service: ServiceOptions

    @Option(help: ArgumentHelp("The SQLite database file (created with its directories if missing).", valueName: "path"))
    var database: String = ".lazarus/objects.sqlite"

    @Option(help: ArgumentHelp("full (fsync at every commit: survives power loss) or normal (survives a killed process only; for benchmarks).", valueName: "mode"))
    var durability: String = "full"

    @Option(help: ArgumentHelp("The most waiting calls executed in one transaction (1 disables group commit).", valueName: "n"))
    var maxBatch: Int = 128

    @Option(help: ArgumentHelp("Messages on lazarus.object-requests larger than this are dead-lettered unread.", valueName: "bytes"))
    var maxRequestBytes: Int = 1 << 20

    func validate() throws {
        guard ObjectStoreOptions.Durability(rawValue: durability) != nil else {
            throw ValidationError("--durability must be 'full' or 'normal', not '\(durability)'")
        }
        guard maxRequestBytes >= 1 else { throw ValidationError("--max-request-bytes must be positive") }
        guard maxBatch >= 1 else { throw ValidationError("--max-batch must be at least 1") }
        guard !database.isEmpty else { throw ValidationError("--database must name a file") }
    }

    func run() async throws {
        let logger = try service.makeLogger(service: "object-service")
        let config = try service.kafkaConfig(service: "object-service")

        var storeOptions = ObjectStoreOptions()
        storeOptions.durability = ObjectStoreOptions.Durability(rawValue: durability) ?? .full
        let store: ObjectStore
        do {
            store = try ObjectStore(path: database, options: storeOptions)
        } catch {
            logger.critical("cannot open the object store; is it an object-service database? \(error)", metadata: ["database": "\(database)"])
            throw ExitCode(2)
        }
        logger.info("starting", metadata: [
            "kafka.brokers": "\(config.brokers)", "database": "\(database)",
            "durability": "\(durability)", "max.batch": "\(maxBatch)",
        ])

        let producer = try KafkaProducer(config: config, logger: logger)
        var processor = ObjectRequestProcessor(store: StoreQueue(store), logger: logger)
        processor.maxRequestBytes = maxRequestBytes
        var consumerOptions = KafkaConsumerOptions(groupId: "lazarus.object-service", topics: [LazarusTopics.objectRequests])
        consumerOptions.bufferCapacity = max(512, 2 * maxBatch)
        let pipeline = PipelineService(
            name: "object-requests", config: config, consumerOptions: consumerOptions, producer: producer,
            processor: processor, maxBatch: maxBatch, logger: logger)
        do {
            try await runUntilSignalled([pipeline], logger: logger)
        } catch {
            await producer.close()
            logger.critical("object-service stopped on an error: \(error)")
            throw ExitCode(1)
        }
        await producer.close()
    }
}
