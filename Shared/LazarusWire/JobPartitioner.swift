/// Which partition a job's messages go to: the same choice as Kafka's Java default
/// partitioner and librdkafka's `murmur2_random` for a non-empty key, so that a service
/// can tell which partition of any `lazarus.*` topic holds a job without asking Kafka.
///
/// `partition = toPositive(murmur2(utf8(jobId))) % partitionCount`, with Kafka's
/// `Utils.murmur2` (seed `0x9747b28c`) and `toPositive(x) = x & 0x7fffffff`.
public enum JobPartitioner {
    /// The partition of `jobId` among `partitionCount` partitions (which must be ≥ 1).
    public static func partition(for jobId: String, partitionCount: Int) -> Int {
        precondition(partitionCount > 0, "a topic has at least one partition")
        return Int(UInt32(bitPattern: murmur2(Array(jobId.utf8))) & 0x7fff_ffff) % partitionCount
    }

    /// Kafka's `Utils.murmur2`: MurmurHash2, 32-bit, seed `0x9747b28c`, as a signed Int32
    /// (the value Java returns).
    public static func murmur2(_ data: [UInt8]) -> Int32 {
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        let length = data.count
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        for i in 0..<(length / 4) {
            let j = i * 4
            var k = UInt32(data[j]) | UInt32(data[j + 1]) << 8 | UInt32(data[j + 2]) << 16 | UInt32(data[j + 3]) << 24
            k &*= m
            k ^= k >> r
            k &*= m
            h &*= m
            h ^= k
        }
        let tail = length & ~3
        switch length % 4 {
        case 3:
            h ^= UInt32(data[tail + 2]) << 16
            fallthrough
        case 2:
            h ^= UInt32(data[tail + 1]) << 8
            fallthrough
        case 1:
            h ^= UInt32(data[tail])
            h &*= m
        default:
            break
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }
}
