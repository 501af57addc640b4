import SQLSyntax

/// Aggregates all rows into one, with no GROUP BY (Vitess's `engine.ScalarAggregate`): one row
/// even when no shard returned any (COUNT 0, SUM NULL).
public final class ScalarAggregate: Primitive {
    public let aggregates: [AggregateSpec]
    public let input: any Primitive

    public init(aggregates: [AggregateSpec], input: any Primitive) {
        self.aggregates = aggregates
        self.input = input
    }

    public var operatorType: String { "Aggregate" }
    public var details: String { "Scalar " + aggregates.map(\.description).joined(separator: ", ") }
    public var inputs: [any Primitive] { [input] }

    public func execute(_ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        transforming(input, cursor, bindVariables, done) { [aggregates] result in
            var state = aggregates.map(Aggregator.init)
            for row in result.rows { for i in state.indices { state[i].add(row) } }
            return QueryResult(columns: [], rows: [state.map(\.result)])
        }
    }
}
