import SimCore

extension ClusterInvariants {
    /// The final primary's transaction log of every shard (`keyspace/shard`).
    static func transactionLogs(_ cluster: Cluster) -> [String: ShardTransactionLog] {
        var logs: [String: ShardTransactionLog] = [:]
        for shard in cluster.shards {
            guard let primary = cluster.primary(of: shard), let storage = cluster.storage(of: primary) else { continue }
            logs[shard.key] = ShardTransactionLog(storage: storage)
        }
        return logs
    }

    /// Every transaction a gateway committed across shards committed on all of them or on none,
    /// judged on the final data of each shard's primary:
    /// - TWOPC: the metadata manager's record decides (its move to COMMIT committed with its own
    ///   writes). A COMMIT decision needs every part that changed rows committed with its data; any
    ///   other decision allows no part's data. A part still prepared is in doubt, which is the
    ///   resolution check's business.
    /// - MULTI: a part the gateway saw commit (and still on the primary) next to a part that
    ///   certainly did not is a partial commit, which MULTI allows and this check reports.
    public static func atomicity(_ cluster: Cluster) -> [InvariantFinding] {
        let logs = transactionLogs(cluster)
        var findings: [InvariantFinding] = []
        for commit in cluster.observer.distributedCommits {
            switch commit.mode {
            case .twoPC:
                guard let manager = commit.parts.first, let mmLog = logs[manager.shard] else { continue }
                let decision = mmLog.decisions[commit.id]
                var wrong: [String] = []
                for part in commit.parts.dropFirst() {
                    guard let log = logs[part.shard] else { continue }
                    let rows = cluster.observer.preparedRows["\(commit.id)|\(part.shard)"]
                    let changedRows = rows.map { $0 > 0 } ?? part.wrote
                    if decision == .commit {
                        if !log.prepared.contains(commit.id) && part.wrote {
                            wrong.append("\(part.shard) never prepared its writes, yet the decision was COMMIT: they are lost")
                        } else if log.ended[commit.id] == false && changedRows {
                            wrong.append("\(part.shard) rolled back its prepared part (\(rows ?? 0) rows), though the decision was COMMIT")
                        } else if log.ended[commit.id] == nil && log.pendingRedo[commit.id] != nil && mmLog.pendingRecords[commit.id] == nil {
                            // Concluded: nobody will ever commit the part that is still only prepared.
                            wrong.append("\(part.shard) still holds its part only prepared (its writes not committed), yet the record on \(manager.shard) was concluded")
                        }
                    } else if log.ended[commit.id] == true {
                        wrong.append("\(part.shard) committed its part, though the record on \(manager.shard) says \(decision.map(\.description) ?? "nothing was decided")")
                    }
                }
                if !wrong.isEmpty {
                    findings.append(InvariantFinding(
                        invariant: "atomicity",
                        message: "distributed transaction \(commit.id) (coordinated by \(commit.gateway)) committed on some shards only",
                        details: ["metadata manager \(manager.shard): \(decision.map { "decided \($0)" } ?? "no decision")"] + wrong))
                }
            case .multi:
                var committed: [String] = []
                var notCommitted: [String] = []
                for part in commit.parts where part.wrote {
                    switch part.outcome {
                    case .committed(let gtid):
                        guard let shard = cluster.shards.first(where: { $0.key == part.shard }), let primary = cluster.primary(of: shard),
                              let storage = cluster.storage(of: primary) else { continue }
                        if let gtid, storage.binlogged.contains(gtid) { committed.append(part.shard) } else { notCommitted.append("\(part.shard) (lost)") }
                    case .rolledBack:
                        notCommitted.append(part.shard)
                    case .pending, .unknown:
                        continue
                    }
                }
                if !committed.isEmpty && !notCommitted.isEmpty {
                    findings.append(InvariantFinding(
                        invariant: "atomicity",
                        message: "MULTI transaction \(commit.id) (through \(commit.gateway)) committed partially: on \(committed.joined(separator: ", ")) but not on \(notCommitted.joined(separator: ", "))",
                        details: ["MULTI commits shard by shard; a failure after the first commit leaves the earlier ones committed (Vitess's partial commit, warning 301). Use TWOPC for atomic commits."]))
                }
            }
        }
        return findings
    }

    /// No distributed transaction stays in doubt for long: no record on a metadata manager and
    /// no redo log on a resource manager created before `before` is left at the end (the
    /// resolver finishes them once they are older than the abandon age).
    public static func transactionsResolved(_ cluster: Cluster, before: SimTime) -> [InvariantFinding] {
        let logs = transactionLogs(cluster)
        var findings: [InvariantFinding] = []
        for shard in cluster.shards {
            guard let log = logs[shard.key] else { continue }
            let records = log.pendingRecords.filter { $0.value < before }.keys.sorted()
            let redo = log.pendingRedo.filter { $0.value < before }.keys.sorted()
            guard !(records.isEmpty && redo.isEmpty) else { continue }
            var details = records.map { "record \($0) (\(log.decisions[$0].map(\.description) ?? "PREPARE")), created at \(log.pendingRecords[$0]!)" }
            details += redo.map { "prepared part of \($0) (redo log), written at \(log.pendingRedo[$0]!)" }
            findings.append(InvariantFinding(
                invariant: "transaction_resolution",
                message: "shard \(shard.key) still holds \(records.count) transaction records and \(redo.count) prepared parts from before \(before) at the end (\(cluster.simulation.now))",
                details: details))
        }
        return findings
    }
}
