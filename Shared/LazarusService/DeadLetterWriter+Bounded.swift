import LazarusKafka

extension DeadLetterWriter {
    /// The largest dead letter `boundedRecord` builds: under librdkafka's default
    /// `message.max.bytes` (1,000,000), with room for the record's headers.
    public static let defaultMaxDeadLetterBytes = 900_000

    /// The dead letter for `message`, like `record(for:reason:)`, but never larger than
    /// `maxBytes`: the envelope carries the value up to twice (base64 and text), so the
    /// dead letter of a big message could never be produced and would hold up the
    /// consumer's offsets forever. When needed, the value kept in the envelope is cut (the
    /// reason says so, with the original size); the source topic/partition/offset still
    /// point at the whole message.
    public func boundedRecord(for message: KafkaMessage, reason: String,
                              maxBytes: Int = DeadLetterWriter.defaultMaxDeadLetterBytes) -> KafkaRecord {
        let full = record(for: message, reason: reason)
        guard full.value.count > maxBytes else { return full }
        var keep = min(message.value.count, maxBytes / 3)
        while true {
            var cut = message
            cut.value = Array(message.value.prefix(keep))
            if keep == 0 { cut.headers = [] }
            let note = "\(reason) [dead letter keeps the first \(keep) of \(message.value.count) bytes]"
            let bounded = record(for: cut, reason: note)
            if bounded.value.count <= maxBytes || keep == 0 { return bounded }
            keep /= 2
        }
    }
}
