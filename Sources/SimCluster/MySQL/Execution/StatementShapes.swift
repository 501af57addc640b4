import SQLSyntax

/// The statement shapes a node has met (see `LiteralNormalizer`): for each, the parsed statement
/// with its literals as bind parameters, or a refusal. A statement whose shape has a template
/// runs as that template with its literals bound, so its parse, its translation and SQLite's
/// prepared statement are made once per shape instead of once per text: workloads send the same
/// few shapes with ever new literals, and parsing and preparing them was a fifth of a node's work.
///
/// A shape gets a template only when binding cannot change what the statement means: a SELECT,
/// INSERT ... VALUES, UPDATE or DELETE without subqueries, derived tables or UNION, with no
/// literal in a select list (it names a column), GROUP BY, ORDER BY (`ORDER BY 2` is a
/// position) or HAVING; each `?` numbered in text order; the template with its own literals put back is
/// the statement parsed from the text, and with distinct probe values put back it is the shape's
/// text filled with those values, parsed.
///
/// One instance may serve many nodes (a cluster's), since a shape's template depends on the
/// parser alone, not on a node's schema.
public final class StatementShapes {
    public init() {}

    enum Entry {
        case template(SQLStatement)
        case refused
    }

    private(set) var entries: [String: Entry] = [:]
    /// Shapes are few, but a node should not keep every text of a run whose statements all
    /// differ in something other than literals.
    static let capacity = 1_000

    /// Shapes met: those with a template and those refused one.
    public var counts: (templates: Int, refused: Int) {
        let templates = entries.values.filter { if case .template = $0 { true } else { false } }.count
        return (templates, entries.count - templates)
    }

    /// The template for `normalized`, or nil when its shape is refused.
    func template(for normalized: NormalizedStatement, original: String) -> SQLStatement? {
        let entry: Entry
        if let known = entries[normalized.shape] {
            entry = known
        } else {
            entry = Self.entry(for: normalized, original: original)
            if entries.count >= Self.capacity { entries.removeAll() }
            entries[normalized.shape] = entry
        }
        if case .template(let statement) = entry { return statement }
        return nil
    }

    /// Whether a shape may run as a template, checked once per shape.
    static func entry(for normalized: NormalizedStatement, original: String) -> Entry {
        guard let template = try? SQLParser.parse(normalized.shape), admits(template),
              let parsed = try? SQLParser.parse(original) else { return .refused }
        var indexes: [Int] = []
        _ = template.rewritingExpressions { node in
            if case .parameter(nil, let index) = node { indexes.append(index) }
            return node
        }
        guard indexes.sorted() == Array(normalized.literals.indices) else { return .refused }
        guard bound(template, normalized.literals) == parsed else { return .refused }
        let probes = normalized.literals.enumerated().map { i, literal -> Literal in
            if case .integer = literal { return .integer(1_000_003 + Int64(i)) }
            return .string("vtsim-probe-\(i)")
        }
        guard let probed = try? SQLParser.parse(normalized.filled(with: probes)), bound(template, probes) == probed else { return .refused }
        return .template(template)
    }

    /// The template with `?` number i replaced by `literals[i]`.
    static func bound(_ template: SQLStatement, _ literals: [Literal]) -> SQLStatement {
        template.rewritingExpressions { node in
            if case .parameter(nil, let index) = node, literals.indices.contains(index) { return .literal(literals[index]) }
            return node
        }
    }

    /// Whether the statement's kind and structure let literals be bound (see the type's note).
    static func admits(_ statement: SQLStatement) -> Bool {
        guard !statement.containsSubquery else { return false }
        switch statement {
        case .select(.select(let s)):
            let named = s.columns.compactMap { item -> SQLExpression? in
                if case .expression(let e, _) = item { return e }
                return nil
            }
            // HAVING too: the row locks of a locking read are found without it.
            let unbound = named + s.groupBy + s.orderBy.map(\.expression) + (s.having.map { [$0] } ?? [])
            return s.from.allSatisfy(isPlain) && !unbound.contains(where: hasParameter)
        case .insert(let insert):
            if case .values = insert.source { return true }
            return false
        case .update(let update):
            return !update.orderBy.map(\.expression).contains(where: hasParameter)
        case .delete(let delete):
            return !delete.orderBy.map(\.expression).contains(where: hasParameter)
        default:
            return false
        }
    }

    static func hasParameter(_ expression: SQLExpression) -> Bool {
        var found = false
        _ = expression.deepRewritten { node in
            if case .parameter = node { found = true }
            return node
        }
        return found
    }

    /// A table or a join of tables (no derived table).
    static func isPlain(_ reference: TableReference) -> Bool {
        switch reference {
        case .table: true
        case .derived: false
        case .join(let join): isPlain(join.left) && isPlain(join.right)
        }
    }
}
