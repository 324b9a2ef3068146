import Logging
import ServiceLifecycle

/// Runs `services` until SIGTERM or SIGINT, then shuts them down gracefully (each leaves
/// its consumer group and flushes its producer). A second signal, or a shutdown taking
/// longer than `gracePeriod`, cancels them.
public func runUntilSignalled(_ services: [any Service], gracePeriod: Duration = .seconds(15), logger: Logger) async throws {
    var configuration = ServiceGroupConfiguration(
        services: services.map { .init(service: $0) },
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger)
    configuration.maximumGracefulShutdownDuration = gracePeriod
    let group = ServiceGroup(configuration: configuration)
    try await group.run()
    logger.info("stopped")
}
