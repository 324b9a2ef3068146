@testable import LazarusKafka
import Testing

/// `nextBatch` hands the reader every message already waiting, in order, never more than
/// asked for, and never merges a rebalance into a run of messages.
@Suite("Consumer batches")
struct ConsumerBatchTests {
    func message(_ offset: Int64, partition: Int32 = 0) -> KafkaMessage {
        KafkaMessage(topic: "t", partition: partition, offset: offset, value: [UInt8(offset)])
    }

    func offsets(_ batch: KafkaConsumerBatch?) -> [Int64]? {
        guard case .messages(let messages)? = batch else { return nil }
        return messages.map(\.offset)
    }

    @Test func waitingMessagesComeAsOneBatchUpToTheLimit() async {
        let buffer = ConsumerEventBuffer(capacity: 64)
        for offset in 0..<5 { buffer.push(.message(message(Int64(offset)))) }
        #expect(offsets(await buffer.nextBatch(maxMessages: 3)) == [0, 1, 2])
        #expect(offsets(await buffer.nextBatch(maxMessages: 3)) == [3, 4])
    }

    @Test func aControlEventEndsARunAndComesAlone() async {
        let buffer = ConsumerEventBuffer(capacity: 64)
        let partition = TopicPartition(topic: "t", partition: 1)
        buffer.push(.message(message(0)))
        buffer.push(.revoked([partition]))
        buffer.push(.message(message(1)))
        #expect(offsets(await buffer.nextBatch(maxMessages: 16)) == [0])
        guard case .control(.revoked(let revoked))? = await buffer.nextBatch(maxMessages: 16) else {
            Issue.record("the revocation should come next, alone")
            return
        }
        #expect(revoked == [partition])
        #expect(offsets(await buffer.nextBatch(maxMessages: 16)) == [1])
    }

    @Test func aWaitingReaderGetsTheNextMessageAndFinishEndsTheBatches() async {
        let buffer = ConsumerEventBuffer(capacity: 64)
        let reader = Task { await buffer.nextBatch(maxMessages: 16) }
        buffer.push(.message(message(7)))
        #expect(offsets(await reader.value) == [7])
        buffer.finish()
        #expect(await buffer.nextBatch(maxMessages: 16) == nil)
    }

    @Test func takingMessagesMakesRoomForThePollThread() async {
        let buffer = ConsumerEventBuffer(capacity: 4)
        for offset in 0..<4 { buffer.push(.message(message(Int64(offset)))) }
        #expect(!buffer.waitForSpace(timeout: 0), "full at capacity")
        #expect(offsets(await buffer.nextBatch(maxMessages: 3)) == [0, 1, 2])
        #expect(buffer.waitForSpace(timeout: 0))
    }
}
