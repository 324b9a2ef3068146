/// The containers of `StreamEncoder`: each writes into the shared `JSONStreamWriter` at its
/// depth, checking there that it is still the open container there.
struct KeyedStreamWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONStreamWriter
    let slot: Int
    let depth: Int
    var codingPath: [CodingKey] { writer.codingPath(depth: depth) }

    private func begin(_ key: Key) { writer.beginMember(slot: slot, depth: depth, key: key.stringValue) }

    mutating func encodeNil(forKey key: Key) { begin(key); writer.writeNull() }
    mutating func encode(_ value: Bool, forKey key: Key) { begin(key); writer.writeBool(value) }
    mutating func encode(_ value: String, forKey key: Key) { begin(key); JSONWriter.writeString(value, into: &writer.bytes) }
    mutating func encode(_ value: Double, forKey key: Key) { begin(key); JSONWriter.writeNumber(value, into: &writer.bytes) }
    mutating func encode(_ value: Float, forKey key: Key) { begin(key); JSONWriter.writeNumber(Double(value), into: &writer.bytes) }
    mutating func encode(_ value: Int, forKey key: Key) { begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int8, forKey key: Key) { begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int16, forKey key: Key) { begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int32, forKey key: Key) { begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int64, forKey key: Key) { begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt, forKey key: Key) { begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) { begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) { begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) { begin(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) { begin(key); writer.writeInteger(value) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        begin(key)
        try writer.encode(value, depth: depth + 1)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        begin(key)
        return StreamEncoder(writer: writer, slot: writer.newSlot(), depth: depth + 1).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        begin(key)
        return StreamEncoder(writer: writer, slot: writer.newSlot(), depth: depth + 1).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder { StreamEncoder.refusingSuperEncoder(writer) }
    mutating func superEncoder(forKey key: Key) -> Encoder { StreamEncoder.refusingSuperEncoder(writer) }
}

/// The scalar writes of the unkeyed and the single-value container, which differ only in
/// how a value begins.
private protocol ScalarStreamWriting {
    var writer: JSONStreamWriter { get }
    func begin()
}

extension ScalarStreamWriting {
    mutating func encodeNil() { begin(); writer.writeNull() }
    mutating func encode(_ value: Bool) { begin(); writer.writeBool(value) }
    mutating func encode(_ value: String) { begin(); JSONWriter.writeString(value, into: &writer.bytes) }
    mutating func encode(_ value: Double) { begin(); JSONWriter.writeNumber(value, into: &writer.bytes) }
    mutating func encode(_ value: Float) { begin(); JSONWriter.writeNumber(Double(value), into: &writer.bytes) }
    mutating func encode(_ value: Int) { begin(); writer.writeInteger(value) }
    mutating func encode(_ value: Int8) { begin(); writer.writeInteger(value) }
    mutating func encode(_ value: Int16) { begin(); writer.writeInteger(value) }
    mutating func encode(_ value: Int32) { begin(); writer.writeInteger(value) }
    mutating func encode(_ value: Int64) { begin(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt) { begin(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt8) { begin(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt16) { begin(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt32) { begin(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt64) { begin(); writer.writeInteger(value) }
}

struct UnkeyedStreamWriter: UnkeyedEncodingContainer, ScalarStreamWriting {
    let writer: JSONStreamWriter
    let slot: Int
    let depth: Int
    var codingPath: [CodingKey] { writer.codingPath(depth: depth) }
    var count: Int {
        guard depth < writer.frames.count, writer.frames[depth].slot == slot else { return 0 }
        return writer.frames[depth].count
    }

    fileprivate func begin() { writer.beginMember(slot: slot, depth: depth, key: nil) }


    mutating func encode<T: Encodable>(_ value: T) throws {
        begin()
        try writer.encode(value, depth: depth + 1)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        begin()
        return StreamEncoder(writer: writer, slot: writer.newSlot(), depth: depth + 1).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        begin()
        return StreamEncoder(writer: writer, slot: writer.newSlot(), depth: depth + 1).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder { StreamEncoder.refusingSuperEncoder(writer) }
}

struct SingleStreamWriter: SingleValueEncodingContainer, ScalarStreamWriting {
    let writer: JSONStreamWriter
    let slot: Int
    let depth: Int
    var codingPath: [CodingKey] { writer.codingPath(depth: depth) }

    fileprivate func begin() { writer.beginSingleValue(slot: slot, depth: depth) }

    mutating func encode<T: Encodable>(_ value: T) throws { try writer.encode(value, slot: slot, depth: depth) }
}

extension StreamEncoder {
    /// Members written through a super encoder would land after the ones written later, so it is refused.
    static func refusingSuperEncoder(_ writer: JSONStreamWriter) -> Encoder {
        writer.refuse("superEncoder is not supported")
        return StreamEncoder(writer: writer, slot: -1, depth: Int.max)
    }
}
