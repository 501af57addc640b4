import CSQLite

/// A connection to one SQLite database: by default a private in-memory one.
///
/// Not thread-safe and not `Sendable`: a connection belongs to one simulated node (or the oracle)
/// and is used from one thread. Statements are prepared once with `SQLITE_PREPARE_PERSISTENT` and
/// cached by their SQL text; transaction control statements are cached too (prepared BEGIN/COMMIT
/// measured 1.6x faster than `sqlite3_exec` on these machines).
public final class Connection {
    /// The raw handle, for the C calls this wrapper does not cover.
    public let handle: OpaquePointer
    // Unchecked exclusivity: one thread runs a simulation and no access to these properties
    // overlaps another; the runtime checks cost 7% of a run.
    @exclusivity(unchecked) private var cache: [String: Statement] = [:]
    /// The most prepared statements kept per connection. Statement texts mostly differ in their
    /// literals, so a bigger cache mostly holds memory (16 shards, 100k queries: 258 MB peak with
    /// 1,000, 235 MB with 100, no slower).
    static let cacheLimit = 100
    @exclusivity(unchecked) private var controlStatements: [Statement?] = Array(repeating: nil, count: Control.allCases.count)
    @exclusivity(unchecked) private var functionBoxes: [AnyObject] = []
    /// Keeps the pre-update hook's context alive while the hook is set.
    @exclusivity(unchecked) var preupdateBox: AnyObject?

    /// Process-wide settings made once, before the first connection initializes the library:
    /// no memory statistics (nothing reads them, and they cost a mutex per allocation).
    private static let libraryConfigured: Bool = csqlite_disable_memory_statistics() == SQLITE_OK

    /// Opens `path` (`:memory:` for a private in-memory database).
    public init(path: String = ":memory:") throws {
        _ = Self.libraryConfigured
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let error = SQLiteError.last(db, code: code)
            sqlite3_close_v2(db)
            throw error
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        cache.removeAll()
        controlStatements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// The library version, such as `3.40.1`.
    public static var libraryVersion: String { String(cString: sqlite3_libversion()) }

    // MARK: Statements

    /// The cached prepared statement for `sql` (prepared on first use).
    public func prepare(_ sql: String) throws -> Statement {
        if let cached = cache[sql] {
            sqlite3_reset(cached.handle)
            return cached
        }
        let statement = try prepareUncached(sql, persistent: true)
        // Statements with literals are many and each holds memory: start over past a bound
        // (the hot ones are prepared again at once; a caller's statement stays alive).
        if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[sql] = statement
        return statement
    }

    /// A prepared statement the caller owns (for one-off SQL that should not fill the cache).
    public func prepareUncached(_ sql: String, persistent: Bool = false) throws -> Statement {
        var raw: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sqlite3_prepare_v3(handle, sql, -1, flags, &raw, nil)
        guard code == SQLITE_OK else { throw SQLiteError.last(handle, code: code, sql: sql) }
        guard let raw else { throw SQLiteError(code: SQLITE_MISUSE, message: "no statement in SQL", sql: sql) }
        return Statement(handle: raw, connection: self, sql: sql)
    }

    /// Runs `sql` (cached) with `arguments` and returns its rows.
    public func query(_ sql: String, _ arguments: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        try prepare(sql).query(arguments)
    }

    /// Runs `sql` (cached) with `arguments`; returns the rows changed.
    @discardableResult
    public func execute(_ sql: String, _ arguments: [SQLiteValue] = []) throws -> Int {
        try prepare(sql).execute(arguments)
    }

    /// Runs a script of `;`-separated statements without caching them (schema set-up).
    public func executeScript(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    // MARK: Transactions

    public func begin() throws { try runControl(.begin) }
    public func beginImmediate() throws { try runControl(.beginImmediate) }
    public func commit() throws { try runControl(.commit) }
    public func rollback() throws { try runControl(.rollback) }

    /// The transaction control statements, each prepared once and kept apart from the cache: the
    /// cache starts over when statements with literals fill it, and these run most of all.
    private enum Control: Int, CaseIterable {
        case begin, beginImmediate, commit, rollback

        var sql: String {
            switch self {
            case .begin: "BEGIN"
            case .beginImmediate: "BEGIN IMMEDIATE"
            case .commit: "COMMIT"
            case .rollback: "ROLLBACK"
            }
        }
    }

    private func runControl(_ control: Control) throws {
        let statement: Statement
        if let prepared = controlStatements[control.rawValue] {
            statement = prepared
        } else {
            statement = try prepareUncached(control.sql, persistent: true)
            controlStatements[control.rawValue] = statement
        }
        try statement.run()
    }
    public func savepoint(_ name: String) throws { try execute("SAVEPOINT \(name)") }
    public func release(_ name: String) throws { try execute("RELEASE \(name)") }
    public func rollback(to name: String) throws { try execute("ROLLBACK TO \(name)") }

    /// True outside an explicit transaction.
    public var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }
    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes64(handle)) }
    /// Rows changed since the connection opened.
    public var totalChanges: Int { Int(sqlite3_total_changes64(handle)) }
    /// The rowid of the last inserted row.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    // MARK: Snapshots

    /// The whole database as bytes (`sqlite3_serialize`).
    public func serialize(schema: String = "main") throws -> [UInt8] {
        var size: sqlite3_int64 = 0
        guard let data = sqlite3_serialize(handle, schema, &size, 0) else {
            throw SQLiteError(code: SQLITE_NOMEM, message: "serialize failed")
        }
        defer { sqlite3_free(data) }
        return Array(UnsafeBufferPointer(start: data, count: Int(size)))
    }

    /// Replaces the database with `bytes` from `serialize` (`sqlite3_deserialize`).
    public func deserialize(_ bytes: [UInt8], schema: String = "main") throws {
        cache.removeAll()
        let size = Int64(bytes.count)
        guard let buffer = sqlite3_malloc64(UInt64(max(size, 1)))?.assumingMemoryBound(to: UInt8.self) else {
            throw SQLiteError(code: SQLITE_NOMEM, message: "out of memory")
        }
        bytes.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { buffer.update(from: base, count: bytes.count) }
        }
        let flags = UInt32(SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE)
        let code = sqlite3_deserialize(handle, schema, buffer, size, size, flags)
        guard code == SQLITE_OK else { throw SQLiteError.last(handle, code: code) }
    }

    /// Replaces this database's content with a page-by-page copy of `source`'s (SQLite's online
    /// backup); the copy stays an ordinary database of this connection.
    public func copyContent(of source: Connection, schema: String = "main") throws {
        cache.removeAll()
        guard let backup = sqlite3_backup_init(handle, schema, source.handle, schema) else {
            throw SQLiteError.last(handle, code: sqlite3_errcode(handle))
        }
        let stepped = sqlite3_backup_step(backup, -1)
        let finished = sqlite3_backup_finish(backup)
        guard stepped == SQLITE_DONE, finished == SQLITE_OK else {
            throw SQLiteError.last(handle, code: stepped == SQLITE_DONE ? finished : stepped)
        }
    }

    // MARK: Determinism and configuration

    /// Seeds SQLite's PRNG so that `random()` and `randomblob()` repeat across processes. The PRNG
    /// is process-wide in SQLite: call this before each use that must be deterministic.
    public func seedRandom(_ seed: UInt32) {
        _ = csqlite_prng_seed(seed, handle)
    }

    /// Sets a boolean `sqlite3_db_config` option; returns the new value.
    @discardableResult
    public func configure(_ option: Int32, _ enabled: Bool) throws -> Bool {
        var out: Int32 = 0
        let code = csqlite_db_config_bool(handle, option, enabled ? 1 : 0, &out)
        guard code == SQLITE_OK else { throw SQLiteError.last(handle, code: code) }
        return out != 0
    }

    /// Keeps `box` alive as long as the connection (function and collation contexts).
    func retain(_ box: AnyObject) { functionBoxes.append(box) }
}
