import Testing
@testable import LazarusSyntax

/// Deterministic PRNG (SplitMix64).
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
}

/// Random and mutated sources never crash the parser: each ends in a Program or a SyntaxError.
@Suite struct FuzzTests {
    static let corpus: [String] = [
        "var a = 1, b = 'two', c = `t${a}x`; function f(x, y = 2, ...z) { return x ** y; } function g() { 'use strict'; }",
        "for (let i = 0; i < 10; i++) { if (i % 2) continue; else { lbl: while (true) break lbl; } }",
        "var o = { a, b: 1, get c() { return this.b }, set c(v) { this.b = v }, m() {}, [k + 1]: 0x1F, 'q': .5e3 };",
        "try { throw new Error('x') } catch (e) { console.log(e.message) } finally { done = true }",
        "switch (x) { case 1: y = a ? b : c; break; default: z = (p, q) => p + q; }",
        "const s = [1, , 3, ...rest].map(v => v * 2).filter(function (v) { return v > 1 && !(v in seen) });",
        "do { n = n >>> 1 | (n << 3) ^ ~n; } while (n !== 0 && typeof n == \"number\" || (void 0 ?? null))",
        "for (var k in obj) if (obj.hasOwnProperty(k)) delete obj[k]; for (const v of 'str') out += v;",
        "function h() { a\n++b\nreturn\nx = y }\n(function () {})();\n`multi\nline ${ {a: [1, 2]}.a[0] }`",
        "function F() { this.x = new F.prototype.constructor(); } F.prototype = { __proto__: null, toString() { return '' } };",
    ]

    static let vocabulary: [String] = [
        "var", "let", "const", "function", "return", "if", "else", "for", "while", "do", "break", "continue",
        "switch", "case", "default", "try", "catch", "finally", "throw", "new", "delete", "typeof", "void", "in",
        "of", "instanceof", "this", "null", "true", "false", "get", "set", "async", "await", "class", "yield",
        "'use strict'", "a", "b", "x", "eval", "arguments", "0", "1.5", "0x1F", "017", ".5", "1e3", "'s'", "\"d\"",
        "`t`", "`a${", "}`", "(", ")", "[", "]", "{", "}", ";", ",", ".", "...", "?", "?.", ":", "=>", "=", "+=",
        "**=", "+", "-", "*", "/", "%", "**", "++", "--", "<<", ">>>", "<", ">=", "==", "!==", "&", "|", "^", "!",
        "~", "&&", "||", "??", "\n", " ", "/*", "*/", "//", "\\u0061", "#", "@", "\u{2028}", "é", "😀",
    ]

    static func mutate(_ s: String, _ rng: inout SplitMix64) -> String {
        var units = Array(s.unicodeScalars)
        let edits = 1 + rng.below(4)
        for _ in 0..<edits {
            guard !units.isEmpty else { break }
            let i = rng.below(units.count)
            switch rng.below(5) {
            case 0: units.remove(at: i)
            case 1:
                let word = vocabulary[rng.below(vocabulary.count)]
                units.insert(contentsOf: word.unicodeScalars, at: i)
            case 2:
                let j = min(units.count, i + rng.below(12))
                let chunk = Array(units[i..<j])
                units.insert(contentsOf: chunk, at: rng.below(units.count))
            case 3:
                let j = min(units.count, i + rng.below(20))
                units.removeSubrange(i..<j)
            default:
                units[i] = Unicode.Scalar(UInt8(32 + rng.below(95)))
            }
        }
        var out = ""
        out.unicodeScalars.append(contentsOf: units)
        return out
    }

    static func randomTokens(_ rng: inout SplitMix64) -> String {
        (0..<(1 + rng.below(40))).map { _ in vocabulary[rng.below(vocabulary.count)] }.joined(separator: rng.below(3) == 0 ? "" : " ")
    }

    static func randomScalars(_ rng: inout SplitMix64) -> String {
        var s = ""
        for _ in 0..<rng.below(60) {
            let r = rng.below(10)
            let v: UInt32 = r < 7 ? UInt32(9 + rng.below(118)) : (r < 9 ? UInt32(0x80 + rng.below(0x3000)) : UInt32(0x1F600 + rng.below(80)))
            if let u = Unicode.Scalar(v) { s.unicodeScalars.append(u) }
        }
        return s
    }

    @Test func twoThousandRandomAndMutatedSources() {
        var rng = SplitMix64(state: 0x1A2A_2025)
        var programs = 0, errors = 0
        for i in 0..<2000 {
            let source: String
            switch i % 4 {
            case 0, 1:
                source = FuzzTests.mutate(FuzzTests.corpus[rng.below(FuzzTests.corpus.count)], &rng)
            case 2: source = FuzzTests.randomTokens(&rng)
            default: source = FuzzTests.randomScalars(&rng)
            }
            do {
                let p = try parseProgram(source)
                _ = p.dump
                programs += 1
            } catch {
                errors += 1
                let count = source.utf16.count
                #expect(error.location.offset >= 0 && error.location.offset <= count, "\(source.debugDescription): \(error)")
                #expect(error.location.line >= 1 && error.location.column >= 1)
                #expect(!error.message.isEmpty)
            }
        }
        #expect(programs + errors == 2000)
        #expect(programs > 0 && errors > 0)
    }

    @Test func corpusParses() throws {
        for s in FuzzTests.corpus {
            #expect(parses(s), "\(s): \(String(describing: syntaxError(s)))")
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let cases: [String] = [
            String(repeating: "(", count: 20_000) + "1" + String(repeating: ")", count: 20_000),
            String(repeating: "[", count: 50_000),
            String(repeating: "{", count: 50_000),
            "x = " + String(repeating: "{a:", count: 20_000),
            String(repeating: "-", count: 2) + String(repeating: "- ", count: 20_000) + "x",
            String(repeating: "if (1) ", count: 20_000) + ";",
            String(repeating: "function f() {", count: 5_000),
            String(repeating: "x => ", count: 20_000) + "1",
            String(repeating: "`${", count: 20_000),
            String(repeating: "f(", count: 20_000),
            String(repeating: "a ? ", count: 20_000) + "b",
            String(repeating: "a ** ", count: 20_000) + "b",
            String(repeating: "new ", count: 20_000) + "X",
            String(repeating: "a + ", count: 20_000) + "b",
            String(repeating: "a.", count: 20_000) + "b",
            String(repeating: "!", count: 20_000) + "b",
            String(repeating: "++", count: 20_000) + "b",
        ]
        for src in cases {
            let e = syntaxError(src)
            #expect(e != nil, "\(src.prefix(20))")
            if let e, e.message.contains("nesting") {
                #expect(e.message.contains("nesting too deep"))
            }
        }
        // Moderate nesting is fine.
        #expect(parses(String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100)))
        #expect(parses(String(repeating: "{", count: 100) + String(repeating: "}", count: 100)))
        #expect(parses((0..<500).map { "a\($0)" }.joined(separator: " + ")))
        // A tight cap is honoured.
        #expect(syntaxError("((((1))))", strict: false) == nil)
        #expect(try! parseProgram("((1))", options: ParseOptions(maxNestingDepth: 50)).body.count == 1)
        do {
            _ = try parseProgram("((((((1))))))", options: ParseOptions(maxNestingDepth: 4))
            Issue.record("expected nesting error")
        } catch {
            #expect(error.message.contains("nesting too deep"))
        }
    }

    @Test func linearTimeOnLargeInput() {
        // 200k statements must parse quickly (a quadratic parser would take minutes).
        let big = String(repeating: "var a = b + c * 2; if (a) { f(a, 'str', [1, 2]); }\n", count: 20_000)
        let clock = ContinuousClock()
        let t = clock.measure { #expect(parses(big)) }
        #expect(t < .seconds(30))
    }
}
