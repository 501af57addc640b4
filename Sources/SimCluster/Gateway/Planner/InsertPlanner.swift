import SQLSyntax

/// Plans INSERT and REPLACE: the table's keyspace, and for a sharded table the primary vindex
/// column whose value places each row (Vitess's `insert` planning; no sequences yet).
struct InsertPlanner {
    let planner: QueryPlanner

    func plan(_ original: InsertStatement, counter: inout Int) throws(PlanError) -> any Primitive {
        // Subqueries in VALUES and ON DUPLICATE KEY UPDATE run first, through the gateway.
        var pullout = SubqueryPullout(schema: planner.schema, counter: counter)
        var insert = original
        if case .values(let rows) = insert.source {
            insert.source = .values(rows.map { $0.map { pullout.pullOut($0) } })
        }
        insert.onDuplicateKeyUpdate = insert.onDuplicateKeyUpdate.map { Assignment(column: $0.column, value: pullout.pullOut($0.value)) }
        counter = pullout.counter
        if pullout.correlated { throw .unsupported("a correlated subquery in an INSERT") }
        var source: (any Primitive)?
        if case .select(let query) = insert.source {
            let (keyspace, _) = try planner.routing.resolve(insert.table)
            let readsOwnKeyspaceOnly = SingleRoutePlanner.tableNames(in: query).allSatisfy { name in
                (try? planner.routing.resolve(name).0.name) == keyspace.name
            }
            // An unsharded keyspace can run it whole; anywhere else the gateway runs the query.
            if keyspace.sharded || !readsOwnKeyspaceOnly { source = try planner.plan(query, counter: &counter) }
        }
        var top = try plan(insert, source: source)
        for pulled in pullout.pulled.reversed() {
            let inner = try planner.plan(pulled.query, counter: &counter)
            top = UncorrelatedSubquery(kind: pulled.kind, name: pulled.name, subquery: inner, outer: top)
        }
        return top
    }

    func plan(_ insert: InsertStatement, source: (any Primitive)?) throws(PlanError) -> any Primitive {
        let (keyspace, table) = try planner.routing.resolve(insert.table)
        guard keyspace.sharded, let table else {
            return Insert(keyspace: keyspace.name, mode: .unsharded, statement: insert, source: source)
        }
        if table.kind == .reference {
            if table.source != nil { throw .unsupported("an insert into a reference table with a source") }
            return Insert(keyspace: keyspace.name, mode: .everyShard, statement: insert, source: source)
        }
        guard let primary = table.columnVindexes.first, primary.columns.count == 1,
              let vindex = keyspace.vindexes[primary.vindex], vindex.kind.function != nil else {
            throw .unsupported("an insert into a table whose primary vindex is not a functional single-column vindex")
        }
        let column = primary.columns[0].lowercased()
        let columns = insert.columns.isEmpty ? (planner.schema.columns(of: insert.table.name) ?? []) : insert.columns.map { $0.lowercased() }
        guard let position = columns.firstIndex(of: column) else {
            throw .unsupported("an insert that does not give the primary vindex column \(primary.columns[0])")
        }
        if insert.onDuplicateKeyUpdate.contains(where: { $0.column.name.lowercased() == column }) {
            throw .unsupported("ON DUPLICATE KEY UPDATE of the primary vindex column")
        }
        // Lookup vindexes the table owns get a row for each inserted row.
        var owned: [(lookup: LookupVindex, column: Int)] = []
        for cv in table.columnVindexes.dropFirst() where cv.columns.count == 1 {
            guard let definition = keyspace.vindexes[cv.vindex], definition.owner == table.name,
                  let lookup = planner.lookupVindex(definition),
                  let at = columns.firstIndex(of: cv.columns[0].lowercased()) else { continue }
            owned.append((lookup, at))
        }
        if !owned.isEmpty, source != nil { throw .unsupported("INSERT ... SELECT into a table that owns lookup vindexes") }
        return Insert(keyspace: keyspace.name, mode: .sharded, statement: insert, vindex: vindex, vindexColumn: position, source: source,
                      owned: owned)
    }
}
