import Foundation
import LazarusKafka

/// A private `lazarus-broker` for one service test (12 partitions, every lazarus topic).
func startBroker(partitions: Int = 12) async throws -> DevBrokerProcess {
    let executable = try ServiceProcess.executable("lazarus-broker")
    return try await DevBrokerProcess.launch(executable: executable, partitions: partitions)
}
