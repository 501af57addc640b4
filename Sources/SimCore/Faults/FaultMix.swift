/// How often one kind of fault strikes and how long each lasts.
public struct FaultRate: Sendable, Equatable {
    /// Mean time between two faults of this kind (gaps are uniform in 0...2×mean).
    public var meanInterval: SimDuration
    /// Each fault lasts a uniform duration in this range, then heals.
    public var minDuration: SimDuration
    public var maxDuration: SimDuration

    public init(meanInterval: SimDuration, minDuration: SimDuration, maxDuration: SimDuration) {
        precondition(meanInterval.nanoseconds > 0 && minDuration <= maxDuration, "invalid fault rate")
        self.meanInterval = meanInterval
        self.minDuration = minDuration
        self.maxDuration = maxDuration
    }
}

/// Which fault kinds are on in a run, with their rates, ordered by kind (never by hash order).
public struct FaultMix: Sendable, Equatable {
    public private(set) var entries: [(kind: FaultKind, rate: FaultRate)] = []

    public init() {}

    public init(_ entries: [(kind: FaultKind, rate: FaultRate)]) {
        for entry in entries { set(entry.kind, entry.rate) }
    }

    /// Turns `kind` on with `rate` (replacing an earlier rate).
    public mutating func set(_ kind: FaultKind, _ rate: FaultRate) {
        entries.removeAll { $0.kind == kind }
        entries.append((kind, rate))
        entries.sort { $0.kind < $1.kind }
    }

    /// Turns `kind` off.
    public mutating func remove(_ kind: FaultKind) { entries.removeAll { $0.kind == kind } }

    public func rate(of kind: FaultKind) -> FaultRate? { entries.first { $0.kind == kind }?.rate }

    public var isEmpty: Bool { entries.isEmpty }

    /// A swarm-testing mix: each of `kinds` is on with probability one half, with a mean interval
    /// and durations drawn per kind (as FoundationDB and TigerBeetle's VOPR draw theirs per seed).
    public static func swarm(_ random: inout RandomStream, kinds: [FaultKind] = FaultKind.allCases) -> FaultMix {
        var mix = FaultMix()
        for kind in kinds.sorted() where random.chance(0.5) {
            let mean = random.duration(in: .milliseconds(200), .seconds(5))
            let shortest = random.duration(in: .milliseconds(10), .milliseconds(500))
            let longest = shortest + random.duration(in: .zero, .seconds(3))
            mix.set(kind, FaultRate(meanInterval: mean, minDuration: shortest, maxDuration: longest))
        }
        return mix
    }

    public static func == (a: FaultMix, b: FaultMix) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.kind == $1.kind && $0.rate == $1.rate }
    }
}
