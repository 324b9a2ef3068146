import Foundation

/// Encodes `Encodable` values as compact JSON written straight into one byte buffer, members
/// in the order they are encoded (Foundation's `JSONEncoder` sorts or hashes them). It writes
/// what `JSONWriter` writes for the same tree: `Data` as a base64 string, numbers through
/// `JSONWriter.writeNumber`, strings through `JSONWriter.writeString`, and a value that
/// encodes nothing as `{}`.
///
/// Containers are written as they are filled, so Codable code must finish a nested container
/// before its parent goes on. Code that goes back to a finished container, encodes a key twice
/// or asks for a `superEncoder` cannot be written that way; it is refused with an
/// `EncodingError` rather than written differently.
struct JSONStreamEncoder {
    /// Encodes `value`, which must encode as an object, as one object whose first members are `leadingMembers`.
    static func encodeObject<T: Encodable>(_ value: T, leadingMembers: [(key: String, value: JSONValue)]) throws -> [UInt8] {
        let writer = JSONStreamWriter()
        let root = writer.newSlot()
        writer.openContainer(slot: root, depth: 0, isObject: true)
        for member in leadingMembers {
            writer.beginMember(slot: root, depth: 0, key: member.key)
            JSONWriter.write(member.value, into: &writer.bytes)
        }
        try value.encode(to: StreamEncoder(writer: writer, slot: root, depth: 0))
        writer.finish(slot: root, depth: 0)
        if let misuse = writer.misuse {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(T.self) cannot be encoded as JSON: \(misuse)"))
        }
        return writer.bytes
    }
}

/// The output and the containers still open, shared by the encoder and its containers.
///
/// Every value being encoded gets a slot number; a slot's container is the frame at its depth
/// in `frames` for as long as that frame is open. Writing to a container closes the ones
/// nested in it, so a nested container ends when its parent goes on.
final class JSONStreamWriter {
    struct Frame {
        let slot: Int
        let isObject: Bool
        var count = 0
        /// Where this object's keys start in `keys`.
        let keyStart: Int
    }

    // One encode uses a writer, on one thread, and no access to these overlaps another; the
    // runtime exclusivity checks Swift makes on class properties cost about a sixth of an encode.
    @exclusivity(unchecked) var bytes: [UInt8] = []
    @exclusivity(unchecked) private(set) var frames: [Frame] = []
    /// The keys of the open objects, to refuse a key encoded twice.
    @exclusivity(unchecked) private var keys: [String] = []
    @exclusivity(unchecked) private var lastSlot = 0
    /// The slot that may still open a container or take a single value: the newest, if nothing
    /// was written for it yet.
    @exclusivity(unchecked) private var freshSlot = 0
    /// Why the output is not what the tree encoder would have written; the first reason counts.
    private(set) var misuse: String?

    init() {
        bytes.reserveCapacity(512)
        frames.reserveCapacity(8)
        keys.reserveCapacity(16)
    }

    func newSlot() -> Int {
        lastSlot += 1
        freshSlot = lastSlot
        return lastSlot
    }

    func refuse(_ reason: String) {
        if misuse == nil { misuse = reason }
    }

    /// Opens the container of `slot`, or goes back to it when the value asks again (as
    /// `CallReply` does to add its outcome's members).
    func openContainer(slot: Int, depth: Int, isObject: Bool) {
        if depth < frames.count, frames[depth].slot == slot {
            if frames[depth].isObject != isObject { refuse("one value encoded as both an object and an array") }
            close(downTo: depth + 1)
            return
        }
        guard depth == frames.count, freshSlot == slot else {
            return refuse("a container was asked for after its value was written or its parent went on")
        }
        freshSlot = 0
        bytes.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
        frames.append(Frame(slot: slot, isObject: isObject, keyStart: keys.count))
    }

    /// Starts the next member (`key` given) or element of the container at `depth`.
    func beginMember(slot: Int, depth: Int, key: String?) {
        guard depth < frames.count, frames[depth].slot == slot else {
            return refuse("a container was written to after its parent went on")
        }
        close(downTo: depth + 1)
        if let key {
            if keys[frames[depth].keyStart...].contains(key) { refuse("key '\(key)' encoded twice") }
            keys.append(key)
        }
        if frames[depth].count > 0 { bytes.append(UInt8(ascii: ",")) }
        frames[depth].count += 1
        if let key {
            JSONWriter.writeString(key, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
        }
    }

    /// Before a single value is written for `slot`: it must be the only thing written for it.
    func beginSingleValue(slot: Int, depth: Int) {
        guard depth == frames.count, freshSlot == slot else {
            return refuse("a single value was encoded where something was already written")
        }
        freshSlot = 0
    }

    /// After `slot`'s value has encoded itself: closes its container, or writes `{}` if it wrote nothing.
    func finish(slot: Int, depth: Int) {
        if depth < frames.count {
            close(downTo: depth)
        } else if freshSlot == slot {
            bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
        }
        if freshSlot == slot { freshSlot = 0 }
    }

    private func close(downTo depth: Int) {
        while frames.count > depth {
            let frame = frames.removeLast()
            keys.removeSubrange(frame.keyStart...)
            bytes.append(frame.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    /// The keys and indexes leading to the container at `depth`, for `codingPath`.
    func codingPath(depth: Int) -> [CodingKey] {
        (0..<min(depth, frames.count)).map { i in
            let frame = frames[i]
            if frame.isObject {
                let next = i + 1 < frames.count ? frames[i + 1].keyStart : keys.count
                return PathKey(stringValue: next > frame.keyStart ? keys[next - 1] : "")
            }
            return PathKey(intValue: frame.count - 1)
        }
    }

    /// Writes `value` at the current position (after its key or comma) as a new slot at `depth`.
    func encode<T: Encodable>(_ value: T, depth: Int) throws {
        if writeKnown(value) { return }
        let slot = newSlot()
        try value.encode(to: StreamEncoder(writer: self, slot: slot, depth: depth))
        finish(slot: slot, depth: depth)
    }

    /// Writes `value` as the whole of `slot`, for a single-value container.
    func encode<T: Encodable>(_ value: T, slot: Int, depth: Int) throws {
        guard depth == frames.count, freshSlot == slot else {
            return refuse("a single value was encoded where something was already written")
        }
        if writeKnown(value) {
            freshSlot = 0
            return
        }
        try value.encode(to: StreamEncoder(writer: self, slot: slot, depth: depth))
        finish(slot: slot, depth: depth)
    }

    /// Writes the values the encoder handles itself rather than through `encode(to:)`.
    /// (Comparing types is much cheaper than trying a cast to each.)
    func writeKnown<T: Encodable>(_ value: T) -> Bool {
        if T.self == String.self {
            JSONWriter.writeString(value as! String, into: &bytes)
        } else if T.self == JSONValue.self {
            JSONWriter.write(value as! JSONValue, into: &bytes)
        } else if T.self == Data.self {
            Base64.writeString(value as! Data, into: &bytes)
        } else if T.self == Int.self {
            writeInteger(value as! Int)
        } else if T.self == Int64.self {
            writeInteger(value as! Int64)
        } else if T.self == Bool.self {
            writeBool(value as! Bool)
        } else if T.self == Double.self {
            JSONWriter.writeNumber(value as! Double, into: &bytes)
        } else {
            return false
        }
        return true
    }

    func writeNull() { bytes.append(contentsOf: "null".utf8) }
    func writeBool(_ b: Bool) { bytes.append(contentsOf: (b ? "true" : "false").utf8) }

    /// As `JSONWriter.writeNumber(Double(n))` writes it, without going through `Double` when it is exact.
    func writeInteger<I: BinaryInteger>(_ n: I) {
        if let exact = Int64(exactly: n), Double(exact.magnitude) < JSONWriter.plainIntegerLimit {
            JSONWriter.writeInteger(exact, into: &bytes)
        } else {
            JSONWriter.writeNumber(Double(n), into: &bytes)
        }
    }
}

/// A coding key rebuilt from the output, for the `codingPath` of errors.
struct PathKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    init(intValue: Int) { stringValue = "\(intValue)"; self.intValue = intValue }
}

/// The encoder handed to one value's `encode(to:)`.
struct StreamEncoder: Encoder {
    let writer: JSONStreamWriter
    let slot: Int
    let depth: Int
    var codingPath: [CodingKey] { writer.codingPath(depth: depth) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        writer.openContainer(slot: slot, depth: depth, isObject: true)
        return KeyedEncodingContainer(KeyedStreamWriter<Key>(writer: writer, slot: slot, depth: depth))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        writer.openContainer(slot: slot, depth: depth, isObject: false)
        return UnkeyedStreamWriter(writer: writer, slot: slot, depth: depth)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { SingleStreamWriter(writer: writer, slot: slot, depth: depth) }
}
