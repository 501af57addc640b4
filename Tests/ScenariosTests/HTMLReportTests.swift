import Foundation
import Scenarios
import SimCore
import Testing

/// The HTML report: one self-contained file that carries the run's timeline and verdict.
/// (scripts/check-report-renders.sh checks that it renders in headless Chromium.)
@Suite struct HTMLReportTests {
    @Test func aRunBecomesOneSelfContainedPage() throws {
        let scenario = try ScenarioLoader.load(path: Paths.scenarios.appendingPathComponent("async-failover-loses-writes.yaml").path)
        let trace = FileManager.default.temporaryDirectory.appendingPathComponent("vtsim-report-\(getpid()).jsonl")
        defer { try? FileManager.default.removeItem(at: trace) }
        let sink = try JSONLinesFile(path: trace.path)
        let report = ScenarioRunner.run(scenario, sink: sink)
        sink.close()
        let lines = try String(contentsOf: trace, encoding: .utf8).components(separatedBy: "\n")
        let summary = HTMLReport.Summary(title: report.scenarioName, lines: ["seed 2"],
                                         findings: report.verdict.violations.map { .init(checker: $0.checker, message: $0.message, details: $0.details) })
        let html = try HTMLReport().html(traceLines: lines, summary: summary)
        // Offline: nothing is fetched from elsewhere.
        #expect(!html.contains("http://") || html.contains("http://www.w3.org/2000/svg"))
        #expect(!html.contains("https://") && !html.contains("src="))
        // The embedded data holds the lanes, the crash, the partition, messages and the verdict.
        let start = try #require(html.range(of: "<script type=\"application/json\" id=\"data\">"))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let data = try #require(try JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8)) as? [String: Any])
        let lanes = data["lanes"] as? [String] ?? []
        #expect(lanes.contains("zone1-0000000101") && lanes.contains("vtorc"))
        #expect((data["spans"] as? [[String: Any]])?.contains { $0["kind"] as? String == "down" } == true, "the host crash is drawn")
        #expect((data["faults"] as? [[String: Any]])?.contains { ($0["label"] as? String)?.hasPrefix("partition stall") == true } == true)
        #expect((data["messages"] as? [Any])?.isEmpty == false)
        #expect((data["marks"] as? [[String: Any]])?.contains { ($0["label"] as? String)?.hasPrefix("primary") == true } == true, "the promotion is drawn")
        let findings = data["findings"] as? [[String: Any]] ?? []
        #expect(findings.first?["checker"] as? String == "durability")
    }

    @Test func aBrokenTraceIsRefusedWithItsLine() {
        #expect(throws: HTMLReport.ReportError.self) { try HTMLReport().html(traceLines: ["{\"t\":0}", "not json"], summary: nil) }
    }
}
