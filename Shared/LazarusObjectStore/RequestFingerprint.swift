import LazarusWire
import LazarusDigest

/// The journal's fingerprint of a host call: SHA-256 over a canonical binary encoding of
/// `tenant`, `op` and `args` (not `jobId`, `seq` — they are the journal key — nor `epoch`,
/// which legitimately changes when a recovered run replays the call).
///
/// The encoding is defined here, not borrowed from `JSONWriter`, so that a change in how
/// JSON text is written can never make an old journal row look like a different call:
///
///     "LZRQ1" · string(tenant) · string(op) · value(.array(args))
///     value:  null 'z' | true 't' | false 'f'
///           | 'n' + IEEE-754 bits of the Double, big-endian (-0 written as +0)
///           | 's' + string | 'a' + u64 count + values | 'o' + u64 count + (string, value)…
///     string: u64 byte count (big-endian) + UTF-8 bytes
///
/// Object members keep their order: a deterministic script rebuilds them in the same order.
public enum RequestFingerprint {
    /// 64 lowercase hex digits.
    public static func of(tenant: String, op: String, args: [JSONValue]) -> String {
        SHA256.hexDigest(canonicalBytes(tenant: tenant, op: op, args: args))
    }

    /// The bytes that are hashed; exposed for tests.
    public static func canonicalBytes(tenant: String, op: String, args: [JSONValue]) -> [UInt8] {
        var out: [UInt8] = Array("LZRQ1".utf8)
        writeString(tenant, into: &out)
        writeString(op, into: &out)
        write(.array(args), into: &out)
        return out
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(UInt8(ascii: "z"))
        case .bool(let b): out.append(UInt8(ascii: b ? "t" : "f"))
        case .number(let n):
            out.append(UInt8(ascii: "n"))
            writeUInt64((n == 0 ? 0.0 : n).bitPattern, into: &out)
        case .string(let s):
            out.append(UInt8(ascii: "s"))
            writeString(s, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "a"))
            writeUInt64(UInt64(elements.count), into: &out)
            for element in elements { write(element, into: &out) }
        case .object(let members):
            out.append(UInt8(ascii: "o"))
            writeUInt64(UInt64(members.count), into: &out)
            for member in members {
                writeString(member.key, into: &out)
                write(member.value, into: &out)
            }
        }
    }

    private static func writeString(_ s: String, into out: inout [UInt8]) {
        let utf8 = Array(s.utf8)
        writeUInt64(UInt64(utf8.count), into: &out)
        out.append(contentsOf: utf8)
    }

    private static func writeUInt64(_ v: UInt64, into out: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }
}
