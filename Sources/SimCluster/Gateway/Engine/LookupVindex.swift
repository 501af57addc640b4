import SQLSyntax

/// A lookup vindex backed by its table in the cluster (Vitess's `lookup`, `lookup_unique`,
/// `lookup_hash`, `lookup_hash_unique`, `consistent_lookup*`): rows `(from, to)` say which
/// keyspace id holds each value. `to` is the keyspace id itself, or for the `_hash` kinds the
/// owner's primary key, hashed to the keyspace id. Reads and the owner's writes reach the lookup
/// table through routes of its own (it is itself a table of some keyspace).
public struct LookupVindex {
    public let name: String
    public let table: String
    public let from: String
    public let to: String
    /// The keyspace of the lookup table and the vindex its rows are placed by (nil: unsharded).
    public let keyspace: String
    public let tableVindex: VindexDefinition?
    /// For the `_hash` kinds: the function that turns `to` into a keyspace id.
    public let hash: FunctionalVindex?
    /// The lookup table is sharded but not by `from`: reading it asks every shard.
    public let scatter: Bool
    /// Its rows are written outside the owner's transaction (`multi_shard_autocommit`).
    public var autocommit = false

    public init(name: String, table: String, from: String, to: String, keyspace: String, tableVindex: VindexDefinition?,
                hash: FunctionalVindex?, scatter: Bool = false) {
        self.scatter = scatter
        self.name = name
        self.table = table
        self.from = from
        self.to = to
        self.keyspace = keyspace
        self.tableVindex = tableVindex
        self.hash = hash
    }

    var tableName: TableName { TableName(name: table) }

    /// A route for a statement on the lookup table placed by `values` of `from`.
    func route(_ statement: SQLStatement, values: [SQLExpression]) -> Route {
        guard let tableVindex else { return Route(keyspace: keyspace, variant: scatter ? .scatter : .unsharded, statement: statement) }
        let variant: RouteVariant = values.count == 1 ? .equalUnique : .in
        return Route(keyspace: keyspace, variant: variant, vindex: tableVindex, values: values, statement: statement)
    }

    /// `SELECT from, to FROM table WHERE from IN (values)`.
    func read(_ values: [SQLExpression]) -> Route {
        let select = SelectStatement(columns: [.expression(.column(from, table: nil), alias: nil), .expression(.column(to, table: nil), alias: nil)],
                                     from: [.table(tableName, alias: nil)],
                                     whereClause: .inList(.column(from, table: nil), values, negated: false))
        return route(.select(.select(select)), values: values)
    }

    /// The keyspace id a `to` value stands for.
    func keyspaceID(_ to: SQLValue) -> [UInt8]? {
        if to.isNull { return nil }
        if let hash { return hash.keyspaceID(VindexValue(to)) }
        switch to {
        case .bytes(let b): return b
        case .text(let s): return Array(s.utf8)
        default: return VindexValue(to).rawBytes
        }
    }

    /// The value stored as `to` for a row placed at `keyspaceID` whose primary vindex value is `primary`.
    func toValue(keyspaceID: [UInt8], primary: SQLValue) -> SQLValue { hash == nil ? .bytes(keyspaceID) : primary }

    /// Inserts `(from, to)` rows (NULL `from` values are not indexed).
    func insert(_ rows: [(from: SQLValue, to: SQLValue)], ignore: Bool) -> (any Primitive)? {
        let kept = rows.filter { !$0.from.isNull }
        guard !kept.isEmpty else { return nil }
        let statement = InsertStatement(ignore: ignore, table: tableName, columns: [from, to],
                                        source: .values(kept.map { [$0.from.sqlLiteral, $0.to.sqlLiteral] }))
        let insert = tableVindex.map { Insert(keyspace: keyspace, mode: .sharded, statement: statement, vindex: $0, vindexColumn: 0) }
            ?? Insert(keyspace: keyspace, mode: scatter ? .everyShard : .unsharded, statement: statement)
        insert.autocommit = autocommit
        return insert
    }

    /// Deletes the row `(from, to)`.
    func delete(from value: SQLValue, to target: SQLValue) -> Route {
        let condition = SQLExpression.binary(.and, .binary(.equal, .column(from, table: nil), value.sqlLiteral),
                                             .binary(.equal, .column(to, table: nil), target.sqlLiteral))
        return route(.delete(DeleteStatement(table: tableName, whereClause: condition)), values: [value.sqlLiteral])
    }
}
