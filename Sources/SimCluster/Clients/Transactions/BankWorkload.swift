import SimCore
import SQLSyntax

/// Jepsen's bank workload over SQL: transfers between accounts (rows created on first use, so the
/// total of every balance stays 0) and reads of every balance, which must always sum to 0. Reads
/// lock (`FOR UPDATE`) when `lockingReads` is set; plain reads see each shard's own snapshot.
public struct BankWorkload: TransactionWorkload {
    /// The table (`id BIGINT PRIMARY KEY, balance BIGINT NOT NULL`, sharded by `id`).
    public var table = "accounts"
    public var idColumn = "id"
    public var balanceColumn = "balance"
    /// Accounts 1...accounts.
    public var accounts = 8
    public var maxAmount: Int64 = 5
    /// The share of transactions that read every balance.
    public var readFraction = 0.2
    public var lockingReads = true

    public init() {}

    public func nextTransaction(client: Int, sequence: Int, random: inout RandomStream) -> [MicroOp] {
        if random.chance(readFraction) { return [.readBalances(nil)] }
        let from = Int64(random.int(in: 1..<(accounts + 1)))
        var to = Int64(random.int(in: 1..<accounts))
        if to >= from { to += 1 }
        return [.transfer(from: from, to: to, amount: random.int(in: 1...maxAmount))]
    }

    public func statements(for op: MicroOp) -> [String] {
        switch op {
        case .transfer(let from, let to, let amount):
            [upsert(from, by: -amount), upsert(to, by: amount)]
        case .readBalances:
            ["SELECT \(idColumn), \(balanceColumn) FROM \(table)" + (lockingReads ? " FOR UPDATE" : "")]
        case .append, .read, .increment, .readCounter, .statement:
            preconditionFailure("not a bank micro-op")
        }
    }

    func upsert(_ account: Int64, by amount: Int64) -> String {
        // One interpolation, not two joined by +: each transfer builds two of these.
        """
        INSERT INTO \(table) (\(idColumn), \(balanceColumn)) VALUES (\(account), \(amount)) \
        ON DUPLICATE KEY UPDATE \(balanceColumn) = \(balanceColumn) \(amount < 0 ? "-" : "+") \(amount.magnitude)
        """
    }

    public func isComparable(_ op: MicroOp) -> Bool {
        if case .readBalances = op { lockingReads } else { false }
    }

    public func completed(_ op: MicroOp, results: [QueryResult]) throws(WorkloadError) -> MicroOp {
        guard case .readBalances = op else { return op }
        guard let result = results.first else { throw WorkloadError("no answer to the read of the balances") }
        var balances: [MicroOp.Balance] = []
        for row in result.rows {
            guard row.count == 2, case .integer(let account) = row[0], case .integer(let balance) = row[1] else {
                throw WorkloadError("a balance row is \(row), not two integers")
            }
            balances.append(.init(account: account, balance: balance))
        }
        return .readBalances(balances.sorted { $0.account < $1.account })
    }
}
