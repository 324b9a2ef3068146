// MARK: - Snapshot errors and caps

/// Why a snapshot could not be written or restored. Every refusal has its own case; the
/// decoder never traps on bad input, it throws one of these.
public enum SnapshotError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes do not start with `LZSN`: not a Lazarus snapshot.
    case badMagic
    /// Written by a codec format this build cannot read.
    case unsupportedFormatVersion(found: UInt16, supported: UInt16)
    /// Written by an engine with a different ABI (bytecode, heap layout, natives, prelude).
    case engineABIMismatch(found: UInt32, expected: UInt32)
    /// The writer's doubles are not IEEE 754 binary64 little-endian as ours.
    case floatFormatMismatch
    /// The snapshot belongs to a different program (program hashes differ).
    case programMismatch(snapshotHash: String, programHash: String)
    /// The payload's CRC32C does not match the header: the bytes were damaged.
    case checksumMismatch(stored: UInt32, computed: UInt32)
    /// The bytes end before the header or payload does.
    case truncated(needed: Int, available: Int)
    /// The payload is structurally invalid (a bad id, index, length, tag, …).
    case malformed(String)
    /// The snapshot refers to a native function this engine does not have.
    case unknownNative(String)
    /// A configured cap was exceeded (snapshot bytes, heap objects, strings, stack depth…).
    case tooLarge(String)
    /// Written against another engine build's fresh-VM heap (baseline fingerprints, hex).
    case baselineMismatch(snapshot: String, engine: String)

    public var description: String {
        switch self {
        case .badMagic:
            return "snapshot: bad magic (not a Lazarus snapshot: the bytes do not start with \"LZSN\")"
        case .unsupportedFormatVersion(let found, let supported):
            return "snapshot: unsupported format version \(found) (this build reads version \(supported))"
        case .engineABIMismatch(let found, let expected):
            return "snapshot: written by engine ABI \(found), this engine is ABI \(expected); restore it with a matching engine"
        case .floatFormatMismatch:
            return "snapshot: float format check failed (the writer's doubles are not IEEE 754 binary64 little-endian)"
        case .programMismatch(let s, let p):
            return "snapshot: program mismatch: the snapshot was taken from program \(s) but the program given has hash \(p); restore it with the same compiled script"
        case .checksumMismatch(let stored, let computed):
            return "snapshot: checksum mismatch (header CRC32C \(hex32(stored)), payload CRC32C \(hex32(computed))): the snapshot bytes are damaged"
        case .truncated(let needed, let available):
            return "snapshot: truncated (needs \(needed) bytes, only \(available) available)"
        case .malformed(let reason):
            return "snapshot: malformed: \(reason)"
        case .unknownNative(let name):
            return "snapshot: unknown native function '\(name)' (this engine does not provide it)"
        case .tooLarge(let what):
            return "snapshot: too large: \(what)"
        case .baselineMismatch(let snapshot, let engine):
            return "snapshot: written against baseline heap \(snapshot), this engine's is \(engine) (another build of the engine wrote it); restore it with the engine that wrote it"
        }
    }

    /// Snapshot errors are never retriable: the same bytes give the same answer.
    public var isRetriable: Bool { false }
}

private func hex32(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - s.count) + s
}

/// Caps enforced when encoding and decoding (the platform's "excessive memory
/// footprint" case). Exceeding one is `SnapshotError.tooLarge`.
public struct SnapshotLimits: Sendable, Hashable {
    /// Whole snapshot, header included.
    public var maxBytes: Int = 512 << 20
    /// Heap object slots (live and free).
    public var maxHeapObjects: Int = 8_000_000
    /// Heap string slots (live and free).
    public var maxStrings: Int = 8_000_000
    /// Script frames.
    public var maxStackDepth: Int = 10_000
    /// Values on the value stack.
    public var maxStackValues: Int = 4_000_000

    public init(maxBytes: Int = 512 << 20, maxHeapObjects: Int = 8_000_000, maxStrings: Int = 8_000_000,
                maxStackDepth: Int = 10_000, maxStackValues: Int = 4_000_000) {
        self.maxBytes = maxBytes
        self.maxHeapObjects = maxHeapObjects
        self.maxStrings = maxStrings
        self.maxStackDepth = maxStackDepth
        self.maxStackValues = maxStackValues
    }
}
