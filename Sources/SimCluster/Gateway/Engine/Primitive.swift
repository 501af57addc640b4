import SQLSyntax

/// The result of a primitive: MySQL's result shape (columns and rows, or rows affected).
public typealias ResultSet = QueryResult

/// Called once with a primitive's result.
public typealias Completion = (Result<ResultSet, MySQLError>) -> Void

/// An operator of a gateway plan (Vitess's `engine.Primitive`): it runs its inputs through the
/// cursor and calls its completion once. Primitives hold no state between executions.
public protocol Primitive: AnyObject {
    /// Vitess's operator name (`Route`, `Limit`, `Aggregate`, ...).
    var operatorType: String { get }
    /// A one-line description of the operator's parameters, for plan printing.
    var details: String { get }
    /// The operators this one reads.
    var inputs: [any Primitive] { get }
    func execute(_ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion)
}

extension Primitive {
    public var inputs: [any Primitive] { [] }

    /// The plan as indented lines, one operator a line.
    public func describe(indent: String = "") -> String {
        var text = indent + operatorType + (details.isEmpty ? "" : " " + details) + "\n"
        for input in inputs { text += input.describe(indent: indent + "  ") }
        return text
    }

    /// Runs the input and passes its rows through `transform` (which may fail).
    func transforming(_ input: any Primitive, _ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion,
                      _ transform: @escaping (ResultSet) throws(MySQLError) -> ResultSet) {
        input.execute(cursor, bindVariables) { result in
            switch result {
            case .failure(let error): done(.failure(error))
            case .success(let rows):
                do throws(MySQLError) { done(.success(try transform(rows))) } catch { done(.failure(error)) }
            }
        }
    }
}
