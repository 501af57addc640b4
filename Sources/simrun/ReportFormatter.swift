import Scenarios
import SimCore

/// Renders a run report for people or as JSON.
enum ReportFormatter {
    static func text(_ report: RunReport, replay: String) -> String {
        var lines: [String] = []
        let mark = report.asExpected ? "as expected" : "EXPECTED \(report.expected)"
        lines.append("scenario     \(report.scenarioName) (\(report.file))")
        lines.append("verdict      \(report.verdict) (\(mark))")
        lines.append("seed         \(report.seed)")
        lines.append("fingerprint  \(formatFingerprint(report.fingerprint))")
        lines.append("events       \(report.events) over \(report.virtualTime) of virtual time")
        lines.append("checks       \(report.checks.isEmpty ? "none" : report.checks.joined(separator: ", "))")
        if !report.marks.isEmpty {
            // What the run exercised, sorted by name.
            lines.append("mechanisms   " + report.marks.map { "\($0.name) \($0.count)" }.joined(separator: ", "))
        }
        for note in report.notes { lines.append("examined     \(note)") }
        let violations = report.verdict.violations
        for violation in violations.prefix(3) {
            lines.append("")
            lines.append("violation of \(violation.checker): \(violation.message)")
            for detail in violation.details { lines.append("  \(detail)") }
        }
        if violations.count > 3 {
            lines.append("... and \(violations.count - 3) more violations (--json lists them all)")
        }
        if !report.verdict.violations.isEmpty || !report.asExpected {
            lines.append("")
            lines.append("last events:")
            for event in report.recentEvents.suffix(12) { lines.append("  \(event.summary)") }
        }
        lines.append("")
        lines.append("replay       \(replay)")
        return lines.joined(separator: "\n")
    }

    static func json(_ report: RunReport, replay: String, trace: String?) -> String {
        var object = JSONObject()
        object.add("scenario", report.scenarioName)
        object.add("file", report.file)
        object.add("verdict", report.verdict.description)
        object.add("expected", report.expected.description)
        object.add("as_expected", report.asExpected)
        object.add("seed", report.seed)
        object.add("fingerprint", formatFingerprint(report.fingerprint))
        object.add("events", report.events)
        object.add("virtual_time_ns", report.virtualTime.nanoseconds)
        object.add("outcome", report.outcome.rawValue)
        object.add("checks", .list(report.checks.map { .string($0) }))
        var marks = JSONObject()
        for (name, count) in report.marks { marks.add(name, count) }
        object.add("marks", json: marks.text)
        object.add("examined", .list(report.notes.map { .string($0) }))
        let violations = report.verdict.violations.map { v -> String in
            var item = JSONObject()
            item.add("checker", v.checker)
            item.add("message", v.message)
            item.add("details", .list(v.details.map { .string($0) }))
            return item.text
        }
        object.add("violations", json: "[" + violations.joined(separator: ",") + "]")
        if let trace { object.add("trace", trace) }
        object.add("replay", replay)
        return object.text
    }
}
