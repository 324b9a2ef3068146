// swift-tools-version:6.2
import PackageDescription

// Layout: Services/<executable> for every process, Shared/<library> for the code they share.
let package = Package(
    name: "lazarus",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "script-executor", targets: ["script-executor"]),
        .executable(name: "object-proxy", targets: ["object-proxy"]),
        .executable(name: "object-service", targets: ["object-service"]),
        .executable(name: "checkpoint-service", targets: ["checkpoint-service"]),
        .executable(name: "lazarus", targets: ["lazarus"]),
        .executable(name: "lazarus-broker", targets: ["lazarus-broker"]),
        .executable(name: "lazarus-bench", targets: ["lazarus-bench"]),
        .executable(name: "lazarus-conformance", targets: ["lazarus-conformance"]),
        .library(name: "LazarusEngine", targets: ["LazarusEngine"]),
        .library(name: "LazarusKafka", targets: ["LazarusKafka"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // MARK: - Kafka

        .systemLibrary(
            name: "CRdKafka",
            path: "Shared/CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        .target(
            name: "LazarusKafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/LazarusKafka"
        ),

        // MARK: - Wire format and service plumbing

        .target(name: "LazarusWire", path: "Shared/LazarusWire"),
        .target(
            name: "LazarusService",
            dependencies: [
                "LazarusKafka", "LazarusWire", "LazarusDigest",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Shared/LazarusService"
        ),

        // MARK: - SHA-256, shared by the engine (program hash) and the object journal (request fingerprints)

        .target(name: "LazarusDigest", path: "Shared/LazarusDigest"),

        // MARK: - Durable stores (SQLite through GRDB, no Kafka)

        .target(
            name: "LazarusSQLite",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            path: "Shared/LazarusSQLite"
        ),
        .target(
            name: "LazarusObjectStore",
            dependencies: ["LazarusWire", "LazarusDigest", "LazarusSQLite", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Shared/LazarusObjectStore"
        ),
        .target(
            name: "LazarusCheckpointStore",
            dependencies: ["LazarusWire", "LazarusSQLite", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Shared/LazarusCheckpointStore"
        ),

        // MARK: - Script engine (pure Swift, no Kafka)

        .target(name: "LazarusSyntax", path: "Shared/LazarusSyntax"),
        .target(name: "LazarusEngine", dependencies: ["LazarusSyntax", "LazarusDigest"], path: "Shared/LazarusEngine"),

        // MARK: - Executables

        .executableTarget(name: "script-executor", dependencies: ["LazarusService", "LazarusEngine", "LazarusDigest"], path: "Services/script-executor"),
        .executableTarget(name: "object-proxy", dependencies: ["LazarusService"], path: "Services/object-proxy"),
        .executableTarget(name: "object-service", dependencies: ["LazarusService", "LazarusObjectStore"], path: "Services/object-service"),
        .executableTarget(name: "checkpoint-service", dependencies: ["LazarusService", "LazarusCheckpointStore"], path: "Services/checkpoint-service"),
        .executableTarget(
            name: "lazarus",
            dependencies: [
                "LazarusService", "LazarusEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/lazarus"
        ),
        .executableTarget(
            name: "lazarus-broker",
            dependencies: [
                "CRdKafka", "LazarusKafka",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/lazarus-broker"
        ),
        .executableTarget(
            name: "lazarus-bench",
            dependencies: [
                "LazarusKafka", "LazarusWire", "LazarusService", "LazarusEngine", "LazarusCheckpointStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/lazarus-bench"
        ),

        .executableTarget(
            name: "lazarus-conformance",
            dependencies: [
                "LazarusEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/lazarus-conformance"
        ),

        // MARK: - Tests

        .testTarget(name: "LazarusKafkaTests", dependencies: ["LazarusKafka", "LazarusWire"], path: "Tests/LazarusKafkaTests"),
        .testTarget(name: "LazarusDigestTests", dependencies: ["LazarusDigest"], path: "Tests/LazarusDigestTests"),
        .testTarget(name: "LazarusWireTests", dependencies: ["LazarusWire"], path: "Tests/LazarusWireTests"),
        .testTarget(name: "LazarusSyntaxTests", dependencies: ["LazarusSyntax"], path: "Tests/LazarusSyntaxTests"),
        .testTarget(name: "LazarusEngineTests", dependencies: ["LazarusEngine", "LazarusSyntax"], path: "Tests/LazarusEngineTests"),
        .testTarget(name: "LazarusObjectStoreTests", dependencies: ["LazarusObjectStore", "LazarusWire"], path: "Tests/LazarusObjectStoreTests"),
        .testTarget(name: "LazarusCheckpointStoreTests", dependencies: ["LazarusCheckpointStore", "LazarusSQLite", "LazarusWire",
                                                                   .product(name: "GRDB", package: "GRDB.swift")],
                    path: "Tests/LazarusCheckpointStoreTests"),
        .testTarget(name: "ServiceTests", dependencies: ["LazarusWire", "LazarusKafka", "LazarusService", "LazarusObjectStore", "LazarusCheckpointStore",
                                                    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
                    path: "Tests/ServiceTests"),
    ],
    swiftLanguageModes: [.v6]
)
