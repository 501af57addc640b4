import SQLSyntax

/// A SELECT's horizon with every name made explicit: select items expanded (`*` becomes its
/// columns), GROUP BY, HAVING and ORDER BY with their positions and aliases resolved as MySQL
/// resolves them, every column qualified by its table, and the aggregates it computes.
struct SelectShape {
    struct Item {
        var expression: SQLExpression
        var name: String
        var alias: String?
    }

    struct Order {
        /// The select item it sorts by, if it is one.
        var item: Int?
        var expression: SQLExpression
        var descending: Bool
    }

    var items: [Item] = []
    var groupBy: [SQLExpression] = []
    var having: SQLExpression?
    var order: [Order] = []
    var distinct: Bool
    var limit: SQLSyntax.Limit?
    /// Aggregate calls, each once, in the order first met.
    var aggregates: [SQLExpression] = []

    var isAggregate: Bool { !groupBy.isEmpty || !aggregates.isEmpty }

    init(_ select: SelectStatement, qualifier: ColumnQualifier) throws(PlanError) {
        distinct = select.distinct
        limit = select.limit
        let units = qualifier.units
        for item in select.columns {
            switch item {
            case .star(let table):
                let chosen = try table.map { t throws(PlanError) in
                    [try qualifier.unit(of: ColumnName(table: TableName(name: t.name), name: "*"))]
                } ?? Array(units.indices)
                for i in chosen {
                    guard let columns = units[i].columns else {
                        throw .unsupported("* over table \(units[i].name.name), whose columns the gateway does not know")
                    }
                    for c in columns {
                        items.append(Item(expression: .column(ColumnName(table: TableName(name: units[i].qualifier.lowercased()), name: c)), name: c))
                    }
                }
            case .expression(let e, let alias):
                let name: String
                if let alias { name = alias } else if case .column(let c) = e { name = c.name } else { name = SQLPrinter().print(e) }
                items.append(Item(expression: try qualifier.qualify(e), name: name, alias: alias))
            }
        }
        func aliased(_ name: String) -> Int? {
            items.firstIndex { $0.alias?.lowercased() == name.lowercased() }
        }
        func isTableColumn(_ name: String) -> Bool {
            units.contains { $0.columns?.contains(name.lowercased()) ?? (units.count == 1) }
        }
        // GROUP BY: a position, a table column, then a select alias.
        for g in select.groupBy {
            if case .literal(.integer(let n)) = g {
                guard n >= 1 && Int(n) <= items.count else { throw PlanError("Unknown column '\(n)' in 'group statement'") }
                guard !items[Int(n) - 1].expression.containsAggregate else { throw PlanError("Can't group on '\(items[Int(n) - 1].name)'") }
                groupBy.append(items[Int(n) - 1].expression)
            } else if case .column(let c) = g, c.table == nil, !isTableColumn(c.name), let i = aliased(c.name) {
                groupBy.append(items[i].expression)
            } else {
                groupBy.append(try qualifier.qualify(g))
            }
        }
        let groupedNames = Set(groupBy.compactMap { e -> String? in
            if case .column(let c) = e { return c.name.lowercased() }
            return nil
        })
        // HAVING: a grouped column, then a select alias, then a table column.
        if let h = select.having {
            having = try resolve(h, qualifier: qualifier) { name in
                groupedNames.contains(name.lowercased()) ? nil : aliased(name)
            }
        }
        // ORDER BY: a position, a select alias or item name, then a table column.
        for o in select.orderBy {
            if case .literal(.integer(let n)) = o.expression {
                guard n >= 1 && Int(n) <= items.count else { throw PlanError("Unknown column '\(n)' in 'order clause'") }
                order.append(Order(item: Int(n) - 1, expression: items[Int(n) - 1].expression, descending: o.descending))
                continue
            }
            if case .column(let c) = o.expression, c.table == nil {
                let byName = aliased(c.name) ?? items.firstIndex { item in
                    if item.alias == nil, case .column(let ic) = item.expression { return ic.name.lowercased() == c.name.lowercased() }
                    return false
                }
                if let i = byName {
                    order.append(Order(item: i, expression: items[i].expression, descending: o.descending))
                    continue
                }
            }
            let e = try resolve(o.expression, qualifier: qualifier) { aliased($0) }
            let key = SQLPrinter().print(e)
            let match = items.firstIndex { SQLPrinter().print($0.expression) == key }
            order.append(Order(item: match, expression: e, descending: o.descending))
        }
        var seen: Set<String> = []
        func collect(_ e: SQLExpression) {
            e.visit { node in
                if case .function(let call) = node, call.isAggregate {
                    if seen.insert(SQLPrinter().print(node)).inserted { aggregates.append(node) }
                    return false
                }
                return true
            }
        }
        items.forEach { collect($0.expression) }
        having.map(collect)
        order.forEach { collect($0.expression) }
    }

    /// Qualifies `e`, replacing unqualified names that `alias` maps to a select item by that
    /// item's expression.
    func resolve(_ e: SQLExpression, qualifier: ColumnQualifier, alias: (String) -> Int?) throws(PlanError) -> SQLExpression {
        var failure: PlanError?
        let result = e.rewritten { node in
            guard failure == nil, case .column(let c) = node, !ColumnQualifier.isSubqueryValue(c) else { return node }
            if c.table == nil, let i = alias(c.name) { return items[i].expression }
            do throws(PlanError) { return try qualifier.qualify(node) } catch {
                failure = error
                return node
            }
        }
        if let failure { throw failure }
        return result
    }
}
