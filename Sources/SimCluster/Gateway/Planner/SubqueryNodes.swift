import SQLSyntax

extension SQLExpression {
    /// One subquery of an expression: what its value is used as, the query, and for `IN` the
    /// left side and whether it is `NOT IN`.
    struct SubqueryNode {
        let kind: UncorrelatedSubquery.Kind
        let query: SelectQuery
        let operand: SQLExpression?
        let negated: Bool
        let node: SQLExpression
    }

    /// The expression with each of its subqueries (not those nested inside them) replaced by
    /// what `replace` returns for it.
    func replacingSubqueries(_ replace: (SubqueryNode) -> SQLExpression) -> SQLExpression {
        rewritten { node in
            switch node {
            case .subquery(let q): replace(SubqueryNode(kind: .value, query: q, operand: nil, negated: false, node: node))
            case .exists(let q): replace(SubqueryNode(kind: .exists, query: q, operand: nil, negated: false, node: node))
            case .inSubquery(let x, let q, let n): replace(SubqueryNode(kind: .list, query: q, operand: x, negated: n, node: node))
            default: node
            }
        }
    }
}
