import SQLiteKit

/// One row change of a transaction, as the binlog carries it (row-based, like Vitess requires):
/// the table, the row's rowid before and after, and the full row images.
public struct RowChange: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case insert, update, delete }

    public let table: String
    public let kind: Kind
    public let oldRowID: Int64
    public let newRowID: Int64
    /// The row before (update, delete), in table column order.
    public let old: [SQLiteValue]
    /// The row after (insert, update).
    public let new: [SQLiteValue]

    public init(table: String, kind: Kind, oldRowID: Int64, newRowID: Int64, old: [SQLiteValue], new: [SQLiteValue]) {
        self.table = table
        self.kind = kind
        self.oldRowID = oldRowID
        self.newRowID = newRowID
        self.old = old
        self.new = new
    }

    init(_ image: RowImage) {
        switch image.operation {
        case .insert: kind = .insert
        case .update: kind = .update
        case .delete: kind = .delete
        }
        table = image.table
        oldRowID = image.oldRowID
        newRowID = image.newRowID
        old = image.old
        new = image.new
    }

    /// The change that undoes this one.
    public var inverse: RowChange {
        switch kind {
        case .insert: RowChange(table: table, kind: .delete, oldRowID: newRowID, newRowID: newRowID, old: new, new: [])
        case .delete: RowChange(table: table, kind: .insert, oldRowID: oldRowID, newRowID: oldRowID, old: [], new: old)
        case .update: RowChange(table: table, kind: .update, oldRowID: newRowID, newRowID: oldRowID, old: new, new: old)
        }
    }

    /// Whether an update left the row as it was (MySQL does not count it as affected).
    public var isNoOp: Bool { kind == .update && old == new && oldRowID == newRowID }
}
