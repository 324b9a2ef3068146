import Foundation
import Testing
import LazarusWire

// The bytes below were written by the tree encoder (JSONValueEncoder + JSONWriter) that the
// streaming encoder replaced: operators read these messages with kcat and older services
// decode them, so every message type must keep encoding to exactly these bytes.

/// Quotes, backslashes, every kind of control character, DEL, and non-ASCII of 2, 3 and 4 UTF-8 bytes.
private let awkward = "q\"uote\\ back/slash \u{0}\u{1}\u{8}\u{9}\u{a}\u{c}\u{d}\u{1f} \u{7f} é ß 日本 😀 e\u{301} \u{2028}"

/// Integers around the 1e15 boundary where JSONWriter switches to Swift's shortest form,
/// fractions, negative zero, extremes, and the non-finite values JSON has no words for.
private let numbers: [JSONValue] = [0, -0.0, 1, -1, 999_999_999_999_999, -999_999_999_999_999, 1e15, -1e15, 1e16,
                                    9_007_199_254_740_992, 0.5, -2.25, 0.1, 1e-7, 123.456e30, 1e300, -1e-300,
                                    .greatestFiniteMagnitude, .leastNonzeroMagnitude, .nan, .infinity, -.infinity]
    .map { JSONValue.number($0) }

/// Objects and arrays inside each other, empty ones, and every scalar kind.
private let nested: JSONValue = .object([
    ("customer", .string("c-1")), ("amount", .number(12.5)), ("tags", .array([.bool(true), .null, .bool(false)])),
    ("empty", .object([])), ("none", .array([])), ("deep", .array([.object([("a", .array([.array([.object([("b", .null)])])]))])])),
    (awkward, .string(awkward)), ("", .number(-3)),
])

/// Encodes each message, compares with the bytes of the old encoder, and (unless `lossy`) decodes them back.
private func expectWireFormat<M: WireMessage & Equatable>(_ cases: [(M, String)], lossy: Bool = false,
                                                         sourceLocation: SourceLocation = #_sourceLocation) throws {
    for (message, expected) in cases {
        let bytes = try WireCodec.encode(message)
        #expect(String(decoding: bytes, as: UTF8.self) == expected, sourceLocation: sourceLocation)
        if !lossy {
            #expect(try WireCodec.decode(M.self, from: bytes) == message, sourceLocation: sourceLocation)
        }
    }
}

@Test func hostCallRequestWireFormat() throws {
    try expectWireFormat([
        (HostCallRequest(jobId: "j", tenant: "t", epoch: 1, seq: 1, op: "now", args: []),
         #"{"v":1,"jobId":"j","tenant":"t","epoch":1,"seq":1,"op":"now","args":[],"policy":"afterWrite"}"#),
        (HostCallRequest(jobId: "job-7f3a9c", tenant: "acme", epoch: 3, seq: 42, op: "records.create", args: [.string("invoice"), nested], policy: .always, continuation: Data([0x4c, 0x5a, 0x00, 0xff, 0x10]), lastSnapshotAt: 1_700_000_000_123),
         #"{"v":1,"jobId":"job-7f3a9c","tenant":"acme","epoch":3,"seq":42,"op":"records.create","args":["invoice",{"customer":"c-1","amount":12.5,"tags":[true,null,false],"empty":{},"none":[],"deep":[{"a":[[{"b":null}]]}],"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}":"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}","":-3}],"policy":"always","continuation":"TFoA/xA=","lastSnapshotAt":1700000000123}"#),
        (HostCallRequest(jobId: "j", tenant: "t", epoch: 0, seq: 0, op: "log", args: [.string(awkward)], policy: .everyCalls(7), continuation: Data(), lastSnapshotAt: -1),
         #"{"v":1,"jobId":"j","tenant":"t","epoch":0,"seq":0,"op":"log","args":["q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}"],"policy":"everyCalls(7)","continuation":"","lastSnapshotAt":-1}"#),
        (HostCallRequest(jobId: "j", tenant: "t", epoch: 2, seq: 3, op: "checkpoint", args: [.array([]), .object([]), .null, .bool(false)], policy: .explicit, continuation: Data([0xfb, 0xff]), lastSnapshotAt: Int64.min),
         #"{"v":1,"jobId":"j","tenant":"t","epoch":2,"seq":3,"op":"checkpoint","args":[[],{},null,false],"policy":"explicit","continuation":"+/8=","lastSnapshotAt":-9.223372036854776e+18}"#),
        (HostCallRequest(jobId: "j", tenant: "t", epoch: 2, seq: 4, op: "sleep", args: [.number(1000)], policy: .afterWrite, continuation: Data((0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })),
         #"{"v":1,"jobId":"j","tenant":"t","epoch":2,"seq":4,"op":"sleep","args":[1000],"policy":"afterWrite","continuation":"CzBVep/E6Q4zWH2ix+wRNluApcrvFDleg6jN8hc8YYar0PUaP2SJrtP4HUJnjLHW+yBFao+02f4jSG2St9wBJktwlbrfBClOc5i94gcsUXabwOUKL1R5nsPoDTJXfKHG6xA1Wn+kye4TOF2Cp8zxFjtgharP9Bk+Y4it0vccQWaLsNX6H0RpjrPY/SJHbJG22wAlSm+Uud4DKE1yl7zhBitQdZq/5AkuU3idwucMMVZ7oMXqDzRZfqPI7RI3XIGmy/AVOl+Eqc7zGD1ih6zR9htAZYqv1PkeQ2iNstf8IUZrkLXa/yRJbpO43QInTHGWu+AFKk90mb7jCC1Sd5zB5gswVXqfxOkOM1h9osfsETZbgKXK7xQ5XoOozfIXPGGGq9D1Gj9kia7T+B1CZ4yx1vsgRWqPtNn+I0htkrfcASZLcJW63wQpTnOYveIHLFF2m8DlCi9UeZ7D6A0yV3yhxusQNVp/pMnuEzhdgqfM8RY7YIWqz/QZPmOIrdL3HEFmi7DV+h9EaY6z2P0iR2yRttsAJUpvlLneAyhNcpe84QYrUHWav+QJLlN4ncLnDDFWe6DF6g80WX6jyO0SN1yBpsvwFTpfhKnO8xg9Yoes0fYbQGWKr9T5HkNojbLX/CFGa5C12v8kSW6TuN0CJ0xxlrvgBSpPdJm+4wgtUnecweYLMFV6n8TpDjNYfaLH7BE2W4Clyu8UOV6DqM3yFzxhhqvQ9Ro/ZImu0/gdQmeMsdb7IEVqj7TZ/iNIbZK33AEmS3CVut8EKU5zmL3iByxRdpvA5QovVHmew+gNMld8ocbrEDVaf6TJ7hM4XYKnzPEWO2CFqs/0GT5jiK3S9xxBZouw1fofRGmOs9j9IkdskbbbACVKb5S53gMoTXKXvOEGK1B1mr/kCS5TeJ3C5wwxVnugxeoPNFl+o8jtEjdcgabL8BU6X4SpzvMYPWKHrNH2G0Bliq/U+R5DaI2y1/whRmuQtdr/JEluk7jdAidMcZa74AUqT3SZvuMILVJ3nMHmCzBVep/E6Q4zWH2ix+wRNluApcrvFDleg6jN8hc8YYar0PUaP2SJrtP4HUJnjLHW+yBFao+02f4jSG2St9wBJktwlbrfBClOc5i94gcsUXabwOUKL1R5nsPoDTJXfKHG6xA1Wn+kye4TOF2Cp8zxFjtgharP9Bk+Y4it0vccQWaLsNX6H0RpjrPY/SJHbJG22wAlSm+Uud4DKE1yl7zhBitQdZq/5AkuU3idwucMMVZ7oMXqDzRZfqPI7RI3XIGmy/AVOl+Eqc7zGD1ih6zR9htAZYqv1PkeQ2iNstf8IUZrkLXa/yRJbg=="}"#),
    ])
}

@Test func objectRequestWireFormat() throws {
    try expectWireFormat([
        (ObjectRequest(jobId: "j", tenant: "t", epoch: 1, seq: 1, op: "records.query", args: []),
         #"{"v":1,"jobId":"j","tenant":"t","epoch":1,"seq":1,"op":"records.query","args":[]}"#),
    ])
}

@Test func callReplyWireFormat() throws {
    try expectWireFormat([
        (CallReply(jobId: "j", epoch: 1, seq: 3, outcome: .value(nested), replayed: true),
         #"{"v":1,"jobId":"j","epoch":1,"seq":3,"replayed":true,"result":{"customer":"c-1","amount":12.5,"tags":[true,null,false],"empty":{},"none":[],"deep":[{"a":[[{"b":null}]]}],"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}":"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}","":-3}}"#),
        (CallReply(jobId: "j", epoch: 1, seq: 4, outcome: .error(CallError(code: "fenced", message: awkward))),
         #"{"v":1,"jobId":"j","epoch":1,"seq":4,"error":{"code":"fenced","message":"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}","retriable":false}}"#),
        (CallReply(jobId: "j", epoch: 1, seq: 5, outcome: .error(CallError(code: "internal", message: "", retriable: true)), replayed: true),
         #"{"v":1,"jobId":"j","epoch":1,"seq":5,"replayed":true,"error":{"code":"internal","message":"","retriable":true}}"#),
        (CallReply(jobId: "j", epoch: 1, seq: 6, outcome: .value(.null)),
         #"{"v":1,"jobId":"j","epoch":1,"seq":6,"result":null}"#),
        (CallReply(jobId: "j", epoch: 1, seq: 8, outcome: .value(.string(""))),
         #"{"v":1,"jobId":"j","epoch":1,"seq":8,"result":""}"#),
    ])
}

@Test func snapshotEventWireFormat() throws {
    try expectWireFormat([
        (SnapshotEvent(jobId: "j", tenant: "t", epoch: 1, seq: 7, reason: "checkpoint", continuation: Data()),
         #"{"v":1,"jobId":"j","tenant":"t","epoch":1,"seq":7,"reason":"checkpoint","continuation":""}"#),
        (SnapshotEvent(jobId: "j", tenant: "t", epoch: 1, seq: 7, reason: "sleep", label: awkward, wakeAt: 1_700_000_000_000, continuation: Data([1, 2, 3])),
         #"{"v":1,"jobId":"j","tenant":"t","epoch":1,"seq":7,"reason":"sleep","label":"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}","wakeAt":1700000000000,"continuation":"AQID"}"#),
        (SnapshotEvent(jobId: "j", tenant: "t", epoch: 1, seq: 7, reason: "checkpoint", label: "", continuation: Data([1, 2, 3, 4])),
         #"{"v":1,"jobId":"j","tenant":"t","epoch":1,"seq":7,"reason":"checkpoint","label":"","continuation":"AQIDBA=="}"#),
    ])
}

@Test func jobEventWireFormat() throws {
    try expectWireFormat([
        (JobEvent(jobId: "j", type: .started, time: 0),
         #"{"v":1,"jobId":"j","type":"started","time":0}"#),
        (JobEvent(jobId: "j", tenant: "t", epoch: 2, type: .failed, time: 1_700_000_000_123, seq: 4, result: nested, error: JobFailure(name: "TypeError", message: awkward, stack: "at main (job.js:3:5)\nat f (job.js:1:1)"), detail: "d"),
         #"{"v":1,"jobId":"j","tenant":"t","epoch":2,"type":"failed","time":1700000000123,"seq":4,"result":{"customer":"c-1","amount":12.5,"tags":[true,null,false],"empty":{},"none":[],"deep":[{"a":[[{"b":null}]]}],"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}":"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}","":-3},"error":{"name":"TypeError","message":"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}","stack":"at main (job.js:3:5)\nat f (job.js:1:1)"},"detail":"d"}"#),
    ])
}

@Test func jobSubmissionWireFormat() throws {
    try expectWireFormat([
        (JobSubmission(jobId: "j", tenant: "t", script: ""),
         #"{"v":1,"jobId":"j","tenant":"t","script":"","args":{},"policy":"afterWrite"}"#),
        (JobSubmission(jobId: "j", tenant: "acme", script: "function main(a) {\n\treturn \"ok\\\" + a.x;\r\n}", args: nested, policy: .everyMillis(100)),
         #"{"v":1,"jobId":"j","tenant":"acme","script":"function main(a) {\n\treturn \"ok\\\" + a.x;\r\n}","args":{"customer":"c-1","amount":12.5,"tags":[true,null,false],"empty":{},"none":[],"deep":[{"a":[[{"b":null}]]}],"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}":"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}","":-3},"policy":"everyMillis(100)"}"#),
    ])
}

@Test func runCommandWireFormat() throws {
    try expectWireFormat([
        (RunCommand(jobId: "j", tenant: "t", epoch: 1, program: "x"),
         #"{"v":1,"jobId":"j","tenant":"t","epoch":1,"program":"x","args":{},"policy":"afterWrite","reason":"start"}"#),
        (RunCommand(jobId: "j", tenant: "t", epoch: 3, program: awkward, args: nested, policy: .everyCalls(1), snapshot: Data([0x4c, 0x5a, 0x00, 0xff, 0x10, 0x20]), snapshotSeq: 42, reason: "recover"),
         #"{"v":1,"jobId":"j","tenant":"t","epoch":3,"program":"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}","args":{"customer":"c-1","amount":12.5,"tags":[true,null,false],"empty":{},"none":[],"deep":[{"a":[[{"b":null}]]}],"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}":"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}","":-3},"policy":"everyCalls(1)","snapshot":"TFoA/xAg","snapshotSeq":42,"reason":"recover"}"#),
        (RunCommand(jobId: "j", tenant: "t", epoch: 4, program: "", args: .array([]), snapshot: Data(), snapshotSeq: 0, reason: RunCommand.cancelReason),
         #"{"v":1,"jobId":"j","tenant":"t","epoch":4,"program":"","args":[],"policy":"afterWrite","snapshot":"","snapshotSeq":0,"reason":"cancel"}"#),
    ])
}

@Test func controlMessageWireFormat() throws {
    try expectWireFormat([
        (ControlMessage(jobId: "executor-1", command: .recover, partitions: [0, 3, 7], requestedBy: "executor-1"),
         #"{"v":1,"jobId":"executor-1","command":"recover","partitions":[0,3,7],"requestedBy":"executor-1"}"#),
        (ControlMessage(jobId: "j", command: .restore, seq: 12),
         #"{"v":1,"jobId":"j","command":"restore","seq":12}"#),
        (ControlMessage(jobId: "j", command: .cancel, partitions: [], requestedBy: awkward),
         #"{"v":1,"jobId":"j","command":"cancel","partitions":[],"requestedBy":"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}"}"#),
    ])
}

// NaN and infinities go out as null, integers beyond 2^53 as their nearest double (so Int.max
// no longer fits an Int), a duplicated JSONValue member twice, and an optional JSONValue that
// is .null comes back nil: bytes only, no round trip.
@Test func lossyHostCallRequestWireFormat() throws {
    try expectWireFormat([
        (HostCallRequest(jobId: "j", tenant: "t", epoch: Int.max, seq: Int.min, op: "random", args: numbers, policy: .everyMillis(250), continuation: Data([0xfb]), lastSnapshotAt: Int64.max),
         #"{"v":1,"jobId":"j","tenant":"t","epoch":9.223372036854776e+18,"seq":-9.223372036854776e+18,"op":"random","args":[0,0,1,-1,999999999999999,-999999999999999,1000000000000000.0,-1000000000000000.0,1e+16,9007199254740992.0,0.5,-2.25,0.1,1e-07,1.23456e+32,1e+300,-1e-300,1.7976931348623157e+308,5e-324,null,null,null],"policy":"everyMillis(250)","continuation":"+w==","lastSnapshotAt":9.223372036854776e+18}"#),
    ], lossy: true)
}

@Test func lossyObjectRequestWireFormat() throws {
    try expectWireFormat([
        (ObjectRequest(jobId: awkward, tenant: "t\u{0}", epoch: -5, seq: 9, op: "records.load", args: [.string("customer"), .string("c-1"), nested, .array(numbers)]),
         #"{"v":1,"jobId":"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}","tenant":"t\u0000","epoch":-5,"seq":9,"op":"records.load","args":["customer","c-1",{"customer":"c-1","amount":12.5,"tags":[true,null,false],"empty":{},"none":[],"deep":[{"a":[[{"b":null}]]}],"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}":"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}","":-3},[0,0,1,-1,999999999999999,-999999999999999,1000000000000000.0,-1000000000000000.0,1e+16,9007199254740992.0,0.5,-2.25,0.1,1e-07,1.23456e+32,1e+300,-1e-300,1.7976931348623157e+308,5e-324,null,null,null]]}"#),
    ], lossy: true)
}

@Test func lossyCallReplyWireFormat() throws {
    try expectWireFormat([
        (CallReply(jobId: "j", epoch: 1, seq: 7, outcome: .value(.array(numbers))),
         #"{"v":1,"jobId":"j","epoch":1,"seq":7,"result":[0,0,1,-1,999999999999999,-999999999999999,1000000000000000.0,-1000000000000000.0,1e+16,9007199254740992.0,0.5,-2.25,0.1,1e-07,1.23456e+32,1e+300,-1e-300,1.7976931348623157e+308,5e-324,null,null,null]}"#),
    ], lossy: true)
}

@Test func lossyJobEventWireFormat() throws {
    try expectWireFormat([
        (JobEvent(jobId: "j", type: .completed, time: -1, result: .null, error: JobFailure(name: "E", message: "")),
         #"{"v":1,"jobId":"j","type":"completed","time":-1,"result":null,"error":{"name":"E","message":""}}"#),
        (JobEvent(jobId: "j", type: .log, time: 5, result: .array(numbers), detail: ""),
         #"{"v":1,"jobId":"j","type":"log","time":5,"result":[0,0,1,-1,999999999999999,-999999999999999,1000000000000000.0,-1000000000000000.0,1e+16,9007199254740992.0,0.5,-2.25,0.1,1e-07,1.23456e+32,1e+300,-1e-300,1.7976931348623157e+308,5e-324,null,null,null],"detail":""}"#),
    ], lossy: true)
}

@Test func lossyJobSubmissionWireFormat() throws {
    try expectWireFormat([
        (JobSubmission(jobId: "j", tenant: "t", script: awkward, args: .object([("z", .number(1)), ("a", .number(2)), ("z", .string("dup"))]), policy: .explicit),
         #"{"v":1,"jobId":"j","tenant":"t","script":"q\"uote\\ back/slash \u0000\u0001\u0008\t\n\u000c\r\u001f \#u{7f} \#u{e9} \#u{df} \#u{65e5}\#u{672c} \#u{1f600} e\#u{301} \#u{2028}","args":{"z":1,"a":2,"z":"dup"},"policy":"explicit"}"#),
    ], lossy: true)
}
