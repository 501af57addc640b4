import SQLSyntax

/// Keeps `count` rows after skipping `offset` (Vitess's `engine.Limit`); the shards below were
/// asked for `count + offset` rows each.
public final class RowLimit: Primitive {
    public let count: SQLExpression
    public let offset: SQLExpression?
    public let input: any Primitive

    public init(count: SQLExpression, offset: SQLExpression?, input: any Primitive) {
        self.count = count
        self.offset = offset
        self.input = input
    }

    public var operatorType: String { "Limit" }
    public var details: String { "count=\(SQLPrinter().print(count))" + (offset.map { " offset=\(SQLPrinter().print($0))" } ?? "") }
    public var inputs: [any Primitive] { [input] }

    /// A LIMIT or OFFSET operand: a non-negative integer literal or bind variable.
    static func number(_ expression: SQLExpression, _ bindVariables: BindVariables) throws(MySQLError) -> Int {
        guard case .value(let value) = try RouteValues.evaluate(expression, bindVariables), let n = value.integer, n >= 0 else {
            throw MySQLError(code: 1210, sqlState: "HY000", message: "Incorrect arguments to LIMIT")
        }
        return Int(clamping: n)
    }

    public func execute(_ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        transforming(input, cursor, bindVariables, done) { [count, offset] result throws(MySQLError) in
            let n = try Self.number(count, bindVariables)
            let skip = try offset.map { e throws(MySQLError) in try Self.number(e, bindVariables) } ?? 0
            var limited = result
            limited.rows = Array(result.rows.dropFirst(skip).prefix(n))
            return limited
        }
    }
}
