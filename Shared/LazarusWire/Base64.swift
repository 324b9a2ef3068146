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
