import SQLSyntax

/// Sorts all rows in memory (Vitess's `engine.MemorySort`), for orderings the shards cannot
/// give: by aggregates, by values computed in the gateway, across a join. Stable, so equal keys
/// keep their input order.
public final class MemorySort: Primitive {
    public let keys: [SortKey]
    public let input: any Primitive

    public init(keys: [SortKey], input: any Primitive) {
        self.keys = keys
        self.input = input
    }

    public var operatorType: String { "Sort" }
    public var details: String { keys.map(\.description).joined(separator: ", ") }
    public var inputs: [any Primitive] { [input] }

    static func sorted(_ rows: [[SQLValue]], by keys: [SortKey]) -> [[SQLValue]] {
        rows.enumerated().sorted { a, b in
            let c = ValueOrder.compare(a.element, b.element, by: keys)
            return c != 0 ? c < 0 : a.offset < b.offset
        }.map(\.element)
    }

    public func execute(_ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        transforming(input, cursor, bindVariables, done) { [keys] result in
            var copy = result
            copy.rows = Self.sorted(result.rows, by: keys)
            return copy
        }
    }
}
