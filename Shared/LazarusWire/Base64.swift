import Foundation

/// Standard base64 (RFC 4648, padded, no line breaks), written straight into a byte buffer.
enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Writes `data` as a JSON string, the same bytes as `JSONWriter.writeString(data.base64EncodedString())`
    /// (base64 needs no escapes).
    static func writeString(_ data: Data, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        encode(data, into: &out)
        out.append(UInt8(ascii: "\""))
    }

    static func encode(_ data: Data, into out: inout [UInt8]) {
        guard !data.isEmpty else { return }
        let start = out.count
        out.append(contentsOf: repeatElement(UInt8(ascii: "="), count: (data.count + 2) / 3 * 4))
        data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            alphabet.withUnsafeBufferPointer { table in
                out.withUnsafeMutableBufferPointer { output in
                    // Unchecked pointers: the loop bounds keep every index in range.
                    let from = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    let to = output.baseAddress! + start
                    let symbol = table.baseAddress!
                    var i = 0, o = 0
                    while i + 3 <= input.count {
                        let n = Int(from[i]) << 16 | Int(from[i + 1]) << 8 | Int(from[i + 2])
                        to[o] = symbol[n >> 18]
                        to[o + 1] = symbol[n >> 12 & 0x3F]
                        to[o + 2] = symbol[n >> 6 & 0x3F]
                        to[o + 3] = symbol[n & 0x3F]
                        i += 3
                        o += 4
                    }
                    let rest = input.count - i
                    if rest > 0 {
                        let n = Int(from[i]) << 16 | (rest == 2 ? Int(from[i + 1]) << 8 : 0)
                        to[o] = symbol[n >> 18]
                        to[o + 1] = symbol[n >> 12 & 0x3F]
                        if rest == 2 { to[o + 2] = symbol[n >> 6 & 0x3F] }
                    }
                }
            }
        }
    }
}

extension Base64 {
    /// What `Data(base64Encoded: text)` answers. Canonical base64 (padded, no whitespace, which
    /// is all a wire message carries) is decoded here in one pass; anything else is left to Foundation.
    static func decode(_ text: String) -> Data? {
        var text = text  // withUTF8 needs a var; native strings are not copied
        if let data = text.withUTF8({ decodeCanonical($0) }) { return data }
        return Data(base64Encoded: text)
    }

    /// Each byte's 6-bit value, or 0xFF for bytes outside the alphabet.
    private static let sextets: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, symbol) in alphabet.enumerated() { table[Int(symbol)] = UInt8(value) }
        return table
    }()

    private static func decodeCanonical(_ input: UnsafeBufferPointer<UInt8>) -> Data? {
        guard input.count % 4 == 0 else { return nil }
        guard !input.isEmpty else { return Data() }
        let padding = input[input.count - 1] != UInt8(ascii: "=") ? 0 : input[input.count - 2] != UInt8(ascii: "=") ? 1 : 2
        var data = Data(count: input.count / 4 * 3 - padding)
        let decoded = data.withUnsafeMutableBytes { (output: UnsafeMutableRawBufferPointer) -> Bool in
            sextets.withUnsafeBufferPointer { table in
                var o = 0
                for quad in stride(from: 0, to: input.count, by: 4) {
                    let last = quad + 4 == input.count
                    let a = table[Int(input[quad])], b = table[Int(input[quad + 1])]
                    let c = last && padding == 2 ? 0 : table[Int(input[quad + 2])]
                    let d = last && padding >= 1 ? 0 : table[Int(input[quad + 3])]
                    guard (a | b | c | d) & 0xC0 == 0 else { return false }  // 0xFF marks a byte outside the alphabet
                    let n = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    if last && padding > 0 {
                        // Bits left over by the padding must be zero for the input to be canonical.
                        guard n & (padding == 2 ? 0xFFFF : 0xFF) == 0 else { return false }
                        output[o] = UInt8(n >> 16)
                        if padding == 1 { output[o + 1] = UInt8(n >> 8 & 0xFF) }
                    } else {
                        output[o] = UInt8(n >> 16)
                        output[o + 1] = UInt8(n >> 8 & 0xFF)
                        output[o + 2] = UInt8(n & 0xFF)
                        o += 3
                    }
                }
                return true
            }
        }
        return decoded ? data : nil
    }
}
