import SQLSyntax

/// A statement's route when one route answers it: its operator (Route for queries, Insert,
/// Update, Delete), variant, keyspace and vindex values, as Vitess's plans describe them.
public struct SingleRoute: Sendable, Equatable {
    public enum Operator: String, Sendable { case route = "Route", insert = "Insert", update = "Update", delete = "Delete" }

    public var `operator`: Operator
    /// Route variant; for inserts `Sharded` or `Unsharded`.
    public var variant: String
    public var keyspace: String
    public var vindex: String?
    public var values: [SQLExpression]
}

/// What the planner does not handle (yet), by name: never a guessed route.
public struct PlanError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    static func unsupported(_ what: String) -> PlanError { PlanError("VT12001: unsupported: \(what)") }
}

/// Plans statements that touch one table (or tables of one unsharded keyspace) into one route.
/// Joins across sharded tables, subqueries, unions and the like are refused by name for now.
public struct SingleRoutePlanner {
    public let vschema: VSchema
    /// The keyspace of unqualified names that no other keyspace claims.
    public let defaultKeyspace: String?
    /// Whether a predicate that Vitess routes by and this planner cannot (a range on an ordered
    /// vindex, a multi-column vindex, MultiEqual...) is refused rather than scattered. Comparing
    /// plans with Vitess's needs the refusal; running a query only needs a correct route, and a
    /// scatter always is one.
    public var refusesUnroutedConstructs = true

    public init(vschema: VSchema, defaultKeyspace: String? = nil) {
        self.vschema = vschema
        self.defaultKeyspace = defaultKeyspace
    }

    /// The keyspace and table a name refers to.
    func resolve(_ name: TableName) throws(PlanError) -> (KeyspaceVSchema, TableVSchema?) {
        if let qualifier = name.qualifier {
            guard let keyspace = vschema.keyspaces[qualifier] else { throw PlanError("VT05003: unknown database '\(qualifier)' in vschema") }
            if !keyspace.sharded { return (keyspace, keyspace.tables[name.name]) }
            guard let table = keyspace.tables[name.name] else { throw PlanError("VT05004: table '\(name.name)' does not exist") }
            return (keyspace, table)
        }
        let owners = vschema.keyspaceNames.compactMap { ks -> (KeyspaceVSchema, TableVSchema)? in
            guard let keyspace = vschema.keyspaces[ks], let table = keyspace.tables[name.name] else { return nil }
            return (keyspace, table)
        }
        if owners.count == 1 { return (owners[0].0, owners[0].1) }
        if let defaultKeyspace, let keyspace = vschema.keyspaces[defaultKeyspace] {
            if let table = keyspace.tables[name.name] { return (keyspace, table) }
            if !keyspace.sharded { return (keyspace, nil) }
        }
        if owners.count > 1 { throw PlanError("ambiguous table reference: \(name.name)") }
        throw PlanError("table \(name.name) not found")
    }

    public func plan(_ statement: SQLStatement) throws(PlanError) -> SingleRoute {
        // Every table, subqueries and unions included, lives in one unsharded keyspace.
        if case .select(let query) = statement, let keyspace = unshardedKeyspace(of: query) {
            return SingleRoute(operator: .route, variant: RouteVariant.unsharded.rawValue, keyspace: keyspace, vindex: nil, values: [])
        }
        switch statement {
        case .select(.select(let select)):
            if Self.hasSubquery(select) { return try mergedWithSubqueries(select) }
            if select.from.count == 1, case .table(let name, let alias) = select.from[0] {
                return try route(.route, name, alias: alias, whereClause: select.whereClause)
            }
            return try mergedRoute(select)
        case .select(.compound):
            throw .unsupported("UNION")
        case .update(let update):
            return try route(.update, update.table, alias: update.alias, whereClause: update.whereClause)
        case .delete(let delete):
            return try route(.delete, delete.table, alias: delete.alias, whereClause: delete.whereClause)
        case .insert(let insert):
            let (keyspace, table) = try resolve(insert.table)
            guard keyspace.sharded, let table else {
                return SingleRoute(operator: .insert, variant: "Unsharded", keyspace: keyspace.name, vindex: nil, values: [])
            }
            if table.kind == .reference { throw .unsupported("an insert into a sharded keyspace's reference table") }
            return SingleRoute(operator: .insert, variant: "Sharded", keyspace: keyspace.name, vindex: table.columnVindexes.first?.vindex, values: [])
        default:
            throw .unsupported("this statement")
        }
    }

    func route(_ op: SingleRoute.Operator, _ name: TableName, alias: String?, whereClause: SQLExpression?) throws(PlanError) -> SingleRoute {
        let (keyspace, table) = try resolve(name)
        guard keyspace.sharded, let table else {
            return SingleRoute(operator: op, variant: RouteVariant.unsharded.rawValue, keyspace: keyspace.name, vindex: nil, values: [])
        }
        if table.kind == .reference {
            // A reference table with a source lives in the source's (unsharded) keyspace.
            if let source = table.source, let dot = source.firstIndex(of: "."),
               let sourceKeyspace = vschema.keyspaces[String(source[..<dot])], !sourceKeyspace.sharded {
                return SingleRoute(operator: op, variant: RouteVariant.unsharded.rawValue, keyspace: sourceKeyspace.name, vindex: nil, values: [])
            }
            guard op == .route else { throw .unsupported("a write to a reference table of a sharded keyspace") }
            return SingleRoute(operator: op, variant: RouteVariant.reference.rawValue, keyspace: keyspace.name, vindex: nil, values: [])
        }
        if table.pinned != nil {
            return SingleRoute(operator: op, variant: RouteVariant.equalUnique.rawValue, keyspace: keyspace.name, vindex: nil, values: [])
        }
        let chosen = VindexPredicates(keyspace: keyspace, table: table, qualifiers: [alias ?? name.name]).route(for: whereClause)
        if refusesUnroutedConstructs, chosen.variant == .scatter, let whereClause, let construct = Self.unroutedConstruct(whereClause, table: table, keyspace: keyspace) {
            // Vitess would narrow this down; scattering would reach other shards than it does.
            throw .unsupported("routing by \(construct)")
        }
        return SingleRoute(operator: op, variant: chosen.variant.rawValue, keyspace: keyspace.name, vindex: chosen.vindex, values: chosen.values)
    }

    /// A query whose subqueries merge into its own route (Vitess's subquery merging, the cases
    /// this planner knows): a subquery over reference tables of the same keyspace or over no
    /// table at all, or one that reaches the same single shard by the same vindex value.
    func mergedWithSubqueries(_ select: SelectStatement) throws(PlanError) -> SingleRoute {
        var subqueries: [SelectQuery] = []
        func strip(_ e: SQLExpression) -> SQLExpression {
            e.replacingSubqueries { sub in
                subqueries.append(sub.query)
                let name = "__sq\(subqueries.count)"
                if let operand = sub.operand { return .inList(operand, [.parameter(name: ":" + name, index: -1)], negated: sub.negated) }
                return .parameter(name: name, index: -1)
            }
        }
        var outer = select
        outer.columns = select.columns.map { item in
            if case .expression(let e, let alias) = item { return .expression(strip(e), alias: alias) }
            return item
        }
        outer.whereClause = select.whereClause.map(strip)
        outer.having = select.having.map(strip)
        guard !Self.hasSubquery(outer) else { throw .unsupported("a subquery") }
        let route = try plan(.select(.select(outer)))
        for q in subqueries {
            if Self.tableNames(in: q).isEmpty { continue }
            guard let inner = try? plan(.select(q)) else { throw .unsupported("a subquery") }
            let sameKeyspace = inner.keyspace == route.keyspace
            let reference = inner.variant == RouteVariant.reference.rawValue && sameKeyspace
            let sameShard = sameKeyspace && route.variant == RouteVariant.equalUnique.rawValue && inner.variant == route.variant
                && inner.vindex != nil && inner.vindex == route.vindex && inner.values == route.values
            guard reference || sameShard else { throw .unsupported("a subquery") }
        }
        return route
    }

    /// A query over several tables that one route can still answer: tables of one unsharded
    /// keyspace, or sharded tables joined on their primary vindex columns (same vindex), with
    /// reference tables of the keyspace alongside.
    func mergedRoute(_ select: SelectStatement) throws(PlanError) -> SingleRoute {
        var tables: [(name: TableName, alias: String?)] = []
        var conditions: [SQLExpression] = select.whereClause.map { [$0] } ?? []
        func collect(_ reference: TableReference, outer: Bool) throws(PlanError) {
            switch reference {
            case .table(let name, let alias): tables.append((name, alias))
            case .derived: throw .unsupported("a derived table")
            case .join(let join):
                try collect(join.left, outer: outer)
                try collect(join.right, outer: outer || join.kind != .inner)
                // Only inner joins' conditions filter rows; an outer join's may still merge.
                if case .on(let condition)? = join.condition {
                    conditions.append(join.kind == .inner || join.kind == .straight ? condition : .tuple([condition]))
                } else if case .using? = join.condition {
                    throw .unsupported("JOIN ... USING")
                }
            }
        }
        for reference in select.from { try collect(reference, outer: false) }
        var resolved: [(keyspace: KeyspaceVSchema, table: TableVSchema?, qualifier: String)] = []
        for (name, alias) in tables {
            let (keyspace, table) = try resolve(name)
            resolved.append((keyspace, table, alias ?? name.name))
        }
        // A table of an unsharded keyspace that a reference table of the (one) sharded keyspace
        // copies is read from that copy, beside the sharded tables.
        let shardedKeyspaces = Set(resolved.filter(\.keyspace.sharded).map(\.keyspace.name))
        if shardedKeyspaces.count == 1, let target = shardedKeyspaces.first.flatMap({ vschema.keyspaces[$0] }) {
            for i in resolved.indices where !resolved[i].keyspace.sharded {
                let source = "\(resolved[i].keyspace.name).\(tables[i].name.name)"
                if let copy = target.tables.keys.sorted().compactMap({ target.tables[$0] })
                    .first(where: { $0.kind == .reference && $0.source == source }) {
                    resolved[i] = (target, copy, resolved[i].qualifier)
                }
            }
        }
        let keyspaces = Set(resolved.map(\.keyspace.name))
        guard keyspaces.count == 1, let keyspace = resolved.first?.keyspace else {
            throw .unsupported("a join across keyspaces")
        }
        guard keyspace.sharded else {
            return SingleRoute(operator: .route, variant: RouteVariant.unsharded.rawValue, keyspace: keyspace.name, vindex: nil, values: [])
        }
        let sharded = resolved.filter { $0.table?.kind == .normal }
        if sharded.isEmpty {
            // Reference tables that all come from one unsharded keyspace are read there.
            let sources = Set(resolved.map { $0.table?.source.flatMap { $0.split(separator: ".").first.map(String.init) } ?? "" })
            if sources.count == 1, let source = sources.first, let sourceKeyspace = vschema.keyspaces[source], !sourceKeyspace.sharded {
                return SingleRoute(operator: .route, variant: RouteVariant.unsharded.rawValue, keyspace: source, vindex: nil, values: [])
            }
            return SingleRoute(operator: .route, variant: RouteVariant.reference.rawValue, keyspace: keyspace.name, vindex: nil, values: [])
        }
        guard sharded.allSatisfy({ $0.table?.pinned == nil }) else { throw .unsupported("a join with a pinned table") }
        // Every sharded table must be tied to the first by equalities of primary vindex columns.
        let equalities = conditions.flatMap(VindexPredicates.conjuncts).compactMap { c -> (ColumnName, ColumnName)? in
            if case .binary(.equal, .column(let a), .column(let b)) = c { return (a, b) }
            return nil
        }
        func primary(_ entry: (keyspace: KeyspaceVSchema, table: TableVSchema?, qualifier: String)) -> (column: String, vindex: String)? {
            guard let cv = entry.table?.columnVindexes.first, cv.columns.count == 1 else { return nil }
            return (cv.columns[0].lowercased(), cv.vindex)
        }
        func refers(_ c: ColumnName, to entry: (keyspace: KeyspaceVSchema, table: TableVSchema?, qualifier: String), column: String) -> Bool {
            guard c.name.lowercased() == column else { return false }
            guard let q = c.table?.name else { return false }
            return q.lowercased() == entry.qualifier.lowercased()
        }
        var connected: Set<Int> = [0]
        var grew = true
        while grew {
            grew = false
            for i in sharded.indices where !connected.contains(i) {
                guard let pi = primary(sharded[i]) else { continue }
                for j in connected {
                    guard let pj = primary(sharded[j]), pi.vindex == pj.vindex else { continue }
                    if equalities.contains(where: { (a, b) in
                        (refers(a, to: sharded[i], column: pi.column) && refers(b, to: sharded[j], column: pj.column))
                            || (refers(b, to: sharded[i], column: pi.column) && refers(a, to: sharded[j], column: pj.column))
                    }) {
                        connected.insert(i)
                        grew = true
                        break
                    }
                }
            }
        }
        guard connected.count == sharded.count else { throw .unsupported("a join of sharded tables not on their primary vindex (cross-shard join)") }
        // The route: the best vindex predicate of any of the tables.
        let filter = conditions.filter { if case .tuple = $0 { return false } else { return true } }
            .reduce(nil as SQLExpression?) { acc, c in acc.map { .binary(.and, $0, c) } ?? c }
        var best: VindexRoute?
        for entry in sharded {
            guard let table = entry.table else { continue }
            let candidate = VindexPredicates(keyspace: keyspace, table: table, qualifiers: [entry.qualifier]).route(for: filter)
            if candidate.variant == .none { return SingleRoute(operator: .route, variant: "None", keyspace: keyspace.name, vindex: nil, values: []) }
            if refusesUnroutedConstructs, candidate.variant == .scatter, let filter, let construct = Self.unroutedConstruct(filter, table: table, keyspace: keyspace) {
                throw .unsupported("routing by \(construct)")
            }
            if best.map({ VindexPredicates.rank(candidate, in: keyspace) < VindexPredicates.rank($0, in: keyspace) }) ?? true {
                best = candidate
            }
        }
        let chosen = best ?? VindexRoute(variant: .scatter, vindex: nil, values: [])
        return SingleRoute(operator: .route, variant: chosen.variant.rawValue, keyspace: keyspace.name, vindex: chosen.vindex, values: chosen.values)
    }

    /// A predicate on vindex columns that Vitess routes by and this planner cannot yet: a
    /// multi-column vindex, tuple IN lists, ranges and LIKE on ordered vindexes, or equalities
    /// between columns that carry a value to a vindex column.
    static func unroutedConstruct(_ whereClause: SQLExpression, table: TableVSchema, keyspace: KeyspaceVSchema) -> String? {
        let vindexColumns = Set(table.columnVindexes.flatMap { $0.columns.map { $0.lowercased() } })
        let multiColumn = Set(table.columnVindexes.filter { $0.columns.count > 1 }.flatMap { $0.columns.map { $0.lowercased() } })
        func isVindexColumn(_ e: SQLExpression) -> Bool {
            if case .column(let c) = e { return vindexColumns.contains(c.name.lowercased()) }
            return false
        }
        var found: String?
        _ = whereClause.deepRewritten { node in
            guard found == nil else { return node }
            switch node {
            case .binary(.equal, .column(let c), _), .binary(.equal, _, .column(let c)), .inList(.column(let c), _, _):
                if multiColumn.contains(c.name.lowercased()) { found = "a multi-column vindex" }
            default: break
            }
            switch node {
            case .between(let x, _, _, false) where isVindexColumn(x):
                found = "a range on a vindex column (Between)"
            case .like(let x, _, _, false) where isVindexColumn(x):
                found = "LIKE on a vindex column"
            case .binary(.equal, .column, .column) where isVindexColumn(node.equalitySides.0) || isVindexColumn(node.equalitySides.1):
                found = "an equality between columns"
            default: break
            }
            if case .inList(.tuple(let columns), _, _) = node, columns.contains(where: isVindexColumn) { found = "a tuple IN list (MultiEqual)" }
            return node
        }
        return found
    }

    /// The unsharded keyspace holding every table a query reads, if there is one.
    func unshardedKeyspace(of query: SelectQuery) -> String? {
        let names = Self.tableNames(in: query)
        guard !names.isEmpty else { return nil }
        var keyspaces: Set<String> = []
        for name in names {
            guard let (keyspace, _) = try? resolve(name) else { return nil }
            guard !keyspace.sharded else { return nil }
            keyspaces.insert(keyspace.name)
        }
        return keyspaces.count == 1 ? keyspaces.first : nil
    }

    /// Every table a query names: in FROM, joins, derived tables, subqueries and union branches.
    static func tableNames(in query: SelectQuery) -> [TableName] {
        var names: [TableName] = []
        func visit(_ query: SelectQuery) {
            switch query {
            case .select(let select): visit(select)
            case .compound(let compound):
                visit(compound.left)
                visit(compound.right)
            }
        }
        func visit(_ select: SelectStatement) {
            func reference(_ r: TableReference) {
                switch r {
                case .table(let name, _): names.append(name)
                case .derived(let q, _): visit(q)
                case .join(let join):
                    reference(join.left)
                    reference(join.right)
                    if case .on(let e)? = join.condition { expression(e) }
                }
            }
            func expression(_ e: SQLExpression) {
                _ = e.rewritten { node in
                    switch node {
                    case .subquery(let q), .exists(let q), .inSubquery(_, let q, _): visit(q)
                    default: break
                    }
                    return node
                }
            }
            select.from.forEach(reference)
            select.whereClause.map(expression)
            select.having.map(expression)
            for item in select.columns { if case .expression(let e, _) = item { expression(e) } }
        }
        visit(query)
        return names
    }

    static func hasSubquery(_ select: SelectStatement) -> Bool {
        var found = false
        func visit(_ e: SQLExpression) {
            _ = e.deepRewritten { x in
                switch x {
                case .subquery, .exists, .inSubquery: found = true
                default: break
                }
                return x
            }
        }
        select.whereClause.map(visit)
        select.having.map(visit)
        for item in select.columns { if case .expression(let e, _) = item { visit(e) } }
        return found
    }
}

extension SQLExpression {
    /// The two sides of a binary node (or the node twice).
    var equalitySides: (SQLExpression, SQLExpression) {
        if case .binary(_, let a, let b) = self { return (a, b) }
        return (self, self)
    }
}
