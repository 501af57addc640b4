import SimCore
import SQLSyntax

/// Jepsen's counter workload over SQL: transactions that add to counters (an upsert, so rows
/// appear on first use) or read one. Each committed read must lie between what the increments
/// acknowledged before it began add up to and what every increment begun before it ended (maybe
/// committed included) could add up to; the final counters likewise.
public struct CounterWorkload: TransactionWorkload {
    /// The table (`k BIGINT PRIMARY KEY, n BIGINT NOT NULL`, sharded by `k`).
    public var table = "counters"
    public var keys = 4
    public var readFraction = 0.3
    public var maxIncrement: Int64 = 5

    public init() {}

    public func nextTransaction(client: Int, sequence: Int, random: inout RandomStream) -> [MicroOp] {
        let key = Int64(random.int(in: 1..<(keys + 1)))
        if random.chance(readFraction) { return [.readCounter(key: key, value: nil)] }
        return [.increment(key: key, by: random.int(in: 1...maxIncrement))]
    }

    public func statements(for op: MicroOp) -> [String] {
        switch op {
        case .increment(let key, let by):
            ["INSERT INTO \(table) (k, n) VALUES (\(key), \(by)) ON DUPLICATE KEY UPDATE n = n + \(by)"]
        case .readCounter(let key, _):
            ["SELECT n FROM \(table) WHERE k = \(key)"]
        case .append, .read, .transfer, .readBalances, .statement:
            preconditionFailure("not a counter micro-op")
        }
    }

    public func completed(_ op: MicroOp, results: [QueryResult]) throws(WorkloadError) -> MicroOp {
        guard case .readCounter(let key, _) = op else { return op }
        guard let result = results.first else { throw WorkloadError("no answer to the read of counter \(key)") }
        guard let row = result.rows.first else { return .readCounter(key: key, value: 0) }
        guard let value = row.first?.integer else { throw WorkloadError("counter \(key) read as \(row), not an integer") }
        return .readCounter(key: key, value: value)
    }
}
