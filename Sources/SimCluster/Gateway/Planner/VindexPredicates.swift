import SQLSyntax

/// How a route reaches a sharded table's shards, as Vitess's route opcodes name the single-table
/// cases (`go/vt/vtgate/engine/routing.go`).
public enum RouteVariant: String, Sendable, Hashable {
    case equalUnique = "EqualUnique"
    case equal = "Equal"
    case `in` = "IN"
    case scatter = "Scatter"
    case none = "None"
    case reference = "Reference"
    case unsharded = "Unsharded"
}

/// The vindex a WHERE clause lets a route use, and the values it routes by.
public struct VindexRoute: Sendable, Equatable {
    public var variant: RouteVariant
    public var vindex: String?
    /// The value expressions (one for Equal/EqualUnique, several for IN).
    public var values: [SQLExpression]
}

/// Finds, in a WHERE clause over one sharded table, the cheapest vindex predicate (Vitess's
/// `operators/sharded_routing.go`): `col = v` gives Equal (EqualUnique for a unique vindex),
/// `col IN (...)` and ORs of equalities on one column give IN, a comparison with a literal NULL
/// makes the query return nothing (None), and anything else scatters.
public struct VindexPredicates {
    let keyspace: KeyspaceVSchema
    let table: TableVSchema
    /// The names the query uses for the table (its alias, or its name).
    let qualifiers: Set<String>

    public init(keyspace: KeyspaceVSchema, table: TableVSchema, qualifiers: Set<String>) {
        self.keyspace = keyspace
        self.table = table
        self.qualifiers = Set(qualifiers.map { $0.lowercased() })
    }

    public func route(for whereClause: SQLExpression?) -> VindexRoute {
        guard let whereClause else { return VindexRoute(variant: .scatter, vindex: nil, values: []) }
        var best: VindexRoute?
        var bestCost = Int.max
        let conjuncts = Self.conjuncts(Self.withoutFalseBranches(whereClause))
        for conjunct in conjuncts + inferredEqualities(conjuncts) {
            if Self.comparesWithNull(conjunct) || Self.constantTruth(conjunct) == false {
                return VindexRoute(variant: .none, vindex: nil, values: [])
            }
            guard let candidate = candidate(conjunct) else { continue }
            let cost = rank(candidate)
            if cost < bestCost {
                best = candidate
                bestCost = cost
            }
        }
        return best ?? VindexRoute(variant: .scatter, vindex: nil, values: [])
    }

    func rank(_ route: VindexRoute) -> Int { Self.rank(route, in: keyspace) }

    /// Equalities that follow from others (`a = b AND b = 5` gives `a = 5`), as Vitess infers them
    /// for routing; only numbers and bind variables are carried, whose comparison is transitive.
    func inferredEqualities(_ conjuncts: [SQLExpression]) -> [SQLExpression] {
        func key(_ c: ColumnName) -> String {
            let q = c.table?.name.lowercased()
            return (q == nil || qualifiers.contains(q!) ? "" : q! + ".") + c.name.lowercased()
        }
        var parent: [String: String] = [:]
        func find(_ k: String) -> String {
            var k = k
            while let p = parent[k], p != k { k = p }
            return k
        }
        var columns: [String: ColumnName] = [:]
        var values: [(String, SQLExpression)] = []
        for c in conjuncts {
            switch c {
            case .binary(.equal, .column(let a), .column(let b)):
                columns[key(a)] = a
                columns[key(b)] = b
                let (ra, rb) = (find(key(a)), find(key(b)))
                if ra != rb { parent[ra] = rb }
            case .binary(.equal, .column(let a), let v) where Self.isNumericRoutingValue(v),
                 .binary(.equal, let v, .column(let a)) where Self.isNumericRoutingValue(v):
                columns[key(a)] = a
                values.append((key(a), v))
            default:
                break
            }
        }
        guard !parent.isEmpty else { return [] }
        var inferred: [SQLExpression] = []
        for (k, v) in values {
            for (other, column) in columns.sorted(by: { $0.key < $1.key }) where other != k && find(other) == find(k) {
                inferred.append(.binary(.equal, .column(column), v))
            }
        }
        return inferred
    }

    static func isNumericRoutingValue(_ e: SQLExpression) -> Bool {
        switch e {
        case .literal(.integer), .literal(.decimal), .parameter: true
        case .unary(.minus, let x): isNumericRoutingValue(x)
        default: false
        }
    }

    /// Lower is better: the vindex's cost first, then a single value before a list; a scatter last.
    static func rank(_ route: VindexRoute, in keyspace: KeyspaceVSchema) -> Int {
        guard route.variant != .scatter else { return Int.max }
        let cost = route.vindex.flatMap { keyspace.vindexes[$0]?.kind.cost } ?? 1000
        return cost * 10 + (route.variant == .in ? 1 : 0)
    }

    static func conjuncts(_ expression: SQLExpression) -> [SQLExpression] {
        if case .binary(.and, let a, let b) = expression { return conjuncts(a) + conjuncts(b) }
        return [expression]
    }

    static func disjuncts(_ expression: SQLExpression) -> [SQLExpression] {
        if case .binary(.or, let a, let b) = expression { return disjuncts(a) + disjuncts(b) }
        return [expression]
    }

    /// `x = NULL` (and the other comparisons), `x IN (NULL)` and `x NOT IN (NULL, ...)` are never true.
    static func comparesWithNull(_ expression: SQLExpression) -> Bool {
        switch expression {
        case .binary(let op, let a, let b) where [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual].contains(op):
            return a == .literal(.null) || b == .literal(.null)
        case .inList(_, let list, negated: true):
            return list.contains(.literal(.null))
        case .inList(_, let list, negated: false):
            return !list.isEmpty && list.allSatisfy { $0 == .literal(.null) }
        default:
            return false
        }
    }

    /// The truth of a condition over literals alone (`1 = 0`, `1 IN ('aa', 'bb')`), when known.
    static func constantTruth(_ expression: SQLExpression) -> Bool? {
        func number(_ e: SQLExpression) -> Double? {
            switch e {
            case .literal(.integer(let v)): Double(v)
            case .literal(.decimal(let t)): Double(t)
            case .literal(.float(let d)): d
            case .literal(.string(let s)): MySQLNumbers.prefix(s).number.double
            case .unary(.minus, let x): number(x).map { -$0 }
            default: nil
            }
        }
        switch expression {
        case .binary(let op, let a, let b):
            guard let x = number(a), let y = number(b) else { return nil }
            switch op {
            case .equal: return x == y
            case .notEqual: return x != y
            case .less: return x < y
            case .lessOrEqual: return x <= y
            case .greater: return x > y
            case .greaterOrEqual: return x >= y
            default: return nil
            }
        case .inList(let x, let list, let negated):
            guard let v = number(x) else { return nil }
            let values = list.map(number)
            guard values.allSatisfy({ $0 != nil }) else { return nil }
            return values.contains(v) != negated
        default:
            return nil
        }
    }

    /// The condition with OR branches that are constantly false dropped (`id = 1 OR 1 = 0`).
    static func withoutFalseBranches(_ expression: SQLExpression) -> SQLExpression {
        switch expression {
        case .binary(.or, let a, let b):
            let (x, y) = (withoutFalseBranches(a), withoutFalseBranches(b))
            if constantTruth(x) == false { return y }
            if constantTruth(y) == false { return x }
            return .binary(.or, x, y)
        case .binary(.and, let a, let b):
            return .binary(.and, withoutFalseBranches(a), withoutFalseBranches(b))
        default:
            return expression
        }
    }

    /// The single-column vindex on `column`, if any (the cheapest when several).
    func vindex(on column: ColumnName) -> (name: String, definition: VindexDefinition)? {
        if let qualifier = column.table?.name, !qualifiers.contains(qualifier.lowercased()) { return nil }
        let name = column.name.lowercased()
        return table.columnVindexes
            .filter { $0.columns.count == 1 && $0.columns[0].lowercased() == name }
            .compactMap { cv in keyspace.vindexes[cv.vindex].map { (cv.vindex, $0) } }
            // A write-only lookup is being backfilled: it cannot route reads yet.
            .filter { $0.1.params["write_only"] != "true" }
            .min { $0.definition.kind.cost < $1.definition.kind.cost }
    }

    /// A value that can route: a literal, a bind variable, or arithmetic on them (no columns).
    static func isRoutingValue(_ expression: SQLExpression) -> Bool {
        switch expression {
        case .literal(let l): l != .null
        case .parameter: true
        case .unary(.minus, let x): isRoutingValue(x)
        case .binary(let op, let a, let b) where [.add, .subtract, .multiply].contains(op): isRoutingValue(a) && isRoutingValue(b)
        default: false
        }
    }

    func candidate(_ conjunct: SQLExpression) -> VindexRoute? {
        switch conjunct {
        case .binary(.equal, .column(let c), let v) where Self.isRoutingValue(v),
             .binary(.equal, let v, .column(let c)) where Self.isRoutingValue(v):
            guard let (name, definition) = vindex(on: c) else { return nil }
            return VindexRoute(variant: definition.kind.isUnique ? .equalUnique : .equal, vindex: name, values: [v])
        case .binary(.equal, .tuple(let columns), .tuple(let values)) where columns.count == values.count:
            // (a, b) = (1, 2) is a = 1 AND b = 2.
            let pairs = zip(columns, values).map { SQLExpression.binary(.equal, $0, $1) }
            return pairs.compactMap(candidate).min { rank($0) < rank($1) }
        case .inList(.column(let c), let list, negated: false) where list.allSatisfy(Self.isRoutingValue):
            guard let (name, _) = vindex(on: c) else { return nil }
            return Self.deduplicated(VindexRoute(variant: .in, vindex: name, values: list), keyspace: keyspace)
        case .binary(.or, _, _):
            // Every branch must pin the same vindex: their values together route as IN.
            var vindexName: String?
            var values: [SQLExpression] = []
            for branch in Self.disjuncts(conjunct) {
                let routes = Self.conjuncts(branch).compactMap(candidate).filter { $0.variant != .none }
                guard let route = routes.first(where: { vindexName == nil || $0.vindex == vindexName }), route.vindex != nil else { return nil }
                vindexName = route.vindex
                values += route.values
            }
            return Self.deduplicated(VindexRoute(variant: .in, vindex: vindexName, values: values), keyspace: keyspace)
        default:
            return nil
        }
    }

    /// An IN whose values are all the same is an equality.
    static func deduplicated(_ route: VindexRoute, keyspace: KeyspaceVSchema) -> VindexRoute {
        var unique: [SQLExpression] = []
        for v in route.values where !unique.contains(v) { unique.append(v) }
        guard unique.count == 1, let vindex = route.vindex, let kind = keyspace.vindexes[vindex]?.kind else {
            return VindexRoute(variant: route.variant, vindex: route.vindex, values: unique)
        }
        return VindexRoute(variant: kind.isUnique ? .equalUnique : .equal, vindex: vindex, values: unique)
    }
}
