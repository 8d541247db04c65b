// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Vigil",
    // Linux is where Vigil is built and tested; on macOS, Synchronization's Mutex needs 15.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        .library(name: "VigilCore", targets: ["VigilCore"]),
        .library(name: "XProtectEmulator", targets: ["XProtectEmulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.70.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.27.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        // No default traits: `FullFoundation` links full Foundation (and ICU) for URL-encoded
        // forms' `DateFormatter`, `ConfigurationSupport` swift-configuration; the emulator uses neither.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0", traits: []),
        .package(url: "https://github.com/onevcat/Rainbow", from: "4.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        // Tests only: CSVReader is checked against it. Not in a shipped target: it links full Foundation.
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        // Debian's libyaml (apt: libyaml-dev), found through pkg-config.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "VigilYAML", dependencies: ["CYAML"]),
        // Debian's libxml2 (apt: libxml2-dev): XML and HTML parsing and XPath 1.0.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(name: "VigilXML", dependencies: ["CLibXML2"]),
        .target(name: "VigilJSON"),
        // JSON Schema validation (2020-12, draft-07, OpenAPI 3.0), written on VigilJSON.
        .target(name: "VigilSchema", dependencies: ["VigilJSON"]),
        .target(name: "VigilCore", dependencies: ["VigilYAML", "VigilJSON", "VigilXML"]),
        // NTLM (MS-NLMP) messages and MD4 as values, without I/O; MD5/HMAC-MD5 from swift-crypto.
        .target(name: "VigilNTLM", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "VigilRunner",
            dependencies: [
                "VigilCore", "VigilSchema", "VigilXML", "VigilNTLM",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .target(
            name: "VigilReport",
            dependencies: [
                "VigilRunner",
                .product(name: "Rainbow", package: "Rainbow"),
                "Mustache",
            ]
        ),
        // swift-mustache 2.1.1, vendored with FoundationEssentials instead of Foundation (which
        // pulled ICU into the binary); Vendor/Mustache/README.md lists the changes.
        .target(name: "Mustache", path: "Vendor/Mustache", exclude: ["LICENSE.txt", "README.md"]),
        // Recordings of responses and API drift between two of them.
        .target(name: "VigilDrift", dependencies: ["VigilRunner"]),
        .target(
            name: "XProtectEmulator",
            dependencies: [
                "VigilJSON", "VigilNTLM",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        // The commands and the run orchestration (embedded emulator wiring, signals, exit codes).
        .target(
            name: "VigilCLI",
            dependencies: [
                "VigilCore", "VigilRunner", "VigilReport", "VigilDrift", "VigilSchema", "VigilXML", "XProtectEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "vigil", dependencies: ["VigilCLI"]),
        .testTarget(name: "VigilYAMLTests", dependencies: ["VigilYAML"]),
        .testTarget(name: "VigilJSONTests", dependencies: ["VigilJSON"]),
        .testTarget(name: "VigilXMLTests", dependencies: ["VigilXML"]),
        .testTarget(name: "VigilSchemaTests", dependencies: ["VigilSchema", "VigilJSON"], resources: [.copy("Resources")]),
        .testTarget(name: "VigilCoreTests", dependencies: ["VigilCore", .product(name: "SwiftCSV", package: "SwiftCSV")]),
        .testTarget(name: "VigilNTLMTests", dependencies: ["VigilNTLM"]),
        .testTarget(
            name: "VigilReportTests",
            dependencies: ["VigilReport", "VigilRunner", "VigilCore", "VigilJSON", "VigilYAML", "Mustache"]),
        // Loopback servers shared by the test targets; not part of any product.
        .target(
            name: "VigilTestSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            path: "Tests/VigilTestSupport"
        ),
        .testTarget(name: "VigilDriftTests", dependencies: ["VigilDrift", "VigilCore", "VigilJSON"]),
        .testTarget(name: "VigilRunnerTests", dependencies: ["VigilRunner", "XProtectEmulator", "VigilTestSupport"]),
        .testTarget(
            name: "XProtectEmulatorTests",
            dependencies: [
                "XProtectEmulator", "VigilJSON", "VigilNTLM",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["VigilCLI", "VigilCore", "VigilRunner", "VigilReport", "XProtectEmulator", "VigilTestSupport", "VigilNTLM"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
