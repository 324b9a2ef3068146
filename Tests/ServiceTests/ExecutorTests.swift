import Foundation
import LazarusKafka
import LazarusWire
import Testing

// script-executor as a real process against a real (dev) broker; the test plays the
// checkpoint service (run commands) and the object proxy (answers to host calls).

@Suite("script-executor")
struct ExecutorTests {
    @Test("asks to recover its partitions, runs a script through its host calls, exits 0 on SIGTERM")
    func runsAScriptThroughItsHostCalls() async throws {
        let harness = try await ExecutorHarness.start("basic")
        let recover = try #require(harness.probe.decoded(ControlMessage.self, on: LazarusTopics.control).first { $0.jobId == harness.instanceId })
        #expect(recover.command == .recover)
        #expect(recover.partitions == Array(0..<12), "the only member owns every partition")

        try await harness.run("job-basic", """
            function main(args) {
              console.log("hello", args.who);
              const t = now();
              const r = records.create("invoice", {n: 1});
              return {greeting: "hi " + args.who, t: t, id: r.id};
            }
            """, args: .object([("who", .string("ann"))]))
        let started = try await harness.event("job-basic", .started)
        #expect(started.epoch == 1)
        #expect(started.tenant == "acme")

        let log = try await harness.call("job-basic", seq: 1)
        #expect(log.op == "log")
        #expect(log.args == [.string("hello ann")])
        #expect(log.epoch == 1 && log.tenant == "acme" && log.policy == .explicit)
        #expect(log.continuation == nil, "policy explicit: no save point at a log call")
        try await harness.reply(log, result: .null)

        let now = try await harness.call("job-basic", seq: 2)
        #expect(now.op == "now" && now.args.isEmpty)
        try await harness.reply(now, result: .number(1234))

        let create = try await harness.call("job-basic", seq: 3)
        #expect(create.op == "records.create")
        #expect(create.args == [.string("invoice"), .object([("n", .number(1))])])
        try await harness.reply(create, result: .object([("type", .string("invoice")), ("id", .string("r-7")),
                                                         ("version", .number(1)), ("fields", .object([("n", .number(1))]))]))

        let end = try await harness.end("job-basic")
        #expect(end.type == .completed)
        #expect(end.epoch == 1)
        #expect(end.seq == 3, "the end event counts the script's host calls")
        #expect(end.result == .object([("greeting", .string("hi ann")), ("t", .number(1234)), ("id", .string("r-7"))]))
        #expect(harness.calls("job-basic").count == 3)

        harness.executor.signal(SIGTERM)
        #expect(await harness.executor.waitForExit(timeout: .seconds(30)) == 0)
        await harness.stop()
    }

    @Test("host-call errors are catchable; script and syntax errors fail the job with line:column; bad input is dead-lettered")
    func failuresAreReported() async throws {
        let harness = try await ExecutorHarness.start("failures")
        try await harness.probe.sendRaw(Array("{not json".utf8), to: LazarusTopics.runs, key: "garbage")

        try await harness.run("job-catch", """
            function main() {
              try {
                records.load("invoice", "nope");
                return "no error";
              } catch (e) {
                return e.name + "|" + e.message + "|" + (e instanceof Error);
              }
            }
            """)
        try await harness.run("job-throws", """
            function main() {
              return helper(3);
            }
            function helper(n) {
              const o = null;
              return o.field + n;
            }
            """)
        try await harness.run("job-syntax", "let a = 1;\nlet b = ;\n")
        try await harness.run("job-uncaught-host-error", "records.load('invoice', 'x');\n")

        let load = try await harness.call("job-catch", seq: 1)
        try await harness.reply(load, .error(CallError(code: "not-found", message: "no invoice nope")))
        let caught = try await harness.end("job-catch")
        #expect(caught.type == .completed)
        #expect(caught.result == .string("NotFoundError|no invoice nope|true"))

        let thrown = try await harness.end("job-throws")
        #expect(thrown.type == .failed)
        #expect(thrown.error?.name == "TypeError")
        let stack = thrown.error?.stack ?? ""
        #expect(stack.contains("helper (6:"), "stack: \(stack)")
        #expect(stack.contains("main (2:"), "stack: \(stack)")

        let syntax = try await harness.end("job-syntax")
        #expect(syntax.type == .failed)
        #expect(syntax.error?.name == "SyntaxError")
        #expect(syntax.error?.message.contains(" at 2:") == true, "message: \(syntax.error?.message ?? "")")
        #expect(harness.calls("job-syntax").isEmpty)

        let uncaughtCall = try await harness.call("job-uncaught-host-error", seq: 1)
        try await harness.reply(uncaughtCall, .error(CallError(code: "version-conflict", message: "record changed")))
        let uncaught = try await harness.end("job-uncaught-host-error")
        #expect(uncaught.error?.name == "VersionConflictError")
        #expect(uncaught.error?.message == "record changed")
        #expect(uncaught.seq == 1, "a failed job's event counts its host calls too")

        try await waitUntil("the garbage run command is dead-lettered") { !harness.probe.deadLetters().isEmpty }
        #expect(harness.probe.deadLetters().first?.sourceTopic == LazarusTopics.runs)
        await harness.stop()
    }

    @Test("results of a stale epoch or another seq are ignored; a newer epoch supersedes the running VM")
    func staleRepliesAreIgnored() async throws {
        let harness = try await ExecutorHarness.start("stale")
        try await harness.run("job-stale", "function main() { const a = now(); const b = now(); return [a, b]; }")
        let first = try await harness.call("job-stale", seq: 1)
        // Same partition as the right answer, so the executor sees them first.
        try await harness.probe.send(CallReply(jobId: "job-stale", epoch: 0, seq: 1, outcome: .value(.number(111))), to: LazarusTopics.callResults)
        try await harness.probe.send(CallReply(jobId: "job-stale", epoch: 1, seq: 2, outcome: .value(.number(222))), to: LazarusTopics.callResults)
        try await harness.probe.send(CallReply(jobId: "job-stale", epoch: 7, seq: 1, outcome: .value(.number(777))), to: LazarusTopics.callResults)
        try await harness.reply(first, result: .number(1))
        let second = try await harness.call("job-stale", seq: 2)
        try await harness.reply(second, result: .number(2))
        let end = try await harness.end("job-stale")
        #expect(end.result == .array([.number(1), .number(2)]))

        try await harness.run("job-epoch", "function main() { return now(); }")
        let old = try await harness.call("job-epoch", seq: 1, epoch: 1)
        try await harness.run("job-epoch", "function main() { return now(); }", epoch: 2, reason: "recover")
        let resumed = try await harness.event("job-epoch", .resumed)
        #expect(resumed.epoch == 2)
        let new = try await harness.call("job-epoch", seq: 1, epoch: 2)
        try await harness.run("job-epoch", "function main() { return now(); }", epoch: 1)  // stale: ignored
        try await harness.reply(old, result: .number(5))  // to the superseded VM: ignored
        try await harness.reply(new, result: .number(6))
        let epochEnd = try await harness.end("job-epoch")
        #expect(epochEnd.epoch == 2)
        #expect(epochEnd.result == .number(6))
        #expect(harness.calls("job-epoch").filter { $0.epoch == 1 }.count == 1)
        #expect(harness.events("job-epoch").filter(\.isTerminal).count == 1)
        await harness.stop()
    }

    @Test("a call without a result in time is sent again with the same seq")
    func unansweredCallsAreSentAgain() async throws {
        let harness = try await ExecutorHarness.start("timeout", arguments: ["--call-timeout", "1"])
        try await harness.run("job-slow", "function main() { return random(); }")
        try await waitUntil("call 1 was sent twice") { harness.calls("job-slow").filter { $0.seq == 1 }.count >= 2 }
        let calls = harness.calls("job-slow")
        #expect(Set(calls.map(\.seq)) == [1])
        #expect(Set(calls.map(\.epoch)) == [1])
        try await harness.reply(calls[0], result: .number(0.5))
        let end = try await harness.end("job-slow")
        #expect(end.result == .number(0.5))
        await harness.stop()
    }

    @Test("20 jobs at once all complete")
    func twentyConcurrentJobsComplete() async throws {
        let harness = try await ExecutorHarness.start("twenty")
        let host = FakeObjectHost(harness)
        defer { host.cancel() }
        let script = """
            function main(args) {
              const ids = [];
              for (let i = 0; i < 10; i++) {
                ids.push(records.create("item", {job: args.n, i: i}).id);
              }
              console.log("job", args.n, "created", ids.length);
              return {n: args.n, count: ids.length};
            }
            """
        for n in 0..<20 {
            try await harness.run("job-many-\(n)", script, args: .object([("n", .number(Double(n)))]))
        }
        for n in 0..<20 {
            let end = try await harness.end("job-many-\(n)", timeout: .seconds(120))
            #expect(end.type == .completed)
            #expect(end.result == .object([("n", .number(Double(n))), ("count", .number(10))]))
            let calls = harness.calls("job-many-\(n)")
            #expect(Set(calls.map(\.seq)) == Set(1...11), "10 creates and a log, numbered from 1")
            #expect(calls.last(where: { $0.seq == 11 })?.args == [.string("job \(n) created 10")])
        }
        await harness.stop()
    }

    @Test("on a rebalance the executor drops the revoked jobs and asks to recover its new partitions")
    func rebalanceDropsAndRecovers() async throws {
        let harness = try await ExecutorHarness.start("rebalance")
        try await harness.run("job-rebalance", "function main() { return now(); }")
        _ = try await harness.call("job-rebalance", seq: 1)

        let second = try ServiceProcess("script-executor",
                                        arguments: ["--brokers", harness.broker.bootstrapServers, "--instance-id", "executor-second"],
                                        environment: ["LAZARUS_LOG_LEVEL": "debug"], logDirectory: harness.directory)
        let recovered = try await harness.probe.waitFor(ControlMessage.self, on: LazarusTopics.control, timeout: .seconds(90)) {
            $0.command == .recover && $0.jobId == "executor-second"
        }
        try await harness.executor.waitForOutput("dropped the jobs of revoked partitions")
        try await waitUntil("the first executor asked again for its share") {
            harness.probe.decoded(ControlMessage.self, on: LazarusTopics.control).filter { $0.jobId == harness.instanceId }.count >= 2
        }
        let firstShare = try #require(harness.probe.decoded(ControlMessage.self, on: LazarusTopics.control).last { $0.jobId == harness.instanceId })
        #expect(Set(firstShare.partitions ?? []).isDisjoint(with: recovered.partitions ?? []))
        #expect(Set((firstShare.partitions ?? []) + (recovered.partitions ?? [])) == Set(0..<12))

        second.signal(SIGTERM)
        #expect(await second.waitForExit(timeout: .seconds(30)) == 0)
        await harness.stop()
    }
}
