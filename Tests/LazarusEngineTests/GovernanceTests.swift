import Testing
import LazarusEngine

@Suite("Governance: budget, heap and stack limits")
struct GovernanceTests {
    @Test func infiniteLoopStopsAtItsBudgetAndResumes() throws {
        let vm = try VM()
        vm.load(try compileProgram("var n = 0; while (true) { n++; }"))
        for _ in 0..<3 {
            guard case .budgetExhausted = vm.run(budget: 10_000) else { Issue.record("expected budget exhaustion"); return }
        }
        #expect(vm.instructionCount == 30_000)
        #expect(vm.status == .ready)
    }

    @Test func slicedRunEqualsStraightRun() throws {
        let src = """
        var out = []; function f(n) { return n < 2 ? n : f(n - 1) + f(n - 2); }
        for (var i = 0; i < 15; i++) out.push(f(i));
        try { null.x; } catch (e) { out.push(e.name); }
        console.log(out.join());
        """
        let straight = try runScript(src)
        for slice in [1, 2, 7, 97, 1000] {
            let sliced = try runScript(src, slice: slice)
            #expect(sliced.output == straight.output, "slice \(slice)")
        }
    }

    @Test func memoryBombHitsTheHeapLimitCatchably() throws {
        var limits = EngineLimits()
        limits.maxHeapBytes = 16 << 20
        limits.gcAllocationInterval = 10_000
        let src = """
        var keep = [];
        try { while (true) keep.push({i: keep.length, s: 'x' + keep.length}); }
        catch (e) { var n = keep.length; keep = null; console.log(e.name, e.message.indexOf('heap limit') >= 0, n > 1000); }
        var after = []; for (var i = 0; i < 1000; i++) after.push({i: i});
        console.log('still running', after.length);
        """
        let (out, r) = try runScript(src, limits: limits)
        #expect(r.isCompleted)
        #expect(out == ["RangeError true true", "still running 1000"])
    }

    @Test func uncaughtMemoryBombFailsWithRangeError() throws {
        var limits = EngineLimits()
        limits.maxHeapBytes = 8 << 20
        let (_, r) = try runScript("var a = []; while (true) a.push([a.length, a.length]);", limits: limits)
        #expect(r.failure?.name == "RangeError")
    }

    @Test func deepRecursionHitsTheStackLimitCatchably() throws {
        var limits = EngineLimits()
        limits.maxStackDepth = 500
        let src = """
        function down(n) { return down(n + 1) + 1; }
        try { down(0); } catch (e) { console.log(e.name, e.message); }
        function ok(n) { return n === 0 ? 0 : 1 + ok(n - 1); }
        console.log(ok(400));
        """
        let (out, r) = try runScript(src, limits: limits)
        #expect(r.isCompleted)
        #expect(out == ["RangeError Maximum call stack size exceeded", "400"])
    }

    @Test func deepRecursionThroughCallbacksAndGetters() throws {
        var limits = EngineLimits()
        limits.maxStackDepth = 300
        let src = """
        var o = { get x() { return [1].map(function () { return o.x; })[0]; } };
        try { o.x; } catch (e) { console.log(e.name); }
        """
        let (out, _) = try runScript(src, limits: limits)
        #expect(out == ["RangeError"])
    }

    @Test func hugeStringIsARangeError() throws {
        var limits = EngineLimits()
        limits.maxStringLength = 1 << 16
        let (out, _) = try runScript("var s = 'x'; try { while (true) s = s + s; } catch (e) { console.log(e.name, s.length); }", limits: limits)
        #expect(out == ["RangeError 65536"])
    }

    @Test func hostGoesOnAfterFailures() throws {
        var limits = EngineLimits()
        limits.maxStackDepth = 100
        for _ in 0..<3 {
            let (_, r) = try runScript("function f() { f(); } f();", limits: limits)
            #expect(r.failure?.message == "Maximum call stack size exceeded")
        }
        let (out, _) = try runScript("console.log('fine');")
        #expect(out == ["fine"])
    }

    @Test func scriptsReachOnlyTheHostAPI() throws {
        let (out, _) = try runScript("""
        console.log(typeof require, typeof process, typeof fetch, typeof XMLHttpRequest, typeof setTimeout, typeof Deno);
        try { Function('return 1'); } catch (e) { console.log(e.name); }
        """)
        #expect(out == ["undefined undefined undefined undefined undefined undefined", "EvalError"])
    }
}
