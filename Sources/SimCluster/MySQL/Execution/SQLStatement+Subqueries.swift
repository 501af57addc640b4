import SQLSyntax

extension SQLStatement {
    /// Whether a query is nested anywhere in the statement: a scalar subquery, EXISTS or
    /// IN (SELECT ...), in any clause or derived table.
    var containsSubquery: Bool {
        var found = false
        _ = rewritingExpressions { node in
            switch node {
            case .subquery, .exists, .inSubquery: found = true
            default: break
            }
            return node
        }
        return found
    }
}
