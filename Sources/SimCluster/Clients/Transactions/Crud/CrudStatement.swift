import SQLSyntax

/// One statement of the random CRUD workload: a write, or a read and (once it answered) its rows.
public struct CrudStatement: Sendable, Equatable {
    /// What the statement does, and how its answer compares with a standalone database's.
    public enum Kind: Sendable, Equatable {
        case write
        /// A read; `ordered` when its ORDER BY fixes the order of its rows.
        case read(ordered: Bool)
    }

    public let sql: String
    public let kind: Kind
    /// A read's rows; nil for a write, or until the read answered.
    public var rows: [[SQLValue]]?

    public init(sql: String, kind: Kind, rows: [[SQLValue]]? = nil) {
        self.sql = sql
        self.kind = kind
        self.rows = rows
    }

    public var isRead: Bool { if case .read = kind { true } else { false } }

    /// The statement in a history line: `[:sql "SELECT ..." => [1 'a'] [2 NULL]]`.
    public var line: String {
        let answer = rows.map { " => " + ($0.isEmpty ? "none" : $0.map { "[" + $0.map(\.description).joined(separator: " ") + "]" }.joined(separator: " ")) } ?? ""
        return "[:sql \"\(sql)\"\(answer)]"
    }
}
