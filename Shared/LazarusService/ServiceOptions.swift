import ArgumentParser
import Foundation
import LazarusKafka
import Logging

/// Options every Lazarus service takes. Environment variables are read here and only here.
public struct ServiceOptions: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp("Kafka bootstrap servers, host:port[,host:port…].", discussion: "Default: $LAZARUS_BROKERS."))
    public var brokers: String?

    @Option(help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", discussion: "Default: $LAZARUS_LOG_LEVEL, else info."))
    public var logLevel: String?

    @Option(help: "This process's name in logs and its Kafka client id (default: <service>-<pid>).")
    public var instanceId: String?

    public init() {}

    /// The Kafka configuration: brokers from `--brokers` or `LAZARUS_BROKERS`, plus every
    /// `LAZARUS_KAFKA_<PROPERTY>` passed through to librdkafka.
    public func kafkaConfig(service: String) throws -> KafkaConfig {
        do {
            return try KafkaConfig.fromEnvironment(brokers: brokers, clientId: instanceName(service: service))
        } catch {
            throw ValidationError("\(error.message)")
        }
    }

    public func instanceName(service: String) -> String {
        instanceId ?? "\(service)-\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// Sets up swift-log for the process (stderr) and returns the service's logger.
    public func makeLogger(service: String) throws -> Logger {
        let text = logLevel ?? ProcessInfo.processInfo.environment["LAZARUS_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ValidationError("unknown log level '\(text)': use trace, debug, info, notice, warning, error or critical")
        }
        LazarusLogging.bootstrap(level: level)
        var logger = Logger(label: service)
        logger[metadataKey: "service.instance"] = "\(instanceName(service: service))"
        return logger
    }
}
