import Foundation

/// Blocking librdkafka calls run on threads of their own, never on the Swift
/// cooperative pool (which has one thread per core: two here).
enum DedicatedThread {
    /// Starts a named thread running `body`.
    static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }

    /// Runs a blocking `body` on a fresh thread and awaits its result.
    static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () throws(KafkaError) -> T) async throws(KafkaError) -> T {
        let result: Result<T, KafkaError> = await withCheckedContinuation { continuation in
            start(name: name) {
                do throws(KafkaError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}

/// A one-shot signal that can be awaited (async) or waited for (blocking, for `deinit`).
final class Latch: @unchecked Sendable {
    // @unchecked: every field is read and written under `condition`'s lock.
    private let condition = NSCondition()
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Opens the latch, resuming every waiter; later calls do nothing.
    func open() {
        condition.lock()
        guard !isOpen else { condition.unlock(); return }
        isOpen = true
        let resumed = waiters
        waiters = []
        condition.broadcast()
        condition.unlock()
        for waiter in resumed { waiter.resume() }
    }

    /// Suspends until the latch is open.
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if isOpen {
                condition.unlock()
                continuation.resume()
            } else {
                waiters.append(continuation)
                condition.unlock()
            }
        }
    }

    /// Blocks the calling thread until the latch is open.
    func waitBlocking() {
        condition.lock()
        while !isOpen { condition.wait() }
        condition.unlock()
    }
}
