import SQLSyntax

/// Plans a query whose subqueries read its own columns: the outer rows are fetched (a route or
/// a join), each subquery runs once per outer row with the columns it reads as bind variables
/// (`CorrelatedSubquery`), and the conditions and the horizon that use the subqueries' values
/// are computed in the gateway.
struct CorrelatedSubqueryPlanner {
    let planner: QueryPlanner

    struct Extracted {
        let kind: UncorrelatedSubquery.Kind
        let query: SelectQuery
        let operand: SQLExpression?
        let column: SQLExpression
    }

    /// The statement with each subquery replaced by a column standing for its value.
    static func extract(_ select: SelectStatement) -> (SelectStatement, [Extracted]) {
        var found: [Extracted] = []
        func replace(_ e: SQLExpression) -> SQLExpression {
            e.replacingSubqueries { sub in
                let c = SQLExpression.column(ColumnName(table: TableName(name: ColumnQualifier.subqueryTable), name: "sq\(found.count)"))
                found.append(Extracted(kind: sub.kind, query: sub.query, operand: sub.operand, column: c))
                return sub.negated ? .unary(.not, c) : c
            }
        }
        var s = select
        s.columns = s.columns.map { item in
            if case .expression(let e, let alias) = item { return .expression(replace(e), alias: alias) }
            return item
        }
        s.whereClause = s.whereClause.map(replace)
        s.having = s.having.map(replace)
        s.orderBy = s.orderBy.map { OrderItem(expression: replace($0.expression), descending: $0.descending) }
        return (s, found)
    }

    func plan(_ original: SelectStatement, counter: inout Int) throws(PlanError) -> any Primitive {
        let (select, extracted) = Self.extract(original)
        let units = try planner.tableUnits(select)
        let qualifier = ColumnQualifier(units: units)
        let shape = try SelectShape(select, qualifier: qualifier)
        var entries: [(kind: UncorrelatedSubquery.Kind, subquery: any Primitive, outer: [(name: String, column: SQLExpression)], operand: SQLExpression?)] = []
        for e in extracted {
            let binder = OuterColumnBinder(units: units, schema: planner.schema)
            let query = binder.bind(e.query, scopes: [])
            let inner = try planner.plan(query, counter: &counter)
            entries.append((e.kind, inner, binder.bound, try e.operand.map { x throws(PlanError) in try qualifier.qualify(x) }))
        }
        var conjuncts: [SQLExpression] = []
        if let w = select.whereClause { conjuncts += VindexPredicates.conjuncts(try qualifier.qualify(w)) }
        for condition in JoinPlanner.innerJoinConditions(select.from) {
            conjuncts += VindexPredicates.conjuncts(try qualifier.qualify(condition))
        }
        let usesSubquery = { (e: SQLExpression) -> Bool in
            var uses = false
            e.visit { node in
                if case .column(let c) = node, ColumnQualifier.isSubqueryValue(c) { uses = true }
                return !uses
            }
            return uses
        }
        let after = conjuncts.filter(usesSubquery)
        var needed = shape.items.map(\.expression) + shape.groupBy + (shape.having.map { [$0] } ?? []) + shape.order.map(\.expression) + after
        for entry in entries { needed += entry.outer.map(\.column) + (entry.operand.map { [$0] } ?? []) }
        var (top, layout) = try JoinPlanner(planner: planner, units: units, qualifier: qualifier)
            .plan(conjuncts: conjuncts.filter { !usesSubquery($0) }, needed: needed)
        var built: [CorrelatedSubquery.Entry] = []
        for entry in entries {
            var bindings: [(name: String, column: Int)] = []
            for (name, column) in entry.outer {
                guard let at = layout.firstIndex(of: column) else { throw PlanError("the outer column \(SQLPrinter().print(column)) is not fetched") }
                bindings.append((name, at))
            }
            built.append(CorrelatedSubquery.Entry(kind: entry.kind, subquery: entry.subquery, bindings: bindings, operand: entry.operand))
        }
        top = CorrelatedSubquery(entries: built, layout: layout, input: top)
        layout += extracted.map(\.column)
        if !after.isEmpty {
            try HorizonPlanner.check(after, over: layout)
            top = Filter(predicate: after.dropFirst().reduce(after[0]) { .binary(.and, $0, $1) }, layout: layout, input: top)
        }
        return try HorizonPlanner(shape: shape).planInGateway(top, layout: layout)
    }
}

/// Replaces, inside a subquery, the columns that belong to the outer query's tables with bind
/// variables, and remembers which outer column each one takes.
final class OuterColumnBinder {
    let units: [TableUnit]
    let schema: SchemaColumns
    private(set) var bound: [(name: String, column: SQLExpression)] = []

    init(units: [TableUnit], schema: SchemaColumns) {
        self.units = units
        self.schema = schema
    }

    /// A scope: the tables of one SELECT (qualifier and columns, nil when unknown) and its aliases.
    typealias Scope = (tables: [(qualifier: String, columns: [String]?)], aliases: Set<String>)

    func bind(_ query: SelectQuery, scopes: [Scope]) -> SelectQuery {
        switch query {
        case .select(let s): return .select(bind(s, scopes: scopes))
        case .compound(var c):
            c.left = bind(c.left, scopes: scopes)
            c.right = bind(c.right, scopes: scopes)
            return .compound(c)
        }
    }

    func bind(_ select: SelectStatement, scopes: [Scope]) -> SelectStatement {
        var tables: [(qualifier: String, columns: [String]?)] = []
        func collect(_ r: TableReference) {
            switch r {
            case .table(let name, let alias): tables.append(((alias ?? name.name).lowercased(), schema.columns(of: name.name)))
            case .derived(_, let alias): tables.append((alias.lowercased(), nil))
            case .join(let j):
                collect(j.left)
                collect(j.right)
            }
        }
        select.from.forEach(collect)
        let aliases = Set(select.columns.compactMap { item -> String? in
            if case .expression(_, let a?) = item { return a.lowercased() }
            return nil
        })
        let all = [(tables, aliases)] + scopes
        var copy = select
        let rewrite = { (e: SQLExpression) -> SQLExpression in self.rewrite(e, scopes: all) }
        copy.columns = select.columns.map { item in
            if case .expression(let e, let alias) = item { return .expression(rewrite(e), alias: alias) }
            return item
        }
        copy.whereClause = select.whereClause.map(rewrite)
        copy.groupBy = select.groupBy.map(rewrite)
        copy.having = select.having.map(rewrite)
        copy.orderBy = select.orderBy.map { OrderItem(expression: rewrite($0.expression), descending: $0.descending) }
        copy.from = select.from.map { $0.mappingJoinConditions(rewrite) }
        return copy
    }

    func rewrite(_ e: SQLExpression, scopes: [Scope]) -> SQLExpression {
        e.rewritten { node in
            switch node {
            case .column(let c): return outer(c, scopes: scopes).map { .parameter(name: $0, index: -1) } ?? node
            case .subquery(let q): return .subquery(bind(q, scopes: scopes))
            case .exists(let q): return .exists(bind(q, scopes: scopes))
            case .inSubquery(let x, let q, let n): return .inSubquery(x, bind(q, scopes: scopes), negated: n)
            default: return node
            }
        }
    }

    /// The bind variable for `c` if it is an outer query's column.
    func outer(_ c: ColumnName, scopes: [Scope]) -> String? {
        let name = c.name.lowercased()
        let unit: TableUnit?
        if let q = c.table?.name.lowercased() {
            if scopes.contains(where: { $0.tables.contains { $0.qualifier == q } }) { return nil }
            unit = units.first { $0.qualifier.lowercased() == q }
        } else {
            for scope in scopes {
                if scope.tables.contains(where: { $0.columns?.contains(name) ?? true }) || scope.aliases.contains(name) { return nil }
            }
            let owners = units.filter { $0.columns?.contains(name) ?? false }
            unit = owners.count == 1 ? owners[0] : nil
        }
        guard let unit else { return nil }
        let q = unit.qualifier.lowercased()
        let variable = "\(q)_\(name)"
        if !bound.contains(where: { $0.name == variable }) {
            bound.append((variable, .column(ColumnName(table: TableName(name: q), name: name))))
        }
        return variable
    }
}
