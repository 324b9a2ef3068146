// MARK: - CellStore: the heap's arrays, accessed in place

/// A growable array of heap cells (`JSObject` or `JSString`) whose elements are read and
/// written **in place** through pointers: `heap.objects[i].keys.count` copies nothing.
/// (A plain `[JSObject]` behind a class property copies the whole element — and retains
/// all its arrays — on every read.)
///
/// Value semantics are kept with copy-on-write, so it behaves like an `Array` for the
/// snapshot codec (`append`, `count`, iteration, `init(_ array:)`, `Array(store)`).
public struct CellStore<Element>: RandomAccessCollection, MutableCollection, @unchecked Sendable {
    // @unchecked Sendable: the buffer is only mutated through a uniquely referenced
    // store (copy-on-write), like Array's storage.
    final class Buffer: @unchecked Sendable {
        @exclusivity(unchecked) var base: UnsafeMutablePointer<Element>
        @exclusivity(unchecked) var count: Int
        @exclusivity(unchecked) var capacity: Int
        init(capacity: Int) {
            self.capacity = Swift.max(capacity, 16)
            base = .allocate(capacity: self.capacity)
            count = 0
        }
        deinit {
            base.deinitialize(count: count)
            base.deallocate()
        }
        func copy() -> Buffer {
            let b = Buffer(capacity: capacity)
            b.base.initialize(from: base, count: count)
            b.count = count
            return b
        }
        func grow(to n: Int) {
            var cap = capacity
            while cap < n { cap *= 2 }
            let nb = UnsafeMutablePointer<Element>.allocate(capacity: cap)
            nb.moveInitialize(from: base, count: count)
            base.deallocate()
            base = nb
            capacity = cap
        }
    }

    var buffer: Buffer

    public init() { buffer = Buffer(capacity: 16) }
    public init<S: Sequence>(_ elements: S) where S.Element == Element {
        buffer = Buffer(capacity: 16)
        for e in elements { append(e) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { buffer.count }
    /// O(1) without going through the generic `distance(from:to:)` (which builds tuple
    /// metadata on every call in unspecialized code: it dominated snapshot decoding).
    public var count: Int { buffer.count }
    @inline(__always) public func index(after i: Int) -> Int { i + 1 }
    @inline(__always) public func index(before i: Int) -> Int { i - 1 }

    @inline(__always)
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&buffer) { buffer = buffer.copy() }
    }

    public subscript(i: Int) -> Element {
        @inline(__always) unsafeAddress {
            precondition(i >= 0 && i < buffer.count, "heap cell id out of range")
            return UnsafePointer(buffer.base + i)
        }
        @inline(__always) unsafeMutableAddress {
            precondition(i >= 0 && i < buffer.count, "heap cell id out of range")
            makeUnique()
            return buffer.base + i
        }
    }

    public mutating func append(_ e: consuming Element) {
        makeUnique()
        if buffer.count == buffer.capacity { buffer.grow(to: buffer.count + 1) }
        (buffer.base + buffer.count).initialize(to: e)
        buffer.count += 1
    }

    public mutating func reserveCapacity(_ n: Int) {
        makeUnique()
        if n > buffer.capacity { buffer.grow(to: n) }
    }

    public mutating func removeAll() {
        buffer = Buffer(capacity: 16)
    }
}
