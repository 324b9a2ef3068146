import LazarusDigest
import Testing

/// HMAC-SHA256 against RFC 4231's test cases.
@Suite struct HMACTests {
    private func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }

    @Test(arguments: [
        // Test case 1: a 20-byte key.
        ("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        // Test case 2: a key shorter than the code.
        ("4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        // Test case 6: a 131-byte key, longer than a block (hashed first).
        (String(repeating: "aa", count: 131),
         "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    ])
    func matchesRFC4231(key: String, message: String, code: String) {
        #expect(SHA256.hex(HMACSHA256.code(for: bytes(message), key: bytes(key))) == code)
    }

    @Test func acceptsOnlyTheRightCodeUnderTheRightKey() {
        let key = Array("a deployment's snapshot key".utf8)
        let message = Array("LZSN and the state of a VM".utf8)
        let code = HMACSHA256.code(for: message, key: key)
        #expect(HMACSHA256.isValid(code, for: message, key: key))
        var flipped = code
        flipped[31] ^= 1
        #expect(!HMACSHA256.isValid(flipped, for: message, key: key))
        #expect(!HMACSHA256.isValid(code.dropLast(), for: message, key: key))
        #expect(!HMACSHA256.isValid(code, for: message + [0], key: key))
        var otherKey = key
        otherKey[0] ^= 1
        #expect(!HMACSHA256.isValid(code, for: message, key: otherKey))
    }
}
