// MARK: - Snapshot encoder: VM state → canonical bytes
//
// Canonical by construction: everything is written in id order (strings, objects), then
// the stack bottom-up, frames bottom-up, the realm by intrinsic index. Derived caches
// (atom table, object `index`, inline caches, linked code) are not written. The heap is
// addressed by ids, so no graph traversal is needed: the writer is a set of loops
// (no recursion however deep or cyclic the object graph is); the only trees, host
// values, are written with an explicit work stack.

/// Little-endian byte sink with LEB128 varints and tagged values, writing into a raw
/// buffer that doubles when full (no per-byte `Array.append` overhead).
final class SnapshotWriter {
    @exclusivity(unchecked) private var p: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 256)
        p = .allocate(capacity: self.capacity)
    }

    deinit { p.deallocate() }

    /// The bytes written so far.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: p, count: count)) }

    @inline(never) private func grow(_ extra: Int) {
        var cap = capacity * 2
        while cap < count + extra { cap *= 2 }
        let n = UnsafeMutablePointer<UInt8>.allocate(capacity: cap)
        n.update(from: p, count: count)
        p.deallocate()
        p = n
        capacity = cap
    }

    @inline(__always) func reserve(_ n: Int) { if count + n > capacity { grow(n) } }

    @inline(__always) func u8(_ v: UInt8) {
        reserve(1)
        p[count] = v
        count += 1
    }

    func append(contentsOf b: [UInt8]) {
        reserve(b.count)
        b.withUnsafeBufferPointer { (p + count).update(from: $0.baseAddress!, count: b.count) }
        count += b.count
    }

    func append(_ b: UnsafeBufferPointer<UInt8>) {
        guard let src = b.baseAddress, b.count > 0 else { return }
        reserve(b.count)
        (p + count).update(from: src, count: b.count)
        count += b.count
    }

    /// Overwrites a byte already written (length and checksum patches).
    func patch(_ offset: Int, _ v: UInt8) { p[offset] = v }

    func checksum(from start: Int) -> UInt32 {
        CRC32C.checksum(UnsafeBufferPointer(start: p + start, count: count - start))
    }

    func u16(_ v: UInt16) { u8(UInt8(truncatingIfNeeded: v)); u8(UInt8(truncatingIfNeeded: v >> 8)) }

    func u32(_ v: UInt32) {
        reserve(4)
        for i in 0..<4 { p[count + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) }
        count += 4
    }

    func u64(_ v: UInt64) {
        reserve(8)
        for i in 0..<8 { p[count + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
        count += 8
    }

    /// Unsigned LEB128.
    @inline(__always) func uleb(_ v: UInt64) {
        reserve(10)
        var v = v
        while v >= 0x80 {
            p[count] = UInt8(truncatingIfNeeded: v) | 0x80
            count += 1
            v >>= 7
        }
        p[count] = UInt8(v)
        count += 1
    }

    /// Latin-1 units, one byte each (the caller checked every unit is ≤ 0xFF).
    func latin1(_ units: UnsafeBufferPointer<UInt16>) {
        reserve(units.count)
        for (k, u) in units.enumerated() { p[count + k] = UInt8(truncatingIfNeeded: u) }
        count += units.count
    }

    /// UTF-16 units, two bytes each, little-endian.
    func utf16(_ units: UnsafeBufferPointer<UInt16>) {
        reserve(2 * units.count)
        for (k, u) in units.enumerated() {
            p[count + 2 * k] = UInt8(truncatingIfNeeded: u)
            p[count + 2 * k + 1] = UInt8(truncatingIfNeeded: u >> 8)
        }
        count += 2 * units.count
    }

    @inline(__always) func uleb(_ v: Int) { uleb(UInt64(max(0, v))) }
    @inline(__always) func uleb(_ v: UInt32) { uleb(UInt64(v)) }

    /// Signed LEB128 via zigzag.
    func sleb(_ v: Int) { uleb(UInt64(bitPattern: Int64((v << 1) ^ (v >> 63)))) }

    /// UTF-8 string with a uleb length.
    func string(_ s: String) {
        var s = s
        s.withUTF8 { u in
            uleb(u.count)
            append(u)
        }
    }

    @inline(__always) func value(_ v: Value) {
        switch v {
        case .undefined: u8(SnapshotFormat.Tag.undefined.rawValue)
        case .null: u8(SnapshotFormat.Tag.null.rawValue)
        case .bool(let b): u8(b ? SnapshotFormat.Tag.true.rawValue : SnapshotFormat.Tag.false.rawValue)
        case .empty: u8(SnapshotFormat.Tag.empty.rawValue)
        case .string(let s): u8(SnapshotFormat.Tag.string.rawValue); uleb(s.raw)
        case .object(let o): u8(SnapshotFormat.Tag.object.rawValue); uleb(o.raw)
        case .number(let d): number(d)
        }
    }

    @inline(__always) func number(_ d: Double) {
        let limit = 9_007_199_254_740_992.0 // 2^53
        if d == d.rounded(.towardZero), abs(d) < limit, !(d == 0 && d.sign == .minus) {
            if d >= 0 {
                u8(SnapshotFormat.Tag.uint.rawValue); uleb(UInt64(d))
            } else {
                u8(SnapshotFormat.Tag.negint.rawValue); uleb(UInt64(-d))
            }
        } else {
            u8(SnapshotFormat.Tag.double.rawValue); u64(d.bitPattern)
        }
    }

    /// A host value, iteratively (explicit stack: nesting depth costs heap, not Swift stack).
    func hostValue(_ root: HostValue) {
        enum Item { case value(HostValue), key(String) }
        var work: [Item] = [.value(root)]
        while let item = work.popLast() {
            switch item {
            case .key(let k): string(k)
            case .value(let v):
                switch v {
                case .null: u8(SnapshotFormat.HostTag.null.rawValue)
                case .bool(let b): u8(b ? SnapshotFormat.HostTag.true.rawValue : SnapshotFormat.HostTag.false.rawValue)
                case .number(let d): u8(SnapshotFormat.HostTag.number.rawValue); u64(d.bitPattern)
                case .string(let s): u8(SnapshotFormat.HostTag.string.rawValue); string(s)
                case .array(let a):
                    u8(SnapshotFormat.HostTag.array.rawValue); uleb(a.count)
                    for e in a.reversed() { work.append(.value(e)) }
                case .object(let pairs):
                    u8(SnapshotFormat.HostTag.object.rawValue); uleb(pairs.count)
                    for (k, e) in pairs.reversed() { work.append(.value(e)); work.append(.key(k)) }
                }
            }
        }
    }

    /// Starts a section: tag and a 4-byte length patched by `endSection`.
    func beginSection(_ s: SnapshotFormat.Section) -> Int {
        u8(s.rawValue)
        u32(0)
        return count
    }

    func endSection(_ start: Int) {
        let n = UInt32(truncatingIfNeeded: count - start)
        for i in 0..<4 { patch(start - 4 + i, UInt8(truncatingIfNeeded: n >> (8 * UInt32(i)))) }
    }
}

enum SnapshotEncoder {
    /// `baseline`: the fresh-VM heap to write the cells against (nil: write every cell).
    static func encode(_ vm: VM, limits: SnapshotLimits,
                       baseline: SnapshotBaseline? = SnapshotBaseline.current) throws(SnapshotError) -> [UInt8] {
        let heap = vm.heap
        guard vm.programHash.count == 32 else {
            throw .malformed("the VM has no program loaded (load or restore one before taking a snapshot)")
        }
        if heap.objects.count > limits.maxHeapObjects {
            throw .tooLarge("\(heap.objects.count) heap objects, the cap is \(limits.maxHeapObjects)")
        }
        if heap.strings.count > limits.maxStrings {
            throw .tooLarge("\(heap.strings.count) heap strings, the cap is \(limits.maxStrings)")
        }
        if vm.frames.count > limits.maxStackDepth {
            throw .tooLarge("\(vm.frames.count) frames, the cap is \(limits.maxStackDepth)")
        }
        if vm.sp > limits.maxStackValues {
            throw .tooLarge("\(vm.sp) stack values, the cap is \(limits.maxStackValues)")
        }

        let w = SnapshotWriter(capacity: SnapshotFormat.headerSize + heap.objects.count * 24 + heap.strings.count * 12 + 4096)
        // Header; payload length and checksum are patched at the end.
        w.append(contentsOf: SnapshotFormat.magic)
        w.u16(SnapshotFormat.version)
        w.u16(UInt16(SnapshotFormat.headerSize))
        w.u32(engineABIVersion)
        w.u64(SnapshotFormat.floatCheckBits)
        w.append(contentsOf: vm.programHash)
        w.u64(0)
        w.u32(0)
        precondition(w.count == SnapshotFormat.headerSize)

        var s = w.beginSection(.baseline)
        if let baseline {
            w.u8(SnapshotFormat.BaselineKind.freshRealm)
            w.append(contentsOf: baseline.fingerprint)
            w.uleb(baseline.objectCount)
            w.uleb(baseline.stringCount)
        } else {
            w.u8(SnapshotFormat.BaselineKind.none)
        }
        w.endSection(s)

        writeHeapCells(w, heap: heap, baseline: baseline)

        // Free lists, in list order (allocation pops from the end).
        s = w.beginSection(.freeLists)
        w.uleb(heap.freeObjects.count)
        for id in heap.freeObjects { w.uleb(id) }
        w.uleb(heap.freeStrings.count)
        for id in heap.freeStrings { w.uleb(id) }
        w.endSection(s)

        // Value stack, bottom first.
        s = w.beginSection(.stack)
        w.uleb(vm.sp)
        for i in 0..<vm.sp { w.value(vm.stack[i]) }
        w.endSection(s)

        // Frames, bottom first.
        s = w.beginSection(.frames)
        w.uleb(vm.frames.count)
        for f in vm.frames {
            w.uleb(Int(f.function)); w.uleb(Int(f.pc)); w.uleb(Int(f.base)); w.uleb(f.env.raw); w.uleb(Int(f.argc))
            w.u8(f.flags.rawValue)
        }
        w.endSection(s)

        s = w.beginSection(.realm)
        w.uleb(vm.realm.count)
        for id in vm.realm { w.uleb(id.raw) }
        w.endSection(s)

        s = w.beginSection(.runtime)
        w.uleb(vm.hostCallSeq)
        w.uleb(vm.instructionCount)
        w.u64(vm.prngState)
        w.uleb(heap.allocationsSinceGC)
        w.uleb(heap.bytesSinceGC)
        w.uleb(heap.liveObjects)
        w.uleb(heap.liveBytes)
        w.endSection(s)

        s = w.beginSection(.status)
        w.u8(vm.status.rawValue)
        var present: UInt8 = 0
        if vm.pendingHostCall != nil { present |= 1 }
        if vm.pendingThrow != nil { present |= 2 }
        if vm.mainArguments != nil { present |= 4 }
        if vm.failure != nil { present |= 8 }
        w.u8(present)
        w.value(vm.completionValue)
        if let p = vm.pendingHostCall {
            w.uleb(p.seq)
            w.string(p.name)
            w.uleb(p.arguments.count)
            for a in p.arguments { w.hostValue(a) }
        }
        if let t = vm.pendingThrow { w.value(t) }
        if let m = vm.mainArguments { w.hostValue(m) }
        if let f = vm.failure {
            w.string(f.name)
            w.string(f.message)
            w.uleb(f.stack.count)
            for fr in f.stack { w.string(fr.function); w.sleb(fr.line); w.sleb(fr.column) }
            if let t = f.thrownValue { w.u8(1); w.hostValue(t) } else { w.u8(0) }
        }
        w.endSection(s)

        s = w.beginSection(.output)
        w.uleb(vm.output.count)
        for line in vm.output { w.string(line) }
        w.endSection(s)

        // Patch payload length and checksum.
        let payload = w.count - SnapshotFormat.headerSize
        if w.count > limits.maxBytes {
            throw .tooLarge("\(w.count) bytes, the cap is \(limits.maxBytes)")
        }
        let crc = w.checksum(from: SnapshotFormat.headerSize)
        for i in 0..<8 { w.patch(52 + i, UInt8(truncatingIfNeeded: UInt64(payload) >> (8 * UInt64(i)))) }
        for i in 0..<4 { w.patch(60 + i, UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i)))) }
        return w.bytes
    }

    /// The natives, strings and objects sections. With a baseline, cells in the same state
    /// as the baseline's are written as runs (`unchangedRun` and a count) and the natives
    /// section lists only the natives of the objects written out.
    static func writeHeapCells(_ w: SnapshotWriter, heap: Heap, baseline: SnapshotBaseline?) {
        let objs = heap.objects, strs = heap.strings // CellStore: indexed in place, no element copies
        // Which objects the baseline covers (computed once: the natives and objects passes need it).
        let unchangedObject = baseline?.unchangedObjects(in: objs) ?? []
        let unchangedString = baseline?.unchangedStrings(in: strs) ?? []
        @inline(__always) func written(_ i: Int) -> Bool { i >= unchangedObject.count || !unchangedObject[i] }

        // Natives used by the written objects, in order of first appearance (object id order).
        var nativeSlot = [Int32](repeating: -1, count: Natives.table.count)
        var nativeNames: [Int] = []
        for i in 1..<max(1, objs.count) where objs[i].cls == .native && written(i) {
            let code = Int(objs[i].code)
            if code < nativeSlot.count, nativeSlot[code] < 0 {
                nativeSlot[code] = Int32(nativeNames.count)
                nativeNames.append(code)
            }
        }
        var s = w.beginSection(.natives)
        w.uleb(nativeNames.count)
        for code in nativeNames { w.string(Natives.table[code].name) }
        w.endSection(s)

        // Strings: one record (or a share of a run) per slot 1..<count (slot 0 is the reserved dummy).
        s = w.beginSection(.strings)
        w.uleb(heap.strings.count)
        var run = 0
        for i in 1..<max(1, strs.count) {
            if i < unchangedString.count && unchangedString[i] { run += 1; continue }
            if run > 0 { w.u8(SnapshotFormat.StringBits.unchangedRun); w.uleb(run); run = 0 }
            writeString(w, strs.buffer.base + i, id: i)
        }
        if run > 0 { w.u8(SnapshotFormat.StringBits.unchangedRun); w.uleb(run) }
        w.endSection(s)

        // Objects: one record (or a share of a run) per slot 1..<count.
        s = w.beginSection(.objects)
        w.uleb(heap.objects.count)
        run = 0
        for i in 1..<max(1, objs.count) {
            if !written(i) { run += 1; continue }
            if run > 0 { w.u8(SnapshotFormat.unchangedObjectRun); w.uleb(run); run = 0 }
            writeObject(w, objs.buffer.base + i, nativeSlot: nativeSlot)
        }
        if run > 0 { w.u8(SnapshotFormat.unchangedObjectRun); w.uleb(run) }
        w.endSection(s)
    }

    static func writeString(_ w: SnapshotWriter, _ str: UnsafePointer<JSString>, id i: Int) {
        let gcBits = str.pointee.gcBits, atom = str.pointee.atom
        if gcBits & Heap.freeBit != 0 { w.u8(SnapshotFormat.StringBits.free); return }
        var bits: UInt8 = 0
        if gcBits & Heap.pinnedBit != 0 { bits |= SnapshotFormat.StringBits.pinned }
        if atom == UInt32(i) { bits |= SnapshotFormat.StringBits.selfAtom }
        else if atom != 0 { bits |= SnapshotFormat.StringBits.atomRef }
        str.pointee.units.withUnsafeBufferPointer { units in
            var latin1 = true
            for u in units where u > 0xFF { latin1 = false; break }
            if latin1 { bits |= SnapshotFormat.StringBits.latin1 }
            w.u8(bits)
            if bits & SnapshotFormat.StringBits.atomRef != 0 { w.uleb(atom) }
            w.uleb(units.count)
            if latin1 { w.latin1(units) } else { w.utf16(units) }
        }
    }

    static func writeObject(_ w: SnapshotWriter, _ object: UnsafePointer<JSObject>, nativeSlot: [Int32]) {
        let cls = object.pointee.cls
        w.u8(cls.rawValue)
        if cls == .free { return }
        w.u8(object.pointee.flags.subtracting(.marked).rawValue)
        let proto = object.pointee.proto, code = object.pointee.code, link = object.pointee.link
        let slot0 = object.pointee.slot0, slot1 = object.pointee.slot1
        var has: UInt8 = 0
        if !proto.isNone { has |= SnapshotFormat.Has.proto }
        if !object.pointee.keys.isEmpty { has |= SnapshotFormat.Has.props }
        if !object.pointee.elements.isEmpty { has |= SnapshotFormat.Has.elements }
        if code != 0 || cls == .native { has |= SnapshotFormat.Has.code }
        if !link.isNone { has |= SnapshotFormat.Has.link }
        if !slot0.isUndefined { has |= SnapshotFormat.Has.slot0 }
        if !slot1.isUndefined { has |= SnapshotFormat.Has.slot1 }
        w.u8(has)
        if has & SnapshotFormat.Has.proto != 0 { w.uleb(proto.raw) }
        if has & SnapshotFormat.Has.props != 0 {
            object.pointee.keys.withUnsafeBufferPointer { keys in
                object.pointee.values.withUnsafeBufferPointer { values in
                    object.pointee.attributes.withUnsafeBufferPointer { attrs in
                        let n = min(keys.count, values.count, attrs.count)
                        w.uleb(n)
                        for k in 0..<n {
                            w.uleb(keys[k].raw)
                            w.u8(attrs[k].rawValue)
                            w.value(values[k])
                        }
                    }
                }
            }
        }
        if has & SnapshotFormat.Has.elements != 0 {
            object.pointee.elements.withUnsafeBufferPointer { els in
                w.uleb(els.count)
                for v in els { w.value(v) }
            }
        }
        if has & SnapshotFormat.Has.code != 0 {
            if cls == .native {
                let c = Int(code)
                w.uleb(c < nativeSlot.count ? Int(nativeSlot[c]) : 0)
            } else {
                w.uleb(code)
            }
        }
        if has & SnapshotFormat.Has.link != 0 { w.uleb(link.raw) }
        if has & SnapshotFormat.Has.slot0 != 0 { w.value(slot0) }
        if has & SnapshotFormat.Has.slot1 != 0 { w.value(slot1) }
    }
}
