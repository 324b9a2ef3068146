import LazarusKafka
import Testing

@Suite("KafkaConfig")
struct KafkaConfigTests {
    @Test func environmentVariablesBecomeLibrdkafkaProperties() throws {
        let config = try KafkaConfig.fromEnvironment(environment: [
            "LAZARUS_BROKERS": "b1:9092,b2:9092",
            "LAZARUS_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "LAZARUS_KAFKA_SASL_MECHANISMS": "PLAIN",
            "LAZARUS_KAFKA_SOCKET_KEEPALIVE_ENABLE": "true",
            "HOME": "/root",
            "LAZARUS_OTHER": "ignored",
        ])
        #expect(config.brokers == "b1:9092,b2:9092")
        #expect(config.properties == [
            "security.protocol": "SASL_SSL",
            "sasl.mechanisms": "PLAIN",
            "socket.keepalive.enable": "true",
        ])
        try config.validate()
    }

    @Test func explicitBrokersWinOverTheEnvironment() throws {
        let config = try KafkaConfig.fromEnvironment(brokers: "explicit:1", environment: ["LAZARUS_BROKERS": "env:2"])
        #expect(config.brokers == "explicit:1")
    }

    @Test func propertyNameMapping() {
        #expect(KafkaConfig.propertyName(forEnvironmentVariable: "LAZARUS_KAFKA_LINGER_MS") == "linger.ms")
        #expect(KafkaConfig.propertyName(forEnvironmentVariable: "LAZARUS_KAFKA_") == nil)
        #expect(KafkaConfig.propertyName(forEnvironmentVariable: "LAZARUS_BROKERS") == nil)
    }

    @Test func unknownPropertyIsAClearError() {
        do {
            _ = try KafkaConfig.fromEnvironment(environment: ["LAZARUS_BROKERS": "x:1", "LAZARUS_KAFKA_NOT_A_PROPERTY": "1"])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidConfig)
            #expect(error.message.contains("not.a.property"))
            #expect(error.message.contains("LAZARUS_KAFKA_NOT_A_PROPERTY"))
        }
    }

    @Test func invalidValueIsAClearError() {
        #expect(throws: KafkaError.self) {
            _ = try KafkaConfig.fromEnvironment(environment: ["LAZARUS_BROKERS": "x:1", "LAZARUS_KAFKA_LINGER_MS": "soon"])
        }
    }

    @Test func missingBrokersIsAClearError() {
        do {
            _ = try KafkaConfig.fromEnvironment(environment: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidConfig)
            #expect(error.message.contains("LAZARUS_BROKERS"))
        }
    }

    @Test func unknownPropertyInCodeFailsClientCreation() {
        let config = KafkaConfig(brokers: "127.0.0.1:1", properties: ["no.such.thing": "x"])
        do {
            _ = try KafkaProducer(config: config)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidConfig)
            #expect(error.message.contains("no.such.thing"))
        }
    }

    @Test func topicConstants() {
        #expect(LazarusTopics.all.count == 10)
        #expect(Set(LazarusTopics.all).count == 10)
        #expect(LazarusTopics.all.allSatisfy { $0.hasPrefix("lazarus.") })
        #expect(LazarusTopics.all.contains(LazarusTopics.deadLetters))
    }
}
