/// Which directed links are cut by the partitions in force.
///
/// Each partition cuts every link from a process of side A to one of side B (and back, unless it
/// is one-way). Cuts are counted per link, so overlapping partitions heal independently.
public struct PartitionTable: Sendable {
    /// A partition in force.
    public struct Partition: Sendable, Equatable {
        public let name: String
        public let sideA: [ProcessID]
        public let sideB: [ProcessID]
        public let oneWay: Bool
    }

    public private(set) var active: [Partition] = []
    @usableFromInline var cuts = LinkMatrix<UInt16>(initial: 0)
    private var nextNumber = 1

    public init() {}

    /// True when no partition is in force (the common case, checked first on the hot path).
    @inlinable public var isEmpty: Bool { active.isEmpty }

    /// Whether the link `from → to` is cut.
    @inlinable public func isCut(from: ProcessID, to: ProcessID) -> Bool {
        if active.isEmpty { return false }
        return cuts[from, to] > 0
    }

    /// Cuts A→B (and B→A unless `oneWay`) under `name`, or under the next of `p1`, `p2`, ...
    /// Returns the name a later heal uses.
    @discardableResult
    public mutating func cut(name: String? = nil, _ sideA: [ProcessID], _ sideB: [ProcessID], oneWay: Bool) -> String {
        var chosen = name ?? ""
        while chosen.isEmpty || (name == nil && active.contains(where: { $0.name == chosen })) {
            chosen = "p\(nextNumber)"
            nextNumber += 1
        }
        let partition = Partition(name: chosen, sideA: sideA, sideB: sideB, oneWay: oneWay)
        apply(partition, delta: 1)
        active.append(partition)
        return chosen
    }

    /// Heals the partitions called `name`; returns how many there were.
    @discardableResult
    public mutating func heal(_ name: String) -> Int {
        let healed = active.filter { $0.name == name }
        for partition in healed { apply(partition, delta: -1) }
        active.removeAll { $0.name == name }
        return healed.count
    }

    /// Heals every partition; returns how many there were.
    @discardableResult
    public mutating func healAll() -> Int {
        let count = active.count
        for partition in active { apply(partition, delta: -1) }
        active.removeAll()
        return count
    }

    private mutating func apply(_ p: Partition, delta: Int) {
        for a in p.sideA {
            for b in p.sideB where a != b {
                bump(a, b, delta)
                if !p.oneWay { bump(b, a, delta) }
            }
        }
    }

    private mutating func bump(_ from: ProcessID, _ to: ProcessID, _ delta: Int) {
        cuts[from, to] = UInt16(Int(cuts[from, to]) + delta)
    }
}
