import Testing
import LazarusEngine

/// Drives a VM by hand: every host call is answered by `answer` (default: LocalHost).
private func drive(_ source: String, slice: Int = Int.max,
                   answer: ((PendingHostCall) -> HostResult)? = nil) throws -> (calls: [PendingHostCall], output: [String], result: RunResult) {
    let vm = try VM(consoleMode: .buffer)
    vm.load(try compileProgram(source), mainArguments: nil)
    let host = LocalHost(clock: { 1000 })
    var calls: [PendingHostCall] = []
    while true {
        let r = vm.run(budget: slice)
        switch r {
        case .hostCall(let c):
            calls.append(c)
            vm.resume(answer?(c) ?? host.handle(c))
        case .budgetExhausted: continue
        default: return (calls, vm.output, r)
        }
    }
}

@Suite("Host calls: suspension and resumption")
struct HostCallTests {
    @Test func suspendsWithNameArgumentsAndSequence() throws {
        let vm = try VM()
        vm.load(try compileProgram(#"var r = records.create("order", {total: 5, tags: ["a"]}); console.log(r.id, r.fields.total); now();"#))
        guard case .hostCall(let c) = vm.run() else { Issue.record("expected a host call"); return }
        #expect(c.seq == 0)
        #expect(c.name == "records.create")
        #expect(c.arguments == [.string("order"), .object([("total", .number(5)), ("tags", .array([.string("a")]))])])
        #expect(vm.status == .awaitingHost)
        vm.resume(.value(.object([("id", .string("order-9")), ("fields", .object([("total", .number(5))]))])))
        guard case .hostCall(let c2) = vm.run() else { Issue.record("expected a second host call"); return }
        #expect(c2.seq == 1 && c2.name == "now")
        vm.resume(.value(.number(1)))
        #expect(vm.run().isCompleted)
        #expect(vm.output == ["order-9 5"])
        #expect(vm.hostCallSeq == 2)
    }

    @Test func hostErrorIsThrownAtTheCallSite() throws {
        let (_, out, r) = try drive(#"""
        try { records.load("x", "1"); } catch (e) { console.log(e.name, e.message, e instanceof TypeError); }
        try { records.load("x", "2"); } catch (e) { console.log(e.name, e.message); }
        """#, answer: { c in
            c.seq == 0 ? .error(name: "TypeError", message: "denied") : .error(name: "NotFound", message: "missing")
        })
        #expect(r.isCompleted)
        #expect(out == ["TypeError denied true", "NotFound missing"])
    }

    @Test func uncaughtHostErrorFailsTheScript() throws {
        let (_, _, r) = try drive("checkpoint('a');", answer: { _ in .error(name: "RangeError", message: "too big") })
        #expect(r.failure?.name == "RangeError")
        #expect(r.failure?.message == "too big")
    }

    @Test func hostCallInsideMapCallback() throws {
        let (calls, out, r) = try drive("var xs = [1, 2, 3].map(function (x) { return now() + x; }); console.log(xs.join());",
                                        answer: { c in .value(.number(Double(c.seq * 10))) })
        #expect(r.isCompleted)
        #expect(calls.map(\.seq) == [0, 1, 2])
        #expect(out == ["1,12,23"])
    }

    @Test func hostCallInsideForEachFilterReduce() throws {
        let (calls, out, _) = try drive("""
        var t = 0; [1, 2].forEach(function (x) { t += random() > 2 ? 0 : x; });
        var f = [1, 2, 3].filter(function (x) { return now() === 0 || x > 1; });
        var s = [1, 2, 3].reduce(function (a, x) { checkpoint('r'); return a + x; }, 0);
        console.log(t, f.join(), s);
        """, answer: { c in .value(c.name == "checkpoint" ? .null : .number(1)) })
        #expect(calls.count == 8)
        #expect(out == ["3 2,3 6"])
    }

    @Test func hostCallInsideSortComparator() throws {
        let (calls, out, r) = try drive("var a = [3, 1, 2].sort(function (x, y) { checkpoint('cmp'); return x - y; }); console.log(a.join());")
        #expect(r.isCompleted)
        #expect(calls.count >= 2)
        #expect(calls.allSatisfy { $0.name == "checkpoint" })
        #expect(out == ["1,2,3"])
    }

    @Test func hostCallInsideGetterAndSetter() throws {
        let (calls, out, _) = try drive("""
        var o = { get t() { return now(); }, set u(v) { log('set', v); } };
        console.log(o.t + 1); o.u = 5; console.log('after');
        """, answer: { c in .value(c.name == "now" ? .number(41) : .null) })
        #expect(calls.map(\.name) == ["now", "log"])
        #expect(calls[1].arguments == [.string("set"), .number(5)])
        #expect(out == ["42", "after"])
    }

    @Test func hostCallInsideToStringAndValueOf() throws {
        let (calls, out, _) = try drive("""
        var a = { toString: function () { return 'n' + now(); } };
        var b = { valueOf: function () { return random(); } };
        console.log(String(a), `${a}`, b + 1, b * 2 > 0);
        """, answer: { c in .value(.number(c.name == "now" ? 7 : 0.5)) })
        #expect(calls.map(\.name) == ["now", "now", "random", "random"])
        #expect(out == ["n7 n7 1.5 true"])
    }

    @Test func hostCallWhileSlicedAndSuspendedManyTimes() throws {
        let (calls, out, r) = try drive("""
        var s = 0; for (var i = 0; i < 50; i++) { s += now(); }
        console.log(s);
        """, slice: 7, answer: { c in .value(.number(Double(c.seq))) })
        #expect(r.isCompleted)
        #expect(calls.count == 50)
        #expect(out == ["1225"])
    }

    @Test func recordsApiAgainstInMemoryStore() throws {
        let (_, out, r) = try drive("""
        var a = records.create('customer', {name: 'Ann', tier: 'gold'});
        var b = records.create('customer', {name: 'Bob', tier: 'silver'});
        console.log(a.id, a.version, b.id);
        var u = records.update('customer', a.id, {tier: 'platinum'}, 1);
        console.log(u.version, u.fields.tier, u.fields.name);
        try { records.update('customer', a.id, {tier: 'x'}, 1); } catch (e) { console.log('conflict', e.name); }
        console.log(records.query('customer', {tier: 'silver'}).length, records.query('customer', {}, 1).length);
        console.log(records.load('customer', b.id).fields.name, records.load('customer', 'nope'));
        console.log(records.remove('customer', b.id), records.remove('customer', b.id));
        console.log(JSON_keys(checkpoint('here')));
        function JSON_keys(o) { return Object.keys(o).join() + ':' + o.label; }
        """)
        #expect(r.isCompleted)
        #expect(out == ["customer-1 1 customer-2", "2 platinum Ann", "conflict Error", "1 1", "Bob null", "true false", "status,label:here"])
    }

    @Test func consoleAsHostCall() throws {
        let vm = try VM(consoleMode: .hostCall)
        vm.load(try compileProgram("console.log('a', 1, {});"))
        guard case .hostCall(let c) = vm.run() else { Issue.record("expected log"); return }
        #expect(c.name == "log")
        #expect(c.arguments == [.string("a 1 [object Object]")])
        vm.resume(.value(.null))
        #expect(vm.run().isCompleted)
    }

    @Test func mainReceivesArgsAndItsReturnValueCompletesTheJob() throws {
        let vm = try VM()
        vm.load(try compileProgram("var seen = 'top'; function main(args) { return {k: args.k, seen: seen, n: now()}; }"),
                mainArguments: .object([("k", .string("v"))]))
        guard case .hostCall(let c) = vm.run() else { Issue.record("expected now()"); return }
        #expect(c.name == "now")
        vm.resume(.value(.number(3)))
        guard case .completed(let v) = vm.run() else { Issue.record("expected completion"); return }
        #expect(v == .object([("k", .string("v")), ("seen", .string("top")), ("n", .number(3))]))
    }

    @Test func nonSerializableHostArgumentIsATypeError() throws {
        let (calls, out, _) = try drive("var o = {}; o.self = o; try { log(o); } catch (e) { console.log(e.name); }")
        #expect(calls.isEmpty)
        #expect(out == ["TypeError"])
    }
}
