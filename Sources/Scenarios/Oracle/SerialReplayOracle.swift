import SimCluster
import SimCore
import SQLSyntax

/// The standalone-MySQL oracle for any generated transactional workload (bank, counter, random
/// CRUD): the committed transactions are replayed with the same SQL into one unsharded database
/// in the order their clients sent COMMIT. Under two-phase locking that order is a serial order:
/// when a client sends COMMIT its transaction holds every lock it will take and has released
/// none, so of two conflicting transactions the one that commits first also sent COMMIT first.
/// Every replayed statement must succeed, every committed locking read must answer as it did
/// through the cluster, and each table must end with the same rows. A transaction whose outcome
/// is unknown may have committed or not: replays try the combinations (up to `maxUnknown` such
/// transactions) and the history passes if one of them matches.
public struct SerialReplayOracle: Sendable {
    /// A table compared at the end, and the columns compared.
    public struct Table: Sendable {
        public let name: String
        public let columns: [String]
        public init(name: String, columns: [String]) {
            self.name = name
            self.columns = columns
        }
    }

    public let workload: any TransactionWorkload
    public let tables: [Table]
    /// Beyond this many unknown outcomes only "none committed" and "all committed" are tried,
    /// and a mismatch is inconclusive rather than a finding.
    public var maxUnknown = 8

    public init(workload: any TransactionWorkload, tables: [Table]) {
        self.workload = workload
        self.tables = tables
    }

    /// What the replays found.
    public struct Outcome: Sendable {
        public var findings: [ListAppendOracle.Finding] = []
        /// Transactions replayed by the matching (or best) attempt.
        public var replayed = 0
        public var comparedReads = 0
        public var comparedRows = 0
        /// Replays run (one per combination of unknown outcomes tried).
        public var attempts = 0
        /// Transactions with unknown outcomes that sent COMMIT (whose combinations were tried).
        public var unknownTried = 0
        /// Unknown transactions the matching (or best) attempt counted as committed.
        public var unknownCommitted: [String] = []
        /// Set when too many unknown outcomes left the check without a verdict.
        public var inconclusive: String?
    }

    public func check(_ history: RunHistory, finalRows: [String: [[SQLValue]]], on database: any OracleDatabase) throws -> Outcome {
        let txns = history.transactions
        // A transaction that never sent COMMIT never committed, whatever its recorded outcome.
        let candidates = txns.indices.filter { t in
            txns[t].commitInvoked != nil && txns[t].finalOutcome != .fail
        }.sorted { a, b in
            (txns[a].commitInvoked!, txns[a].client, txns[a].index) < (txns[b].commitInvoked!, txns[b].client, txns[b].index)
        }
        let maybe = candidates.filter { txns[$0].finalOutcome == .unknown }
        let best = try Self.closestReplay(unknown: maybe.count, maxUnknown: maxUnknown, database: database) { chosen in
            let included = Set(chosen.map { maybe[$0] })
            var outcome = try replay(candidates.filter { txns[$0].finalOutcome == .ok || included.contains($0) }, txns, finalRows, database)
            outcome.unknownCommitted = maybe.filter { included.contains($0) }.map { txns[$0].name }
            return outcome
        }
        if best?.findings.isEmpty == true { return best! }
        guard var result = best else { return Outcome() }
        if maybe.count > maxUnknown {
            result.inconclusive = "\(maybe.count) transactions have unknown outcomes (more than \(maxUnknown)); neither none nor all of them committed matches"
            result.findings = []
        } else if !maybe.isEmpty {
            let names = result.unknownCommitted.isEmpty ? "none" : result.unknownCommitted.joined(separator: ", ")
            for i in result.findings.indices {
                result.findings[i] = .init(message: result.findings[i].message, details: result.findings[i].details
                    + ["no combination of the \(maybe.count) unknown outcome(s) matches; closest counts as committed: \(names)"])
            }
        }
        return result
    }

    /// Replays once per combination of the `unknown` outcomes (each counted or not; beyond
    /// `maxUnknown`, only none and all), resetting the database in between, until one matches;
    /// otherwise the closest (fewest findings). `replay` gets the chosen unknowns' positions.
    static func closestReplay(unknown: Int, maxUnknown: Int, database: any OracleDatabase,
                              replay: (_ chosen: [Int]) throws -> Outcome) throws -> Outcome? {
        let masks: [UInt64] = unknown <= maxUnknown ? Array(0..<(UInt64(1) << unknown)) : [0, UInt64.max]
        var best: Outcome?
        for mask in masks {
            if best != nil { try database.reset() }
            var outcome = try replay((0..<unknown).filter { mask & (UInt64(1) << min($0, 63)) != 0 })
            outcome.attempts = (best?.attempts ?? 0) + 1
            outcome.unknownTried = unknown
            if outcome.findings.isEmpty { return outcome }
            if best == nil || outcome.findings.count < best!.findings.count { best = outcome } else { best!.attempts = outcome.attempts }
        }
        return best
    }

    /// Each table's final rows in the cluster against the standalone database's answers to the
    /// `SELECT`s of `tables` (in order, from `results[offset]`).
    static func compareTables(_ tables: [Table], results: [Result<QueryResult, MySQLError>], offset: Int, finalRows: [String: [[SQLValue]]],
                              database: String, after: String, into outcome: inout Outcome) {
        for (i, table) in tables.enumerated() {
            guard case .success(let answer) = results[offset + i] else { continue }
            let cluster = multiset(finalRows[table.name] ?? [])
            let standalone = multiset(answer.rows)
            outcome.comparedRows += cluster.count
            guard cluster != standalone else { continue }
            outcome.findings.append(.init(
                message: "table \(table.name) ends with \(cluster.count) rows in the cluster and \(standalone.count) in \(database) \(after)",
                details: subtract(cluster, standalone).prefix(5).map { "only in the cluster: (\($0))" }
                    + subtract(standalone, cluster).prefix(5).map { "only in \(database): (\($0))" }))
        }
    }

    /// One replay of `order`, compared with the cluster.
    func replay(_ order: [Int], _ txns: [TransactionRecord], _ finalRows: [String: [[SQLValue]]], _ database: any OracleDatabase) throws -> Outcome {
        var outcome = Outcome()
        var statements: [String] = []
        var owner: [Int] = []
        var reads: [(txn: Int, op: Int, first: Int, count: Int)] = []
        for t in order {
            statements.append("BEGIN")
            owner.append(t)
            for (i, op) in txns[t].ops.enumerated() {
                let sql = workload.statements(for: op)
                if txns[t].finalOutcome == .ok && workload.isComparable(op) { reads.append((t, i, statements.count, sql.count)) }
                statements += sql
                owner += sql.map { _ in t }
            }
            statements.append("COMMIT")
            owner.append(t)
        }
        let replayed = statements.count
        for table in tables { statements.append("SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name)") }
        let results = try database.run(statements)
        outcome.replayed = order.count
        for (i, result) in results.enumerated() {
            guard case .failure(let error) = result else { continue }
            let who = i < replayed ? "\(txns[owner[i]].name), committed through the cluster, " : "the final read "
            outcome.findings.append(.init(message: "\(who)fails in \(database.name) in commit order: \(error.message)",
                                          details: [statements[i]] + (i < replayed ? [txns[owner[i]].line] : [])))
        }
        for read in reads {
            let answers = results[read.first..<(read.first + read.count)].compactMap { try? $0.get() }
            guard answers.count == read.count else { continue }
            let seen = txns[read.txn].ops[read.op]
            outcome.comparedReads += 1
            if let difference = Self.difference(seen, standalone: answers, workload: workload) {
                outcome.findings.append(.init(
                    message: "\(txns[read.txn].name) read \(difference.cluster) through the cluster, but \(difference.standalone) from \(database.name) in commit order",
                    details: statements[read.first..<(read.first + read.count)] + [txns[read.txn].line]))
            }
        }
        Self.compareTables(tables, results: results, offset: replayed, finalRows: finalRows, database: database.name,
                           after: "after the committed transactions in commit order", into: &outcome)
        return outcome
    }

    /// How a committed read differs from the standalone database's answer, or nil if it does not.
    static func difference(_ seen: MicroOp, standalone answers: [QueryResult], workload: any TransactionWorkload) -> (cluster: String, standalone: String)? {
        if case .statement(let statement) = seen {
            let ordered = statement.kind == .read(ordered: true)
            let cluster = (statement.rows ?? []).map(Self.rowText)
            let alone = (answers.first?.rows ?? []).map(Self.rowText)
            let same = ordered ? cluster == alone : cluster.sorted() == alone.sorted()
            return same ? nil : (Self.rowsText(cluster), Self.rowsText(alone))
        }
        // Typed answers from a typeless client (MariaDB's batch output) read back as numbers.
        let typed = answers.map { answer in
            var answer = answer
            answer.rows = answer.rows.map { $0.map { value in if case .text(let t) = value, let n = Int64(t) { .integer(n) } else { value } } }
            return answer
        }
        let blank = Self.unanswered(seen)
        guard let alone = try? workload.completed(blank, results: typed) else { return (seen.notation, "an answer the workload cannot read") }
        return alone == seen ? nil : (seen.notation, alone.notation)
    }

    /// A read with its answer taken out.
    static func unanswered(_ op: MicroOp) -> MicroOp {
        switch op {
        case .read(let key, _): .read(key: key, values: nil)
        case .readBalances: .readBalances(nil)
        case .readCounter(let key, _): .readCounter(key: key, value: nil)
        case .statement(let s): .statement(CrudStatement(sql: s.sql, kind: s.kind))
        case .append, .transfer, .increment: op
        }
    }

    /// Rows as canonical text, one string per row.
    static func multiset(_ rows: [[SQLValue]]) -> [String] { rows.map(rowText).sorted() }

    static func rowText(_ row: [SQLValue]) -> String { row.map(canonical).joined(separator: ", ") }

    static func rowsText(_ rows: [String]) -> String { rows.isEmpty ? "no rows" : rows.map { "(\($0))" }.joined(separator: " ") }

    /// A value as text that engines agree on: numbers without trailing fractional zeros (MySQL
    /// prints DECIMAL(10,2) 5 as 5.00), text quoted.
    static func canonical(_ value: SQLValue) -> String {
        switch value {
        case .null: return "NULL"
        case .integer(let n): return String(n)
        case .real(let d): return d.rounded() == d && abs(d) < 9.2e18 ? String(Int64(d)) : String(d)
        case .bytes(let b): return "x'" + b.map { String($0, radix: 16) }.joined() + "'"
        case .text(let t):
            if Int64(t) != nil { return t }
            if t.contains("."), Double(t) != nil, t.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) {
                var trimmed = Substring(t)
                while trimmed.last == "0" { trimmed = trimmed.dropLast() }
                if trimmed.last == "." { trimmed = trimmed.dropLast() }
                return trimmed == "-0" ? "0" : String(trimmed)
            }
            return "'" + t + "'"
        }
    }

    /// Rows in `a` beyond those in `b` (both sorted).
    static func subtract(_ a: [String], _ b: [String]) -> [String] {
        var counts: [String: Int] = [:]
        for row in b { counts[row, default: 0] += 1 }
        return a.filter { row in
            if let n = counts[row], n > 0 { counts[row] = n - 1; return false }
            return true
        }
    }
}
