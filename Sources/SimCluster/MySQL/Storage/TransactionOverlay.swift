import SQLiteKit

/// One session's uncommitted changes held in an open SQLite transaction between its statements.
///
/// A transaction's changes live in its session until commit (others must not see them), so each
/// of its statements runs over them replayed in a SQLite transaction that is then rolled back.
/// The overlay keeps that transaction open while the same session goes on, so a run of statements
/// replays nothing and COMMIT is SQLite's own; any other use of the database rolls it back first
/// (`MySQLStorage.db`), which gives exactly the replay-per-statement behaviour.
///
/// A semi-sync primary's commit waits for a replica's ack before its data becomes visible. Its
/// transaction stays open meanwhile, marked with the commit's GTID: if the database is not used
/// until the ack, applying that binlog entry commits it as it stands instead of rolling it back
/// and replaying its changes.
struct TransactionOverlay {
    /// The session whose changes the open transaction holds (kept alive, so identity is exact).
    let session: MySQLSession
    /// Which of the session's transactions (it changes on every reset).
    let transaction: Int
    /// How many of its changes are applied.
    var count: Int
    /// The binlog entry whose changes (and no others) the open transaction holds while that
    /// commit waits for a semi-sync ack.
    var awaitingAck: GTID?

    func holds(_ session: MySQLSession) -> Bool {
        awaitingAck == nil && self.session === session && transaction == session.transaction && count == session.changes.count
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
        overlay = TransactionOverlay(session: session, transaction: session.transaction, count: session.changes.count)
        overlayCounts.opened += 1
        return connection
    }

    /// A statement inside the overlay failed: SQLite backed out the statement (or, on the rare
    /// errors that end a transaction, all of it; then the overlay is gone).
    func overlayStatementFailed() {
        if connection.isAutocommit { overlay = nil }
    }

    /// Keeps the statement's changes, `count` of them, in the overlay.
    func keepOverlayStatement(adding count: Int) { overlay?.count += count }

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

    /// Keeps the open transaction, which holds exactly the changes of `gtid`'s binlog entry, until
    /// that entry is applied (see the type's note); `session` ran it, `count` changes.
    func holdForAck(_ gtid: GTID, session: MySQLSession, count: Int) {
        precondition(!connection.isAutocommit, "no open transaction to hold")
        overlay = TransactionOverlay(session: session, transaction: session.transaction, count: count, awaitingAck: gtid)
    }

    /// Commits the open transaction if it holds exactly `entry`'s changes (see `holdForAck`);
    /// false if it does not (the caller replays them).
    func commitHeld(_ entry: BinlogEntry) -> Bool {
        guard let overlay, overlay.awaitingAck == entry.gtid, commitOpenTransaction() else { return false }
        overlayCounts.committedAfterAck += 1
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

    /// Rolls the open overlay back, leaving committed data only.
    func settle() {
        guard overlay != nil else { return }
        overlay = nil
        if !connection.isAutocommit { try? connection.rollback() }
    }
}
