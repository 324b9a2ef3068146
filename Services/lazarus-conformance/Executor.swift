import LazarusEngine
import LazarusSyntax

// MARK: - Executor: one test in fresh VMs

/// How one test ended.
enum Status: String, Sendable, CaseIterable {
    case pass, fail
    /// The instruction budget (or the parent's wall-clock limit) ran out.
    case timeout
    /// The engine trapped (a Swift runtime crash) and took its worker process down.
    case crash
}

/// The outcome of a test in one configuration: the first run (mode) that did not pass
/// and why, or a pass.
struct Verdict: Sendable {
    var status: Status
    /// The failing run's mode (nil for passes, crashes and wall-clock timeouts).
    var mode: Mode?
    /// One line: `Name: message` of the error, or what was expected and did not happen.
    var message: String

    static let pass = Verdict(status: .pass, mode: nil, message: "")
}

/// Bounds of a single run. An endless test is a `timeout`, never a hang.
struct ExecutionLimits: Sendable {
    /// Instructions a run may execute in total (across all restore slices).
    var instructionBudget: Int = 50_000_000
    /// The VM's heap limit (`RangeError: heap limit exceeded` past it).
    var heapBytes: Int = 256 << 20

    var engineLimits: EngineLimits {
        var l = EngineLimits()
        l.maxHeapBytes = heapBytes
        return l
    }
}

/// Runs tests in fresh VMs per INTERPRETING.md. `restoreEvery > 0` serializes the VM and
/// continues in a freshly decoded one every that many instructions.
struct Executor {
    let harness: Harness
    let limits: ExecutionLimits

    /// Runs every required mode of `test`; the test passes when all of them pass.
    func run(_ test: TestCase, restoreEvery: Int) -> Verdict {
        let body: String
        do { body = try readText(harness.root + "/" + test.path) } catch {
            return Verdict(status: .fail, mode: nil, message: "runner: \(error)")
        }
        for mode in test.modes {
            var v = runOnce(test, body: body, mode: mode, restoreEvery: restoreEvery)
            if v.status != .pass {
                v.mode = mode
                return v
            }
        }
        return .pass
    }

    /// One run: compile, then execute to the end within the budget.
    func runOnce(_ test: TestCase, body: String, mode: Mode, restoreEvery: Int) -> Verdict {
        let negative = test.meta.negative
        let expectsEarlyError = negative.map { $0.phase == "parse" || $0.phase == "early" } ?? false
        let source: String
        do { source = try harness.source(for: test, body: body, mode: mode) } catch {
            return Verdict(status: .fail, mode: mode, message: "runner: \(error)")
        }

        let program: CompiledProgram
        do {
            program = try compileProgram(source)
        } catch {
            if expectsEarlyError, let negative {
                return negative.type == "SyntaxError" ? .pass
                    : fail("expected \(negative.type) at \(negative.phase), got SyntaxError: \(error.message)")
            }
            let what = error.isUnsupportedFeature ? "SyntaxError (unsupported)" : "SyntaxError"
            return fail("\(what): \(error.message)")
        }
        if expectsEarlyError, let negative {
            return fail("expected \(negative.type) at \(negative.phase), but the program compiled")
        }

        do {
            switch try execute(program, restoreEvery: restoreEvery) {
            case .completed:
                if let negative { return fail("expected \(negative.type) at \(negative.phase), but the test completed") }
                return .pass
            case .failed(let error):
                let (name, message) = Executor.describe(error)
                if let negative, negative.phase == "runtime" {
                    return name == negative.type ? .pass
                        : fail("expected \(negative.type) at runtime, got \(Executor.line(name, message))")
                }
                return fail(Executor.line(name, message))
            case .hostCall, .budgetExhausted:
                return Verdict(status: .timeout, mode: mode,
                               message: "timeout: instruction budget of \(limits.instructionBudget) exhausted")
            }
        } catch {
            return fail("engine: \(error)")
        }
    }

    /// Drives a fresh VM to its end. Host calls are answered by a `LocalHost`; when the
    /// total budget runs out the result is `.budgetExhausted`.
    func execute(_ program: CompiledProgram, restoreEvery: Int) throws -> RunResult {
        var vm = try VM(limits: limits.engineLimits, consoleMode: .direct({ _ in }))
        vm.load(program, mainArguments: nil)
        let host = LocalHost()
        let budget = UInt64(limits.instructionBudget)
        while true {
            let used = vm.instructionCount
            if used >= budget { return .budgetExhausted }
            let remaining = Int(budget - used)
            let slice = restoreEvery > 0 ? min(restoreEvery, remaining) : remaining
            let result = vm.run(budget: slice)
            switch result {
            case .completed, .failed:
                return result
            case .hostCall(let call):
                vm.resume(host.handle(call))
            case .budgetExhausted:
                if restoreEvery > 0, vm.instructionCount < budget {
                    vm = try SnapshotBridge.roundTrip(vm, program: program, limits: limits.engineLimits)
                }
            }
        }
    }

    private func fail(_ message: String) -> Verdict {
        Verdict(status: .fail, mode: nil, message: message)
    }

    /// The error's constructor name and message. The engine reports a thrown non-Error
    /// object as `Uncaught` with its own enumerable data properties; an object whose only
    /// such property is `message` is what test262's `Test262Error` looks like.
    static func describe(_ e: ScriptError) -> (name: String, message: String) {
        if e.name == "Uncaught", case .object(let pairs)? = e.thrownValue, pairs.count == 1,
           pairs[0].0 == "message", case .string(let m) = pairs[0].1 {
            return ("Test262Error", m)
        }
        return (e.name, e.message)
    }

    /// `Name: message` on one line (first line of the message only).
    static func line(_ name: String, _ message: String) -> String {
        let first = message.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return first.isEmpty ? name : "\(name): \(first)"
    }
}
