import SQLSyntax

/// Sends a statement to the shards its routing reaches and gathers their results (Vitess's
/// `engine.Route`): one shard for Unsharded, EqualUnique and Reference; the shards of the
/// vindex values for Equal and IN; every shard for Scatter; none for None. With sort keys and
/// several shards, the shards' sorted results are merged (see `MergeSort`); helper columns past
/// `resultColumns` are dropped.
public final class Route: Primitive {
    public let keyspace: String
    public let variant: RouteVariant
    /// The vindex the values map through (Equal, EqualUnique, IN).
    public let vindex: VindexDefinition?
    public let values: [SQLExpression]
    /// What each shard runs; bind variables are put in at execution.
    public let statement: SQLStatement
    public let orderBy: [SortKey]
    public let resultColumns: Int?
    /// A shard the session targets (`USE ks/-80`): every statement goes there.
    public let targetShard: String?
    /// The lookup vindex that maps the values, read before the route is sent.
    public let lookup: LookupVindex?
    /// A key range the statement names (`ks[-80]`): every serving shard it intersects.
    public let keyRange: KeyRange?
    /// An aggregate without GROUP BY still answers one row when its values map to no shard:
    /// it then goes to the keyspace's first shard (Vitess's `NoRoutesSpecialHandling`).
    public var answersWithoutShards = false
    /// The statement printed once, for statements of a shape (see `ShapePlans`).
    lazy var template = PrintedTemplate(statement)

    public init(keyspace: String, variant: RouteVariant, vindex: VindexDefinition? = nil, values: [SQLExpression] = [],
                statement: SQLStatement, orderBy: [SortKey] = [], resultColumns: Int? = nil, targetShard: String? = nil,
                lookup: LookupVindex? = nil, keyRange: KeyRange? = nil) {
        self.lookup = lookup
        self.keyRange = keyRange
        self.keyspace = keyspace
        self.variant = variant
        self.vindex = vindex
        self.values = values
        self.statement = statement
        self.orderBy = orderBy
        self.resultColumns = resultColumns
        self.targetShard = targetShard
    }

    public var operatorType: String { "Route" }

    public var details: String {
        var parts = [variant.rawValue, keyspace]
        if let vindex { parts.append("vindex=\(vindex.name)") }
        if !values.isEmpty { parts.append("values=(" + values.map { SQLPrinter().print($0) }.joined(separator: ", ") + ")") }
        if !orderBy.isEmpty { parts.append("order=" + orderBy.map(\.description).joined(separator: ", ")) }
        if let resultColumns { parts.append("columns=\(resultColumns)") }
        parts.append("\"\(SQLPrinter().print(statement))\"")
        return parts.joined(separator: " ")
    }

    /// The shards this route reaches with these bind variables.
    public func shards(_ cursor: any VCursor, _ bindVariables: BindVariables) throws(MySQLError) -> [String] {
        let map = try cursor.shardMap(for: keyspace)
        if let targetShard {
            do { return try map.resolve(.shard(targetShard)) } catch { throw MySQLError(error) }
        }
        if let keyRange {
            do { return try map.resolve(.keyRange(keyRange)) } catch { throw MySQLError(error) }
        }
        let destinations: [Destination]
        switch variant {
        case .unsharded, .scatter: destinations = [.allShards]
        case .reference: return map.shards.first.map { [$0.name] } ?? []
        case .none: destinations = [.none]
        case .equal, .equalUnique, .in:
            guard let function = vindex?.kind.function else {
                // A lookup vindex needs its lookup table: without it, ask every shard.
                destinations = [.allShards]
                break
            }
            var values: [SQLValue] = []
            for expression in self.values {
                switch try RouteValues.evaluate(expression, bindVariables, evaluator: cursor.evaluator) {
                case .value(let v): values.append(v)
                case .list(let list): values += list
                }
            }
            destinations = values.map { value in
                guard !value.isNull, let id = function.keyspaceID(VindexValue(value)) else { return Destination.none }
                return .keyspaceID(id)
            }
        }
        do { return try map.resolve(destinations) } catch { throw MySQLError(error) }
    }

    /// The shards, after reading the lookup table when the vindex is a lookup.
    func resolve(_ cursor: any VCursor, _ bindVariables: BindVariables, _ then: @escaping (Result<[String], MySQLError>) -> Void) {
        guard let lookup, targetShard == nil, [.equal, .equalUnique, .in].contains(variant) else {
            do throws(MySQLError) { then(.success(try shards(cursor, bindVariables))) } catch { then(.failure(error)) }
            return
        }
        lookup.read(values).execute(cursor, bindVariables) { [keyspace] result in
            do throws(MySQLError) {
                let rows = try result.get().rows
                let map = try cursor.shardMap(for: keyspace)
                let destinations = rows.compactMap { $0.count > 1 ? lookup.keyspaceID($0[1]) : nil }.map(Destination.keyspaceID)
                let shards: [String]
                do throws(DestinationError) { shards = try map.resolve(destinations) } catch { throw MySQLError(error) }
                then(.success(shards))
            } catch {
                then(.failure(error))
            }
        }
    }

    public func execute(_ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        resolve(cursor, bindVariables) { [self] resolved in
            switch resolved {
            case .failure(let error): done(.failure(error))
            case .success(let shards): send(to: shards, cursor, bindVariables, done)
            }
        }
    }

    func send(to shards: [String], _ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        var shards = shards
        if shards.isEmpty && answersWithoutShards, let first = try? cursor.shardMap(for: keyspace).shards.first?.name {
            shards = [first]
        }
        let sql = template?.filled(bindVariables) ?? SQLPrinter().print(BindVariableSubstitution.statement(statement, bindVariables))
        let queries = shards.map { ShardQuery(keyspace: keyspace, shard: $0, sql: sql) }
        guard !queries.isEmpty else {
            done(.success(QueryResult()))
            return
        }
        cursor.execute(queries) { [orderBy, resultColumns] results in
            var parts: [QueryResult] = []
            for result in results {
                switch result {
                case .failure(let error):
                    done(.failure(error))
                    return
                case .success(let part): parts.append(part)
                }
            }
            var merged = parts.count > 1 && !orderBy.isEmpty
                ? MergeSort.merge(parts, by: orderBy)
                : QueryResult(columns: parts[0].columns, rows: parts.flatMap(\.rows))
            merged.rowsAffected = parts.reduce(0) { $0 + $1.rowsAffected }
            merged.insertID = parts.first { $0.insertID != 0 }?.insertID ?? 0
            if let resultColumns { merged = merged.truncated(to: resultColumns) }
            done(.success(merged))
        }
    }
}

extension QueryResult {
    /// The result with only its first `count` columns.
    func truncated(to count: Int) -> QueryResult {
        guard columns.count > count || rows.first.map({ $0.count > count }) == true else { return self }
        var copy = self
        copy.columns = Array(columns.prefix(count))
        copy.rows = rows.map { Array($0.prefix(count)) }
        return copy
    }
}

/// The values a route maps through its vindex: literals, bind variables (pulled-out subqueries,
/// a join's left row), or arithmetic on them, computed as the nodes compute it.
enum RouteValues {
    static func evaluate(_ expression: SQLExpression, _ bindVariables: BindVariables, evaluator: RowEvaluator? = nil) throws(MySQLError) -> BindValue {
        switch expression {
        case .literal(let literal): return .value(SQLValue(literal: literal))
        case .parameter(let name?, _):
            let key = name.hasPrefix(":") ? String(name.dropFirst()) : name
            guard let value = bindVariables[key] else { throw MySQLError(code: 1105, sqlState: "HY000", message: "missing bind variable \(key)") }
            return value
        default:
            guard let evaluator else { throw MySQLError.vtUnsupported("a routing value \(SQLPrinter().print(expression))") }
            let compiled = try evaluator.compile(BindVariableSubstitution.expressions([expression], bindVariables), layout: [])
            return .value(try evaluator.evaluate(compiled, row: [])[0])
        }
    }
}

extension SQLValue {
    /// The value a literal stands for.
    public init(literal: Literal) {
        switch literal {
        case .null: self = .null
        case .boolean(let b): self = .integer(b ? 1 : 0)
        case .integer(let v): self = .integer(v)
        case .decimal(let text): self = Int64(text).map { .integer($0) } ?? .real(Double(text) ?? 0)
        case .float(let d): self = .real(d)
        case .string(let s): self = .text(s)
        case .bytes(let b): self = .bytes(b)
        }
    }
}
