import SQLSyntax

/// Plans INSERT and REPLACE: the table's keyspace, and for a sharded table the primary vindex
/// column whose value places each row (Vitess's `insert` planning; no sequences yet).
struct InsertPlanner {
    let planner: QueryPlanner

    func plan(_ insert: InsertStatement) throws(PlanError) -> any Primitive {
        let (keyspace, table) = try planner.routing.resolve(insert.table)
        guard keyspace.sharded, let table else {
            return Insert(keyspace: keyspace.name, mode: .unsharded, statement: insert)
        }
        if table.kind == .reference {
            if table.source != nil { throw .unsupported("an insert into a reference table with a source") }
            return Insert(keyspace: keyspace.name, mode: .everyShard, statement: insert)
        }
        guard case .values = insert.source else { throw .unsupported("INSERT ... SELECT into a sharded table") }
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
        return Insert(keyspace: keyspace.name, mode: .sharded, statement: insert, vindex: vindex, vindexColumn: position)
    }
}
