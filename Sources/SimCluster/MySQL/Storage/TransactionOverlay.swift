import SQLiteKit

/// What an open SQLite transaction holds over the committed data: one session's uncommitted
/// changes between its statements, or commits waiting for semi-sync acks.
///
/// A transaction's changes live in its session until commit (others must not see them), so each
/// of its statements runs over them replayed in a SQLite transaction that is then rolled back.
/// The overlay keeps that transaction open while the same session goes on, so a run of statements
/// replays nothing and COMMIT is SQLite's own; any other use of the database rolls it back first
/// (`MySQLStorage.db`), which gives exactly the replay-per-statement behaviour.
///
/// A semi-sync primary's commit waits for a replica's ack before its data becomes visible. Its
/// transaction stays open meanwhile, marked as holding the commit's binlog entry: if the database
/// is not used until the ack, applying that entry commits it as it stands instead of rolling it
/// back and replaying its changes. Statements that touch only rows the held commits did not
/// change (see `PointAccess`) run beside them, over the open transaction: a point read reads
/// there, and an autocommit insert of such rows commits there, its entry held after the others.
/// An ack then applies its entries without touching SQLite (readers see them over the open
/// transaction), and once every held entry is acknowledged SQLite commits them all at once. Any
/// other use of the database rolls the transaction back and replays the acknowledged entries.
enum TransactionOverlay {
    /// `count` changes of `session`'s transaction number `transaction` (the session is kept
    /// alive, so identity is exact; the number changes on every reset).
    case session(MySQLSession, transaction: Int, count: Int)
    /// The changes, and no others, of binlog entries `entries` (by index, in order) whose commits
    /// wait for semi-sync acks. The first `acknowledged` were acknowledged: they are applied
    /// (the first follows the last applied entry), though SQLite has not committed them yet.
    case held(entries: Range<Int>, acknowledged: Int)

    func holds(_ session: MySQLSession) -> Bool {
        guard case .session(let own, let transaction, let count) = self else { return false }
        return own === session && transaction == session.transaction && count == session.changes.count
    }

    var isHeld: Bool { if case .held = self { true } else { false } }

    /// The held entries still waiting for their acks: other sessions must not see them.
    var waiting: Range<Int> {
        guard case .held(let entries, let acknowledged) = self else { return 0..<0 }
        return entries.lowerBound + acknowledged ..< entries.upperBound
    }
}

extension MySQLStorage {
    /// The database with `session`'s uncommitted changes applied in an open transaction
    /// (the current overlay if it already holds them).
    func openOverlay(for session: MySQLSession) throws -> Connection {
        if let overlay, overlay.holds(session) { return connection }
        settle()
        try connection.begin()
        do {
            try replayer.apply(session.changes, on: connection, catalog: catalog)
        } catch {
            try? connection.rollback()
            throw error
        }
        overlay = .session(session, transaction: session.transaction, count: session.changes.count)
        overlayCounts.opened += 1
        return connection
    }

    /// A statement inside the overlay failed: SQLite backed out the statement (or, on the rare
    /// errors that end a transaction, all of it; then the overlay is gone).
    func overlayStatementFailed() {
        if connection.isAutocommit { overlay = nil }
    }

    /// Keeps the statement's changes, `count` of them, in the overlay.
    func keepOverlayStatement(adding added: Int) {
        if case .session(let session, let transaction, let count)? = overlay { overlay = .session(session, transaction: transaction, count: count + added) }
    }

    /// Undoes a statement that made `changes` (it must wait for locks); the overlay keeps the
    /// earlier changes.
    func undoOverlayStatement(_ changes: [RowChange]) {
        precondition(capture == nil, "undoing while capturing")
        do {
            try replayer.apply(changes.reversed().map(\.inverse), on: connection, catalog: catalog)
        } catch {
            settle()
        }
    }

    /// Commits the overlay as the transaction it is, if it holds `session`'s changes; false
    /// if it does not (the caller applies the changes itself).
    func commitOverlay(of session: MySQLSession) -> Bool {
        guard let overlay, overlay.holds(session), commitOpenTransaction() else { return false }
        overlayCounts.committed += 1
        return true
    }

    /// Keeps the open transaction until the binlog entry about to be appended is applied (see
    /// the type's note): it holds exactly that entry's changes, over any held entries before it.
    func holdForAck() {
        precondition(!connection.isAutocommit, "no open transaction to hold")
        let index = binlog.count
        if case .held(let entries, let acknowledged)? = overlay {
            precondition(entries.upperBound == index, "held commits out of binlog order")
            overlay = .held(entries: entries.lowerBound ..< index + 1, acknowledged: acknowledged)
        } else {
            overlay = .held(entries: index ..< index + 1, acknowledged: 0)
        }
    }

    /// Whether commits are held open and none still waiting for its ack changed a row of `table`
    /// with one of these row ids: a `PointAccess` to those rows then runs beside them, over the
    /// open transaction, and sees what it would see in committed data.
    func heldCommitsLeave(_ table: String, rowIDs: [Int64]) -> Bool {
        guard let open = overlay, open.isHeld else { return false }
        for index in open.waiting {
            guard case .rows(let changes) = binlog[index].event else { return false }
            for change in changes where change.table == table {
                if change.kind != .insert && rowIDs.contains(change.oldRowID) { return false }
                if change.kind != .delete && rowIDs.contains(change.newRowID) { return false }
            }
        }
        return true
    }

    /// Whether a statement can commit beside the held commits, its entry held after theirs:
    /// it touches none of their waiting rows (see `heldCommitsLeave`), and its entry is next.
    func canHoldBeside(_ table: String, rowIDs: [Int64]) -> Bool {
        guard case .held(let entries, _)? = overlay, entries.upperBound == binlog.count else { return false }
        return heldCommitsLeave(table, rowIDs: rowIDs)
    }

    /// Starts a statement beside the held commits (see `canHoldBeside`).
    func beginBesideHeld() throws {
        try connection.savepoint(Self.besideHeld)
    }

    /// Keeps the statement started beside the held commits (its entry is held next).
    func keepBesideHeld() throws {
        try connection.release(Self.besideHeld)
        overlayCounts.heldBeside += 1
    }

    /// Undoes the statement started beside the held commits (it failed, changed nothing, or
    /// must wait for locks); if SQLite ended the whole transaction instead, settles.
    func undoBesideHeld() {
        guard !connection.isAutocommit else { return settle() }
        do {
            try connection.rollback(to: Self.besideHeld)
            try connection.release(Self.besideHeld)
        } catch {
            settle()
        }
    }

    static let besideHeld = "beside_held"

    /// Applies the first binlog entry not yet applied if the open transaction holds it (see
    /// `holdForAck`): it becomes visible without SQLite doing anything, and once every held entry
    /// is so, SQLite commits them as they stand. False if the transaction does not hold it.
    func applyHeld() -> Bool {
        guard case .held(let entries, let acknowledged)? = overlay, entries.lowerBound + acknowledged == appliedCount,
              appliedCount < entries.upperBound else { return false }
        overlay = .held(entries: entries, acknowledged: acknowledged + 1)
        // If SQLite cannot commit, the entries are replayed from the binlog instead (`settle`).
        if acknowledged + 1 == entries.count, commitOpenTransaction() { overlayCounts.committedAfterAck += 1 }
        return true
    }

    /// Commits the open transaction as it stands; if that fails, rolls it back (false: the
    /// caller applies the changes itself).
    private func commitOpenTransaction() -> Bool {
        do {
            try connection.commit()
            overlay = nil
            return true
        } catch {
            settle()
            return false
        }
    }

    /// Rolls the open overlay back, leaving committed data only; acknowledged held entries are
    /// applied, so their changes are replayed into the data.
    func settle() {
        guard let open = overlay else { return }
        overlay = nil
        if !connection.isAutocommit { try? connection.rollback() }
        guard case .held(let entries, let acknowledged) = open else { return }
        for index in entries.lowerBound ..< entries.lowerBound + acknowledged {
            // The same changes went in over the same data moments ago.
            do { try apply(binlog[index].event) } catch { preconditionFailure("replaying the acknowledged commit \(binlog[index].gtid) failed: \(error)") }
        }
    }
}
