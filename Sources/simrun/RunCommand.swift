import ArgumentParser
import Foundation
import Scenarios
import SimCore

/// `simrun run FILE`: replays a scenario and prints its verdict.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario file and print its verdict, seed, fingerprint and replay command.")

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @Option(help: "The seed (default: the scenario's own).")
    var seed: UInt64?

    @Option(help: "Write every trace event to this file as JSON Lines.")
    var trace: String?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(help: "The standalone database of the oracle check: sqlite (embedded), mariadb (a private server simrun starts) or socket:PATH.")
    var oracle: OracleOption?

    func run() throws {
        var scenario = try ScenarioLoader.load(path: file)
        if let oracle { scenario.oracle = oracle.choice }
        let sink = try trace.map { try JSONLinesFile(path: $0) }
        let report = ScenarioRunner.run(scenario, seed: seed, sink: sink)
        sink?.close()
        let replay = "simrun run \(shellQuoted(file)) --seed \(report.seed)"
        print(json ? ReportFormatter.json(report, replay: replay, trace: trace) : ReportFormatter.text(report, replay: replay))
        if !report.asExpected { throw ExitCode(1) }
    }
}

/// `text` quoted for a POSIX shell when it needs it.
func shellQuoted(_ text: String) -> String {
    let safe = text.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@".contains($0) }
    return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// `--oracle sqlite`, `--oracle mariadb` (a private server simrun starts) or
/// `--oracle socket:PATH` (a running server).
struct OracleOption: ExpressibleByArgument {
    let choice: OracleChoice

    init?(argument: String) {
        switch argument {
        case "sqlite": choice = .sqlite
        case "mariadb": choice = .mariadb
        default:
            guard argument.hasPrefix("socket:"), argument.count > 7 else { return nil }
            choice = .mariadbSocket(String(argument.dropFirst(7)))
        }
    }
}
