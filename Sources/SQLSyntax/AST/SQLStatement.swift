/// A statement of the MySQL dialect.
public enum SQLStatement: Hashable, Sendable {
    case select(SelectQuery)
    case insert(InsertStatement)
    case update(UpdateStatement)
    case delete(DeleteStatement)
    case createTable(CreateTableStatement)
    case createIndex(CreateIndexStatement)
    case dropTable(DropTableStatement)
    case dropIndex(name: String, table: TableName)
    case truncate(TableName)
    case begin
    case commit
    case rollback
    case savepoint(String)
    case releaseSavepoint(String)
    case rollbackToSavepoint(String)
    /// `USE keyspace[:shard][@tablet_type]`.
    case use(UseStatement)
    case set([SetAssignment])
    case show(ShowStatement)

    /// Whether the statement only reads.
    public var isReadOnly: Bool {
        switch self {
        case .select(let q): q.firstSelect.lock == nil
        case .show: true
        default: false
        }
    }

    /// Whether the statement changes rows.
    public var isDML: Bool {
        switch self {
        case .insert, .update, .delete: true
        default: false
        }
    }

    /// Whether the statement changes the schema (MySQL commits implicitly around it).
    public var isDDL: Bool {
        switch self {
        case .createTable, .createIndex, .dropTable, .dropIndex, .truncate: true
        default: false
        }
    }
}

/// `INSERT [IGNORE] INTO t [(cols)] VALUES (...), ... | SELECT ... [ON DUPLICATE KEY UPDATE ...]`,
/// and `REPLACE INTO ...`.
public struct InsertStatement: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        case values([[SQLExpression]])
        case select(SelectQuery)
    }

    public var replace: Bool
    public var ignore: Bool
    public var table: TableName
    /// Empty means every column in table order.
    public var columns: [String]
    public var source: Source
    public var onDuplicateKeyUpdate: [Assignment]
    public var comments: [String]

    public init(replace: Bool = false, ignore: Bool = false, table: TableName, columns: [String], source: Source,
                onDuplicateKeyUpdate: [Assignment] = [], comments: [String] = []) {
        self.replace = replace
        self.ignore = ignore
        self.table = table
        self.columns = columns
        self.source = source
        self.onDuplicateKeyUpdate = onDuplicateKeyUpdate
        self.comments = comments
    }
}

/// `column = expr` in UPDATE SET and ON DUPLICATE KEY UPDATE.
public struct Assignment: Hashable, Sendable {
    public var column: ColumnName
    public var value: SQLExpression

    public init(column: ColumnName, value: SQLExpression) {
        self.column = column
        self.value = value
    }
}

/// `UPDATE [IGNORE] t SET ... [WHERE] [ORDER BY] [LIMIT]` (single table).
public struct UpdateStatement: Hashable, Sendable {
    public var ignore: Bool
    public var table: TableName
    public var alias: String?
    public var assignments: [Assignment]
    public var whereClause: SQLExpression?
    public var orderBy: [OrderItem]
    public var limit: Limit?
    public var comments: [String]

    public init(ignore: Bool = false, table: TableName, alias: String? = nil, assignments: [Assignment],
                whereClause: SQLExpression? = nil, orderBy: [OrderItem] = [], limit: Limit? = nil, comments: [String] = []) {
        self.ignore = ignore
        self.table = table
        self.alias = alias
        self.assignments = assignments
        self.whereClause = whereClause
        self.orderBy = orderBy
        self.limit = limit
        self.comments = comments
    }
}

/// `DELETE FROM t [WHERE] [ORDER BY] [LIMIT]` (single table).
public struct DeleteStatement: Hashable, Sendable {
    public var table: TableName
    public var alias: String?
    public var whereClause: SQLExpression?
    public var orderBy: [OrderItem]
    public var limit: Limit?
    public var comments: [String]

    public init(table: TableName, alias: String? = nil, whereClause: SQLExpression? = nil, orderBy: [OrderItem] = [],
                limit: Limit? = nil, comments: [String] = []) {
        self.table = table
        self.alias = alias
        self.whereClause = whereClause
        self.orderBy = orderBy
        self.limit = limit
        self.comments = comments
    }
}

/// `CREATE TABLE [IF NOT EXISTS] t (columns, keys) [options]`.
public struct CreateTableStatement: Hashable, Sendable {
    public var ifNotExists: Bool
    public var table: TableName
    public var columns: [ColumnDefinition]
    public var primaryKey: [String]
    public var uniqueKeys: [IndexDefinition]
    public var indexes: [IndexDefinition]
    /// Table options as written (`ENGINE=InnoDB`, `DEFAULT CHARSET=utf8mb4`), kept for printing.
    public var options: [String]

    public init(ifNotExists: Bool = false, table: TableName, columns: [ColumnDefinition], primaryKey: [String] = [],
                uniqueKeys: [IndexDefinition] = [], indexes: [IndexDefinition] = [], options: [String] = []) {
        self.ifNotExists = ifNotExists
        self.table = table
        self.columns = columns
        self.primaryKey = primaryKey
        self.uniqueKeys = uniqueKeys
        self.indexes = indexes
        self.options = options
    }
}

/// A column of CREATE TABLE.
public struct ColumnDefinition: Hashable, Sendable {
    public var name: String
    public var type: SQLType
    /// nil when neither NULL nor NOT NULL was written.
    public var nullable: Bool?
    public var defaultValue: SQLExpression?
    public var autoIncrement: Bool
    /// `PRIMARY KEY` / `UNIQUE` written on the column.
    public var primaryKey: Bool
    public var unique: Bool
    public var onUpdateCurrentTimestamp: Bool
    public var comment: String?

    public init(name: String, type: SQLType, nullable: Bool? = nil, defaultValue: SQLExpression? = nil, autoIncrement: Bool = false,
                primaryKey: Bool = false, unique: Bool = false, onUpdateCurrentTimestamp: Bool = false, comment: String? = nil) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.defaultValue = defaultValue
        self.autoIncrement = autoIncrement
        self.primaryKey = primaryKey
        self.unique = unique
        self.onUpdateCurrentTimestamp = onUpdateCurrentTimestamp
        self.comment = comment
    }
}

/// A key or index: a name and its columns (with direction for indexes).
public struct IndexDefinition: Hashable, Sendable {
    public var name: String?
    public var columns: [String]
    public var descending: [Bool]

    public init(name: String?, columns: [String], descending: [Bool]? = nil) {
        self.name = name
        self.columns = columns
        self.descending = descending ?? columns.map { _ in false }
    }
}

/// `CREATE [UNIQUE] INDEX name ON t (cols)`.
public struct CreateIndexStatement: Hashable, Sendable {
    public var unique: Bool
    public var index: IndexDefinition
    public var table: TableName

    public init(unique: Bool, index: IndexDefinition, table: TableName) {
        self.unique = unique
        self.index = index
        self.table = table
    }
}

/// `DROP TABLE [IF EXISTS] t, ...`.
public struct DropTableStatement: Hashable, Sendable {
    public var ifExists: Bool
    public var tables: [TableName]

    public init(ifExists: Bool, tables: [TableName]) {
        self.ifExists = ifExists
        self.tables = tables
    }
}

/// `USE keyspace[:shard][@type]`.
public struct UseStatement: Hashable, Sendable {
    public var keyspace: String
    public var shard: String?
    public var tabletType: String?

    public init(keyspace: String, shard: String? = nil, tabletType: String? = nil) {
        self.keyspace = keyspace
        self.shard = shard
        self.tabletType = tabletType
    }
}

/// `SET [SESSION|GLOBAL] name = value`.
public struct SetAssignment: Hashable, Sendable {
    public enum Scope: String, Hashable, Sendable { case session = "SESSION", global = "GLOBAL", user = "USER" }

    public var scope: Scope
    /// Lowercased for system variables (`autocommit`, `transaction_mode`); as written for `@user`.
    public var name: String
    public var value: SQLExpression

    public init(scope: Scope, name: String, value: SQLExpression) {
        self.scope = scope
        self.name = name
        self.value = value
    }
}

/// `SHOW ...`: the forms the gateway and the node answer.
public enum ShowStatement: Hashable, Sendable {
    case vitessShards
    case vitessTablets
    /// `SHOW [FULL] TABLES [FROM keyspace]`.
    case tables(from: String?)
    case warnings
    case databases
    /// `SHOW UNRESOLVED TRANSACTIONS [FOR keyspace]` (Vitess's 2PC view).
    case unresolvedTransactions(keyspace: String?)
    /// `SHOW TRANSACTION STATUS FOR 'dtid'`.
    case transactionStatus(dtid: String)
    case createTable(TableName)
    case columns(TableName)
}
