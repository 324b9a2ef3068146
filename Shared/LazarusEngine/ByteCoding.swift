// MARK: - ByteWriter / ByteReader: little-endian primitives for canonical encodings

/// Appends little-endian primitives. Used by `CompiledProgram.canonicalBytes` and
/// available to the snapshot codec.
public struct ByteWriter: Sendable {
    public var bytes: [UInt8] = []
    public init() {}
    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    public mutating func u16(_ v: UInt16) { for i in 0..<2 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt16(i)))) } }
    public mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) } }
    public mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
    public mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
    public mutating func f64(_ v: Double) { u64(v.bitPattern) }
    /// Unsigned LEB128.
    public mutating func uleb(_ v: UInt64) {
        var v = v
        repeat {
            var b = UInt8(v & 0x7f); v >>= 7
            if v != 0 { b |= 0x80 }
            bytes.append(b)
        } while v != 0
    }
    public mutating func string(_ s: String) { let u = Array(s.utf8); uleb(UInt64(u.count)); bytes.append(contentsOf: u) }
}
