import SQLSyntax

/// Runs its inputs one after the other and appends their rows (Vitess's `engine.Concatenate`,
/// UNION ALL); a UNION puts a `Distinct` above it.
public final class Concatenate: Primitive {
    public let sources: [any Primitive]

    public init(sources: [any Primitive]) { self.sources = sources }

    public var operatorType: String { "Concatenate" }
    public var details: String { "" }
    public var inputs: [any Primitive] { sources }

    public func execute(_ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        var gathered: [QueryResult] = []
        func next(_ i: Int) {
            guard i < sources.count else {
                let first = gathered.first ?? QueryResult()
                let width = first.columns.count
                for part in gathered where part.rows.first.map({ $0.count != width }) == true {
                    done(.failure(MySQLError(code: 1222, sqlState: "21000",
                                             message: "The used SELECT statements have a different number of columns")))
                    return
                }
                done(.success(QueryResult(columns: first.columns, rows: gathered.flatMap(\.rows))))
                return
            }
            sources[i].execute(cursor, bindVariables) { result in
                switch result {
                case .failure(let error): done(.failure(error))
                case .success(let part):
                    gathered.append(part)
                    next(i + 1)
                }
            }
        }
        next(0)
    }
}
