import SimCluster
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
    /// (cluster) After `duration`, the clients stop and the cluster runs this much longer before
    /// the checks, so that replication and the 2PC resolvers finish what the workload left.
    public var quiesce: SimDuration = .zero
    public var network: NetworkSpec
    /// What runs: a kernel-level system of processes, or a cluster with its workload.
    public var system: SystemSpec
    public var faults: [TimedFault]
    public var randomFaults: RandomFaultSpec?
    /// The checkers to run (every applicable one when the file names none).
    public var checks: [String]
    /// Mechanisms the run must reach (coverage marks); a run that misses one is a violation
    /// of `coverage`, since it would pass without testing what it is about.
    public var exercises: [ClusterMark] = []
    public var expect: ExpectedVerdict
    /// The standalone database the `oracle` check replays committed work into (a run option,
    /// not a file field: `simrun run --oracle mariadb`).
    public var oracle: OracleChoice = .sqlite
}

/// The system a scenario runs.
public enum SystemSpec: Sendable {
    /// Ping and echo processes on the bare kernel.
    case kernel([ProcessSpec])
    /// A Vitess cluster and the clients that use it.
    case cluster(ClusterScenario)

    /// Every process name of the system.
    public var processNames: [String] {
        switch self {
        case .kernel(let processes): processes.map(\.name)
        case .cluster(let cluster): ClusterLayout(cluster.spec).processNames + cluster.clientNames
        }
    }
}

/// A cluster and its workload.
public struct ClusterScenario: Sendable {
    public var spec: ClusterSpec
    public var workloads: [WorkloadSpec]

    /// The names of the workload's client processes (`client-1`, `client-2`, ...).
    public var clientNames: [String] {
        let count = workloads.reduce(0) { $0 + $1.clients }
        return (0..<count).map { "client-\($0 + 1)" }
    }
}

/// A workload of a cluster scenario.
public struct WorkloadSpec: Sendable {
    public enum Kind: Sendable {
        /// Clients that insert rows (`id`, `v`) into a table of one shard through its primary
        /// tablet, finding the primary in the topology.
        case writer(keyspace: String, shard: String, table: String)
        /// Clients that run a script of statements, one after the other, through a gateway.
        case script(gateway: String, statements: [String], timeout: SimDuration)
        /// Clients that run Elle's list-append transactions; the history is checked against `model`.
        case listAppend(ListAppendWorkload, TransactionClientSettings, model: ConsistencyModel)
        /// Clients that run bank transfers and reads of every balance.
        case bank(BankWorkload, TransactionClientSettings)
        /// Clients that add to counters and read them.
        case counter(CounterWorkload, TransactionClientSettings)
        /// Clients that run random CRUD transactions over tables of the VSchema.
        case crud(CrudWorkload, TransactionClientSettings)
        /// Sessions that write a row, read it back from the primary, then from a replica.
        case readYourWrites(gateway: String, keyspace: String, table: String, timeout: SimDuration)
    }

    public var kind: Kind
    public var clients: Int
    public var interval: SimDuration
}

extension WorkloadSpec.Kind {
    /// The generator and client settings of a generated transactional workload.
    public var transactional: (any TransactionWorkload, TransactionClientSettings)? {
        switch self {
        case .listAppend(let generator, let settings, _): (generator, settings)
        case .bank(let generator, let settings): (generator, settings)
        case .counter(let generator, let settings): (generator, settings)
        case .crud(let generator, let settings): (generator, settings)
        case .writer, .script, .readYourWrites: nil
        }
    }
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

/// A step of the timeline: a fault, or an action on a cluster.
public struct TimedFault: Sendable {
    public var at: SimDuration
    public var action: ScenarioAction
    /// Left in force by the final heal (a partition that never heals, a node that stays down).
    public var permanent: Bool
    public var location: SourceLocation?
}

/// What a timeline step does.
public enum ScenarioAction: Sendable, Equatable {
    /// A kernel fault, naming processes by name.
    case fault(FaultAction<String>)
    /// Crash a tablet and its MySQL node together (a host failure).
    case crashHost(String, losingUnsynced: Int)
    case restartHost(String)
    /// Ask VTOrc for a planned or emergency reparent.
    case reparent(ReparentRequest)
    /// Arm a 2PC fault point in the gateways (or one gateway) for its next `count` commits.
    case twoPCFault(TwoPCFaultPoint, gateway: String?, action: TwoPCFaultAction, count: Int)

    /// The kernel fault, if the step is one.
    public var fault: FaultAction<String>? { if case .fault(let f) = self { f } else { nil } }
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
    /// (cluster) 2PC fault points armed at random.
    public var twoPCPoints: RandomTwoPCPoints?
}

/// 2PC fault points armed at random times: each arming picks a point (and a shard for the
/// per-shard ones) and whether the coordinator fails or stalls there, for one commit.
public struct RandomTwoPCPoints: Sendable, Equatable {
    /// The mean time between armings (each gap is drawn between half and one and a half of it).
    public var every: SimDuration
    /// The probability that an arming stalls the coordinator rather than fails the commit.
    public var stall: Double
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
