import SimCore

/// A finding of a checker: which invariant broke and an explanation a person can follow.
public struct Violation: Sendable, Equatable {
    public let checker: String
    public let message: String
    /// Supporting details (the operations or events involved), one per line.
    public let details: [String]

    public init(checker: String, message: String, details: [String] = []) {
        self.checker = checker
        self.message = message
        self.details = details
    }
}

/// What a checker sees of a finished run of the kernel-level system.
public struct KernelRunView {
    public let scenario: Scenario
    public let simulation: Simulation<KernelMessage>
    public let histories: [(name: String, history: PingHistory)]
    public let echoes: [(name: String, store: EchoStore)]
}

/// Checks one invariant of a finished run.
public protocol KernelChecker: Sendable {
    var name: String { get }
    func check(_ run: KernelRunView) -> [Violation]
}

/// The checkers scenario files can name.
public enum CheckerRegistry {
    public static let kernelCheckers: [any KernelChecker] = [DeliveryChecker(), LivenessChecker()]
    public static let clusterCheckers: [any ClusterChecker] = [
        SinglePrimaryChecker(), DurabilityChecker(), ConvergenceChecker(), ClusterLivenessChecker(),
        AtomicityChecker(), CommitOrderChecker(), TransactionResolutionChecker(), ClientErrorsChecker(),
        ListAppendScenarioChecker(), BankScenarioChecker(), OracleChecker(), ReadYourWritesChecker(), RoutingChecker(), CounterScenarioChecker(),
    ]

    /// The checks that apply to a system.
    public static func checkNames(for system: SystemSpec) -> [String] {
        switch system {
        case .kernel: kernelCheckers.map(\.name)
        case .cluster: clusterCheckers.map(\.name)
        }
    }
}
