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

    /// The table's name.
    let table: String
    let autoIncrementColumn: Int?
    /// Unique keys but an integer primary key (that one is the rowid, locked as the row).
    let lockedKeys: [LockedKey]
    /// The column names, lower-cased (as conditions name them, for searched writes' locks).
    let lowercasedColumns: [String]
    /// Per column: whether it stores integers (so `'5'` given for it is 5).
    let integerColumns: [Bool]
    /// The integer primary key's column, which is the rowid, if there is one.
    let rowIDColumn: Int?

    init(_ table: TableSchema) {
        self.table = table.name
        lowercasedColumns = table.columns.map { $0.name.lowercased() }
        integerColumns = table.columns.map { $0.type.family == .integer }
        rowIDColumn = table.rowIDColumn
        autoIncrementColumn = table.autoIncrementColumn
        lockedKeys = table.uniqueKeys.filter { !($0.name == "PRIMARY" && table.rowIDColumn != nil) }.map { key in
            LockedKey(name: key.name, columns: key.columns,
                      binary: key.columns.map { SQLiteTableDefinition.collation(table.columns[$0].type) == "BINARY" })
        }
    }
}
