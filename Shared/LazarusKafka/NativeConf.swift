import CRdKafka

/// Builds librdkafka `rd_kafka_conf_t` objects from layered property dictionaries.
/// The only place that calls `rd_kafka_conf_set`.
enum NativeConf {
    /// Creates a conf from layers applied in order (later layers win).
    /// The caller owns the result until it is passed to `rd_kafka_new`.
    static func make(_ layers: [[String: String]]) throws(KafkaError) -> OpaquePointer {
        let conf = rd_kafka_conf_new()!
        for layer in layers {
            for (property, value) in layer.sorted(by: { $0.key < $1.key }) {
                do {
                    try set(conf, property, value)
                } catch {
                    rd_kafka_conf_destroy(conf)
                    throw error
                }
            }
        }
        return conf
    }

    /// Validates a single property on a scratch conf.
    static func check(property: String, value: String) throws(KafkaError) {
        let conf = rd_kafka_conf_new()!
        defer { rd_kafka_conf_destroy(conf) }
        try set(conf, property, value)
    }

    static func set(_ conf: OpaquePointer, _ property: String, _ value: String) throws(KafkaError) {
        var errstr = [CChar](repeating: 0, count: 512)
        let result = rd_kafka_conf_set(conf, property, value, &errstr, errstr.count)
        switch result {
        case RD_KAFKA_CONF_OK:
            return
        case RD_KAFKA_CONF_UNKNOWN:
            throw KafkaError(.invalidConfig, "unknown librdkafka property '\(property)'; see librdkafka's CONFIGURATION.md for valid names")
        default:
            let detail = text(of: errstr)
            throw KafkaError(.invalidConfig, "invalid value for librdkafka property '\(property)': \(detail)")
        }
    }

    /// Creates a client handle, consuming `conf` (librdkafka owns it on success; we
    /// destroy it on failure).
    static func newClient(_ type: rd_kafka_type_t, _ conf: OpaquePointer, what: String) throws(KafkaError) -> OpaquePointer {
        var errstr = [CChar](repeating: 0, count: 512)
        guard let rk = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            let detail = text(of: errstr)
            throw KafkaError(.invalidConfig, "cannot create Kafka \(what): \(detail)")
        }
        return rk
    }

    /// The common base layer of every client.
    static func base(_ config: KafkaConfig) -> [String: String] {
        ["bootstrap.servers": config.brokers, "client.id": config.clientId]
    }

    /// The text of a NUL-terminated C buffer.
    static func text(of buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
