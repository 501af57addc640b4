import Foundation

/// One self-contained HTML file, viewable offline, that shows a run: a timeline with one lane per
/// process (crashes, pauses, state changes such as promotions and fencing, messages between
/// lanes), the faults and reparents over virtual time, and the checkers' verdicts with their
/// explanations. Built from a run's trace (JSON Lines, as `simrun run --trace` writes it).
public struct HTMLReport {
    /// The most message arrows drawn (the rarest kinds first: heartbeats and acks are many).
    public var maxMessages = 4_000

    public init() {}

    /// A violation to show, with its explanation.
    public struct Finding: Sendable {
        public let checker: String
        public let message: String
        public let details: [String]
        public init(checker: String, message: String, details: [String]) {
            self.checker = checker
            self.message = message
            self.details = details
        }
    }

    /// What the report says at the top.
    public struct Summary: Sendable {
        public var title: String
        public var lines: [String]
        public var findings: [Finding]
        public init(title: String, lines: [String], findings: [Finding]) {
            self.title = title
            self.lines = lines
            self.findings = findings
        }
    }

    public enum ReportError: Error, CustomStringConvertible {
        case badLine(Int, String)
        public var description: String {
            switch self {
            case .badLine(let n, let text): "line \(n) of the trace is not a JSON object: \(text.prefix(80))"
            }
        }
    }

    /// The report of a trace; `summary` nil takes the verdict from the trace's violation notes.
    public func html(traceLines: [String], summary: Summary?) throws -> String {
        var lanes: [String] = []
        var laneIndex: [String: Int] = [:]
        func lane(_ name: String) -> Int {
            if let i = laneIndex[name] { return i }
            laneIndex[name] = lanes.count
            lanes.append(name)
            return lanes.count - 1
        }
        var spans: [[String: Any]] = []
        var marks: [[String: Any]] = []
        var faults: [[String: Any]] = []
        var messages: [(type: String, item: [String: Any])] = []
        var downSince: [Int: (Int64, String)] = [:]
        var partitions: [String: (Int64, String)] = [:]
        var notes: [Finding] = []
        var end: Int64 = 0
        for (n, line) in traceLines.enumerated() where !line.isEmpty {
            guard let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw ReportError.badLine(n + 1, line)
            }
            let t = (event["t"] as? NSNumber)?.int64Value ?? 0
            end = max(end, t)
            let kind = event["kind"] as? String ?? ""
            let process = event["process"] as? String
            let detail = event["detail"] as? String ?? ""
            switch kind {
            case "start":
                if let process { let l = lane(process); if let (from, what) = downSince.removeValue(forKey: l) { spans.append(["lane": l, "from": from, "to": t, "kind": what]) } }
            case "crash", "pause":
                if let process { downSince[lane(process)] = (t, kind == "crash" ? "down" : "paused") }
            case "resume":
                if let process, let (from, what) = downSince.removeValue(forKey: lane(process)) { spans.append(["lane": lane(process), "from": from, "to": t, "kind": what]) }
            case "state":
                if let process {
                    var label = detail
                    if let shard = event["shard"] as? String { label += " \(shard)" }
                    if let primary = event["primary"] as? String { label += " → \(primary)" }
                    marks.append(["lane": lane(process), "t": t, "label": label])
                }
            case "partition":
                let a = (event["a"] as? [String] ?? []).joined(separator: ", ")
                let b = (event["b"] as? [String] ?? []).joined(separator: ", ")
                let oneWay = (event["one_way"] as? Bool) == true
                partitions[detail] = (t, "partition \(detail): \(a) \(oneWay ? "→" : "↔") \(b)")
            case "heal":
                let healed = detail.hasPrefix("heal ") ? String(detail.dropFirst(5)) : detail
                for name in partitions.keys.sorted() where healed == "all" || healed == name || detail == name {
                    let (from, label) = partitions.removeValue(forKey: name)!
                    faults.append(["from": from, "to": t, "label": label])
                }
            case "clog", "unclog", "degrade", "restore":
                if let process { marks.append(["lane": lane(process), "t": t, "label": kind, "fault": true]) }
            case "deliver":
                guard let process, let from = event["from"] as? String, let msg = event["msg"] as? [String: Any] else { continue }
                let type = msg["type"] as? String ?? "message"
                let sent = (event["sent"] as? NSNumber)?.int64Value ?? t
                var text = type
                for key in ["sql", "request", "reply", "report", "gtids"] {
                    if let value = msg[key] { text += " \(key)=\(String(describing: value).prefix(160))" }
                }
                messages.append((type, ["from": lane(from), "to": lane(process), "sent": sent, "at": t, "label": text]))
            case "note":
                if detail.hasPrefix("violation: ") {
                    notes.append(Finding(checker: String(detail.dropFirst(11)), message: event["message"] as? String ?? "", details: []))
                } else {
                    faults.append(["from": t, "to": t, "label": detail])
                }
            default:
                if let process { _ = lane(process) }
            }
        }
        for (l, (from, what)) in downSince.sorted(by: { $0.key < $1.key }) { spans.append(["lane": l, "from": from, "to": end, "kind": what]) }
        for name in partitions.keys.sorted() { let (from, label) = partitions[name]!; faults.append(["from": from, "to": end, "label": label]) }
        // Rare kinds of messages first, so that a capped timeline still shows the interesting ones.
        var counts: [String: Int] = [:]
        for m in messages { counts[m.type, default: 0] += 1 }
        let kept = messages.enumerated().sorted { a, b in
            let (ca, cb) = (counts[a.element.type]!, counts[b.element.type]!)
            return ca != cb ? ca < cb : a.offset < b.offset
        }.prefix(maxMessages).sorted { $0.offset < $1.offset }.map(\.element.item)
        let summary = summary ?? Summary(title: "vtsim run", lines: [notes.isEmpty ? "verdict: pass" : "verdict: violation"], findings: notes)
        let data: [String: Any] = [
            "title": summary.title, "lines": summary.lines, "end": end, "lanes": lanes, "spans": spans, "marks": marks, "faults": faults,
            "messages": kept, "messagesTotal": messages.count,
            "findings": summary.findings.map { ["checker": $0.checker, "message": $0.message, "details": $0.details] },
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: data, options: [.sortedKeys]), as: UTF8.self)
            .replacingOccurrences(of: "</", with: "<\\/")
        return Self.page.replacingOccurrences(of: "@@TITLE@@", with: Self.escaped(summary.title)).replacingOccurrences(of: "@@DATA@@", with: json)
    }

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
