import ArgumentParser
import Foundation
import Scenarios

/// `simrun report TRACE.jsonl -o report.html`: a run's trace as one self-contained HTML page.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a run's trace (simrun run --trace) as one self-contained HTML timeline, viewable offline.")

    @Argument(help: "The trace file (JSON Lines).")
    var trace: String

    @Option(name: .shortAndLong, help: "The HTML file to write.")
    var output: String = "report.html"

    func run() throws {
        guard let text = FileManager.default.contents(atPath: trace).map({ String(decoding: $0, as: UTF8.self) }) else {
            throw ValidationError("cannot read \(trace)")
        }
        let html = try HTMLReport().html(traceLines: text.components(separatedBy: "\n"), summary: nil)
        try html.write(toFile: output, atomically: true, encoding: .utf8)
        print("wrote \(output)")
    }
}

extension HTMLReport.Summary {
    /// The summary of a finished run, as `simrun run` prints it.
    init(_ report: RunReport, replay: String) {
        self.init(
            title: "\(report.scenarioName): \(report.verdict)",
            lines: ReportFormatter.text(report, replay: replay).components(separatedBy: "\n").filter { line in
                ["scenario", "verdict", "seed", "fingerprint", "events", "checks", "mechanisms", "examined", "replay"].contains { line.hasPrefix($0) }
            },
            findings: report.verdict.violations.map { HTMLReport.Finding(checker: $0.checker, message: $0.message, details: $0.details) })
    }
}
