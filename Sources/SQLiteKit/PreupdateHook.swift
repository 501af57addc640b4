import CSQLite

/// A row change reported by SQLite's pre-update hook, before it happens.
public struct RowImage: Sendable, Equatable {
    public enum Operation: Sendable, Equatable { case insert, update, delete }

    public let operation: Operation
    public let table: String
    /// The rowid before (update, delete) and after (insert, update) the change.
    public let oldRowID: Int64
    public let newRowID: Int64
    /// Column values before (update, delete) and after (insert, update), in table column order.
    public let old: [SQLiteValue]
    public let new: [SQLiteValue]

    public init(operation: Operation, table: String, oldRowID: Int64, newRowID: Int64, old: [SQLiteValue], new: [SQLiteValue]) {
        self.operation = operation
        self.table = table
        self.oldRowID = oldRowID
        self.newRowID = newRowID
        self.old = old
        self.new = new
    }
}

extension Connection {
    /// Calls `handler` with the image of every row change about to happen on the main database
    /// (nil removes the hook). Only one pre-update hook exists per connection; the session
    /// extension uses the same slot.
    public func setPreupdateHook(_ handler: ((RowImage) -> Void)?) {
        guard let handler else {
            sqlite3_preupdate_hook(handle, nil, nil)
            preupdateBox = nil
            return
        }
        let box = PreupdateBox(handler)
        preupdateBox = box
        sqlite3_preupdate_hook(handle, { context, db, op, schema, table, oldKey, newKey in
            guard let context, let db, let schema, isMainSchema(schema) else { return }
            let box = Unmanaged<PreupdateBox>.fromOpaque(context).takeUnretainedValue()
            let count = sqlite3_preupdate_count(db)
            var old: [SQLiteValue] = []
            var new: [SQLiteValue] = []
            let operation: RowImage.Operation = op == SQLITE_INSERT ? .insert : (op == SQLITE_DELETE ? .delete : .update)
            if operation != .insert {
                old.reserveCapacity(Int(count))
                for i in 0..<count {
                    var value: OpaquePointer?
                    sqlite3_preupdate_old(db, i, &value)
                    old.append(SQLiteValue(value))
                }
            }
            if operation != .delete {
                new.reserveCapacity(Int(count))
                for i in 0..<count {
                    var value: OpaquePointer?
                    sqlite3_preupdate_new(db, i, &value)
                    new.append(SQLiteValue(value))
                }
            }
            box.handler(RowImage(operation: operation, table: table.map { String(cString: $0) } ?? "",
                                 oldRowID: oldKey, newRowID: newKey, old: old, new: new))
        }, Unmanaged.passUnretained(box).toOpaque())
    }
}

final class PreupdateBox {
    let handler: (RowImage) -> Void
    init(_ handler: @escaping (RowImage) -> Void) { self.handler = handler }
}

/// Whether a schema name is "main" (compared in place: the hook runs for every row written).
private func isMainSchema(_ name: UnsafePointer<CChar>) -> Bool {
    name[0] == 0x6D && name[1] == 0x61 && name[2] == 0x69 && name[3] == 0x6E && name[4] == 0
}
