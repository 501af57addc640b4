import SimCore
import SQLSyntax

/// A broken invariant of a cluster run, explained.
public struct InvariantFinding: Sendable, Equatable {
    public let invariant: String
    public let message: String
    public let details: [String]
}

/// The storage layer's invariants, computed from the observer's records and the final state.
public enum ClusterInvariants {
    /// At any time at most one tablet of a shard accepts writes: the periods in which two
    /// tablets committed client writes (each under its primary term) never overlap.
    public static func singlePrimary(_ cluster: Cluster) -> [InvariantFinding] {
        var findings: [InvariantFinding] = []
        for shard in cluster.shards {
            let commits = cluster.observer.nodeCommits.filter { $0.shard == shard.key }
            // One period per (node, term): from its first to its last commit.
            var periods: [(node: String, term: SimTime?, first: SimTime, last: SimTime, count: Int)] = []
            for commit in commits {
                if let i = periods.firstIndex(where: { $0.node == commit.node && $0.term == commit.term }) {
                    periods[i].last = commit.time
                    periods[i].count += 1
                } else {
                    periods.append((commit.node, commit.term, commit.time, commit.time, 1))
                }
            }
            for (i, a) in periods.enumerated() {
                for b in periods[(i + 1)...] where a.node != b.node && a.first <= b.last && b.first <= a.last {
                    findings.append(InvariantFinding(
                        invariant: "single_primary",
                        message: "shard \(shard.key) had two primaries accepting writes: \(a.node) committed \(a.count) writes from \(a.first) to \(a.last) while \(b.node) committed \(b.count) from \(b.first) to \(b.last)",
                        details: ["\(a.node) term \(a.term.map { "\($0)" } ?? "?"), \(b.node) term \(b.term.map { "\($0)" } ?? "?")"]))
                }
            }
        }
        return findings
    }

    /// Every commit acknowledged to a client is on the shard's primary at the end.
    public static func durability(_ cluster: Cluster) -> [InvariantFinding] {
        var findings: [InvariantFinding] = []
        for shard in cluster.shards {
            let acknowledged = cluster.observer.acknowledged.filter { $0.shard == shard.key }
            guard !acknowledged.isEmpty else { continue }
            guard let primary = cluster.primary(of: shard), let storage = cluster.storage(of: primary) else {
                findings.append(InvariantFinding(invariant: "durability", message: "shard \(shard.key) has no primary at the end", details: []))
                continue
            }
            let lost = acknowledged.filter { !storage.binlogged.contains($0.gtid) }
            guard !lost.isEmpty else { continue }
            findings.append(InvariantFinding(
                invariant: "durability",
                message: "\(lost.count) of \(acknowledged.count) acknowledged commits of shard \(shard.key) are missing on its primary \(primary)",
                details: lost.prefix(10).map { "\($0.gtid) acknowledged to \($0.client) at \($0.time)" }
                    + (storage.lost.isEmpty ? [] : ["lost by a storage fault on \(primary): \(storage.lost.map(\.description).joined(separator: ", "))"])))
        }
        return findings
    }

    /// Every TWOPC commit acknowledged to a client keeps its COMMIT decision on the metadata
    /// manager's primary at the end (the decision is what makes every part commit).
    public static func distributedDurability(_ cluster: Cluster) -> [InvariantFinding] {
        let logs = transactionLogs(cluster)
        let lost = cluster.observer.distributedCommits.filter { commit in
            guard commit.mode == .twoPC, commit.acknowledged == true, let manager = commit.parts.first?.shard else { return false }
            return logs[manager]?.decisions[commit.id] != .commit
        }
        guard !lost.isEmpty else { return [] }
        return [InvariantFinding(
            invariant: "durability",
            message: "\(lost.count) distributed commits acknowledged to clients have no COMMIT decision on their metadata manager's primary at the end",
            details: lost.prefix(10).map { "\($0.id) (through \($0.gateway)), metadata manager \($0.parts[0].shard)" })]
    }

    /// At quiescence every replica (and rdonly) that runs and is not drained holds the same data
    /// as its primary, table by table.
    public static func convergence(_ cluster: Cluster) -> [InvariantFinding] {
        var findings: [InvariantFinding] = []
        for shard in cluster.shards {
            guard let primary = cluster.primary(of: shard), let primaryStorage = cluster.storage(of: primary),
                  let expected = try? primaryStorage.checksums() else { continue }
            for tablet in shard.tablets where tablet.alias != primary {
                guard cluster.simulation.status(of: tablet.mysqld) == .running,
                      cluster.simulation.status(of: tablet.tablet) == .running,
                      !cluster.isDrained(tablet.alias),
                      let storage = cluster.storage(of: tablet.alias), let actual = try? storage.checksums() else { continue }
                let differing = zip(expected, actual).filter { $0.checksum != $1.checksum }.flatMap { e, a in
                    ["\(e.table): \(primary) has \(e.rows) rows, \(tablet.alias) has \(a.rows)"]
                        + Self.rowDifferences(e.table, primary: (primary, primaryStorage), replica: (tablet.alias, storage))
                }
                if !differing.isEmpty || expected.count != actual.count {
                    findings.append(InvariantFinding(
                        invariant: "convergence",
                        message: "replica \(tablet.alias) of shard \(shard.key) differs from primary \(primary) at the end (it has \(storage.binlogged), the primary \(primaryStorage.binlogged))",
                        details: differing))
                }
            }
        }
        return findings
    }

    /// Up to three rows each side has and the other lacks, to show how two nodes differ.
    static func rowDifferences(_ table: String, primary: (String, MySQLStorage), replica: (String, MySQLStorage)) -> [String] {
        guard let a = try? primary.1.rows(of: table), let b = try? replica.1.rows(of: table) else { return [] }
        func text(_ row: [SQLValue]) -> String { "(" + row.map(\.description).joined(separator: ", ") + ")" }
        let onlyA = a.filter { !b.contains($0) }.prefix(3).map { "  only on \(primary.0): \(text($0))" }
        let onlyB = b.filter { !a.contains($0) }.prefix(3).map { "  only on \(replica.0): \(text($0))" }
        return onlyA + onlyB
    }
}

extension Cluster {
    /// Whether the tablet's record in the topology says DRAINED (broken, out of service).
    public func isDrained(_ alias: String) -> Bool {
        guard case .tablet(let record)? = topoStore.value(TopoPath.tablet(alias)) else { return false }
        return record.type == .drained
    }
}
