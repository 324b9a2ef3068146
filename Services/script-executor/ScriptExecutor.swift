import ArgumentParser
import LazarusKafka
import LazarusService
import LazarusWire
import Logging

/// `script-executor`: runs tenant scripts for the jobs of its `lazarus.runs` partitions
/// (docs/EXECUTOR.md).
@main
struct ScriptExecutor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "script-executor",
        abstract: "Runs Lazarus job scripts: consumes lazarus.runs and lazarus.call-results, produces lazarus.calls and lazarus.job-events."
    )

    /// The consumer group every executor joins.
    static let groupId = "lazarus.script-executor"

    @OptionGroup var service: ServiceOptions

    @Option(help: "Jobs this process runs at once; further run commands wait for a slot.")
    var maxJobs: Int = 64

    @Option(help: "Instructions a job runs before the next runnable job gets its turn (the scheduling quantum).")
    var sliceInstructions: Int = 100_000

    @Option(help: ArgumentHelp("Per-tenant limits, a JSON file (see docs/EXECUTOR.md).", valueName: "file"))
    var governance: String?

    @Option(help: "Seconds to wait for a host call's result before sending the call again (same seq).")
    var callTimeout: Double = 30

    @Option(help: ArgumentHelp("The largest script state (continuation) a call may carry, in bytes; a larger one fails the job with 'snapshot-too-large'. Keep it equal to object-proxy's.", valueName: "bytes"))
    var maxContinuationBytes: Int = MessageSizes.maxContinuationBytes

    @Option(help: ArgumentHelp("""
        A file holding this deployment's snapshot key (≥ 16 bytes; default: the file LAZARUS_SNAPSHOT_KEY_FILE names). \
        With a key, every continuation is signed (HMAC-SHA256) and one whose signature does not match is refused \
        before it is decoded. All executors must share the key.
        """, valueName: "file"))
    var snapshotKeyFile: String?

    func validate() throws {
        guard maxJobs >= 1 else { throw ValidationError("--max-jobs must be at least 1") }
        guard sliceInstructions >= 100 else { throw ValidationError("--slice-instructions must be at least 100") }
        guard callTimeout > 0 else { throw ValidationError("--call-timeout must be positive") }
        guard maxContinuationBytes >= 1 else { throw ValidationError("--max-continuation-bytes must be positive") }
    }

    func run() async throws {
        let logger = try service.makeLogger(service: "script-executor")
        let config = try service.kafkaConfig(service: "script-executor")
        let instanceId = service.instanceName(service: "script-executor")
        var runnerConfiguration = JobRunner.Configuration(instanceId: instanceId)
        runnerConfiguration.maxJobs = maxJobs
        runnerConfiguration.quantum = sliceInstructions
        runnerConfiguration.callTimeoutMs = Int64(callTimeout * 1000)
        runnerConfiguration.maxContinuationBytes = maxContinuationBytes
        if let governance {
            do {
                runnerConfiguration.governance = try Governance.load(path: governance)
            } catch {
                throw ValidationError("\(error)")
            }
        }

        let codec: any ContinuationCodec
        do {
            codec = continuationCodec(signer: try SnapshotSigner.load(path: snapshotKeyFile))
        } catch {
            throw ValidationError(error.message)
        }

        // Calls carry continuations: up to ~1 MiB of base64 plus the arguments.
        let producer = try KafkaProducer(config: MessageSizes.allowingLargeMessages(config).config, logger: logger)
        let sender = OrderedSender(producer: producer, logger: logger)
        let runner = JobRunner(configuration: runnerConfiguration, codec: codec, sender: sender, logger: logger)
        runner.start()
        let processor = ExecutorProcessor(runner: runner, sender: sender, instanceId: instanceId, logger: logger)
        let consumerOptions = KafkaConsumerOptions(groupId: Self.groupId, topics: [LazarusTopics.runs, LazarusTopics.callResults])
        // Batches stay small: a batch's outputs leave together, so the first job of a batch of
        // run commands waits for the VMs of the others to be created.
        let pipeline = PipelineService(name: "script-executor", config: config, consumerOptions: consumerOptions,
                                       producer: producer, processor: processor, maxBatch: 16, logger: logger)
        logger.info("script-executor started", metadata: [
            "executor.max_jobs": "\(maxJobs)", "executor.slice_instructions": "\(sliceInstructions)",
            "executor.call_timeout_s": "\(callTimeout)", "executor.continuations": "\(codec.name)",
            "executor.governance": "\(governance ?? "built-in defaults")",
        ])
        try await runUntilSignalled([pipeline], logger: logger)
        runner.stop()
        await sender.close()
        await producer.close()
    }
}
