import Foundation
import Testing
@testable import LazarusSyntax

/// Parse-phase conformance check against a local tc39/test262 checkout.
/// Runs only when LAZARUS_TEST262 points at it (e.g. /work/test262); test262 files are never committed.
/// Negative tests with `phase: parse` (or `early`) must be rejected; all others must parse unless
/// they use a feature that version 1 reports as unsupported. Tests with `features:` or the
/// module/async flags are skipped, as in our conformance measure.
@Suite struct Test262Tests {
    static let root = ProcessInfo.processInfo.environment["LAZARUS_TEST262"]
    static let directories = [
        "test/language", "test/built-ins/Array", "test/built-ins/String", "test/built-ins/Math", "test/built-ins/JSON",
        "test/built-ins/Object", "test/built-ins/Number", "test/built-ins/Function", "test/built-ins/NativeErrors",
    ]

    @Test(.enabled(if: root != nil)) func parsePhase() throws {
        guard let root = Test262Tests.root else { return }
        var negativeRejected = 0, negativeAccepted: [String] = []
        var positiveParsed = 0, positiveUnsupported = 0, positiveRejected: [String] = []
        let fm = FileManager.default
        for dir in Test262Tests.directories {
            guard let walker = fm.enumerator(atPath: root + "/" + dir) else { continue }
            while let rel = walker.nextObject() as? String {
                guard rel.hasSuffix(".js"), !rel.contains("_FIXTURE") else { continue }
                let path = root + "/" + dir + "/" + rel
                guard let data = fm.contents(atPath: path) else { continue }
                let src = String(decoding: data, as: UTF8.self)
                guard let open = src.range(of: "/*---"), let close = src.range(of: "---*/", range: open.upperBound..<src.endIndex)
                else { continue }
                let meta = String(src[open.upperBound..<close.lowerBound])
                if meta.contains("features:") { continue }
                let flags = meta.split(whereSeparator: \.isNewline).first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("flags:") }
                    .map(String.init) ?? ""
                if flags.contains("module") || flags.contains("async") { continue }
                let negative = meta.contains("phase: parse") || meta.contains("phase: early")
                var modes: [Bool] = []
                if flags.contains("onlyStrict") { modes = [true] }
                else if flags.contains("noStrict") || flags.contains("raw") { modes = [false] }
                else { modes = [false, true] }
                for strict in modes {
                    let text = strict ? "\"use strict\";\n" + src : src
                    let result = Result { () throws(SyntaxError) in try parseProgram(text) }
                    switch (negative, result) {
                    case (true, .failure): negativeRejected += 1
                    case (true, .success): negativeAccepted.append("\(strict ? "strict" : "sloppy") \(dir)/\(rel)")
                    case (false, .success): positiveParsed += 1
                    case (false, .failure(let e)):
                        if e.isUnsupportedFeature { positiveUnsupported += 1 }
                        else { positiveRejected.append("\(strict ? "strict" : "sloppy") \(dir)/\(rel): \(e)") }
                    }
                }
            }
        }
        print("test262 parse phase: negative rejected \(negativeRejected), accepted \(negativeAccepted.count); "
            + "positive parsed \(positiveParsed), unsupported feature \(positiveUnsupported), rejected \(positiveRejected.count)")
        #expect(negativeAccepted.isEmpty, "\(negativeAccepted.prefix(30))")
        #expect(positiveRejected.isEmpty, "\(positiveRejected.prefix(30))")
        #expect(negativeRejected + positiveParsed > 1000)
    }
}
