import SQLSyntax

/// A table of a query's FROM as the planner sees it: where it lives, what the query calls it,
/// its columns (when known), and how it joins the tables before it.
struct TableUnit {
    enum JoinKind { case inner, left }

    let name: TableName
    /// What the query calls it: its alias, or its name.
    let qualifier: String
    let keyspace: KeyspaceVSchema
    let table: TableVSchema?
    let columns: [String]?
    var joinKind: JoinKind = .inner
    /// A LEFT JOIN's ON condition (inner joins' conditions join the WHERE clause).
    var onCondition: SQLExpression?

    var reference: TableReference { .table(name, alias: qualifier == name.name ? nil : qualifier) }
}

/// Column references made explicit: every column of a query over several tables is qualified
/// by its table's name in the query, lowercased, so that the planner can tell which table each
/// condition and expression reads.
struct ColumnQualifier {
    /// The table name of the columns that stand for correlated subqueries' values.
    static let subqueryTable = "__sq"

    let units: [TableUnit]

    static func isSubqueryValue(_ c: ColumnName) -> Bool { c.table?.name == subqueryTable }

    /// The unit a column belongs to.
    func unit(of column: ColumnName) throws(PlanError) -> Int {
        let name = column.name.lowercased()
        if let q = column.table?.name.lowercased() {
            guard let i = units.firstIndex(where: { $0.qualifier.lowercased() == q }) else {
                throw PlanError("Unknown column '\(column)' in 'field list'")
            }
            return i
        }
        if units.count == 1 { return 0 }
        let owners = units.indices.filter { units[$0].columns?.contains(name) ?? false }
        if owners.count == 1 { return owners[0] }
        if owners.count > 1 { throw PlanError("Column '\(column.name)' in field list is ambiguous") }
        if units.contains(where: { $0.columns == nil }) {
            throw PlanError.unsupported("a column of a table whose columns the gateway does not know: \(column.name)")
        }
        throw PlanError("Unknown column '\(column.name)' in 'field list'")
    }

    func qualify(_ e: SQLExpression) throws(PlanError) -> SQLExpression {
        var failure: PlanError?
        let result = e.rewritten { node in
            guard failure == nil, case .column(let c) = node, !Self.isSubqueryValue(c) else { return node }
            do throws(PlanError) {
                let i = try unit(of: c)
                return .column(ColumnName(table: TableName(name: units[i].qualifier.lowercased()), name: c.name.lowercased()))
            } catch {
                failure = error
                return node
            }
        }
        if let failure { throw failure }
        return result
    }

    /// The units an expression reads.
    func units(of e: SQLExpression) throws(PlanError) -> Set<Int> {
        var found: Set<Int> = []
        var failure: PlanError?
        e.visit { node in
            if case .column(let c) = node, !Self.isSubqueryValue(c) {
                do throws(PlanError) { found.insert(try unit(of: c)) } catch { failure = failure ?? error }
            }
            return true
        }
        if let failure { throw failure }
        return found
    }
}
