/// What every written row needs of its table's schema, worked out once per schema change (the
/// write path reads it per row, where copying a whole `TableSchema` would cost).
struct TableWriteProfile: Sendable, Equatable {
    /// A unique key whose values a writer locks.
    struct LockedKey: Sendable, Equatable {
        let name: String
        let columns: [Int]
        /// Per column: whether it compares bytes as they are (otherwise by collation key).
        let binary: [Bool]
    }

    let autoIncrementColumn: Int?
    /// Unique keys but an integer primary key (that one is the rowid, locked as the row).
    let lockedKeys: [LockedKey]

    init(_ table: TableSchema) {
        autoIncrementColumn = table.autoIncrementColumn
        lockedKeys = table.uniqueKeys.filter { !($0.name == "PRIMARY" && table.rowIDColumn != nil) }.map { key in
            LockedKey(name: key.name, columns: key.columns,
                      binary: key.columns.map { SQLiteTableDefinition.collation(table.columns[$0].type) == "BINARY" })
        }
    }
}
