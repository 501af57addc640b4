import SQLSyntax

/// Plans by statement shape, as Vitess's vtgate caches them: the literals of a statement become
/// bind variables `:vtg1`, `:vtg2`, ... (Vitess's normalizer), the plan of the shape is made
/// once, and each statement runs it with its own values bound. The shard queries are the same
/// text either way: a route puts bind variables back as literals before it sends a query.
///
/// A shape gets a plan only when that plan is the statement's own plan with the literals bound:
/// the shape passes the node's checks (`StatementShapes.admits`: no literal naming or placing a
/// column, no subquery) and, the first time, the shape's plan printed with its bind variables
/// replaced by the statement's literals is the plan of the statement itself. Otherwise the
/// shape is refused and its statements are planned by text.
struct ShapePlans {
    enum Entry {
        case plan(any Primitive)
        case refused
    }

    private(set) var entries: [String: Entry] = [:]
    static let capacity = 2_000

    mutating func removeAll() { entries.removeAll() }

    /// The shape's plan and the statement's bind variables, or nil (plan the text instead).
    mutating func plan(for normalized: NormalizedStatement, key: String, original: String,
                       planner: (SQLStatement) throws(PlanError) -> any Primitive) -> (any Primitive, BindVariables)? {
        let entry: Entry
        if let known = entries[key] {
            entry = known
        } else {
            entry = Self.entry(for: normalized, original: original, planner: planner)
            if entries.count >= Self.capacity { entries.removeAll() }
            entries[key] = entry
        }
        guard case .plan(let primitive) = entry else { return nil }
        var bindings = BindVariables(minimumCapacity: normalized.literals.count)
        for (i, literal) in normalized.literals.enumerated() {
            bindings[Self.name(i)] = .value(literal.sqlValue)
        }
        return (primitive, bindings)
    }

    static func name(_ index: Int) -> String { index < names.count ? names[index] : "vtg\(index + 1)" }
    /// The first names, made once (every routed statement binds its literals by name).
    private static let names: [String] = (1...64).map { "vtg\($0)" }

    /// Whether `name` is one of the normalizer's bind variables.
    static func isName(_ name: String) -> Bool {
        name.hasPrefix("vtg") && name.utf8.count > 3 && name.utf8.dropFirst(3).allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    static func entry(for normalized: NormalizedStatement, original: String,
                      planner: (SQLStatement) throws(PlanError) -> any Primitive) -> Entry {
        guard let shape = try? SQLParser.parse(normalized.shape), StatementShapes.admits(shape),
              let parsed = try? SQLParser.parse(original) else { return .refused }
        var named = 0
        let template = shape.rewritingExpressions { node in
            guard case .parameter(nil, let index) = node else { return node }
            named += 1
            return .parameter(name: name(index), index: -1)
        }
        guard named == normalized.literals.count, let plan = try? planner(template), let own = try? planner(parsed) else { return .refused }
        // Later numbers first, so that :vtg1 does not match the start of :vtg10.
        let printer = SQLPrinter(dialect: .mysql)
        var described = plan.describe()
        for (i, literal) in normalized.literals.enumerated().reversed() {
            described = described.replacing(":" + name(i), with: printer.print(.literal(literal)))
        }
        return described == own.describe() ? .plan(plan) : .refused
    }
}

extension Literal {
    /// The value of an integer or string literal, as a bind variable carries it.
    var sqlValue: SQLValue {
        switch self {
        case .integer(let v): .integer(v)
        case .string(let text): .text(text)
        default: preconditionFailure("the normalizer takes out integers and strings only")
        }
    }
}
