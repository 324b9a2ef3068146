import Foundation
import LazarusKafka
import Testing

/// The one way tests get a broker: a real `lazarus-broker` OS process.
///
/// The executable is found by `DevBrokerProcess.locateExecutable`: `$LAZARUS_BROKER_BIN`,
/// then next to the test runner binary (SwiftPM builds every product into the same
/// directory, so `swift build --scratch-path X` + `swift test --scratch-path X` just
/// works), then `.build-kafka/debug` and `.build/debug` of this package.
/// `shared()` is one broker for every test that only needs unique topic and group names;
/// `privateBroker()` is for tests that inject faults.
enum BrokerFixture {
    private static let sharedBroker = SharedBroker()

    /// The shared broker, started on first use.
    static func shared() async throws -> DevBrokerProcess {
        try await sharedBroker.get()
    }

    /// A broker process of the calling test's own; terminate it at the end.
    static func privateBroker(brokers: Int = 1, partitions: Int = 2) async throws -> DevBrokerProcess {
        try await DevBrokerProcess.launch(executable: executable(), brokers: brokers, partitions: partitions)
    }

    static func executable() throws -> URL {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try DevBrokerProcess.locateExecutable(candidates: [
            packageRoot.appendingPathComponent(".build-kafka/debug/lazarus-broker"),
            packageRoot.appendingPathComponent(".build/debug/lazarus-broker"),
        ])
    }

    /// Starts the broker once, however many tests ask at the same time (an actor alone
    /// would not do: it is re-entered while the first launch is awaited).
    private actor SharedBroker {
        private var launch: Task<DevBrokerProcess, Error>?

        func get() async throws -> DevBrokerProcess {
            if let launch { return try await launch.value }
            let started = Task { try await DevBrokerProcess.launch(executable: BrokerFixture.executable(), partitions: 4) }
            launch = started
            return try await started.value
        }
    }
}

/// A name no other test (or earlier run against the same broker) uses.
func uniqueName(_ prefix: String) -> String {
    "test.\(prefix).\(UUID().uuidString.prefix(8).lowercased())"
}

/// Waits until `condition` holds, polling; fails the test with `what` at the deadline.
/// Never asserts on speed: the deadline only bounds a hang.
func waitUntil(
    _ what: String, timeout: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("timed out after \(timeout) waiting for: \(what)", sourceLocation: sourceLocation)
    throw TestTimeout(what: what)
}

struct TestTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Runs `body` but gives up (throwing) after `timeout`, so no test can hang forever.
func withDeadline<T: Sendable>(_ what: String, _ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        guard let first = try await group.next(), let value = first else {
            group.cancelAll()
            throw TestTimeout(what: what)
        }
        group.cancelAll()
        return value
    }
}

/// Collects a consumer's events on a background task, for tests to inspect.
final class EventCollector: Sendable {
    let consumer: KafkaConsumer
    private let box = EventBox()
    private let task: Task<Void, Never>

    init(_ consumer: KafkaConsumer) {
        self.consumer = consumer
        let box = self.box
        task = Task {
            for await event in consumer.events {
                box.state.withLock { $0.append(event) }
            }
        }
    }

    private final class EventBox: Sendable {
        let state = Mutex<[KafkaConsumerEvent]>([])
    }

    var events: [KafkaConsumerEvent] { box.state.withLock { $0 } }
    var messages: [KafkaMessage] {
        events.compactMap { if case .message(let m) = $0 { m } else { nil } }
    }
    var errors: [KafkaError] {
        events.compactMap { if case .error(let e) = $0 { e } else { nil } }
    }
    /// The partitions of the latest `.assigned` event, or [] after a later `.revoked`.
    var currentAssignment: [TopicPartition] {
        for event in events.reversed() {
            if case .assigned(let list) = event { return list }
            if case .revoked = event { return [] }
        }
        return []
    }

    func close() async {
        await consumer.close()
        await task.value
    }
}

import Synchronization

/// Test defaults: quick group rebalances on the dev broker. The mock coordinator holds a
/// new group's first join for 3 s and evicts members whose session expires meanwhile, so
/// the session timeout must stay above 3 s; it waits session − 1 s for members to rejoin
/// after one leaves.
func testConsumerOptions(group: String, topics: [String]) -> KafkaConsumerOptions {
    var options = KafkaConsumerOptions(groupId: group, topics: topics)
    options.sessionTimeoutMs = 4_500
    options.heartbeatIntervalMs = 300
    return options
}
