import SimCluster
import SimCore

/// What a checker sees of a finished cluster run.
public struct ClusterRunView {
    public let scenario: Scenario
    public let cluster: Cluster
    /// Each writer client's history.
    public let writers: [(name: String, history: WriteHistory)]
    /// Each gateway client's history.
    public let gatewayClients: [(name: String, history: GatewayHistory)]
    /// Each generated transaction workload and its clients' histories.
    public var transactionWorkloads: [TransactionWorkloadRun] = []
    /// Each read-your-writes session's history.
    public var readYourWrites: [(name: String, history: ReadYourWritesHistory)] = []
    /// What the checkers report having examined (shown with the verdict, so that a pass that
    /// examined nothing shows).
    public let notes = CheckNotes()

    public init(scenario: Scenario, cluster: Cluster, writers: [(name: String, history: WriteHistory)] = [],
                gatewayClients: [(name: String, history: GatewayHistory)] = [], transactionWorkloads: [TransactionWorkloadRun] = [],
                readYourWrites: [(name: String, history: ReadYourWritesHistory)] = []) {
        self.scenario = scenario
        self.cluster = cluster
        self.writers = writers
        self.gatewayClients = gatewayClients
        self.transactionWorkloads = transactionWorkloads
        self.readYourWrites = readYourWrites
    }
}

/// Lines in which checkers say how much they examined: `oracle: replayed 212 transactions ...`.
public final class CheckNotes {
    public private(set) var lines: [String] = []
    public init() {}
    public func add(_ checker: String, _ text: String) { lines.append("\(checker): \(text)") }
}

/// A generated transaction workload of a run and what its clients did.
public struct TransactionWorkloadRun {
    public let kind: WorkloadSpec.Kind
    public let histories: [TransactionHistory]
}

extension ClusterRunView {
    /// The workloads that `select` picks (giving each one's generator and table), grouped by table
    /// in order of first appearance: workloads on one table (clients of several gateways, say)
    /// make one history. Each group keeps its first workload's generator.
    func histories<Generator>(_ select: (WorkloadSpec.Kind) -> (Generator, table: String)?) -> [(Generator, RunHistory)] {
        var tables: [String] = []
        var groups: [String: (Generator, [TransactionHistory])] = [:]
        for workload in transactionWorkloads {
            guard let (generator, table) = select(workload.kind) else { continue }
            if groups[table] == nil { tables.append(table) }
            groups[table, default: (generator, [])].1 += workload.histories
        }
        return tables.map { (groups[$0]!.0, RunHistory(groups[$0]!.1)) }
    }
}

/// Checks one invariant of a finished cluster run.
public protocol ClusterChecker: Sendable {
    var name: String { get }
    /// Whether it runs when a scenario names no checks (a strict expectation only runs when named).
    var byDefault: Bool { get }
    func check(_ run: ClusterRunView) -> [Violation]
}

extension ClusterChecker {
    public var byDefault: Bool { true }
}

extension Violation {
    init(_ finding: InvariantFinding) {
        self.init(checker: finding.invariant, message: finding.message, details: finding.details)
    }
}

/// Every row is on the shard its primary vindex maps it to.
public struct RoutingChecker: ClusterChecker {
    public let name = "routing"
    public init() {}
    public func check(_ run: ClusterRunView) -> [Violation] { ClusterInvariants.routing(run.cluster).map(Violation.init) }
}

/// At most one primary per shard accepts writes at any time.
public struct SinglePrimaryChecker: ClusterChecker {
    public let name = "single_primary"
    public init() {}
    public func check(_ run: ClusterRunView) -> [Violation] { ClusterInvariants.singlePrimary(run.cluster).map(Violation.init) }
}

/// Every commit acknowledged to a client is on its shard's primary at the end (for a TWOPC
/// commit: its COMMIT decision on the metadata manager's).
public struct DurabilityChecker: ClusterChecker {
    public let name = "durability"
    public init() {}
    public func check(_ run: ClusterRunView) -> [Violation] {
        (ClusterInvariants.durability(run.cluster) + ClusterInvariants.distributedDurability(run.cluster)).map(Violation.init)
    }
}

/// At the end every live replica holds its primary's data.
public struct ConvergenceChecker: ClusterChecker {
    public let name = "convergence"
    public init() {}
    public func check(_ run: ClusterRunView) -> [Violation] { ClusterInvariants.convergence(run.cluster).map(Violation.init) }
}

/// After the heal every writer gets an acknowledged write again within the liveness bound.
public struct ClusterLivenessChecker: ClusterChecker {
    public let name = "liveness"
    public init() {}

    public func check(_ run: ClusterRunView) -> [Violation] {
        guard let healAt = run.scenario.healAt else { return [] }
        let heal = SimTime(nanoseconds: healAt.nanoseconds)
        let deadline = heal + run.scenario.livenessBound
        guard run.cluster.simulation.now >= deadline else { return [] }
        var violations: [Violation] = []
        for (name, history) in run.writers {
            let recovered = history.attempts.contains { attempt in
                guard attempt.sent >= heal, case .acknowledged? = attempt.outcome else { return false }
                return attempt.sent <= deadline
            }
            if !recovered {
                let last = history.acknowledged.last.map { "its last acknowledged write was \($0.gtid)" } ?? "no write was ever acknowledged"
                violations.append(Violation(
                    checker: "liveness",
                    message: "\(name) got no acknowledged write between the heal at \(heal) and \(deadline); \(last)",
                    details: history.attempts.suffix(3).map { "write \($0.id) sent at \($0.sent): \($0.outcome.map { "\($0)" } ?? "no answer")" }))
            }
        }
        return violations
    }
}

/// Every distributed transaction committed on all its shards or on none (TWOPC), and MULTI's
/// partial commits reported.
public struct AtomicityChecker: ClusterChecker {
    public let name = "atomicity"
    public init() {}
    public func check(_ run: ClusterRunView) -> [Violation] { ClusterInvariants.atomicity(run.cluster).map(Violation.init) }
}

/// Conflicting transactions committed in the same order on every shard.
public struct CommitOrderChecker: ClusterChecker {
    public let name = "commit_order"
    public init() {}
    public func check(_ run: ClusterRunView) -> [Violation] { ClusterInvariants.commitOrder(run.cluster).map(Violation.init) }
}

/// No distributed transaction stays in doubt longer than the liveness bound, counted from the
/// heal for those begun before it (the resolver finishes every one).
public struct TransactionResolutionChecker: ClusterChecker {
    public let name = "transaction_resolution"
    public init() {}

    public func check(_ run: ClusterRunView) -> [Violation] {
        let now = run.cluster.simulation.now
        let bound = run.scenario.livenessBound
        guard now.nanoseconds >= bound.nanoseconds else { return [] }
        // Transactions caught by faults get the bound from the heal on (those from before the
        // heal are all older than `now - bound` once the bound has passed after it).
        if let heal = run.scenario.healAt, now < SimTime(nanoseconds: heal.nanoseconds) + bound { return [] }
        let before = SimTime(nanoseconds: now.nanoseconds - bound.nanoseconds)
        return ClusterInvariants.transactionsResolved(run.cluster, before: before).map(Violation.init)
    }
}

/// Every statement of every gateway client succeeded: for scenarios that promise clients see
/// no error (a buffered failover); only run when a scenario names it.
public struct ClientErrorsChecker: ClusterChecker {
    public let name = "client_errors"
    public var byDefault: Bool { false }
    public init() {}

    public func check(_ run: ClusterRunView) -> [Violation] {
        var violations: [Violation] = []
        for (name, history) in run.gatewayClients {
            let failed = history.entries.filter { entry in
                switch entry.outcome {
                case .failed?, .unknown?: true
                case .ok?, nil: false
                }
            }
            guard !failed.isEmpty else { continue }
            violations.append(Violation(
                checker: "client_errors",
                message: "\(name) saw \(failed.count) of \(history.entries.count) statements fail",
                details: failed.prefix(5).map { entry in
                    let outcome = entry.outcome.map { o -> String in
                        if case .failed(let e) = o { return "\(e)" }
                        return "no answer in time"
                    } ?? ""
                    return "at \(entry.invoked): \(entry.sql.prefix(80)) → \(outcome)"
                }))
        }
        return violations
    }
}
