import SimCore

/// The state of a distributed transaction's record on its metadata manager (Vitess's
/// `querypb.TransactionState`; the numbers are the ones stored in `dt_state.state`).
public enum DistributedTransactionState: Int, Sendable, Equatable, CustomStringConvertible {
    case unknown = 0
    case prepare = 1
    case rollback = 2
    case commit = 3

    public var description: String {
        switch self {
        case .unknown: "UNKNOWN"
        case .prepare: "PREPARE"
        case .rollback: "ROLLBACK"
        case .commit: "COMMIT"
        }
    }
}

/// What StartCommit on the metadata manager decided (Vitess's `querypb.StartCommitState`):
/// `fail` is certain (the transaction rolls back), `unknown` is not (the resolver finds out).
public enum StartCommitState: String, Sendable, Equatable {
    case unknown = "Unknown"
    case fail = "Fail"
    case success = "Success"
}

/// A shard taking part in a distributed transaction.
public struct ParticipantTarget: Sendable, Equatable, CustomStringConvertible {
    public var keyspace: String
    public var shard: String

    public init(keyspace: String, shard: String) {
        self.keyspace = keyspace
        self.shard = shard
    }

    public var description: String { "\(keyspace)/\(shard)" }
}

/// A distributed transaction as its metadata manager records it (Vitess's `TransactionMetadata`).
public struct TransactionMetadata: Sendable, Equatable {
    public var dtid: String
    public var state: DistributedTransactionState
    /// When the record was created (virtual nanoseconds).
    public var timeCreated: Int64
    /// The resource managers: every participant but the metadata manager.
    public var participants: [ParticipantTarget]

    public init(dtid: String, state: DistributedTransactionState, timeCreated: Int64, participants: [ParticipantTarget]) {
        self.dtid = dtid
        self.state = state
        self.timeCreated = timeCreated
        self.participants = participants
    }
}

/// The tablet calls of atomic distributed commit (Vitess's `queryservice` 2PC methods).
public enum TwoPCRequest: Sendable, Equatable {
    /// On the metadata manager: the durable record, state PREPARE, listing the other participants.
    case createTransaction(dtid: String, participants: [ParticipantTarget])
    /// On a resource manager: keep the transaction open with its locks and write its redo log.
    case prepare(transactionID: Int, dtid: String)
    /// On the metadata manager: PREPARE→COMMIT inside its own transaction, committed with it.
    case startCommit(transactionID: Int, dtid: String)
    /// On the metadata manager: roll back its transaction (if any) and move PREPARE→ROLLBACK.
    case setRollback(dtid: String, transactionID: Int)
    /// On a resource manager: commit the prepared transaction, deleting its redo log with it.
    case commitPrepared(dtid: String)
    /// On a resource manager: delete the redo log and roll the prepared transaction back.
    case rollbackPrepared(dtid: String, originalTransactionID: Int)
    /// On the metadata manager: forget the record.
    case concludeTransaction(dtid: String)
    /// On the metadata manager: the record (`SHOW TRANSACTION STATUS`).
    case readTransaction(dtid: String)
    /// On the metadata manager: records older than `abandonAge`, COMMIT ones first.
    case unresolvedTransactions(abandonAge: SimDuration)
}

/// A tablet's answer to a 2PC call that succeeded.
public enum TwoPCAnswer: Sendable, Equatable {
    case done
    case startCommit(StartCommitState)
    case transactions([TransactionMetadata])
}

extension String {
    /// The metadata manager's transaction id inside a DTID (`keyspace:shard:txid`).
    var transactionIDInDTID: Int? { split(separator: ":").last.flatMap { Int($0) } }
}
