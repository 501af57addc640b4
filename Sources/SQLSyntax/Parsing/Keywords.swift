/// Keyword tables of the MySQL dialect.
enum Keywords {
    /// Words that cannot be unquoted identifiers (a subset of MySQL's reserved words: those that
    /// would make the grammar ambiguous here).
    static let reserved: Set<String> = [
        "ADD", "ALL", "ALTER", "AND", "AS", "ASC", "BETWEEN", "BINARY", "BY", "CALL", "CASE", "CAST", "COLLATE", "CONSTRAINT",
        "CONVERT", "CREATE", "CROSS", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER", "DATABASE",
        "DEFAULT", "DELETE", "DESC", "DESCRIBE", "DISTINCT", "DISTINCTROW", "DIV", "DROP", "DUAL", "ELSE", "EXCEPT",
        "EXISTS", "EXPLAIN", "FALSE", "FOR", "FORCE", "FOREIGN", "FROM", "GROUP", "HAVING", "IF", "IGNORE", "IN", "INDEX",
        "INNER", "INSERT", "INTERSECT", "INTERVAL", "INTO", "IS", "JOIN", "KEY", "LEFT", "LIKE", "LIMIT", "LOCK",
        "LOCALTIME", "LOCALTIMESTAMP", "MATCH", "MOD", "NATURAL", "NOT", "NULL", "ON", "OR", "ORDER", "OUTER", "PRIMARY",
        "REFERENCES", "REGEXP", "RENAME", "REPLACE", "RIGHT", "RLIKE", "SELECT", "SET", "SHOW", "STRAIGHT_JOIN",
        "TABLE", "THEN", "TO", "TRUE", "UNION", "UNIQUE", "UPDATE", "USE", "USING", "VALUES", "WHEN", "WHERE", "WITH",
        "XOR", "UTC_DATE", "UTC_TIMESTAMP", "WINDOW", "OVER",
    ]

    /// Reserved words that are also function names when a '(' follows.
    static let reservedFunctions: Set<String> = [
        "IF", "LEFT", "RIGHT", "REPLACE", "INSERT", "MOD", "DATABASE", "VALUES", "CHAR", "CONVERT", "CAST",
        "CURRENT_USER", "MATCH", "DEFAULT",
    ]

    /// Character-set introducers (`_utf8mb4'x'`).
    static let charsets: Set<String> = ["_BINARY", "_UTF8", "_UTF8MB4", "_UTF8MB3", "_LATIN1", "_ASCII", "_UCS2", "_UTF16", "_UTF32"]

    static let columnTypes: Set<String> = [
        "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT", "BOOL", "BOOLEAN", "SERIAL",
        "DECIMAL", "DEC", "NUMERIC", "FIXED", "FLOAT", "DOUBLE", "REAL", "BIT",
        "CHAR", "VARCHAR", "TEXT", "TINYTEXT", "MEDIUMTEXT", "LONGTEXT", "NCHAR", "NVARCHAR", "CHARACTER",
        "BINARY", "VARBINARY", "BLOB", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB",
        "DATE", "DATETIME", "TIMESTAMP", "TIME", "YEAR", "JSON", "ENUM", "SET",
    ]
}
