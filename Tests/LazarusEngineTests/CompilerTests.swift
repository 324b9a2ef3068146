import Testing
import LazarusEngine
import LazarusSyntax

@Suite("Compiler: bytecode, hashes")
struct CompilerTests {
    func function(_ source: String, _ index: Int = 1) throws -> FunctionCode {
        try compileProgram(source).unit.functions[index]
    }

    @Test func addFunctionBytecode() throws {
        let f = try function("function add(a, b) { return a + b; }")
        #expect(f.name == "add")
        #expect(f.paramCount == 2 && f.length == 2)
        #expect(f.code.map(\.op) == [.getLocal, .getLocal, .add, .return, .returnUndefined])
        #expect(f.code[0].a == 0 && f.code[1].a == 1)
        #expect(f.handlers.isEmpty)
        #expect(f.flags.contains(.constructor) && !f.flags.contains(.strict))
    }

    @Test func uncapturedLocalsUseRegistersCapturedUseEnvironments() throws {
        let plain = try function("function f() { var x = 1; return x; }")
        #expect(!plain.code.contains { $0.op == .pushEnv })
        let captured = try function("function f() { var x = 1; return function () { return x; }; }")
        #expect(captured.code.first?.op == .pushEnv)
        let inner = try function("function f() { var x = 1; return function () { return x; }; }", 2)
        #expect(inner.code.contains { $0.op == .getEnv && $0.a == 0 && $0.b == 0 })
    }

    @Test func tryCatchHasAnExceptionTableEntry() throws {
        let f = try function("function f() { try { g(); } catch (e) { return 1; } return 2; }")
        #expect(f.handlers.count == 1)
        let h = f.handlers[0]
        #expect(h.start < h.end && h.end <= h.handler)
        #expect(f.code.contains { $0.op == .call })
    }

    @Test func lineTableMapsCallsToSource() throws {
        let f = try function("function f() {\n  var a = 1;\n  g(a);\n}")
        let callPC = f.code.firstIndex { $0.op == .call }!
        #expect(f.position(at: callPC).line == 3)
    }

    @Test func globalsAreProperties() throws {
        let s = try function("var x = 1; x = x + 1;", 0)
        #expect(s.code.contains { $0.op == .declareGlobalVar })
        #expect(s.code.contains { $0.op == .setGlobal })
        #expect(s.flags.contains(.script))
    }

    @Test func programHashIsDeterministicAndCoversTheSource() throws {
        let a = try compileProgram("var x = 1;")
        let b = try compileProgram("var x = 1;")
        let c = try compileProgram("var x = 2;")
        #expect(a.canonicalBytes == b.canonicalBytes)
        #expect(a.programHash == b.programHash)
        #expect(a.programHash != c.programHash)
        #expect(a.programHash.count == 32)
    }


    @Test func numberFormattingFollowsTheSpec() {
        let cases: [(Double, String)] = [(0.1 + 0.2, "0.30000000000000004"), (1e21, "1e+21"), (123456789012, "123456789012"),
                                         (-0.0, "0"), (1e-7, "1e-7"), (1e-6, "0.000001"), (1.5e300, "1.5e+300"),
                                         (.nan, "NaN"), (-.infinity, "-Infinity"), (5e-324, "5e-324"), (123.456, "123.456"),
                                         (1e20, "100000000000000000000"), (-1234.5678, "-1234.5678")]
        for (d, s) in cases { #expect(NumberFormatting.toString(d) == s) }
        #expect(NumberFormatting.parse(Array(" 0x1F ".utf16)) == 31)
        #expect(NumberFormatting.parse(Array("1e3".utf16)) == 1000)
        #expect(NumberFormatting.parse(Array("".utf16)) == 0)
        #expect(NumberFormatting.parse(Array("12px".utf16)).isNaN)
        #expect(NumberFormatting.parse(Array("-Infinity".utf16)) == -.infinity)
        #expect(NumberFormatting.parse(Array("inf".utf16)).isNaN)
    }
}
