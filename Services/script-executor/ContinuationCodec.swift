import Foundation
import LazarusEngine

// MARK: - The one place the executor touches the snapshot format

/// Turns a suspended VM into continuation bytes and back (DESIGN.md "Wire format": magic,
/// version, program hash, checksum, VM state). Everything else in the executor goes through
/// this protocol, so plugging in the engine's codec is a change to this file only.
protocol ContinuationCodec: Sendable {
    /// A short name for logs (`engine`, `unavailable`).
    var name: String { get }

    /// The state of `vm`: suspended in a host call (`status == .awaitingHost`), or between
    /// two instructions after an exhausted budget.
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

/// The codec this build uses.
///
/// **When the engine's snapshot codec is merged**, replace this line with
/// `let continuationCodec: any ContinuationCodec = EngineContinuationCodec()` and
/// uncomment `EngineContinuationCodec` below. Its two calls match the engine branch's
/// `VM.encodeSnapshot()` / `VM.restore(from:program:limits:consoleMode:)` (commit 1502b0e,
/// "Snapshot codec"): with them, every executor test passes, the snapshot ones included.
let continuationCodec: any ContinuationCodec = UnavailableContinuationCodec()

/// Stand-in until the engine's codec lands: every save point fails the job with a clear message.
struct UnavailableContinuationCodec: ContinuationCodec {
    var name: String { "unavailable" }

    func encode(_ vm: VM) throws(ContinuationError) -> Data {
        throw ContinuationError("snapshots not available in this build: the engine's snapshot codec is not merged yet, so this job cannot save its state (use no checkpoint/yieldScript/sleep and policy explicit)")
    }

    func decode(_ bytes: Data, program: CompiledProgram, limits: EngineLimits,
                consoleMode: ConsoleMode) throws(ContinuationError) -> VM {
        throw ContinuationError("snapshots not available in this build: cannot restore a \(bytes.count)-byte continuation until the engine's snapshot codec is merged")
    }
}

// The engine's codec (docs/ENGINE.md "restore recipe"), once it exists:
//
// struct EngineContinuationCodec: ContinuationCodec {
//     var name: String { "engine" }
//
//     func encode(_ vm: VM) throws(ContinuationError) -> Data {
//         do { return Data(try vm.encodeSnapshot()) } catch { throw ContinuationError("cannot save the script's state: \(error)") }
//     }
//
//     func decode(_ bytes: Data, program: CompiledProgram, limits: EngineLimits,
//                 consoleMode: ConsoleMode) throws(ContinuationError) -> VM {
//         do {
//             return try VM.restore(from: Array(bytes), program: program, limits: limits, consoleMode: consoleMode)
//         } catch {
//             throw ContinuationError("cannot restore the script's state: \(error)")
//         }
//     }
// }
