import LazarusSyntax
import LazarusDigest

// MARK: - CompiledProgram: canonical bytes and program hash

/// A compiled script, ready to load into VMs. Immutable and shareable.
public struct CompiledProgram: Sendable, Hashable {
    public let unit: CompiledUnit
    /// Deterministic serialization of the program's functions and constants (and the
    /// engine ABI version and prelude id), the input of `programHash`.
    public let canonicalBytes: [UInt8]
    /// SHA-256 of `canonicalBytes`.
    public let programHash: [UInt8]
    public var programHashHex: String { SHA256.hex(programHash) }

    init(unit: CompiledUnit) {
        self.unit = unit
        var w = ByteWriter()
        w.bytes.append(contentsOf: Array("LZPG".utf8))
        w.u32(engineABIVersion)
        w.bytes.append(contentsOf: Prelude.id)
        CompiledProgram.encode(unit, into: &w)
        canonicalBytes = w.bytes
        programHash = SHA256.hash(w.bytes)
    }

    /// Canonical encoding of a unit (also used for the prelude id).
    static func encode(_ unit: CompiledUnit, into w: inout ByteWriter) {
        w.uleb(UInt64(unit.strings.count))
        for s in unit.strings { w.string(s) }
        w.uleb(UInt64(unit.rawStrings.count))
        for (i, units) in unit.rawStrings.sorted(by: { $0.key < $1.key }) {
            w.i32(i)
            w.uleb(UInt64(units.count))
            for u in units { w.u16(u) }
        }
        w.uleb(UInt64(unit.numbers.count))
        for d in unit.numbers { w.f64(d) }
        w.u32(UInt32(unit.cacheSlots))
        w.string(unit.source)
        w.uleb(UInt64(unit.functions.count))
        for f in unit.functions {
            w.string(f.name)
            w.i32(f.paramCount); w.i32(f.length); w.i32(f.registerCount); w.i32(f.maxStack)
            w.u16(f.flags.rawValue)
            w.i32(f.argumentsRegister); w.i32(f.restRegister)
            w.i32(f.sourceStart); w.i32(f.sourceEnd)
            w.uleb(UInt64(f.code.count))
            for ins in f.code { w.u8(ins.op.rawValue); w.u16(UInt16(bitPattern: ins.c)); w.i32(ins.a); w.i32(ins.b) }
            w.uleb(UInt64(f.handlers.count))
            for h in f.handlers { w.i32(h.start); w.i32(h.end); w.i32(h.handler); w.i32(h.stackDepth) }
            w.uleb(UInt64(f.lines.count))
            for l in f.lines { w.i32(l.pc); w.i32(l.line); w.i32(l.column) }
        }
    }
}

/// Parses and compiles a script. Errors: syntax errors, early errors and unsupported
/// features, each with line:column.
public func compileProgram(_ source: String) throws(SyntaxError) -> CompiledProgram {
    let program = try parseProgram(source)
    let unit = try Compiler.compile(program)
    return CompiledProgram(unit: unit)
}

/// Compiles an already parsed program.
public func compileProgram(_ program: Program) throws(SyntaxError) -> CompiledProgram {
    CompiledProgram(unit: try Compiler.compile(program))
}
