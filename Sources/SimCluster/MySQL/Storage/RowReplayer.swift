import SQLSyntax
import SQLiteKit

/// Applies row changes to a node's SQLite database by rowid: how a transaction's own changes are
/// replayed before each of its statements, how commits are applied, and how replicas apply the
/// binlog. Statements are prepared once per table.
struct RowReplayer {
    private var statements: [String: (insert: Statement, update: Statement, delete: Statement)] = [:]

    mutating func reset() { statements.removeAll() }

    mutating func apply(_ changes: [RowChange], on db: Connection, catalog: Catalog) throws {
        for change in changes { try apply(change, on: db, catalog: catalog) }
    }

    mutating func apply(_ change: RowChange, on db: Connection, catalog: Catalog) throws {
        guard let table = catalog.table(change.table) else {
            throw MySQLError.noSuchTable(change.table)
        }
        let s = try prepared(table, on: db)
        let aliased = table.rowIDColumn != nil
        switch change.kind {
        case .insert:
            var values = change.new
            if !aliased { values.insert(.integer(change.newRowID), at: 0) }
            try s.insert.execute(values)
        case .delete:
            try s.delete.execute([.integer(change.oldRowID)])
        case .update:
            var values = change.new
            if !aliased { values.insert(.integer(change.newRowID), at: 0) }
            values.append(.integer(change.oldRowID))
            try s.update.execute(values)
        }
    }

    private mutating func prepared(_ table: TableSchema, on db: Connection) throws -> (insert: Statement, update: Statement, delete: Statement) {
        if let cached = statements[table.name] { return cached }
        let p = SQLPrinter(dialect: .sqlite)
        var columns = table.columns.map { p.identifier($0.name) }
        if table.rowIDColumn == nil { columns.insert("rowid", at: 0) }
        let name = p.identifier(table.name)
        let insert = try db.prepareUncached(
            "INSERT INTO \(name) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))",
            persistent: true)
        let update = try db.prepareUncached(
            "UPDATE \(name) SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE rowid = ?", persistent: true)
        let delete = try db.prepareUncached("DELETE FROM \(name) WHERE rowid = ?", persistent: true)
        statements[table.name] = (insert, update, delete)
        return (insert, update, delete)
    }
}
