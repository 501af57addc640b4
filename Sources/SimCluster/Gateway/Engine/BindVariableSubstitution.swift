import SQLSyntax

/// Puts bind variables' values into a statement before it goes to a shard: `:name` becomes the
/// value's literal, `x IN ::name` the list (an empty list is false for IN and true for NOT IN,
/// whatever `x` is, as Vitess's `__sq_has_values` makes it).
enum BindVariableSubstitution {
    static func expression(_ node: SQLExpression, _ bindVariables: BindVariables) -> SQLExpression {
        switch node {
        case .parameter(let name?, _) where !name.hasPrefix(":"):
            guard case .value(let v)? = bindVariables[name] else { return node }
            return v.sqlLiteral
        case .inList(let x, let list, let negated) where list.count == 1:
            guard case .parameter(let name?, _) = list[0], name.hasPrefix(":"),
                  case .list(let values)? = bindVariables[String(name.dropFirst())] else { return node }
            if values.isEmpty { return .integer(negated ? 1 : 0) }
            return .inList(x, values.map(\.sqlLiteral), negated: negated)
        default:
            return node
        }
    }

    /// Expressions the gateway evaluates itself, with the bind variables put in.
    static func expressions(_ list: [SQLExpression], _ bindVariables: BindVariables) -> [SQLExpression] {
        guard !bindVariables.isEmpty else { return list }
        return list.map { $0.rewritten { expression($0, bindVariables) } }
    }

    static func statement(_ statement: SQLStatement, _ bindVariables: BindVariables) -> SQLStatement {
        guard !bindVariables.isEmpty else { return statement }
        let transform = { (e: SQLExpression) in expression(e, bindVariables) }
        return statement.rewritingExpressions(transform)
    }
}

extension SQLStatement {
    /// The statement with `transform` applied to every expression of its queries and writes.
    func rewritingExpressions(_ transform: (SQLExpression) -> SQLExpression) -> SQLStatement {
        switch self {
        case .select(let q):
            return .select(q.rewritingExpressions(transform))
        case .update(var u):
            u.assignments = u.assignments.map { Assignment(column: $0.column, value: $0.value.deepRewritten(transform)) }
            u.whereClause = u.whereClause?.deepRewritten(transform)
            u.orderBy = u.orderBy.map { OrderItem(expression: $0.expression.deepRewritten(transform), descending: $0.descending) }
            return .update(u)
        case .delete(var d):
            d.whereClause = d.whereClause?.deepRewritten(transform)
            d.orderBy = d.orderBy.map { OrderItem(expression: $0.expression.deepRewritten(transform), descending: $0.descending) }
            return .delete(d)
        case .insert(var i):
            switch i.source {
            case .values(let rows): i.source = .values(rows.map { $0.map { $0.deepRewritten(transform) } })
            case .select(let q): i.source = .select(q.rewritingExpressions(transform))
            }
            i.onDuplicateKeyUpdate = i.onDuplicateKeyUpdate.map { Assignment(column: $0.column, value: $0.value.deepRewritten(transform)) }
            return .insert(i)
        default:
            return self
        }
    }
}
