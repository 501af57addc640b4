import SQLSyntax

/// Plans a statement into gateway primitives (Vitess's `planbuilder`): whatever one shard can
/// answer goes there whole; queries over several shards get a route per table group with the
/// merge operators above; uncorrelated subqueries run first; tables that no route joins are
/// joined in the gateway by nested loops. What it cannot plan is refused by name (VT12001).
public struct QueryPlanner {
    public let vschema: VSchema
    public let schema: SchemaColumns
    let routing: SingleRoutePlanner

    public init(vschema: VSchema, schema: SchemaColumns, defaultKeyspace: String? = nil) {
        self.vschema = vschema
        self.schema = schema
        var routing = SingleRoutePlanner(vschema: vschema, defaultKeyspace: defaultKeyspace)
        routing.refusesUnroutedConstructs = false
        self.routing = routing
    }

    public func plan(_ statement: SQLStatement) throws(PlanError) -> any Primitive {
        var counter = 0
        switch statement {
        case .select(let query): return try plan(query, counter: &counter)
        case .insert(let insert): return try InsertPlanner(planner: self).plan(insert, counter: &counter)
        case .update, .delete: return try planWrite(statement, counter: &counter)
        default: throw .unsupported("this statement in the gateway")
        }
    }

    // MARK: Routes

    /// A route through `vindexName` of `keyspace`; a lookup vindex reads its table first.
    func route(_ keyspace: KeyspaceVSchema, _ variant: RouteVariant, vindex vindexName: String?, values: [SQLExpression],
               statement: SQLStatement, orderBy: [SortKey] = []) -> Route {
        let vindex = vindexName.flatMap { keyspace.vindexes[$0] }
        return Route(keyspace: keyspace.name, variant: variant, vindex: vindex, values: values, statement: statement, orderBy: orderBy,
                     lookup: vindex.flatMap(lookupVindex))
    }

    /// The table behind a lookup vindex, and how its rows are placed.
    func lookupVindex(_ definition: VindexDefinition) -> LookupVindex? {
        guard definition.kind.isLookup, let table = definition.params["table"], let from = definition.params["from"],
              let to = definition.params["to"], !from.contains(",") else { return nil }
        let parts = table.split(separator: ".").map(String.init)
        let name = TableName(qualifier: parts.count == 2 ? parts[0] : nil, name: parts.last ?? table)
        guard let (keyspace, tableVSchema) = try? routing.resolve(name) else { return nil }
        let primary = tableVSchema?.columnVindexes.first
        let byFrom = primary.map { $0.columns.count == 1 && $0.columns[0].lowercased() == from.lowercased() } ?? false
        let tableVindex = keyspace.sharded && byFrom ? primary.flatMap { keyspace.vindexes[$0.vindex] } : nil
        let hashed = definition.kind.typeName.contains("_hash")
        var lookup = LookupVindex(name: definition.name, table: name.name, from: from, to: to, keyspace: keyspace.name,
                                  tableVindex: tableVindex, hash: hashed ? .hash : nil, scatter: keyspace.sharded && !byFrom)
        lookup.autocommit = definition.params["multi_shard_autocommit"] == "true" || definition.params["autocommit"] == "true"
        return lookup
    }

    // MARK: Queries

    func plan(_ query: SelectQuery, counter: inout Int) throws(PlanError) -> any Primitive {
        if let keyspace = routing.unshardedKeyspace(of: query) {
            return Route(keyspace: keyspace, variant: .unsharded, statement: .select(query))
        }
        switch query {
        case .select(let select): return try plan(select, counter: &counter)
        case .compound(let compound): return try plan(compound, counter: &counter)
        }
    }

    func plan(_ compound: CompoundSelect, counter: inout Int) throws(PlanError) -> any Primitive {
        let left = try plan(compound.left, counter: &counter)
        let right = try plan(compound.right, counter: &counter)
        var top: any Primitive
        if compound.op == .union {
            top = Concatenate(sources: [left, right])
            if !compound.all { top = Distinct(input: top) }
        } else {
            top = SetOperation(op: compound.op, all: compound.all, left: left, right: right)
        }
        if !compound.orderBy.isEmpty {
            // A UNION's ORDER BY names its result columns (those of the first SELECT) or positions.
            let first = compound.left.firstSelect
            var keys: [SortKey] = []
            for o in compound.orderBy {
                if case .literal(.integer(let n)) = o.expression, n >= 1, Int(n) <= first.columns.count {
                    keys.append(SortKey(column: Int(n) - 1, descending: o.descending))
                    continue
                }
                guard case .column(let c) = o.expression,
                      let i = first.columns.firstIndex(where: { item in
                          guard case .expression(let e, let alias) = item else { return false }
                          if let alias { return alias.lowercased() == c.name.lowercased() }
                          if case .column(let ic) = e { return ic.name.lowercased() == c.name.lowercased() }
                          return false
                      }) else {
                    throw .unsupported("ORDER BY \(SQLPrinter().print(o.expression)) over a UNION across shards")
                }
                keys.append(SortKey(column: i, descending: o.descending))
            }
            top = MemorySort(keys: keys, input: top)
        }
        if let limit = compound.limit { top = RowLimit(count: limit.count, offset: limit.offset, input: top) }
        return top
    }

    func plan(_ original: SelectStatement, counter: inout Int) throws(PlanError) -> any Primitive {
        // One shard answers the whole query: send it as it is.
        if let route = try? routing.plan(.select(.select(original))),
           [RouteVariant.unsharded.rawValue, RouteVariant.equalUnique.rawValue, RouteVariant.reference.rawValue].contains(route.variant),
           let keyspace = vschema.keyspaces[route.keyspace] {
            let whole = self.route(keyspace, RouteVariant(rawValue: route.variant) ?? .scatter, vindex: route.vindex, values: route.values,
                                   statement: .select(.select(original)))
            whole.answersWithoutShards = original.groupBy.isEmpty && original.columns.contains { item in
                if case .expression(let e, _) = item { return e.containsAggregate }
                return false
            }
            return whole
        }
        // Subqueries that do not read the outer query run first.
        var pullout = SubqueryPullout(schema: schema, counter: counter, outerTables: original.from.flatMap { $0.namedTables.map(\.table) })
        var select = original
        select.columns = select.columns.map { item in
            if case .expression(let e, let alias) = item { return .expression(pullout.pullOut(e), alias: alias) }
            return item
        }
        select.whereClause = select.whereClause.map { pullout.pullOut($0) }
        select.having = select.having.map { pullout.pullOut($0) }
        select.from = select.from.map { reference in
            reference.mappingJoinConditions { pullout.pullOut($0) }
        }
        counter = pullout.counter
        var top = pullout.correlated
            ? try CorrelatedSubqueryPlanner(planner: self).plan(select, counter: &counter)
            : try planWithoutSubqueries(select, counter: &counter)
        for pulled in pullout.pulled.reversed() {
            let inner = try plan(pulled.query, counter: &counter)
            top = UncorrelatedSubquery(kind: pulled.kind, name: pulled.name, subquery: inner, outer: top)
        }
        return top
    }

    func planWithoutSubqueries(_ select: SelectStatement, counter: inout Int) throws(PlanError) -> any Primitive {
        if select.from.count == 1, case .derived(let inner, let alias) = select.from[0] {
            return try planOverDerivedTable(select, inner: inner, alias: alias, counter: &counter)
        }
        let units = try tableUnits(select)
        if units.isEmpty {
            // No table: any shard of the default keyspace evaluates it.
            guard let keyspace = routing.defaultKeyspace ?? vschema.keyspaceNames.first else { throw PlanError("No database selected") }
            return Route(keyspace: keyspace, variant: .reference, statement: .select(.select(select)))
        }
        let qualifier = ColumnQualifier(units: units)
        let shape = try SelectShape(select, qualifier: qualifier)
        let horizon = HorizonPlanner(shape: shape)
        let single: SingleRoute?
        do { single = try routing.plan(.select(.select(select))) } catch {
            if !error.message.contains("cross-shard join") && !error.message.contains("across keyspaces")
                && !error.message.contains("not on their primary vindex") {
                throw error
            }
            single = nil
        }
        if let single, let keyspace = vschema.keyspaces[single.keyspace] {
            var qualified = select
            qualified.whereClause = try select.whereClause.map { e throws(PlanError) in try qualifier.qualify(e) }
            qualified.from = try select.from.map { r throws(PlanError) in try r.qualifyingJoinConditions(qualifier) }
            let variant = RouteVariant(rawValue: single.variant) ?? .scatter
            return try horizon.planOverRoute(qualified) { statement, keys in
                route(keyspace, variant, vindex: single.vindex, values: single.values, statement: .select(.select(statement)), orderBy: keys)
            }
        }
        var conjuncts: [SQLExpression] = []
        if let w = select.whereClause { conjuncts += VindexPredicates.conjuncts(try qualifier.qualify(w)) }
        for condition in JoinPlanner.innerJoinConditions(select.from) {
            conjuncts += VindexPredicates.conjuncts(try qualifier.qualify(condition))
        }
        let needed = shape.items.map(\.expression) + shape.groupBy + (shape.having.map { [$0] } ?? []) + shape.order.map(\.expression)
        let (join, layout) = try JoinPlanner(planner: self, units: units, qualifier: qualifier).plan(conjuncts: conjuncts, needed: needed)
        return try horizon.planInGateway(join, layout: layout)
    }

    /// A query over one derived table: the inner query is planned on its own, and the outer
    /// query's conditions and horizon are computed in the gateway over its rows.
    func planOverDerivedTable(_ select: SelectStatement, inner: SelectQuery, alias: String, counter: inout Int) throws(PlanError) -> any Primitive {
        let input = try plan(inner, counter: &counter)
        let first = inner.firstSelect
        var names: [String] = []
        for item in first.columns {
            switch item {
            case .expression(let e, let a):
                if let a { names.append(a.lowercased()) } else if case .column(let c) = e { names.append(c.name.lowercased()) } else {
                    names.append(SQLPrinter().print(e).lowercased())
                }
            case .star(let t):
                let tables = first.from.flatMap(\.namedTables).filter { t == nil || ($0.alias ?? $0.table.name) == t?.name }
                for entry in tables {
                    guard let columns = schema.columns(of: entry.table.name) else {
                        throw .unsupported("* in a derived table over \(entry.table.name), whose columns the gateway does not know")
                    }
                    names += columns
                }
            }
        }
        guard let keyspace = vschema.keyspaces[routing.defaultKeyspace ?? ""] ?? vschema.keyspaces.values.first else {
            throw PlanError("No database selected")
        }
        let unit = TableUnit(name: TableName(name: alias), qualifier: alias, keyspace: keyspace, table: nil, columns: names)
        let qualifier = ColumnQualifier(units: [unit])
        let shape = try SelectShape(select, qualifier: qualifier)
        let layout = names.map { SQLExpression.column(ColumnName(table: TableName(name: alias.lowercased()), name: $0)) }
        var top = input
        if let w = select.whereClause {
            let condition = try qualifier.qualify(w)
            try HorizonPlanner.check([condition], over: layout)
            top = Filter(predicate: condition, layout: layout, input: top)
        }
        return try HorizonPlanner(shape: shape).planInGateway(top, layout: layout)
    }

    /// The tables of a FROM clause, in order, with how each joins those before it.
    func tableUnits(_ select: SelectStatement) throws(PlanError) -> [TableUnit] {
        var units: [TableUnit] = []
        func unit(_ name: TableName, _ alias: String?) throws(PlanError) -> TableUnit {
            let (keyspace, table) = try routing.resolve(name)
            return TableUnit(name: name, qualifier: alias ?? name.name, keyspace: keyspace, table: table,
                             columns: schema.columns(of: name.name) ?? table.flatMap { $0.columnListAuthoritative ? $0.columns.map { $0.name.lowercased() } : nil })
        }
        func add(_ reference: TableReference) throws(PlanError) {
            switch reference {
            case .table(let name, let alias): units.append(try unit(name, alias))
            case .derived: throw .unsupported("a derived table across shards")
            case .join(let join):
                switch join.kind {
                case .inner, .cross, .straight:
                    try add(join.left)
                    try add(join.right)
                case .left:
                    try add(join.left)
                    guard case .table(let name, let alias) = join.right else { throw .unsupported("LEFT JOIN of a join across shards") }
                    var right = try unit(name, alias)
                    right.joinKind = .left
                    guard case .on(let condition)? = join.condition else { throw .unsupported("LEFT JOIN without ON across shards") }
                    right.onCondition = condition
                    units.append(right)
                default:
                    throw .unsupported("\(join.kind.rawValue) across shards")
                }
                if case .using? = join.condition { throw .unsupported("JOIN ... USING across shards") }
            }
        }
        for reference in select.from { try add(reference) }
        return units
    }

    // MARK: Writes

    func planWrite(_ statement: SQLStatement, counter: inout Int) throws(PlanError) -> any Primitive {
        let (table, alias, whereClause): (TableName, String?, SQLExpression?)
        var limited = false
        switch statement {
        case .update(let u):
            (table, alias, whereClause) = (u.table, u.alias, u.whereClause)
            limited = u.limit != nil
        case .delete(let d):
            (table, alias, whereClause) = (d.table, d.alias, d.whereClause)
            limited = d.limit != nil
        default: throw .unsupported("this statement")
        }
        let (keyspace, tableVSchema) = try routing.resolve(table)
        if case .update(let u) = statement, keyspace.sharded, let primary = tableVSchema?.columnVindexes.first,
           u.assignments.contains(where: { a in primary.columns.contains { $0.lowercased() == a.column.name.lowercased() } }) {
            throw .unsupported("changing the primary vindex column (\(primary.columns.joined(separator: ", ")))")
        }
        // Subqueries run first through the gateway: a node must not read only its own part.
        var pullout = SubqueryPullout(schema: schema, counter: counter, outerTables: [table])
        let rewritten = whereClause.map { pullout.pullOut($0) }
        var write = statement
        switch write {
        case .update(var u):
            u.whereClause = rewritten
            u.assignments = u.assignments.map { Assignment(column: $0.column, value: pullout.pullOut($0.value)) }
            write = .update(u)
        case .delete(var d):
            d.whereClause = rewritten
            write = .delete(d)
        default: break
        }
        counter = pullout.counter
        if pullout.correlated { throw .unsupported("a correlated subquery in a write across shards") }
        var top: any Primitive
        if keyspace.sharded, tableVSchema?.kind == .reference, tableVSchema?.source == nil {
            // A reference table lives on every shard: every shard applies the write.
            top = Route(keyspace: keyspace.name, variant: .scatter, statement: write)
        } else {
            let op: SingleRoute.Operator = { if case .update = statement { return .update } else { return .delete } }()
            let route = try routing.route(op, table, alias: alias, whereClause: rewritten)
            let variant = RouteVariant(rawValue: route.variant) ?? .scatter
            if limited && ![.unsharded, .equalUnique].contains(variant) {
                throw .unsupported("multi shard \(op == .update ? "UPDATE" : "DELETE") with LIMIT")
            }
            let routeKeyspace = vschema.keyspaces[route.keyspace] ?? keyspace
            top = self.route(routeKeyspace, variant, vindex: route.vindex, values: route.values, statement: write)
            if let owner = tableVSchema, let ownedWrite = try ownedLookupWrite(write, table: owner, keyspace: routeKeyspace, route: route, write: top) {
                top = ownedWrite
            }
        }
        for pulled in pullout.pulled.reversed() {
            let inner = try plan(pulled.query, counter: &counter)
            top = UncorrelatedSubquery(kind: pulled.kind, name: pulled.name, subquery: inner, outer: top)
        }
        return top
    }
}

extension QueryPlanner {
    /// The lookup vindexes a table owns: each one's column and lookup.
    func ownedLookups(of table: TableVSchema, in keyspace: KeyspaceVSchema) -> [(column: String, lookup: LookupVindex)] {
        table.columnVindexes.dropFirst().compactMap { cv in
            guard cv.columns.count == 1, let definition = keyspace.vindexes[cv.vindex], definition.owner == table.name,
                  let lookup = lookupVindex(definition) else { return nil }
            return (cv.columns[0].lowercased(), lookup)
        }
    }

    /// An UPDATE of owned lookup columns or a DELETE of a table owning lookups, wrapped so the
    /// lookup rows follow; nil when the write touches no owned lookup.
    func ownedLookupWrite(_ statement: SQLStatement, table: TableVSchema, keyspace: KeyspaceVSchema, route: SingleRoute,
                          write: any Primitive) throws(PlanError) -> (any Primitive)? {
        guard keyspace.sharded, let primaryVindex = table.columnVindexes.first, primaryVindex.columns.count == 1,
              let function = keyspace.vindexes[primaryVindex.vindex]?.kind.function else { return nil }
        var owned: [(column: String, entry: OwnedLookupWrite.Owned)] = []
        let whereClause: SQLExpression?
        let name: TableName
        switch statement {
        case .delete(let d):
            (whereClause, name) = (d.whereClause, d.table)
            owned = ownedLookups(of: table, in: keyspace).map { ($0.column, OwnedLookupWrite.Owned(lookup: $0.lookup, newValue: nil)) }
        case .update(let u):
            (whereClause, name) = (u.whereClause, u.table)
            for (column, lookup) in ownedLookups(of: table, in: keyspace) {
                guard let assignment = u.assignments.last(where: { $0.column.name.lowercased() == column }) else { continue }
                var readsColumn = false
                assignment.value.visit { node in
                    if case .column = node { readsColumn = true }
                    return !readsColumn
                }
                if readsColumn { throw .unsupported("setting an owned lookup vindex column from other columns") }
                owned.append((column, OwnedLookupWrite.Owned(lookup: lookup, newValue: assignment.value)))
            }
        default:
            return nil
        }
        guard !owned.isEmpty else { return nil }
        let columns = [primaryVindex.columns[0]] + owned.map(\.column)
        let select = SelectStatement(columns: columns.map { .expression(.column(ColumnName(name: $0)), alias: nil) },
                                     from: [.table(name, alias: nil)], whereClause: whereClause, lock: .forUpdate)
        let read = self.route(keyspace, RouteVariant(rawValue: route.variant) ?? .scatter, vindex: route.vindex, values: route.values,
                              statement: .select(.select(select)))
        return OwnedLookupWrite(select: read, owned: owned.map(\.entry), primary: function, write: write)
    }
}

extension TableReference {
    /// The reference with `transform` applied to its joins' ON conditions.
    func mappingJoinConditions(_ transform: (SQLExpression) -> SQLExpression) -> TableReference {
        guard case .join(var j) = self else { return self }
        j.left = j.left.mappingJoinConditions(transform)
        j.right = j.right.mappingJoinConditions(transform)
        if case .on(let e)? = j.condition { j.condition = .on(transform(e)) }
        return .join(j)
    }

    func qualifyingJoinConditions(_ qualifier: ColumnQualifier) throws(PlanError) -> TableReference {
        var failure: PlanError?
        let result = mappingJoinConditions { e in
            do throws(PlanError) { return try qualifier.qualify(e) } catch {
                failure = failure ?? error
                return e
            }
        }
        if let failure { throw failure }
        return result
    }
}
