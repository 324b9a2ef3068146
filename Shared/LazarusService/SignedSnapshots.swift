import Foundation
import LazarusDigest

/// Authenticated continuations (docs/SNAPSHOT.md, "Authenticated snapshots"). With a
/// deployment key, an executor appends HMAC-SHA256(key, snapshot) to every continuation it
/// writes and refuses, before decoding, any it is asked to resume whose code does not match:
/// a CRC-valid snapshot forged by some other Kafka client (a moved `pc` could crash the
/// interpreter) fails its job with a clear error instead. The proxy and the checkpoint
/// service carry the bytes unread and need no key.
public struct SnapshotSigner: Sendable {
    /// Names the key file when `--snapshot-key-file` is not given.
    public static let keyFileVariable = "LAZARUS_SNAPSHOT_KEY_FILE"
    /// Shorter keys are refused: a guessable key authenticates nothing.
    public static let minimumKeyBytes = 16

    private let hmac: HMACSHA256

    public init(key: [UInt8]) throws(SnapshotKeyError) {
        guard key.count >= Self.minimumKeyBytes else {
            throw SnapshotKeyError("the snapshot key has \(key.count) bytes; at least \(Self.minimumKeyBytes) are needed (e.g. `head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n' > key`)")
        }
        hmac = HMACSHA256(key: key)
    }

    /// The signer for the key in `path`, else in the file `LAZARUS_SNAPSHOT_KEY_FILE` names;
    /// nil when neither is set (continuations are then written and read unsigned). Trailing
    /// whitespace (a final newline) is not part of the key.
    public static func load(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(SnapshotKeyError) -> SnapshotSigner? {
        guard let path = path ?? environment[keyFileVariable], !path.isEmpty else { return nil }
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw SnapshotKeyError("cannot read the snapshot key file \(path)")
        }
        var key = [UInt8](contents)
        while let last = key.last, [0x20, 0x09, 0x0a, 0x0d].contains(last) { key.removeLast() }
        do {
            return try SnapshotSigner(key: key)
        } catch {
            throw SnapshotKeyError("\(path): \(error.message)")
        }
    }

    /// `snapshot` followed by its authentication code.
    public func sign(_ snapshot: [UInt8]) -> [UInt8] {
        snapshot + hmac.code(for: snapshot)
    }

    /// The snapshot inside `signed`, if its code is this key's; throws otherwise.
    public func verify(_ signed: [UInt8]) throws(SnapshotKeyError) -> ArraySlice<UInt8> {
        let split = signed.count - HMACSHA256.codeSize
        guard split > 0, hmac.isValid(signed[split...], for: signed[..<split]) else {
            throw SnapshotKeyError("the snapshot is not signed with this deployment's key (\(signed.count) bytes): it was forged, "
                + "altered, or written by an executor with another key or none")
        }
        return signed[..<split]
    }
}

public struct SnapshotKeyError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
