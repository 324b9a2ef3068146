// MARK: - Frontmatter: the YAML metadata block of a test262 test

/// The metadata of a test262 test, read from its `/*--- … ---*/` block.
///
/// Only the keys the runner acts on are kept (see test262's INTERPRETING.md):
/// `includes`, `flags`, `features` and `negative` (`phase`, `type`). The parser is a
/// small YAML subset that covers what test262 writes: `key: value`, inline lists
/// `key: [a, b]`, block lists (`key:` then `  - a` lines), one level of nested map
/// (`negative:` then `  phase: parse`), and block scalars (`description: |`), which are
/// skipped.
struct Frontmatter: Sendable, Hashable {
    /// The expected failure of a negative test.
    struct Negative: Sendable, Hashable {
        /// `parse`, `early`, `resolution` or `runtime`.
        var phase: String
        /// The constructor name of the expected error, e.g. `SyntaxError`.
        var type: String
    }

    /// Harness files to prepend after `assert.js` and `sta.js`.
    var includes: [String] = []
    /// `onlyStrict`, `noStrict`, `raw`, `module`, `async`, `generated`, `CanBlockIsFalse`…
    var flags: Set<String> = []
    /// Language features the test needs beyond ES5 (any of them makes us skip the test).
    var features: [String] = []
    /// Set for negative tests.
    var negative: Negative?
    /// False when the file has no `/*--- … ---*/` block at all.
    var found = false

    /// Parses the frontmatter of a test file's source. A file without one yields the
    /// empty metadata (`found == false`): a default test with no includes.
    init(source: String) {
        guard let open = source.range(of: "/*---"),
              let close = source.range(of: "---*/", range: open.upperBound..<source.endIndex)
        else { return }
        found = true
        let entries = Frontmatter.topLevelEntries(String(source[open.upperBound..<close.lowerBound]))
        for (key, entry) in entries {
            switch key {
            case "includes": includes = entry.list
            case "flags": flags = Set(entry.list)
            case "features": features = entry.list
            case "negative":
                let map = entry.map
                negative = Negative(phase: map["phase"] ?? "", type: map["type"] ?? "")
            default: break
            }
        }
    }

    /// A top-level key's value: the text after the colon, and the indented lines below it.
    struct Entry {
        var inline: String
        var nested: [String]

        /// The value read as a list: `[a, b]`, `a`, or `- a` lines.
        var list: [String] {
            if inline.hasPrefix("[") {
                let body = inline.dropFirst().prefix { $0 != "]" }
                return body.split(separator: ",").map { Frontmatter.unquote($0) }.filter { !$0.isEmpty }
            }
            if !inline.isEmpty { return [Frontmatter.unquote(Substring(inline))] }
            return nested.compactMap { line in
                let t = line.drop { $0 == " " || $0 == "\t" }
                guard t.hasPrefix("-") else { return nil }
                let item = Frontmatter.unquote(t.dropFirst())
                return item.isEmpty ? nil : item
            }
        }

        /// The value read as a flat map (`key: value` lines, or `{a: b, c: d}` inline).
        var map: [String: String] {
            var out: [String: String] = [:]
            var lines = nested
            if inline.hasPrefix("{") {
                lines = inline.dropFirst().prefix { $0 != "}" }.split(separator: ",").map(String.init)
            }
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let k = Frontmatter.unquote(line[..<colon])
                let v = Frontmatter.unquote(line[line.index(after: colon)...])
                if !k.isEmpty { out[k] = v }
            }
            return out
        }
    }

    /// Splits the YAML text into top-level keys (lines starting in column 0) with the
    /// indented (or blank) lines that follow each of them.
    static func topLevelEntries(_ yaml: String) -> [(String, Entry)] {
        var out: [(String, Entry)] = []
        for raw in yaml.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = String(raw)
            if line.trimmingSpaces.isEmpty || line.trimmingSpaces.hasPrefix("#") { continue }
            if let first = line.first, first != " ", first != "\t", let colon = line.firstIndex(of: ":") {
                let key = String(line[..<colon]).trimmingSpaces
                var value = String(line[line.index(after: colon)...]).trimmingSpaces
                if value.hasPrefix("|") || value.hasPrefix(">") { value = "" }  // block scalar: text below
                out.append((key, Entry(inline: value, nested: [])))
            } else if !out.isEmpty {
                out[out.count - 1].1.nested.append(line)
            }
        }
        return out
    }

    /// Trims spaces and one pair of surrounding quotes.
    static func unquote(_ s: Substring) -> String {
        var t = String(s).trimmingSpaces
        if t.count >= 2, let f = t.first, f == "\"" || f == "'", t.last == f {
            t = String(t.dropFirst().dropLast())
        }
        return t
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs (no Foundation needed).
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
