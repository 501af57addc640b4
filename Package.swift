// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "vtsim",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "simrun", targets: ["simrun"]),
        .library(name: "SimCore", targets: ["SimCore"]),
        .library(name: "SQLiteKit", targets: ["SQLiteKit"]),
        .library(name: "SQLSyntax", targets: ["SQLSyntax"]),
        .library(name: "SimCluster", targets: ["SimCluster"]),
        .library(name: "Scenarios", targets: ["Scenarios"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "SQLiteKit", dependencies: ["CSQLite"], swiftSettings: strict),
        .target(name: "SQLSyntax", swiftSettings: strict),
        .target(
            name: "SimCore",
            dependencies: [.product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: strict),
        .target(
            name: "SimCluster",
            dependencies: [
                "SimCore", "SQLiteKit", "SQLSyntax", .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .target(
            name: "Scenarios",
            dependencies: [
                "SimCore", "SimCluster", "SQLiteKit", "SQLSyntax", .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "simrun",
            dependencies: [
                "Scenarios", "SimCore", "SimCluster", "SQLiteKit", "SQLSyntax",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: strict),
        .testTarget(name: "SimCoreTests", dependencies: ["SimCore"], swiftSettings: strict),
        .testTarget(name: "SQLiteKitTests", dependencies: ["SQLiteKit"], swiftSettings: strict),
        .testTarget(name: "SQLSyntaxTests", dependencies: ["SQLSyntax", "Scenarios"], swiftSettings: strict),
        .testTarget(name: "SimClusterTests", dependencies: ["SimCluster", "SimCore", "SQLiteKit"], swiftSettings: strict),
        .testTarget(name: "ScenariosTests", dependencies: ["Scenarios", "SimCore", "SimCluster", "SQLSyntax"], swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: ["simrun", "Scenarios"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
