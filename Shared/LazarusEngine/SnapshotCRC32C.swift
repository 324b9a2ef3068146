// MARK: - CRC32C (Castagnoli), table-driven, slicing-by-8

/// CRC-32C (polynomial 0x1EDC6F41, reflected 0x82F63B78) as used by iSCSI, ext4 and
/// Kafka record batches. Software only: eight 256-entry tables, 8 bytes per step.
/// `CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283`.
public enum CRC32C {
    /// Eight tables of 256 entries, flattened: `table[k * 256 + b]` is the CRC of byte
    /// `b` followed by `k` zero bytes.
    static let table: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[i] = c
        }
        for k in 1..<8 {
            for i in 0..<256 {
                let prev = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (prev >> 8) ^ t[Int(prev & 0xFF)]
            }
        }
        return t
    }()

    /// The CRC32C of `bytes`, continuing from `crc` (pass the previous result to chain).
    public static func checksum(_ bytes: UnsafeBufferPointer<UInt8>, crc: UInt32 = 0) -> UInt32 {
        guard let p = bytes.baseAddress, bytes.count > 0 else { return crc }
        let n = bytes.count
        return table.withUnsafeBufferPointer { tb -> UInt32 in
            let t = tb.baseAddress!
            var c = ~crc
            var i = 0
            while i + 8 <= n {
                let lo = c ^ (UInt32(p[i]) | UInt32(p[i + 1]) << 8 | UInt32(p[i + 2]) << 16 | UInt32(p[i + 3]) << 24)
                let a = t[1792 + Int(lo & 0xFF)] ^ t[1536 + Int((lo >> 8) & 0xFF)]
                let b = t[1280 + Int((lo >> 16) & 0xFF)] ^ t[1024 + Int(lo >> 24)]
                let d = t[768 + Int(p[i + 4])] ^ t[512 + Int(p[i + 5])]
                let e = t[256 + Int(p[i + 6])] ^ t[Int(p[i + 7])]
                c = a ^ b ^ d ^ e
                i += 8
            }
            while i < n {
                c = t[Int((c ^ UInt32(p[i])) & 0xFF)] ^ (c >> 8)
                i += 1
            }
            return ~c
        }
    }

    public static func checksum(_ bytes: [UInt8], crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBufferPointer { checksum($0, crc: crc) }
    }
}
