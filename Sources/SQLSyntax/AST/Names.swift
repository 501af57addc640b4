/// A table name, optionally qualified by a keyspace (database): `ks.t`.
public struct TableName: Hashable, Sendable, CustomStringConvertible {
    public var qualifier: String?
    public var name: String

    public init(qualifier: String? = nil, name: String) {
        self.qualifier = qualifier
        self.name = name
    }

    public var description: String { qualifier.map { "\($0).\(name)" } ?? name }
}

/// A column reference: `c`, `t.c` or `ks.t.c`.
public struct ColumnName: Hashable, Sendable, CustomStringConvertible {
    /// The table (or alias) the column belongs to, if written.
    public var table: TableName?
    public var name: String

    public init(table: TableName? = nil, name: String) {
        self.table = table
        self.name = name
    }

    public var description: String { table.map { "\($0).\(name)" } ?? name }

    /// Column names compare case-insensitively in MySQL.
    public func matches(_ other: String) -> Bool { name.caseInsensitiveEquals(other) }
}

extension String {
    /// ASCII case-insensitive equality (identifiers).
    public func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count && asciiUppercased(self) == asciiUppercased(other)
    }
}
