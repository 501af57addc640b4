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

    @Option(help: "Write the run as a self-contained HTML timeline to this file.")
    var html: String?

    @Option(help: "The standalone database of the oracle check: sqlite (embedded), mariadb (a private server simrun starts) or socket:PATH.")
    var oracle: OracleOption?

    func run() throws {
        var scenario = try ScenarioLoader.load(path: file)
        if let oracle { scenario.oracle = oracle.choice }
        // The HTML report is drawn from the trace: written to a temporary file when not asked for.
        let tracePath = trace ?? html.map { _ in FileManager.default.temporaryDirectory.appendingPathComponent("vtsim-trace-\(getpid()).jsonl").path }
        let sink = try tracePath.map { try JSONLinesFile(path: $0) }
        let report = ScenarioRunner.run(scenario, seed: seed, sink: sink)
        sink?.close()
        let replay = "simrun run \(shellQuoted(file)) --seed \(report.seed)"
        if let html, let tracePath {
            let lines = try String(contentsOfFile: tracePath, encoding: .utf8).components(separatedBy: "\n")
            if trace == nil { try? FileManager.default.removeItem(atPath: tracePath) }
            try HTMLReport().html(traceLines: lines, summary: HTMLReport.Summary(report, replay: replay)).write(toFile: html, atomically: true, encoding: .utf8)
        }
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
