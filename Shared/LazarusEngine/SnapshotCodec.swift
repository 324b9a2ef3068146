import LazarusDigest
// MARK: - Snapshot codec: the public surface and the format constants
//
// A snapshot is the whole VM state as bytes (docs/SNAPSHOT.md): a 64-byte header
// (magic, format version, engine ABI, float check, program hash, payload length,
// CRC32C) and a payload of tagged sections. Encoding reads the VM without changing it;
// decoding validates every id, index and length and refuses bad input with a
// `SnapshotError`, never a trap.

/// Constants of the snapshot format (version 2; version 1, without the baseline section,
/// is still read).
public enum SnapshotFormat {
    /// `"LZSN"`.
    public static let magic: [UInt8] = Array("LZSN".utf8)
    /// The version written.
    public static let version: UInt16 = 2
    /// The versions read.
    public static let readableVersions: ClosedRange<UInt16> = 1...2
    public static let headerSize = 64
    /// A double whose bit pattern the writer stores in the header; a reader whose
    /// doubles differ (not IEEE 754 binary64, other byte order) refuses the snapshot.
    public static let floatCheck: Double = -0x1.23456789ABCDEp+517
    public static let floatCheckBits: UInt64 = floatCheck.bitPattern

    /// Section tags. Order: baseline (version 2 only), natives, strings, objects, free
    /// lists, stack, frames, realm, runtime, status, output.
    enum Section: UInt8, CaseIterable {
        case natives = 1, strings, objects, freeLists, stack, frames, realm, runtime, status, output
        case baseline
    }

    /// What the heap cells are written against (the baseline section's first byte).
    enum BaselineKind {
        /// Every cell is written.
        static let none: UInt8 = 0
        /// Cells in the same state as a fresh VM's are runs (`SnapshotBaseline`).
        static let freshRealm: UInt8 = 1
    }

    /// Object record class byte of a run of objects unchanged from the baseline (uleb count follows).
    static let unchangedObjectRun: UInt8 = 0xFF

    /// Value tags.
    enum Tag: UInt8 {
        case undefined = 0, null, `false`, `true`, empty
        case string     // uleb string id
        case object     // uleb object id
        case uint       // uleb: a non-negative integral double < 2^53 (not -0)
        case negint     // uleb m: the double -m, 0 < m < 2^53
        case double     // 8 bytes: IEEE 754 bit pattern, little-endian
    }

    /// HostValue tags.
    enum HostTag: UInt8 {
        case null = 0, `false`, `true`, number, string, array, object
    }

    /// Object record presence bits.
    struct Has {
        static let proto: UInt8 = 1
        static let props: UInt8 = 2
        static let elements: UInt8 = 4
        static let code: UInt8 = 8
        static let link: UInt8 = 16
        static let slot0: UInt8 = 32
        static let slot1: UInt8 = 64
    }

    /// String record flag bits.
    struct StringBits {
        static let free: UInt8 = 1
        static let pinned: UInt8 = 2
        static let selfAtom: UInt8 = 4
        static let atomRef: UInt8 = 8
        static let latin1: UInt8 = 16
        /// Alone: a run of strings unchanged from the baseline (uleb count follows).
        static let unchangedRun: UInt8 = 0x80
    }

    /// HostValue nesting accepted by the decoder (`toHostValue` stops at 1000).
    static let maxHostDepth = 2048
}

/// The fields of a snapshot header (readable without restoring: `lazarus inspect`).
public struct SnapshotHeader: Sendable, Hashable {
    public var formatVersion: UInt16
    public var engineABI: UInt32
    public var programHash: [UInt8]
    public var payloadLength: Int
    public var checksum: UInt32
    public var programHashHex: String { SHA256.hex(programHash) }
}

// MARK: - Public API

extension VM {
    /// The whole VM state as canonical bytes: identical states give identical bytes.
    /// Changes nothing a script can observe (the first call shares storage with the snapshot
    /// baseline, `SnapshotBaseline.shareStorage`). Call it between `run` slices (status ready
    /// or awaiting host, or after completion/failure), never from inside a native.
    public func encodeSnapshot(limits: SnapshotLimits = SnapshotLimits()) throws(SnapshotError) -> [UInt8] {
        if !sharesBaselineStorage, let baseline = SnapshotBaseline.current {
            baseline.shareStorage(with: &heap)
            sharesBaselineStorage = true
        }
        return try SnapshotEncoder.encode(self, limits: limits)
    }

    /// A new VM continuing exactly where the snapshot's VM stopped. `program` must be the
    /// program the snapshot was taken from (its hash is checked); `limits` and
    /// `consoleMode` are the new VM's (they are configuration, not state).
    public static func restore(from bytes: [UInt8], program: CompiledProgram,
                               limits: EngineLimits = EngineLimits(), consoleMode: ConsoleMode = .buffer,
                               snapshotLimits: SnapshotLimits = SnapshotLimits()) throws(SnapshotError) -> VM {
        try SnapshotDecoder.restore(bytes, program: program, limits: limits, consoleMode: consoleMode, caps: snapshotLimits)
    }
}

/// Helpers around `VM.encodeSnapshot` / `VM.restore`.
public enum SnapshotCodec {
    /// Encode → bytes → decode into a fresh VM with the same limits and console mode
    /// (`lazarus run --restore-every N`). The old VM should be dropped afterwards.
    public static func roundTrip(_ vm: VM, program: CompiledProgram,
                                 limits: SnapshotLimits = SnapshotLimits()) throws(SnapshotError) -> VM {
        let bytes = try vm.encodeSnapshot(limits: limits)
        return try VM.restore(from: bytes, program: program, limits: vm.limits, consoleMode: vm.consoleMode,
                              snapshotLimits: limits)
    }

    /// Reads and checks the header only (magic, version, ABI, float format, lengths);
    /// does not verify the checksum or the program.
    public static func readHeader(_ bytes: [UInt8]) throws(SnapshotError) -> SnapshotHeader {
        try bytes.withUnsafeBufferPointer { (p) throws(SnapshotError) -> SnapshotHeader in
            try SnapshotDecoder.header(p)
        }
    }
}
