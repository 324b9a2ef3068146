// MARK: - Harness: test262's harness files and the source of one run

/// Reads test262 `harness/` files once and assembles the source of a run, following
/// INTERPRETING.md: `"use strict";` first (strict runs), then `assert.js`, `sta.js`, each
/// file of `includes`, then the test. `raw` tests get nothing prepended.
///
/// `doneprintHandle.js` (and the `print` global it needs) is for `async` tests only,
/// which are skipped: the runner installs no extra globals.
final class Harness {
    let root: String
    private var cache: [String: String] = [:]

    /// Files every non-raw test gets.
    static let standardIncludes = ["assert.js", "sta.js"]

    init(root: String) { self.root = root }

    /// The text of `harness/<name>`, cached.
    func file(_ name: String) throws -> String {
        if let text = cache[name] { return text }
        let text = try readText(root + "/harness/" + name)
        cache[name] = text
        return text
    }

    /// The complete program for running `test` (whose file text is `body`) in `mode`.
    func source(for test: TestCase, body: String, mode: Mode) throws -> String {
        if test.isRaw { return body }
        var parts: [String] = []
        if mode == .strict { parts.append("\"use strict\";") }
        var seen: Set<String> = []
        for name in Harness.standardIncludes + test.meta.includes where seen.insert(name).inserted {
            parts.append(try file(name))
        }
        parts.append(body)
        return parts.joined(separator: "\n")
    }
}
