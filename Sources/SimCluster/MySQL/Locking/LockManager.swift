/// Row-level locks of one MySQL node, held by transactions (named by their session) until they
/// end. Acquisition is all-or-nothing: a statement either gets every lock it needs or learns who
/// holds the ones it cannot have, and waits for them.
struct LockManager {
    /// A lock's holders. Nearly every lock has one holder, kept inline: no array to allocate
    /// for each lock taken.
    struct Entry {
        var first: (owner: Int, mode: LockMode)
        var others: [(owner: Int, mode: LockMode)] = []

        init(_ owner: Int, _ mode: LockMode) { first = (owner, mode) }

        /// Adds to `blockers` the holders other than `owner` whose mode excludes `mode`.
        func conflicts(with owner: Int, _ mode: LockMode, into blockers: inout [Int]) {
            if first.owner != owner && !mode.compatible(with: first.mode), !blockers.contains(first.owner) { blockers.append(first.owner) }
            for holder in others where holder.owner != owner && !mode.compatible(with: holder.mode) {
                if !blockers.contains(holder.owner) { blockers.append(holder.owner) }
            }
        }

        /// Adds `owner` as a holder, or raises its mode; true if it was not a holder.
        mutating func take(_ owner: Int, _ mode: LockMode) -> Bool {
            if first.owner == owner {
                if mode == .exclusive { first.mode = .exclusive }
                return false
            }
            if let index = others.firstIndex(where: { $0.owner == owner }) {
                if mode == .exclusive { others[index].mode = .exclusive }
                return false
            }
            others.append((owner, mode))
            return true
        }

        /// Drops `owner`; false when no holder is left.
        mutating func drop(_ owner: Int) -> Bool {
            if first.owner == owner {
                guard !others.isEmpty else { return false }
                first = others.removeFirst()
            } else {
                others.removeAll { $0.owner == owner }
            }
            return true
        }
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
            guard let index = entries.index(forKey: key) else { continue }
            entries.values[index].conflicts(with: owner, mode, into: &blockers)
        }
        guard blockers.isEmpty else { return blockers.sorted() }
        var ownKeys = held.removeValue(forKey: owner) ?? []
        for (key, mode) in keys {
            if let index = entries.index(forKey: key) {
                if entries.values[index].take(owner, mode) { ownKeys.append(key) }
            } else {
                entries[key] = Entry(owner, mode)
                ownKeys.append(key)
            }
        }
        if !ownKeys.isEmpty { held[owner] = ownKeys }
        return []
    }

    /// Releases everything `owner` holds.
    mutating func release(_ owner: Int) {
        if let keys = held.removeValue(forKey: owner) {
            for key in keys {
                guard let index = entries.index(forKey: key) else { continue }
                if !entries.values[index].drop(owner) { entries.remove(at: index) }
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
