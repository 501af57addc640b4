/// Row-level locks of one MySQL node, held by transactions (named by their session) until they
/// end. Acquisition is all-or-nothing: a statement either gets every lock it needs or learns who
/// holds the ones it cannot have, and waits for them.
struct LockManager {
    struct Entry {
        var holders: [(owner: Int, mode: LockMode)] = []
    }

    private var entries: [LockKey: Entry] = [:]
    /// The keys each owner holds, in acquisition order (so release needs no hash iteration).
    private var held: [Int: [LockKey]] = [:]
    /// Who each blocked owner waits for.
    private(set) var waitsFor: [Int: [Int]] = [:]

    /// The owners that hold a lock conflicting with `owner` taking `keys`, sorted; empty when it
    /// may take them all (it then holds them).
    mutating func acquire(_ keys: [(key: LockKey, mode: LockMode)], for owner: Int) -> [Int] {
        var blockers: [Int] = []
        for (key, mode) in keys {
            guard let entry = entries[key] else { continue }
            for holder in entry.holders where holder.owner != owner && !(mode.compatible(with: holder.mode)) {
                if !blockers.contains(holder.owner) { blockers.append(holder.owner) }
            }
        }
        guard blockers.isEmpty else { return blockers.sorted() }
        var taken: [LockKey] = []
        for (key, mode) in keys {
            // One hash lookup per key, the entry changed in place.
            let isNew = Self.take(&entries[key, default: Entry()], owner: owner, mode: mode)
            if isNew { taken.append(key) }
        }
        if !taken.isEmpty { held[owner, default: []].append(contentsOf: taken) }
        return []
    }

    /// Adds `owner` to an entry's holders, or raises its mode; true if it was not a holder.
    private static func take(_ entry: inout Entry, owner: Int, mode: LockMode) -> Bool {
        if let index = entry.holders.firstIndex(where: { $0.owner == owner }) {
            if mode == .exclusive { entry.holders[index].mode = .exclusive }
            return false
        }
        entry.holders.append((owner, mode))
        return true
    }

    /// Releases everything `owner` holds.
    mutating func release(_ owner: Int) {
        if let keys = held.removeValue(forKey: owner) {
            for key in keys {
                guard let index = entries.index(forKey: key) else { continue }
                entries.values[index].holders.removeAll { $0.owner == owner }
                if entries.values[index].holders.isEmpty { entries.remove(at: index) }
            }
        }
        if !waitsFor.isEmpty { waitsFor[owner] = nil }
    }

    /// Whether no lock is held by anyone (autocommit writes then need no trial run).
    var isEmpty: Bool { entries.isEmpty }

    /// How many locks `owner` holds.
    func count(of owner: Int) -> Int { held[owner]?.count ?? 0 }

    /// Records that `owner` waits for `blockers` (nil: it waits no more).
    mutating func setWaiting(_ owner: Int, on blockers: [Int]?) {
        waitsFor[owner] = blockers
    }

    /// A cycle of waits through `owner`, if its wait closes one: the owners on it, `owner` first.
    func cycle(through owner: Int) -> [Int]? {
        // Depth-first over sorted edges, so the cycle found is the same in every run.
        var path: [Int] = [owner]
        var visited: Set<Int> = [owner]
        func search(_ current: Int) -> Bool {
            for next in (waitsFor[current] ?? []).sorted() {
                if next == owner { return true }
                if visited.insert(next).inserted {
                    path.append(next)
                    if search(next) { return true }
                    path.removeLast()
                }
            }
            return false
        }
        return search(owner) ? path : nil
    }
}
