import LazarusEngine
import LazarusSyntax
import LazarusDigest

/// Compiled programs by the SHA-256 of their source, least recently used evicted first.
/// Compile errors are cached too (a broken script is compiled once, however often it is run).
///
/// Used only from the runner thread (not thread-safe).
struct ProgramCache {
    private var entries: [[UInt8]: Result<CompiledProgram, SyntaxError>] = [:]
    private var recency: [[UInt8]] = []
    let capacity: Int
    private(set) var hits = 0
    private(set) var misses = 0

    init(capacity: Int = 128) { self.capacity = max(1, capacity) }

    mutating func program(for source: String) -> Result<CompiledProgram, SyntaxError> {
        let key = SHA256.hash(Array(source.utf8))
        if let cached = entries[key] {
            hits += 1
            if let index = recency.firstIndex(of: key) { recency.remove(at: index) }
            recency.append(key)
            return cached
        }
        misses += 1
        let result: Result<CompiledProgram, SyntaxError>
        do {
            result = .success(try compileProgram(source))
        } catch {
            result = .failure(error)
        }
        entries[key] = result
        recency.append(key)
        if recency.count > capacity {
            entries[recency.removeFirst()] = nil
        }
        return result
    }
}
