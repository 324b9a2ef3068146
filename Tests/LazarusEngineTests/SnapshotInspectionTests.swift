import Testing
import LazarusEngine

/// A job suspended in `checkpoint` inside `addTax`, called from a `map` callback in `main`.
private let script = """
const taxRate = 0.2;
function addTax(order, index) {
  const label = "order-" + index;
  let total = order.amount * (1 + taxRate);
  checkpoint(label);
  return total;
}
function main(args) {
  const orders = [{amount: 10}, {amount: 20}, {amount: 30}];
  let count = 0;
  const totals = orders.map((o, i) => {
    count++;
    return addTax(o, i);
  });
  return totals;
}
"""

/// Runs `source` until its `n`-th host call (0-based) and returns the snapshot bytes.
private func snapshot(_ source: String, atCall n: Int, program: CompiledProgram) throws -> [UInt8] {
    let vm = try VM()
    vm.load(program, mainArguments: .object([("region", .string("eu"))]))
    let host = LocalHost(clock: { 1000 })
    var calls = 0
    while true {
        switch vm.run() {
        case .hostCall(let call):
            if calls == n { return try vm.encodeSnapshot() }
            calls += 1
            vm.resume(host.handle(call))
        case .budgetExhausted: continue
        default: throw SnapshotInspectionTestError.ended
        }
    }
}

private enum SnapshotInspectionTestError: Error { case ended }

private func vars(_ frame: InspectedFrame) -> [String: String] {
    Dictionary(frame.variables.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
}

@Suite("Snapshot inspection: frames, lines, locals")
struct SnapshotInspectionTests {
    @Test func nestedCallInsideAMapCallback() throws {
        let program = try compileProgram(script)
        let inspection = try SnapshotInspector.inspect(try snapshot(script, atCall: 0, program: program), program: program)
        #expect(inspection.status == .awaitingHost)
        #expect(inspection.pendingHostCall?.name == "checkpoint")
        #expect(inspection.pendingHostCall?.arguments == [.string("order-0")])

        let frames = inspection.frames
        try #require(frames.count >= 4)
        #expect(frames[0].function == "addTax")
        #expect(frames[0].line == 5)
        #expect(frames[0].sourceLine == "  checkpoint(label);")
        #expect(frames[0].isBuiltin == false)
        let inner = vars(frames[0])
        #expect(inner["order"] == "{amount: 10}")
        #expect(inner["index"] == "0")
        #expect(inner["label"] == "\"order-0\"")
        #expect(inner["total"] == "12")
        #expect(inner["taxRate"] == "0.2")
        #expect(frames[0].variables.first { $0.name == "taxRate" }?.isCaptured == true)
        #expect(frames[0].variables.first { $0.name == "order" }?.isCaptured == false)
        // Parameters first, in declaration order.
        #expect(frames[0].variables.prefix(4).map(\.name) == ["order", "index", "label", "total"])

        #expect(frames[1].function == "<anonymous>")
        #expect(frames[1].line == 13)
        #expect(frames[1].sourceLine == "    return addTax(o, i);")
        let callback = vars(frames[1])
        #expect(callback["o"] == "{amount: 10}")
        #expect(callback["i"] == "0")
        #expect(callback["count"] == "1")
        #expect(frames[1].variables.first { $0.name == "count" }?.isCaptured == true)
        // `orders` lives in a register of `main`: not reachable from the callback.
        #expect(callback["orders"] == nil)

        #expect(frames[2].isBuiltin)
        #expect(frames[2].function == "map")
        #expect(frames[2].variables.isEmpty)

        let mainFrame = try #require(frames.first { $0.function == "main" })
        #expect(mainFrame.line == 11)
        let outer = vars(mainFrame)
        #expect(outer["orders"] == "[{amount: 10}, {amount: 20}, {amount: 30}]")
        #expect(outer["count"] == "1")
        #expect(outer["args"] == "{region: \"eu\"}")
    }

    @Test func laterSnapshotShowsLaterValues() throws {
        let program = try compileProgram(script)
        let inspection = try SnapshotInspector.inspect(try snapshot(script, atCall: 2, program: program), program: program)
        #expect(inspection.pendingHostCall?.arguments == [.string("order-2")])
        #expect(inspection.pendingHostCall?.seq == 2)
        let inner = vars(inspection.frames[0])
        #expect(inner["order"] == "{amount: 30}")
        #expect(inner["total"] == "36")
        #expect(vars(inspection.frames[1])["count"] == "3")
    }

    @Test func blockScopesAndShadowing() throws {
        let source = """
        let x = "outer";
        var g = [1, 2, 3, 4, 5];
        for (let k = 0; k < 2; k++) {
          let x = k * 10;
          const f = () => x + k;
          if (k == 1) { checkpoint("in-loop"); }
        }
        """
        let program = try compileProgram(source)
        let inspection = try SnapshotInspector.inspect(try snapshot(source, atCall: 0, program: program), program: program)
        let top = try #require(inspection.frames.first)
        #expect(top.function == "<script>")
        #expect(top.line == 6)
        let v = vars(top)
        #expect(v["x"] == "10")          // the inner `x` shadows the outer one
        #expect(v["k"] == "1")
        #expect(v["f"] == "function f")
        #expect(v["g"] == "[1, 2, 3, …] (length 5)")
        #expect(top.variables.filter { $0.name == "x" }.count == 1)
    }

    /// Inspecting between any two instructions never traps and always places script
    /// frames on a real source line.
    @Test func everyBudgetStopIsInspectable() throws {
        let program = try compileProgram(script)
        let vm = try VM()
        vm.load(program, mainArguments: .object([]))
        let host = LocalHost(clock: { 1000 })
        var stops = 0
        loop: while true {
            let result = vm.run(budget: 1)
            let inspection = vm.inspect()
            for frame in inspection.frames where !frame.isBuiltin {
                #expect(frame.line >= 1 && frame.line <= 16)
                if frame.function == "addTax" { #expect(frame.variables.contains { $0.name == "order" }) }
            }
            stops += 1
            switch result {
            case .hostCall(let call): vm.resume(host.handle(call))
            case .budgetExhausted: continue
            default: break loop
            }
        }
        #expect(stops > 50)
    }

    @Test func briefValues() throws {
        let source = #"""
        var a = {name: "a very long string that goes on and on and on and on", n: -0.5, t: true, u: undefined, deep: {x: {y: {z: 1}}}};
        var e = new TypeError("bad \"input\"");
        var h = [, 1];
        checkpoint(0);
        """#
        let program = try compileProgram(source)
        let inspection = try SnapshotInspector.inspect(try snapshot(source, atCall: 0, program: program), program: program)
        let v = vars(try #require(inspection.frames.first))
        #expect(v["a"] == #"{name: "a very long string that goes on and on a…", n: -0.5, t: true, …}"#)
        #expect(v["e"] == #"TypeError: bad "input""#)
        #expect(v["h"] == "[<hole>, 1]")
    }
}
