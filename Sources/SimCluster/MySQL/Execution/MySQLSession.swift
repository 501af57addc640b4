import SimCore
import SQLSyntax

/// One client connection to a node: its transaction (its private row changes until commit), its
/// savepoints and session variables.
final class MySQLSession {
    let id: Int
    /// DBA connections (the tablet's own) may write while the node is read-only.
    let privileged: Bool
    // Unchecked exclusivity: one thread runs a simulation and no access to these properties
    // overlaps another; the runtime checks cost 7% of a run.
    @exclusivity(unchecked) var autocommit = true
    /// An explicit (BEGIN) or implicit (autocommit off) transaction is open.
    @exclusivity(unchecked) var inTransaction = false
    /// The transaction's row changes, in order, not yet visible to others.
    @exclusivity(unchecked) var changes: [RowChange] = []
    @exclusivity(unchecked) var savepoints: [(name: String, count: Int)] = []
    @exclusivity(unchecked) var lastInsertID: Int64 = 0
    @exclusivity(unchecked) var userVariables: [String: SQLValue] = [:]
    @exclusivity(unchecked) var database = ""
    /// When the transaction began (for the tablet's transaction killer and reports).
    @exclusivity(unchecked) var transactionStart: SimTime?
    /// Counts the session's transactions (it tells an overlay of an ended one from the current).
    @exclusivity(unchecked) private(set) var transaction = 0

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
