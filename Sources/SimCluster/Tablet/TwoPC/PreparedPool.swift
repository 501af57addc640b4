/// A resource manager's prepared transactions by DTID (Vitess's `TxPreparedPool`). A prepared
/// transaction keeps its MySQL connection open, and with it its row locks: that open
/// transaction *is* the prepare.
///
/// States of a DTID in the pool:
///
///     (absent) ── put (Prepare, redo replay) ──▶ prepared
///     prepared ── fetchForCommit ──▶ committing ── forget (committed) ──▶ (absent)
///     committing ── setFailed (non-retryable error) ──▶ failed (until an operator concludes it)
///     prepared ── fetchForRollback ──▶ (absent)
///     any ── fetchAllForRollback (demotion, node restart) ──▶ (absent); the redo log stays
struct PreparedPool {
    /// A prepared transaction: its connection and the statements its redo log holds.
    struct Transaction: Equatable {
        let connection: Int
        let statements: [String]
        /// The tablet transaction it came from (0 when replayed from the redo log).
        let transactionID: Int
        /// Whether it still holds its locks (false only under the forgetful-participant mutant).
        var holdsLocks = true
    }

    enum Entry: Equatable {
        case prepared(Transaction)
        case committing
        case failed
    }

    enum PutError: Error, Equatable {
        case duplicate
        case full
    }

    /// Vitess sizes it at the transaction pool's size minus two.
    let capacity: Int
    private(set) var entries: [String: Entry] = [:]

    init(capacity: Int) {
        self.capacity = capacity
    }

    var isEmpty: Bool { entries.isEmpty }

    /// DTIDs in order (never the dictionary's order).
    var dtids: [String] { entries.keys.sorted() }

    func entry(_ dtid: String) -> Entry? { entries[dtid] }

    mutating func put(_ transaction: Transaction, dtid: String) throws(PutError) {
        guard entries[dtid] == nil else { throw .duplicate }
        guard entries.count < capacity else { throw .full }
        entries[dtid] = .prepared(transaction)
    }

    /// The transaction to commit, nil when it is not here (already committed: CommitPrepared is
    /// idempotent); an error when it is being committed or has failed.
    mutating func fetchForCommit(_ dtid: String) -> Result<Transaction?, TabletError> {
        switch entries[dtid] {
        case nil:
            return .success(nil)
        case .committing?:
            return .failure(TabletError(.failedPrecondition, "prepared transaction \(dtid) is already being committed"))
        case .failed?:
            return .failure(TabletError(.failedPrecondition, "prepared transaction \(dtid) failed to commit earlier; an operator must conclude it"))
        case .prepared(let transaction)?:
            entries[dtid] = .committing
            return .success(transaction)
        }
    }

    mutating func fetchForRollback(_ dtid: String) -> Transaction? {
        guard case .prepared(let transaction)? = entries[dtid] else {
            if entries[dtid] == .committing { return nil }
            entries[dtid] = nil
            return nil
        }
        entries[dtid] = nil
        return transaction
    }

    mutating func replace(_ transaction: Transaction, dtid: String) {
        entries[dtid] = .prepared(transaction)
    }

    mutating func setFailed(_ dtid: String) { entries[dtid] = .failed }

    mutating func forget(_ dtid: String) { entries[dtid] = nil }

    /// Empties the pool, returning the prepared transactions in DTID order.
    mutating func fetchAllForRollback() -> [(dtid: String, transaction: Transaction)] {
        let all = dtids.compactMap { dtid -> (String, Transaction)? in
            if case .prepared(let t)? = entries[dtid] { (dtid, t) } else { nil }
        }
        entries.removeAll()
        return all
    }
}
