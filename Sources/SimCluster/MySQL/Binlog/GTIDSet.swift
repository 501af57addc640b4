/// A set of GTIDs, kept as sorted intervals per server (`101:1-5,102:1-3`).
public struct GTIDSet: Hashable, Sendable, CustomStringConvertible {
    /// Per server (ascending), disjoint ascending intervals.
    public private(set) var servers: [(server: UInt32, intervals: [ClosedRange<Int64>])] = []

    public init() {}

    public init<S: Sequence>(_ gtids: S) where S.Element == GTID {
        for gtid in gtids { insert(gtid) }
    }

    public var isEmpty: Bool { servers.isEmpty }

    /// How many transactions the set holds.
    public var count: Int64 {
        servers.reduce(0) { $0 + $1.intervals.reduce(0) { $0 + ($1.upperBound - $1.lowerBound + 1) } }
    }

    public func contains(_ gtid: GTID) -> Bool {
        guard let entry = servers.first(where: { $0.server == gtid.server }) else { return false }
        return entry.intervals.contains { $0.contains(gtid.sequence) }
    }

    public mutating func insert(_ gtid: GTID) {
        insert(gtid.server, gtid.sequence...gtid.sequence)
    }

    mutating func insert(_ server: UInt32, _ range: ClosedRange<Int64>) {
        // The usual case: the next transaction of a server extends its last interval.
        if let index = servers.lastIndex(where: { $0.server == server }), let last = servers[index].intervals.last,
           last.upperBound + 1 == range.lowerBound || last.contains(range.lowerBound) && last.contains(range.upperBound) {
            if last.upperBound < range.upperBound {
                servers[index].intervals[servers[index].intervals.count - 1] = last.lowerBound...range.upperBound
            }
            return
        }
        guard let index = servers.firstIndex(where: { $0.server >= server }), servers[index].server == server else {
            let position = servers.firstIndex(where: { $0.server > server }) ?? servers.count
            servers.insert((server, [range]), at: position)
            return
        }
        var merged: [ClosedRange<Int64>] = []
        var current = range
        for interval in servers[index].intervals {
            if interval.upperBound + 1 < current.lowerBound || current.upperBound + 1 < interval.lowerBound {
                merged.append(interval)
            } else {
                current = min(interval.lowerBound, current.lowerBound)...max(interval.upperBound, current.upperBound)
            }
        }
        merged.append(current)
        merged.sort { $0.lowerBound < $1.lowerBound }
        servers[index].intervals = merged
    }

    /// The highest sequence of `server` in the set (0 when none).
    public func last(of server: UInt32) -> Int64 {
        servers.first { $0.server == server }?.intervals.last?.upperBound ?? 0
    }

    public func union(_ other: GTIDSet) -> GTIDSet {
        var result = self
        for entry in other.servers { for interval in entry.intervals { result.insert(entry.server, interval) } }
        return result
    }

    /// Whether every transaction of `other` is in this set (Vitess's `AtLeast`).
    public func isSuperset(of other: GTIDSet) -> Bool {
        for entry in other.servers {
            for interval in entry.intervals {
                guard let mine = servers.first(where: { $0.server == entry.server }),
                      mine.intervals.contains(where: { $0.lowerBound <= interval.lowerBound && $0.upperBound >= interval.upperBound })
                else { return false }
            }
        }
        return true
    }

    /// The transactions of this set that `other` lacks (errant transactions, when `other` is
    /// what the primary has).
    public func subtracting(_ other: GTIDSet) -> GTIDSet {
        var result = GTIDSet()
        for entry in servers {
            for interval in entry.intervals {
                var start = interval.lowerBound
                let theirs = other.servers.first { $0.server == entry.server }?.intervals ?? []
                for cut in theirs where cut.upperBound >= start && cut.lowerBound <= interval.upperBound {
                    if cut.lowerBound > start { result.insert(entry.server, start...(cut.lowerBound - 1)) }
                    start = max(start, cut.upperBound + 1)
                }
                if start <= interval.upperBound { result.insert(entry.server, start...interval.upperBound) }
            }
        }
        return result
    }

    public var description: String {
        servers.map { entry in
            "\(entry.server):" + entry.intervals.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
                .joined(separator: ":")
        }.joined(separator: ",")
    }

    public static func == (a: GTIDSet, b: GTIDSet) -> Bool {
        a.servers.count == b.servers.count && zip(a.servers, b.servers).allSatisfy { $0.server == $1.server && $0.intervals == $1.intervals }
    }

    public func hash(into hasher: inout Hasher) {
        for entry in servers {
            hasher.combine(entry.server)
            for interval in entry.intervals { hasher.combine(interval.lowerBound); hasher.combine(interval.upperBound) }
        }
    }
}
