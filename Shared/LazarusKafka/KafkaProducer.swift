import CRdKafka
import Foundation
import Logging
import Synchronization

/// An idempotent Kafka producer. One `rd_kafka_t`, one dedicated poll thread that serves
/// delivery reports; `send` completes when the broker acknowledged the message.
///
/// Thread-safe: share one producer per process. Call ``close()`` when done; `deinit`
/// flushes and destroys the client too, blocking up to `flushTimeoutMs`.
public final class KafkaProducer: Sendable {
    private let core: ProducerCore

    /// Creates a producer and starts its poll thread.
    /// - Throws: ``KafkaError`` `.invalidConfig` if a property is unknown or invalid.
    public init(config: KafkaConfig, options: KafkaProducerOptions = .init(), logger: Logger = .kafkaDefault) throws(KafkaError) {
        core = try ProducerCore(config: config, options: options, logger: logger)
        core.startPolling()
    }

    deinit {
        core.shutdown()
    }

    /// Sends one message and waits for the broker's acknowledgement.
    ///
    /// Cancelling the calling task does not unsend the message: the call still returns
    /// when the report arrives (messages cannot be recalled from librdkafka's queue).
    /// - Returns: the partition and offset the message was written to.
    /// - Throws: ``KafkaError``: `.timedOut` after `messageTimeoutMs`, `.messageTooLarge`,
    ///   `.unknownTopic`, `.fatal`, `.closed`…
    @discardableResult
    public func send(
        topic: String, partition: Int32? = nil, key: [UInt8]? = nil, value: [UInt8], headers: [KafkaHeader] = []
    ) async throws(KafkaError) -> KafkaDeliveryReport {
        let record = KafkaRecord(topic: topic, partition: partition, key: key, value: value, headers: headers)
        let id = try core.reports.reserve()
        try await core.produce(record, id: id)
        return try await core.reports.wait(for: id).get()
    }

    /// Sends one record and waits for its acknowledgement (see ``send(topic:partition:key:value:headers:)``).
    @discardableResult
    public func send(_ record: KafkaRecord) async throws(KafkaError) -> KafkaDeliveryReport {
        try await send(topic: record.topic, partition: record.partition, key: record.key, value: record.value, headers: record.headers)
    }

    /// Hands all records to librdkafka at once (so they are batched on the wire) and waits
    /// for every acknowledgement. Never throws for a single message: each record gets its
    /// own result, in input order.
    /// - Throws: ``KafkaError`` only if the producer is closed before anything was sent.
    public func sendBatch(_ records: [KafkaRecord]) async throws(KafkaError) -> [Result<KafkaDeliveryReport, KafkaError>] {
        guard !records.isEmpty else { return [] }
        let batch = BatchDelivery(count: records.count)
        for (index, record) in records.enumerated() {
            do {
                let id = try core.reports.reserve(batch: batch, index: index)
                do {
                    try await core.produce(record, id: id)
                } catch {
                    batch.complete(index, .failure(error))
                }
            } catch {
                batch.complete(index, .failure(error))
            }
        }
        return await batch.wait()
    }

    /// Waits until every message handed to the producer so far is acknowledged or failed.
    /// - Throws: ``KafkaError`` `.timedOut` if that takes longer than `timeoutMs`.
    public func flush(timeoutMs: Int = 10_000) async throws(KafkaError) {
        let core = self.core
        try await DedicatedThread.run(name: "kafka-flush") { () throws(KafkaError) in try core.flush(timeoutMs: timeoutMs) }
    }

    /// Flushes outstanding messages (up to `flushTimeoutMs`), stops the poll thread and
    /// destroys the client; pending sends fail with `.closed`. Idempotent.
    public func close() async {
        let core = self.core
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DedicatedThread.start(name: "kafka-producer-close") {
                core.shutdown()
                continuation.resume()
            }
        }
    }
}

extension Logger {
    /// A logger that discards everything: the default when the caller passes none.
    public static var kafkaDefault: Logger {
        Logger(label: "lazarus.kafka", factory: { _ in SwiftLogNoOpLogHandler() })
    }
}

// MARK: - Core

/// Owns the `rd_kafka_t` and the poll thread; shared by the public producer and the thread.
final class ProducerCore: @unchecked Sendable {
    // @unchecked: `rk` is a librdkafka handle, documented thread-safe for produce/poll/flush;
    // `stopping`/`stopped` are atomics and `destroyed` is guarded by `lifecycle`.
    let rk: OpaquePointer
    let reports = DeliveryReports()
    let logger: Logger
    private let context: ProducerContext
    private let opaque: UnsafeMutableRawPointer
    private let options: KafkaProducerOptions
    private let stopping = Atomic<Bool>(false)
    private let threadDone = Latch()
    private let lifecycle = Mutex<Bool>(false)  // true once shut down

    init(config: KafkaConfig, options: KafkaProducerOptions, logger: Logger) throws(KafkaError) {
        let conf = try NativeConf.make([NativeConf.base(config), options.properties, config.properties])
        self.logger = logger
        self.options = options
        context = ProducerContext(logger: logger, reports: reports)
        opaque = context.install(on: conf)
        rd_kafka_conf_set_dr_msg_cb(conf, lazarusDeliveryCallback)
        rd_kafka_conf_set_error_cb(conf, lazarusProducerErrorCallback)
        do {
            rk = try NativeConf.newClient(RD_KAFKA_PRODUCER, conf, what: "producer")
        } catch {
            ClientContext.release(opaque)
            throw error
        }
    }

    deinit {
        rd_kafka_destroy(rk)
        ClientContext.release(opaque)
    }

    func startPolling() {
        DedicatedThread.start(name: "kafka-producer-poll") { [self] in
            // rd_kafka_poll wakes as soon as a report is queued; the timeout only bounds
            // how long a shutdown request waits to be noticed.
            while !stopping.load(ordering: .acquiring) {
                rd_kafka_poll(rk, 100)
            }
            threadDone.open()
        }
    }

    /// Hands one message to librdkafka, retrying while the local queue is full.
    func produce(_ record: KafkaRecord, id: UInt64) async throws(KafkaError) {
        if let fatal = context.fatalError.withLock({ $0 }) {
            reports.cancel(id)
            throw fatal
        }
        var attempt = 0
        while true {
            let err = produceOnce(record, id: id)
            if err == RD_KAFKA_RESP_ERR_NO_ERROR { return }
            if err == RD_KAFKA_RESP_ERR__QUEUE_FULL, attempt < 10_000 {
                attempt += 1
                try? await Task.sleep(for: .milliseconds(1))
                continue
            }
            reports.cancel(id)
            throw KafkaError(rd: err, "cannot produce to \(record.topic)")
        }
    }

    private func produceOnce(_ record: KafkaRecord, id: UInt64) -> rd_kafka_resp_err_t {
        var headers: OpaquePointer? = nil
        if !record.headers.isEmpty {
            headers = rd_kafka_headers_new(record.headers.count)
            for header in record.headers {
                if let value = header.value {
                    value.withUnsafeBytes { bytes in
                        _ = rd_kafka_header_add(headers, header.name, -1, bytes.baseAddress, bytes.count)
                    }
                } else {
                    _ = rd_kafka_header_add(headers, header.name, -1, nil, 0)
                }
            }
        }
        let partition = record.partition ?? RD_KAFKA_PARTITION_UA
        let opaque = UnsafeMutableRawPointer(bitPattern: UInt(id))
        let err = record.value.withUnsafeBytes { value in
            if let key = record.key {
                return key.withUnsafeBytes { key in
                    lazarus_produce(rk, record.topic, partition, key.baseAddress, key.count, value.baseAddress, value.count, headers, opaque)
                }
            }
            return lazarus_produce(rk, record.topic, partition, nil, 0, value.baseAddress, value.count, headers, opaque)
        }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR, let headers { rd_kafka_headers_destroy(headers) }
        return err
    }

    func flush(timeoutMs: Int) throws(KafkaError) {
        let err = rd_kafka_flush(rk, Int32(clamping: timeoutMs))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(rd: err, "flush did not complete within \(timeoutMs) ms (\(rd_kafka_outq_len(rk)) messages outstanding)")
        }
    }

    /// Flush, stop the poll thread, fail what is left. Blocking; idempotent.
    func shutdown() {
        let first = lifecycle.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else {
            threadDone.waitBlocking()
            return
        }
        do {
            try flush(timeoutMs: options.flushTimeoutMs)
        } catch {
            logger.warning("producer closed with undelivered messages", metadata: ["kafka.error": "\(error)"])
        }
        stopping.store(true, ordering: .releasing)
        threadDone.waitBlocking()
        reports.close(with: .closed("the Kafka producer"))
    }
}

/// Callback state of a producer.
final class ProducerContext: ClientContext, @unchecked Sendable {
    // @unchecked: `reports` is Sendable and `fatalError` is a Mutex.
    let reports: DeliveryReports
    /// Set by the error callback when librdkafka reports a fatal error.
    let fatalError = Mutex<KafkaError?>(nil)

    init(logger: Logger, reports: DeliveryReports) {
        self.reports = reports
        super.init(logger: logger)
    }
}

private let lazarusDeliveryCallback: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
    rk, message, opaque in
    guard let message, let opaque else { return }
    let context = Unmanaged<ProducerContext>.fromOpaque(opaque).takeUnretainedValue()
    let m = message.pointee
    let id = UInt64(UInt(bitPattern: m._private))
    let topic = m.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
    if m.err == RD_KAFKA_RESP_ERR_NO_ERROR {
        context.reports.complete(id, .success(KafkaDeliveryReport(topic: topic, partition: m.partition, offset: m.offset)))
    } else {
        var error = KafkaError(rd: m.err, "delivery to \(topic) failed")
        if m.err == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT {
            error.message += " (message.timeout.ms elapsed; is the broker reachable?)"
        }
        context.reports.complete(id, .failure(error))
    }
}

private let lazarusProducerErrorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
    rk, err, reason, opaque in
    guard let rk, let opaque else { return }
    let context = Unmanaged<ProducerContext>.fromOpaque(opaque).takeUnretainedValue()
    let text = reason.map { String(cString: $0) } ?? ""
    if err == RD_KAFKA_RESP_ERR__FATAL.rawValue {
        var buffer = [CChar](repeating: 0, count: 512)
        let original = rd_kafka_fatal_error(rk, &buffer, buffer.count)
        let detail = NativeConf.text(of: buffer)
        let fatal = KafkaError(rd: original, "fatal producer error: \(detail); recreate the producer")
        context.fatalError.withLock { $0 = KafkaError(.fatal, fatal.message, librdkafkaCode: fatal.librdkafkaCode) }
        context.logger.error("fatal Kafka producer error", metadata: ["kafka.error": "\(detail)"])
    } else {
        context.logger.info("Kafka producer error", metadata: ["kafka.error": "\(text)", "kafka.code": "\(err)"])
    }
}
