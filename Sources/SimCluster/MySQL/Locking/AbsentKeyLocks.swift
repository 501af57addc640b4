import SQLSyntax

/// InnoDB's locking reads lock what they looked for, not only what they found: a
/// `SELECT ... FOR UPDATE` by primary key of a row that does not exist takes a gap lock, so
/// another session's insert of that key waits until the reader's transaction ends. The node
/// models the common case: equality (or IN) on a table's integer primary key locks that key as a
/// row, whether or not the row exists (inserts lock the same key). Searched UPDATE and DELETE
/// lock the same way (see `MySQLEngine.searchLocks`).
enum AbsentKeyLocks {
    /// The primary-key values a single-table locking read names by equality in its WHERE clause.
    static func keys(_ select: SelectStatement, primaryKey column: String, bindings: [SQLValue]) -> [Int64] {
        guard select.from.count == 1, select.from[0].namedTables.count == 1, let condition = select.whereClause else { return [] }
        return keys(condition, primaryKey: column, bindings: bindings)
    }

    /// The primary-key values a WHERE clause names by equality (in one of its conjuncts).
    static func keys(_ condition: SQLExpression, primaryKey column: String, bindings: [SQLValue]) -> [Int64] {
        var keys: [Int64] = []
        for conjunct in conjuncts(condition) {
            switch conjunct {
            case .binary(.equal, .column(let c), let value) where c.name.lowercased() == column,
                 .binary(.equal, let value, .column(let c)) where c.name.lowercased() == column:
                if let v = integer(value, bindings) { keys.append(v) }
            case .inList(.column(let c), let values, negated: false) where c.name.lowercased() == column:
                keys += values.compactMap { integer($0, bindings) }
            default:
                continue
            }
        }
        return keys
    }

    /// The values a WHERE clause gives columns by equality (`col = literal` conjuncts), by
    /// lowercased column name.
    static func equalities(_ condition: SQLExpression, bindings: [SQLValue]) -> [String: SQLValue] {
        var values: [String: SQLValue] = [:]
        for conjunct in conjuncts(condition) {
            switch conjunct {
            case .binary(.equal, .column(let c), let value), .binary(.equal, let value, .column(let c)):
                if let v = literal(value, bindings) { values[c.name.lowercased()] = v }
            default:
                continue
            }
        }
        return values
    }

    static func literal(_ e: SQLExpression, _ bindings: [SQLValue]) -> SQLValue? {
        switch e {
        case .literal(.integer(let v)): .integer(v)
        case .literal(.string(let s)): .text(s)
        case .unary(.minus, .literal(.integer(let v))): .integer(-v)
        case .parameter(nil, let index) where bindings.indices.contains(index): bindings[index]
        default: nil
        }
    }

    static func conjuncts(_ e: SQLExpression) -> [SQLExpression] {
        if case .binary(.and, let a, let b) = e { return conjuncts(a) + conjuncts(b) }
        return [e]
    }

    static func integer(_ e: SQLExpression, _ bindings: [SQLValue]) -> Int64? {
        switch e {
        case .literal(.integer(let v)): v
        case .unary(.minus, .literal(.integer(let v))): -v
        case .parameter(nil, let index) where bindings.indices.contains(index): bindings[index].integer
        default: nil
        }
    }
}
