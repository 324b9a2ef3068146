import Foundation
import LazarusEngine
import LazarusService

// MARK: - The one place the executor touches the snapshot format

/// Turns a suspended VM into continuation bytes and back (DESIGN.md "Wire format": magic,
/// version, program hash, checksum, VM state). Everything else in the executor goes through
/// this protocol, so plugging in the engine's codec is a change to this file only.
protocol ContinuationCodec: Sendable {
    /// A short name for logs (`engine`, `unavailable`).
    var name: String { get }

    /// The state of `vm`: suspended in a host call (`status == .awaitingHost`), or between
    /// two instructions after an exhausted budget. May collect `vm`'s garbage first (not
    /// observable by the script).
    /// - Throws: ``ContinuationError`` (too large, codec missing…).
    func encode(_ vm: VM) throws(ContinuationError) -> Data

    /// A new VM in the state `bytes` describe, linked to `program`. Refuses bytes taken
    /// from another program (hash mismatch), a corrupt checksum or an unknown version.
    func decode(_ bytes: Data, program: CompiledProgram, limits: EngineLimits,
                consoleMode: ConsoleMode) throws(ContinuationError) -> VM
}

/// Why a VM could not be encoded or restored. The message ends up in the job's `failed` event.
struct ContinuationError: Error, Sendable, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// The codec this build uses: the engine's snapshot format (docs/SNAPSHOT.md), signed with
/// the deployment's key when there is one.
func continuationCodec(signer: SnapshotSigner?) -> any ContinuationCodec {
    signer.map { SignedContinuationCodec(inner: EngineContinuationCodec(), signer: $0) } ?? EngineContinuationCodec()
}

/// `inner`'s continuations with an HMAC-SHA256 code appended, checked before `inner` sees
/// the bytes (`SnapshotSigner`).
struct SignedContinuationCodec: ContinuationCodec {
    let inner: any ContinuationCodec
    let signer: SnapshotSigner

    var name: String { "\(inner.name)+hmac-sha256" }

    func encode(_ vm: VM) throws(ContinuationError) -> Data {
        Data(signer.sign(Array(try inner.encode(vm))))
    }

    func decode(_ bytes: Data, program: CompiledProgram, limits: EngineLimits,
                consoleMode: ConsoleMode) throws(ContinuationError) -> VM {
        let snapshot: ArraySlice<UInt8>
        do {
            snapshot = try signer.verify(Array(bytes))
        } catch {
            throw ContinuationError(error.message)
        }
        return try inner.decode(Data(snapshot), program: program, limits: limits, consoleMode: consoleMode)
    }
}

/// The engine's codec: `VM.encodeSnapshot` / `VM.restore` (docs/ENGINE.md "restore recipe").
struct EngineContinuationCodec: ContinuationCodec {
    var name: String { "engine" }

    func encode(_ vm: VM) throws(ContinuationError) -> Data {
        // Garbage since the last collection (every host call's result, temporaries) would
        // travel with every continuation and be stored with every snapshot: a writer
        // script carried ~10 KB of old results after 100 calls. A collection walks the whole
        // live heap (the realm is most of it), which at every snapshot cost more CPU than
        // encoding the state, so it runs once the allocations since the last one reach
        // 1/32 of the live cells. Both suspension points are safe points (every live value
        // is in a root the snapshot writes).
        let allocated = vm.heap.allocationsSinceGC
        if allocated > 0, allocated * 32 >= vm.heap.liveObjects { vm.collectGarbage() }
        do {
            return Data(try vm.encodeSnapshot())
        } catch {
            throw ContinuationError("cannot save the script's state: \(error)")
        }
    }

    func decode(_ bytes: Data, program: CompiledProgram, limits: EngineLimits,
                consoleMode: ConsoleMode) throws(ContinuationError) -> VM {
        do {
            return try VM.restore(from: Array(bytes), program: program, limits: limits, consoleMode: consoleMode)
        } catch {
            throw ContinuationError("cannot restore the script's state: \(error)")
        }
    }
}
