import Foundation
import LazarusEngine
import LazarusWire

/// One tenant's limits (DESIGN.md "Governance per tenant").
struct TenantLimits: Sendable, Equatable {
    /// Instructions a job may run without suspending: from its (re)start or a host call's
    /// answer to its next host call. On exhaustion the job yields (policy ≠ `explicit`) or
    /// fails with `governance-exceeded`.
    var instructionsPerSlice: Int = 10_000_000
    /// The VM's heap limit (`EngineLimits.maxHeapBytes`): beyond it the script gets a
    /// catchable `RangeError: heap limit exceeded`.
    var maxHeapBytes: Int = 64 << 20
    /// Host calls one job may make over its whole life (the wire `seq`); beyond it the job
    /// fails with `governance-exceeded`.
    var maxCallsPerJob: Int = 1_000_000
    /// Jobs of the tenant this executor runs at once; further run commands wait in a queue.
    var maxConcurrentJobs: Int = 64

    static let fields = ["instructionsPerSlice", "maxHeapBytes", "maxCallsPerJob", "maxConcurrentJobs"]

    /// The engine limits of a VM of this tenant.
    var engineLimits: EngineLimits {
        var limits = EngineLimits()
        limits.maxHeapBytes = maxHeapBytes
        return limits
    }
}

/// Per-tenant limits from `--governance FILE`:
///
/// ```json
/// { "default": {"instructionsPerSlice": 10000000, "maxHeapBytes": 67108864,
///               "maxCallsPerJob": 1000000, "maxConcurrentJobs": 64},
///   "acme":    {"instructionsPerSlice": 500000} }
/// ```
///
/// Every key but `default` is a tenant. A tenant entry overrides the fields it names; the
/// others come from `default`, whose missing fields come from the built-in values.
struct Governance: Sendable, Equatable {
    var defaults = TenantLimits()
    var tenants: [String: TenantLimits] = [:]

    func limits(for tenant: String) -> TenantLimits { tenants[tenant] ?? defaults }

    /// Reads and checks a governance file. Errors say which entry and field is wrong.
    static func load(path: String) throws -> Governance {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GovernanceError("cannot read governance file \(path)")
        }
        return try parse(data, source: path)
    }

    static func parse(_ data: Data, source: String = "governance") throws -> Governance {
        let root: JSONValue
        do {
            root = try JSONParser.parse(Array(data))
        } catch {
            throw GovernanceError("\(source) is not valid JSON: \(error)")
        }
        guard case .object(let entries) = root else {
            throw GovernanceError("\(source): expected a JSON object of tenant entries (and \"default\")")
        }
        var governance = Governance()
        if let entry = root["default"] {
            governance.defaults = try apply(entry, to: TenantLimits(), entry: "default", source: source)
        }
        for (tenant, entry) in entries where tenant != "default" {
            governance.tenants[tenant] = try apply(entry, to: governance.defaults, entry: tenant, source: source)
        }
        return governance
    }

    private static func apply(_ entry: JSONValue, to base: TenantLimits, entry name: String, source: String) throws -> TenantLimits {
        guard case .object(let fields) = entry else {
            throw GovernanceError("\(source): entry \"\(name)\" must be an object with \(TenantLimits.fields.joined(separator: ", "))")
        }
        var limits = base
        for (key, value) in fields {
            guard case .number(let number) = value, number == number.rounded(), number >= 1, number <= Double(Int32.max) * 1024 else {
                throw GovernanceError("\(source): \"\(name)\".\(key) must be a positive integer")
            }
            let n = Int(number)
            switch key {
            case "instructionsPerSlice": limits.instructionsPerSlice = n
            case "maxHeapBytes": limits.maxHeapBytes = n
            case "maxCallsPerJob": limits.maxCallsPerJob = n
            case "maxConcurrentJobs": limits.maxConcurrentJobs = n
            default:
                throw GovernanceError("\(source): \"\(name)\" has unknown field \"\(key)\" (known: \(TenantLimits.fields.joined(separator: ", ")))")
            }
        }
        return limits
    }
}

struct GovernanceError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
