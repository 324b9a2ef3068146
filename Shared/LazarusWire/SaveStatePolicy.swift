/// When the object proxy saves a job's execution state (DESIGN.md, "Save-state policies").
///
/// On the wire and on the command line a policy is one string: `explicit`, `afterWrite`,
/// `always`, `everyCalls(N)` or `everyMillis(T)` (`everyCalls:N` is accepted too, since
/// parentheses need quoting in a shell).
public enum SaveStatePolicy: Sendable, Hashable {
    /// Only `checkpoint()`, `yieldScript()` and `sleep()` save state.
    case explicit
    /// Also before routing every write (`records.create/update/remove`).
    case afterWrite
    /// Also every `n`-th host call.
    case everyCalls(Int)
    /// Also on the first call after `t` milliseconds since the last snapshot.
    case everyMillis(Int)
    /// Before every host call.
    case always

    public static let `default` = SaveStatePolicy.afterWrite

    public init?(parsing text: String) {
        // Trimming goes through Foundation's CharacterSet, slow next to the rest of decoding a message;
        // text that starts and ends with ASCII other than space and tab has nothing to trim.
        let trimmed = Self.hasNothingToTrim(text) ? text : text.trimmingCharacters(in: .whitespaces)
        switch trimmed {
        case "explicit": self = .explicit
        case "afterWrite": self = .afterWrite
        case "always": self = .always
        default:
            guard let (name, number) = Self.splitParameter(trimmed), number > 0 else { return nil }
            switch name {
            case "everyCalls": self = .everyCalls(number)
            case "everyMillis": self = .everyMillis(number)
            default: return nil
            }
        }
    }

    private static func hasNothingToTrim(_ text: String) -> Bool {
        func isPlain(_ byte: UInt8) -> Bool { byte < 0x80 && byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") }
        guard let first = text.utf8.first, let last = text.utf8.last else { return true }
        return isPlain(first) && isPlain(last)
    }

    /// `everyCalls(5)` or `everyCalls:5` → ("everyCalls", 5).
    private static func splitParameter(_ text: String) -> (String, Int)? {
        if let colon = text.firstIndex(of: ":") {
            guard let n = Int(text[text.index(after: colon)...]) else { return nil }
            return (String(text[..<colon]), n)
        }
        guard text.hasSuffix(")"), let open = text.firstIndex(of: "(") else { return nil }
        guard let n = Int(text[text.index(after: open)..<text.index(before: text.endIndex)]) else { return nil }
        return (String(text[..<open]), n)
    }

    public var description: String {
        switch self {
        case .explicit: "explicit"
        case .afterWrite: "afterWrite"
        case .always: "always"
        case .everyCalls(let n): "everyCalls(\(n))"
        case .everyMillis(let t): "everyMillis(\(t))"
        }
    }
}

extension SaveStatePolicy: CustomStringConvertible {}

extension SaveStatePolicy: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let policy = SaveStatePolicy(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "unknown save-state policy '\(text)': expected explicit, afterWrite, always, everyCalls(N) or everyMillis(T)"))
        }
        self = policy
    }

    public func encode(to encoder: Encoder) throws {
        var single = encoder.singleValueContainer()
        try single.encode(description)
    }
}

import Foundation
