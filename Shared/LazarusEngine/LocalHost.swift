#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - LocalHost: answers host calls in-process (local runner, tests)

/// Serves the host API of DESIGN.md against an `InMemoryRecordStore`.
/// `sleep(ms)` returns at once (no real waiting: the local runner has no timers to make
/// durable); `now()` is wall-clock ms unless a fixed clock is given; `random()` is a
/// seeded generator (deterministic runs); `log(...)` goes to `logSink` (stderr in the CLI).
public final class LocalHost {
    public let store: InMemoryRecordStore
    public var clock: () -> Double
    public var logSink: (String) -> Void
    public private(set) var calls: [PendingHostCall] = []
    private var rng: UInt64

    public init(store: InMemoryRecordStore = InMemoryRecordStore(), seed: UInt64 = 42,
                clock: (() -> Double)? = nil, logSink: @escaping (String) -> Void = { _ in }) {
        self.store = store
        self.rng = seed == 0 ? 1 : seed
        self.logSink = logSink
        self.clock = clock ?? {
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            return (Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec / 1_000_000)).rounded()
        }
    }

    public func handle(_ call: PendingHostCall) -> HostResult {
        calls.append(call)
        let a = call.arguments
        func arg(_ i: Int) -> HostValue { i < a.count ? a[i] : .null }
        func str(_ i: Int, _ what: String) throws -> String {
            guard case .string(let s) = arg(i) else {
                throw InMemoryRecordStore.StoreError(name: "TypeError", message: "\(call.name): \(what) must be a string")
            }
            return s
        }
        do {
            switch call.name {
            case "records.create": return .value(try store.create(type: try str(0, "type"), fields: arg(1)))
            case "records.load": return .value(store.load(type: try str(0, "type"), id: try str(1, "id")))
            case "records.update":
                let v = arg(3).numberValue.map { Int($0) }
                return .value(try store.update(type: try str(0, "type"), id: try str(1, "id"), fields: arg(2), expectedVersion: v))
            case "records.remove": return .value(.bool(store.remove(type: try str(0, "type"), id: try str(1, "id"))))
            case "records.query":
                return .value(store.query(type: try str(0, "type"), filter: arg(1), limit: arg(2).numberValue.map { Int($0) }))
            case "checkpoint":
                var pairs: [(String, HostValue)] = [("status", .string("saved"))]
                if case .string = arg(0) { pairs.append(("label", arg(0))) }
                return .value(.object(pairs))
            case "yieldScript": return .value(.null)
            case "sleep": return .value(.null)
            case "now": return .value(.number(clock()))
            case "random":
                rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27
                return .value(.number(Double((rng &* 0x2545_F491_4F6C_DD1D) >> 11) / Double(1 << 53)))
            case "log":
                logSink(a.map { v in if case .string(let s) = v { return s }; return v.json }.joined(separator: " "))
                return .value(.null)
            default:
                return .error(name: "TypeError", message: "unknown host function \(call.name)")
            }
        } catch let e as InMemoryRecordStore.StoreError {
            return .error(name: e.name, message: e.message)
        } catch {
            return .error(name: "Error", message: "\(error)")
        }
    }

    /// Runs a VM to its end, answering host calls. `slice` bounds each `run`; `between`
    /// is called after every exhausted slice and may return a replacement VM (the
    /// `--restore-every` hook: encode → decode into a fresh VM).
    public func runToEnd(_ vm: VM, slice: Int = Int.max, between: ((VM) throws -> VM)? = nil) throws -> RunResult {
        var vm = vm
        while true {
            let r = vm.run(budget: slice)
            switch r {
            case .completed, .failed: return r
            case .hostCall(let call):
                vm.resume(handle(call))
            case .budgetExhausted:
                if let between { vm = try between(vm) }
            }
        }
    }
}
