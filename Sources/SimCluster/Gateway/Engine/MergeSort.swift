import HeapModule
import SQLSyntax

/// Merges shards' results, each already sorted by the same keys, into one sorted result: a
/// k-way merge over a heap of the shards' next rows (Vitess's `engine/merge_sort.go`). Ties
/// keep shard order, so the merge is deterministic.
enum MergeSort {
    struct Head: Comparable {
        let row: [SQLValue]
        let shard: Int
        let index: Int
        let keys: [SortKey]

        static func < (a: Head, b: Head) -> Bool {
            let c = ValueOrder.compare(a.row, b.row, by: a.keys)
            return c != 0 ? c < 0 : (a.shard, a.index) < (b.shard, b.index)
        }

        static func == (a: Head, b: Head) -> Bool { a.shard == b.shard && a.index == b.index }
    }

    static func merge(_ parts: [QueryResult], by keys: [SortKey]) -> QueryResult {
        var heap = Heap<Head>()
        for (shard, part) in parts.enumerated() where !part.rows.isEmpty {
            heap.insert(Head(row: part.rows[0], shard: shard, index: 0, keys: keys))
        }
        var rows: [[SQLValue]] = []
        rows.reserveCapacity(parts.reduce(0) { $0 + $1.rows.count })
        while let head = heap.popMin() {
            rows.append(head.row)
            let next = head.index + 1
            if next < parts[head.shard].rows.count {
                heap.insert(Head(row: parts[head.shard].rows[next], shard: head.shard, index: next, keys: keys))
            }
        }
        return QueryResult(columns: parts.first?.columns ?? [], rows: rows)
    }
}
