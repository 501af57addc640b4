import SQLSyntax

/// What a statement returns: rows for a query; affected rows, the insert id and, for a commit,
/// the GTID of the transaction for a write.
public struct QueryResult: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[SQLValue]]
    public var rowsAffected: Int
    /// The first AUTO_INCREMENT value the statement generated (MySQL's insert id), 0 if none.
    public var insertID: Int64
    /// The GTID of the transaction a COMMIT (or autocommit write) made durable.
    public var gtid: GTID?
    /// The tablet transaction a statement ran in (a gateway's shard session), when it ran in one.
    public var transactionID: Int?
    /// The answer of a 2PC call (a gateway's coordinator or resolver made it).
    public var twoPC: TwoPCAnswer?

    public init(columns: [String] = [], rows: [[SQLValue]] = [], rowsAffected: Int = 0, insertID: Int64 = 0, gtid: GTID? = nil) {
        self.columns = columns
        self.rows = rows
        self.rowsAffected = rowsAffected
        self.insertID = insertID
        self.gtid = gtid
    }

    public static let ok = QueryResult()
}
