/// Jepsen's bank checker: money is neither made nor lost. Every committed read of all balances
/// sums to zero (transfers move money; accounts start empty), and at the end each account holds
/// what the committed transfers put there, give or take transfers whose outcome is unknown;
/// failed transfers left no trace.
public struct BankChecker: Sendable {
    /// Whether committed reads must see a consistent total (locking reads under 2PC); plain
    /// reads see each shard's own snapshot and may catch a transfer half applied.
    public var checkReads = true

    public init(checkReads: Bool = true) { self.checkReads = checkReads }

    /// A finding, with the operations involved.
    public struct Finding: Sendable, Equatable {
        public let message: String
        public let details: [String]
    }

    /// Checks the history, and the final balances when given (account → balance).
    public func check(_ history: RunHistory, finalBalances: [Int64: Int64]?) -> [Finding] {
        var findings: [Finding] = []
        if checkReads {
            for record in history.transactions where record.finalOutcome == .ok {
                for case .readBalances(let balances?) in record.ops {
                    let total = balances.reduce(0) { $0 + $1.balance }
                    if total != 0 {
                        findings.append(Finding(message: "\(record.name) read balances summing to \(total), not 0", details: [record.line]))
                    }
                }
            }
        }
        guard let finalBalances else { return findings }
        let total = finalBalances.values.reduce(0, +)
        if total != 0 {
            findings.append(Finding(message: "the final balances sum to \(total), not 0",
                                    details: finalBalances.keys.sorted().map { "account \($0): \(finalBalances[$0]!)" }))
        }
        // Per account: committed transfers exactly, unknown ones anywhere between none and all.
        var exact: [Int64: Int64] = [:], low: [Int64: Int64] = [:], high: [Int64: Int64] = [:]
        var involved: [Int64: [String]] = [:]
        for record in history.transactions where record.finalOutcome != .fail {
            for case .transfer(let from, let to, let amount) in record.ops {
                for (account, delta) in [(from, -amount), (to, amount)] {
                    if record.finalOutcome == .ok {
                        exact[account, default: 0] += delta
                    } else if delta < 0 {
                        low[account, default: 0] += delta
                    } else {
                        high[account, default: 0] += delta
                    }
                    if record.finalOutcome == .unknown { involved[account, default: []].append(record.line) }
                }
            }
        }
        let accounts = Set(exact.keys).union(low.keys).union(high.keys).union(finalBalances.keys)
        for account in accounts.sorted() {
            let base = exact[account] ?? 0
            let range = (base + (low[account] ?? 0))...(base + (high[account] ?? 0))
            let balance = finalBalances[account] ?? 0
            if !range.contains(balance) {
                let expected = range.lowerBound == range.upperBound ? "\(base)" : "between \(range.lowerBound) and \(range.upperBound)"
                findings.append(Finding(
                    message: "account \(account) ends with \(balance), but the committed transfers give \(expected)",
                    details: Array((involved[account] ?? []).prefix(5))))
            }
        }
        return findings
    }
}
