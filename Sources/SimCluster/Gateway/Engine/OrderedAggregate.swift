import SQLSyntax

/// Aggregates rows sorted by their group keys, one group at a time (Vitess's
/// `engine.OrderedAggregate`): consecutive rows whose keys MySQL calls equal form a group. Its
/// rows are the group keys, then the aggregates.
public final class OrderedAggregate: Primitive {
    public let groupKeys: [Int]
    public let aggregates: [AggregateSpec]
    public let input: any Primitive

    public init(groupKeys: [Int], aggregates: [AggregateSpec], input: any Primitive) {
        self.groupKeys = groupKeys
        self.aggregates = aggregates
        self.input = input
    }

    public var operatorType: String { "Aggregate" }
    public var details: String {
        "Ordered groupBy=" + groupKeys.map(String.init).joined(separator: ",") + " " + aggregates.map(\.description).joined(separator: ", ")
    }
    public var inputs: [any Primitive] { [input] }

    static func aggregate(_ rows: [[SQLValue]], groupKeys: [Int], aggregates: [AggregateSpec]) -> [[SQLValue]] {
        var out: [[SQLValue]] = []
        var current: [SQLValue]?
        var state: [Aggregator] = []
        func flush() {
            guard let key = current else { return }
            out.append(groupKeys.map { key[$0] } + state.map(\.result))
        }
        for row in rows {
            if let key = current, groupKeys.allSatisfy({ ValueOrder.compare(key[$0], row[$0]) == 0 }) {
                for i in state.indices { state[i].add(row) }
                continue
            }
            flush()
            current = row
            state = aggregates.map(Aggregator.init)
            for i in state.indices { state[i].add(row) }
        }
        flush()
        return out
    }

    public func execute(_ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        transforming(input, cursor, bindVariables, done) { [groupKeys, aggregates] result in
            QueryResult(columns: [], rows: Self.aggregate(result.rows, groupKeys: groupKeys, aggregates: aggregates))
        }
    }
}
