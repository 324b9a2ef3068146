// MARK: - Heap: strings and objects addressed by integer ids

/// A JavaScript string: UTF-16 code units (so `length` and `charCodeAt` follow the spec).
public struct JSString: Sendable {
    public var units: [UInt16]
    /// If this string's content is interned, the atom id (maybe itself); 0 = not known yet.
    public var atom: UInt32
    /// Mark bit for the collector; bit 1 = pinned (never collected: program constants, builtin names).
    public var gcBits: UInt8
    public init(units: [UInt16], atom: UInt32 = 0, gcBits: UInt8 = 0) {
        self.units = units
        self.atom = atom
        self.gcBits = gcBits
    }
}

/// Key of the atom table: a string's units, hashed as one run of bytes (`[UInt16]`'s own
/// `hash(into:)` feeds the hasher one element at a time, which made interning — and
/// rebuilding the table on every snapshot restore — several times slower).
public struct AtomKey: Hashable, Sendable {
    public var units: [UInt16]
    @inline(__always) public init(_ units: [UInt16]) { self.units = units }
    @inline(__always) public static func == (a: AtomKey, b: AtomKey) -> Bool { a.units == b.units }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(units.count)
        units.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// The heap: all strings and objects of one VM, in arrays indexed by id, with free lists.
///
/// Canonical order is by id: a codec iterating `0..<objects.count` and `0..<strings.count`
/// (skipping free slots, `cls == .free` / `JSString.isFree`) sees identical states
/// identically. Id 0 of each array is a reserved dummy.
public struct Heap: Sendable {
    public var objects: CellStore<JSObject>
    public var strings: CellStore<JSString>
    public var freeObjects: [UInt32] = []
    public var freeStrings: [UInt32] = []
    /// Interned strings (atoms): content → id. Rebuilt from `strings` (entries whose
    /// `atom` equals their own id) after a restore; see `rebuildAtomTable()`.
    public var atomTable: [AtomKey: StringID] = [:]
    /// Allocations since the last collection (drives the GC trigger).
    public var allocationsSinceGC: Int = 0
    /// Rough bytes allocated since the last collection (element growth, string units).
    public var bytesSinceGC: Int = 0
    /// Live estimate after the last collection.
    public var liveObjects: Int = 0
    public var liveBytes: Int = 0

    public init() {
        var dummy = JSObject(cls: .free, proto: .none, flags: [])
        dummy.flags = []
        objects = CellStore([dummy])
        strings = CellStore([JSString(units: [], atom: 0, gcBits: 2)])
        objects.reserveCapacity(1024)
        strings.reserveCapacity(1024)
    }

    static let pinnedBit: UInt8 = 2
    static let markBit: UInt8 = 1
    static let freeBit: UInt8 = 4

    // MARK: Allocation

    @inline(__always)
    public mutating func allocate(_ object: JSObject) -> ObjectID {
        allocationsSinceGC &+= 1
        if let id = freeObjects.popLast() {
            objects[Int(id)] = object
            return ObjectID(id)
        }
        objects.append(object)
        return ObjectID(UInt32(objects.count - 1))
    }

    @inline(__always)
    public mutating func allocateString(_ units: [UInt16]) -> StringID {
        allocationsSinceGC &+= 1
        bytesSinceGC &+= units.count * 2 + 32
        if let id = freeStrings.popLast() {
            strings[Int(id)] = JSString(units: units)
            return StringID(id)
        }
        strings.append(JSString(units: units))
        return StringID(UInt32(strings.count - 1))
    }

    public mutating func allocateString(_ s: String) -> StringID {
        allocateString(Array(s.utf16))
    }

    // MARK: Atoms

    /// The interned string with these units (creating it if needed). Atoms compare by id.
    public mutating func intern(_ units: [UInt16]) -> StringID {
        let key = AtomKey(units)
        if let id = atomTable[key] { return id }
        let id = allocateString(units)
        strings[id.index].atom = id.raw
        atomTable[key] = id
        return id
    }

    public mutating func intern(_ s: String) -> StringID { intern(Array(s.utf16)) }

    /// Interns and pins (never collected): builtin property names, program constants.
    public mutating func internPinned(_ s: String) -> StringID { internPinned(units: Array(s.utf16)) }

    public mutating func internPinned(units: [UInt16]) -> StringID {
        let id = intern(units)
        strings[id.index].gcBits |= Heap.pinnedBit
        return id
    }

    /// The atom for an existing string (cached on the string).
    @inline(__always)
    public mutating func atom(of s: StringID) -> StringID {
        let a = strings[s.index].atom
        if a != 0 { return StringID(a) }
        let id = intern(strings[s.index].units)
        strings[s.index].atom = id.raw
        return id
    }

    public mutating func rebuildAtomTable() {
        atomTable = [:]
        atomTable.reserveCapacity(strings.count)
        for i in 1..<strings.count where strings[i].gcBits & Heap.freeBit == 0 && strings[i].atom == UInt32(i) {
            atomTable[AtomKey(strings[i].units)] = StringID(UInt32(i))
        }
    }

    // MARK: Access

    @inline(__always) public func units(_ s: StringID) -> [UInt16] { strings[s.index].units }
    public func string(_ s: StringID) -> String { String(decoding: strings[s.index].units, as: UTF16.self) }
    @inline(__always) public func isFree(string i: Int) -> Bool { strings[i].gcBits & Heap.freeBit != 0 }

    @inline(__always)
    public func stringsEqual(_ a: StringID, _ b: StringID) -> Bool {
        if a == b { return true }
        let sa = strings[a.index], sb = strings[b.index]
        if sa.atom != 0 && sa.atom == sb.atom { return true }
        return sa.units == sb.units
    }

    // MARK: Collection

    /// Mark-sweep from the given roots. Iterative (explicit worklist), so deep or
    /// cyclic graphs never recurse on the Swift stack.
    public mutating func collect(rootValues: [Value], rootObjects: [ObjectID]) {
        var work: [UInt32] = []
        work.reserveCapacity(256)
        func markValue(_ v: Value, _ work: inout [UInt32], _ heap: inout Heap) {
            switch v {
            case .string(let s): heap.markString(s)
            case .object(let o): if !o.isNone { work.append(o.raw) }
            default: break
            }
        }
        for v in rootValues { markValue(v, &work, &self) }
        for o in rootObjects where !o.isNone { work.append(o.raw) }
        while let raw = work.popLast() {
            let i = Int(raw)
            if objects[i].flags.contains(.marked) || objects[i].cls == .free { continue }
            objects[i].flags.insert(.marked)
            let p = objects[i].proto, l = objects[i].link
            if !p.isNone { work.append(p.raw) }
            if !l.isNone { work.append(l.raw) }
            for j in 0..<objects[i].keys.count { markString(objects[i].keys[j]) }
            for j in 0..<objects[i].values.count { markValue(objects[i].values[j], &work, &self) }
            for j in 0..<objects[i].elements.count { markValue(objects[i].elements[j], &work, &self) }
            markValue(objects[i].slot0, &work, &self)
            markValue(objects[i].slot1, &work, &self)
        }
        // Sweep objects.
        var live = 0, bytes = 0
        freeObjects.removeAll(keepingCapacity: true)
        for i in stride(from: objects.count - 1, through: 1, by: -1) {
            if objects[i].flags.contains(.marked) {
                objects[i].flags.remove(.marked)
                live += 1
                bytes += 96 + objects[i].keys.count * 24 + objects[i].elements.count * 16
            } else {
                if objects[i].cls != .free {
                    objects[i] = JSObject(cls: .free, proto: .none, flags: [])
                }
                freeObjects.append(UInt32(i))
            }
        }
        // Sweep strings.
        freeStrings.removeAll(keepingCapacity: true)
        for i in stride(from: strings.count - 1, through: 1, by: -1) {
            let bits = strings[i].gcBits
            if bits & (Heap.markBit | Heap.pinnedBit) != 0 {
                strings[i].gcBits = bits & ~Heap.markBit
                live += 1
                bytes += 32 + strings[i].units.count * 2
            } else {
                if bits & Heap.freeBit == 0 {
                    if strings[i].atom == UInt32(i) { atomTable[AtomKey(strings[i].units)] = nil }
                    strings[i] = JSString(units: [], atom: 0, gcBits: Heap.freeBit)
                }
                freeStrings.append(UInt32(i))
            }
        }
        liveObjects = live
        liveBytes = bytes
        allocationsSinceGC = 0
        bytesSinceGC = 0
    }

    @inline(__always)
    mutating func markString(_ s: StringID) {
        let i = s.index
        if strings[i].gcBits & Heap.markBit != 0 { return }
        strings[i].gcBits |= Heap.markBit
        let a = strings[i].atom
        if a != 0 && a != s.raw { strings[Int(a)].gcBits |= Heap.markBit }
    }
}
