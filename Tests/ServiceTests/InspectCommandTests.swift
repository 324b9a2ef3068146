import Foundation
import LazarusKafka
import LazarusService
import LazarusWire
import Testing

/// Two checkpoints, each inside `price` called from a `map` callback in `main`.
private let pricingScript = """
    function price(item, qty) {
      const unit = item.price;
      let total = unit * qty;
      checkpoint("priced " + item.sku);
      return total;
    }
    function main(args) {
      const items = [{sku: "a1", price: 5}, {sku: "b2", price: 7}];
      let count = 0;
      const totals = items.map((it, i) => { count += 1; return price(it, i + 2); });
      return {totals: totals, region: args.region};
    }
    """

@Suite("lazarus inspect", .serialized)
struct InspectCommandTests {
    @Test func showsFramesLinesAndLocalsOfASnapshot() async throws {
        let stack = try await LazarusStack(label: "inspect")
        let job = try await stack.submit(pricingScript, args: .object([("region", .string("eu"))]), policy: .explicit)
        let end = try await stack.waitForEnd(of: [job])[job]
        #expect(end?.type == .completed)
        let logs = stack.directory.appendingPathComponent("logs")
        let brokers = ["--brokers", stack.broker.bootstrapServers]
        // The seqs the proxy gave the two checkpoints (host-call numbering is the services').
        let seqs = Set(stack.probe.decoded(SnapshotEvent.self, on: LazarusTopics.snapshots)
            .filter { $0.jobId == job }.map(\.seq)).sorted()
        try #require(seqs.count == 2 && seqs[1] == seqs[0] + 1, "snapshots of \(job): \(seqs)")

        // The latest snapshot: the second checkpoint.
        let latest = try await ServiceProcess.run("lazarus", arguments: ["inspect", job] + brokers, logDirectory: logs)
        #expect(latest.status == 0, "\(latest.output)")
        let text = latest.output
        let lines = text.split(separator: "\n").map { String($0) }
        #expect(text.contains("snapshot  seq \(seqs[1]) (seqs \(seqs[0])..\(seqs[1]))"))
        #expect(text.contains("checkpoint \"priced b2\""))
        #expect(text.contains("waiting   checkpoint(\"priced b2\")"))
        // Frames, innermost first, each with its line and the line's text.
        let frameLines = lines.filter { $0.hasPrefix("#") }
        try #require(frameLines.count >= 4, "\(text)")
        #expect(frameLines[0].hasPrefix("#0  price   line 4:"))
        #expect(frameLines[1].hasPrefix("#1  <anonymous>   line 10:"))
        #expect(frameLines[2] == "#2  map   [builtin]")
        #expect(frameLines[3].hasPrefix("#3  main   line 10:"))
        #expect(lines.contains("      4 | checkpoint(\"priced \" + item.sku);"))
        #expect(lines.contains("      10 | const totals = items.map((it, i) => { count += 1; return price(it, i + 2); });"))
        // Locals of `price`, then those of the callback (its `count` is a closure variable).
        let priceLocals = block(after: frameLines[0], in: lines)
        #expect(priceLocals.contains("item  = {sku: \"b2\", price: 7}"))
        #expect(priceLocals.contains("qty   = 3"))
        #expect(priceLocals.contains("unit  = 7"))
        #expect(priceLocals.contains("total = 21"))
        let callbackLocals = block(after: frameLines[1], in: lines)
        #expect(callbackLocals.contains("it    = {sku: \"b2\", price: 7}"))
        #expect(callbackLocals.contains("i     = 1"))
        #expect(callbackLocals.contains("count = 2   (closure)"))
        let mainLocals = block(after: frameLines[3], in: lines)
        #expect(mainLocals.contains("args   = {region: \"eu\"}"))
        #expect(mainLocals.contains("items  = [{sku: \"a1\", price: 5}, {sku: \"b2\", price: 7}]"))

        // An earlier one by seq, as JSON.
        let first = try await ServiceProcess.run("lazarus", arguments: ["inspect", job, "--seq", "\(seqs[0])", "--json"] + brokers, logDirectory: logs)
        #expect(first.status == 0, "\(first.output)")
        let json = try JSONParser.parse(Array(first.output.utf8))
        #expect(json["seq"] == .number(Double(seqs[0])))
        #expect(json["pendingHostCall"]?["arguments"] == .array([.string("priced a1")]))
        guard case .array(let frames)? = json["frames"], let top = frames.first else {
            Issue.record("no frames in \(first.output)")
            return
        }
        #expect(top["function"] == .string("price"))
        #expect(top["line"] == .number(4))
        guard case .array(let variables)? = top["variables"] else { Issue.record("no variables"); return }
        let values = Dictionary(variables.compactMap { v -> (String, String)? in
            guard case .string(let n)? = v["name"], case .string(let s)? = v["value"] else { return nil }
            return (n, s)
        }, uniquingKeysWith: { a, _ in a })
        #expect(values["total"] == "10")
        #expect(values["qty"] == "2")

        // Errors: a seq the job does not have, a job that does not exist.
        let noSeq = try await ServiceProcess.run("lazarus", arguments: ["inspect", job, "--seq", "\(seqs[1] + 5)"] + brokers, logDirectory: logs)
        #expect(noSeq.status != 0)
        #expect(noSeq.output.contains("job \(job) has no snapshot seq \(seqs[1] + 5); it has seqs \(seqs[0])..\(seqs[1]) — try `lazarus status \(job)`"), "\(noSeq.output)")
        let unknown = try await ServiceProcess.run("lazarus", arguments: ["inspect", "job-does-not-exist"] + brokers, logDirectory: logs)
        #expect(unknown.status != 0)
        #expect(unknown.output.contains("no job job-does-not-exist"), "\(unknown.output)")
        await stack.shutdown()
    }
}

extension InspectCommandTests {
    /// Executors with a snapshot key append a signature the engine does not read: inspect
    /// checks and strips it with the same key, and without it says what is missing.
    @Test func readsSignedSnapshotsWithTheDeploymentKey() async throws {
        let keyDirectory = try temporaryDirectory("inspect-signed-key")
        let keyFile = keyDirectory.appendingPathComponent("snapshot.key").path
        try Data("inspect-test-key-0123456789abcdef".utf8).write(to: URL(fileURLWithPath: keyFile))
        let stack = try await LazarusStack(label: "inspect-signed", executorEnvironment: [SnapshotSigner.keyFileVariable: keyFile])
        let job = try await stack.submit(pricingScript, args: .object([("region", .string("eu"))]), policy: .explicit)
        #expect(try await stack.waitForEnd(of: [job])[job]?.type == .completed)
        let logs = stack.directory.appendingPathComponent("logs")
        let brokers = ["--brokers", stack.broker.bootstrapServers]

        let signed = try await ServiceProcess.run("lazarus", arguments: ["inspect", job] + brokers,
                                                  environment: [SnapshotSigner.keyFileVariable: keyFile], logDirectory: logs)
        #expect(signed.status == 0, "\(signed.output)")
        #expect(signed.output.contains("waiting   checkpoint(\"priced b2\")"), "\(signed.output)")

        let withoutKey = try await ServiceProcess.run("lazarus", arguments: ["inspect", job] + brokers,
                                                      environment: [SnapshotSigner.keyFileVariable: ""], logDirectory: logs)
        #expect(withoutKey.status != 0)
        #expect(withoutKey.output.contains("set \(SnapshotSigner.keyFileVariable) to their key file"), "\(withoutKey.output)")
        await stack.shutdown()
    }
}

/// The variable lines printed under `header` (up to the next frame), trimmed.
private func block(after header: String, in lines: [String]) -> [String] {
    guard let start = lines.firstIndex(of: header) else { return [] }
    var out: [String] = []
    for line in lines[(start + 1)...] {
        if line.hasPrefix("#") || line.isEmpty { break }
        out.append(line.trimmingCharacters(in: .whitespaces))
    }
    return out
}
