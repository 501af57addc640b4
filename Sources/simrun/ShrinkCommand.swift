import ArgumentParser
import Foundation
import Scenarios

/// `simrun shrink FILE`: the smallest scenario that still breaks the same invariant.
struct ShrinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shrink",
        abstract: "Shrink a failing scenario: remove faults, clients, rounds, gateways, replicas and shards while the same checker still fails.",
        discussion: """
            Random faults are first written out as the timeline the run injected. The result is a \
            scenario file that replays the violation with `simrun run`.
            """)

    @Argument(help: "The failing scenario file (YAML), such as one `simrun fuzz --out` wrote.")
    var file: String

    @Option(help: "The seed (default: the scenario's own).")
    var seed: UInt64?

    @Option(help: "The checker whose violation must persist (default: the first the run reports).")
    var checker: String?

    @Option(name: .shortAndLong, help: "Where to write the shrunk scenario (default: FILE with -shrunk before .yaml).")
    var output: String?

    @Option(help: "The most runs to spend.")
    var maxRuns = 400

    @Option(help: "Stop shrinking after this many seconds of wall time.")
    var timeLimit: Double?

    func run() throws {
        let scenario = try ScenarioLoader.load(path: file)
        guard let text = FileManager.default.contents(atPath: file).flatMap({ String(data: $0, encoding: .utf8) }) else {
            throw ValidationError("cannot read \(file)")
        }
        var shrinker = ScenarioShrinker(path: file, seed: seed ?? scenario.seed)
        shrinker.maxRuns = maxRuns
        shrinker.timeLimit = timeLimit
        shrinker.progress = { print("  kept: \($0)") }
        let start = Date()
        let result: ScenarioShrinker.Result
        do {
            result = try shrinker.shrink(text: text, checker: checker)
        } catch let error as ScenarioShrinker.ShrinkError {
            FileHandle.standardError.write(Data("simrun shrink: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let path = output ?? (file.hasSuffix(".yaml") ? String(file.dropLast(5)) : file) + "-shrunk.yaml"
        try result.text.write(toFile: path, atomically: true, encoding: .utf8)
        let seconds = Date().timeIntervalSince(start)
        print("shrunk \(file) (seed \(shrinker.seed)): \(result.checker) still fails with \(result.faults) of \(result.originalFaults) faults, "
              + "\(result.steps.count) reductions, \(result.runs) runs in \(String(format: "%.1f", seconds)) s")
        print("wrote  \(path)")
        print("replay simrun run \(shellQuoted(path))")
    }
}
