import SimCore

/// Jepsen's counter checker: a committed read of a counter is at least the sum of the increments
/// acknowledged before the read was invoked, and at most the sum of every increment (ok or
/// unknown) invoked before the read completed; the final value lies between the sum of the
/// committed increments and that sum plus the unknown ones. Failed increments count for nothing.
public struct CounterChecker: Sendable {
    public init() {}

    public struct Finding: Sendable, Equatable {
        public let message: String
        public let details: [String]
    }

    public func check(_ history: RunHistory, finalValues: [Int64: Int64]?) -> [Finding] {
        struct Increment { let key: Int64; let by: Int64; let invoked: SimTime; let completed: SimTime?; let ok: Bool }
        var increments: [Increment] = []
        for record in history.transactions where record.finalOutcome != .fail {
            for case .increment(let key, let by) in record.ops {
                increments.append(Increment(key: key, by: by, invoked: record.invoked, completed: record.completed, ok: record.finalOutcome == .ok))
            }
        }
        var findings: [Finding] = []
        for record in history.transactions where record.finalOutcome == .ok {
            for case .readCounter(let key, let value?) in record.ops {
                guard let completed = record.completed else { continue }
                let low = increments.filter { $0.key == key && $0.ok && ($0.completed.map { $0 < record.invoked } ?? false) }.reduce(0) { $0 + $1.by }
                let high = increments.filter { $0.key == key && $0.invoked < completed }.reduce(0) { $0 + $1.by }
                if value < low || value > high {
                    findings.append(Finding(message: "\(record.name) read counter \(key) as \(value), outside \(low)...\(high) (what the increments before it allow)",
                                            details: [record.line]))
                }
            }
        }
        if let finalValues {
            for key in Set(finalValues.keys).union(increments.map(\.key)).sorted() {
                let low = increments.filter { $0.key == key && $0.ok }.reduce(0) { $0 + $1.by }
                let high = increments.filter { $0.key == key }.reduce(0) { $0 + $1.by }
                let value = finalValues[key] ?? 0
                if value < low || value > high {
                    findings.append(Finding(message: "counter \(key) ends at \(value), outside \(low)...\(high) (committed, plus maybe-committed increments)", details: []))
                }
            }
        }
        return findings
    }
}
