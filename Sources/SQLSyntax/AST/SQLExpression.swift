/// An expression of the MySQL dialect. Parentheses are not kept: the tree is the grouping, and the
/// printers put back the parentheses that precedence needs.
public indirect enum SQLExpression: Hashable, Sendable {
    case literal(Literal)
    case column(ColumnName)
    /// A bind variable: `?` (name nil; `index` counts the `?`s from 0) or `:name` (index -1).
    /// A name starting with `:` is a Vitess list variable (`::vals`).
    case parameter(name: String?, index: Int)
    case unary(UnaryOperator, SQLExpression)
    case binary(BinaryOperator, SQLExpression, SQLExpression)
    /// `x IS [NOT] NULL`.
    case isNull(SQLExpression, negated: Bool)
    /// `x IS [NOT] TRUE|FALSE|UNKNOWN` (value nil is UNKNOWN).
    case isBoolean(SQLExpression, value: Bool?, negated: Bool)
    case between(SQLExpression, low: SQLExpression, high: SQLExpression, negated: Bool)
    case inList(SQLExpression, [SQLExpression], negated: Bool)
    case inSubquery(SQLExpression, SelectQuery, negated: Bool)
    case exists(SelectQuery)
    /// A scalar subquery: `(SELECT ...)`.
    case subquery(SelectQuery)
    case like(SQLExpression, pattern: SQLExpression, escape: SQLExpression?, negated: Bool)
    case regexp(SQLExpression, pattern: SQLExpression, negated: Bool)
    case caseWhen(CaseExpression)
    case function(FunctionCall)
    case cast(SQLExpression, SQLType)
    /// `CONVERT(x USING charset)`.
    case convertUsing(SQLExpression, charset: String)
    case collate(SQLExpression, collation: String)
    /// A row constructor `(a, b)`.
    case tuple([SQLExpression])
    /// `@name` or `@@[scope.]name`.
    case variable(name: String, system: Bool)
    /// `DEFAULT` in VALUES or SET, `DEFAULT(col)`.
    case defaultValue(String?)
    /// `INTERVAL expr unit` in date arithmetic.
    case interval(SQLExpression, unit: String)
}

public enum UnaryOperator: String, Hashable, Sendable {
    case minus = "-"
    case plus = "+"
    case bitNot = "~"
    /// `!` (binds tightly) and `NOT` (binds loosely) mean the same; the printer writes `NOT`.
    case not = "NOT"
    /// `BINARY x`: compare as bytes.
    case binary = "BINARY"
}

public enum BinaryOperator: String, Hashable, Sendable, CaseIterable {
    case or = "OR", xor = "XOR", and = "AND"
    case equal = "=", nullSafeEqual = "<=>", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case bitOr = "|", bitAnd = "&", shiftLeft = "<<", shiftRight = ">>"
    case add = "+", subtract = "-"
    case multiply = "*", divide = "/", integerDivide = "DIV", modulo = "MOD"
    case bitXor = "^"
    case jsonExtract = "->"
    case jsonUnquoteExtract = "->>"

    /// MySQL's precedence, higher binds tighter.
    public var precedence: Int {
        switch self {
        case .or: 1
        case .xor: 2
        case .and: 3
        case .equal, .nullSafeEqual, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: 5
        case .bitOr: 6
        case .bitAnd: 7
        case .shiftLeft, .shiftRight: 8
        case .add, .subtract: 9
        case .multiply, .divide, .integerDivide, .modulo: 10
        case .bitXor: 11
        case .jsonExtract, .jsonUnquoteExtract: 14
        }
    }

    public var isComparison: Bool { precedence == 5 }
    public var isLogical: Bool { self == .and || self == .or || self == .xor }
}

/// `CASE [operand] WHEN ... THEN ... [ELSE ...] END`.
public struct CaseExpression: Hashable, Sendable {
    public struct When: Hashable, Sendable {
        public var condition: SQLExpression
        public var result: SQLExpression
        public init(condition: SQLExpression, result: SQLExpression) {
            self.condition = condition
            self.result = result
        }
    }

    public var operand: SQLExpression?
    public var whens: [When]
    public var otherwise: SQLExpression?

    public init(operand: SQLExpression?, whens: [When], otherwise: SQLExpression?) {
        self.operand = operand
        self.whens = whens
        self.otherwise = otherwise
    }
}

/// A function call: `NAME(args)`, `COUNT(*)`, `COUNT(DISTINCT a)`, `GROUP_CONCAT(a SEPARATOR ',')`.
public struct FunctionCall: Hashable, Sendable {
    /// Uppercased.
    public var name: String
    public var arguments: [SQLExpression]
    public var distinct: Bool
    /// `COUNT(*)`.
    public var star: Bool
    /// `GROUP_CONCAT(... ORDER BY ...)`.
    public var orderBy: [OrderItem]
    /// `GROUP_CONCAT(... SEPARATOR s)`.
    public var separator: String?

    public init(name: String, arguments: [SQLExpression] = [], distinct: Bool = false, star: Bool = false,
                orderBy: [OrderItem] = [], separator: String? = nil) {
        self.name = name
        self.arguments = arguments
        self.distinct = distinct
        self.star = star
        self.orderBy = orderBy
        self.separator = separator
    }

    /// The aggregate functions of MySQL this implementation knows.
    public static let aggregateNames: Set<String> = [
        "COUNT", "SUM", "AVG", "MIN", "MAX", "GROUP_CONCAT", "BIT_AND", "BIT_OR", "BIT_XOR", "STD", "STDDEV",
        "STDDEV_POP", "STDDEV_SAMP", "VARIANCE", "VAR_POP", "VAR_SAMP", "ANY_VALUE", "JSON_ARRAYAGG", "JSON_OBJECTAGG",
    ]

    public var isAggregate: Bool { Self.aggregateNames.contains(name) }
}

extension SQLExpression {
    /// Shorthands for building trees in code and tests.
    public static func integer(_ value: Int64) -> SQLExpression { .literal(.integer(value)) }
    public static func string(_ value: String) -> SQLExpression { .literal(.string(value)) }
    public static var null: SQLExpression { .literal(.null) }
    public static func column(_ name: String, table: String? = nil) -> SQLExpression {
        .column(ColumnName(table: table.map { TableName(name: $0) }, name: name))
    }

    /// Whether an aggregate function appears in the expression (outside subqueries).
    public var containsAggregate: Bool {
        var found = false
        visit { expression in
            if case .function(let call) = expression, call.isAggregate { found = true }
            return !found
        }
        return found
    }

    /// Calls `body` on this expression and every sub-expression (not entering subqueries), parents
    /// first; `body` returns false to skip a node's children.
    public func visit(_ body: (SQLExpression) -> Bool) {
        guard body(self) else { return }
        for child in children { child.visit(body) }
    }

    /// The direct sub-expressions (not those inside subqueries).
    public var children: [SQLExpression] {
        switch self {
        case .literal, .column, .parameter, .variable, .defaultValue, .exists, .subquery: []
        case .unary(_, let x), .isNull(let x, _), .isBoolean(let x, _, _), .cast(let x, _), .convertUsing(let x, _),
             .collate(let x, _), .interval(let x, _), .inSubquery(let x, _, _):
            [x]
        case .binary(_, let a, let b): [a, b]
        case .between(let x, let low, let high, _): [x, low, high]
        case .inList(let x, let list, _): [x] + list
        case .like(let x, let p, let e, _): [x, p] + (e.map { [$0] } ?? [])
        case .regexp(let x, let p, _): [x, p]
        case .caseWhen(let c): (c.operand.map { [$0] } ?? []) + c.whens.flatMap { [$0.condition, $0.result] } + (c.otherwise.map { [$0] } ?? [])
        case .function(let f): f.arguments + f.orderBy.map(\.expression)
        case .tuple(let items): items
        }
    }

    /// The expression with every node replaced bottom-up by `transform` (subqueries left alone).
    public func rewritten(_ transform: (SQLExpression) -> SQLExpression) -> SQLExpression {
        func r(_ e: SQLExpression) -> SQLExpression { e.rewritten(transform) }
        let rebuilt: SQLExpression
        switch self {
        case .literal, .column, .parameter, .variable, .defaultValue, .exists, .subquery: rebuilt = self
        case .unary(let op, let x): rebuilt = .unary(op, r(x))
        case .binary(let op, let a, let b): rebuilt = .binary(op, r(a), r(b))
        case .isNull(let x, let n): rebuilt = .isNull(r(x), negated: n)
        case .isBoolean(let x, let v, let n): rebuilt = .isBoolean(r(x), value: v, negated: n)
        case .between(let x, let low, let high, let n): rebuilt = .between(r(x), low: r(low), high: r(high), negated: n)
        case .inList(let x, let list, let n): rebuilt = .inList(r(x), list.map(r), negated: n)
        case .inSubquery(let x, let q, let n): rebuilt = .inSubquery(r(x), q, negated: n)
        case .like(let x, let p, let e, let n): rebuilt = .like(r(x), pattern: r(p), escape: e.map(r), negated: n)
        case .regexp(let x, let p, let n): rebuilt = .regexp(r(x), pattern: r(p), negated: n)
        case .caseWhen(let c):
            rebuilt = .caseWhen(CaseExpression(
                operand: c.operand.map(r),
                whens: c.whens.map { CaseExpression.When(condition: r($0.condition), result: r($0.result)) },
                otherwise: c.otherwise.map(r)))
        case .function(var f):
            f.arguments = f.arguments.map(r)
            f.orderBy = f.orderBy.map { OrderItem(expression: r($0.expression), descending: $0.descending) }
            rebuilt = .function(f)
        case .cast(let x, let t): rebuilt = .cast(r(x), t)
        case .convertUsing(let x, let c): rebuilt = .convertUsing(r(x), charset: c)
        case .collate(let x, let c): rebuilt = .collate(r(x), collation: c)
        case .tuple(let items): rebuilt = .tuple(items.map(r))
        case .interval(let x, let unit): rebuilt = .interval(r(x), unit: unit)
        }
        return transform(rebuilt)
    }
}
