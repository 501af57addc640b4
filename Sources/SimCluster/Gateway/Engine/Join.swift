import SQLSyntax

/// A nested-loop join (Vitess's `engine.Join`): runs the left input, then the right input once
/// for each left row with that row's join columns as bind variables; a LEFT JOIN keeps left
/// rows with no match, the right columns NULL. Its rows are the left columns, then the right.
public final class Join: Primitive {
    public enum Kind: String, Sendable { case inner = "Join", left = "LeftJoin" }

    public let kind: Kind
    public let left: any Primitive
    public let right: any Primitive
    /// Bind variable names and the left columns they take.
    public let joinVariables: [(name: String, column: Int)]
    /// How many columns the right side returns (for the NULLs of an unmatched left row).
    public let rightWidth: Int

    public init(kind: Kind, left: any Primitive, right: any Primitive, joinVariables: [(name: String, column: Int)], rightWidth: Int) {
        self.kind = kind
        self.left = left
        self.right = right
        self.joinVariables = joinVariables
        self.rightWidth = rightWidth
    }

    public var operatorType: String { kind.rawValue }
    public var details: String { joinVariables.map { "\($0.name)=L\($0.column)" }.joined(separator: " ") }
    public var inputs: [any Primitive] { [left, right] }

    public func execute(_ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        left.execute(cursor, bindVariables) { [self] leftResult in
            switch leftResult {
            case .failure(let error): done(.failure(error))
            case .success(let outer): probe(outer, cursor, bindVariables, done)
            }
        }
    }

    /// Runs the right side per left row, in order.
    func probe(_ outer: QueryResult, _ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        var rows: [[SQLValue]] = []
        var columns = outer.columns
        // Within one execution the right side gives the same rows for the same bind values
        // (left rows often repeat their join columns); one that reads none gives them always.
        var shared: QueryResult?
        var memo: [[SQLValue]: QueryResult] = [:]
        func combine(_ leftRow: [SQLValue], _ inner: QueryResult) {
            if columns.count == outer.columns.count { columns += inner.columns }
            if inner.rows.isEmpty {
                if kind == .left { rows.append(leftRow + Array(repeating: .null, count: rightWidth)) }
            } else {
                for r in inner.rows { rows.append(leftRow + r) }
            }
        }
        SequentialSteps.run(outer.rows.count, step: { [self] i, next in
            let leftRow = outer.rows[i]
            if let shared {
                combine(leftRow, shared)
                next(true)
                return
            }
            let key = joinVariables.map { leftRow[$0.column] }
            if let known = memo[key] {
                combine(leftRow, known)
                next(true)
                return
            }
            var variables = bindVariables
            for (name, column) in joinVariables { variables[name] = .value(leftRow[column]) }
            right.execute(cursor, variables) { result in
                switch result {
                case .failure(let error):
                    done(.failure(error))
                    next(false)
                case .success(let inner):
                    if self.joinVariables.isEmpty { shared = inner } else { memo[key] = inner }
                    combine(leftRow, inner)
                    next(true)
                }
            }
        }, finished: {
            done(.success(QueryResult(columns: columns, rows: rows)))
        })
    }
}
