import Testing
import LazarusEngine

/// Host calls made from script code that a builtin calls back (JSON replacer, reviver,
/// toJSON, getters reached by JSON.stringify / Object.assign / Object.values, descriptor
/// getters, valueOf reached by Number() / Math.max, Error.prototype.toString getters) must
/// suspend with no Swift frame live, survive encode → decode at every host call, and
/// resume to the same output as a straight run.
@Suite("Builtins: host calls inside library callbacks")
struct BuiltinsHostCallTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var source: String
        var expected: [String]
        var hostCalls: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "json_stringify_replacer", source: #"""
        var s = JSON.stringify({ a: 1, b: [2, 3] }, function (k, v) {
          if (typeof v === "number") { checkpoint("r" + v); return v * 10; }
          return v;
        });
        console.log(s);
        """#, expected: [#"{"a":10,"b":[20,30]}"#], hostCalls: 3),
        Case(name: "json_stringify_toJSON_and_getter", source: #"""
        var t = { toJSON: function (k) { return "at " + now() + " key " + k; } };
        var g = { get when() { checkpoint("g"); return "got"; }, plain: 1 };
        console.log(JSON.stringify({ t: t, g: g }, null, 1));
        """#, expected: [["{", #" "t": "at 1700000000000 key t","#, #" "g": {"#, #"  "when": "got","#, #"  "plain": 1"#, " }", "}"].joined(separator: "\n")], hostCalls: 2),
        Case(name: "json_parse_reviver", source: #"""
        var v = JSON.parse('{"a":1,"b":{"c":2}}', function (k, v) {
          if (typeof v === "number") { records.create("seen", { k: k }); return v + 100; }
          return v;
        });
        console.log(JSON.stringify(v));
        """#, expected: [#"{"a":101,"b":{"c":102}}"#], hostCalls: 2),
        Case(name: "object_assign_getter_and_setter", source: #"""
        var log = [];
        var target = { set y(v) { checkpoint("set"); log.push("set " + v); } };
        var src = { get x() { checkpoint("get"); return 5; }, y: 6 };
        Object.assign(target, src);
        console.log(target.x, log.join());
        """#, expected: ["5 set 6"], hostCalls: 2),
        Case(name: "object_values_entries_getters", source: #"""
        var o = { a: 1, get b() { return now() > 0 ? "b" : "?"; } };
        console.log(Object.values(o).join(), JSON.stringify(Object.entries(o)));
        """#, expected: [#"1,b [["a",1],["b","b"]]"#], hostCalls: 2),
        Case(name: "define_property_descriptor_getter", source: #"""
        var desc = { get value() { checkpoint("desc"); return 42; }, enumerable: true };
        var o = Object.defineProperty({}, "x", desc);
        var p = Object.defineProperties({}, { y: { get enumerable() { checkpoint("e"); return true; }, value: 1 } });
        console.log(o.x, Object.keys(o).join(), Object.keys(p).join());
        """#, expected: ["42 x y"], hostCalls: 2),
        Case(name: "value_of_in_number_and_math", source: #"""
        var obj = { valueOf: function () { checkpoint("v"); return 7; } };
        console.log(Number(obj), Math.max(1, obj), Math.floor(obj), isNaN(obj), (3.14159).toFixed(obj) );
        """#, expected: ["7 7 7 false 3.1415900"], hostCalls: 5),
        Case(name: "error_to_string_getter", source: #"""
        var e = { get name() { checkpoint("n"); return "Custom"; }, message: "m" };
        console.log(Error.prototype.toString.call(e), String(new TypeError({ toString: function () { checkpoint("t"); return "msg"; } })));
        """#, expected: ["Custom: m TypeError: msg"], hostCalls: 2),
        Case(name: "math_random_is_deterministic", source: #"""
        var xs = [];
        for (var i = 0; i < 5; i++) { xs.push(Math.random()); if (i === 2) checkpoint("mid"); }
        console.log(xs.every(function (x) { return x >= 0 && x < 1; }), xs.length);
        console.log(xs.join());
        """#, expected: [], hostCalls: 1),
    ]

    @Test(arguments: cases)
    func straightRunAndRestoredRunsAgree(_ c: Case) throws {
        let straight = try SnapshotTestRunner.run(c.source)
        #expect(straight.result.hasPrefix("completed"), "\(straight)")
        if !c.expected.isEmpty { #expect(straight.lines == c.expected) }
        #expect(straight.hostCalls.count == c.hostCalls, "\(straight.hostCalls)")
        for k in [1, 7, 97] {
            let restored = try SnapshotTestRunner.run(c.source, restoreEvery: k)
            #expect(restored.lines == straight.lines, "restore every \(k)")
            #expect(restored.hostCalls == straight.hostCalls, "restore every \(k)")
            #expect(restored.restores > 0)
        }
    }

    @Test func mathRandomSameSequenceInFreshVMs() throws {
        let src = "var a = []; for (var i = 0; i < 4; i++) a.push(Math.random()); console.log(a.join());"
        let a = try runScript(src).output, b = try runScript(src).output
        #expect(a == b)
        #expect(a.first?.split(separator: ",").count == 4)
    }

    @Test func errorStackHasScriptFrames() throws {
        let (out, r) = try runScript("""
        function inner() { return new RangeError("deep"); }
        function outer() { return inner(); }
        var e = outer();
        console.log(e.stack);
        """)
        #expect(r.isCompleted)
        let text = out.joined(separator: "\n")
        #expect(text.hasPrefix("RangeError: deep"))
        #expect(text.contains("at inner (1:"))
        #expect(text.contains("at outer (2:"))
        #expect(text.contains("<script>"))
    }

    @Test func suspendedReplacerLeavesNoSwiftFrame() throws {
        // The VM is fully suspended inside the replacer: it encodes while awaiting the host.
        let program = try compileProgram(#"var s = JSON.stringify([1, 2], function (k, v) { return k === "1" ? now() : v; }); console.log(s);"#)
        let vm = try VM(consoleMode: .buffer)
        vm.load(program, mainArguments: nil)
        guard case .hostCall(let call) = vm.run() else { Issue.record("expected a host call"); return }
        #expect(call.name == "now")
        let restored = try SnapshotCodec.roundTrip(vm, program: program)
        restored.resume(.value(.number(5)))
        #expect(restored.run().isCompleted)
        #expect(restored.output == ["[1,5]"])
    }
}
