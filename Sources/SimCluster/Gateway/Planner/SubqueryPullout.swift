import SQLSyntax

/// Finds the subqueries of a SELECT that do not read the outer query's columns and replaces
/// them with bind variables (Vitess's pulled-out subqueries): `(SELECT ...)` becomes `:__sqN`,
/// `x IN (SELECT ...)` becomes `x IN ::__sqN`, `EXISTS (SELECT ...)` becomes `:__sqN`. A
/// subquery that reads an outer column is correlated and stays.
struct SubqueryPullout {
    struct Pulled {
        let kind: UncorrelatedSubquery.Kind
        let name: String
        let query: SelectQuery
    }

    let schema: SchemaColumns
    /// Columns of the outer query's tables: an unqualified name that no table of the subquery
    /// has but one of these does is an outer reference (innermost first, as MySQL resolves).
    let outerColumns: Set<String>
    var pulled: [Pulled] = []
    var correlated = false
    var counter: Int

    init(schema: SchemaColumns, counter: Int, outerTables: [TableName] = []) {
        self.schema = schema
        self.counter = counter
        self.outerColumns = Set(outerTables.flatMap { schema.columns(of: $0.name) ?? [] })
    }

    /// The expression with its uncorrelated subqueries replaced.
    mutating func pullOut(_ e: SQLExpression) -> SQLExpression {
        var pulled = self.pulled
        var correlated = self.correlated
        var counter = self.counter
        let result = e.replacingSubqueries { sub in
            guard isUncorrelated(sub.query) else {
                correlated = true
                return sub.node
            }
            counter += 1
            let name = "__sq\(counter)"
            pulled.append(Pulled(kind: sub.kind, name: name, query: sub.query))
            if let operand = sub.operand { return .inList(operand, [.parameter(name: ":" + name, index: -1)], negated: sub.negated) }
            return .parameter(name: name, index: -1)
        }
        (self.pulled, self.correlated, self.counter) = (pulled, correlated, counter)
        return result
    }

    /// Whether every column the query reads belongs to a table of its own (or of subqueries
    /// nested in it).
    func isUncorrelated(_ query: SelectQuery) -> Bool {
        switch query {
        case .compound(let c): return isUncorrelated(c.left) && isUncorrelated(c.right)
        case .select(let s): return Self.isSelfContained(s, outer: [], schema: schema, outerColumns: outerColumns)
        }
    }

    /// Whether `select`'s columns resolve within it or within `outer` (the scopes of
    /// enclosing subqueries that are themselves being pulled out).
    static func isSelfContained(_ select: SelectStatement, outer: [[(alias: String, columns: [String]?)]], schema: SchemaColumns,
                                outerColumns: Set<String>) -> Bool {
        var scope: [(alias: String, columns: [String]?)] = []
        var contained = true
        func collect(_ r: TableReference) {
            switch r {
            case .table(let name, let alias): scope.append(((alias ?? name.name).lowercased(), schema.columns(of: name.name)))
            case .derived(let q, let alias):
                if case .select(let inner) = q {
                    if !isSelfContained(inner, outer: [], schema: schema, outerColumns: []) { contained = false }
                    let names = inner.columns.compactMap { item -> String? in
                        guard case .expression(let e, let a) = item else { return nil }
                        if let a { return a.lowercased() }
                        if case .column(let c) = e { return c.name.lowercased() }
                        return nil
                    }
                    scope.append((alias.lowercased(), names.count == inner.columns.count ? names : nil))
                } else {
                    scope.append((alias.lowercased(), nil))
                }
            case .join(let j):
                collect(j.left)
                collect(j.right)
            }
        }
        select.from.forEach(collect)
        let scopes = [scope] + outer
        let aliases = Set(select.columns.compactMap { item -> String? in
            if case .expression(_, let a?) = item { return a.lowercased() }
            return nil
        })
        func resolves(_ c: ColumnName) -> Bool {
            if let q = c.table?.name.lowercased() {
                return scopes.contains { $0.contains { $0.alias == q } }
            }
            let name = c.name.lowercased()
            for level in scopes {
                if level.contains(where: { $0.columns?.contains(name) ?? (level.count == 1) }) { return true }
            }
            // A name no table knows is taken as the subquery's own (the shard reports it if unknown).
            return aliases.contains(name) || !outerColumns.contains(name)
        }
        func check(_ e: SQLExpression) {
            e.visit { node in
                switch node {
                case .column(let c): if !resolves(c) { contained = false }
                case .subquery(let q), .exists(let q), .inSubquery(_, let q, _):
                    if case .select(let inner) = q {
                        if !isSelfContained(inner, outer: scopes, schema: schema, outerColumns: outerColumns) { contained = false }
                    } else {
                        contained = false
                    }
                default: break
                }
                return contained
            }
        }
        for item in select.columns { if case .expression(let e, _) = item { check(e) } }
        select.whereClause.map(check)
        select.groupBy.forEach(check)
        select.having.map(check)
        select.orderBy.forEach { check($0.expression) }
        func checkJoins(_ r: TableReference) {
            if case .join(let j) = r {
                checkJoins(j.left)
                checkJoins(j.right)
                if case .on(let e)? = j.condition { check(e) }
            }
        }
        select.from.forEach(checkJoins)
        return contained
    }
}
