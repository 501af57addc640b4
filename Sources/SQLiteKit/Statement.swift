import CSQLite

/// A prepared statement. Owned by its connection's cache (or by the caller for uncached ones);
/// bind, step, read columns, reset.
public final class Statement {
    let handle: OpaquePointer
    unowned let connection: Connection
    /// The SQL text, for errors.
    public let sql: String

    init(handle: OpaquePointer, connection: Connection, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// How many `?` parameters the statement has.
    public var parameterCount: Int32 { sqlite3_bind_parameter_count(handle) }
    /// How many columns a row has.
    public var columnCount: Int32 { sqlite3_column_count(handle) }
    /// The name of column `index` (0-based).
    public func columnName(_ index: Int32) -> String { String(cString: sqlite3_column_name(handle, index)) }
    /// The declared type of column `index`, if it comes straight from a table column.
    public func declaredType(_ index: Int32) -> String? { sqlite3_column_decltype(handle, index).map { String(cString: $0) } }
    /// Whether the statement only reads (SQLite counts BEGIN, COMMIT and SAVEPOINT as read-only too).
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    private func check(_ code: Int32) throws {
        if code != SQLITE_OK { throw SQLiteError.last(connection.handle, code: code, sql: sql) }
    }

    // MARK: Binding (1-based indexes, as SQLite numbers parameters)

    public func bind(_ value: Int64, at index: Int32) throws { try check(sqlite3_bind_int64(handle, index, value)) }
    public func bind(_ value: Double, at index: Int32) throws { try check(sqlite3_bind_double(handle, index, value)) }
    public func bindNull(at index: Int32) throws { try check(sqlite3_bind_null(handle, index)) }

    public func bind(_ value: String, at index: Int32) throws {
        let code = value.withCString { csqlite_bind_text_transient(handle, index, $0, Int32(value.utf8.count)) }
        try check(code)
    }

    public func bind(_ value: [UInt8], at index: Int32) throws {
        let code = value.withUnsafeBytes { csqlite_bind_blob_transient(handle, index, $0.baseAddress, Int32($0.count)) }
        try check(code)
    }

    public func bind(_ value: SQLiteValue, at index: Int32) throws {
        switch value {
        case .null: try bindNull(at: index)
        case .integer(let v): try bind(v, at: index)
        case .real(let v): try bind(v, at: index)
        case .text(let v): try bind(v, at: index)
        case .blob(let v): try bind(v, at: index)
        }
    }

    /// Binds `values` to parameters 1, 2, ...
    public func bind(_ values: [SQLiteValue]) throws {
        for (offset, value) in values.enumerated() { try bind(value, at: Int32(offset + 1)) }
    }

    /// Binds `values` but the one at `skipped` to consecutive parameters from `index`; returns
    /// the index after the last one bound.
    @discardableResult
    public func bind(_ values: [SQLiteValue], from index: Int32, skipping skipped: Int? = nil) throws -> Int32 {
        var next = index
        for i in values.indices where i != skipped {
            try bind(values[i], at: next)
            next += 1
        }
        return next
    }

    /// Runs the statement (bound beforehand) to its end, then resets it for another run; the
    /// caller binds every parameter again before that run.
    public func run() throws {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    // MARK: Stepping

    /// Runs the statement to its next row; false when it is done.
    public func step() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw SQLiteError.last(connection.handle, code: code, sql: sql)
    }

    /// Resets the statement for another run, keeping its bindings.
    public func rewind() { sqlite3_reset(handle) }

    /// Resets the statement for another run and clears its bindings.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: Columns (0-based)

    public func columnType(_ index: Int32) -> Int32 { sqlite3_column_type(handle, index) }
    public func int64(at index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }
    public func double(at index: Int32) -> Double { sqlite3_column_double(handle, index) }
    public func isNull(at index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }

    public func text(at index: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, index) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    public func blob(at index: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, index))
        guard count > 0, let bytes = sqlite3_column_blob(handle, index) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    public func value(at index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: .integer(int64(at: index))
        case SQLITE_FLOAT: .real(double(at: index))
        case SQLITE_TEXT: .text(text(at: index) ?? "")
        case SQLITE_BLOB: .blob(blob(at: index))
        default: .null
        }
    }

    /// The current row.
    public func row() -> [SQLiteValue] { (0..<columnCount).map { value(at: $0) } }

    /// Binds `arguments`, runs to the end and returns every row; the statement is reset after.
    public func query(_ arguments: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        defer { reset() }
        try bind(arguments)
        var rows: [[SQLiteValue]] = []
        while try step() { rows.append(row()) }
        return rows
    }

    /// Binds `arguments` and runs to the end; returns the rows changed. Reset after.
    @discardableResult
    public func execute(_ arguments: [SQLiteValue] = []) throws -> Int {
        defer { reset() }
        try bind(arguments)
        while try step() {}
        return connection.changes
    }
}
