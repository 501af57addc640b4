import CSQLite

/// Records the row changes made through a connection (SQLite's session extension), as the binlog
/// of a simulated node does: `changeset()` gives them as one changeset. Tables need a primary key.
public final class Session {
    let handle: OpaquePointer
    let connection: Connection

    /// Starts recording changes to `tables` (every table when nil) of `connection`.
    public init(connection: Connection, tables: [String]? = nil) throws {
        var raw: OpaquePointer?
        let code = sqlite3session_create(connection.handle, "main", &raw)
        guard code == SQLITE_OK, let raw else { throw SQLiteError.last(connection.handle, code: code) }
        handle = raw
        self.connection = connection
        if let tables {
            for table in tables {
                let attached = sqlite3session_attach(raw, table)
                guard attached == SQLITE_OK else {
                    sqlite3session_delete(raw)
                    throw SQLiteError.last(connection.handle, code: attached)
                }
            }
        } else {
            let attached = sqlite3session_attach(raw, nil)
            guard attached == SQLITE_OK else {
                sqlite3session_delete(raw)
                throw SQLiteError.last(connection.handle, code: attached)
            }
        }
    }

    deinit { sqlite3session_delete(handle) }

    /// Whether nothing has been recorded.
    public var isEmpty: Bool { sqlite3session_isempty(handle) != 0 }

    /// The changes recorded so far (net: a row inserted then deleted leaves nothing).
    public func changeset() throws -> Changeset {
        var size: Int32 = 0
        var data: UnsafeMutableRawPointer?
        let code = sqlite3session_changeset(handle, &size, &data)
        guard code == SQLITE_OK else { throw SQLiteError.last(connection.handle, code: code) }
        defer { sqlite3_free(data) }
        guard let data, size > 0 else { return Changeset(bytes: []) }
        return Changeset(bytes: Array(UnsafeRawBufferPointer(start: data, count: Int(size))))
    }
}

/// A set of row changes in SQLite's changeset format.
public struct Changeset: Sendable, Equatable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public var isEmpty: Bool { bytes.isEmpty }

    /// One row change.
    public struct Change: Sendable, Equatable {
        public enum Operation: Sendable, Equatable { case insert, update, delete }
        public let table: String
        public let operation: Operation
        /// Old values (delete, update: nil for columns an update left unchanged).
        public let old: [SQLiteValue?]
        /// New values (insert, update: nil for columns an update left unchanged).
        public let new: [SQLiteValue?]
    }

    /// The changes, in changeset order.
    public func changes() throws -> [Change] {
        guard !bytes.isEmpty else { return [] }
        var result: [Change] = []
        var data = bytes
        try data.withUnsafeMutableBytes { buffer in
            var iterator: OpaquePointer?
            let started = sqlite3changeset_start(&iterator, Int32(buffer.count), buffer.baseAddress)
            guard started == SQLITE_OK, let iterator else { throw SQLiteError(code: started, message: "bad changeset") }
            defer { sqlite3changeset_finalize(iterator) }
            while true {
                let step = sqlite3changeset_next(iterator)
                if step == SQLITE_DONE { break }
                guard step == SQLITE_ROW else { throw SQLiteError(code: step, message: "bad changeset") }
                var table: UnsafePointer<CChar>?
                var columns: Int32 = 0
                var op: Int32 = 0
                var indirect: Int32 = 0
                sqlite3changeset_op(iterator, &table, &columns, &op, &indirect)
                let operation: Change.Operation = op == SQLITE_INSERT ? .insert : (op == SQLITE_DELETE ? .delete : .update)
                var old: [SQLiteValue?] = []
                var new: [SQLiteValue?] = []
                for i in 0..<columns {
                    if operation != .insert {
                        var value: OpaquePointer?
                        sqlite3changeset_old(iterator, i, &value)
                        old.append(value.map { SQLiteValue($0) })
                    }
                    if operation != .delete {
                        var value: OpaquePointer?
                        sqlite3changeset_new(iterator, i, &value)
                        new.append(value.map { SQLiteValue($0) })
                    }
                }
                result.append(Change(table: table.map { String(cString: $0) } ?? "", operation: operation, old: old, new: new))
            }
        }
        return result
    }

    /// The changeset that undoes this one.
    public func inverted() throws -> Changeset {
        guard !bytes.isEmpty else { return self }
        var data = bytes
        var size: Int32 = 0
        var out: UnsafeMutableRawPointer?
        let code = data.withUnsafeMutableBytes { sqlite3changeset_invert(Int32($0.count), $0.baseAddress, &size, &out) }
        guard code == SQLITE_OK else { throw SQLiteError(code: code, message: "cannot invert changeset") }
        defer { sqlite3_free(out) }
        guard let out, size > 0 else { return Changeset(bytes: []) }
        return Changeset(bytes: Array(UnsafeRawBufferPointer(start: out, count: Int(size))))
    }

    /// What to do when a change does not apply cleanly.
    public enum ConflictPolicy: Sendable {
        /// Stop and roll the whole changeset back (a replica must never diverge silently).
        case abort
        /// Skip the conflicting change.
        case omit
        /// Overwrite the conflicting row where SQLite allows it, skip otherwise.
        case replace
    }

    /// Applies the changes to `connection`; throws on a conflict under `.abort`.
    public func apply(to connection: Connection, onConflict policy: ConflictPolicy = .abort) throws {
        guard !bytes.isEmpty else { return }
        var data = bytes
        let box = ConflictBox(policy)
        let context = Unmanaged.passUnretained(box).toOpaque()
        let code = data.withUnsafeMutableBytes { buffer in
            sqlite3changeset_apply(
                connection.handle, Int32(buffer.count), buffer.baseAddress, nil,
                { context, conflict, _ in
                    let box = Unmanaged<ConflictBox>.fromOpaque(context!).takeUnretainedValue()
                    box.conflicts += 1
                    switch box.policy {
                    case .abort: return SQLITE_CHANGESET_ABORT
                    case .omit: return SQLITE_CHANGESET_OMIT
                    case .replace:
                        return (conflict == SQLITE_CHANGESET_DATA || conflict == SQLITE_CHANGESET_CONFLICT)
                            ? SQLITE_CHANGESET_REPLACE : SQLITE_CHANGESET_OMIT
                    }
                }, context)
        }
        withExtendedLifetime(box) {}
        guard code == SQLITE_OK else {
            throw SQLiteError(code: code, message: "changeset did not apply (\(box.conflicts) conflicts)")
        }
    }
}

final class ConflictBox {
    let policy: Changeset.ConflictPolicy
    var conflicts = 0
    init(_ policy: Changeset.ConflictPolicy) { self.policy = policy }
}
