import Foundation
import LazarusKafka
import LazarusObjectStore
import LazarusWire

/// A whole Lazarus deployment for one test: a private dev broker and the four services as
/// real OS processes, with their SQLite files in a fresh directory. Services can be
/// crashed (`kill -9`), stopped, paused and restarted one by one.
final class LazarusStack: @unchecked Sendable {
    // @unchecked: `services` is only touched by the test task that owns the stack.
    enum Service: String, CaseIterable, Sendable {
        case objectService = "object-service"
        case checkpointService = "checkpoint-service"
        case objectProxy = "object-proxy"
        case scriptExecutor = "script-executor"
    }

    let broker: DevBrokerProcess
    let directory: URL
    let probe: TopicProbe
    private var services: [Service: ServiceProcess] = [:]
    private var generation = 0
    private let executorArguments: [String]
    private let executorEnvironment: [String: String]

    var objectsDatabase: String { directory.appendingPathComponent("objects.sqlite").path }
    var checkpointsDatabase: String { directory.appendingPathComponent("checkpoints.sqlite").path }

    /// Starts the broker and every service and waits until each has joined its group.
    /// `executorEnvironment` is added to the executors' environment (e.g. `LAZARUS_KAFKA_*`
    /// settings); the probe watches job events, dead letters, snapshots and `alsoWatching`.
    init(label: String, executorArguments: [String] = [], executorEnvironment: [String: String] = [:],
         alsoWatching: [String] = []) async throws {
        directory = try temporaryDirectory(label)
        broker = try await startBroker()
        probe = try TopicProbe(brokers: broker.bootstrapServers,
                               watching: [LazarusTopics.jobEvents, LazarusTopics.deadLetters, LazarusTopics.snapshots] + alsoWatching)
        self.executorArguments = executorArguments
        self.executorEnvironment = executorEnvironment
        for service in Service.allCases { try start(service) }
        for service in Service.allCases { try await waitUntilJoined(service) }
    }

    func arguments(for service: Service) -> [String] {
        var arguments = ["--brokers", broker.bootstrapServers, "--instance-id", "\(service.rawValue)-\(generation)"]
        switch service {
        case .objectService: arguments += ["--database", objectsDatabase]
        case .checkpointService: arguments += ["--database", checkpointsDatabase]
        case .objectProxy: break
        case .scriptExecutor: arguments += executorArguments
        }
        return arguments
    }

    /// Starts `service` (again); does not wait for it to join.
    func start(_ service: Service) throws {
        services[service] = try launch(service)
    }

    /// Starts a second instance of `service` beside the first (e.g. a standby executor).
    func startAnother(_ service: Service) throws -> ServiceProcess {
        try launch(service)
    }

    private func launch(_ service: Service) throws -> ServiceProcess {
        generation += 1
        return try ServiceProcess(service.rawValue, arguments: arguments(for: service),
                                  environment: service == .scriptExecutor ? executorEnvironment : [:],
                                  logDirectory: directory.appendingPathComponent("logs"))
    }

    /// Runs the `lazarus` CLI against this stack's broker and returns its exit status and output.
    func cli(_ arguments: [String]) async throws -> (status: Int32?, output: String) {
        let process = try ServiceProcess("lazarus", arguments: arguments + ["--brokers", broker.bootstrapServers],
                                         logDirectory: directory.appendingPathComponent("logs"))
        let status = await process.waitForExit(timeout: .seconds(120))
        return (status, process.outputSoFar)
    }

    func process(_ service: Service) -> ServiceProcess? { services[service] }

    func waitUntilJoined(_ service: Service) async throws {
        guard let process = services[service] else { throw FixtureError("\(service.rawValue) is not running") }
        try await process.waitForOutput("partitions assigned", timeout: .seconds(90))
    }

    /// `kill -9`, then a fresh process on the same database.
    func crashAndRestart(_ service: Service) async throws {
        await services[service]?.crash()
        try start(service)
    }

    /// SIGTERM; returns the exit status.
    func stop(_ service: Service) async -> Int32? {
        guard let process = services.removeValue(forKey: service) else { return nil }
        process.signal(SIGTERM)
        return await process.waitForExit(timeout: .seconds(60))
    }

    func shutdown() async {
        for service in Service.allCases.reversed() { _ = await stop(service) }
        await probe.close()
        await broker.terminate()
    }

    // MARK: - Jobs

    /// Submits a job and returns its id.
    @discardableResult
    func submit(_ script: String, tenant: String = "acme", args: JSONValue = .object([]),
                policy: SaveStatePolicy = .afterWrite, jobId: String = "job-\(UUID().uuidString.prefix(8).lowercased())") async throws -> String {
        try await probe.send(JobSubmission(jobId: jobId, tenant: tenant, script: script, args: args, policy: policy),
                             to: LazarusTopics.jobs)
        return jobId
    }

    func events(of jobId: String) -> [JobEvent] {
        probe.decoded(JobEvent.self, on: LazarusTopics.jobEvents).filter { $0.jobId == jobId }
    }

    func terminalEvent(of jobId: String) -> JobEvent? {
        events(of: jobId).first { $0.isTerminal }
    }

    /// Waits until every job has a terminal event; returns them by job id.
    func waitForEnd(of jobIds: [String], timeout: Duration = .seconds(240)) async throws -> [String: JobEvent] {
        try await waitUntil("\(jobIds.count) jobs ended", timeout: timeout) {
            jobIds.allSatisfy { terminalEvent(of: $0) != nil }
        }
        return Dictionary(uniqueKeysWithValues: jobIds.map { ($0, terminalEvent(of: $0)!) })
    }

    /// The object service's database, opened read-write beside the running service
    /// (SQLite WAL allows it).
    func objectStore() throws -> ObjectStore {
        try ObjectStore(path: objectsDatabase)
    }
}
