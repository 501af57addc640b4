import SQLSyntax

/// Picks columns of its input by position (Vitess's `engine.SimpleProjection`): drops helper
/// columns, reorders.
public final class SimpleProjection: Primitive {
    public let columns: [Int]
    public let names: [String]?
    public let input: any Primitive

    public init(columns: [Int], names: [String]? = nil, input: any Primitive) {
        self.columns = columns
        self.names = names
        self.input = input
    }

    public var operatorType: String { "SimpleProjection" }
    public var details: String { "columns=" + columns.map(String.init).joined(separator: ",") }
    public var inputs: [any Primitive] { [input] }

    public func execute(_ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        transforming(input, cursor, bindVariables, done) { [columns, names] result in
            var copy = result
            copy.columns = names ?? columns.map { $0 < result.columns.count ? result.columns[$0] : "" }
            copy.rows = result.rows.map { row in columns.map { row[$0] } }
            return copy
        }
    }
}
