import Logging

/// Process-wide logging setup: one line per event on stderr.
public enum LazarusLogging {
    private static let once: Void = ()

    /// Installs the stderr handler at `level`. Call once, from `main`.
    public static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
