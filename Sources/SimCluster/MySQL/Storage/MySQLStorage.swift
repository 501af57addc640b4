import SimCore
import SQLSyntax
import SQLiteKit

/// What a MySQL node keeps across crashes: its data (one in-memory SQLite database), its binlog
/// and relay log, its GTID sets, its AUTO_INCREMENT counters, its schema and its replication
/// settings. A crash loses only what the node process holds (sessions, open transactions, locks);
/// a storage fault can also lose the last binlog entries that were not yet synced.
public final class MySQLStorage: DurableState {
    /// The server id; its own transactions' GTIDs carry it.
    public let serverID: UInt32
    /// The database; use `db`, which first ends any open transaction overlay.
    let connection: Connection
    /// The database holding committed data only (an open overlay is rolled back first).
    var db: Connection {
        if overlay != nil { settle() }
        return connection
    }
    /// The open SQLite transaction holding one session's uncommitted changes, if any.
    // Unchecked exclusivity: one thread runs a simulation and no access to these properties
    // overlaps another; the runtime checks cost 7% of a run.
    @exclusivity(unchecked) var overlay: TransactionOverlay?
    /// How often an overlay was opened (its changes replayed), committed as it stood, committed
    /// as it stood once semi-sync acks came, read beside held commits, and held beside them.
    @exclusivity(unchecked) public internal(set) var overlayCounts = (opened: 0, committed: 0, committedAfterAck: 0, readBeside: 0, heldBeside: 0)
    @exclusivity(unchecked) public internal(set) var catalog = Catalog()
    /// Every transaction the node committed or replicated, in order.
    @exclusivity(unchecked) public internal(set) var binlog: [BinlogEntry] = []
    /// How many binlog entries are applied to the data; those after wait for a semi-sync ack
    /// (crash recovery applies them, as MySQL commits what its binlog holds).
    @exclusivity(unchecked) public internal(set) var appliedCount = 0
    /// How many binlog entries are synced to disk (a storage fault may lose the rest).
    @exclusivity(unchecked) public internal(set) var syncedCount = 0
    /// Sync every commit (MySQL's `sync_binlog=1`); otherwise the node syncs periodically.
    @exclusivity(unchecked) public var syncEveryCommit = true
    /// The GTIDs of the applied binlog entries (their data is visible).
    @exclusivity(unchecked) public internal(set) var executed = GTIDSet()
    /// The GTIDs of every binlog entry, applied or still waiting for a semi-sync ack: what
    /// MySQL reports as `gtid_executed` (a commit joins it when it is written to the binlog,
    /// before the ack), and what replicas and reparents compare.
    @exclusivity(unchecked) public internal(set) var binlogged = GTIDSet()
    /// Entries received from the replication source and not yet applied.
    @exclusivity(unchecked) public internal(set) var relayLog: [BinlogEntry] = []
    /// Every GTID received from the source (applied or not).
    @exclusivity(unchecked) public internal(set) var retrieved = GTIDSet()
    @exclusivity(unchecked) var autoIncrement: [String: Int64] = [:]
    /// The next rowid of each table without an integer primary key (the node allocates them, so
    /// that concurrent transactions never pick the same one).
    @exclusivity(unchecked) var nextRowID: [String: Int64] = [:]
    /// The first AUTO_INCREMENT value the running statement generated.
    @exclusivity(unchecked) var firstGeneratedID: Int64?
    @exclusivity(unchecked) var nextSequence: Int64 = 1
    /// The process name of the node this one replicates from, if any.
    @exclusivity(unchecked) public internal(set) var replicationSource: String?
    /// The last replication stream id this node opened, kept over restarts: a source may still
    /// stream to an id an earlier incarnation opened, and a new one must not take it for its own.
    @exclusivity(unchecked) var lastReplicationStream = 0
    /// Transactions a storage fault destroyed, for reports.
    @exclusivity(unchecked) public internal(set) var lost: [GTID] = []
    @exclusivity(unchecked) var replayer = RowReplayer()
    /// The statement shapes this node's engines use (a cluster gives all its nodes one).
    @exclusivity(unchecked) public var shapes = StatementShapes()
    /// What MySQL functions read while a statement runs (set by the engine running it).
    let functions = MySQLFunctionContext(random: RandomStream(rootSeed: 0, label: "rand"))
    /// Row changes the pre-update hook reports while non-nil (the engine collects a statement's;
    /// see `beginCapture`).
    @exclusivity(unchecked) private(set) var capture: [RowChange]?

    public init(serverID: UInt32) throws {
        self.serverID = serverID
        connection = try Connection()
        try connection.executeScript("PRAGMA page_size = 1024")
        // Double-quoted text is an identifier, never a string (SQLite's DQS fallback would turn an
        // unknown column into a string literal).
        try db.configure(1013, false)  // SQLITE_DBCONFIG_DQS_DML
        try db.configure(1014, false)  // SQLITE_DBCONFIG_DQS_DDL
        try MySQLFunctions.register(on: db, context: functions)
        try db.createFastFunction("mysql_autoinc", argumentCount: 2, deterministic: false) { [unowned self] (a: FunctionArguments) throws -> FunctionResult in
            .value(try self.autoIncrementValue(table: a[0].text ?? "", value: a[1]))
        }
        try db.createFastFunction("mysql_next_rowid", argumentCount: 1, deterministic: false) { [unowned self] (a: FunctionArguments) throws -> FunctionResult in
            let table = a[0].text ?? ""
            let next = self.nextRowID[table, default: 1]
            self.nextRowID[table] = next + 1
            return .value(.integer(next))
        }
        db.setPreupdateHook { [unowned self] image in
            if self.capture != nil { self.capture!.append(RowChange(image)) }
        }
        // On only while a statement's changes are captured: replays need no row images.
        db.setPreupdateHookActive(false)
    }

    /// Starts collecting the row changes of the statements run from now on.
    func beginCapture() {
        precondition(capture == nil, "already capturing")
        capture = []
        connection.setPreupdateHookActive(true)
    }

    /// Stops collecting and returns the row changes collected.
    func endCapture() -> [RowChange] {
        connection.setPreupdateHookActive(false)
        defer { capture = nil }
        return capture ?? []
    }

    /// Runs schema and data set-up that every node of a shard starts with (as if restored from
    /// the same backup): it is not in the binlog and has no GTID.
    public func bootstrap(_ script: String) throws {
        let engine = try MySQLEngine(storage: self, random: RandomStream(rootSeed: 0, label: "bootstrap"))
        engine.openSession(0, privileged: true)
        engine.bootstrapping = true
        defer { engine.bootstrapping = false }
        for statement in try parseScript(script) {
            let completions = engine.execute(statement, bindings: [], session: 0, token: 0, now: .zero)
            if case .failure(let error)? = completions.first?.result { throw error }
        }
    }

    /// Starts this node as a restore of `source`'s backup: the same data, schema and counters.
    /// `source` ran only set-up (`bootstrap`), and this node nothing yet; every node of a shard
    /// starts so, and copying the pages is cheaper than running the set-up again on each.
    public func restore(from source: MySQLStorage) throws {
        precondition(source.binlog.isEmpty && binlog.isEmpty && source.overlay == nil && catalog.names.isEmpty,
                     "a restore is only of set-up, onto a new node")
        try connection.copyContent(of: source.connection)
        replayer.reset()
        catalog = source.catalog
        autoIncrement = source.autoIncrement
        nextRowID = source.nextRowID
        firstGeneratedID = source.firstGeneratedID
    }

    func parseScript(_ script: String) throws -> [String] {
        do { return try SQLScript.statements(script) } catch { throw MySQLError.syntax(error.description) }
    }

    /// The next GTID of this server's own transactions.
    func takeGTID() -> GTID {
        defer { nextSequence += 1 }
        return GTID(server: serverID, sequence: nextSequence)
    }

    /// Appends a committed transaction to the binlog; `applied` says whether its data is already
    /// in the database.
    func append(_ entry: BinlogEntry, applied: Bool) {
        binlog.append(entry)
        binlogged.insert(entry.gtid)
        if applied {
            precondition(appliedCount == binlog.count - 1, "binlog entries applied out of order")
            appliedCount = binlog.count
            executed.insert(entry.gtid)
        }
        if syncEveryCommit { syncedCount = binlog.count }
        if entry.gtid.server == serverID { nextSequence = max(nextSequence, entry.gtid.sequence + 1) }
    }

    /// Applies the binlog entries not yet in the data, in order.
    func applyPending() throws {
        while appliedCount < binlog.count { try applyNext() }
    }

    /// Applies the first binlog entry not yet applied: the open transaction already has it if it
    /// was held there (see `holdForAck`); otherwise its changes are replayed.
    func applyNext() throws {
        let entry = binlog[appliedCount]
        if applyHeld() {
            if case .rows(let changes) = entry.event {
                for change in changes where change.kind != .delete { noteAutoIncrement(change) }
            }
        } else {
            try apply(entry.event)
        }
        markApplied()
    }

    /// Applies one transaction's changes in a transaction of its own.
    func apply(_ event: BinlogEntry.Event) throws {
        switch event {
        case .rows(let changes) where changes.count == 1:
            // One statement is atomic by itself: no BEGIN and COMMIT around it.
            try replayer.apply(changes[0], on: db, catalog: catalog)
            if changes[0].kind != .delete { noteAutoIncrement(changes[0]) }
        case .rows(let changes):
            try db.begin()
            do {
                try replayer.apply(changes, on: db, catalog: catalog)
                for change in changes where change.kind != .delete { noteAutoIncrement(change) }
                try db.commit()
            } catch {
                try? db.rollback()
                throw error
            }
        case .statement(let sql):
            let statement: SQLStatement
            do { statement = try SQLParser.parse(sql) } catch { throw MySQLError.syntax(error.description) }
            try executeDDL(statement)
        }
    }

    /// The value an AUTO_INCREMENT column takes: the next counter value for NULL or 0 (MySQL
    /// burns it even if the statement rolls back), the given value otherwise.
    func autoIncrementValue(table: String, value: SQLiteValue) throws -> SQLiteValue {
        let given = MySQLNumbers.number(value).map { Int64(MySQLNumbers.roundHalfAway($0.double)) }
        if given == nil || given == 0 {
            let next = autoIncrement[table, default: 1]
            autoIncrement[table] = next + 1
            if firstGeneratedID == nil { firstGeneratedID = next }
            return .integer(next)
        }
        return value
    }

    /// Keeps the AUTO_INCREMENT counter above every value a row change wrote, and the rowid
    /// counter above every rowid.
    func noteAutoIncrement(_ change: RowChange) {
        func raise(_ counter: inout Int64, past value: Int64) { if value >= counter { counter = value + 1 } }
        let profile = catalog.writeProfile(change.table)
        // An update that keeps the row id cannot move the row-id counter, and a table whose
        // integer primary key is its rowid never uses it (no DDL here changes a primary key).
        if profile?.rowIDColumn == nil && (change.kind == .insert || change.newRowID != change.oldRowID) {
            raise(&nextRowID[change.table, default: 1], past: change.newRowID)
        }
        guard let column = profile?.autoIncrementColumn, case .integer(let value) = change.new[column] else { return }
        if change.kind == .update, change.old[column] == change.new[column] { return }
        raise(&autoIncrement[change.table, default: 1], past: value)
    }

    /// Keeps a transaction received from the replication source in the relay log.
    func receive(_ entry: BinlogEntry) {
        relayLog.append(entry)
        retrieved.insert(entry.gtid)
    }

    /// Forgets received transactions not yet applied (after a promotion nothing is left to apply:
    /// the promotion waits for the relay log first).
    func discardRelayLog() {
        relayLog.removeAll()
        retrieved = GTIDSet()
    }

    /// Applies a transaction received from the replication source and logs it in this node's own
    /// binlog (MySQL's log_replica_updates), as the replica's SQL thread does.
    public func applyReplicated(_ entry: BinlogEntry) throws {
        guard !binlogged.contains(entry.gtid) else { return }
        try applyPending()
        try apply(entry.event)
        append(entry, applied: true)
    }

    /// Records that the next pending binlog entry was applied to the data.
    func markApplied() {
        executed.insert(binlog[appliedCount].gtid)
        appliedCount += 1
    }

    /// Appends an entry whose changes are already in the data (a schema change).
    func appendApplied(_ entry: BinlogEntry) { append(entry, applied: true) }

    /// Marks every binlog entry synced (the periodic sync).
    public func sync() { syncedCount = binlog.count }

    public func processCrashed(losingUnsynced: Int) {
        settle()  // the open transaction dies with the process
        guard losingUnsynced > 0 else { return }
        var toLose = min(losingUnsynced, binlog.count - syncedCount)
        while toLose > 0, let entry = binlog.last {
            if case .statement = entry.event { break }  // schema changes are synced with the data dictionary
            if binlog.count <= appliedCount, case .rows(let changes) = entry.event {
                try? db.begin()
                try? replayer.apply(changes.reversed().map(\.inverse), on: db, catalog: catalog)
                try? db.commit()
                appliedCount -= 1
            }
            binlog.removeLast()
            lost.append(entry.gtid)
            toLose -= 1
        }
        executed = GTIDSet(binlog.prefix(appliedCount).map(\.gtid))
        binlogged = GTIDSet(binlog.map(\.gtid))
        syncedCount = min(syncedCount, binlog.count)
    }

    /// After a restart: commit what the binlog holds (MySQL's crash recovery).
    func recover() throws {
        settle()
        try applyPending()
    }

    /// Content checksums per table (for convergence checks): an FNV hash over the rows in
    /// rowid order, so equal data gives equal sums on every node.
    public func checksums() throws -> [(table: String, rows: Int, checksum: UInt64)] {
        var result: [(String, Int, UInt64)] = []
        let p = SQLPrinter(dialect: .sqlite)
        for name in catalog.names {
            guard let table = catalog.table(name) else { continue }
            let columns = table.columns.map { p.identifier($0.name) }.joined(separator: ", ")
            var hasher = TraceHasher()
            var count = 0
            for row in try db.query("SELECT \(columns) FROM \(p.identifier(name)) ORDER BY rowid") {
                count += 1
                for value in row { value.fingerprint(into: &hasher) }
            }
            result.append((name, count, hasher.value))
        }
        return result
    }

    /// Every row of `table`, in rowid order (for tests and oracles).
    public func rows(of table: String) throws -> [[SQLValue]] {
        guard let schema = catalog.table(table) else { throw MySQLError.noSuchTable(table) }
        let p = SQLPrinter(dialect: .sqlite)
        let columns = schema.columns.map { p.identifier($0.name) }.joined(separator: ", ")
        return try db.query("SELECT \(columns) FROM \(p.identifier(table)) ORDER BY rowid").map { $0.map(SQLValue.init) }
    }
}
