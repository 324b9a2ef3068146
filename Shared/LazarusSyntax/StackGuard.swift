#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

#if os(Linux)
// glibc declares this only under _GNU_SOURCE, which the Glibc module does not set.
@_silgen_name("pthread_getattr_np")
private func lazarus_pthread_getattr_np(_ thread: pthread_t, _ attr: UnsafeMutablePointer<pthread_attr_t>) -> Int32
#endif

/// Guards the recursive-descent parser against running out of native stack,
/// whatever thread it runs on and however large debug-build frames are: before
/// each nesting level the parser checks that at least `margin` bytes remain and
/// otherwise reports "nesting too deep" instead of crashing.
struct StackGuard {
    /// Lowest stack address we allow the parser to reach (0 = unknown, no check).
    private let limit: UInt

    init() {
        var low: UInt = 0
        var size: UInt = 0
        #if os(Linux)
        var attr = pthread_attr_t()
        if lazarus_pthread_getattr_np(pthread_self(), &attr) == 0 {
            var addr: UnsafeMutableRawPointer?
            var bytes = 0
            if pthread_attr_getstack(&attr, &addr, &bytes) == 0, let addr {
                low = UInt(bitPattern: addr)
                size = UInt(max(0, bytes))
            }
            pthread_attr_destroy(&attr)
        }
        #elseif canImport(Darwin)
        let top = UInt(bitPattern: pthread_get_stackaddr_np(pthread_self()))
        size = UInt(pthread_get_stacksize_np(pthread_self()))
        low = top &- size
        #endif
        guard low != 0, size > 0 else {
            limit = 0
            return
        }
        // Keep a quarter of the stack (at most 512 KB) for the frames between two checks
        // and for whatever the caller does after the parser returns.
        let margin = min(size / 4, 512 * 1024)
        limit = low &+ margin
    }

    @inline(never)
    static func currentAddress() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }

    /// True if the parser should stop descending.
    var isExhausted: Bool {
        limit != 0 && StackGuard.currentAddress() < limit
    }
}
