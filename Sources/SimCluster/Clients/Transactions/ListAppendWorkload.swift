import SimCore
import SQLSyntax

/// Elle's list-append workload over SQL: each key is a row whose text column holds the values
/// appended so far, separated by spaces. An append is an upsert that concatenates (so it locks
/// the row and reads its latest version); a read selects the row, `FOR UPDATE` when reads lock.
/// With keys spread over shards, transactions touching several keys go through 2PC.
public struct ListAppendWorkload: TransactionWorkload {
    /// The table (`k BIGINT PRIMARY KEY, v TEXT`, sharded by `k`).
    public var table = "lists"
    public var keyColumn = "k"
    public var valueColumn = "v"
    /// Keys 1...keys.
    public var keys = 8
    /// Micro-ops per transaction.
    public var opsPerTransaction: ClosedRange<Int> = 1...4
    /// The share of micro-ops that are reads.
    public var readFraction = 0.5
    /// Whether reads take locks (`SELECT ... FOR UPDATE`): serializable transactions across
    /// shards under 2PC. Plain reads are MySQL's per-shard snapshots.
    public var lockingReads = true

    public init() {}

    public func nextTransaction(client: Int, sequence: Int, random: inout RandomStream) -> [MicroOp] {
        let count = random.int(in: opsPerTransaction.lowerBound..<(opsPerTransaction.upperBound + 1))
        return (0..<count).map { i in
            let key = Int64(random.int(in: 1..<(keys + 1)))
            if random.chance(readFraction) { return .read(key: key, values: nil) }
            // Unique over the run: the client, its transaction and the op's place in it.
            return .append(key: key, value: Int64(client) * 10_000_000 + Int64(sequence) * 16 + Int64(i))
        }
    }

    public func statements(for op: MicroOp) -> [String] {
        switch op {
        case .append(let key, let value):
            ["INSERT INTO \(table) (\(keyColumn), \(valueColumn)) VALUES (\(key), '\(value)') "
                + "ON DUPLICATE KEY UPDATE \(valueColumn) = CONCAT(\(valueColumn), ' \(value)')"]
        case .read(let key, _):
            ["SELECT \(valueColumn) FROM \(table) WHERE \(keyColumn) = \(key)" + (lockingReads ? " FOR UPDATE" : "")]
        case .transfer, .readBalances, .increment, .readCounter, .statement:
            preconditionFailure("not a list-append micro-op")
        }
    }

    public func completed(_ op: MicroOp, results: [QueryResult]) throws(WorkloadError) -> MicroOp {
        guard case .read(let key, _) = op else { return op }
        guard let result = results.first else { throw WorkloadError("no answer to the read of key \(key)") }
        guard let row = result.rows.first else { return .read(key: key, values: []) }
        guard result.rows.count == 1, row.count == 1 else { throw WorkloadError("the read of key \(key) returned \(result.rows.count) rows") }
        let text: String
        switch row[0] {
        case .text(let t): text = t
        case .null: text = ""
        default: throw WorkloadError("the read of key \(key) returned \(row[0]), not text")
        }
        var values: [Int64] = []
        for word in text.split(separator: " ") {
            guard let value = Int64(word) else { throw WorkloadError("the list of key \(key) holds '\(word)', not a number") }
            values.append(value)
        }
        return .read(key: key, values: values)
    }
}
