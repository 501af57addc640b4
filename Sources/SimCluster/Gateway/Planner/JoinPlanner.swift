import SQLSyntax

/// Joins tables that no single route can join, in the gateway (Vitess's `Join` operator): a
/// route per table, each run once per row of the tables joined before it, with the columns it
/// needs from them as bind variables. Tables are joined greedily: next the one that the most
/// conditions tie to those already joined (then the most filtered), so that each route is
/// narrowed by bind variables instead of multiplying rows; with a LEFT JOIN, FROM order stays.
/// Each condition goes to the first table by which every table it reads is available; WHERE
/// conditions on a LEFT JOIN's table apply after the join.
struct JoinPlanner {
    let planner: QueryPlanner
    let units: [TableUnit]
    let qualifier: ColumnQualifier

    /// The join of `units` filtered by `conjuncts` (qualified), returning the columns that
    /// `needed` read, and what each of its columns holds.
    func plan(conjuncts: [SQLExpression], needed neededExpressions: [SQLExpression]) throws(PlanError) -> (any Primitive, [SQLExpression]) {
        var pushable: [(condition: SQLExpression, reads: Set<Int>)] = []
        var residual: [SQLExpression] = []
        for c in conjuncts {
            let reads = try qualifier.units(of: c)
            if reads.contains(where: { units[$0].joinKind == .left }) { residual.append(c) } else { pushable.append((c, reads)) }
        }
        for (k, unit) in units.enumerated() where unit.joinKind == .left {
            guard let on = unit.onCondition else { continue }
            let qualified = try qualifier.qualify(on)
            let reads = try qualifier.units(of: qualified)
            guard reads.allSatisfy({ $0 <= k }) else { throw .unsupported("a LEFT JOIN condition on a table joined after it") }
            for c in VindexPredicates.conjuncts(qualified) { pushable.append((c, try qualifier.units(of: c).union([k]))) }
        }
        let order = joinOrder(pushable)
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        var assigned: [[SQLExpression]] = units.map { _ in [] }
        for (c, reads) in pushable {
            assigned[reads.max { position[$0]! < position[$1]! } ?? order[0]].append(c)
        }
        // The columns each table must return: what the caller reads, what the residual reads,
        // and what later tables' conditions take from it.
        var needed: [Set<String>] = units.map { _ in [] }
        func note(_ e: SQLExpression) {
            e.visit { node in
                if case .column(let c) = node, let q = c.table?.name,
                   let i = units.firstIndex(where: { $0.qualifier.lowercased() == q }) {
                    needed[i].insert(c.name)
                }
                return true
            }
        }
        neededExpressions.forEach(note)
        residual.forEach(note)
        // A table's own conditions run on its shards: only other tables' columns must be returned.
        for (k, conditions) in assigned.enumerated() {
            let own = needed[k]
            conditions.forEach(note)
            needed[k] = own
        }
        var layout: [SQLExpression] = []
        var top: (any Primitive)?
        for k in order {
            let unit = units[k]
            let q = unit.qualifier.lowercased()
            let columns = (unit.columns ?? needed[k].sorted()).filter { needed[k].contains($0) }
            let own = columns.map { SQLExpression.column(ColumnName(table: TableName(name: q), name: $0)) }
            // Columns of tables joined earlier become bind variables.
            var variables: [(name: String, column: Int)] = []
            let conditions = assigned[k].map { c in
                c.rewritten { node in
                    guard case .column(let col) = node, let t = col.table?.name, t != q,
                          let at = layout.firstIndex(of: node) else { return node }
                    let name = "\(t)_\(col.name)"
                    if !variables.contains(where: { $0.name == name }) { variables.append((name, at)) }
                    return .parameter(name: name, index: -1)
                }
            }
            let whereClause = conditions.reduce(nil as SQLExpression?) { acc, c in acc.map { .binary(.and, $0, c) } ?? c }
            let items: [SelectItem] = own.isEmpty ? [.expression(.integer(1), alias: nil)] : own.map { .expression($0, alias: nil) }
            let statement = SelectStatement(columns: items, from: [unit.reference], whereClause: whereClause)
            let single = try planner.routing.route(.route, unit.name, alias: unit.qualifier, whereClause: whereClause)
            let keyspace = planner.vschema.keyspaces[single.keyspace] ?? unit.keyspace
            let route = planner.route(keyspace, RouteVariant(rawValue: single.variant) ?? .scatter, vindex: single.vindex,
                                      values: single.values, statement: .select(.select(statement)))
            if let left = top {
                top = Join(kind: unit.joinKind == .left ? .left : .inner, left: left, right: route, joinVariables: variables, rightWidth: items.count)
            } else {
                top = route
            }
            layout += own.isEmpty ? [.integer(1)] : own
        }
        guard var result = top else { throw .unsupported("a query without tables across shards") }
        if !residual.isEmpty {
            let predicate = residual.dropFirst().reduce(residual[0]) { .binary(.and, $0, $1) }
            result = Filter(predicate: predicate, layout: layout, input: result)
        }
        return (result, layout)
    }

    /// The order to join the tables in.
    func joinOrder(_ conditions: [(condition: SQLExpression, reads: Set<Int>)]) -> [Int] {
        if units.contains(where: { $0.joinKind == .left }) { return Array(units.indices) }
        var placed: [Int] = []
        var remaining = Array(units.indices)
        while !remaining.isEmpty {
            let available = Set(placed)
            func score(_ u: Int) -> (Int, Int, Int) {
                var connecting = 0
                var applicable = 0
                for (c, reads) in conditions where reads.contains(u) && reads.isSubset(of: available.union([u])) {
                    applicable += 1
                    if reads.count > 1, case .binary(.equal, _, _) = c { connecting += 1 }
                }
                return (connecting, applicable, -u)
            }
            let best = remaining.max { score($0) < score($1) }!
            placed.append(best)
            remaining.removeAll { $0 == best }
        }
        return placed
    }

    /// The ON conditions of inner joins (they filter like WHERE).
    static func innerJoinConditions(_ from: [TableReference]) -> [SQLExpression] {
        var found: [SQLExpression] = []
        func visit(_ r: TableReference) {
            guard case .join(let j) = r else { return }
            visit(j.left)
            visit(j.right)
            if j.kind != .left, case .on(let e)? = j.condition { found.append(e) }
        }
        from.forEach(visit)
        return found
    }
}
