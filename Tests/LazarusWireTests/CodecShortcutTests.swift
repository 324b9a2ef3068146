import Foundation
import Testing
@testable import LazarusWire

// The codec's shortcuts must answer exactly what the general code they skip would.

@Test(arguments: ["", "TQ==", "TWE=", "TWFu", "+/8=", "AAAAAAAA", "////", "TQ", "TWE", "TR==", "TWF=", "T===", "====",
                  "TW Fu", "TWFu\n", "TW=u", "TWFu====", "TWF!", "é123", "TWFuTWFu", "AA==AA=="])
func base64DecodesAsFoundationDoes(text: String) {
    #expect(Base64.decode(text) == Data(base64Encoded: text))
}

@Test func base64EncodesAsFoundationDoes() {
    for count in 0..<70 {
        let data = Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })
        var out: [UInt8] = []
        Base64.encode(data, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == data.base64EncodedString())
        #expect(Base64.decode(data.base64EncodedString()) == data)
    }
}

@Test(arguments: ["0", "-0", "7", "-42", "999999999999999", "-999999999999999", "1000000000000000",
                  "9007199254740993", "12345678901234567890", "1.0", "1e2", "-0.0"])
func parsedNumbersAreWhatDoubleParsingGives(text: String) throws {
    let parsed = try JSONParser.parse(Array(text.utf8))
    let expected = try #require(Double(text))
    #expect(parsed.numberValue?.bitPattern == expected.bitPattern)
}

@Test func policyTextIsTrimmedOnlyWhenItNeedsIt() {
    #expect(SaveStatePolicy(parsing: "always") == .always)
    #expect(SaveStatePolicy(parsing: " always\t") == .always)
    #expect(SaveStatePolicy(parsing: "\u{00A0}everyCalls(3)\u{3000}") == .everyCalls(3))
    #expect(SaveStatePolicy(parsing: "") == nil)
}
