import SQLSyntax

/// Runs a subquery that does not depend on the outer query first and hands its result to the
/// outer query as a bind variable (Vitess's `engine.UncorrelatedSubquery`): a scalar value, the
/// list for `IN`, or whether any row exists.
public final class UncorrelatedSubquery: Primitive {
    public enum Kind: String, Sendable { case value = "PulloutValue", list = "PulloutIn", exists = "PulloutExists" }

    public let kind: Kind
    public let name: String
    public let subquery: any Primitive
    public let outer: any Primitive

    public init(kind: Kind, name: String, subquery: any Primitive, outer: any Primitive) {
        self.kind = kind
        self.name = name
        self.subquery = subquery
        self.outer = outer
    }

    public var operatorType: String { "UncorrelatedSubquery" }
    public var details: String { "\(kind.rawValue) \(name)" }
    public var inputs: [any Primitive] { [subquery, outer] }

    static func bindValue(_ kind: Kind, _ result: QueryResult) throws(MySQLError) -> BindValue {
        let width = result.rows.first?.count ?? 1
        switch kind {
        case .exists:
            return .value(.integer(result.rows.isEmpty ? 0 : 1))
        case .value:
            guard width == 1 else { throw MySQLError(code: 1241, sqlState: "21000", message: "Operand should contain 1 column(s)") }
            guard result.rows.count <= 1 else { throw MySQLError(code: 1242, sqlState: "21000", message: "Subquery returns more than 1 row") }
            return .value(result.rows.first?[0] ?? .null)
        case .list:
            guard width == 1 else { throw MySQLError(code: 1241, sqlState: "21000", message: "Operand should contain 1 column(s)") }
            return .list(result.rows.map { $0[0] })
        }
    }

    public func execute(_ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        subquery.execute(cursor, bindVariables) { [self] result in
            switch result {
            case .failure(let error): done(.failure(error))
            case .success(let rows):
                var variables = bindVariables
                do throws(MySQLError) { variables[name] = try Self.bindValue(kind, rows) } catch {
                    done(.failure(error))
                    return
                }
                outer.execute(cursor, variables, done)
            }
        }
    }
}
