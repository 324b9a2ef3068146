/// On-demand lexer over UTF-16 code units. The parser pulls one token at a time,
/// so a `/` in expression position is seen (and reported as an unsupported regular
/// expression) before the lexer tries to make sense of what follows it.
///
/// Every loop advances `pos` or stops; all indexing is bounds-checked through `at(_:)`.
final class Lexer {
    let src: [UInt16]
    private(set) var pos = 0
    private var line = 1
    private var lineStart = 0

    init(_ source: String) {
        src = Array(source.utf16)
    }

    // MARK: - Positions

    var location: SourceLocation { SourceLocation(offset: pos, line: line, column: pos - lineStart + 1) }

    private func location(at offset: Int) -> SourceLocation {
        // Only used for offsets on the current line.
        SourceLocation(offset: offset, line: line, column: offset - lineStart + 1)
    }

    /// Moves back to `location` (a token boundary produced by this lexer).
    func reset(to loc: SourceLocation) {
        pos = loc.offset
        line = loc.line
        lineStart = loc.offset - (loc.column - 1)
    }

    @inline(__always) private func at(_ i: Int) -> UInt16 {
        i < src.count ? src[i] : 0  // callers check bounds where NUL matters
    }

    @inline(__always) private var atEnd: Bool { pos >= src.count }

    private func error(_ message: String, _ loc: SourceLocation, feature: String? = nil, hint: String? = nil)
        -> ParseFailure
    {
        ParseFailure(SyntaxError(message: message, location: loc, hint: hint, feature: feature))
    }

    // MARK: - Character classes

    @inline(__always) static func isLineTerminator(_ c: UInt16) -> Bool {
        c == 0x0A || c == 0x0D || c == 0x2028 || c == 0x2029
    }

    static func isWhitespace(_ c: UInt16) -> Bool {
        switch c {
        case 0x09, 0x0B, 0x0C, 0x20, 0xA0, 0xFEFF: return true
        case 0..<0x80: return false
        default:
            guard let s = Unicode.Scalar(UInt32(c)) else { return false }
            return s.properties.generalCategory == .spaceSeparator
        }
    }

    static func isIdentifierStart(_ cp: UInt32) -> Bool {
        if cp < 0x80 {
            return (cp >= 0x61 && cp <= 0x7A) || (cp >= 0x41 && cp <= 0x5A) || cp == 0x24 || cp == 0x5F
        }
        guard let s = Unicode.Scalar(cp) else { return false }
        return s.properties.isIDStart
    }

    static func isIdentifierPart(_ cp: UInt32) -> Bool {
        if cp < 0x80 {
            return (cp >= 0x61 && cp <= 0x7A) || (cp >= 0x41 && cp <= 0x5A) || (cp >= 0x30 && cp <= 0x39)
                || cp == 0x24 || cp == 0x5F
        }
        if cp == 0x200C || cp == 0x200D { return true }
        guard let s = Unicode.Scalar(cp) else { return false }
        return s.properties.isIDContinue
    }

    @inline(__always) static func isDecimalDigit(_ c: UInt16) -> Bool { c >= 0x30 && c <= 0x39 }

    static func hexValue(_ c: UInt16) -> Int? {
        switch c {
        case 0x30...0x39: Int(c - 0x30)
        case 0x41...0x46: Int(c - 0x41 + 10)
        case 0x61...0x66: Int(c - 0x61 + 10)
        default: nil
        }
    }

    /// Code point at `i` (combining a surrogate pair) and its length in code units.
    private func codePoint(at i: Int) -> (UInt32, Int) {
        let c = at(i)
        if c >= 0xD800 && c <= 0xDBFF && i + 1 < src.count {
            let d = src[i + 1]
            if d >= 0xDC00 && d <= 0xDFFF {
                return (0x10000 + ((UInt32(c) - 0xD800) << 10) + (UInt32(d) - 0xDC00), 2)
            }
        }
        return (UInt32(c), 1)
    }

    // MARK: - Trivia

    /// Skips whitespace and comments; returns whether a line terminator was crossed.
    private func skipTrivia() throws(ParseFailure) -> Bool {
        var newline = false
        while pos < src.count {
            let c = src[pos]
            if c == 0x0A || c == 0x2028 || c == 0x2029 {
                pos += 1; newLine(); newline = true
            } else if c == 0x0D {
                pos += 1
                if pos < src.count && src[pos] == 0x0A { pos += 1 }
                newLine(); newline = true
            } else if c == 0x20 || c == 0x09 || (c >= 0x80 || c == 0x0B || c == 0x0C) && Lexer.isWhitespace(c) {
                pos += 1
            } else if c == 0x2F && at(pos + 1) == 0x2F && pos + 1 < src.count {
                pos += 2
                while pos < src.count && !Lexer.isLineTerminator(src[pos]) { pos += 1 }
            } else if c == 0x2F && pos + 1 < src.count && src[pos + 1] == 0x2A {
                let startLoc = location
                pos += 2
                var closed = false
                while pos < src.count {
                    let d = src[pos]
                    if d == 0x2A && pos + 1 < src.count && src[pos + 1] == 0x2F {
                        pos += 2; closed = true; break
                    } else if d == 0x0D {
                        pos += 1
                        if pos < src.count && src[pos] == 0x0A { pos += 1 }
                        newLine(); newline = true
                    } else if d == 0x0A || d == 0x2028 || d == 0x2029 {
                        pos += 1; newLine(); newline = true
                    } else {
                        pos += 1
                    }
                }
                if !closed { throw error("Unterminated comment", startLoc) }
            } else if c == 0x23 && pos == 0 && at(1) == 0x21 && src.count > 1 {
                // Hashbang `#!` at the very start: treat as a line comment.
                while pos < src.count && !Lexer.isLineTerminator(src[pos]) { pos += 1 }
            } else {
                break
            }
        }
        return newline
    }

    @inline(__always) private func newLine() {
        line += 1
        lineStart = pos
    }

    // MARK: - Tokens

    func next() throws(ParseFailure) -> Token {
        let newline = try skipTrivia()
        let start = location
        guard pos < src.count else {
            var t = Token(kind: .eof, start: start, end: start)
            t.newlineBefore = newline
            return t
        }
        var tok: Token
        let c = src[pos]
        if c == 0x22 || c == 0x27 {
            tok = try scanString(quote: c, start: start)
        } else if c == 0x60 {
            pos += 1
            tok = try scanTemplateChunk(start: start)
        } else if Lexer.isDecimalDigit(c) || (c == 0x2E && Lexer.isDecimalDigit(at(pos + 1)) && pos + 1 < src.count) {
            tok = try scanNumber(start: start)
        } else if c == 0x5C || Lexer.isIdentifierStart(codePoint(at: pos).0) {
            tok = try scanIdentifier(start: start)
        } else if let p = scanPunctuator() {
            tok = Token(kind: .punctuator, start: start, end: location)
            tok.punctuator = p
        } else {
            let (cp, _) = codePoint(at: pos)
            let shown = Unicode.Scalar(cp).map { String(Character($0)) } ?? String(format16: c)
            throw error("Invalid or unexpected token '\(shown)'", start)
        }
        tok.newlineBefore = newline
        return tok
    }

    private func scanPunctuator() -> Punctuator? {
        let c = src[pos]
        let c1 = at(pos + 1), c2 = at(pos + 2), c3 = at(pos + 3)
        let has1 = pos + 1 < src.count, has2 = pos + 2 < src.count, has3 = pos + 3 < src.count
        func take(_ n: Int, _ p: Punctuator) -> Punctuator { pos += n; return p }
        switch c {
        case 0x7B: return take(1, .lbrace)
        case 0x7D: return take(1, .rbrace)
        case 0x28: return take(1, .lparen)
        case 0x29: return take(1, .rparen)
        case 0x5B: return take(1, .lbracket)
        case 0x5D: return take(1, .rbracket)
        case 0x3B: return take(1, .semicolon)
        case 0x2C: return take(1, .comma)
        case 0x3A: return take(1, .colon)
        case 0x7E: return take(1, .tilde)
        case 0x23: return take(1, .hash)
        case 0x40: return take(1, .at)
        case 0x2E: // .
            if has2 && c1 == 0x2E && c2 == 0x2E { return take(3, .ellipsis) }
            return take(1, .dot)
        case 0x3F: // ?
            if has1 && c1 == 0x3F {
                if has2 && c2 == 0x3D { return take(3, .questionQuestionAssign) }
                return take(2, .questionQuestion)
            }
            if has1 && c1 == 0x2E && !(has2 && Lexer.isDecimalDigit(c2)) { return take(2, .questionDot) }
            return take(1, .question)
        case 0x3C: // <
            if has1 && c1 == 0x3C {
                if has2 && c2 == 0x3D { return take(3, .shlAssign) }
                return take(2, .shl)
            }
            if has1 && c1 == 0x3D { return take(2, .le) }
            return take(1, .lt)
        case 0x3E: // >
            if has1 && c1 == 0x3E {
                if has2 && c2 == 0x3E {
                    if has3 && c3 == 0x3D { return take(4, .ushrAssign) }
                    return take(3, .ushr)
                }
                if has2 && c2 == 0x3D { return take(3, .shrAssign) }
                return take(2, .shr)
            }
            if has1 && c1 == 0x3D { return take(2, .ge) }
            return take(1, .gt)
        case 0x3D: // =
            if has1 && c1 == 0x3D {
                if has2 && c2 == 0x3D { return take(3, .seq) }
                return take(2, .eq)
            }
            if has1 && c1 == 0x3E { return take(2, .arrow) }
            return take(1, .assign)
        case 0x21: // !
            if has1 && c1 == 0x3D {
                if has2 && c2 == 0x3D { return take(3, .sne) }
                return take(2, .ne)
            }
            return take(1, .bang)
        case 0x2B: // +
            if has1 && c1 == 0x2B { return take(2, .plusPlus) }
            if has1 && c1 == 0x3D { return take(2, .plusAssign) }
            return take(1, .plus)
        case 0x2D: // -
            if has1 && c1 == 0x2D { return take(2, .minusMinus) }
            if has1 && c1 == 0x3D { return take(2, .minusAssign) }
            return take(1, .minus)
        case 0x2A: // *
            if has1 && c1 == 0x2A {
                if has2 && c2 == 0x3D { return take(3, .starStarAssign) }
                return take(2, .starStar)
            }
            if has1 && c1 == 0x3D { return take(2, .starAssign) }
            return take(1, .star)
        case 0x2F: // /
            if has1 && c1 == 0x3D { return take(2, .slashAssign) }
            return take(1, .slash)
        case 0x25: // %
            if has1 && c1 == 0x3D { return take(2, .percentAssign) }
            return take(1, .percent)
        case 0x26: // &
            if has1 && c1 == 0x26 {
                if has2 && c2 == 0x3D { return take(3, .ampAmpAssign) }
                return take(2, .ampAmp)
            }
            if has1 && c1 == 0x3D { return take(2, .ampAssign) }
            return take(1, .amp)
        case 0x7C: // |
            if has1 && c1 == 0x7C {
                if has2 && c2 == 0x3D { return take(3, .pipePipeAssign) }
                return take(2, .pipePipe)
            }
            if has1 && c1 == 0x3D { return take(2, .pipeAssign) }
            return take(1, .pipe)
        case 0x5E: // ^
            if has1 && c1 == 0x3D { return take(2, .caretAssign) }
            return take(1, .caret)
        default:
            return nil
        }
    }

    // MARK: Identifiers

    private func scanIdentifier(start: SourceLocation) throws(ParseFailure) -> Token {
        let begin = pos
        var escaped = false
        var scalars: [UInt32] = []
        var first = true
        while pos < src.count {
            let c = src[pos]
            var cp: UInt32
            let escLoc = location
            if c == 0x5C {
                // \uXXXX or \u{X…}
                guard at(pos + 1) == 0x75, pos + 1 < src.count else {
                    throw error("Invalid Unicode escape sequence", escLoc)
                }
                pos += 2
                guard let v = scanUnicodeEscapeBody() else {
                    throw error("Invalid Unicode escape sequence", escLoc)
                }
                cp = v
                escaped = true
                let ok = first ? Lexer.isIdentifierStart(cp) : Lexer.isIdentifierPart(cp)
                if !ok { throw error("Invalid Unicode escape sequence", escLoc) }
            } else {
                let (v, len) = codePoint(at: pos)
                cp = v
                let ok = first ? Lexer.isIdentifierStart(cp) : Lexer.isIdentifierPart(cp)
                if !ok { break }
                pos += len
            }
            scalars.append(cp)
            first = false
        }
        var tok = Token(kind: .identifier, start: start, end: location)
        if escaped {
            var s = ""
            for cp in scalars { if let u = Unicode.Scalar(cp) { s.unicodeScalars.append(u) } }
            tok.name = s
            tok.escaped = true
        } else {
            tok.name = String(decoding: src[begin..<pos], as: UTF16.self)
        }
        return tok
    }

    /// After `\u`: `XXXX` or `{X…}`. Returns the code point, or nil if malformed.
    private func scanUnicodeEscapeBody() -> UInt32? {
        if at(pos) == 0x7B && pos < src.count {
            pos += 1
            var v: UInt32 = 0
            var digits = 0
            while pos < src.count, let h = Lexer.hexValue(src[pos]) {
                v = v * 16 + UInt32(h)
                if v > 0x10FFFF { return nil }
                digits += 1
                pos += 1
            }
            guard digits > 0, pos < src.count, src[pos] == 0x7D else { return nil }
            pos += 1
            return v
        }
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard pos < src.count, let h = Lexer.hexValue(src[pos]) else { return nil }
            v = v * 16 + UInt32(h)
            pos += 1
        }
        return v
    }

    // MARK: Numbers

    private func scanNumber(start: SourceLocation) throws(ParseFailure) -> Token {
        let begin = pos
        var tok = Token(kind: .number, start: start, end: start)
        let c = src[pos]
        let c1 = at(pos + 1)
        if c == 0x30 && pos + 1 < src.count && (c1 | 0x20 == 0x78 || c1 | 0x20 == 0x6F || c1 | 0x20 == 0x62) {
            let radix: Int = c1 | 0x20 == 0x78 ? 16 : (c1 | 0x20 == 0x6F ? 8 : 2)
            pos += 2
            let digitsStart = pos
            while pos < src.count, let h = Lexer.hexValue(src[pos]), h < radix { pos += 1 }
            if pos == digitsStart {
                throw error("Invalid or unexpected token (missing digits after '0\(Character(Unicode.Scalar(UInt8(c1))))')", start)
            }
            tok.number = Lexer.radixValue(src[digitsStart..<pos], radix: radix)
        } else if c == 0x30 && pos + 1 < src.count && Lexer.isDecimalDigit(c1) {
            // Legacy octal (017) or leading-zero decimal (08, 019).
            pos += 1
            let digitsStart = pos
            var octal = true
            while pos < src.count && Lexer.isDecimalDigit(src[pos]) {
                if src[pos] >= 0x38 { octal = false }
                pos += 1
            }
            tok.legacyOctal = true
            if octal {
                tok.number = Lexer.radixValue(src[digitsStart..<pos], radix: 8)
            } else {
                // NonOctalDecimalIntegerLiteral: may have a fraction/exponent.
                try scanDecimalTail(start: start)
                tok.number = Lexer.decimalValue(src[begin..<pos])
            }
        } else {
            while pos < src.count && Lexer.isDecimalDigit(src[pos]) { pos += 1 }
            try scanDecimalTail(start: start)
            tok.number = Lexer.decimalValue(src[begin..<pos])
        }
        // The source character immediately following a NumericLiteral must not be
        // an IdentifierStart or DecimalDigit.
        if pos < src.count {
            let n = src[pos]
            if n == 0x5F {
                throw error("Numeric separators are not supported in Lazarus scripts (version 1)", location,
                            feature: "numeric separators")
            }
            if n == 0x6E {
                throw error("BigInt literals are not supported in Lazarus scripts (version 1)", location, feature: "BigInt")
            }
            if Lexer.isDecimalDigit(n) || n == 0x5C || Lexer.isIdentifierStart(codePoint(at: pos).0) {
                throw error("Invalid or unexpected token after number", location)
            }
        }
        tok.end = location
        return tok
    }

    /// Optional `.digits` and exponent after the integer part.
    private func scanDecimalTail(start: SourceLocation) throws(ParseFailure) {
        if pos < src.count && src[pos] == 0x2E {
            pos += 1
            while pos < src.count && Lexer.isDecimalDigit(src[pos]) { pos += 1 }
        }
        if pos < src.count && (src[pos] | 0x20) == 0x65 {
            let save = pos
            pos += 1
            if pos < src.count && (src[pos] == 0x2B || src[pos] == 0x2D) { pos += 1 }
            let expStart = pos
            while pos < src.count && Lexer.isDecimalDigit(src[pos]) { pos += 1 }
            if pos == expStart {
                pos = save
                throw error("Invalid or unexpected token (missing exponent digits)", start)
            }
        }
    }

    static func decimalValue(_ units: ArraySlice<UInt16>) -> Double {
        // Normalize "1." / ".5" / "1.e3" for strtod-style parsing.
        var s = ""
        s.reserveCapacity(units.count + 1)
        var i = units.startIndex
        if i < units.endIndex && units[i] == 0x2E { s.append("0") }
        while i < units.endIndex {
            let u = units[i]
            if u == 0x2E && !(i + 1 < units.endIndex && isDecimalDigit(units[i + 1])) {
                i += 1
                continue
            }
            s.unicodeScalars.append(Unicode.Scalar(UInt8(truncatingIfNeeded: u)))
            i += 1
        }
        return Double(s) ?? .nan
    }

    /// Exact value rounded once (via a hexadecimal float string for radix 2/8/16).
    static func radixValue(_ digits: ArraySlice<UInt16>, radix: Int) -> Double {
        var bits: [UInt8] = []  // binary digits, most significant first
        bits.reserveCapacity(digits.count * 4)
        let width = radix == 16 ? 4 : (radix == 8 ? 3 : 1)
        for d in digits {
            let v = hexValue(d) ?? 0
            for shift in stride(from: width - 1, through: 0, by: -1) { bits.append(UInt8((v >> shift) & 1)) }
        }
        // Strip leading zeros.
        var firstOne = 0
        while firstOne < bits.count && bits[firstOne] == 0 { firstOne += 1 }
        if firstOne == bits.count { return 0 }
        let significant = bits[firstOne...]
        if significant.count <= 64 {
            var v: UInt64 = 0
            for b in significant { v = v << 1 | UInt64(b) }
            return Double(v)  // correctly rounded
        }
        // Build "0x<hex>p0" with the bits padded to a multiple of 4 at the front.
        let pad = (4 - significant.count % 4) % 4
        var all = [UInt8](repeating: 0, count: pad)
        all.append(contentsOf: significant)
        var hex = "0x"
        var i = 0
        while i < all.count {
            let nib = Int(all[i]) << 3 | Int(all[i + 1]) << 2 | Int(all[i + 2]) << 1 | Int(all[i + 3])
            hex.append(Character(Unicode.Scalar(UInt8(nib < 10 ? 48 + nib : 87 + nib))))
            i += 4
        }
        hex += "p0"
        return Double(hex) ?? .infinity
    }

    // MARK: Strings

    private func scanString(quote: UInt16, start: SourceLocation) throws(ParseFailure) -> Token {
        pos += 1
        var tok = Token(kind: .string, start: start, end: start)
        var units: [UInt16] = []
        while true {
            guard pos < src.count else { throw error("Unterminated string literal", start) }
            let c = src[pos]
            if c == quote { pos += 1; break }
            if c == 0x0A || c == 0x0D { throw error("Unterminated string literal", start) }
            if c == 0x5C {
                let escStart = location
                pos += 1
                guard pos < src.count else { throw error("Unterminated string literal", start) }
                if try scanEscape(into: &units, inTemplate: false, escapeStart: escStart) {
                    tok.legacyOctal = true
                }
            } else {
                units.append(c)
                pos += 1
                if c == 0x2028 || c == 0x2029 { newLine() }  // allowed in strings (ES2019); still a line for locations
            }
        }
        tok.units = units
        tok.end = location
        return tok
    }

    /// Scans one escape after the backslash; returns true if it was a legacy octal
    /// (or `\8` `\9`) escape. In templates those are errors.
    private func scanEscape(into units: inout [UInt16], inTemplate: Bool, escapeStart: SourceLocation) throws(ParseFailure) -> Bool {
        let c = src[pos]
        switch c {
        case 0x6E: units.append(0x0A); pos += 1
        case 0x74: units.append(0x09); pos += 1
        case 0x72: units.append(0x0D); pos += 1
        case 0x62: units.append(0x08); pos += 1
        case 0x66: units.append(0x0C); pos += 1
        case 0x76: units.append(0x0B); pos += 1
        case 0x0D:
            pos += 1
            if pos < src.count && src[pos] == 0x0A { pos += 1 }
            newLine()
        case 0x0A, 0x2028, 0x2029:
            pos += 1
            newLine()
        case 0x78: // \xHH
            pos += 1
            guard pos + 1 < src.count, let h1 = Lexer.hexValue(src[pos]), let h2 = Lexer.hexValue(src[pos + 1]) else {
                throw error("Invalid hexadecimal escape sequence", escapeStart)
            }
            units.append(UInt16(h1 * 16 + h2))
            pos += 2
        case 0x75: // \u
            pos += 1
            guard let cp = scanUnicodeEscapeBody() else { throw error("Invalid Unicode escape sequence", escapeStart) }
            Lexer.appendCodePoint(cp, to: &units)
        case 0x30...0x37:
            let next = at(pos + 1)
            if c == 0x30 && !(pos + 1 < src.count && Lexer.isDecimalDigit(next)) {
                units.append(0); pos += 1
                return false
            }
            if inTemplate { throw error("Octal escape sequences are not allowed in template strings", escapeStart) }
            // LegacyOctalEscapeSequence: up to 3 digits, value ≤ 0o377.
            var v = Int(c - 0x30)
            pos += 1
            if pos < src.count && src[pos] >= 0x30 && src[pos] <= 0x37 {
                v = v * 8 + Int(src[pos] - 0x30); pos += 1
                if c <= 0x33 && pos < src.count && src[pos] >= 0x30 && src[pos] <= 0x37 {
                    v = v * 8 + Int(src[pos] - 0x30); pos += 1
                }
            }
            units.append(UInt16(v))
            return true
        case 0x38, 0x39:
            if inTemplate { throw error("\\8 and \\9 are not allowed in template strings", escapeStart) }
            units.append(c); pos += 1
            return true
        default:
            // Identity escape (any other code point, including surrogate pairs).
            let (_, len) = codePoint(at: pos)
            for k in 0..<len { units.append(src[pos + k]) }
            pos += len
        }
        return false
    }

    static func appendCodePoint(_ cp: UInt32, to units: inout [UInt16]) {
        if cp < 0x10000 {
            units.append(UInt16(cp))
        } else {
            let v = cp - 0x10000
            units.append(UInt16(0xD800 + (v >> 10)))
            units.append(UInt16(0xDC00 + (v & 0x3FF)))
        }
    }

    // MARK: Templates

    /// Scans template characters after a backtick or after the `}` that closes a
    /// substitution, up to and including `${` or the closing backtick.
    func scanTemplateChunk(start: SourceLocation) throws(ParseFailure) -> Token {
        var tok = Token(kind: .template, start: start, end: start)
        var units: [UInt16] = []
        while true {
            guard pos < src.count else { throw error("Unterminated template literal", start) }
            let c = src[pos]
            if c == 0x60 { pos += 1; tok.templateTail = true; break }
            if c == 0x24 && pos + 1 < src.count && src[pos + 1] == 0x7B { pos += 2; break }
            if c == 0x5C {
                let escStart = location
                pos += 1
                guard pos < src.count else { throw error("Unterminated template literal", start) }
                do {
                    _ = try scanEscape(into: &units, inTemplate: true, escapeStart: escStart)
                } catch {
                    // Keep scanning (the backslash is consumed); the parser reports it.
                    if tok.templateError == nil { tok.templateError = error }
                }
            } else if c == 0x0D {
                // CR and CR LF are normalized to LF.
                pos += 1
                if pos < src.count && src[pos] == 0x0A { pos += 1 }
                units.append(0x0A)
                newLine()
            } else {
                units.append(c)
                pos += 1
                if c == 0x0A || c == 0x2028 || c == 0x2029 { newLine() }
            }
        }
        tok.units = units
        tok.end = location
        return tok
    }

    /// Continues a template after the `}` token ending a substitution.
    func continueTemplate(after rbrace: Token) throws(ParseFailure) -> Token {
        reset(to: rbrace.end)
        return try scanTemplateChunk(start: rbrace.start)
    }
}

extension String {
    fileprivate init(format16 c: UInt16) {
        self = "\\u" + String(c, radix: 16, uppercase: true)
    }
}
