/// A parse-time error: a syntax error, an early error, or a feature that
/// Lazarus scripts (version 1) do not support.
///
/// `description` is `SyntaxError: <message> at <line>:<column>`, e.g.
/// `SyntaxError: Unexpected token '}' at 3:14` or
/// `SyntaxError: 'class' is not supported in Lazarus scripts (version 1) at 2:1`.
public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation
    /// Optional advice for the script author (not part of `description`).
    public var hint: String?
    /// For unsupported-feature errors: a short, stable name of the feature
    /// (e.g. `"class"`, `"regular expressions"`); `nil` for ordinary syntax errors.
    public var feature: String?

    public init(message: String, location: SourceLocation, hint: String? = nil, feature: String? = nil) {
        self.message = message
        self.location = location
        self.hint = hint
        self.feature = feature
    }

    public var isUnsupportedFeature: Bool { feature != nil }

    public var description: String { "SyntaxError: \(message) at \(location.line):\(location.column)" }
}
