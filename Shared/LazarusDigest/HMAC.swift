/// HMAC-SHA256 (RFC 2104, FIPS 198-1): a keyed digest that only a holder of the key can
/// produce. Executors sign the continuations they write with it, so a forged snapshot —
/// one a Kafka client made up rather than an executor of this deployment — is refused
/// before it is decoded (docs/SNAPSHOT.md, "Authenticated snapshots").
///
/// A value holds its key's padded blocks already hashed, so signing one snapshot after
/// another does not hash them again. SHA-256's rounds do the same work whatever the data,
/// so the digest leaks nothing through time; the comparison of codes (`isValid`) does too.
public struct HMACSHA256: Sendable {
    public static let codeSize = 32
    private static let blockSize = 64

    /// SHA-256 after the key XOR ipad, and after the key XOR opad.
    private let inner: SHA256
    private let outer: SHA256

    /// A signer for `key` (any length; longer than a block is hashed first).
    public init(key: [UInt8]) {
        var block = key.count > Self.blockSize ? SHA256.hash(key) : key
        block += [UInt8](repeating: 0, count: Self.blockSize - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        self.inner = inner
        self.outer = outer
    }

    /// The authentication code of `message`.
    public func code<Message: Sequence>(for message: Message) -> [UInt8] where Message.Element == UInt8 {
        var inner = self.inner
        inner.update(message)
        var outer = self.outer
        outer.update(inner.finalize())
        return outer.finalize()
    }

    /// Whether `code` authenticates `message`, compared in constant time.
    public func isValid<Message: Sequence>(_ code: some Collection<UInt8>, for message: Message) -> Bool
    where Message.Element == UInt8 {
        let expected = self.code(for: message)
        guard code.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(code, expected) { difference |= a ^ b }
        return difference == 0
    }

    /// The authentication code of `message` under `key`.
    public static func code<Message: Sequence>(for message: Message, key: [UInt8]) -> [UInt8] where Message.Element == UInt8 {
        HMACSHA256(key: key).code(for: message)
    }

    /// Whether `code` authenticates `message` under `key`, compared in constant time.
    public static func isValid<Message: Sequence>(_ code: some Collection<UInt8>, for message: Message, key: [UInt8]) -> Bool
    where Message.Element == UInt8 {
        HMACSHA256(key: key).isValid(code, for: message)
    }
}
