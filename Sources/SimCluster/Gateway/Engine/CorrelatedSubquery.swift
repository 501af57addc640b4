import SQLSyntax

/// Runs subqueries that read the outer query's columns once per outer row, with those columns
/// as bind variables (Vitess's per-row semi-join), and appends each one's value to the row: a
/// scalar, whether any row exists, or the truth of `operand IN (subquery)` with MySQL's NULL rules.
public final class CorrelatedSubquery: Primitive {
    /// One subquery and what it reads from the outer row.
    public struct Entry {
        public var kind: UncorrelatedSubquery.Kind
        public var subquery: any Primitive
        /// Bind variable names and the outer columns they take.
        public var bindings: [(name: String, column: Int)]
        /// The left side of `IN`, over the outer row.
        public var operand: SQLExpression?

        public init(kind: UncorrelatedSubquery.Kind, subquery: any Primitive, bindings: [(name: String, column: Int)], operand: SQLExpression?) {
            self.kind = kind
            self.subquery = subquery
            self.bindings = bindings
            self.operand = operand
        }
    }

    public let entries: [Entry]
    /// What each input column holds (for evaluating operands).
    public let layout: [SQLExpression]
    public let input: any Primitive

    public init(entries: [Entry], layout: [SQLExpression], input: any Primitive) {
        self.entries = entries
        self.layout = layout
        self.input = input
    }

    public var operatorType: String { "CorrelatedSubquery" }
    public var details: String { entries.map { "\($0.kind.rawValue)(" + $0.bindings.map(\.name).joined(separator: ",") + ")" }.joined(separator: " ") }
    public var inputs: [any Primitive] { [input] + entries.map(\.subquery) }

    /// MySQL's `v IN (list)`: NULL when v is NULL or no element matches but one is NULL.
    static func membership(_ v: SQLValue, in list: [SQLValue]) -> SQLValue {
        if list.isEmpty { return .integer(0) }
        if v.isNull { return .null }
        if list.contains(where: { !$0.isNull && ValueOrder.compare(v, $0) == 0 }) { return .integer(1) }
        return list.contains(where: \.isNull) ? .null : .integer(0)
    }

    public func execute(_ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        input.execute(cursor, bindVariables) { [self] result in
            guard case .success(let outer) = result else {
                done(result)
                return
            }
            let operands: [RowEvaluator.Compiled?]
            do throws(MySQLError) {
                operands = try entries.map { e throws(MySQLError) in try e.operand.map { o throws(MySQLError) in try cursor.evaluator.compile(BindVariableSubstitution.expressions([o], bindVariables), layout: layout) } }
            } catch {
                done(.failure(error))
                return
            }
            var rows = outer.rows
            let count = entries.count
            SequentialSteps.run(rows.count * count, step: { [self] step, next in
                let (r, e) = (step / count, step % count)
                let entry = entries[e]
                var variables = bindVariables
                for (name, column) in entry.bindings { variables[name] = .value(outer.rows[r][column]) }
                entry.subquery.execute(cursor, variables) { inner in
                    do throws(MySQLError) {
                        let rowsOfSubquery = try inner.get()
                        switch entry.kind {
                        case .value, .exists:
                            guard case .value(let v) = try UncorrelatedSubquery.bindValue(entry.kind, rowsOfSubquery) else { break }
                            rows[r].append(v)
                        case .list:
                            guard case .list(let list) = try UncorrelatedSubquery.bindValue(.list, rowsOfSubquery), let compiled = operands[e] else { break }
                            let v = try cursor.evaluator.evaluate(compiled, row: outer.rows[r])[0]
                            rows[r].append(Self.membership(v, in: list))
                        }
                        next(true)
                    } catch {
                        done(.failure(error))
                        next(false)
                    }
                }
            }, finished: {
                done(.success(QueryResult(columns: outer.columns + self.entries.indices.map { "__sq\($0)" }, rows: rows)))
            })
        }
    }
}
