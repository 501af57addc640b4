import SQLSyntax

/// The SQLite form of a MySQL table: every table keeps SQLite's rowid (a single-integer primary
/// key becomes its alias), text columns compare under MySQL's case-insensitive collation, and
/// unique keys become UNIQUE constraints. Typing is loose on purpose: values are converted to the
/// MySQL column type by the node before they are written.
enum SQLiteTableDefinition {
    static func create(_ table: TableSchema) -> [String] {
        let printer = SQLPrinter(dialect: .sqlite)
        var parts: [String] = []
        let rowID = table.rowIDColumn
        for (i, column) in table.columns.enumerated() {
            var text = printer.identifier(column.name) + " " + affinity(column.type)
            if i == rowID { text += " PRIMARY KEY" }
            if column.type.family == .text || column.type.family == .enumeration || column.type.family == .temporal
                || column.type.family == .json {
                text += " COLLATE " + collation(column.type)
            }
            if !column.nullable { text += " NOT NULL" }
            parts.append(text)
        }
        for key in table.uniqueKeys where !(rowID != nil && key.name == "PRIMARY") {
            parts.append("UNIQUE (" + key.columns.map { printer.identifier(table.columns[$0].name) }.joined(separator: ", ") + ")")
        }
        var statements = ["CREATE TABLE " + printer.identifier(table.name) + " (" + parts.joined(separator: ", ") + ")"]
        for index in table.indexes {
            statements.append(createIndex(table: table.name, index: index, unique: false))
        }
        return statements
    }

    static func createIndex(table: String, index: IndexDefinition, unique: Bool) -> String {
        let printer = SQLPrinter(dialect: .sqlite)
        let name = indexName(table: table, index: index.name ?? index.columns.joined(separator: "_"))
        let columns = zip(index.columns, index.descending).map { printer.identifier($0) + ($1 ? " DESC" : "") }
        return "CREATE \(unique ? "UNIQUE " : "")INDEX " + printer.identifier(name) + " ON " + printer.identifier(table)
            + " (" + columns.joined(separator: ", ") + ")"
    }

    /// SQLite index names are per database, MySQL's per table.
    static func indexName(table: String, index: String) -> String { table + "__" + index }

    static func affinity(_ type: SQLType) -> String {
        switch type.family {
        case .integer, .bit: "INTEGER"
        case .decimal, .float: "REAL"
        case .binary: "BLOB"
        case .text, .temporal, .json, .enumeration: "TEXT"
        }
    }

    static func collation(_ type: SQLType) -> String {
        let name = (type.collation ?? "").lowercased()
        return name.hasSuffix("_bin") || name == "binary" ? "BINARY" : SQLiteHelpers.collation
    }
}
