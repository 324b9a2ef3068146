import Foundation

// MARK: - TestCase: one test262 file, classified

/// The strictness a test is run in (test262 INTERPRETING.md, "Strict mode").
enum Mode: String, Sendable, CaseIterable {
    /// The test source as is.
    case sloppy
    /// `"use strict";` prepended.
    case strict
}

/// One test262 test file: where it is, which measured directory it counts towards, its
/// metadata, and either the modes to run it in or the reason it is skipped.
struct TestCase: Sendable {
    /// Path relative to the test262 root, e.g. `test/built-ins/Array/isArray/15.4.3.2-0-1.js`.
    let path: String
    /// The measured directory it belongs to, e.g. `built-ins/Array`.
    let group: String
    let meta: Frontmatter

    /// Why the test is not part of the measure (nil: it is measured).
    var skipReason: String? {
        if !meta.features.isEmpty { return "features: " + meta.features.joined(separator: ", ") }
        if meta.flags.contains("module") { return "flag module" }
        if meta.flags.contains("async") { return "flag async" }
        return nil
    }

    /// The runs that must all pass: sloppy and strict by default, strict only for
    /// `onlyStrict`, sloppy only for `noStrict` and `raw`.
    var modes: [Mode] {
        if meta.flags.contains("onlyStrict") { return [.strict] }
        if meta.flags.contains("noStrict") || meta.flags.contains("raw") { return [.sloppy] }
        return [.sloppy, .strict]
    }

    /// `raw` tests run exactly as written: no harness, no strict directive.
    var isRaw: Bool { meta.flags.contains("raw") }
}

/// The part of test262 we measure (issue 3, "Conformance"), and how to list its tests.
enum Suite {
    /// The measured directories, relative to `test/`, in report order.
    static let directories: [String] = {
        let language = ["types", "function-code", "arguments-object", "asi", "literals", "identifier-resolution"]
        let statements = ["block", "if", "while", "do-while", "for", "for-in", "break", "continue", "return",
                          "switch", "throw", "try", "variable", "function"]
        let expressions = ["addition", "modulus", "equals", "strict-equals", "less-than", "logical-and",
                           "conditional", "typeof", "compound-assignment", "call", "function", "object"]
        let builtins = ["Array", "String", "Math", "JSON", "Object", "Number", "Function", "NativeErrors"]
        return language.map { "language/" + $0 }
            + statements.map { "language/statements/" + $0 }
            + expressions.map { "language/expressions/" + $0 }
            + builtins.map { "built-ins/" + $0 }
    }()

    /// Lists and classifies the tests of every measured directory under `root`, sorted by
    /// path. `filter` keeps only paths containing that substring. `*_FIXTURE.js` files are
    /// helpers of other tests, not tests.
    static func discover(root: String, filter: String?) throws -> [TestCase] {
        let fm = FileManager.default
        var tests: [TestCase] = []
        for group in directories {
            let dir = root + "/test/" + group
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
                throw RunnerError("missing test262 directory \(dir)")
            }
            guard let walker = fm.enumerator(atPath: dir) else { continue }
            var paths: [String] = []
            while let rel = walker.nextObject() as? String {
                guard rel.hasSuffix(".js"), !rel.hasSuffix("_FIXTURE.js") else { continue }
                let path = "test/" + group + "/" + rel
                if let filter, !path.contains(filter) { continue }
                paths.append(path)
            }
            for path in paths.sorted() {
                let source = try readText(root + "/" + path)
                tests.append(TestCase(path: path, group: group, meta: Frontmatter(source: source)))
            }
        }
        return tests
    }
}

/// A usage error reported before any test runs.
struct RunnerError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Reads a UTF-8 text file.
func readText(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw RunnerError("cannot read \(path)")
    }
    return String(decoding: data, as: UTF8.self)
}
