/// A query: one SELECT, or a set operation (UNION, EXCEPT, INTERSECT) of queries, with the
/// ORDER BY and LIMIT that apply to the whole.
public indirect enum SelectQuery: Hashable, Sendable {
    case select(SelectStatement)
    case compound(CompoundSelect)

    /// The leftmost SELECT (whose column names the result takes).
    public var firstSelect: SelectStatement {
        switch self {
        case .select(let s): s
        case .compound(let c): c.left.firstSelect
        }
    }
}

/// `left UNION [ALL] right [ORDER BY ...] [LIMIT ...]`.
public struct CompoundSelect: Hashable, Sendable {
    public enum Operator: String, Hashable, Sendable { case union = "UNION", except = "EXCEPT", intersect = "INTERSECT" }

    public var op: Operator
    /// ALL keeps duplicates; DISTINCT (the default) removes them.
    public var all: Bool
    public var left: SelectQuery
    public var right: SelectQuery
    public var orderBy: [OrderItem]
    public var limit: Limit?

    public init(op: Operator, all: Bool, left: SelectQuery, right: SelectQuery, orderBy: [OrderItem] = [], limit: Limit? = nil) {
        self.op = op
        self.all = all
        self.left = left
        self.right = right
        self.orderBy = orderBy
        self.limit = limit
    }
}

/// One SELECT.
public struct SelectStatement: Hashable, Sendable {
    public var distinct: Bool
    public var columns: [SelectItem]
    public var from: [TableReference]
    public var whereClause: SQLExpression?
    public var groupBy: [SQLExpression]
    public var having: SQLExpression?
    public var orderBy: [OrderItem]
    public var limit: Limit?
    public var lock: LockMode?
    /// Comments kept for directives (Vitess reads `/*vt+ ... */`).
    public var comments: [String]

    public init(distinct: Bool = false, columns: [SelectItem], from: [TableReference] = [], whereClause: SQLExpression? = nil,
                groupBy: [SQLExpression] = [], having: SQLExpression? = nil, orderBy: [OrderItem] = [], limit: Limit? = nil,
                lock: LockMode? = nil, comments: [String] = []) {
        self.distinct = distinct
        self.columns = columns
        self.from = from
        self.whereClause = whereClause
        self.groupBy = groupBy
        self.having = having
        self.orderBy = orderBy
        self.limit = limit
        self.lock = lock
        self.comments = comments
    }
}

/// An item of the select list.
public enum SelectItem: Hashable, Sendable {
    /// `*` or `t.*`.
    case star(TableName?)
    case expression(SQLExpression, alias: String?)
}

/// `FOR UPDATE` or `LOCK IN SHARE MODE` / `FOR SHARE`.
public enum LockMode: String, Hashable, Sendable { case forUpdate = "FOR UPDATE", shared = "LOCK IN SHARE MODE" }

/// `expr [ASC|DESC]`.
public struct OrderItem: Hashable, Sendable {
    public var expression: SQLExpression
    public var descending: Bool

    public init(expression: SQLExpression, descending: Bool = false) {
        self.expression = expression
        self.descending = descending
    }
}

/// `LIMIT count [OFFSET offset]`.
public struct Limit: Hashable, Sendable {
    public var count: SQLExpression
    public var offset: SQLExpression?

    public init(count: SQLExpression, offset: SQLExpression? = nil) {
        self.count = count
        self.offset = offset
    }
}

/// A table in FROM: a named table, a derived table, or a join.
public indirect enum TableReference: Hashable, Sendable {
    case table(TableName, alias: String?)
    case derived(SelectQuery, alias: String)
    case join(Join)

    /// Whether a derived table appears in this reference.
    public var hasDerived: Bool {
        switch self {
        case .table: false
        case .derived: true
        case .join(let j): j.left.hasDerived || j.right.hasDerived
        }
    }

    /// The tables named in this reference, with their aliases (derived tables excluded).
    public var namedTables: [(table: TableName, alias: String?)] {
        switch self {
        case .table(let t, let alias): [(t, alias)]
        case .derived: []
        case .join(let j): j.left.namedTables + j.right.namedTables
        }
    }
}

/// `left [INNER|LEFT|RIGHT|CROSS] JOIN right [ON ... | USING (...)]`.
public struct Join: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case inner = "JOIN", left = "LEFT JOIN", right = "RIGHT JOIN", cross = "CROSS JOIN", straight = "STRAIGHT_JOIN"
        case natural = "NATURAL JOIN", naturalLeft = "NATURAL LEFT JOIN", naturalRight = "NATURAL RIGHT JOIN"
    }

    public enum Condition: Hashable, Sendable {
        case on(SQLExpression)
        case using([String])
    }

    public var kind: Kind
    public var left: TableReference
    public var right: TableReference
    public var condition: Condition?

    public init(kind: Kind, left: TableReference, right: TableReference, condition: Condition?) {
        self.kind = kind
        self.left = left
        self.right = right
        self.condition = condition
    }
}
