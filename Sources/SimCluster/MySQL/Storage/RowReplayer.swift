import SQLSyntax
import SQLiteKit

/// Applies row changes to a node's SQLite database by rowid: how a transaction's own changes are
/// replayed before each of its statements, how commits are applied, and how replicas apply the
/// binlog. Statements are prepared once per table.
struct RowReplayer {
    /// One table's prepared statements and how its rows map to their parameters.
    private final class TableStatements {
        /// The column that is the rowid, if one is (then the rowid is not a separate value).
        let aliasColumn: Int?
        let insert: Statement
        /// Sets the rowid and every column: for updates that move the row to another rowid.
        let move: Statement
        /// Sets every column but the rowid: for updates that keep it (most), so that SQLite
        /// overwrites the record in place instead of deleting and inserting it.
        let update: Statement
        let delete: Statement

        init(_ table: TableSchema, on db: Connection) throws {
            let p = SQLPrinter(dialect: .sqlite)
            aliasColumn = table.rowIDColumn
            let named = table.columns.map { p.identifier($0.name) }
            var columns = named
            if aliasColumn == nil { columns.insert("rowid", at: 0) }
            var kept = named
            if let aliasColumn { kept.remove(at: aliasColumn) }
            let name = p.identifier(table.name)
            insert = try db.prepareUncached(
                "INSERT INTO \(name) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))",
                persistent: true)
            move = try db.prepareUncached(
                "UPDATE \(name) SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE rowid = ?", persistent: true)
            // A table of only its rowid column has nothing else to set: the move statement serves.
            update = kept.isEmpty ? move : try db.prepareUncached(
                "UPDATE \(name) SET \(kept.map { "\($0) = ?" }.joined(separator: ", ")) WHERE rowid = ?", persistent: true)
            delete = try db.prepareUncached("DELETE FROM \(name) WHERE rowid = ?", persistent: true)
        }
    }

    private var statements: [String: TableStatements] = [:]

    mutating func reset() { statements.removeAll() }

    mutating func apply(_ changes: [RowChange], on db: Connection, catalog: Catalog) throws {
        for change in changes { try apply(change, on: db, catalog: catalog) }
    }

    mutating func apply(_ change: RowChange, on db: Connection, catalog: Catalog) throws {
        let s = try prepared(change.table, on: db, catalog: catalog)
        switch change.kind {
        case .insert:
            var next: Int32 = 1
            if s.aliasColumn == nil { try s.insert.bind(change.newRowID, at: 1); next = 2 }
            try s.insert.bind(change.new, from: next)
            try s.insert.run()
        case .delete:
            try s.delete.bind(change.oldRowID, at: 1)
            try s.delete.run()
        case .update where change.newRowID == change.oldRowID && s.update !== s.move:
            // The rowid stays: every other column takes its new value (the full after image,
            // as MySQL's row-based replication writes it).
            let next = try s.update.bind(change.new, from: 1, skipping: s.aliasColumn)
            try s.update.bind(change.oldRowID, at: next)
            try s.update.run()
        case .update:
            var next: Int32 = 1
            if s.aliasColumn == nil { try s.move.bind(change.newRowID, at: 1); next = 2 }
            next = try s.move.bind(change.new, from: next)
            try s.move.bind(change.oldRowID, at: next)
            try s.move.run()
        }
    }

    private mutating func prepared(_ table: String, on db: Connection, catalog: Catalog) throws -> TableStatements {
        if let cached = statements[table] { return cached }
        guard let schema = catalog.table(table) else { throw MySQLError.noSuchTable(table) }
        let made = try TableStatements(schema, on: db)
        statements[table] = made
        return made
    }
}
