// MARK: - Garbage collection at safe points, heap governance

extension VM {
    var gcByteInterval: Int { max(32 << 20, heap.liveBytes) }

    /// Collects when allocation counters say so; then enforces the heap limits with a
    /// catchable `RangeError`. Called only at instruction boundaries where every live
    /// value is in a root (value stack, frames, realm, completion/pending values).
    func collectAtSafePoint() throws {
        let threshold = max(limits.gcAllocationInterval, heap.liveObjects)
        guard heap.allocationsSinceGC > threshold || heap.bytesSinceGC > gcByteInterval else { return }
        collectGarbage()
        if heap.liveBytes > limits.maxHeapBytes || heap.liveObjects > limits.maxHeapCells {
            throw rangeError("heap limit exceeded (\(heap.liveObjects) cells, ~\(heap.liveBytes >> 20) MiB live)")
        }
    }

    /// Full mark-sweep from the VM roots.
    public func collectGarbage() {
        var rootValues = Array(UnsafeBufferPointer(start: stack, count: sp))
        rootValues.append(completionValue)
        if let t = pendingThrow { rootValues.append(t) }
        var rootObjects = realm
        for f in frames { rootObjects.append(f.env) }
        heap.collect(rootValues: rootValues, rootObjects: rootObjects)
    }
}
