import SQLSyntax
import SQLiteKit

extension MySQLStorage {
    /// Runs a schema change on the data and the catalog (from a client or from the binlog).
    func executeDDL(_ statement: SQLStatement) throws {
        let p = SQLPrinter(dialect: .sqlite)
        switch statement {
        case .createTable(let create):
            if catalog.table(create.table.name) != nil {
                if create.ifNotExists { return }
                throw MySQLError.tableExists(create.table.name)
            }
            if let clash = catalog.caseClash(create.table.name) {
                throw MySQLError.unknown("table '\(create.table.name)' differs from '\(clash)' only in case, which this node cannot keep apart")
            }
            let table = try TableSchema(create)
            try sqlite { for sql in SQLiteTableDefinition.create(table) { try db.executeScript(sql) } }
            catalog.add(table)
            autoIncrement[table.name] = 1
            nextRowID[table.name] = 1
        case .dropTable(let drop):
            for name in drop.tables.map(\.name) where catalog.table(name) == nil && !drop.ifExists {
                throw MySQLError.unknownTable(name)
            }
            for name in drop.tables.map(\.name) where catalog.table(name) != nil {
                try sqlite { try db.executeScript("DROP TABLE \(p.identifier(name))") }
                catalog.remove(name)
                autoIncrement[name] = nil
            }
            replayer.reset()
        case .createIndex(let create):
            guard var table = catalog.table(create.table.name) else { throw MySQLError.noSuchTable(create.table.name) }
            var columns: [Int] = []
            for name in create.index.columns {
                guard let i = table.column(named: name) else {
                    throw MySQLError(code: 1072, sqlState: "42000", message: "Key column '\(name)' doesn't exist in table")
                }
                columns.append(i)
            }
            let indexName = create.index.name ?? create.index.columns.joined(separator: "_")
            if table.indexes.contains(where: { $0.name == indexName }) || table.uniqueKeys.contains(where: { $0.name == indexName }) {
                throw MySQLError(code: 1061, sqlState: "42000", message: "Duplicate key name '\(indexName)'")
            }
            try sqlite { try db.executeScript(SQLiteTableDefinition.createIndex(table: table.name, index: create.index, unique: create.unique)) }
            if create.unique {
                table.uniqueKeys.append(TableSchema.UniqueKey(name: indexName, columns: columns))
            } else {
                table.indexes.append(create.index)
            }
            catalog.update(table)
        case .dropIndex(let name, let tableName):
            guard var table = catalog.table(tableName.name) else { throw MySQLError.noSuchTable(tableName.name) }
            guard table.indexes.contains(where: { $0.name == name }) || table.uniqueKeys.contains(where: { $0.name == name && $0.name != "PRIMARY" }) else {
                throw MySQLError(code: 1091, sqlState: "42000", message: "Can't DROP '\(name)'; check that column/key exists")
            }
            try sqlite { try db.executeScript("DROP INDEX \(p.identifier(SQLiteTableDefinition.indexName(table: table.name, index: name)))") }
            table.indexes.removeAll { $0.name == name }
            table.uniqueKeys.removeAll { $0.name == name }
            catalog.update(table)
        case .truncate(let name):
            guard catalog.table(name.name) != nil else { throw MySQLError.noSuchTable(name.name) }
            try sqlite { try db.executeScript("DELETE FROM \(p.identifier(name.name))") }
            autoIncrement[name.name] = 1
        default:
            preconditionFailure("not a schema change: \(statement)")
        }
    }

    /// Runs SQLite work, turning its errors into MySQL's.
    func sqlite(_ body: () throws -> Void) throws {
        do { try body() } catch let error as SQLiteError { throw SQLiteErrorMapping.mysqlError(error, catalog: catalog) }
    }
}
