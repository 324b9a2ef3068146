import LazarusDigest
// MARK: - Snapshot decoder: bytes → a validated VM state
//
// Order of checks: size cap, magic, header completeness, format version, engine ABI,
// float format, program hash, payload length, checksum; then the sections, in order,
// each read within its own bounds. Every count is checked against the bytes left
// (no allocation larger than the input can justify) and the caps; every id against
// its table; then a validation pass checks the cross-references (live targets, object
// classes, acyclic prototype/environment/bound chains, frame layout on the stack).
// Nothing here recurses, and nothing traps: all failures are `SnapshotError`s.

/// Bounds-checked little-endian reader over a byte buffer.
struct SnapshotReader {
    let base: UnsafePointer<UInt8>
    var pos: Int
    var end: Int

    init(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int) {
        // An empty buffer has no base address; point at a static byte (never read: end == pos).
        base = p.baseAddress ?? UnsafePointer(SnapshotReader.dummy)
        pos = from
        end = to
    }

    nonisolated(unsafe) static let dummy = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)

    var remaining: Int { end - pos }

    @inline(__always) mutating func u8() throws(SnapshotError) -> UInt8 {
        guard pos < end else { throw .malformed("unexpected end of section at byte \(pos)") }
        let b = base[pos]
        pos += 1
        return b
    }

    mutating func u32() throws(SnapshotError) -> UInt32 {
        guard end - pos >= 4 else { throw .malformed("unexpected end of section at byte \(pos)") }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(base[pos + i]) << (8 * UInt32(i)) }
        pos += 4
        return v
    }

    mutating func u64() throws(SnapshotError) -> UInt64 {
        guard end - pos >= 8 else { throw .malformed("unexpected end of section at byte \(pos)") }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(base[pos + i]) << (8 * UInt64(i)) }
        pos += 8
        return v
    }

    /// Unsigned LEB128, at most 10 bytes, no overflow past 64 bits.
    @inline(__always) mutating func uleb() throws(SnapshotError) -> UInt64 {
        guard pos < end else { throw .malformed("unexpected end of section at byte \(pos)") }
        let first = base[pos]
        if first < 0x80 { pos += 1; return UInt64(first) }
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard pos < end else { throw .malformed("unexpected end of section in a varint at byte \(pos)") }
            let b = base[pos]
            pos += 1
            if shift == 63 && b > 1 { throw .malformed("varint overflows 64 bits at byte \(pos - 1)") }
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
            if shift > 63 { throw .malformed("varint longer than 10 bytes at byte \(pos - 1)") }
        }
    }

    /// A uleb that must be ≤ `max` (a count, id or index).
    @inline(__always) mutating func int(max: Int, _ what: @autoclosure () -> String) throws(SnapshotError) -> Int {
        let v = try uleb()
        guard max >= 0, v <= UInt64(max) else { throw .malformed("\(what()) \(v) out of range (max \(max))") }
        return Int(v)
    }

    /// A count of items each taking at least `minBytes` bytes: bounded by the bytes left.
    /// `what` is only built for an error (readObjects built two strings per object).
    mutating func count(minBytes: Int, _ what: @autoclosure () -> String) throws(SnapshotError) -> Int {
        try int(max: remaining / max(1, minBytes), "\(what()) count")
    }

    mutating func sleb() throws(SnapshotError) -> Int {
        let z = try uleb()
        let v = Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1)))
        return Int(v)
    }

    mutating func string() throws(SnapshotError) -> String {
        let n = try count(minBytes: 1, "string byte")
        let s = String(decoding: UnsafeBufferPointer(start: base + pos, count: n), as: UTF8.self)
        pos += n
        return s
    }
}

enum SnapshotDecoder {
    // MARK: Header

    static func header(_ p: UnsafeBufferPointer<UInt8>) throws(SnapshotError) -> SnapshotHeader {
        let n = p.count
        for i in 0..<min(4, n) where p[i] != SnapshotFormat.magic[i] { throw .badMagic }
        guard n >= SnapshotFormat.headerSize else { throw .truncated(needed: SnapshotFormat.headerSize, available: n) }
        var r = SnapshotReader(p, from: 4, to: SnapshotFormat.headerSize)
        let version = UInt16(try r.u8()) | UInt16(try r.u8()) << 8
        guard SnapshotFormat.readableVersions.contains(version) else {
            throw .unsupportedFormatVersion(found: version, supported: SnapshotFormat.version)
        }
        let headerSize = Int(try r.u8()) | Int(try r.u8()) << 8
        guard headerSize == SnapshotFormat.headerSize else { throw .malformed("header size \(headerSize), expected \(SnapshotFormat.headerSize)") }
        let abi = try r.u32()
        guard abi == engineABIVersion else { throw .engineABIMismatch(found: abi, expected: engineABIVersion) }
        let floatBits = try r.u64()
        guard floatBits == SnapshotFormat.floatCheckBits, Double(bitPattern: floatBits) == SnapshotFormat.floatCheck else {
            throw .floatFormatMismatch
        }
        let hash = Array(UnsafeBufferPointer(rebasing: p[20..<52]))
        r.pos = 52
        let payload = try r.u64()
        let crc = try r.u32()
        guard payload <= UInt64(Int.max - SnapshotFormat.headerSize) else { throw .malformed("payload length \(payload) is impossible") }
        return SnapshotHeader(formatVersion: version, engineABI: abi, programHash: hash, payloadLength: Int(payload), checksum: crc)
    }

    // MARK: Restore

    static func restore(_ bytes: [UInt8], program: CompiledProgram, limits: EngineLimits, consoleMode: ConsoleMode,
                        caps: SnapshotLimits) throws(SnapshotError) -> VM {
        guard bytes.count <= caps.maxBytes else { throw .tooLarge("\(bytes.count) bytes, the cap is \(caps.maxBytes)") }
        let h = try bytes.withUnsafeBufferPointer { (p) throws(SnapshotError) -> SnapshotHeader in
            let h = try header(p)
            guard h.programHash == program.programHash else {
                throw .programMismatch(snapshotHash: h.programHashHex, programHash: program.programHashHex)
            }
            let total = SnapshotFormat.headerSize + h.payloadLength
            guard p.count >= total else { throw .truncated(needed: total, available: p.count) }
            guard p.count == total else { throw .malformed("\(p.count - total) trailing bytes after the payload") }
            let crc = CRC32C.checksum(UnsafeBufferPointer(rebasing: p[SnapshotFormat.headerSize...]))
            guard crc == h.checksum else { throw .checksumMismatch(stored: h.checksum, computed: crc) }
            return h
        }
        let prelude: CompiledUnit
        do { prelude = try Prelude.compiled() } catch { throw .malformed("the engine's prelude does not compile: \(error)") }
        var state = try bytes.withUnsafeBufferPointer { (p) throws(SnapshotError) -> DecodedState in
            var d = StateDecoder(p: p, version: h.formatVersion, caps: caps, code: CodeInfo(units: [prelude, program.unit]))
            return try d.decode()
        }
        let vm: VM
        do {
            // Hand the heap over uniquely owned (a shared CellStore would be copied on the
            // VM's first write).
            let heap = state.heap
            state.heap = Heap()
            vm = try VM(limits: limits, consoleMode: consoleMode, restoring: consume heap)
        } catch {
            throw .malformed("could not create a VM to restore into: \(error)")
        }
        let u = vm.link(program.unit)
        guard u == VM.programUnitIndex else { throw .malformed("the restored VM linked the program as unit \(u)") }
        vm.programHash = program.programHash
        state.install(into: vm)
        return vm
    }
}

/// What the validator needs to know about the linked code.
struct CodeInfo {
    var codeCount: [Int] = []
    var registerCount: [Int] = []
    var maxStack: [Int] = []
    /// Flat index of each unit's top-level function (what a `.script` frame runs).
    var unitEntries: Set<Int> = []

    /// Flat function order of `VM.functions`: each unit's functions, units in link order.
    init(units: [CompiledUnit]) {
        for u in units {
            unitEntries.insert(codeCount.count)
            for f in u.functions {
                codeCount.append(f.code.count)
                registerCount.append(Int(f.registerCount))
                maxStack.append(Int(f.maxStack))
            }
        }
    }

    var functionCount: Int { codeCount.count }
}

/// A decoded, validated state, ready to be installed in a freshly linked VM.
struct DecodedState {
    var heap = Heap()
    var stack: [Value] = []
    var frames: [Frame] = []
    var realm: [ObjectID] = []
    var hostCallSeq = 0
    var instructionCount: UInt64 = 0
    var prngState: UInt64 = 0
    var status: VMStatus = .ready
    var pendingHostCall: PendingHostCall?
    var pendingThrow: Value?
    var completionValue: Value = .undefined
    var mainArguments: HostValue?
    var failure: ScriptError?
    var output: [String] = []
    /// Value-stack capacity the frames may need (registers and operand stacks).
    var stackHeadroom = 0

    /// Installs everything but the heap (given to the VM's restore initializer).
    func install(into vm: VM) {
        vm.frames = []
        vm.restoreStack(stack)
        vm.sp = stack.count
        vm.ensureStack(stackHeadroom + 64)
        vm.frames = frames
        vm.realm = realm
        vm.hostCallSeq = hostCallSeq
        vm.instructionCount = instructionCount
        vm.prngState = prngState
        vm.status = status
        vm.pendingHostCall = pendingHostCall
        vm.pendingThrow = pendingThrow
        vm.completionValue = completionValue
        vm.mainArguments = mainArguments
        vm.failure = failure
        vm.output = output
        // Large objects get their lookup index back (a cache, not state; objects copied
        // from the baseline kept theirs).
        for i in vm.heap.objects.indices
        where vm.heap.objects[i].keys.count > JSObject.indexThreshold && vm.heap.objects[i].index == nil {
            vm.heap.objects[i].rebuildIndex()
        }
    }
}

/// Reads the payload sections into a `DecodedState`, validating as it goes.
struct StateDecoder {
    let p: UnsafeBufferPointer<UInt8>
    let version: UInt16
    let caps: SnapshotLimits
    let code: CodeInfo
    var r: SnapshotReader
    var s = DecodedState()
    /// Snapshot native index → `Natives.table` index.
    var natives: [UInt32] = []
    /// The heap cells runs are copied from (none: every cell is written).
    var baseline: SnapshotBaseline?

    init(p: UnsafeBufferPointer<UInt8>, version: UInt16, caps: SnapshotLimits, code: CodeInfo) {
        self.p = p
        self.version = version
        self.caps = caps
        self.code = code
        r = SnapshotReader(p, from: SnapshotFormat.headerSize, to: p.count)
    }

    // MARK: Sections

    mutating func decode() throws(SnapshotError) -> DecodedState {
        if version >= 2 { try section(.baseline) { (d) throws(SnapshotError) in try d.readBaseline() } }
        try section(.natives) { (d) throws(SnapshotError) in try d.readNatives() }
        try section(.strings) { (d) throws(SnapshotError) in try d.readStrings() }
        try section(.objects) { (d) throws(SnapshotError) in try d.readObjects() }
        try section(.freeLists) { (d) throws(SnapshotError) in try d.readFreeLists() }
        try section(.stack) { (d) throws(SnapshotError) in try d.readStack() }
        try section(.frames) { (d) throws(SnapshotError) in try d.readFrames() }
        try section(.realm) { (d) throws(SnapshotError) in try d.readRealm() }
        try section(.runtime) { (d) throws(SnapshotError) in try d.readRuntime() }
        try section(.status) { (d) throws(SnapshotError) in try d.readStatus() }
        try section(.output) { (d) throws(SnapshotError) in try d.readOutput() }
        guard r.pos == p.count else { throw .malformed("\(p.count - r.pos) bytes after the last section") }
        try validateHeap()
        try validateFrames()
        return s
    }

    mutating func section(_ tag: SnapshotFormat.Section, _ body: (inout StateDecoder) throws(SnapshotError) -> Void) throws(SnapshotError) {
        let t = try r.u8()
        guard t == tag.rawValue else { throw .malformed("expected section \(tag) (tag \(tag.rawValue)), found tag \(t)") }
        let length = Int(try r.u32())
        guard length <= r.remaining else { throw .malformed("section \(tag) claims \(length) bytes, \(r.remaining) left") }
        let sectionEnd = r.pos + length
        let outerEnd = r.end
        r.end = sectionEnd
        try body(&self)
        guard r.pos == sectionEnd else { throw .malformed("section \(tag) has \(sectionEnd - r.pos) unread bytes") }
        r.end = outerEnd
    }

    mutating func readBaseline() throws(SnapshotError) {
        let kind = try r.u8()
        switch kind {
        case SnapshotFormat.BaselineKind.none:
            baseline = nil
        case SnapshotFormat.BaselineKind.freshRealm:
            guard r.remaining >= SnapshotBaseline.fingerprintSize else { throw .malformed("baseline section too short") }
            let fingerprint = Array(UnsafeBufferPointer(start: r.base + r.pos, count: SnapshotBaseline.fingerprintSize))
            r.pos += SnapshotBaseline.fingerprintSize
            let objectCount = try r.int(max: Int(UInt32.max), "baseline object count")
            let stringCount = try r.int(max: Int(UInt32.max), "baseline string count")
            guard let mine = SnapshotBaseline.current, mine.fingerprint == fingerprint,
                  mine.objectCount == objectCount, mine.stringCount == stringCount else {
                throw .baselineMismatch(snapshot: SHA256.hex(fingerprint),
                                        engine: SnapshotBaseline.current.map { SHA256.hex($0.fingerprint) } ?? "none")
            }
            baseline = mine
        default:
            throw .malformed("unknown baseline kind \(kind)")
        }
    }

    /// The length of a run of cells unchanged from the baseline, starting at slot `i` of a
    /// table of `count` slots: at least 1, within both tables.
    mutating func baselineRun(at i: Int, count: Int, baselineCount: Int?, _ what: String) throws(SnapshotError) -> Int {
        guard let baselineCount else { throw .malformed("\(what) \(i): unchanged-run marker without a baseline") }
        let n = try r.int(max: min(count, baselineCount) - i, "\(what) \(i) unchanged-run length")
        guard n >= 1 else { throw .malformed("\(what) \(i): empty unchanged run") }
        return n
    }

    mutating func readNatives() throws(SnapshotError) {
        let n = try r.count(minBytes: 1, "native")
        natives.reserveCapacity(n)
        for _ in 0..<n {
            let name = try r.string()
            guard let i = Natives.index[name] else { throw .unknownNative(name) }
            natives.append(UInt32(i))
        }
    }

    mutating func readStrings() throws(SnapshotError) {
        let count = try r.int(max: Int(UInt32.max), "string slot count")
        guard count >= 1 else { throw .malformed("string table without its reserved slot 0") }
        guard count <= caps.maxStrings else { throw .tooLarge("\(count) heap strings, the cap is \(caps.maxStrings)") }
        guard count - 1 <= r.remaining + (baseline?.stringCount ?? 0) else {
            throw .malformed("\(count) string slots cannot fit in \(r.remaining) bytes")
        }
        var strings = s.heap.strings
        strings.reserveCapacity(count)
        var i = 1
        while i < count {
            defer { i += 1 }
            let bits = try r.u8()
            if bits == SnapshotFormat.StringBits.unchangedRun {
                let n = try baselineRun(at: i, count: count, baselineCount: baseline?.stringCount, "string")
                let cells = baseline!.strings
                for k in i..<(i + n) { strings.append(cells[k]) }
                i += n - 1
                continue
            }
            if bits == SnapshotFormat.StringBits.free {
                strings.append(JSString(units: [], atom: 0, gcBits: Heap.freeBit))
                continue
            }
            guard bits & ~(SnapshotFormat.StringBits.pinned | SnapshotFormat.StringBits.selfAtom
                           | SnapshotFormat.StringBits.atomRef | SnapshotFormat.StringBits.latin1) == 0,
                  bits & SnapshotFormat.StringBits.selfAtom == 0 || bits & SnapshotFormat.StringBits.atomRef == 0 else {
                throw .malformed("string \(i): bad flags \(bits)")
            }
            var atom: UInt32 = 0
            if bits & SnapshotFormat.StringBits.selfAtom != 0 { atom = UInt32(i) }
            if bits & SnapshotFormat.StringBits.atomRef != 0 {
                let a = try r.int(max: count - 1, "string \(i) atom id")
                guard a != 0, a != i else { throw .malformed("string \(i): atom reference \(a)") }
                atom = UInt32(a)
            }
            let latin1 = bits & SnapshotFormat.StringBits.latin1 != 0
            let n = try r.int(max: latin1 ? r.remaining : r.remaining / 2, "string \(i) length")
            var units = [UInt16](repeating: 0, count: n)
            let start = r.base + r.pos
            if latin1 {
                for k in 0..<n { units[k] = UInt16(start[k]) }
                r.pos += n
            } else {
                for k in 0..<n { units[k] = UInt16(start[2 * k]) | UInt16(start[2 * k + 1]) << 8 }
                r.pos += 2 * n
            }
            strings.append(JSString(units: units, atom: atom,
                                    gcBits: bits & SnapshotFormat.StringBits.pinned != 0 ? Heap.pinnedBit : 0))
        }
        // Atom references point at live atoms with the same content.
        for i in 1..<count {
            let a = Int(strings[i].atom)
            if a == 0 || a == i { continue }
            guard strings[a].gcBits & Heap.freeBit == 0, strings[a].atom == UInt32(a), strings[a].units == strings[i].units else {
                throw .malformed("string \(i): its atom \(a) is not an atom with the same content")
            }
        }
        s.heap.strings = strings
    }

    @inline(__always) mutating func value(_ what: @autoclosure () -> String) throws(SnapshotError) -> Value {
        let tag = try r.u8()
        switch tag {
        case SnapshotFormat.Tag.undefined.rawValue: return .undefined
        case SnapshotFormat.Tag.null.rawValue: return .null
        case SnapshotFormat.Tag.false.rawValue: return .bool(false)
        case SnapshotFormat.Tag.true.rawValue: return .bool(true)
        case SnapshotFormat.Tag.empty.rawValue: return .empty
        case SnapshotFormat.Tag.string.rawValue:
            let id = try r.uleb()
            guard id < UInt64(s.heap.strings.count), s.heap.strings[Int(id)].gcBits & Heap.freeBit == 0 else {
                throw .malformed("\(what()): string id \(id) is not a live string")
            }
            return .string(StringID(UInt32(id)))
        case SnapshotFormat.Tag.object.rawValue:
            let id = try r.uleb()
            guard id != 0, id < UInt64(objectCount) else { throw .malformed("\(what()): object id \(id) out of range") }
            return .object(ObjectID(UInt32(id)))
        case SnapshotFormat.Tag.uint.rawValue:
            let m = try r.uleb()
            guard m < 1 << 53 else { throw .malformed("\(what()): integer \(m) too large") }
            return .number(Double(m))
        case SnapshotFormat.Tag.negint.rawValue:
            let m = try r.uleb()
            guard m > 0, m < 1 << 53 else { throw .malformed("\(what()): integer -\(m) out of range") }
            return .number(-Double(m))
        case SnapshotFormat.Tag.double.rawValue:
            return .number(Double(bitPattern: try r.u64()))
        default:
            throw .malformed("\(what()): unknown value tag \(tag)")
        }
    }

    /// Objects in the table being read (ids are checked against it; liveness later).
    var objectCount = 1

    mutating func objectRef(_ what: @autoclosure () -> String) throws(SnapshotError) -> ObjectID {
        let id = try r.uleb()
        guard id < UInt64(objectCount) else { throw .malformed("\(what()): object id \(id) out of range") }
        return ObjectID(UInt32(id))
    }

    mutating func readObjects() throws(SnapshotError) {
        let count = try r.int(max: Int(UInt32.max), "object slot count")
        guard count >= 1 else { throw .malformed("object table without its reserved slot 0") }
        guard count <= caps.maxHeapObjects else { throw .tooLarge("\(count) heap objects, the cap is \(caps.maxHeapObjects)") }
        guard count - 1 <= r.remaining + (baseline?.objectCount ?? 0) else {
            throw .malformed("\(count) object slots cannot fit in \(r.remaining) bytes")
        }
        objectCount = count
        var objects = s.heap.objects
        objects.reserveCapacity(count)
        let stringCount = s.heap.strings.count
        let maxClass = ObjectClass.accessorPair.rawValue
        var i = 1
        while i < count {
            defer { i += 1 }
            let clsRaw = try r.u8()
            if clsRaw == SnapshotFormat.unchangedObjectRun {
                let n = try baselineRun(at: i, count: count, baselineCount: baseline?.objectCount, "object")
                let cells = baseline!.objects
                for k in i..<(i + n) {
                    try checkBaselineCell(cells[k], k)
                    objects.append(cells[k])
                }
                i += n - 1
                continue
            }
            guard clsRaw <= maxClass, let cls = ObjectClass(rawValue: clsRaw) else { throw .malformed("object \(i): unknown class \(clsRaw)") }
            if cls == .free { objects.append(JSObject(cls: .free, proto: .none, flags: [])); continue }
            let flags = ObjectFlags(rawValue: try r.u8())
            guard !flags.contains(.marked) else { throw .malformed("object \(i): GC mark bit set") }
            let has = try r.u8()
            guard has & 0x80 == 0 else { throw .malformed("object \(i): bad field mask \(has)") }
            var o = JSObject(cls: cls, proto: .none, flags: flags)
            if has & SnapshotFormat.Has.proto != 0 {
                o.proto = try objectRef("object \(i) prototype")
                guard !o.proto.isNone else { throw .malformed("object \(i): explicit null prototype id") }
            }
            if has & SnapshotFormat.Has.props != 0 {
                let n = try r.count(minBytes: 3, "object \(i) property")
                guard n > 0 else { throw .malformed("object \(i): empty property list marked present") }
                o.keys.reserveCapacity(n); o.values.reserveCapacity(n); o.attributes.reserveCapacity(n)
                for _ in 0..<n {
                    let k = try r.uleb()
                    guard k < UInt64(stringCount), s.heap.strings[Int(k)].atom == UInt32(k),
                          s.heap.strings[Int(k)].gcBits & Heap.freeBit == 0 else {
                        throw .malformed("object \(i): property key \(k) is not a live atom")
                    }
                    let attrs = try r.u8()
                    guard attrs & ~0x0F == 0 else { throw .malformed("object \(i): bad property attributes \(attrs)") }
                    let v = try value("object \(i) property")
                    if attrs & PropertyFlags.accessor.rawValue != 0, !v.isObject {
                        throw .malformed("object \(i): accessor property without an accessor pair")
                    }
                    o.keys.append(StringID(UInt32(k)))
                    o.attributes.append(PropertyFlags(rawValue: attrs))
                    o.values.append(v)
                }
            }
            if has & SnapshotFormat.Has.elements != 0 {
                let n = try r.count(minBytes: 1, "object \(i) element")
                guard n > 0 else { throw .malformed("object \(i): empty element list marked present") }
                o.elements.reserveCapacity(n)
                for _ in 0..<n { o.elements.append(try value("object \(i) element")) }
            }
            if has & SnapshotFormat.Has.code != 0 {
                switch cls {
                case .native:
                    let k = try r.int(max: natives.count - 1, "object \(i) native index")
                    o.code = natives[k]
                case .closure:
                    o.code = UInt32(try r.int(max: code.functionCount - 1, "object \(i) function index"))
                default:
                    o.code = UInt32(try r.int(max: Int(UInt32.max), "object \(i) code"))
                }
            } else if cls == .native {
                throw .malformed("object \(i): native function without a native index")
            }
            if has & SnapshotFormat.Has.link != 0 {
                o.link = try objectRef("object \(i) link")
                guard !o.link.isNone else { throw .malformed("object \(i): explicit empty link") }
            }
            if has & SnapshotFormat.Has.slot0 != 0 { o.slot0 = try value("object \(i) slot0") }
            if has & SnapshotFormat.Has.slot1 != 0 { o.slot1 = try value("object \(i) slot1") }
            objects.append(consume o)
        }
        s.heap.objects = objects
    }

    /// An object copied from the baseline refers to ids of this snapshot's tables, which the
    /// snapshot may have freed or changed: its references get the checks a written record
    /// gets (object ids in range, strings live, keys live atoms; liveness of objects later).
    func checkBaselineCell(_ o: borrowing JSObject, _ i: Int) throws(SnapshotError) {
        let strings = s.heap.strings
        func liveString(_ id: StringID) -> Bool { id.index < strings.count && strings[id.index].gcBits & Heap.freeBit == 0 }
        func valid(_ v: Value) -> Bool {
            switch v {
            case .string(let id): return liveString(id)
            case .object(let id): return !id.isNone && id.index < objectCount
            default: return true
            }
        }
        guard o.proto.index < objectCount, o.link.index < objectCount, valid(o.slot0), valid(o.slot1) else {
            throw .malformed("object \(i) (unchanged from the baseline): refers to an id outside this snapshot")
        }
        for k in o.keys where !liveString(k) || strings[k.index].atom != k.raw {
            throw .malformed("object \(i) (unchanged from the baseline): property key \(k.raw) is not a live atom")
        }
        for v in o.values where !valid(v) { throw .malformed("object \(i) (unchanged from the baseline): a property refers to a dead id") }
        for v in o.elements where !valid(v) { throw .malformed("object \(i) (unchanged from the baseline): an element refers to a dead id") }
    }

    mutating func readFreeLists() throws(SnapshotError) {
        let objects = s.heap.objects, strings = s.heap.strings
        var seenObjects = [Bool](repeating: false, count: objects.count)
        let nObjects = try r.count(minBytes: 1, "free object")
        var freeObjects: [UInt32] = []
        freeObjects.reserveCapacity(nObjects)
        for _ in 0..<nObjects {
            let id = try r.int(max: objects.count - 1, "free object id")
            guard id != 0, objects[id].cls == .free, !seenObjects[id] else {
                throw .malformed("free list: object \(id) is not a free slot (or is listed twice)")
            }
            seenObjects[id] = true
            freeObjects.append(UInt32(id))
        }
        var freeCount = 0
        for i in 1..<objects.count where objects[i].cls == .free { freeCount += 1 }
        guard freeCount == nObjects else { throw .malformed("free list: \(freeCount) free object slots, \(nObjects) listed") }

        var seenStrings = [Bool](repeating: false, count: strings.count)
        let nStrings = try r.count(minBytes: 1, "free string")
        var freeStrings: [UInt32] = []
        freeStrings.reserveCapacity(nStrings)
        for _ in 0..<nStrings {
            let id = try r.int(max: strings.count - 1, "free string id")
            guard id != 0, strings[id].gcBits & Heap.freeBit != 0, !seenStrings[id] else {
                throw .malformed("free list: string \(id) is not a free slot (or is listed twice)")
            }
            seenStrings[id] = true
            freeStrings.append(UInt32(id))
        }
        freeCount = 0
        for i in 1..<strings.count where strings[i].gcBits & Heap.freeBit != 0 { freeCount += 1 }
        guard freeCount == nStrings else { throw .malformed("free list: \(freeCount) free string slots, \(nStrings) listed") }
        s.heap.freeObjects = freeObjects
        s.heap.freeStrings = freeStrings
    }

    mutating func readStack() throws(SnapshotError) {
        let n = try r.count(minBytes: 1, "stack value")
        guard n <= caps.maxStackValues else { throw .tooLarge("\(n) stack values, the cap is \(caps.maxStackValues)") }
        s.stack.reserveCapacity(n)
        for k in 0..<n { s.stack.append(try value("stack[\(k)]")) }
    }

    mutating func readFrames() throws(SnapshotError) {
        let n = try r.count(minBytes: 6, "frame")
        guard n <= caps.maxStackDepth else { throw .tooLarge("\(n) frames, the cap is \(caps.maxStackDepth)") }
        for k in 0..<n {
            let fn = try r.int(max: code.functionCount - 1, "frame \(k) function index")
            let pc = try r.int(max: code.codeCount[fn] - 1, "frame \(k) pc")
            let base = try r.int(max: s.stack.count, "frame \(k) base")
            let env = try objectRef("frame \(k) environment")
            let argc = try r.int(max: Int(Int32.max), "frame \(k) argc")
            let flags = try r.u8()
            guard flags & ~0x1F == 0 else { throw .malformed("frame \(k): bad flags \(flags)") }
            s.frames.append(Frame(function: Int32(fn), pc: Int32(pc), base: Int32(base), env: env, argc: Int32(argc),
                                  flags: FrameFlags(rawValue: flags)))
        }
    }

    mutating func readRealm() throws(SnapshotError) {
        let n = try r.count(minBytes: 1, "realm entry")
        guard n == Intrinsic.allCases.count else { throw .malformed("realm has \(n) entries, this engine has \(Intrinsic.allCases.count)") }
        for k in 0..<n { s.realm.append(try objectRef("realm[\(k)]")) }
        guard !s.realm[Intrinsic.global.rawValue].isNone else { throw .malformed("realm without a global object") }
    }

    mutating func readRuntime() throws(SnapshotError) {
        s.hostCallSeq = try r.int(max: Int(Int64.max), "host call sequence")
        s.instructionCount = try r.uleb()
        s.prngState = try r.u64()
        s.heap.allocationsSinceGC = try r.int(max: Int(Int64.max), "allocations since GC")
        s.heap.bytesSinceGC = try r.int(max: Int(Int64.max), "bytes since GC")
        s.heap.liveObjects = try r.int(max: Int(Int64.max), "live objects")
        s.heap.liveBytes = try r.int(max: Int(Int64.max), "live bytes")
    }

    mutating func readStatus() throws(SnapshotError) {
        let raw = try r.u8()
        guard let st = VMStatus(rawValue: raw) else { throw .malformed("unknown VM status \(raw)") }
        s.status = st
        let present = try r.u8()
        guard present & ~0x0F == 0 else { throw .malformed("bad status presence bits \(present)") }
        s.completionValue = try value("completion value")
        if present & 1 != 0 {
            let seq = try r.int(max: Int(Int64.max), "pending host call sequence")
            let name = try r.string()
            let n = try r.count(minBytes: 1, "host call argument")
            var args: [HostValue] = []
            for _ in 0..<n { args.append(try hostValue()) }
            s.pendingHostCall = PendingHostCall(seq: seq, name: name, arguments: args)
        }
        if present & 2 != 0 { s.pendingThrow = try value("pending throw") }
        if present & 4 != 0 { s.mainArguments = try hostValue() }
        if present & 8 != 0 {
            let name = try r.string()
            let message = try r.string()
            let n = try r.count(minBytes: 3, "failure stack frame")
            var frames: [ScriptStackFrame] = []
            for _ in 0..<n {
                let f = try r.string()
                frames.append(ScriptStackFrame(function: f, line: try r.sleb(), column: try r.sleb()))
            }
            var thrown: HostValue?
            switch try r.u8() {
            case 0: break
            case 1: thrown = try hostValue()
            case let b: throw .malformed("bad thrown-value marker \(b)")
            }
            s.failure = ScriptError(name: name, message: message, stack: frames, thrownValue: thrown)
        }
        switch st {
        case .awaitingHost:
            guard s.pendingHostCall != nil else { throw .malformed("status awaitingHost without a pending host call") }
        default:
            guard s.pendingHostCall == nil else { throw .malformed("a pending host call with status \(st)") }
        }
        if st == .ready || st == .running || st == .awaitingHost {
            guard !s.frames.isEmpty else { throw .malformed("status \(st) without any frame") }
        }
    }

    mutating func readOutput() throws(SnapshotError) {
        let n = try r.count(minBytes: 1, "output line")
        for _ in 0..<n { s.output.append(try r.string()) }
    }

    /// A host value, iteratively (explicit stack of open containers, depth capped).
    mutating func hostValue() throws(SnapshotError) -> HostValue {
        enum Open { case array([HostValue], Int), object([(String, HostValue)], Int, String) }
        var open: [Open] = []
        while true {
            // Read one value (a scalar, or open a container).
            var done: HostValue
            let tag = try r.u8()
            switch tag {
            case SnapshotFormat.HostTag.null.rawValue: done = .null
            case SnapshotFormat.HostTag.false.rawValue: done = .bool(false)
            case SnapshotFormat.HostTag.true.rawValue: done = .bool(true)
            case SnapshotFormat.HostTag.number.rawValue: done = .number(Double(bitPattern: try r.u64()))
            case SnapshotFormat.HostTag.string.rawValue: done = .string(try r.string())
            case SnapshotFormat.HostTag.array.rawValue, SnapshotFormat.HostTag.object.rawValue:
                let isArray = tag == SnapshotFormat.HostTag.array.rawValue
                let n = try r.count(minBytes: isArray ? 1 : 2, "host value element")
                guard open.count < SnapshotFormat.maxHostDepth else { throw .malformed("host value nested deeper than \(SnapshotFormat.maxHostDepth)") }
                if n > 0 {
                    if isArray {
                        var a: [HostValue] = []; a.reserveCapacity(n)
                        open.append(.array(a, n))
                    } else {
                        var o: [(String, HostValue)] = []; o.reserveCapacity(n)
                        open.append(.object(o, n, try r.string()))
                    }
                    continue
                }
                done = isArray ? .array([]) : .object([])
            default:
                throw .malformed("unknown host value tag \(tag)")
            }
            // Close containers that are complete.
            while true {
                guard let top = open.popLast() else { return done }
                switch top {
                case .array(var a, let n):
                    a.append(done)
                    if a.count == n { done = .array(a); continue }
                    open.append(.array(a, n))
                case .object(var o, let n, let key):
                    o.append((key, done))
                    if o.count == n { done = .object(o); continue }
                    open.append(.object(o, n, try r.string()))
                }
                break
            }
        }
    }

    // MARK: Cross-reference validation

    func liveObject(_ v: Value) -> Bool {
        if case .object(let o) = v { return s.heap.objects[o.index].cls != .free }
        return true
    }

    mutating func validateHeap() throws(SnapshotError) {
        let objects = s.heap.objects
        let n = objects.count
        func live(_ id: ObjectID) -> Bool { !id.isNone && objects[id.index].cls != .free }
        func cls(_ id: ObjectID) -> ObjectClass { objects[id.index].cls }
        for i in 1..<n {
            if objects[i].cls == .free { continue }
            // In place (no JSObject copies): scalar fields, then the arrays through pointers.
            let oc = objects[i].cls, proto = objects[i].proto, link = objects[i].link
            let slot0 = objects[i].slot0, slot1 = objects[i].slot1
            guard proto.isNone || live(proto) else { throw .malformed("object \(i): prototype \(proto.raw) is not a live object") }
            guard link.isNone || live(link) else { throw .malformed("object \(i): link \(link.raw) is not a live object") }
            try objects[i].values.withUnsafeBufferPointer { (values) throws(SnapshotError) in
                try objects[i].attributes.withUnsafeBufferPointer { (attrs) throws(SnapshotError) in
                    for k in 0..<values.count {
                        guard case .object(let a) = values[k] else { continue }
                        guard objects[a.index].cls != .free else { throw .malformed("object \(i): property value refers to a free object") }
                        if attrs[k].contains(.accessor), objects[a.index].cls != .accessorPair {
                            throw .malformed("object \(i): accessor property whose value is not an accessor pair")
                        }
                    }
                }
            }
            try objects[i].elements.withUnsafeBufferPointer { (elements) throws(SnapshotError) in
                for v in elements {
                    if case .object(let a) = v, objects[a.index].cls == .free { throw .malformed("object \(i): element refers to a free object") }
                }
            }
            guard liveObject(slot0), liveObject(slot1) else { throw .malformed("object \(i): slot refers to a free object") }
            let o = (cls: oc, link: link, slot0: slot0, slot1: slot1)
            switch o.cls {
            case .closure:
                guard o.link.isNone || cls(o.link) == .environment else { throw .malformed("closure \(i): captured environment is not an environment") }
            case .environment:
                guard o.link.isNone || cls(o.link) == .environment else { throw .malformed("environment \(i): parent is not an environment") }
            case .bound:
                guard !o.link.isNone else { throw .malformed("bound function \(i) without a target") }
            case .booleanWrapper:
                guard case .bool = o.slot0 else { throw .malformed("Boolean wrapper \(i) without a boolean") }
            case .numberWrapper:
                guard case .number = o.slot0 else { throw .malformed("Number wrapper \(i) without a number") }
            case .stringWrapper:
                guard case .string = o.slot0 else { throw .malformed("String wrapper \(i) without a string") }
            case .accessorPair:
                guard o.slot0.isUndefined || o.slot0.isObject, o.slot1.isUndefined || o.slot1.isObject else {
                    throw .malformed("accessor pair \(i): getter/setter is not a function")
                }
            case .ordinary:
                // for-in / for-of iterators keep their position in slot0.
                if case .number(let d) = o.slot0, !(d >= 0 && d <= 4_294_967_296 && d == d.rounded()) {
                    throw .malformed("object \(i): iterator position \(d)")
                }
            default: break
            }
        }
        try acyclic("prototype") { objects[$0].proto }
        try acyclic("environment") { objects[$0].cls == .environment || objects[$0].cls == .closure ? objects[$0].link : .none }
        try acyclic("bound function") { objects[$0].cls == .bound ? objects[$0].link : .none }

        for (k, v) in s.stack.enumerated() where !liveObject(v) { throw .malformed("stack[\(k)] refers to a free object") }
        guard liveObject(s.completionValue) else { throw .malformed("completion value refers to a free object") }
        if let t = s.pendingThrow, !liveObject(t) { throw .malformed("pending throw refers to a free object") }
        for (k, id) in s.realm.enumerated() where !id.isNone && !live(id) { throw .malformed("realm[\(k)] is not a live object") }
        if cls(s.realm[Intrinsic.global.rawValue]) != .ordinary { throw .malformed("the global object is not an ordinary object") }
    }

    /// Refuses cycles along `next` (prototype chains, environment chains, bound targets):
    /// the engine walks those chains in loops that would never end.
    func acyclic(_ what: String, _ next: (Int) -> ObjectID) throws(SnapshotError) {
        var state = [UInt8](repeating: 0, count: s.heap.objects.count) // 0 new, 1 on path, 2 done
        var path: [Int] = []
        for start in 1..<state.count where state[start] == 0 {
            var i = start
            while true {
                if state[i] == 1 { throw .malformed("\(what) chain of object \(i) is cyclic") }
                if state[i] == 2 { break }
                state[i] = 1
                path.append(i)
                let n = next(i)
                if n.isNone { break }
                i = n.index
            }
            for j in path { state[j] = 2 }
            path.removeAll(keepingCapacity: true)
        }
    }

    /// Frames lie on the value stack bottom-up: `[callee this registers… operands…]`, each
    /// callee slot inside its caller's operand area, the top frame ending at `sp`.
    mutating func validateFrames() throws(SnapshotError) {
        let sp = s.stack.count
        var floor = 0
        var headroom = 0
        for (k, f) in s.frames.enumerated() {
            let fn = Int(f.function)
            let base = Int(f.base)
            let regs = code.registerCount[fn]
            guard base - 2 >= floor else { throw .malformed("frame \(k): base \(base) overlaps the frame below") }
            let top = k + 1 < s.frames.count ? Int(s.frames[k + 1].base) - 2 : sp
            guard base + regs <= top else { throw .malformed("frame \(k): registers \(base)..<\(base + regs) exceed the stack (\(top))") }
            guard f.env.isNone || s.heap.objects[f.env.index].cls == .environment else {
                throw .malformed("frame \(k): environment \(f.env.raw) is not an environment")
            }
            // The bottom frame is a unit's top level or the `main(args)` call; the frames
            // above it return into a caller (the interpreter relies on both).
            if k == 0 {
                guard f.flags == .main || (f.flags == .script && code.unitEntries.contains(fn)) else {
                    throw .malformed("frame 0: flags \(f.flags.rawValue) on function \(fn) (the bottom frame runs a script's top level or main)")
                }
            } else if f.flags.contains(.script) || f.flags.contains(.main) {
                throw .malformed("frame \(k): script or main flag above the bottom frame")
            }
            headroom = max(headroom, regs + code.maxStack[fn] + 16)
            floor = base + regs
        }
        s.stackHeadroom = headroom
    }
}
