import SQLSyntax

/// Computes new columns from its input's in the gateway (Vitess's `engine.Projection`): select
/// expressions over aggregates (`sum(x) / count(x)`, `count(*) + 1`) or over a join's columns.
public final class Projection: Primitive {
    public let expressions: [SQLExpression]
    public let names: [String]
    public let layout: [SQLExpression]
    public let input: any Primitive

    public init(expressions: [SQLExpression], names: [String], layout: [SQLExpression], input: any Primitive) {
        self.expressions = expressions
        self.names = names
        self.layout = layout
        self.input = input
    }

    public var operatorType: String { "Projection" }
    public var details: String { expressions.map { SQLPrinter().print($0) }.joined(separator: ", ") }
    public var inputs: [any Primitive] { [input] }

    public func execute(_ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        transforming(input, cursor, bindVariables, done) { [expressions, names, layout] result throws(MySQLError) in
            // Columns passed through unchanged need no evaluation.
            let index = ExpressionLayout(layout)
            let direct = expressions.map { index.position(of: $0) }
            let computed = expressions.indices.filter { direct[$0] == nil }
            let compiled = computed.isEmpty ? nil : try cursor.evaluator.compile(BindVariableSubstitution.expressions(computed.map { expressions[$0] }, bindVariables), layout: layout)
            var rows: [[SQLValue]] = []
            rows.reserveCapacity(result.rows.count)
            for row in result.rows {
                var out = direct.map { $0.map { row[$0] } ?? .null }
                if let compiled {
                    let values = try cursor.evaluator.evaluate(compiled, row: row)
                    for (k, i) in computed.enumerated() { out[i] = values[k] }
                }
                rows.append(out)
            }
            return QueryResult(columns: names, rows: rows)
        }
    }
}
