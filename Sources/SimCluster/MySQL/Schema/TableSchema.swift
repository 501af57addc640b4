import SQLSyntax

/// A table as the MySQL node knows it: the MySQL column types and keys that give the SQLite table
/// MySQL's behaviour (strict typing, AUTO_INCREMENT, unique keys for locks and upserts).
public struct TableSchema: Sendable, Equatable {
    /// A column and its MySQL type.
    public struct Column: Sendable, Equatable {
        public var name: String
        public var type: SQLType
        public var nullable: Bool
        public var defaultValue: SQLExpression?
        public var autoIncrement: Bool
        public var onUpdateCurrentTimestamp: Bool
    }

    /// A unique key (the primary key is the one called `PRIMARY`).
    public struct UniqueKey: Sendable, Equatable {
        public var name: String
        public var columns: [Int]
    }

    public var name: String
    public var columns: [Column]
    public var primaryKey: [Int]
    /// Every unique key, the primary key first.
    public var uniqueKeys: [UniqueKey]
    public var indexes: [IndexDefinition]
    /// The source DDL, as MySQL shows it back.
    public var definition: String

    /// Builds the schema of `create`, checking what MySQL checks.
    public init(_ create: CreateTableStatement) throws(MySQLError) {
        name = create.table.name
        definition = SQLPrinter().print(SQLStatement.createTable(create))
        columns = []
        var seen: Set<String> = []
        for column in create.columns {
            guard seen.insert(column.name.lowercased()).inserted else {
                throw MySQLError(code: 1060, sqlState: "42S21", message: "Duplicate column name '\(column.name)'")
            }
            columns.append(Column(
                name: column.name, type: column.type,
                nullable: column.nullable ?? true, defaultValue: column.defaultValue,
                autoIncrement: column.autoIncrement, onUpdateCurrentTimestamp: column.onUpdateCurrentTimestamp))
        }
        primaryKey = []
        uniqueKeys = []
        indexes = create.indexes
        func resolve(_ names: [String]) throws(MySQLError) -> [Int] {
            var indexes: [Int] = []
            for name in names {
                guard let i = columns.firstIndex(where: { $0.name.caseInsensitiveEquals(name) }) else {
                    throw MySQLError(code: 1072, sqlState: "42000", message: "Key column '\(name)' doesn't exist in table")
                }
                indexes.append(i)
            }
            return indexes
        }
        if !create.primaryKey.isEmpty {
            primaryKey = try resolve(create.primaryKey)
            for i in primaryKey { columns[i].nullable = false }
            uniqueKeys.append(UniqueKey(name: "PRIMARY", columns: primaryKey))
        }
        for (n, key) in create.uniqueKeys.enumerated() {
            let keyColumns = try resolve(key.columns)
            uniqueKeys.append(UniqueKey(name: key.name ?? columns[keyColumns[0]].name + (n == 0 ? "" : "_\(n + 1)"), columns: keyColumns))
        }
        for index in indexes { _ = try resolve(index.columns) }
        let autoIncrement = columns.indices.filter { columns[$0].autoIncrement }
        if autoIncrement.count > 1 || (autoIncrement.count == 1 && !uniqueKeys.contains { $0.columns.first == autoIncrement[0] }
                                            && !indexes.contains { $0.columns.first?.caseInsensitiveEquals(columns[autoIncrement[0]].name) == true }) {
            throw MySQLError(code: 1075, sqlState: "42000", message: "Incorrect table definition; there can be only one auto column and it must be defined as a key")
        }
    }

    /// The column called `name` (case-insensitive).
    public func column(named name: String) -> Int? {
        columns.firstIndex { $0.name.caseInsensitiveEquals(name) }
    }

    public var autoIncrementColumn: Int? { columns.firstIndex(where: \.autoIncrement) }

    /// The column that is SQLite's rowid: a primary key of one integer column.
    public var rowIDColumn: Int? {
        guard primaryKey.count == 1, columns[primaryKey[0]].type.family == .integer else { return nil }
        return primaryKey[0]
    }
}
