import SQLSyntax

/// Plans what happens to rows after the shards answer (the "horizon": aggregation, HAVING,
/// projection, ORDER BY, DISTINCT, LIMIT). Over one route it pushes as much as the shards can
/// do to them and finishes in the gateway as Vitess does (partial aggregates summed, AVG as
/// SUM/COUNT, merge-sorted streams, `count + offset` rows per shard); over a join it computes
/// everything in the gateway from the joined rows.
struct HorizonPlanner {
    let shape: SelectShape

    // MARK: Over one route

    /// The statement each shard runs and the gateway operators above the route.
    func planOverRoute(_ select: SelectStatement, makeRoute: (SelectStatement, [SortKey]) -> Route) throws(PlanError) -> any Primitive {
        var pushed = select
        pushed.having = nil
        pushed.orderBy = []
        pushed.limit = nil
        if !shape.isAggregate {
            // HAVING without grouping filters single rows: the shards can apply it.
            pushed.having = shape.having
            var columns = shape.items.map { SelectItem.expression($0.expression, alias: $0.alias) }
            var keys: [SortKey] = []
            for o in shape.order {
                if let i = o.item {
                    keys.append(SortKey(column: i, descending: o.descending))
                } else {
                    columns.append(.expression(o.expression, alias: nil))
                    keys.append(SortKey(column: columns.count - 1, descending: o.descending))
                }
            }
            pushed.columns = columns
            // By position: a literal or an alias in ORDER BY would mean something else there.
            pushed.orderBy = keys.map { OrderItem(expression: .integer(Int64($0.column + 1)), descending: $0.descending) }
            if let limit = shape.limit { pushed.limit = SQLSyntax.Limit(count: try Self.upperLimit(limit), offset: nil) }
            var top: any Primitive = makeRoute(pushed, keys)
            let visible = shape.items.count
            if shape.distinct { top = Distinct(input: top, columns: visible) }
            if let limit = shape.limit { top = RowLimit(count: limit.count, offset: limit.offset, input: top) }
            if columns.count > visible { top = SimpleProjection(columns: Array(0..<visible), names: shape.items.map(\.name), input: top) }
            return top
        }
        // Aggregation: shards group and compute partial aggregates; the gateway combines them.
        // DISTINCT aggregates over different expressions cannot share the shards' grouping:
        // the shards then return the rows' columns and the gateway aggregates them all.
        guard let distinctArguments = try? Self.distinctArgument(shape.aggregates) else {
            var columns: [SQLExpression] = []
            for e in shape.items.map(\.expression) + shape.groupBy + (shape.having.map { [$0] } ?? []) + shape.order.map(\.expression) {
                e.visit { node in
                    if case .column = node, !columns.contains(node) { columns.append(node) }
                    return true
                }
            }
            var raw = pushed
            raw.columns = columns.isEmpty ? [.expression(.integer(1), alias: nil)] : columns.map { .expression($0, alias: nil) }
            raw.groupBy = []
            raw.distinct = false
            return try planInGateway(makeRoute(raw, []), layout: columns.isEmpty ? [.integer(1)] : columns)
        }
        let groups = shape.groupBy + distinctArguments
        var columns: [SelectItem] = groups.map { .expression($0, alias: nil) }
        var specs: [AggregateSpec] = []
        func push(_ e: SQLExpression) -> Int {
            columns.append(.expression(e, alias: nil))
            return columns.count - 1
        }
        for aggregate in shape.aggregates {
            guard case .function(let call) = aggregate else { continue }
            let argument = call.arguments.first ?? .integer(1)
            let distinctColumn = shape.groupBy.count
            func partial(_ name: String) -> SQLExpression { .function(FunctionCall(name: name, arguments: call.arguments, star: call.star)) }
            switch (call.name, call.distinct) {
            case ("COUNT", _) where call.star: specs.append(AggregateSpec(.sumCountStar, column: push(partial("COUNT"))))
            case ("COUNT", false): specs.append(AggregateSpec(.sumCount, column: push(partial("COUNT"))))
            case ("COUNT", true): specs.append(AggregateSpec(.countDistinct, column: distinctColumn))
            case ("SUM", false): specs.append(AggregateSpec(.sumOfSums, column: push(partial("SUM"))))
            case ("SUM", true): specs.append(AggregateSpec(.sumDistinct, column: distinctColumn))
            case ("AVG", false):
                let sum = push(.function(FunctionCall(name: "SUM", arguments: [argument])))
                let count = push(.function(FunctionCall(name: "COUNT", arguments: [argument])))
                specs.append(AggregateSpec(.avgOfParts, column: sum, countColumn: count))
            case ("AVG", true): specs.append(AggregateSpec(.avgDistinct, column: distinctColumn))
            case ("MIN", _): specs.append(AggregateSpec(.min, column: push(.function(FunctionCall(name: "MIN", arguments: [argument])))))
            case ("MAX", _): specs.append(AggregateSpec(.max, column: push(.function(FunctionCall(name: "MAX", arguments: [argument])))))
            default: throw .unsupported("the aggregate \(call.name) across shards")
            }
        }
        let bare = bareColumns(layout: shape.groupBy + shape.aggregates)
        for column in bare { specs.append(AggregateSpec(.anyValue, column: push(column))) }
        pushed.columns = columns
        pushed.groupBy = groups.indices.map { .integer(Int64($0 + 1)) }
        pushed.orderBy = groups.indices.map { OrderItem(expression: .integer(Int64($0 + 1))) }
        let keys = groups.indices.map { SortKey(column: $0) }
        let route = makeRoute(pushed, keys)
        let aggregate: any Primitive = shape.groupBy.isEmpty
            ? ScalarAggregate(aggregates: specs, input: route)
            : OrderedAggregate(groupKeys: Array(shape.groupBy.indices), aggregates: specs, input: route)
        return try finish(aggregate, layout: shape.groupBy + shape.aggregates + bare)
    }

    /// Columns that the select items, HAVING or ORDER BY read outside any aggregate and that
    /// are not grouped (MySQL without ONLY_FULL_GROUP_BY takes them from any row of the group).
    func bareColumns(layout: [SQLExpression]) -> [SQLExpression] {
        let index = ExpressionLayout(layout)
        var found: [SQLExpression] = []
        func visit(_ e: SQLExpression) {
            if index.position(of: e) != nil { return }
            switch e {
            case .column:
                if !found.contains(e) { found.append(e) }
            case .function(let call) where call.isAggregate:
                return
            default:
                e.children.forEach(visit)
            }
        }
        shape.items.forEach { visit($0.expression) }
        shape.having.map(visit)
        shape.order.forEach { visit($0.expression) }
        return found
    }

    /// The one expression that DISTINCT aggregates read (the shards group by it).
    static func distinctArgument(_ aggregates: [SQLExpression]) throws(PlanError) -> [SQLExpression] {
        var arguments: [SQLExpression] = []
        for aggregate in aggregates {
            guard case .function(let call) = aggregate, call.distinct, ["COUNT", "SUM", "AVG"].contains(call.name) else { continue }
            guard call.arguments.count == 1 else { throw .unsupported("\(call.name)(DISTINCT) with several expressions") }
            if !arguments.contains(call.arguments[0]) { arguments.append(call.arguments[0]) }
        }
        guard arguments.count <= 1 else { throw .unsupported("DISTINCT aggregates over different expressions across shards") }
        return arguments
    }

    /// `count + offset`: what each shard returns so that the gateway can skip and keep.
    static func upperLimit(_ limit: SQLSyntax.Limit) throws(PlanError) -> SQLExpression {
        guard let offset = limit.offset else { return limit.count }
        guard case .literal(.integer(let c)) = limit.count, case .literal(.integer(let o)) = offset else {
            throw .unsupported("LIMIT with an OFFSET that is not a number, across shards")
        }
        return .integer(c + o)
    }

    // MARK: Over rows in the gateway

    /// Everything in the gateway, over rows whose columns hold `layout`.
    func planInGateway(_ input: any Primitive, layout: [SQLExpression]) throws(PlanError) -> any Primitive {
        guard shape.isAggregate else { return try finish(input, layout: layout) }
        // Project the group keys and the aggregates' arguments, sort by the keys, aggregate.
        var projected = shape.groupBy
        var specs: [AggregateSpec] = []
        for aggregate in shape.aggregates {
            guard case .function(let call) = aggregate else { continue }
            if call.arguments.count > 1 { throw .unsupported("\(call.name) with several expressions") }
            projected.append(call.arguments.first ?? .integer(1))
            let column = projected.count - 1
            let opcode: AggregateSpec.Opcode
            switch (call.name, call.distinct) {
            case ("COUNT", _) where call.star: opcode = .countStar
            case ("COUNT", false): opcode = .count
            case ("COUNT", true): opcode = .countDistinct
            case ("SUM", false): opcode = .sum
            case ("SUM", true): opcode = .sumDistinct
            case ("AVG", false): opcode = .avg
            case ("AVG", true): opcode = .avgDistinct
            case ("MIN", _): opcode = .min
            case ("MAX", _): opcode = .max
            default: throw .unsupported("the aggregate \(call.name) across shards")
            }
            specs.append(AggregateSpec(opcode, column: column))
        }
        let bare = bareColumns(layout: shape.groupBy + shape.aggregates)
        for column in bare {
            projected.append(column)
            specs.append(AggregateSpec(.anyValue, column: projected.count - 1))
        }
        try Self.check(projected, over: layout)
        var top: any Primitive = Projection(expressions: projected, names: projected.map { SQLPrinter().print($0) }, layout: layout, input: input)
        if shape.groupBy.isEmpty {
            top = ScalarAggregate(aggregates: specs, input: top)
        } else {
            top = MemorySort(keys: shape.groupBy.indices.map { SortKey(column: $0) }, input: top)
            top = OrderedAggregate(groupKeys: Array(shape.groupBy.indices), aggregates: specs, input: top)
        }
        return try finish(top, layout: shape.groupBy + shape.aggregates + bare)
    }

    /// HAVING, the select items and the sort expressions, sort, DISTINCT, LIMIT, over rows
    /// holding `layout`.
    func finish(_ input: any Primitive, layout: [SQLExpression]) throws(PlanError) -> any Primitive {
        var top = input
        if let having = shape.having {
            try Self.check([having], over: layout)
            top = Filter(predicate: having, layout: layout, input: top)
        }
        var expressions = shape.items.map(\.expression)
        var keys: [SortKey] = []
        for o in shape.order {
            if let i = o.item {
                keys.append(SortKey(column: i, descending: o.descending))
            } else {
                expressions.append(o.expression)
                keys.append(SortKey(column: expressions.count - 1, descending: o.descending))
            }
        }
        try Self.check(expressions, over: layout)
        let visible = shape.items.count
        let names = shape.items.map(\.name) + Array(repeating: "", count: expressions.count - visible)
        top = Projection(expressions: expressions, names: names, layout: layout, input: top)
        if !keys.isEmpty { top = MemorySort(keys: keys, input: top) }
        if shape.distinct { top = Distinct(input: top, columns: visible) }
        if let limit = shape.limit { top = RowLimit(count: limit.count, offset: limit.offset, input: top) }
        if expressions.count > visible { top = SimpleProjection(columns: Array(0..<visible), names: shape.items.map(\.name), input: top) }
        return top
    }

    /// Refuses expressions that read something the rows do not hold (a column neither grouped
    /// nor aggregated, an aggregate the gateway does not compute).
    static func check(_ expressions: [SQLExpression], over layout: [SQLExpression]) throws(PlanError) {
        let index = ExpressionLayout(layout)
        for e in expressions {
            // Bind variables get their values at execution.
            let bound = e.rewritten { node in
                if case .parameter(_?, _) = node { return .null }
                return node
            }
            do throws(MySQLError) { _ = try index.substitute(bound) } catch {
                if error.code == 1054 { throw .unsupported("a column that is neither grouped nor aggregated (\(SQLPrinter().print(e)))") }
                throw PlanError(error.message)
            }
        }
    }
}
