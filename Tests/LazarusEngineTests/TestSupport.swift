import LazarusEngine
import LazarusSyntax

/// Runs a script to its end with a LocalHost; returns console lines and the result.
func runScript(_ source: String, limits: EngineLimits = EngineLimits(), slice: Int = Int.max,
               mainArgs: HostValue? = nil, host: LocalHost = LocalHost(clock: { 1_700_000_000_000 })) throws -> (output: [String], result: RunResult) {
    let program = try compileProgram(source)
    let vm = try VM(limits: limits, consoleMode: .buffer)
    vm.load(program, mainArguments: mainArgs)
    let r = try host.runToEnd(vm, slice: slice)
    return (vm.output, r)
}

/// Console output joined by newlines; an uncaught error is appended as `!Name: message`.
func outputOf(_ source: String, limits: EngineLimits = EngineLimits()) -> String {
    do {
        let (out, r) = try runScript(source, limits: limits)
        var lines = out
        if case .failed(let e) = r { lines.append("!\(e.name): \(e.message)") }
        return lines.joined(separator: "\n")
    } catch let e as SyntaxError {
        return "!SyntaxError: \(e.message)"
    } catch {
        return "!\(error)"
    }
}

extension RunResult {
    var isCompleted: Bool { if case .completed = self { return true }; return false }
    var failure: ScriptError? { if case .failed(let e) = self { return e }; return nil }
}
