import SimCore
import SQLSyntax

/// Which tablets a query is meant for: keyspace, shard and tablet type.
public struct Target: Sendable, Equatable, CustomStringConvertible {
    public var keyspace: String
    public var shard: String
    public var type: TabletType

    public init(keyspace: String, shard: String, type: TabletType) {
        self.keyspace = keyspace
        self.shard = shard
        self.type = type
    }

    public var description: String { "\(keyspace)/\(shard)@\(type.rawValue.lowercased())" }
}

/// A request to a tablet's query service (Vitess's queryservice).
public enum TabletRequest: Sendable, Equatable {
    /// Run `sql`, in the transaction `transactionID` if given.
    case execute(target: Target, sql: String, bindings: [SQLValue], transactionID: Int?)
    /// Begin a transaction and run `sql` in it.
    case beginExecute(target: Target, sql: String, bindings: [SQLValue])
    case commit(target: Target, transactionID: Int)
    case rollback(target: Target, transactionID: Int)
    /// A call of atomic distributed commit.
    case twoPC(target: Target, TwoPCRequest)
}

/// A tablet's answer: the result (with the transaction it ran in) or an error.
public enum TabletReply: Sendable, Equatable {
    case result(QueryResult, transactionID: Int?)
    case twoPC(TwoPCAnswer)
    case failed(TabletError)
}

/// An error from a tablet: Vitess's RPC code and, when MySQL raised it, the MySQL error.
public struct TabletError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Vitess's `vtrpc.Code`.
    public enum Code: String, Sendable, Equatable {
        case unavailable = "UNAVAILABLE"
        case failedPrecondition = "FAILED_PRECONDITION"
        case resourceExhausted = "RESOURCE_EXHAUSTED"
        case aborted = "ABORTED"
        case deadlineExceeded = "DEADLINE_EXCEEDED"
        case notFound = "NOT_FOUND"
        case invalidArgument = "INVALID_ARGUMENT"
        case alreadyExists = "ALREADY_EXISTS"
        case unimplemented = "UNIMPLEMENTED"
        case `internal` = "INTERNAL"
        case unknown = "UNKNOWN"
    }

    public let code: Code
    public let message: String
    public let mysql: MySQLError?

    public init(_ code: Code, _ message: String, mysql: MySQLError? = nil) {
        self.code = code
        self.message = message
        self.mysql = mysql
    }

    /// A MySQL error passing through the tablet, with the code Vitess gives it.
    public init(mysql: MySQLError) {
        let code: Code = switch mysql.code {
        case 1205, 1213: .aborted
        case 1290: .failedPrecondition
        case 1062: .alreadyExists
        case 2006, 2013: .unavailable
        case 1317: .deadlineExceeded
        default: .unknown
        }
        self.init(code, mysql.message, mysql: mysql)
    }

    public var description: String {
        if let mysql { return "\(code.rawValue): \(mysql)" }
        return "\(code.rawValue): \(message)"
    }
}

/// Requests of the tablet manager (VTOrc and vtctld use these for reparents).
public enum ManagerRequest: Sendable, Equatable {
    case status
    /// Stop accepting writes and return the final position.
    case demotePrimary
    /// Accept writes again after a demotion that did not lead to a reparent.
    case undoDemotePrimary
    /// Become the primary of the shard with this term.
    case promoteReplica(term: SimTime)
    /// Replicate from the tablet `primary` (becoming a replica if this tablet was primary).
    case setReplicationSource(primary: String)
    /// Stop replicating and report the position (ERS's first step).
    case stopReplicationAndGetStatus
    case waitForPosition(GTIDSet, timeout: SimDuration)
    case changeType(TabletType)
}

/// A tablet as the tablet manager reports it.
public struct TabletStatus: Sendable, Equatable {
    public var alias: String
    public var type: TabletType
    public var serving: Bool
    /// The primary term this tablet serves (zero unless primary).
    public var term: SimTime
    /// Its MySQL node's status; nil when the node does not answer.
    public var mysql: MySQLStatus?
}

public enum ManagerReply: Sendable, Equatable {
    case status(TabletStatus)
    case done
    case failed(String)
}

/// What a tablet streams to gateways (Vitess's StreamHealthResponse).
public struct HealthReport: Sendable, Equatable {
    public var alias: String
    public var target: Target
    public var serving: Bool
    public var term: SimTime
    public var lag: SimDuration
    /// The tablet holds distributed transactions older than the abandon age (2PC).
    public var unresolvedTransactions: Bool
    public var error: String?
}

/// An operator's (or scenario's) reparent request to VTOrc.
public struct ReparentRequest: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable { case planned = "PRS", emergency = "ERS" }
    public var kind: Kind
    public var keyspace: String
    public var shard: String
    /// The tablet to promote; VTOrc chooses when nil.
    public var newPrimary: String?

    public init(kind: Kind, keyspace: String, shard: String, newPrimary: String? = nil) {
        self.kind = kind
        self.keyspace = keyspace
        self.shard = shard
        self.newPrimary = newPrimary
    }
}

/// Why a reparent did not happen.
public struct ReparentError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
