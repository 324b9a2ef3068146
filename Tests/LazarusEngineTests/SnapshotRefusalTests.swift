import LazarusEngine
import Testing

// MARK: - Every refusal has its own error

@Suite struct SnapshotRefusalTests {
    static let source = """
        var data = { list: [1, 2, 3], name: "refusals" };
        function f(n) { return n <= 1 ? 1 : n * f(n - 1); }
        var r = f(5);
        Math.max.note = "changed"; // a native that differs from the baseline: in the natives section
        checkpoint("here");
        console.log(r, data.name);
        """

    /// A program suspended at its `checkpoint` host call, and its snapshot.
    static func snapshot() throws -> (CompiledProgram, [UInt8]) {
        let program = try compileProgram(source)
        let vm = try VM()
        vm.load(program)
        guard case .hostCall = vm.run() else { throw EngineError("expected a host call") }
        return (program, try vm.encodeSnapshot())
    }

    static func fixChecksum(_ b: inout [UInt8]) {
        let crc = CRC32C.checksum(Array(b[SnapshotFormat.headerSize...]))
        for i in 0..<4 { b[60 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
    }

    func refusal(_ bytes: [UInt8], _ program: CompiledProgram, limits: SnapshotLimits = SnapshotLimits()) -> SnapshotError? {
        do {
            _ = try VM.restore(from: bytes, program: program, snapshotLimits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test func crc32cKnownAnswers() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([]) == 0)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        // Chaining equals one pass, whatever the split (slicing-by-8 vs the byte loop).
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = CRC32C.checksum(data)
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            #expect(CRC32C.checksum(Array(data[split...]), crc: CRC32C.checksum(Array(data[..<split]))) == whole)
        }
    }

    @Test func restoresWhenIntact() throws {
        let (program, bytes) = try Self.snapshot()
        #expect(refusal(bytes, program) == nil)
        let h = try SnapshotCodec.readHeader(bytes)
        #expect(h.formatVersion == SnapshotFormat.version)
        #expect(h.engineABI == engineABIVersion)
        #expect(h.payloadLength == bytes.count - SnapshotFormat.headerSize)
    }

    @Test func differentProgram() throws {
        let (program, bytes) = try Self.snapshot()
        let other = try compileProgram(Self.source + "\n// changed\n")
        guard case .programMismatch(let s, let p)? = refusal(bytes, other) else { Issue.record("expected programMismatch"); return }
        #expect(s == program.programHashHex)
        #expect(p == other.programHashHex)
        #expect(SnapshotError.programMismatch(snapshotHash: s, programHash: p).description.contains("program mismatch"))
    }

    @Test func differentEngineABI() throws {
        var (program, bytes) = try Self.snapshot()
        let other = engineABIVersion &+ 1
        for i in 0..<4 { bytes[8 + i] = UInt8(truncatingIfNeeded: other >> (8 * UInt32(i))) }
        #expect(refusal(bytes, program) == .engineABIMismatch(found: other, expected: engineABIVersion))
    }

    @Test func unsupportedFormatVersion() throws {
        var (program, bytes) = try Self.snapshot()
        bytes[4] = 99
        #expect(refusal(bytes, program) == .unsupportedFormatVersion(found: 99, supported: SnapshotFormat.version))
    }

    @Test func floatFormat() throws {
        var (program, bytes) = try Self.snapshot()
        bytes[12...19].reverse() // a big-endian writer
        #expect(refusal(bytes, program) == .floatFormatMismatch)
    }

    @Test func badMagic() throws {
        var (program, bytes) = try Self.snapshot()
        bytes[0] = UInt8(ascii: "X")
        #expect(refusal(bytes, program) == .badMagic)
        #expect(refusal(Array("PK\u{3}\u{4} not a snapshot".utf8), program) == .badMagic)
        #expect(refusal([0x4C, 0x5A, 0x53, 0x00], program) == .badMagic)
    }

    @Test func unknownNative() throws {
        var (program, bytes) = try Self.snapshot()
        // After the baseline section (tag 11, u32 length, body), the natives section: tag,
        // u32 length, uleb count, then names (uleb length, UTF-8).
        var p = SnapshotFormat.headerSize
        #expect(bytes[p] == 11)
        p += 5 + Int(bytes[p + 1]) + Int(bytes[p + 2]) << 8
        #expect(bytes[p] == 1)
        p += 5
        while bytes[p] & 0x80 != 0 { p += 1 }
        p += 1
        while bytes[p] & 0x80 != 0 { p += 1 }
        p += 1
        bytes[p] = UInt8(ascii: "Z") // first name, first letter
        Self.fixChecksum(&bytes)
        guard case .unknownNative(let name)? = refusal(bytes, program) else { Issue.record("expected unknownNative"); return }
        #expect(name.hasPrefix("Z"))
    }

    @Test func badChecksum() throws {
        var (program, bytes) = try Self.snapshot()
        bytes[bytes.count / 2] ^= 0x10
        guard case .checksumMismatch? = refusal(bytes, program) else { Issue.record("expected checksumMismatch"); return }
        var header = try Self.snapshot().1
        header[61] ^= 1
        guard case .checksumMismatch? = refusal(header, program) else { Issue.record("expected checksumMismatch"); return }
    }

    /// Every prefix through the header and the first sections, then ~1,000 spread over the
    /// rest and every one of the last 64 bytes (all of them would copy O(n²) bytes).
    @Test func everyPrefixIsTruncated() throws {
        let (program, bytes) = try Self.snapshot()
        let count = bytes.count
        let prefixes = Set(Array(0..<min(count, 512)) + Array(stride(from: 512, to: count, by: max(1, count / 1000)))
                           + Array(max(0, count - 64)..<count)).sorted()
        for n in prefixes {
            let e = refusal(Array(bytes[..<n]), program)
            guard case .truncated? = e else { Issue.record("prefix \(n) of \(bytes.count): \(String(describing: e))"); return }
        }
    }

    @Test func trailingBytes() throws {
        let (program, bytes) = try Self.snapshot()
        guard case .malformed? = refusal(bytes + [0], program) else { Issue.record("expected malformed"); return }
    }

    @Test func tooLarge() throws {
        let (program, bytes) = try Self.snapshot()
        guard case .tooLarge? = refusal(bytes, program, limits: SnapshotLimits(maxBytes: bytes.count - 1)) else {
            Issue.record("expected tooLarge for bytes"); return
        }
        guard case .tooLarge? = refusal(bytes, program, limits: SnapshotLimits(maxHeapObjects: 10)) else {
            Issue.record("expected tooLarge for objects"); return
        }
        guard case .tooLarge? = refusal(bytes, program, limits: SnapshotLimits(maxStrings: 10)) else {
            Issue.record("expected tooLarge for strings"); return
        }
        // Deep recursion suspended at a host call: too many frames for a small cap.
        let deep = try compileProgram("function d(n) { if (n === 0) { checkpoint(); return 0; } return 1 + d(n - 1); } d(50);")
        let vm = try VM()
        vm.load(deep)
        guard case .hostCall = vm.run() else { Issue.record("expected a host call"); return }
        let deepBytes = try vm.encodeSnapshot()
        guard case .tooLarge? = refusal(deepBytes, deep, limits: SnapshotLimits(maxStackDepth: 20)) else {
            Issue.record("expected tooLarge for frames"); return
        }
        #expect(refusal(deepBytes, deep, limits: SnapshotLimits(maxStackDepth: 60)) == nil)
        // The writer enforces the same caps.
        #expect(throws: SnapshotError.self) { try vm.encodeSnapshot(limits: SnapshotLimits(maxStackDepth: 20)) }
        #expect(throws: SnapshotError.self) { try vm.encodeSnapshot(limits: SnapshotLimits(maxBytes: 100)) }
    }

    @Test func errorsSayWhatHappened() {
        let all: [SnapshotError] = [
            .badMagic, .unsupportedFormatVersion(found: 2, supported: 1), .engineABIMismatch(found: 2, expected: 1),
            .floatFormatMismatch, .programMismatch(snapshotHash: "aa", programHash: "bb"),
            .checksumMismatch(stored: 1, computed: 2), .truncated(needed: 64, available: 3), .malformed("x"),
            .unknownNative("Foo.bar"), .tooLarge("frames"),
        ]
        #expect(Set(all.map(\.description)).count == all.count)
        for e in all { #expect(e.description.hasPrefix("snapshot: ")) }
    }
}
