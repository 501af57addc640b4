import SimCore

/// A failure scenario as a file describes it: the system, its network, the faults, the checks and
/// the verdict expected. Names in it are resolved when the scenario runs; the loader has already
/// checked that they exist.
public struct Scenario: Sendable {
    /// The file the scenario came from (for messages and replay commands).
    public var file: String
    public var name: String
    public var description: String
    /// The seed used when the command line gives none.
    public var seed: UInt64
    /// How long the run lasts in virtual time.
    public var duration: SimDuration
    /// When random faults stop and every fault still in force is healed; nil never heals.
    public var healAt: SimDuration?
    /// How long after the heal the system must have made progress again.
    public var livenessBound: SimDuration
    /// The most events the run may process.
    public var budget: Int
    public var network: NetworkSpec
    /// The processes of a kernel-level system.
    public var processes: [ProcessSpec]
    public var faults: [TimedFault]
    public var randomFaults: RandomFaultSpec?
    /// The checkers to run (every applicable one when the file names none).
    public var checks: [String]
    public var expect: ExpectedVerdict
}

/// The default link and per-link overrides.
public struct NetworkSpec: Sendable {
    public var defaultLink: LinkConfig
    public var links: [LinkOverride]

    public init(defaultLink: LinkConfig = .reliable, links: [LinkOverride] = []) {
        self.defaultLink = defaultLink
        self.links = links
    }
}

/// A link that behaves differently from the default.
public struct LinkOverride: Sendable {
    public var from: String
    public var to: String
    public var config: LinkConfig
    /// Whether the override applies to `to → from` too.
    public var bothWays: Bool
}

/// One process of a kernel-level system.
public struct ProcessSpec: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Answers every ping with a pong; counts answers durably.
        case echo
        /// Pings its target at a fixed interval and records the pongs.
        case ping
    }

    public var name: String
    public var kind: Kind
    /// The echo a ping process pings.
    public var target: String?
    public var interval: SimDuration
    /// How many pings to send (nil: until the run ends).
    public var count: Int?
    /// A deliberate defect, to prove a checker catches it (`wrong_reply`).
    public var mutant: String?
}

/// A fault at a time of the timeline.
public struct TimedFault: Sendable {
    public var at: SimDuration
    /// The fault, naming processes by name.
    public var action: FaultAction<String>
    /// Left in force by the final heal (a partition that never heals, a node that stays down).
    public var permanent: Bool
    public var location: SourceLocation?
}

/// Random faults: an explicit mix of kinds and rates, or one drawn from the seed (swarm).
public struct RandomFaultSpec: Sendable {
    public enum Mix: Sendable {
        case explicit(FaultMix)
        /// Each run draws its own mix from its seed, among these kinds.
        case swarm([FaultKind])
    }

    public var mix: Mix
    /// The processes faults may hit (all when nil).
    public var targets: [String]?
    public var start: SimDuration
}

/// The verdict a scenario expects.
public enum ExpectedVerdict: Sendable, Equatable, CustomStringConvertible {
    case pass
    /// A violation, of the named checker if one is given.
    case violation(String?)

    public var description: String {
        switch self {
        case .pass: "pass"
        case .violation(let checker): checker.map { "violation: \($0)" } ?? "violation"
        }
    }
}
