import Testing
import LazarusWire

/// The message a dead letter gets for `json` read as `M`.
private func decodeError<M: WireMessage>(_ type: M.Type, _ json: String) -> WireError? {
    do {
        _ = try WireCodec.decode(M.self, from: Array(json.utf8))
        return nil
    } catch {
        return error
    }
}

@Test(arguments: [
    (#"{"v":1,"jobId":"j","script":""}"#, "not a valid JobSubmission: missing field 'tenant'"),
    (#"{"v":1,"jobId":"j","tenant":7,"script":""}"#, "not a valid JobSubmission: field 'tenant' should be String"),
    (#"{"v":1,"jobId":null,"tenant":"t","script":""}"#, "not a valid JobSubmission: field 'jobId' should be String"),
    (#"{"v":1,"jobId":"j","tenant":"t","script":"","policy":"never"}"#,
     "not a valid JobSubmission: field 'policy': unknown save-state policy 'never': expected explicit, afterWrite, always, everyCalls(N) or everyMillis(T)"),
    (#"{"v":1,"jobId":"j","tenant":"t","script":"","policy":3}"#, "not a valid JobSubmission: field 'policy' should be String"),
    (#"[1]"#, "not a JSON object"),
    (#"{"jobId":"j"}"#, "missing numeric field 'v' (the wire format version)"),
    (#"{"v":"1"}"#, "missing numeric field 'v' (the wire format version)"),
    (#"{"v":1.5}"#, "wire format version 1.5 is not supported (expected 1)"),
    (#"{"v":1,"jobId":"j""#, "not valid JSON: expected ',' or '}' at byte 18"),
    (#"{"v":1,"jobId":"j"} x"#, "not valid JSON: unexpected data after the JSON value at byte 20"),
])
func jobSubmissionErrorsSayWhatIsWrong(json: String, message: String) {
    #expect(decodeError(JobSubmission.self, json)?.message == message)
}

@Test(arguments: [
    (#"{"v":1,"jobId":"j","tenant":"t","epoch":1.5,"seq":1,"op":"now","args":[],"policy":"always"}"#,
     "not a valid HostCallRequest: field 'epoch': 1.5 does not fit Int"),
    (#"{"v":1,"jobId":"j","tenant":"t","epoch":"1","seq":1,"op":"now","args":[],"policy":"always"}"#,
     "not a valid HostCallRequest: field 'epoch' should be Int"),
    (#"{"v":1,"jobId":"j","tenant":"t","epoch":1,"seq":1,"op":"now","args":{},"policy":"always"}"#,
     "not a valid HostCallRequest: field 'args' should be Array<JSONValue>"),
    (#"{"v":1,"jobId":"j","tenant":"t","epoch":1,"seq":1,"op":"now","args":[],"policy":"always","continuation":"!!"}"#,
     "not a valid HostCallRequest: field 'continuation': not valid base64"),
    (#"{"v":1,"jobId":"j","tenant":"t","epoch":1,"seq":1,"op":"now","args":[],"policy":"always","continuation":5}"#,
     "not a valid HostCallRequest: field 'continuation' should be Data"),
    (#"{"v":1,"jobId":"j","tenant":"t","epoch":1,"seq":1,"op":"now","args":[],"policy":"always","lastSnapshotAt":1e19}"#,
     "not a valid HostCallRequest: field 'lastSnapshotAt': 1e+19 does not fit Int64"),
])
func hostCallRequestErrorsNameTheField(json: String, message: String) {
    #expect(decodeError(HostCallRequest.self, json)?.message == message)
}

@Test(arguments: [
    (#"{"v":1,"jobId":"j","type":"failed","time":1,"error":{"message":"m"}}"#, "not a valid JobEvent: missing field 'error.name'"),
    (#"{"v":1,"jobId":"j","type":"failed","time":1,"error":{"name":"n","message":"m","stack":[]}}"#,
     "not a valid JobEvent: field 'error.stack' should be String"),
    (#"{"v":1,"jobId":"j","type":"exploded","time":1}"#,
     "not a valid JobEvent: field 'type': Cannot initialize Kind from invalid String value exploded"),
])
func jobEventErrorsGiveThePath(json: String, message: String) {
    #expect(decodeError(JobEvent.self, json)?.message == message)
}

@Test func arrayElementErrorsGiveTheIndex() {
    let error = decodeError(ControlMessage.self, #"{"v":1,"jobId":"j","command":"recover","partitions":[1,"2"]}"#)
    #expect(error?.message == "not a valid ControlMessage: field 'partitions.[1]' should be Int")
    #expect(error?.code == .wrongShape)
}

@Test func callReplyErrorsInTheOutcome() {
    #expect(decodeError(CallReply.self, #"{"v":1,"jobId":"j","epoch":1,"seq":2,"error":{"code":"x","message":"m"}}"#)?.message
            == "not a valid CallReply: missing field 'error.retriable'")
    #expect(decodeError(CallReply.self, #"{"v":1,"jobId":"j","epoch":1,"seq":2,"replayed":"yes"}"#)?.message
            == "not a valid CallReply: field 'replayed' should be Bool")
}
