import LazarusWire
import Testing

/// Kafka's own vectors (`UtilsTest.testMurmur2`) and partitions cross-checked with
/// kafka-python 2.0.2's `murmur2` (a port of the Java client's), for Kafka's default partitioner.
@Suite struct JobPartitionerTests {
    @Test(arguments: [
        ("21", -973_932_308),
        ("foobar", -790_332_482),
        ("a-little-bit-long-string", -985_981_536),
        ("a-little-bit-longer-string", -1_486_304_829),
        ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
        ("abc", 479_470_107),
        ("", 275_646_681),
    ] as [(String, Int32)])
    func murmur2MatchesKafka(key: String, expected: Int32) {
        #expect(JobPartitioner.murmur2(Array(key.utf8)) == expected)
    }

    @Test(arguments: [
        ("job-1", [0, 2, 2, 8, 12]),
        ("job-2", [0, 0, 0, 6, 22]),
        ("inv-2026-0001", [0, 1, 1, 7, 7]),
        ("7f3c9a2e-5b1d-4c8e-9f0a-1d2e3f4a5b6c", [0, 0, 3, 9, 9]),
        ("ünïcödé-job", [0, 2, 2, 2, 2]),
        ("foobar", [0, 0, 0, 6, 30]),
    ] as [(String, [Int])])
    func partitionsMatchKafkasDefaultPartitioner(jobId: String, expected: [Int]) {
        #expect([1, 3, 6, 12, 32].map { JobPartitioner.partition(for: jobId, partitionCount: $0) } == expected)
    }

    @Test func foobarOver50PartitionsIs16() {
        #expect(JobPartitioner.partition(for: "foobar", partitionCount: 50) == 16)
    }
}
