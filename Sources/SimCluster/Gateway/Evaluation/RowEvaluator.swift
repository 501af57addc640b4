import SQLiteKit
import SQLSyntax

/// Evaluates MySQL expressions over rows the gateway holds (Vitess's evalengine role): HAVING
/// after a merge, select expressions over aggregates, conditions and values across a join.
/// Expressions are translated exactly as the nodes translate them and run on a private SQLite
/// database with the nodes' MySQL functions, so the gateway computes what a node would.
public final class RowEvaluator {
    let storage: MySQLStorage
    let session = MySQLSession(id: 0, privileged: true)
    var statements: [String: Statement] = [:]

    public init() throws {
        storage = try MySQLStorage(serverID: 0)
    }

    /// Expressions compiled against the input columns they read.
    public struct Compiled: Sendable, Equatable {
        /// The SQLite text: `SELECT e1, e2, ...` with `?N` for input column N-1.
        let sql: String
        /// How many input columns the text reads (the highest one).
        let parameterCount: Int
    }

    /// Compiles `expressions`, each of whose sub-expressions either appears in `layout` (the
    /// meaning of each input column, matched by printed text) or is computed from them.
    public func compile(_ expressions: [SQLExpression], layout: [SQLExpression]) throws(MySQLError) -> Compiled {
        let index = ExpressionLayout(layout)
        var substituted: [SQLExpression] = []
        var highest = 0
        for expression in expressions {
            let e = try index.substitute(expression)
            e.visit { node in
                if case .parameter(nil, let i) = node { highest = max(highest, i + 1) }
                return true
            }
            substituted.append(e)
        }
        let translator = StatementTranslator(catalog: storage.catalog, session: session, readOnly: true, serverID: 0)
        let translated = try substituted.map { e throws(MySQLError) in try translator.expression(e) }
        let printer = SQLPrinter(dialect: .sqlite)
        let sql = "SELECT " + translated.map { printer.print($0) }.joined(separator: ", ")
        return Compiled(sql: sql, parameterCount: highest)
    }

    /// The compiled expressions' values for one input row.
    public func evaluate(_ compiled: Compiled, row: [SQLValue]) throws(MySQLError) -> [SQLValue] {
        do {
            let statement: Statement
            if let cached = statements[compiled.sql] {
                statement = cached
            } else {
                // Texts with bind values put in differ per execution: keep the cache bounded.
                if statements.count >= 2_000 { statements.removeAll() }
                statement = try storage.db.prepare(compiled.sql)
                statements[compiled.sql] = statement
            }
            defer { statement.reset() }
            for i in 0..<compiled.parameterCount { try statement.bind(row[i].sqlite, at: Int32(i + 1)) }
            guard try statement.step() else { return [] }
            return statement.row().map(SQLValue.init)
        } catch let error as MySQLError {
            throw error
        } catch let error as SQLiteError {
            throw SQLiteErrorMapping.mysqlError(error, catalog: storage.catalog, database: "")
        } catch {
            throw MySQLError.unknown("\(error)")
        }
    }

    /// MySQL's truth of a value: NULL and zero are not true.
    public static func isTrue(_ value: SQLValue) -> Bool {
        MySQLNumbers.truth(value.sqlite) ?? false
    }
}

/// Input columns by the printed text of what they hold, for finding sub-expressions in them.
struct ExpressionLayout {
    let positions: [String: Int]

    init(_ layout: [SQLExpression]) {
        var positions: [String: Int] = [:]
        for (i, e) in layout.enumerated() where positions[Self.key(e)] == nil { positions[Self.key(e)] = i }
        self.positions = positions
    }

    static func key(_ e: SQLExpression) -> String { SQLPrinter().print(e) }

    func position(of e: SQLExpression) -> Int? { positions[Self.key(e)] }

    /// The expression with every sub-expression found in the layout replaced by a parameter
    /// for its column, outermost first. A column or aggregate not in the layout is an error.
    func substitute(_ e: SQLExpression) throws(MySQLError) -> SQLExpression {
        if let i = position(of: e) { return .parameter(name: nil, index: i) }
        switch e {
        case .column(let c):
            throw MySQLError(code: 1054, sqlState: "42S22", message: "Unknown column '\(SQLPrinter().print(.column(c)))' in the gateway's input")
        case .function(let call) where call.isAggregate:
            throw MySQLError.vtUnsupported("the aggregate \(SQLPrinter().print(e)) here")
        case .subquery, .exists, .inSubquery:
            throw MySQLError.vtUnsupported("a subquery evaluated in the gateway")
        case .parameter(let name?, _):
            // A bind variable must have been put in before evaluation: never read it as NULL.
            throw MySQLError(code: 1105, sqlState: "HY000", message: "missing bind variable \(name)")
        default:
            var failure: MySQLError?
            let mapped = e.mappingChildren { child in
                do throws(MySQLError) { return try substitute(child) } catch {
                    failure = failure ?? error
                    return child
                }
            }
            if let failure { throw failure }
            return mapped
        }
    }
}

extension SQLExpression {
    /// The expression with each direct child replaced by `transform` (one level).
    func mappingChildren(_ transform: (SQLExpression) -> SQLExpression) -> SQLExpression {
        let t = transform
        switch self {
        case .literal, .column, .parameter, .variable, .defaultValue, .exists, .subquery: return self
        case .unary(let op, let x): return .unary(op, t(x))
        case .binary(let op, let a, let b): return .binary(op, t(a), t(b))
        case .isNull(let x, let n): return .isNull(t(x), negated: n)
        case .isBoolean(let x, let v, let n): return .isBoolean(t(x), value: v, negated: n)
        case .between(let x, let low, let high, let n): return .between(t(x), low: t(low), high: t(high), negated: n)
        case .inList(let x, let list, let n): return .inList(t(x), list.map(t), negated: n)
        case .inSubquery(let x, let q, let n): return .inSubquery(t(x), q, negated: n)
        case .like(let x, let p, let e, let n): return .like(t(x), pattern: t(p), escape: e.map(t), negated: n)
        case .regexp(let x, let p, let n): return .regexp(t(x), pattern: t(p), negated: n)
        case .caseWhen(let c):
            return .caseWhen(CaseExpression(operand: c.operand.map(t),
                                            whens: c.whens.map { CaseExpression.When(condition: t($0.condition), result: t($0.result)) },
                                            otherwise: c.otherwise.map(t)))
        case .function(var f):
            f.arguments = f.arguments.map(t)
            f.orderBy = f.orderBy.map { OrderItem(expression: t($0.expression), descending: $0.descending) }
            return .function(f)
        case .cast(let x, let type): return .cast(t(x), type)
        case .convertUsing(let x, let c): return .convertUsing(t(x), charset: c)
        case .collate(let x, let c): return .collate(t(x), collation: c)
        case .tuple(let items): return .tuple(items.map(t))
        case .interval(let x, let unit): return .interval(t(x), unit: unit)
        }
    }
}
