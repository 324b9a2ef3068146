import ArgumentParser
import Foundation
import LazarusKafka

/// `lazarus-bench kafka`: round-trip latency (ping → echo → pong, two hops) and end-to-end
/// throughput of 1 KiB messages, through LazarusKafka's producer and consumer.
struct KafkaBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka",
        abstract: "Kafka round-trip latency (p50/p99, two hops) and produce+consume throughput.",
        discussion: "Starts its own lazarus-broker (found next to this executable or via LAZARUS_BROKER_BIN) unless --brokers is given.")

    @Option(help: "Timed round trips (after 50 warm-up ones).")
    var roundTrips = 1000

    @Option(help: "Messages for the throughput run (1 KiB each; 0 skips it).")
    var messages = 50_000

    @Option(help: "Use this cluster instead of starting lazarus-broker (topics are created with the admin API).")
    var brokers: String?

    @Option(help: "Producer linger.ms. 0 (the library default) matches the C floor (shared/bench/kafka-floor).")
    var lingerMs = 0

    @Option(help: "Consumer fetch.wait.max.ms (library default 1).")
    var fetchWaitMaxMs = 1

    func run() async throws {
        let run = String(UUID().uuidString.prefix(8).lowercased())
        let ping = "bench.ping.\(run)", pong = "bench.pong.\(run)", flow = "bench.flow.\(run)"
        var broker: DevBrokerProcess?
        let address: String
        if let brokers {
            address = brokers
            let admin = try KafkaAdmin(config: KafkaConfig(brokers: brokers))
            _ = try await admin.createTopics([ping, pong], partitions: 1)
            _ = try await admin.createTopics([flow], partitions: 12)
        } else {
            let started = try await DevBrokerProcess.launch(executable: DevBrokerProcess.locateExecutable())
            try await started.command("topic \(ping) 1")
            try await started.command("topic \(pong) 1")
            try await started.command("topic \(flow) 12")
            address = started.bootstrapServers
            broker = started
        }
        let config = KafkaConfig(brokers: address, clientId: "lazarus-bench")
        var producerOptions = KafkaProducerOptions()
        producerOptions.lingerMs = lingerMs
        print("kafka brokers=\(address) linger_ms=\(lingerMs) fetch_wait_max_ms=\(fetchWaitMaxMs) compression=\(producerOptions.compression.rawValue)")

        if roundTrips > 0 {
            try await measureRoundTrips(config: config, producerOptions: producerOptions, ping: ping, pong: pong, run: run)
        }
        if messages > 0 {
            try await measureThroughput(config: config, producerOptions: producerOptions, topic: flow, run: run)
        }
        if let broker { await broker.terminate() }
    }

    private func consumerOptions(group: String, topic: String) -> KafkaConsumerOptions {
        var options = KafkaConsumerOptions(groupId: group, topics: [topic])
        options.fetchWaitMaxMs = fetchWaitMaxMs
        options.bufferCapacity = 4096
        return options
    }

    // MARK: - Latency

    private func measureRoundTrips(config: KafkaConfig, producerOptions: KafkaProducerOptions, ping: String, pong: String, run: String) async throws {
        let echoProducer = try KafkaProducer(config: config, options: producerOptions)
        let echoConsumer = try KafkaConsumer(config: config, options: consumerOptions(group: "echo.\(run)", topic: ping))
        let echo = Task {
            for await event in echoConsumer.events {
                guard case .message(let message) = event else { continue }
                _ = try? await echoProducer.send(topic: pong, key: message.key, value: message.value)
            }
        }

        let producer = try KafkaProducer(config: config, options: producerOptions)
        let consumer = try KafkaConsumer(config: config, options: consumerOptions(group: "pinger.\(run)", topic: pong))
        var events = consumer.events.makeAsyncIterator()
        var samples: [Double] = []
        var index = -50
        while index < roundTrips {
            let payload = Array("\(index)".utf8)
            let start = ContinuousClock.now
            async let sent = producer.send(topic: ping, value: payload)
            var answered = false
            let giveUp = start + .seconds(5)
            while !answered, ContinuousClock.now < giveUp, let event = await events.next() {
                if case .message(let message) = event, message.value == payload { answered = true }
            }
            let elapsed = ContinuousClock.now - start
            _ = try await sent
            if answered {
                if index >= 0 { samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6) }
                index += 1
            }
        }
        samples.sort()
        let p50 = samples[samples.count / 2], p99 = samples[samples.count * 99 / 100]
        print(String(format: "kafka round_trips=%d p50_us=%.0f p99_us=%.0f (two hops: ping -> echo -> pong)", samples.count, p50, p99))

        await consumer.close()
        await echoConsumer.close()
        _ = await echo.value
        await producer.close()
        await echoProducer.close()
    }

    // MARK: - Throughput

    private func measureThroughput(config: KafkaConfig, producerOptions: KafkaProducerOptions, topic: String, run: String) async throws {
        let consumer = try KafkaConsumer(config: config, options: consumerOptions(group: "flow.\(run)", topic: topic))
        var events = consumer.events.makeAsyncIterator()
        while let event = await events.next() {  // wait for the assignment before timing
            if case .assigned = event { break }
        }
        // Incompressible 1 KiB payloads: slices of a random pool at varying offsets.
        var generator = SystemRandomNumberGenerator()
        let pool = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let records = (0..<messages).map { i in
            let start = (i * 4099) % (pool.count - 1024)
            return KafkaRecord(topic: topic, key: Array("job-\(i % 997)".utf8), value: Array(pool[start..<(start + 1024)]))
        }
        let producer = try KafkaProducer(config: config, options: producerOptions)
        let total = messages
        let start = ContinuousClock.now
        let produced = Task { () -> Duration in
            let results = try await producer.sendBatch(records)
            for result in results { _ = try result.get() }
            return ContinuousClock.now - start
        }
        var received = 0
        while received < total, let event = await events.next() {
            if case .message = event { received += 1 }
        }
        let endToEnd = ContinuousClock.now - start
        let produceTime = try await produced.value
        func rate(_ d: Duration) -> Double { Double(total) / (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) }
        print(String(format: "kafka messages=%d size=1024 produce_msgs_per_s=%.0f end_to_end_msgs_per_s=%.0f end_to_end_s=%.2f",
                     total, rate(produceTime), rate(endToEnd), Double(endToEnd.components.seconds) + Double(endToEnd.components.attoseconds) / 1e18))
        await consumer.close()
        await producer.close()
    }
}
