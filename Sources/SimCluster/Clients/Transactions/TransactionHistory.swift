import SimCore
import SQLSyntax

/// One step of a client transaction, as Jepsen and Elle write them: a write the transaction makes
/// or a read and (once it answered) what it saw.
public enum MicroOp: Sendable, Equatable {
    /// Appends `value` to the list under `key` (list-append).
    case append(key: Int64, value: Int64)
    /// Reads the list under `key`; `values` is nil until the read answers.
    case read(key: Int64, values: [Int64]?)
    /// Moves `amount` from account `from` to account `to` (bank).
    case transfer(from: Int64, to: Int64, amount: Int64)
    /// Reads every account's balance, sorted by account (bank).
    case readBalances([Balance]?)
    /// Adds `by` to the counter `key` (counter).
    case increment(key: Int64, by: Int64)
    /// Reads the counter `key`; `value` is nil until the read answers (0 for a missing row).
    case readCounter(key: Int64, value: Int64?)
    /// A statement of the random CRUD workload (a read carries its rows once it answered).
    case statement(CrudStatement)

    /// An account and its balance.
    public struct Balance: Sendable, Equatable {
        public let account: Int64
        public let balance: Int64
        public init(account: Int64, balance: Int64) {
            self.account = account
            self.balance = balance
        }
    }

    /// The micro-op in Elle's notation: `[:append 3 17]`, `[:r 3 [1 17]]`.
    public var notation: String {
        switch self {
        case .append(let k, let v): "[:append \(k) \(v)]"
        case .read(let k, let values): "[:r \(k) \(values.map { "[" + $0.map(String.init).joined(separator: " ") + "]" } ?? "nil")]"
        case .transfer(let from, let to, let amount): "[:transfer \(from)->\(to) \(amount)]"
        case .readBalances(let b): "[:read-all \(b.map { "{" + $0.map { "\($0.account) \($0.balance)" }.joined(separator: ", ") + "}" } ?? "nil")]"
        case .increment(let k, let by): "[:add \(k) \(by)]"
        case .readCounter(let k, let value): "[:r \(k) \(value.map(String.init) ?? "nil")]"
        case .statement(let s): s.line
        }
    }

    public var isRead: Bool {
        switch self {
        case .read, .readBalances, .readCounter: true
        case .statement(let s): s.isRead
        case .append, .transfer, .increment: false
        }
    }
}

/// How a client operation ended: Jepsen's ok, fail (certainly did not happen) and info (unknown:
/// it may or may not have taken effect, e.g. the commit's answer was lost).
public enum OperationOutcome: String, Sendable, Equatable {
    case ok
    case fail
    case unknown
}

/// One transaction of a client, from its invocation to its completion.
public struct TransactionRecord: Sendable, Equatable {
    /// The client's number (1 for `client-1`).
    public let client: Int
    /// The position in the client's own history.
    public let index: Int
    public let invoked: SimTime
    public var completed: SimTime?
    /// Nil while the transaction is in flight (the run ended first: treated as unknown).
    public var outcome: OperationOutcome?
    /// When the client sent COMMIT (nil if it never did). Every lock the transaction takes is
    /// held then and none is released yet, so under two-phase locking conflicting transactions
    /// commit in the order of these times.
    public var commitInvoked: SimTime?
    public var ops: [MicroOp]
    /// Why it failed or is unknown (the error, or "timeout").
    public var error: String?
    /// An answer the client could not read (the cluster answered something impossible).
    public var defect: String?

    public init(client: Int, index: Int, invoked: SimTime, ops: [MicroOp]) {
        self.client = client
        self.index = index
        self.invoked = invoked
        self.ops = ops
    }

    /// The outcome, an unfinished transaction counting as unknown.
    public var finalOutcome: OperationOutcome { outcome ?? .unknown }

    /// `client-2#17`: how explanations name the transaction.
    public var name: String { "client-\(client)#\(index)" }

    /// The transaction as a line of a history: outcome, times and micro-ops, in Elle's notation.
    public var line: String {
        let ops = ops.map(\.notation).joined(separator: " ")
        let end = completed.map { " ended \($0)" } ?? ""
        return "\(name) \(finalOutcome.rawValue) invoked \(invoked)\(end) \(ops)" + (error.map { " (\($0))" } ?? "")
    }
}

/// A client's transactions in invocation order. Durable: a restarted client goes on after them.
public final class TransactionHistory: DurableState {
    public private(set) var records: [TransactionRecord] = []
    /// Connections the client opened so far (a restarted client never reuses one).
    var connections = 0

    public init() {}

    func invoked(_ record: TransactionRecord) { records.append(record) }

    func update(_ body: (inout TransactionRecord) -> Void) {
        guard let i = records.indices.last else { return }
        body(&records[i])
    }
}

/// Every client's transactions of a run.
public struct RunHistory: Sendable {
    public var transactions: [TransactionRecord]

    public init(_ histories: [TransactionHistory]) {
        transactions = histories.flatMap(\.records)
    }

    public init(transactions: [TransactionRecord]) { self.transactions = transactions }
}
