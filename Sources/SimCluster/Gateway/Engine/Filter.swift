import SQLSyntax

/// Keeps the rows for which a condition is true, evaluated in the gateway (Vitess's
/// `engine.Filter`): HAVING after a merge, conditions across a join.
public final class Filter: Primitive {
    public let predicate: SQLExpression
    /// What each input column holds.
    public let layout: [SQLExpression]
    public let input: any Primitive

    public init(predicate: SQLExpression, layout: [SQLExpression], input: any Primitive) {
        self.predicate = predicate
        self.layout = layout
        self.input = input
    }

    public var operatorType: String { "Filter" }
    public var details: String { SQLPrinter().print(predicate) }
    public var inputs: [any Primitive] { [input] }

    public func execute(_ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        transforming(input, cursor, bindVariables, done) { [predicate, layout] result throws(MySQLError) in
            let compiled = try cursor.evaluator.compile(BindVariableSubstitution.expressions([predicate], bindVariables), layout: layout)
            var kept = result
            kept.rows = []
            for row in result.rows where RowEvaluator.isTrue(try cursor.evaluator.evaluate(compiled, row: row)[0]) {
                kept.rows.append(row)
            }
            return kept
        }
    }
}
