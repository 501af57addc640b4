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
        sqlite3_preupdate_hook(handle, preupdateCallback, Unmanaged.passUnretained(box).toOpaque())
    }

    /// Turns the hook set with `setPreupdateHook` off and on again. While it is off SQLite
    /// does none of the hook's work: a connection that wants row images only now and then
    /// (while it runs a client's statement, not while it replays known changes) pays only then.
    public func setPreupdateHookActive(_ active: Bool) {
        guard let box = preupdateBox as? PreupdateBox else { return }
        if active {
            sqlite3_preupdate_hook(handle, preupdateCallback, Unmanaged.passUnretained(box).toOpaque())
        } else {
            sqlite3_preupdate_hook(handle, nil, nil)
        }
    }
}

/// SQLite's pre-update callback: builds the row image and hands it to the box's handler.
private let preupdateCallback: @convention(c) (
    UnsafeMutableRawPointer?, OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?, sqlite3_int64, sqlite3_int64
) -> Void = { context, db, op, schema, table, oldKey, newKey in
    guard let context, let db, let schema, isMainSchema(schema) else { return }
    let box = Unmanaged<PreupdateBox>.fromOpaque(context).takeUnretainedValue()
    let count = sqlite3_preupdate_count(db)
    /// The row's values as `read` (`sqlite3_preupdate_old` or `_new`) reports them.
    func image(_ read: (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Int32) -> [SQLiteValue] {
        (0..<count).map { i in
            var value: OpaquePointer?
            _ = read(db, i, &value)
            return SQLiteValue(value)
        }
    }
    let operation: RowImage.Operation = op == SQLITE_INSERT ? .insert : (op == SQLITE_DELETE ? .delete : .update)
    let old = operation == .insert ? [] : image(sqlite3_preupdate_old)
    let new = operation == .delete ? [] : image(sqlite3_preupdate_new)
    box.handler(RowImage(operation: operation, table: table.map { String(cString: $0) } ?? "",
                         oldRowID: oldKey, newRowID: newKey, old: old, new: new))
}

final class PreupdateBox {
    let handler: (RowImage) -> Void
    init(_ handler: @escaping (RowImage) -> Void) { self.handler = handler }
}

/// Whether a schema name is "main" (compared in place: the hook runs for every row written).
private func isMainSchema(_ name: UnsafePointer<CChar>) -> Bool {
    name[0] == 0x6D && name[1] == 0x61 && name[2] == 0x69 && name[3] == 0x6E && name[4] == 0
}
