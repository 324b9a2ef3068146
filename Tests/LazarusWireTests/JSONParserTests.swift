import Testing
@testable import LazarusWire

@Test func parsesEveryKindKeepingMemberOrder() throws {
    let text = #"{"z": [1, -2.5e3, true, false, null], "a": {"y": "x\n\"\u00e9\ud83d\ude00", "b": 0}}"#
    let value = try JSONParser.parse(Array(text.utf8))
    #expect(value == .object([
        ("z", .array([.number(1), .number(-2500), .bool(true), .bool(false), .null])),
        ("a", .object([("y", .string("x\n\"é😀")), ("b", .number(0))])),
    ]))
}

@Test func writerAndParserRoundTrip() throws {
    let value: JSONValue = .object([("k", .string("tab\there \u{1} \\ \"q\" ünï")), ("n", .array([.number(0.1), .number(-0.0), .number(1e21), .number(42)]))])
    #expect(try JSONParser.parse(JSONWriter.write(value)) == value)
}

@Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"\\x\"", "\"\u{01}\"", "tru", "{} x", "\"\\u12G4\""])
func rejectsInvalidJSON(text: String) {
    #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
}

@Test func refusesExcessiveNesting() {
    let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
    #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(deep.utf8)) }
}
