import SimCluster
import SimCore
import SQLSyntax

/// The standalone-MySQL oracle for list-append histories: the committed transactions, put in an
/// order consistent with everything the cluster showed (each key's final list orders its
/// appends; every locking read sits between the append it saw last and the next one), are
/// replayed with the same SQL into one unsharded database. Every committed locking read must
/// return there what it returned through the cluster, and the final table must be the same. Transactions whose outcome
/// is unknown count as committed exactly when their appends are in the final data.
public struct ListAppendOracle {
    public let workload: ListAppendWorkload

    public init(workload: ListAppendWorkload) { self.workload = workload }

    /// A difference between the cluster and the standalone database.
    public struct Finding: Sendable, Equatable {
        public let message: String
        public let details: [String]
    }

    /// What the replay did.
    public struct Outcome: Sendable {
        public var findings: [Finding] = []
        public var replayed = 0
        public var comparedReads = 0
        public var statements = 0
    }

    public func check(_ history: RunHistory, finalLists: [Int64: [Int64]], on database: any OracleDatabase) throws -> Outcome {
        var outcome = Outcome()
        let txns = history.transactions
        var position: [Int64: [Int64: Int]] = [:]
        for (key, list) in finalLists { position[key] = Dictionary(uniqueKeysWithValues: list.enumerated().map { ($1, $0) }) }
        // Committed: ok, or unknown with its appends in the final data.
        let committed = txns.indices.filter { t in
            switch txns[t].finalOutcome {
            case .ok: return true
            case .fail: return false
            case .unknown:
                return txns[t].ops.contains { if case .append(let k, let v) = $0 { position[k]?[v] != nil } else { false } }
            }
        }
        var writer: [Int64: [Int64: Int]] = [:]
        for t in committed {
            for case .append(let k, let v) in txns[t].ops { writer[k, default: [:]][v] = t }
        }
        // Edges: appends in final order; a read after the append it saw last, before the next.
        var successors: [Int: [Int]] = [:]
        var predecessors = [Int: Int](uniqueKeysWithValues: committed.map { ($0, 0) })
        func edge(_ a: Int?, _ b: Int?) {
            guard let a, let b, a != b, predecessors[a] != nil, predecessors[b] != nil else { return }
            successors[a, default: []].append(b)
            predecessors[b, default: 0] += 1
        }
        for key in finalLists.keys.sorted() {
            let list = finalLists[key]!
            for (a, b) in zip(list, list.dropFirst()) { edge(writer[key]?[a], writer[key]?[b]) }
        }
        // Plain reads see a snapshot, not the serial order: only locking reads place and compare.
        for t in committed where txns[t].finalOutcome == .ok && workload.lockingReads {
            for case .read(let k, let values?) in txns[t].ops {
                let list = finalLists[k] ?? []
                guard list.starts(with: values) else {
                    outcome.findings.append(Finding(message: "\(txns[t].name) read key \(k) as \(Self.text(values)), which is not how its final list \(Self.text(list)) begins",
                                                    details: [txns[t].line]))
                    continue
                }
                if let last = values.last { edge(writer[k]?[last], t) }
                if values.count < list.count { edge(t, writer[k]?[list[values.count]]) }
            }
        }
        guard outcome.findings.isEmpty else { return outcome }
        // Kahn's algorithm; among ready transactions the earliest invoked goes first.
        func before(_ a: Int, _ b: Int) -> Bool { (txns[a].invoked, txns[a].client, txns[a].index) < (txns[b].invoked, txns[b].client, txns[b].index) }
        var ready = committed.filter { predecessors[$0] == 0 }.sorted(by: before)
        var order: [Int] = []
        while !ready.isEmpty {
            let t = ready.removeFirst()
            order.append(t)
            for s in successors[t] ?? [] {
                predecessors[s]! -= 1
                if predecessors[s] == 0 {
                    let at = ready.firstIndex { before(s, $0) } ?? ready.count
                    ready.insert(s, at: at)
                }
            }
        }
        guard order.count == committed.count else {
            outcome.findings.append(Finding(message: "the committed transactions have no serial order (a dependency cycle: see list_append)", details: []))
            return outcome
        }
        // The replay, in one batch: BEGIN, each micro-op's statements, COMMIT.
        var statements: [String] = []
        var readAt: [(txn: Int, op: Int, statement: Int)] = []
        for t in order {
            statements.append("BEGIN")
            for (i, op) in txns[t].ops.enumerated() {
                for sql in workload.statements(for: op) {
                    if case .read = op { readAt.append((t, i, statements.count)) }
                    statements.append(sql)
                }
            }
            statements.append("COMMIT")
        }
        statements.append("SELECT \(workload.keyColumn), \(workload.valueColumn) FROM \(workload.table) ORDER BY \(workload.keyColumn)")
        let results = try database.run(statements)
        outcome.replayed = order.count
        outcome.statements = statements.count
        for (i, result) in results.enumerated() {
            if case .failure(let error) = result {
                outcome.findings.append(Finding(message: "\(database.name) refused a replayed statement: \(error.message)", details: [statements[i]]))
            }
        }
        for (t, i, s) in readAt where txns[t].finalOutcome == .ok && workload.lockingReads {
            guard case .read(let k, let seen?) = txns[t].ops[i], case .success(let answer) = results[s] else { continue }
            outcome.comparedReads += 1
            let standalone = (try? workload.completed(.read(key: k, values: nil), results: [answer])).flatMap { if case .read(_, let v?) = $0 { v } else { nil } }
            if standalone != seen {
                outcome.findings.append(Finding(
                    message: "\(txns[t].name) read key \(k) as \(Self.text(seen)) through the cluster, but \(standalone.map(Self.text) ?? "nothing") from \(database.name) in serial order",
                    details: [txns[t].line]))
            }
        }
        if case .success(let final)? = results.last {
            var lists: [Int64: [Int64]] = [:]
            for row in final.rows where row.count == 2 {
                guard let key = row[0].integer ?? (row[0].textValue.flatMap { Int64($0) }) else { continue }
                lists[key] = (row[1].textValue ?? "").split(separator: " ").compactMap { Int64($0) }
            }
            let clusterKeys = finalLists.filter { !$0.value.isEmpty }
            for key in Set(lists.keys).union(clusterKeys.keys).sorted() where (lists[key] ?? []) != (clusterKeys[key] ?? []) {
                outcome.findings.append(Finding(
                    message: "key \(key) ends as \(Self.text(clusterKeys[key] ?? [])) in the cluster but \(Self.text(lists[key] ?? [])) in \(database.name)",
                    details: []))
            }
        }
        return outcome
    }

    static func text(_ values: [Int64]) -> String { "[" + values.map(String.init).joined(separator: " ") + "]" }
}

extension SQLValue {
    /// The text of a text value.
    var textValue: String? { if case .text(let t) = self { t } else { nil } }
}
