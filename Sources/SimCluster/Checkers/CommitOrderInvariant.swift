import SimCore

extension ClusterInvariants {
    /// Transactions that wrote the same rows committed in one order on every shard: following,
    /// row by row, who overwrote whom in each final primary's binlog gives no cycle. A prepared
    /// part must keep its row locks until it commits, or a later transaction can slip in on one
    /// shard and not on another (write-write conflicts out of order: not serializable).
    public static func commitOrder(_ cluster: Cluster) -> [InvariantFinding] {
        // Keys are structs, and witnesses are written out only for the cycle reported: the
        // check runs after every fuzz run, over every binlog entry of every shard.
        struct EntryKey: Hashable { let shard: String, gtid: GTID }
        struct RowKey: Hashable { let table: String, rowID: Int64 }
        struct Edge: Hashable { let from: String, to: String }
        struct Witness { let shard: String, row: RowKey }
        var multiIDs: [EntryKey: String] = [:]
        for commit in cluster.observer.distributedCommits where commit.mode == .multi {
            for part in commit.parts {
                if case .committed(let gtid?) = part.outcome { multiIDs[EntryKey(shard: part.shard, gtid: gtid)] = commit.id }
            }
        }
        var edges: [String: Set<String>] = [:]
        var witness: [Edge: Witness] = [:]
        for shard in cluster.shards {
            guard let primary = cluster.primary(of: shard), let storage = cluster.storage(of: primary) else { continue }
            let log = ShardTransactionLog(storage: storage)
            var dtidByGTID: [GTID: String] = [:]
            for (dtid, gtid) in log.commitGTIDs { dtidByGTID[gtid] = dtid }
            var lastWriter: [RowKey: String] = [:]
            for entry in storage.binlog {
                guard case .rows(let changes) = entry.event else { continue }
                let id = dtidByGTID[entry.gtid] ?? multiIDs[EntryKey(shard: shard.key, gtid: entry.gtid)] ?? "\(shard.key)@\(entry.gtid)"
                for change in changes where !change.table.hasPrefix(TwoPCSidecar.prefix) {
                    let low = min(change.oldRowID, change.newRowID), high = max(change.oldRowID, change.newRowID)
                    let rowIDs = change.kind == .insert ? [change.newRowID] : (low == high ? [low] : [low, high])
                    for rowID in rowIDs {
                        let key = RowKey(table: change.table, rowID: rowID)
                        if let previous = lastWriter[key], previous != id, edges[previous, default: []].insert(id).inserted {
                            witness[Edge(from: previous, to: id)] = Witness(shard: shard.key, row: key)
                        }
                        lastWriter[key] = id
                    }
                }
            }
        }
        guard let cycle = firstCycle(edges) else { return [] }
        let steps = zip(cycle, cycle.dropFirst() + [cycle[0]]).map { from, to in
            guard let w = witness[Edge(from: from, to: to)] else { return "\(from) before \(to)" }
            return "\(w.shard): \(w.row.table) row \(w.row.rowID) written by \(from), then by \(to)"
        }
        return [InvariantFinding(
            invariant: "commit_order",
            message: "transactions committed in different orders on different shards: \((cycle + [cycle[0]]).joined(separator: " → "))",
            details: steps)]
    }

    /// A cycle of the graph, if any (iterative depth-first search in name order, so the same
    /// graph always gives the same cycle).
    static func firstCycle(_ edges: [String: Set<String>]) -> [String]? {
        var state: [String: Int] = [:] // 1 on the path, 2 done
        let adjacency = edges.mapValues { $0.sorted() }
        for root in adjacency.keys.sorted() where state[root] == nil {
            var path: [(node: String, next: Int)] = [(root, 0)]
            state[root] = 1
            while let top = path.last {
                let successors = adjacency[top.node] ?? []
                if top.next == successors.count {
                    state[top.node] = 2
                    path.removeLast()
                    continue
                }
                path[path.count - 1].next += 1
                let successor = successors[top.next]
                switch state[successor] {
                case 1?:
                    let start = path.firstIndex { $0.node == successor }!
                    return path[start...].map(\.node)
                case nil:
                    state[successor] = 1
                    path.append((successor, 0))
                default:
                    continue
                }
            }
        }
        return nil
    }
}
