/// A position in script source.
///
/// `offset` counts **UTF-16 code units** from the start of the source (the unit
/// JavaScript strings are made of), so `source.utf16` sliced by offsets gives the
/// exact text (used for `Function.prototype.toString`). `line` and `column` are
/// 1-based; `column` also counts UTF-16 code units. CR LF counts as one line
/// terminator; LF, CR, U+2028 and U+2029 each start a new line.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var line: Int
    public var column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    public static let start = SourceLocation(offset: 0, line: 1, column: 1)

    /// `line:column`
    public var description: String { "\(line):\(column)" }
}

/// A half-open range of source: `start` is the first code unit, `end` is one past the last.
public struct SourceRange: Sendable, Hashable, CustomStringConvertible {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    public static let empty = SourceRange(start: .start, end: .start)

    /// The source text covered by this range (offsets are UTF-16 code units).
    public func text(in source: String) -> String {
        let utf16 = source.utf16
        let count = utf16.count
        let lo = max(0, min(start.offset, count))
        let hi = max(lo, min(end.offset, count))
        let a = utf16.index(utf16.startIndex, offsetBy: lo)
        let b = utf16.index(a, offsetBy: hi - lo)
        return String(decoding: Array(utf16[a..<b]), as: UTF16.self)
    }

    public var description: String { "\(start)-\(end)" }
}
