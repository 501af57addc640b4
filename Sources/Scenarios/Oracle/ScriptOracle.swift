import SimCluster
import SimCore
import SQLSyntax

/// The standalone-MySQL oracle for a script workload of one session: its statements ran one
/// after the other, so their order is known, and the same statements replayed in that order into
/// one unsharded database must answer the same. Writes outside transactions and whole
/// transactions are units: a unit whose outcome the session could not know (a timeout, a lost
/// connection, a gateway error such as a shard without a serving primary) may have happened or
/// not, and the replays try both (up to `maxUnknown` such units). Statements that failed with a
/// MySQL data error (a duplicate key, a NULL in a NOT NULL column) must fail the same way. Reads
/// are compared unless they ran on a replica (`USE ks@replica`: stale by design), inside a unit
/// of unknown outcome, or with LIMIT and no ORDER BY (any rows may come back).
public struct ScriptOracle: Sendable {
    public let tables: [SerialReplayOracle.Table]
    public var maxUnknown = 8

    public init(tables: [SerialReplayOracle.Table]) { self.tables = tables }

    /// MySQL's data errors: the statement itself is wrong for the data, whichever server runs it.
    static let dataErrors: Set<Int> = [1048, 1054, 1062, 1064, 1136, 1146, 1264, 1292, 1364, 1366, 1406, 1451, 1452, 1690]

    /// A unit of the session's work, as the replay treats it.
    struct Unit {
        var statements: [(index: Int, sql: String)] = []
        var unknown = false
    }

    public func check(_ entries: [GatewayHistory.Entry], finalRows: [String: [[SQLValue]]],
                      on database: any OracleDatabase) throws -> SerialReplayOracle.Outcome {
        var units: [Unit] = []
        var current: Unit?
        var onReplica = false
        var comparable = Set<Int>()
        for (i, entry) in entries.enumerated() {
            guard let statement = try? SQLParser.parse(entry.sql) else { continue }
            let failure: MySQLError? = if case .failed(let e)? = entry.outcome { e } else { nil }
            let uncertain = entry.outcome == nil || entry.outcome == .unknown || failure.map { !Self.dataErrors.contains($0.code) } == true
            switch statement {
            case .use(let use):
                if entry.outcome.map({ if case .ok = $0 { true } else { false } }) == true {
                    onReplica = use.tabletType.map { !["primary", "master"].contains($0.lowercased()) } ?? false
                }
            case .begin:
                if let open = current { units.append(open) }
                current = Unit(statements: [(i, entry.sql)], unknown: uncertain)
            case .commit, .rollback:
                guard var open = current else { continue }
                open.statements.append((i, entry.sql))
                if uncertain, case .commit = statement { open.unknown = true }
                units.append(open)
                current = nil
            case .select(let query):
                if case .ok? = entry.outcome, !onReplica, !Self.limitWithoutOrder(query) { comparable.insert(i) }
                if current != nil { current!.statements.append((i, entry.sql)) } else if !onReplica { units.append(Unit(statements: [(i, entry.sql)])) }
            case .insert, .update, .delete:
                if current != nil {
                    current!.statements.append((i, entry.sql))
                    if uncertain { current!.unknown = true }
                } else {
                    units.append(Unit(statements: [(i, entry.sql)], unknown: uncertain))
                }
            default:
                continue
            }
        }
        // A transaction the session never ended never committed: its locks went with the session.
        let maybe = units.indices.filter { units[$0].unknown }
        let best = try SerialReplayOracle.closestReplay(unknown: maybe.count, maxUnknown: maxUnknown, database: database) { chosen in
            let included = Set(chosen.map { maybe[$0] })
            var outcome = try replay(units.indices.filter { !units[$0].unknown || included.contains($0) }.map { units[$0] },
                                     entries, comparable: comparable, finalRows, database)
            outcome.unknownCommitted = maybe.filter { included.contains($0) }.map { "statement \(units[$0].statements[0].index + 1)" }
            return outcome
        }
        guard var result = best else { return SerialReplayOracle.Outcome() }
        if maybe.count > maxUnknown && !result.findings.isEmpty {
            result.inconclusive = "\(maybe.count) units of the script have unknown outcomes (more than \(maxUnknown))"
            result.findings = []
        }
        return result
    }

    func replay(_ units: [Unit], _ entries: [GatewayHistory.Entry], comparable: Set<Int>, _ finalRows: [String: [[SQLValue]]],
                _ database: any OracleDatabase) throws -> SerialReplayOracle.Outcome {
        var outcome = SerialReplayOracle.Outcome()
        let order = units.flatMap { unit in unit.statements.map { (index: $0.index, sql: $0.sql, unknown: unit.unknown) } }
        let statements = order.map(\.sql) + tables.map { "SELECT \($0.columns.joined(separator: ", ")) FROM \($0.name)" }
        let results = try database.run(statements)
        outcome.replayed = units.count
        for (position, step) in order.enumerated() where !step.unknown {
            let entry = entries[step.index]
            let label = "statement \(step.index + 1) (\(entry.sql))"
            switch (entry.outcome, results[position]) {
            case (.ok(let cluster)?, .success(let alone)):
                guard comparable.contains(step.index) else { continue }
                outcome.comparedReads += 1
                let a = SerialReplayOracle.multiset(cluster.rows), b = SerialReplayOracle.multiset(alone.rows)
                if a != b {
                    outcome.findings.append(.init(message: "\(label) answered \(SerialReplayOracle.rowsText(a)) through the cluster, but \(SerialReplayOracle.rowsText(b)) from \(database.name)",
                                                  details: []))
                }
            case (.ok?, .failure(let error)):
                outcome.findings.append(.init(message: "\(label) succeeded through the cluster but fails in \(database.name): \(error.message)", details: []))
            case (.failed(let clusterError)?, .success) where Self.dataErrors.contains(clusterError.code):
                outcome.findings.append(.init(message: "\(label) failed through the cluster (\(clusterError.code): \(clusterError.message)) but succeeds in \(database.name)",
                                              details: []))
            case (.failed(let clusterError)?, .failure(let error)) where Self.dataErrors.contains(clusterError.code) && clusterError.code != error.code:
                outcome.findings.append(.init(message: "\(label) failed with \(clusterError.code) through the cluster but \(error.code) in \(database.name): \(error.message)",
                                              details: []))
            default:
                continue
            }
        }
        SerialReplayOracle.compareTables(tables, results: results, offset: order.count, finalRows: finalRows, database: database.name,
                                         after: "after the script", into: &outcome)
        return outcome
    }

    /// LIMIT without ORDER BY: any rows may come back, so the answer is not compared.
    static func limitWithoutOrder(_ query: SelectQuery) -> Bool {
        switch query {
        case .select(let s): s.limit != nil && s.orderBy.isEmpty
        case .compound(let c): c.limit != nil && c.orderBy.isEmpty
        }
    }

    /// The tables a script writes.
    public static func writtenTables(_ entries: [GatewayHistory.Entry]) -> [String] {
        var names: [String] = []
        for entry in entries {
            guard let statement = try? SQLParser.parse(entry.sql) else { continue }
            let name: String? = switch statement {
            case .insert(let i): i.table.name
            case .update(let u): u.table.name
            case .delete(let d): d.table.name
            default: nil
            }
            if let name, !names.contains(name) { names.append(name) }
        }
        return names
    }
}
