import Foundation

/// Connection settings shared by producers, consumers and admin clients.
///
/// `properties` are passed to librdkafka verbatim and win over every default of this
/// library (a few correctness-critical consumer settings excepted; see `docs/KAFKA.md`).
/// Build one from the environment in `main` with ``fromEnvironment(brokers:clientId:environment:)``.
public struct KafkaConfig: Sendable, Hashable {
    /// Bootstrap servers, `host:port[,host:port…]` (`bootstrap.servers`).
    public var brokers: String
    /// Client id shown in broker logs (`client.id`).
    public var clientId: String
    /// Extra librdkafka properties, e.g. `security.protocol` for a real cluster.
    public var properties: [String: String]

    /// Creates a configuration.
    public init(brokers: String, clientId: String = "lazarus", properties: [String: String] = [:]) {
        self.brokers = brokers
        self.clientId = clientId
        self.properties = properties
    }

    /// The environment variable naming the broker list.
    public static let brokersVariable = "LAZARUS_BROKERS"
    /// The prefix of environment variables passed through to librdkafka.
    public static let propertyPrefix = "LAZARUS_KAFKA_"

    /// Builds a configuration from an explicit broker list (e.g. `--brokers`) or
    /// `LAZARUS_BROKERS`, plus every `LAZARUS_KAFKA_<PROPERTY>` variable as a librdkafka
    /// property: `LAZARUS_KAFKA_SECURITY_PROTOCOL=SASL_SSL` → `security.protocol=SASL_SSL`.
    ///
    /// - Throws: ``KafkaError`` `.invalidConfig` when no broker list is given, or when a
    ///   variable names a property librdkafka does not know or gives it an invalid value.
    public static func fromEnvironment(
        brokers: String? = nil, clientId: String = "lazarus",
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(KafkaError) -> KafkaConfig {
        guard let list = brokers ?? environment[brokersVariable], !list.isEmpty else {
            throw KafkaError(
                .invalidConfig, "no Kafka brokers configured: pass --brokers host:port or set \(brokersVariable)")
        }
        var config = KafkaConfig(brokers: list, clientId: clientId)
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) {
            guard let property = propertyName(forEnvironmentVariable: name) else { continue }
            do {
                try NativeConf.check(property: property, value: value)
            } catch {
                throw KafkaError(error.code, "\(error.message) (from environment variable \(name))", librdkafkaCode: error.librdkafkaCode)
            }
            config.properties[property] = value
        }
        return config
    }

    /// The librdkafka property an environment variable maps to, or `nil` if it is not a
    /// `LAZARUS_KAFKA_` variable: the prefix is dropped, `_` becomes `.`, letters lowercased.
    public static func propertyName(forEnvironmentVariable name: String) -> String? {
        guard name.hasPrefix(propertyPrefix), name.count > propertyPrefix.count else { return nil }
        return name.dropFirst(propertyPrefix.count).lowercased().replacingOccurrences(of: "_", with: ".")
    }

    /// Checks every property against librdkafka without connecting anywhere.
    /// - Throws: ``KafkaError`` `.invalidConfig` naming the first bad property.
    public func validate() throws(KafkaError) {
        try NativeConf.check(property: "bootstrap.servers", value: brokers)
        try NativeConf.check(property: "client.id", value: clientId)
        for (property, value) in properties.sorted(by: { $0.key < $1.key }) {
            try NativeConf.check(property: property, value: value)
        }
    }
}
