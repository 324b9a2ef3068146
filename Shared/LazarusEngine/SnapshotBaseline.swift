import LazarusDigest
// MARK: - Snapshot baseline: the heap every VM starts from
//
// A fresh VM (realm, natives, prelude run) holds ~1,000 objects and ~2,000 strings before
// the script allocates anything, and every VM built by the same engine holds exactly the
// same ones under the same ids. A script changes few of them, so a snapshot writes only
// the cells that differ from this baseline and marks the rest as runs of "unchanged";
// restoring starts from the baseline's cells. A continuation of a small script shrinks
// from ~21 KB to a few hundred bytes (docs/SNAPSHOT.md, "Baseline").
//
// The baseline is rebuilt in each process (never stored), so a snapshot names the one it
// was written against by a fingerprint of its canonical encoding; a reader with another
// baseline refuses it instead of misreading it.

/// The heap of a freshly created VM, shared by the snapshot writer and reader.
struct SnapshotBaseline: Sendable {
    let objects: CellStore<JSObject>
    let strings: CellStore<JSString>
    /// SHA-256 prefix of the baseline heap's full (baseline-free) encoding.
    let fingerprint: [UInt8]

    static let fingerprintSize = 16

    /// This engine's baseline, or nil when no VM can be created (then snapshots are written
    /// whole).
    static let current: SnapshotBaseline? = try? SnapshotBaseline()

    private init() throws {
        let heap = try VM().heap
        objects = heap.objects
        strings = heap.strings
        let w = SnapshotWriter(capacity: heap.objects.count * 24 + heap.strings.count * 12)
        SnapshotEncoder.writeHeapCells(w, heap: heap, baseline: nil)
        fingerprint = Array(SHA256.hash(w.bytes).prefix(Self.fingerprintSize))
    }

    var objectCount: Int { objects.count }
    var stringCount: Int { strings.count }

    /// Gives every cell of `heap` that is in the baseline's state the baseline's own arrays
    /// (equal contents, so nothing a script can observe changes). A fresh VM builds its realm
    /// in arrays of its own, and `unchangedObjects`/`unchangedStrings` then compared every
    /// baseline object and string element by element at every snapshot — most of the cost
    /// of encoding a small script's state; shared buffers compare by identity. A cell the script
    /// changes later gets a copy of its own (copy-on-write), as it would anyway.
    func shareStorage(with heap: inout Heap) {
        let objectCount = min(objects.count, heap.objects.count)
        let base = objects.buffer.base
        for i in 1..<max(1, objectCount) where JSObject.sameState(heap.objects.buffer.base + i, base + i) {
            heap.objects[i].keys = base[i].keys
            heap.objects[i].values = base[i].values
            heap.objects[i].attributes = base[i].attributes
            heap.objects[i].elements = base[i].elements
        }
        let stringCount = min(strings.count, heap.strings.count)
        let baseStrings = strings.buffer.base
        for i in 1..<max(1, stringCount) where heap.strings[i].units == baseStrings[i].units {
            heap.strings[i].units = baseStrings[i].units
        }
    }

    /// For each object slot below both tables' ends: whether `heap` holds the baseline's
    /// cell there (slot 0 is never unchanged). Compares in place, copying no cell.
    func unchangedObjects(in heap: CellStore<JSObject>) -> [Bool] {
        let n = min(objects.count, heap.count)
        var unchanged = [Bool](repeating: false, count: n)
        let mine = heap.buffer.base, base = objects.buffer.base
        for i in 1..<max(1, n) { unchanged[i] = JSObject.sameState(mine + i, base + i) }
        return unchanged
    }

    func unchangedStrings(in heap: CellStore<JSString>) -> [Bool] {
        let n = min(strings.count, heap.count)
        var unchanged = [Bool](repeating: false, count: n)
        let mine = heap.buffer.base, base = strings.buffer.base
        for i in 1..<max(1, n) {
            let a = mine + i, b = base + i
            unchanged[i] = a.pointee.atom == b.pointee.atom
                && a.pointee.gcBits & ~Heap.markBit == b.pointee.gcBits & ~Heap.markBit
                && a.pointee.units == b.pointee.units
        }
        return unchanged
    }
}

extension JSObject {
    /// Equal in everything a snapshot writes (not the GC mark, not the lookup `index`).
    /// Numbers compare by bit pattern: `-0` differs from `0`, a NaN equals itself.
    static func sameState(_ a: UnsafePointer<JSObject>, _ b: UnsafePointer<JSObject>) -> Bool {
        a.pointee.cls == b.pointee.cls && a.pointee.flags.subtracting(.marked) == b.pointee.flags.subtracting(.marked)
            && a.pointee.proto == b.pointee.proto && a.pointee.code == b.pointee.code && a.pointee.link == b.pointee.link
            && a.pointee.slot0.identical(to: b.pointee.slot0) && a.pointee.slot1.identical(to: b.pointee.slot1)
            && a.pointee.keys == b.pointee.keys && a.pointee.attributes == b.pointee.attributes
            && Value.identical(a.pointee.values, b.pointee.values) && Value.identical(a.pointee.elements, b.pointee.elements)
    }
}

extension Value {
    /// Same value, same bits (unlike `==`, which follows IEEE 754 for numbers).
    @inline(__always) func identical(to b: Value) -> Bool {
        switch (self, b) {
        case (.number(let x), .number(let y)): return x.bitPattern == y.bitPattern
        case (.number, _), (_, .number): return false
        default: return self == b
        }
    }

    static func identical(_ a: [Value], _ b: [Value]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                if pa.baseAddress == pb.baseAddress { return true }
                for k in 0..<pa.count where !pa[k].identical(to: pb[k]) { return false }
                return true
            }
        }
    }
}
