import Testing
import LazarusWire

@Test(arguments: [SaveStatePolicy.explicit, .afterWrite, .everyCalls(3), .everyMillis(100), .always])
func saveStateCallsAlwaysSnapshot(policy: SaveStatePolicy) {
    #expect(policy.saveStateReason(op: "checkpoint", seq: 1, millisSinceLastSnapshot: 0) == "checkpoint")
    #expect(policy.saveStateReason(op: "yieldScript", seq: 2, millisSinceLastSnapshot: 0) == "yield")
    #expect(policy.saveStateReason(op: "sleep", seq: 4, millisSinceLastSnapshot: 0) == "sleep")
}

@Test func explicitSavesNothingElse() {
    for op in HostOperation.allCases where !op.isSaveStatePoint {
        #expect(SaveStatePolicy.explicit.saveStateReason(op: op.rawValue, seq: 5, millisSinceLastSnapshot: 1_000_000) == nil)
    }
}

@Test func afterWriteSavesBeforeEveryWriteOnly() {
    let writes = HostOperation.allCases.filter { SaveStatePolicy.afterWrite.saveStateReason(op: $0.rawValue, seq: 1, millisSinceLastSnapshot: 0) == "afterWrite" }
    #expect(Set(writes) == [.create, .update, .remove])
}

@Test func everyCallsCountsBySequenceNumber() {
    let points = (1...9).filter { SaveStatePolicy.everyCalls(3).saveStateReason(op: "records.load", seq: $0, millisSinceLastSnapshot: 0) != nil }
    #expect(points == [3, 6, 9])
}

@Test func everyMillisWaitsForTheInterval() {
    #expect(SaveStatePolicy.everyMillis(100).saveStateReason(op: "now", seq: 1, millisSinceLastSnapshot: 99) == nil)
    #expect(SaveStatePolicy.everyMillis(100).saveStateReason(op: "now", seq: 1, millisSinceLastSnapshot: 100) == "everyMillis")
}

@Test func alwaysSavesEveryCall() {
    #expect(SaveStatePolicy.always.saveStateReason(op: "records.load", seq: 7, millisSinceLastSnapshot: 0) == "always")
}
