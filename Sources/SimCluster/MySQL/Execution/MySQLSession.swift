import SimCore
import SQLSyntax

/// One client connection to a node: its transaction (its private row changes until commit), its
/// savepoints and session variables.
final class MySQLSession {
    let id: Int
    /// DBA connections (the tablet's own) may write while the node is read-only.
    let privileged: Bool
    var autocommit = true
    /// An explicit (BEGIN) or implicit (autocommit off) transaction is open.
    var inTransaction = false
    /// The transaction's row changes, in order, not yet visible to others.
    var changes: [RowChange] = []
    var savepoints: [(name: String, count: Int)] = []
    var lastInsertID: Int64 = 0
    var userVariables: [String: SQLValue] = [:]
    var database = ""
    /// When the transaction began (for the tablet's transaction killer and reports).
    var transactionStart: SimTime?
    /// Counts the session's transactions (it tells an overlay of an ended one from the current).
    private(set) var transaction = 0

    init(id: Int, privileged: Bool) {
        self.id = id
        self.privileged = privileged
    }

    func resetTransaction() {
        inTransaction = false
        changes = []
        savepoints = []
        transactionStart = nil
        transaction += 1
    }
}
