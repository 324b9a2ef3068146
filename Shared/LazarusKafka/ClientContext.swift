import CRdKafka
import Logging

/// State the librdkafka callbacks need, handed to librdkafka as the conf `opaque`.
///
/// Retained once (`Unmanaged.passRetained`) when the client is created and released only
/// after `rd_kafka_destroy` returned, so a callback can never see a freed context.
class ClientContext: @unchecked Sendable {
    // @unchecked: only immutable `let` properties here; subclasses document their own state.
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Installs the log and error callbacks and the opaque on `conf`, returning the
    /// retained opaque that must be released with ``release(_:)`` after destroy.
    func install(on conf: OpaquePointer) -> UnsafeMutableRawPointer {
        let opaque = Unmanaged.passRetained(self).toOpaque()
        rd_kafka_conf_set_opaque(conf, opaque)
        rd_kafka_conf_set_log_cb(conf, lazarusKafkaLogCallback)
        return opaque
    }

    static func release(_ opaque: UnsafeMutableRawPointer) {
        Unmanaged<ClientContext>.fromOpaque(opaque).release()
    }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> ClientContext? {
        opaque.map { Unmanaged<ClientContext>.fromOpaque($0).takeUnretainedValue() }
    }
}

/// librdkafka log lines → swift-log. Syslog levels 0–4 (emergency…warning) become
/// `warning`, 5–6 `info`, 7 `debug`: a library logs at warning at most.
private let lazarusKafkaLogCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    rk, level, facility, line in
    guard let rk, let context = ClientContext.from(rd_kafka_opaque(rk)) else { return }
    let swiftLevel: Logger.Level = level <= 4 ? .warning : (level <= 6 ? .info : .debug)
    let text = line.map { String(cString: $0) } ?? ""
    let fac = facility.map { String(cString: $0) } ?? ""
    context.logger.log(level: swiftLevel, "\(text)", metadata: ["kafka.facility": "\(fac)", "kafka.client": "\(String(cString: rd_kafka_name(rk)))"])
}
