import SQLSyntax

/// A statement whose result and changes depend only on the rows of one table with given integer
/// primary keys: a non-locking single-table SELECT that pins the key by equality (`id = 5`,
/// `id IN (5, 6)`), or an INSERT ... VALUES that gives every row's key, into a table with no
/// other unique key. No subquery may appear anywhere. Such a statement gives the same answer over
/// uncommitted changes of other rows as over committed data; a semi-sync primary uses this to run
/// it beside commits held open for their acks (see `MySQLStorage.heldCommitsLeave`).
struct PointAccess {
    /// Where a key comes from.
    enum Key {
        case literal(Int64)
        case binding(Int)
    }

    /// The table, as the catalog names it.
    let table: String
    /// The keys the statement reads or inserts (a read may name more than its rows have;
    /// more keys only make the check more conservative).
    let keys: [Key]
    /// For an insert, the values that are stored as given: in the key column's range, and not
    /// 0 if the column is AUTO_INCREMENT (0 takes the next counter value).
    private var stored: (range: ClosedRange<Int64>, zeroGenerates: Bool)?

    /// `statement` as a point access against `catalog`; nil when it is not one.
    init?(_ statement: SQLStatement, catalog: Catalog) {
        guard !statement.containsSubquery else { return nil }
        switch statement {
        case .select(let query): self.init(read: query, catalog: catalog)
        case .insert(let insert): self.init(insert: insert, catalog: catalog)
        default: return nil
        }
    }

    private init?(read query: SelectQuery, catalog: Catalog) {
        guard case .select(let select) = query, select.lock == nil, select.from.count == 1,
              case .table(let name, _) = select.from[0], name.qualifier == nil,
              let schema = catalog.table(name.name), let rowID = schema.rowIDColumn,
              let condition = select.whereClause else { return nil }
        let column = schema.columns[rowID].name
        var keys: [Key] = []
        for conjunct in AbsentKeyLocks.conjuncts(condition) {
            switch conjunct {
            case .binary(.equal, .column(let c), let value) where c.name.caseInsensitiveEquals(column),
                 .binary(.equal, let value, .column(let c)) where c.name.caseInsensitiveEquals(column):
                guard let key = Self.key(value) else { return nil }
                keys.append(key)
            case .inList(.column(let c), let values, negated: false) where c.name.caseInsensitiveEquals(column):
                for value in values {
                    guard let key = Self.key(value) else { return nil }
                    keys.append(key)
                }
            default:
                continue
            }
        }
        guard !keys.isEmpty else { return nil }
        table = schema.name
        self.keys = keys
    }

    private init?(insert: InsertStatement, catalog: Catalog) {
        guard !insert.replace, !insert.ignore, insert.onDuplicateKeyUpdate.isEmpty, insert.table.qualifier == nil,
              case .values(let rows) = insert.source, let schema = catalog.table(insert.table.name),
              let rowID = schema.rowIDColumn, let range = schema.columns[rowID].type.integerRange,
              catalog.writeProfile(schema.name)?.lockedKeys.isEmpty == true else { return nil }
        let position = insert.columns.isEmpty ? rowID : insert.columns.firstIndex { $0.caseInsensitiveEquals(schema.columns[rowID].name) }
        guard let position else { return nil }
        var keys: [Key] = []
        for row in rows {
            guard position < row.count, let key = Self.key(row[position]) else { return nil }
            keys.append(key)
        }
        guard !keys.isEmpty else { return nil }
        table = schema.name
        self.keys = keys
        stored = (range, schema.columns[rowID].autoIncrement)
    }

    /// The keys under `bindings`; nil when a bound key is not an integer (a string or a decimal
    /// converts as MySQL compares, which this does not follow), or an inserted key would not be
    /// stored as given.
    func rowIDs(_ bindings: [SQLValue]) -> [Int64]? {
        var ids: [Int64] = []
        ids.reserveCapacity(keys.count)
        for key in keys {
            switch key {
            case .literal(let v): ids.append(v)
            case .binding(let index):
                guard bindings.indices.contains(index), case .integer(let v) = bindings[index] else { return nil }
                ids.append(v)
            }
            if let stored, let id = ids.last, !stored.range.contains(id) || (id == 0 && stored.zeroGenerates) { return nil }
        }
        return ids
    }

    static func key(_ e: SQLExpression) -> Key? {
        switch e {
        case .literal(.integer(let v)): .literal(v)
        case .unary(.minus, .literal(.integer(let v))) where v != .min: .literal(-v)
        case .parameter(nil, let index): .binding(index)
        default: nil
        }
    }
}
