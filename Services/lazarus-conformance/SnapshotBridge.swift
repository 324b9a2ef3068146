import LazarusEngine

// MARK: - SnapshotBridge: `--restore-every` through the snapshot codec

/// Encode → bytes → decode into a fresh VM, the step `--restore-every N` takes every N
/// instructions (as `lazarus run --restore-every` does).
enum SnapshotBridge {
    /// Whether a snapshot codec is linked (false would mean `--restore-every` only slices
    /// the run at the same instruction boundaries and continues in the same VM).
    static let isAvailable = true

    /// Serializes `vm` and returns a VM decoded from those bytes (the old one is dropped).
    /// Collects garbage first, as the script executor does before every continuation (a
    /// loop building a string would otherwise re-encode every discarded string each time).
    /// Codec refusals (`SnapshotError`) propagate: the test fails with the codec's message.
    static func roundTrip(_ vm: VM, program: CompiledProgram, limits: EngineLimits) throws -> VM {
        if vm.heap.allocationsSinceGC > 0 { vm.collectGarbage() }
        let bytes = try vm.encodeSnapshot()
        return try VM.restore(from: bytes, program: program, limits: limits, consoleMode: vm.consoleMode)
    }
}
