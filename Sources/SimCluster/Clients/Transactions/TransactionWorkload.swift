import SimCore

/// A generator of client transactions: what each transaction does (its micro-ops), the SQL that
/// does it, and how the answers fill in what reads saw.
public protocol TransactionWorkload: Sendable {
    /// The micro-ops of a client's next transaction (`sequence` counts the client's transactions
    /// from 0; written values must be unique per key over the run).
    func nextTransaction(client: Int, sequence: Int, random: inout RandomStream) -> [MicroOp]
    /// The statements that carry out one micro-op, in order.
    func statements(for op: MicroOp) -> [String]
    /// The micro-op once its statements answered (reads take what they saw).
    func completed(_ op: MicroOp, results: [QueryResult]) throws(WorkloadError) -> MicroOp
    /// Whether a committed read's answer is fixed by the commit order (a locking read), so that
    /// a standalone database replaying the history in that order must answer it the same.
    func isComparable(_ op: MicroOp) -> Bool
}

extension TransactionWorkload {
    public func isComparable(_ op: MicroOp) -> Bool { false }
}

/// An answer a workload cannot read (a defect of the cluster's answers, reported as such).
public struct WorkloadError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Transaction settings every generated workload shares.
public struct TransactionClientSettings: Sendable {
    /// The gateway the client connects to.
    public var gateway = "gate-1"
    /// `SINGLE`, `MULTI` or `TWOPC` (set on each new connection).
    public var mode = "TWOPC"
    /// Pause between two transactions.
    public var interval: SimDuration = .milliseconds(20)
    /// How long a statement may take before the client gives up on it (and its connection).
    public var timeout: SimDuration = .seconds(5)
    /// How many transactions each client runs (nil: until the run ends).
    public var count: Int?

    public init() {}
}
