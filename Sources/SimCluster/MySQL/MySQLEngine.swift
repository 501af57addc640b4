import SimCore
import SQLSyntax
import SQLiteKit

/// The result of a statement, delivered to the request that ran it (identified by its token).
public struct MySQLCompletion: Sendable, Equatable {
    public let token: Int
    public let result: Result<QueryResult, MySQLError>

    public init(token: Int, result: Result<QueryResult, MySQLError>) {
        self.token = token
        self.result = result
    }
}

/// The volatile half of a MySQL node: client sessions, their open transactions, row locks, the
/// statements waiting for locks and the commits waiting for a semi-sync ack. Rebuilt empty when
/// the node restarts; the data lives in `MySQLStorage`.
///
/// Concurrency model (READ COMMITTED with row locks): a transaction's writes live in its own list
/// of row changes until it commits. Each statement runs in a short SQLite transaction over the
/// committed data with the transaction's own changes replayed, its effects are captured row by
/// row and the SQLite transaction is rolled back. The statement then takes exclusive locks on the
/// rows it changed and on the unique-key values it wrote; if another transaction holds one, the
/// statement waits (and is run again from scratch when the holder ends), times out with 1205, or
/// ends a deadlock with 1213 for the victim (the transaction with fewest changes). Reads see the
/// latest committed data plus the transaction's own changes. A commit appends the changes to the
/// binlog with a GTID and applies them; under semi-sync the changes become visible only after a
/// replica acknowledged them (MySQL's lossless AFTER_SYNC).
public final class MySQLEngine {
    public let storage: MySQLStorage
    // Unchecked exclusivity: one thread runs a simulation and no access to these properties
    // overlaps another; the runtime checks cost 7% of a run.
    @exclusivity(unchecked) var sessions: [Int: MySQLSession] = [:]
    @exclusivity(unchecked) var locks = LockManager()
    /// MySQL's `super_read_only`: client writes are refused (replication and DBA sessions write).
    @exclusivity(unchecked) public var readOnly = true
    /// `super_read_only`: not even privileged sessions may write. A demotion sets it, so that
    /// nothing the old primary's tablet still has in flight commits there; going read-write
    /// clears it.
    @exclusivity(unchecked) public var superReadOnly = false
    /// Commits wait for a replica's acknowledgement before they become visible (set with
    /// `setSemiSync`).
    @exclusivity(unchecked) public private(set) var semiSyncPrimary = false
    /// Set while running set-up scripts: no binlog, no read-only check.
    @exclusivity(unchecked) var bootstrapping = false
    @exclusivity(unchecked) var parked: [Parked] = []
    @exclusivity(unchecked) var awaitingAck: [(gtid: GTID, token: Int, session: Int, result: QueryResult)] = []
    /// Parsed statements by text. Texts mostly differ in their literals, so the cache is small
    /// and emptied when full: it serves the texts that repeat (BEGIN, the tablet's own statements
    /// with bindings) without holding every statement of a long run (the 64-shard benchmark's
    /// memory halved when it went from 20,000 to 1,000).
    @exclusivity(unchecked) var parseCache: [String: SQLStatement] = [:]
    /// Statement shapes and their templates (see `StatementShapes`); the storage's, which a
    /// cluster shares among its nodes.
    var shapes: StatementShapes { storage.shapes }
    /// Statements that ran as their shape's template, with their literals bound.
    @exclusivity(unchecked) public private(set) var templatedStatements = 0
    /// Shapes met: those with a template and those refused one.
    public var shapeCounts: (templates: Int, refused: Int) { shapes.counts }
    /// SQLite forms of statements, by their MySQL text, valid for one catalog version. Statements
    /// that read variables are translated every time (their values change).
    @exclusivity(unchecked) var translations: [String: Translation] = [:]
    @exclusivity(unchecked) var translationsVersion = -1
    /// The statement being performed: its MySQL text (the translation cache's key) and its
    /// cached translation when `execute` found one.
    @exclusivity(unchecked) var running: (sql: String, translation: Translation?) = ("", nil)
    @exclusivity(unchecked) var now: SimTime = .zero

    /// A statement waiting for row locks.
    struct Parked {
        let token: Int
        let session: Int
        let statement: SQLStatement
        let sql: String
        let bindings: [SQLValue]
        var blockers: [Int]
        let since: SimTime
    }

    /// A statement's SQLite form (a class: the cache hands it out on every statement).
    final class Translation {
        /// The parsed MySQL statement.
        let statement: SQLStatement
        let sql: String
        let columns: [String]?
        let isInsert: Bool
        /// `sql` prepared on the node's database, once used: finding it in the connection's
        /// cache would hash the whole text again on every run.
        var prepared: Statement?
        /// The statement as a point access (see `PointAccess`), worked out on first use; the
        /// translation is dropped when the catalog changes, and this with it.
        private var pointAccessAnalysis: PointAccess??

        init(statement: SQLStatement, sql: String, columns: [String]?, isInsert: Bool) {
            self.statement = statement
            self.sql = sql
            self.columns = columns
            self.isInsert = isInsert
        }

        func pointAccess(_ catalog: Catalog) -> PointAccess? {
            if let analysis = pointAccessAnalysis { return analysis }
            let analysis = PointAccess(statement, catalog: catalog)
            pointAccessAnalysis = .some(analysis)
            return analysis
        }
    }

    /// The SQLite form of `statement` (whose MySQL text is `running.sql`), cached when possible.
    func translate(_ statement: SQLStatement, session: MySQLSession) throws(MySQLError) -> Translation {
        if translationsVersion != storage.catalog.version {
            translations.removeAll(keepingCapacity: true)
            translationsVersion = storage.catalog.version
        }
        if let cached = running.translation ?? translations[running.sql] { return cached }
        let translator = StatementTranslator(catalog: storage.catalog, session: session, readOnly: readOnly, serverID: storage.serverID)
        let translation: Translation
        switch statement {
        case .select(let query):
            let (sql, columns) = try translator.query(query)
            translation = Translation(statement: statement, sql: sql, columns: columns, isInsert: false)
        case .insert(let insert):
            translation = Translation(statement: statement, sql: try translator.insert(insert).sql, columns: nil, isInsert: true)
        case .update(let update):
            translation = Translation(statement: statement, sql: try translator.update(update).sql, columns: nil, isInsert: false)
        case .delete(let delete):
            translation = Translation(statement: statement, sql: try translator.delete(delete).sql, columns: nil, isInsert: false)
        default: preconditionFailure("only queries and writes are translated")
        }
        if !running.sql.utf8.contains(UInt8(ascii: "@")) {
            if translations.count > 1_000 { translations.removeAll() }
            translations[running.sql] = translation
        }
        return translation
    }

    enum Outcome {
        case done(Result<QueryResult, MySQLError>)
        case blocked([Int])
        case awaitingAck(GTID)
    }

    public init(storage: MySQLStorage, random: RandomStream) throws {
        self.storage = storage
        storage.functions.random = random
        try storage.recover()
    }

    // MARK: Sessions

    public func openSession(_ id: Int, privileged: Bool = false) {
        sessions[id] = MySQLSession(id: id, privileged: privileged)
    }

    public var sessionIDs: [Int] { sessions.keys.sorted() }

    /// Whether session `id` is open.
    public func hasSession(_ id: Int) -> Bool { sessions[id] != nil }

    /// Closes a session: its transaction rolls back, its locks go, its waiting statement ends.
    public func closeSession(_ id: Int) -> [MySQLCompletion] {
        guard let session = sessions.removeValue(forKey: id) else { return [] }
        var completions: [MySQLCompletion] = []
        for p in parked where p.session == id {
            completions.append(MySQLCompletion(token: p.token, result: .failure(.queryInterrupted)))
        }
        parked.removeAll { $0.session == id }
        session.resetTransaction()
        if !awaitingAck.contains(where: { $0.session == id }) { locks.release(id) }
        return completions + retryParked()
    }

    /// Whether session `id` has an open transaction with changes, and since when.
    public func transactionStart(of id: Int) -> SimTime? { sessions[id]?.transactionStart }

    /// Tokens of the statements waiting for locks, oldest first.
    public var waitingTokens: [Int] { parked.map(\.token) }

    /// Tokens of the commits waiting for a semi-sync ack, oldest first.
    public var tokensAwaitingAck: [Int] { awaitingAck.map(\.token) }
    /// Whether a commit waits for a semi-sync ack.
    public var isAwaitingAck: Bool { !awaitingAck.isEmpty }

    // MARK: Running statements

    /// Runs `sql` for session `session`. Returns the completions this causes: usually the
    /// statement's own; none when it waits (for locks or a semi-sync ack); and those of other
    /// statements it unblocks or ends (a deadlock victim).
    public func execute(_ sql: String, bindings: [SQLValue], session id: Int, token: Int, now: SimTime) -> [MySQLCompletion] {
        self.now = now
        guard let session = sessions[id] else { return [MySQLCompletion(token: token, result: .failure(.serverGone))] }
        let statement: SQLStatement
        if translationsVersion == storage.catalog.version, let plan = translations[sql] {
            return run(plan.statement, sql: sql, translation: plan, bindings: bindings, session: session, token: token)
        }
        // A statement whose shape is known runs as the shape's template with its literals bound.
        if bindings.isEmpty, let normalized = LiteralNormalizer.normalize(sql),
           let template = shapes.template(for: normalized, original: sql) {
            let values = normalized.literals.map(\.sqlValue)
            let plan = translationsVersion == storage.catalog.version ? translations[normalized.shape] : nil
            templatedStatements += 1
            return run(template, sql: normalized.shape, translation: plan, bindings: values, session: session, token: token)
        }
        if let cached = parseCache[sql] {
            statement = cached
        } else {
            do {
                statement = try SQLParser.parse(sql)
            } catch {
                let mysql = error.unsupported ? MySQLError.notSupported(error.message) : MySQLError.syntax(error.description)
                return [MySQLCompletion(token: token, result: .failure(mysql))]
            }
            if parseCache.count > 1_000 { parseCache.removeAll() }
            parseCache[sql] = statement
        }
        return run(statement, sql: sql, translation: nil, bindings: bindings, session: session, token: token)
    }

    func run(_ statement: SQLStatement, sql: String, translation: Translation?, bindings: [SQLValue], session: MySQLSession, token: Int) -> [MySQLCompletion] {
        switch perform(statement, sql: sql, translation: translation, bindings: bindings, session: session, token: token) {
        case .done(let result):
            return [MySQLCompletion(token: token, result: result)] + retryParked()
        case .blocked(let blockers):
            parked.append(Parked(token: token, session: session.id, statement: statement, sql: sql, bindings: bindings, blockers: blockers, since: now))
            locks.setWaiting(session.id, on: blockers)
            return resolveDeadlock(from: session.id)
        case .awaitingAck(let gtid):
            _ = gtid
            return retryParked()
        }
    }

    /// Runs parked statements again, oldest first, until none makes progress.
    func retryParked() -> [MySQLCompletion] {
        guard !parked.isEmpty else { return [] }
        var completions: [MySQLCompletion] = []
        var progress = true
        while progress {
            progress = false
            var index = 0
            while index < parked.count {
                let p = parked[index]
                // Only statements whose blockers have all let go are worth another run.
                if p.blockers.contains(where: { locks.count(of: $0) > 0 || awaitingAck.contains(where: { $0.session == p.blockers.first }) }) {
                    index += 1
                    continue
                }
                guard let session = sessions[p.session] else {
                    parked.remove(at: index)
                    continue
                }
                switch perform(p.statement, sql: p.sql, translation: nil, bindings: p.bindings, session: session, token: p.token) {
                case .done(let result):
                    parked.remove(at: index)
                    locks.setWaiting(p.session, on: nil)
                    completions.append(MySQLCompletion(token: p.token, result: result))
                    progress = true
                case .blocked(let blockers):
                    parked[index].blockers = blockers
                    locks.setWaiting(p.session, on: blockers)
                    index += 1
                case .awaitingAck:
                    parked.remove(at: index)
                    locks.setWaiting(p.session, on: nil)
                    progress = true
                }
            }
        }
        return completions
    }

    /// Ends a wait cycle through `owner`, if there is one: the transaction on it with the fewest
    /// changes (the younger session on a tie) is rolled back with 1213, as InnoDB chooses.
    func resolveDeadlock(from owner: Int) -> [MySQLCompletion] {
        guard let cycle = locks.cycle(through: owner) else { return [] }
        let victim = cycle.min { a, b in
            let (ca, cb) = (sessions[a]?.changes.count ?? 0, sessions[b]?.changes.count ?? 0)
            return ca != cb ? ca < cb : a > b
        } ?? owner
        var completions: [MySQLCompletion] = []
        if let index = parked.firstIndex(where: { $0.session == victim }) {
            completions.append(MySQLCompletion(token: parked[index].token, result: .failure(.deadlock)))
            parked.remove(at: index)
        }
        sessions[victim]?.resetTransaction()
        locks.release(victim)
        return completions + retryParked()
    }

    /// A waiting statement gave up (innodb_lock_wait_timeout): 1205, the statement has no
    /// effect, the transaction stays open with its earlier changes and locks.
    public func lockWaitTimedOut(token: Int, now: SimTime) -> [MySQLCompletion] {
        self.now = now
        guard let index = parked.firstIndex(where: { $0.token == token }) else { return [] }
        let p = parked.remove(at: index)
        locks.setWaiting(p.session, on: nil)
        return [MySQLCompletion(token: token, result: .failure(.lockWaitTimeout))]
    }

    func perform(_ statement: SQLStatement, sql: String, translation: Translation?, bindings: [SQLValue], session: MySQLSession, token: Int) -> Outcome {
        running = (sql, translation)
        defer { running = ("", nil) }
        storage.functions.now = now
        storage.functions.lastInsertID = session.lastInsertID
        storage.functions.assignedInsertID = nil
        storage.functions.database = session.database
        storage.firstGeneratedID = nil
        let outcome: Outcome
        switch statement {
        case .select(let query): outcome = read(query, bindings: bindings, session: session)
        case .insert, .update, .delete: outcome = write(statement, bindings: bindings, session: session, token: token)
        case .begin:
            if session.inTransaction && !session.changes.isEmpty {
                if case .awaitingAck(let gtid) = commit(session, token: token) { return .awaitingAck(gtid) }
            }
            session.resetTransaction()
            locks.release(session.id)
            session.inTransaction = true
            session.transactionStart = now
            outcome = .done(.success(.ok))
        case .commit: outcome = commit(session, token: token)
        case .rollback:
            session.resetTransaction()
            locks.release(session.id)
            outcome = .done(.success(.ok))
        case .savepoint(let name):
            if session.inTransaction || !session.autocommit {
                session.savepoints.removeAll { $0.name.caseInsensitiveEquals(name) }
                session.savepoints.append((name, session.changes.count))
            }
            outcome = .done(.success(.ok))
        case .rollbackToSavepoint(let name):
            guard let index = session.savepoints.lastIndex(where: { $0.name.caseInsensitiveEquals(name) }) else {
                return .done(.failure(.savepointMissing(name)))
            }
            // Locks taken since the savepoint stay held, as in InnoDB.
            session.changes.removeSubrange(session.savepoints[index].count...)
            session.savepoints.removeSubrange((index + 1)...)
            outcome = .done(.success(.ok))
        case .releaseSavepoint(let name):
            guard let index = session.savepoints.lastIndex(where: { $0.name.caseInsensitiveEquals(name) }) else {
                return .done(.failure(.savepointMissing(name)))
            }
            session.savepoints.removeSubrange(index...)
            outcome = .done(.success(.ok))
        case .set(let assignments): outcome = set(assignments, session: session, token: token)
        case .use(let use):
            session.database = use.keyspace
            outcome = .done(.success(.ok))
        case .show(let show): outcome = self.show(show)
        case .createTable, .createIndex, .dropTable, .dropIndex, .truncate:
            outcome = ddl(statement, session: session, token: token)
        }
        if let assigned = storage.functions.assignedInsertID { session.lastInsertID = assigned }
        return outcome
    }

    // MARK: Reads

    func read(_ query: SelectQuery, bindings: [SQLValue], session: MySQLSession) -> Outcome {
        let translator = StatementTranslator(catalog: storage.catalog, session: session, readOnly: readOnly, serverID: storage.serverID)
        do {
            let translation = try translate(.select(query), session: session)
            let names = translation.columns
            // A transaction reads its own changes; everyone else reads committed data, beside
            // commits held for their acks when those changed none of the rows read.
            let db: Connection
            if !session.changes.isEmpty {
                db = try storage.openOverlay(for: session)
            } else if storage.overlay?.isHeld == true, let access = translation.pointAccess(storage.catalog),
                      let rowIDs = access.rowIDs(bindings), storage.heldCommitsLeave(access.table, rowIDs: rowIDs) {
                db = storage.connection
                storage.overlayCounts.readBeside += 1
            } else {
                db = storage.db
            }
            let statement = try prepared(translation, on: db)
            try bind(bindings, to: statement)
            var rows: [[SQLValue]] = []
            while try statement.step() { rows.append(statement.row().map(SQLValue.init)) }
            let columns = names ?? (0..<statement.columnCount).map { statement.columnName($0) }
            statement.reset()
            if let mode = query.firstSelect.lock, case .select(let select) = query,
               let (lockSQL, tables) = try translator.lockedRows(select) {
                let lockStatement = try db.prepare(lockSQL)
                try bind(bindings, to: lockStatement)
                var keys: [(key: LockKey, mode: LockMode)] = []
                while try lockStatement.step() {
                    for (i, table) in tables.enumerated() where !lockStatement.isNull(at: Int32(i)) {
                        keys.append((LockKey(table: table, target: .row(lockStatement.int64(at: Int32(i)))), mode == .forUpdate ? .exclusive : .shared))
                    }
                }
                lockStatement.reset()
                let lockMode: LockMode = mode == .forUpdate ? .exclusive : .shared
                var pointKeys: [Int64] = []
                if tables.count == 1, let schema = storage.catalog.table(tables[0]), let rowID = schema.rowIDColumn {
                    pointKeys = AbsentKeyLocks.keys(select, primaryKey: schema.columns[rowID].name.lowercased(), bindings: bindings)
                    for key in pointKeys where !keys.contains(where: { $0.key.target == .row(key) }) {
                        keys.append((LockKey(table: tables[0], target: .row(key)), lockMode))
                    }
                }
                if pointKeys.isEmpty {
                    // A scan also locks the gaps: rows inserted but not committed, and rows to come.
                    for table in Set(tables).sorted() { keys.append((LockKey(table: table, target: .gaps), .exclusive)) }
                }
                let blockers = locks.acquire(keys, for: session.id)
                if !blockers.isEmpty { return .blocked(blockers) }
                if !session.inTransaction && session.autocommit { locks.release(session.id) }
            }
            return .done(.success(QueryResult(columns: columns, rows: rows)))
        } catch let error as MySQLError {
            return .done(.failure(error))
        } catch let error as SQLiteError {
            return .done(.failure(SQLiteErrorMapping.mysqlError(error, catalog: storage.catalog, database: session.database)))
        } catch {
            return .done(.failure(.unknown("\(error)")))
        }
    }

    func bind(_ bindings: [SQLValue], to statement: Statement) throws {
        guard !bindings.isEmpty else { return }
        let count = Int(statement.parameterCount)
        guard count == bindings.count else {
            throw MySQLError(code: 1210, sqlState: "HY000", message: "Incorrect arguments to EXECUTE: \(count) parameters, \(bindings.count) values")
        }
        for (i, value) in bindings.enumerated() { try statement.bind(value.sqlite, at: Int32(i + 1)) }
    }

    // MARK: Writes

    func write(_ statement: SQLStatement, bindings: [SQLValue], session: MySQLSession, token: Int) -> Outcome {
        if readOnly && (!session.privileged || superReadOnly) && !bootstrapping { return .done(.failure(.readOnly)) }
        let translation: Translation
        do {
            translation = try translate(statement, session: session)
        } catch {
            return .done(.failure(error))
        }
        let searched = bootstrapping ? [] : searchLocks(statement, bindings: bindings)
        if (session.inTransaction || !session.autocommit) && !bootstrapping {
            return writeInTransaction(translation, bindings: bindings, searched: searched, session: session)
        }
        // Nothing holds a lock and the statement is its own transaction: run it straight in
        // SQLite's autocommit mode (one statement is atomic, nothing can conflict).
        if locks.isEmpty && session.changes.isEmpty && !semiSyncPrimary && !bootstrapping {
            return writeDirectly(translation, bindings: bindings, session: session)
        }
        return writeAutocommit(translation, bindings: bindings, searched: searched, session: session, token: token)
    }

    /// What a searched UPDATE or DELETE locks besides the rows it changes, as InnoDB's next-key
    /// locks do: the row or unique-key value it names by equality, found or not (an insert of it
    /// locks the same); otherwise the gaps of the table it scans. Each statement sees only
    /// committed rows and its own transaction's, so without these a row another transaction
    /// inserted into its range, uncommitted yet, would escape it: MySQL makes the statement wait
    /// for that insert's commit and then changes the row.
    func searchLocks(_ statement: SQLStatement, bindings: [SQLValue]) -> [(key: LockKey, mode: LockMode)] {
        let (name, condition): (String, SQLExpression?)
        switch statement {
        case .update(let update): (name, condition) = (update.table.name, update.whereClause)
        case .delete(let delete): (name, condition) = (delete.table.name, delete.whereClause)
        default: return []
        }
        guard let profile = storage.catalog.writeProfile(name) else { return [] }
        let table = profile.table
        let gaps = [(key: LockKey(table: table, target: .gaps), mode: LockMode.exclusive)]
        guard let condition else { return gaps }
        if let rowID = profile.rowIDColumn {
            let keys = AbsentKeyLocks.keys(condition, primaryKey: profile.lowercasedColumns[rowID], bindings: bindings)
            if !keys.isEmpty { return keys.map { (LockKey(table: table, target: .row($0)), .exclusive) } }
        }
        guard !profile.lockedKeys.isEmpty else { return gaps }
        let equal = AbsentKeyLocks.equalities(condition, bindings: bindings)
        var whole: [(key: LockKey, mode: LockMode)] = []
        var prefixes: [(key: LockKey, mode: LockMode)] = []
        for key in profile.lockedKeys {
            var row = [SQLiteValue](repeating: .null, count: profile.lowercasedColumns.count)
            var given = 0
            for c in key.columns {
                guard let value = equal[profile.lowercasedColumns[c]] else { break }
                // Stored as the column's affinity stores it ('5' in an integer column is 5).
                if profile.integerColumns[c], case .text(let t) = value, let n = Int64(t) { row[c] = .integer(n) } else { row[c] = value.sqlite }
                given += 1
            }
            if given == key.columns.count, let value = uniqueValue(row, key: key) {
                whole.append((LockKey(table: table, target: .uniqueValue(key: key.name, value: value)), .exclusive))
            } else if given > 0, let value = uniqueValue(row, key: key, prefix: given) {
                prefixes.append((LockKey(table: table, target: .keyPrefix(key: key.name, value: value)), .exclusive))
            }
        }
        return !whole.isEmpty ? whole : !prefixes.isEmpty ? prefixes : gaps
    }

    /// A write inside a transaction: it runs over the transaction's earlier changes and takes
    /// its row locks; its changes stay the session's until commit.
    func writeInTransaction(_ translation: Translation, bindings: [SQLValue], searched: [(key: LockKey, mode: LockMode)],
                            session: MySQLSession) -> Outcome {
        let captured: [RowChange]
        do {
            let db = try storage.openOverlay(for: session)
            do {
                captured = try runCapturing(translation, bindings: bindings, on: db)
            } catch {
                storage.overlayStatementFailed()
                throw error
            }
        } catch {
            return failure(error, session: session, statement: translation.statement, bindings: bindings)
        }
        let blockers = locks.acquire(searched + lockKeys(captured), for: session.id)
        guard blockers.isEmpty else {
            storage.undoOverlayStatement(captured)
            return .blocked(blockers)
        }
        storage.keepOverlayStatement(adding: captured.count)
        if !session.inTransaction {
            session.inTransaction = true
            session.transactionStart = now
        }
        session.changes += captured
        return .done(.success(result(of: captured, session: session, isInsert: translation.isInsert)))
    }

    /// An autocommit write while other transactions hold locks, or on a semi-sync primary, or
    /// while bootstrapping: it runs in a SQLite transaction, waits for locks if it must, and
    /// commits at once (on a semi-sync primary, once a replica acknowledges).
    func writeAutocommit(_ translation: Translation, bindings: [SQLValue], searched: [(key: LockKey, mode: LockMode)],
                         session: MySQLSession, token: Int) -> Outcome {
        // On a semi-sync primary, an insert of rows no held commit touched runs beside those
        // commits instead of rolling them back (see `TransactionOverlay`).
        var beside = false
        if semiSyncPrimary && !bootstrapping && storage.overlay?.isHeld == true, let access = translation.pointAccess(storage.catalog),
           let rowIDs = access.rowIDs(bindings), storage.canHoldBeside(access.table, rowIDs: rowIDs) {
            beside = true
        }
        func undo() {
            if beside { storage.undoBesideHeld() } else { try? storage.db.rollback() }
        }
        let captured: [RowChange]
        do {
            if beside { try storage.beginBesideHeld() } else { try storage.db.begin() }
            do {
                captured = try runCapturing(translation, bindings: bindings, on: storage.connection)
            } catch {
                undo()
                throw error
            }
        } catch {
            return failure(error, session: session, statement: translation.statement, bindings: bindings)
        }
        let blockers = locks.acquire(searched + lockKeys(captured), for: session.id)
        guard blockers.isEmpty else {
            undo()
            return .blocked(blockers)
        }
        let result = result(of: captured, session: session, isInsert: translation.isInsert)
        if bootstrapping {
            try? storage.db.commit()
            return .done(.success(result))
        }
        guard !captured.isEmpty else {
            undo()
            locks.release(session.id)
            return .done(.success(result))
        }
        if beside {
            do {
                try storage.keepBesideHeld()
            } catch {
                undo()
                locks.release(session.id)
                return .done(.failure(.unknown("commit failed: \(error)")))
            }
        }
        let entry = BinlogEntry(gtid: storage.takeGTID(), committedAt: now, event: .rows(captured))
        if semiSyncPrimary {
            // Invisible until the ack; the transaction stays open in case nothing else runs first.
            storage.holdForAck()
            storage.append(entry, applied: false)
            var waiting = result
            waiting.gtid = entry.gtid
            awaitingAck.append((entry.gtid, token, session.id, waiting))
            return .awaitingAck(entry.gtid)
        }
        do {
            try storage.db.commit()
        } catch {
            try? storage.db.rollback()
            locks.release(session.id)
            return .done(.failure(.unknown("commit failed: \(error)")))
        }
        storage.append(entry, applied: true)
        locks.release(session.id)
        var committed = result
        committed.gtid = entry.gtid
        return .done(.success(committed))
    }

    /// An autocommit write while no transaction holds a lock: no trial, no explicit transaction.
    func writeDirectly(_ translation: Translation, bindings: [SQLValue], session: MySQLSession) -> Outcome {
        let captured: [RowChange]
        do {
            captured = try runCapturing(translation, bindings: bindings, on: storage.db)
        } catch {
            return failure(error, session: session, statement: translation.statement, bindings: bindings)
        }
        var result = result(of: captured, session: session, isInsert: translation.isInsert)
        guard !captured.isEmpty else { return .done(.success(result)) }
        let entry = BinlogEntry(gtid: storage.takeGTID(), committedAt: now, event: .rows(captured))
        storage.append(entry, applied: true)
        result.gtid = entry.gtid
        return .done(.success(result))
    }

    /// Runs a translated write and returns the row changes it made.
    func runCapturing(_ translation: Translation, bindings: [SQLValue], on db: Connection) throws -> [RowChange] {
        let prepared = try prepared(translation, on: db)
        storage.beginCapture()
        do {
            try bind(bindings, to: prepared)
            while try prepared.step() {}
            prepared.reset()
        } catch {
            prepared.reset()
            _ = storage.endCapture()
            throw error
        }
        return storage.endCapture()
    }

    /// The translation's statement prepared on `db` (the node's one connection), reset.
    func prepared(_ translation: Translation, on db: Connection) throws -> Statement {
        if let statement = translation.prepared {
            statement.rewind()
            return statement
        }
        let statement = try db.prepare(translation.sql)
        translation.prepared = statement
        return statement
    }

    /// The result of a write that made `captured`; notes the AUTO_INCREMENT values it used.
    func result(of captured: [RowChange], session: MySQLSession, isInsert: Bool) -> QueryResult {
        for change in captured where change.kind != .delete { storage.noteAutoIncrement(change) }
        let generated = storage.firstGeneratedID
        if let generated { session.lastInsertID = generated }
        return QueryResult(rowsAffected: affectedRows(captured, isInsert: isInsert), insertID: generated ?? 0)
    }

    /// A failed statement's error as MySQL reports it.
    /// A failed statement's error as MySQL words it; for a duplicate key, the key value too
    /// where `statement` (with `bindings`) gives it (see `DuplicateEntryValue`).
    func failure(_ error: any Error, session: MySQLSession, statement: SQLStatement? = nil, bindings: [SQLValue] = []) -> Outcome {
        if let error = error as? MySQLError { return .done(.failure(error)) }
        if let error = error as? SQLiteError {
            var mapped = SQLiteErrorMapping.mysqlError(error, catalog: storage.catalog, database: session.database)
            if mapped.code == 1062, let statement, let violation = SQLiteErrorMapping.uniqueViolation(error, catalog: storage.catalog),
               let value = DuplicateEntryValue.find(statement, bindings: bindings, table: violation.table, keyColumns: violation.columns,
                                                    binary: violation.binary, on: storage.connection) {
                mapped = .duplicateEntry(value, key: SQLiteErrorMapping.keyName(SQLiteErrorMapping.uniqueColumns(error.message), catalog: storage.catalog))
            }
            return .done(.failure(mapped))
        }
        return .done(.failure(.unknown("\(error)")))
    }

    /// MySQL's affected rows: inserted + deleted rows, changed rows of an update (not merely
    /// matched ones); an upsert's update counts 2, REPLACE's delete and insert count 1 each.
    func affectedRows(_ changes: [RowChange], isInsert: Bool) -> Int {
        var count = 0
        for change in changes {
            switch change.kind {
            case .insert, .delete: count += 1
            case .update: if !change.isNoOp { count += isInsert ? 2 : 1 }
            }
        }
        return count
    }

    /// The locks a statement's changes need: each row touched, each unique-key value written
    /// or removed (so a concurrent insert of the same key waits).
    func lockKeys(_ changes: [RowChange]) -> [(key: LockKey, mode: LockMode)] {
        var keys: [(key: LockKey, mode: LockMode)] = []
        for change in changes {
            if change.kind != .insert { keys.append((LockKey(table: change.table, target: .row(change.oldRowID)), .exclusive)) }
            if change.kind != .delete && change.newRowID != change.oldRowID || change.kind == .insert {
                keys.append((LockKey(table: change.table, target: .row(change.newRowID)), .exclusive))
            }
            if change.kind == .insert { keys.append((LockKey(table: change.table, target: .gaps), .shared)) }
            guard let profile = storage.catalog.writeProfile(change.table) else { continue }
            for key in profile.lockedKeys {
                let old = change.old.isEmpty ? nil : uniqueValue(change.old, key: key)
                let new = change.new.isEmpty ? nil : uniqueValue(change.new, key: key)
                if let old { keys.append((LockKey(table: change.table, target: .uniqueValue(key: key.name, value: old)), .exclusive)) }
                if let new, new != old {
                    keys.append((LockKey(table: change.table, target: .uniqueValue(key: key.name, value: new)), .exclusive))
                }
                // A new key value enters the ranges searches by its leading columns lock.
                if new != nil && new != old {
                    for length in 1..<key.columns.count {
                        if let prefix = uniqueValue(change.new, key: key, prefix: length) {
                            keys.append((LockKey(table: change.table, target: .keyPrefix(key: key.name, value: prefix)), .shared))
                        }
                    }
                }
            }
        }
        return keys
    }

    /// A unique key's value in a row (or its first `prefix` columns'), normalized as the key
    /// compares; nil if a part is NULL.
    func uniqueValue(_ row: [SQLiteValue], key: TableWriteProfile.LockedKey, prefix: Int? = nil) -> String? {
        // Built as bytes and made a string once: every write computes these for its locks.
        var value: [UInt8] = []
        value.reserveCapacity(32)
        for i in 0..<(prefix ?? key.columns.count) {
            if i > 0 { value.append(UInt8(ascii: "|")) }
            switch row[key.columns[i]] {
            case .null: return nil
            case .integer(let v): value.append(UInt8(ascii: "n")); value.append(contentsOf: String(v).utf8)
            case .real(let d): value.append(contentsOf: (d == d.rounded() && abs(d) < 9e18 ? "n\(Int64(d))" : "r\(d)").utf8)
            case .text(let s):
                // The folded text: equal exactly when the collation calls them equal.
                value.append(UInt8(ascii: "s"))
                if key.binary[i] { value.append(contentsOf: s.utf8) } else { MySQLCollation.appendFoldedText(s, to: &value) }
            case .blob(let b): value.append(contentsOf: ("b" + b.map { String($0, radix: 16) }.joined()).utf8)
            }
        }
        return String(decoding: value, as: UTF8.self)
    }

    // MARK: Commit

    func commit(_ session: MySQLSession, token: Int) -> Outcome {
        guard !session.changes.isEmpty else {
            session.resetTransaction()
            locks.release(session.id)
            return .done(.success(.ok))
        }
        let entry = BinlogEntry(gtid: storage.takeGTID(), committedAt: now, event: .rows(session.changes))
        // The usual case: the overlay holds exactly this transaction, nothing waits to be applied
        // before it, and no replica must acknowledge it first; SQLite commits it as it stands.
        if !semiSyncPrimary && storage.appliedCount == storage.binlog.count && storage.commitOverlay(of: session) {
            session.resetTransaction()
            storage.append(entry, applied: true)
            locks.release(session.id)
            return .done(.success(QueryResult(gtid: entry.gtid)))
        }
        if semiSyncPrimary, storage.overlay?.holds(session) == true {
            storage.holdForAck()
        }
        session.resetTransaction()
        storage.append(entry, applied: false)
        if semiSyncPrimary {
            awaitingAck.append((entry.gtid, token, session.id, QueryResult(gtid: entry.gtid)))
            return .awaitingAck(entry.gtid)
        }
        do {
            try storage.applyPending()
        } catch {
            locks.release(session.id)
            return .done(.failure(.unknown("commit failed: \(error)")))
        }
        locks.release(session.id)
        return .done(.success(QueryResult(gtid: entry.gtid)))
    }

    /// A replica acknowledged every transaction up to `gtid`: those commits become visible and
    /// complete.
    public func acknowledge(upTo gtid: GTID, now: SimTime) -> [MySQLCompletion] {
        self.now = now
        guard let last = awaitingAck.lastIndex(where: { $0.gtid == gtid }) else { return [] }
        return completeAwaiting(count: last + 1)
    }

    /// A semi-sync replica (re)connected holding `set`: the waiting commits it already has, in
    /// commit order, are acknowledged (it has them durably; nothing will be sent for them again).
    public func acknowledge(covering set: GTIDSet, now: SimTime) -> [MySQLCompletion] {
        self.now = now
        let count = awaitingAck.prefix { set.contains($0.gtid) }.count
        return count == 0 ? [] : completeAwaiting(count: count)
    }

    /// Turns the primary side of semi-sync on or off; turning it off completes the commits that
    /// were waiting for an ack.
    public func setSemiSync(_ on: Bool, now: SimTime) -> [MySQLCompletion] {
        semiSyncPrimary = on
        return on ? [] : completeAllAwaiting(now: now)
    }

    /// Semi-sync gave up waiting (rpl_semi_sync_master_timeout with fallback to async): every
    /// waiting commit completes without an ack.
    public func completeAllAwaiting(now: SimTime) -> [MySQLCompletion] {
        self.now = now
        return completeAwaiting(count: awaitingAck.count)
    }

    func completeAwaiting(count: Int) -> [MySQLCompletion] {
        let done = Array(awaitingAck.prefix(count))
        awaitingAck.removeFirst(count)
        var completions: [MySQLCompletion] = []
        do {
            // Apply up to the last acknowledged entry (later ones keep waiting).
            if let last = done.last, let position = storage.binlog.lastIndex(where: { $0.gtid == last.gtid }) {
                while storage.appliedCount <= position { try storage.applyNext() }
            }
        } catch {
            for waiting in done { completions.append(MySQLCompletion(token: waiting.token, result: .failure(.unknown("commit failed: \(error)")))) }
            return completions
        }
        for waiting in done {
            if !awaitingAck.contains(where: { $0.session == waiting.session }) && (sessions[waiting.session].map { !$0.inTransaction } ?? true) {
                locks.release(waiting.session)
            }
            completions.append(MySQLCompletion(token: waiting.token, result: .success(waiting.result)))
        }
        return completions + retryParked()
    }

    // MARK: Session statements

    func set(_ assignments: [SetAssignment], session: MySQLSession, token: Int) -> Outcome {
        for assignment in assignments {
            switch assignment.scope {
            case .user:
                do {
                    let value = try evaluate(assignment.value, session: session)
                    session.userVariables[assignment.name] = value
                } catch {
                    return .done(.failure(error))
                }
            case .session, .global:
                switch assignment.name {
                case "autocommit":
                    let on: Bool
                    switch assignment.value {
                    case .literal(.integer(let v)): on = v != 0
                    case .literal(.boolean(let b)): on = b
                    case .literal(.string(let s)): on = ["1", "on", "true"].contains(s.lowercased())
                    default: return .done(.failure(MySQLError(code: 1231, sqlState: "42000", message: "Variable 'autocommit' can't be set to the value given")))
                    }
                    if on && !session.autocommit && session.inTransaction {
                        if case .awaitingAck(let gtid) = commit(session, token: token) { session.autocommit = true; return .awaitingAck(gtid) }
                    }
                    session.autocommit = on
                case "names", "transaction", "sql_mode", "transaction_isolation", "tx_isolation", "character_set_client",
                     "character_set_results", "character_set_connection", "collation_connection", "time_zone", "sql_safe_updates",
                     "foreign_key_checks", "unique_checks", "wait_timeout", "net_write_timeout", "net_read_timeout",
                     "innodb_lock_wait_timeout", "sql_select_limit", "session_track_gtids", "sql_auto_is_null":
                    continue
                default:
                    return .done(.failure(.unknownVariable(assignment.name)))
                }
            }
        }
        return .done(.success(.ok))
    }

    /// Evaluates a constant expression (a user variable's new value) through SQLite.
    func evaluate(_ expression: SQLExpression, session: MySQLSession) throws(MySQLError) -> SQLValue {
        let translator = StatementTranslator(catalog: storage.catalog, session: session, readOnly: readOnly, serverID: storage.serverID)
        let sql = "SELECT " + SQLPrinter(dialect: .sqlite).print(try translator.expression(expression))
        do {
            return try storage.db.query(sql).first?.first.map(SQLValue.init) ?? .null
        } catch let error as SQLiteError {
            throw SQLiteErrorMapping.mysqlError(error, catalog: storage.catalog)
        } catch {
            throw .unknown("\(error)")
        }
    }

    func show(_ show: ShowStatement) -> Outcome {
        switch show {
        case .tables:
            // The sidecar tables (`_vt_...`) stay hidden, as Vitess's `_vt` database is apart.
            return .done(.success(QueryResult(columns: ["Tables"], rows: storage.catalog.names.filter { !$0.hasPrefix("_vt_") }.map { [.text($0)] })))
        case .createTable(let name):
            guard let table = storage.catalog.table(name.name) else { return .done(.failure(.noSuchTable(name.name))) }
            return .done(.success(QueryResult(columns: ["Table", "Create Table"], rows: [[.text(table.name), .text(table.definition)]])))
        case .columns(let name):
            guard let table = storage.catalog.table(name.name) else { return .done(.failure(.noSuchTable(name.name))) }
            let rows: [[SQLValue]] = table.columns.map { c in
                [.text(c.name), .text(c.type.description.lowercased()), .text(c.nullable ? "YES" : "NO"),
                 .text(table.primaryKey.contains(table.column(named: c.name) ?? -1) ? "PRI" : ""), .null,
                 .text(c.autoIncrement ? "auto_increment" : "")]
            }
            return .done(.success(QueryResult(columns: ["Field", "Type", "Null", "Key", "Default", "Extra"], rows: rows)))
        case .warnings:
            return .done(.success(QueryResult(columns: ["Level", "Code", "Message"])))
        case .databases:
            return .done(.success(QueryResult(columns: ["Database"], rows: [[.text(sessions.values.first?.database ?? "")]])))
        default:
            return .done(.failure(.notSupported("this SHOW statement on a MySQL node")))
        }
    }

    func ddl(_ statement: SQLStatement, session: MySQLSession, token: Int) -> Outcome {
        if readOnly && (!session.privileged || superReadOnly) && !bootstrapping { return .done(.failure(.readOnly)) }
        // A schema change commits the open transaction first, as MySQL does.
        if session.inTransaction && !session.changes.isEmpty {
            if case .done(.failure(let error)) = commit(session, token: token) { return .done(.failure(error)) }
        }
        session.resetTransaction()
        locks.release(session.id)
        do {
            try storage.executeDDL(statement)
        } catch let error as MySQLError {
            return .done(.failure(error))
        } catch {
            return .done(.failure(.unknown("\(error)")))
        }
        guard !bootstrapping else { return .done(.success(.ok)) }
        let entry = BinlogEntry(gtid: storage.takeGTID(), committedAt: now, event: .statement(SQLPrinter().print(statement)))
        do { try storage.applyPending() } catch { return .done(.failure(.unknown("\(error)"))) }
        storage.appendApplied(entry)
        return .done(.success(QueryResult(gtid: entry.gtid)))
    }
}
