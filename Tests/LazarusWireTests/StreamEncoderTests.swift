import Testing
import LazarusWire

// Codable shapes no wire message uses today, written as the tree encoder wrote them, and the
// ones a streaming encoder cannot write, refused.

enum StreamKey: String, CodingKey { case jobId, inner, list, empty, a, b }

/// A value that encodes nothing: the tree encoder wrote `{}`.
private struct Nothing: Encodable {
    func encode(to encoder: Encoder) throws {}
}

private struct EveryShape: WireMessage {
    var jobId = "j"
    init() {}
    init(from decoder: Decoder) throws {}

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: StreamKey.self)
        try c.encode(jobId, forKey: .jobId)
        var inner = c.nestedContainer(keyedBy: StreamKey.self, forKey: .inner)
        try inner.encode(Float(1.5), forKey: .a)
        try inner.encode(UInt8(7), forKey: .b)
        var list = c.nestedUnkeyedContainer(forKey: .list)
        try list.encode("x")
        var deep = list.nestedContainer(keyedBy: StreamKey.self)
        try deep.encode(true, forKey: .a)
        try list.encode([1, nil] as [Int?])
        try list.encodeNil()
        try c.encode(Nothing(), forKey: .empty)
    }
}

@Test func nestedContainersAndEmptyValuesEncodeAsTheTreeEncoderDid() throws {
    let text = String(decoding: try WireCodec.encode(EveryShape()), as: UTF8.self)
    #expect(text == #"{"v":1,"jobId":"j","inner":{"a":1.5,"b":7},"list":["x",{"a":true},[1,null],null],"empty":{}}"#)
}

/// Encodes through `write`, which misuses the containers.
struct MisusingMessage: WireMessage {
    var jobId = "j"
    let write: @Sendable (Encoder) throws -> Void
    init(_ write: @escaping @Sendable (Encoder) throws -> Void) { self.write = write }
    init(from decoder: Decoder) throws { write = { _ in } }
    func encode(to encoder: Encoder) throws { try write(encoder) }
}

@Test(arguments: [
    ("key encoded twice", MisusingMessage { encoder in
        var c = encoder.container(keyedBy: StreamKey.self)
        try c.encode("a", forKey: .jobId)
        try c.encode("b", forKey: .jobId)
    }),
    ("nested container used after its parent went on", MisusingMessage { encoder in
        var c = encoder.container(keyedBy: StreamKey.self)
        var inner = c.nestedContainer(keyedBy: StreamKey.self, forKey: .inner)
        try c.encode("j", forKey: .jobId)
        try inner.encode(1, forKey: .a)
    }),
    ("super encoder", MisusingMessage { encoder in
        var c = encoder.container(keyedBy: StreamKey.self)
        try c.encode("j", forKey: .jobId)
        _ = c.superEncoder()
    }),
    ("not an object", MisusingMessage { encoder in
        var c = encoder.unkeyedContainer()
        try c.encode(1)
    }),
])
func shapesThatCannotStreamAreRefused(reason: String, message: MisusingMessage) {
    #expect(throws: EncodingError.self, "\(reason)") { try WireCodec.encode(message) }
}

/// Integer fields print as the tree encoder printed them, through `Double`: below 1e15 as
/// their digits, from 1e15 on as `Double` describes itself — the writer's shortcut for
/// integers must stop at the same limit.
@Test(arguments: [999_999_999_999_999, 1_000_000_000_000_000, 1_000_000_000_000_001, -100_000_000_000_000_000, 123_456_789_012_345_678])
func integerFieldsPrintAsTheirDouble(_ time: Int64) throws {
    let text = String(decoding: try WireCodec.encode(JobEvent(jobId: "j", type: .started, time: time)), as: UTF8.self)
    let number = String(decoding: JSONWriter.write(.number(Double(time))), as: UTF8.self)
    #expect(text == #"{"v":1,"jobId":"j","type":"started","time":\#(number)}"#)
}

@Test func anIntegerFieldOfOneE15PrintsAsTheTreeEncoderDid() throws {
    let text = String(decoding: try WireCodec.encode(JobEvent(jobId: "j", type: .started, time: 1_000_000_000_000_001)), as: UTF8.self)
    #expect(text == #"{"v":1,"jobId":"j","type":"started","time":1000000000000001.0}"#)
}
