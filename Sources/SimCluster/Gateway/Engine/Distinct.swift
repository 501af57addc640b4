import SQLSyntax

/// Drops rows equal to an earlier row, comparing as MySQL does (Vitess's `engine.Distinct`,
/// a hash probe over the columns' collation keys). The first `columns` columns count.
public final class Distinct: Primitive {
    public let input: any Primitive
    public let columns: Int?

    public init(input: any Primitive, columns: Int? = nil) {
        self.input = input
        self.columns = columns
    }

    public var operatorType: String { "Distinct" }
    public var details: String { columns.map { "columns=\($0)" } ?? "" }
    public var inputs: [any Primitive] { [input] }

    static func distinct(_ rows: [[SQLValue]], columns: Int?) -> [[SQLValue]] {
        var seen: Set<[ValueOrder.GroupKey]> = []
        return rows.filter { row in
            let key = (columns.map { Array(row.prefix($0)) } ?? row).map(ValueOrder.groupKey)
            return seen.insert(key).inserted
        }
    }

    public func execute(_ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        transforming(input, cursor, bindVariables, done) { [columns] result in
            var copy = result
            copy.rows = Self.distinct(result.rows, columns: columns)
            return copy
        }
    }
}
