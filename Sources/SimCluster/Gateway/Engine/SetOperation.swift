import SQLSyntax

/// EXCEPT and INTERSECT of two inputs, computed in the gateway with MySQL's equality (distinct
/// rows of the left that are / are not among the right's; with ALL, as many as the left has
/// beyond / within the right's count). Vitess refuses these across shards; MySQL 8.0.31 and
/// MariaDB answer them, so the gateway does too.
public final class SetOperation: Primitive {
    public let op: CompoundSelect.Operator
    public let all: Bool
    public let left: any Primitive
    public let right: any Primitive

    public init(op: CompoundSelect.Operator, all: Bool, left: any Primitive, right: any Primitive) {
        self.op = op
        self.all = all
        self.left = left
        self.right = right
    }

    public var operatorType: String { op.rawValue.capitalized }
    public var details: String { all ? "ALL" : "" }
    public var inputs: [any Primitive] { [left, right] }

    static func combine(_ op: CompoundSelect.Operator, all: Bool, _ a: [[SQLValue]], _ b: [[SQLValue]]) -> [[SQLValue]] {
        var counts: [[ValueOrder.GroupKey]: Int] = [:]
        for row in b { counts[row.map(ValueOrder.groupKey), default: 0] += 1 }
        var emitted: Set<[ValueOrder.GroupKey]> = []
        var out: [[SQLValue]] = []
        for row in a {
            let key = row.map(ValueOrder.groupKey)
            let inRight = counts[key, default: 0]
            if all {
                switch op {
                case .except: if inRight > 0 { counts[key] = inRight - 1 } else { out.append(row) }
                default: if inRight > 0 { counts[key] = inRight - 1; out.append(row) }
                }
            } else if (op == .except) == (inRight == 0), emitted.insert(key).inserted {
                out.append(row)
            }
        }
        return out
    }

    public func execute(_ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        left.execute(cursor, bindVariables) { [self] leftResult in
            guard case .success(let a) = leftResult else { return done(leftResult) }
            right.execute(cursor, bindVariables) { [self] rightResult in
                guard case .success(let b) = rightResult else { return done(rightResult) }
                if let width = a.rows.first?.count, let other = b.rows.first?.count, width != other {
                    return done(.failure(MySQLError(code: 1222, sqlState: "21000",
                                                    message: "The used SELECT statements have a different number of columns")))
                }
                done(.success(QueryResult(columns: a.columns, rows: Self.combine(op, all: all, a.rows, b.rows))))
            }
        }
    }
}
