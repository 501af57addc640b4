/// Rewriting every expression of a statement, subqueries and derived tables included. The
/// transforms do not throw: a caller that can fail records its first error and throws it after
/// the rewrite (errors thrown through these recursive closures were miscompiled by Swift 6.3).
extension SQLExpression {
    /// The expression with `transform` applied bottom-up to every node, entering subqueries.
    public func deepRewritten(_ transform: (SQLExpression) -> SQLExpression) -> SQLExpression {
        rewritten { node in
            switch node {
            case .exists(let q): return transform(.exists(q.rewritingExpressions(transform)))
            case .subquery(let q): return transform(.subquery(q.rewritingExpressions(transform)))
            case .inSubquery(let x, let q, let n): return transform(.inSubquery(x, q.rewritingExpressions(transform), negated: n))
            default: return transform(node)
            }
        }
    }
}

extension SelectQuery {
    /// The query with `transform` applied to every expression in it (see `deepRewritten`).
    public func rewritingExpressions(_ transform: (SQLExpression) -> SQLExpression) -> SelectQuery {
        switch self {
        case .select(let s): return .select(s.rewritingExpressions(transform))
        case .compound(var c):
            c.left = c.left.rewritingExpressions(transform)
            c.right = c.right.rewritingExpressions(transform)
            c.orderBy = c.orderBy.map { OrderItem(expression: $0.expression.deepRewritten(transform), descending: $0.descending) }
            return .compound(c)
        }
    }
}

extension SelectStatement {
    public func rewritingExpressions(_ transform: (SQLExpression) -> SQLExpression) -> SelectStatement {
        var s = self
        s.columns = columns.map { item in
            if case .expression(let e, let alias) = item { return .expression(e.deepRewritten(transform), alias: alias) }
            return item
        }
        s.from = from.map { $0.rewritingExpressions(transform) }
        s.whereClause = whereClause?.deepRewritten(transform)
        s.groupBy = groupBy.map { $0.deepRewritten(transform) }
        s.having = having?.deepRewritten(transform)
        s.orderBy = orderBy.map { OrderItem(expression: $0.expression.deepRewritten(transform), descending: $0.descending) }
        return s
    }
}

extension TableReference {
    public func rewritingExpressions(_ transform: (SQLExpression) -> SQLExpression) -> TableReference {
        switch self {
        case .table: return self
        case .derived(let q, let alias): return .derived(q.rewritingExpressions(transform), alias: alias)
        case .join(var j):
            j.left = j.left.rewritingExpressions(transform)
            j.right = j.right.rewritingExpressions(transform)
            if case .on(let e)? = j.condition { j.condition = .on(e.deepRewritten(transform)) }
            return .join(j)
        }
    }
}
