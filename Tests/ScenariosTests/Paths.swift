import Foundation

/// The repository's root and its scenario library, found from this file's path.
enum Paths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scenarios = root.appendingPathComponent("scenarios")
    /// Data from other projects, read in place beside the repository.
    static let conformance = root.deletingLastPathComponent().appendingPathComponent("shared/conformance")

    static func scenarioFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: scenarios.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { scenarios.appendingPathComponent($0).path }
    }
}
