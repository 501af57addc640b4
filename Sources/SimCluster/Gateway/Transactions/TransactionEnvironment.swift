/// What a gateway's transaction code needs from the run around it: its name, the observer the
/// checkers read, the armed 2PC fault points and the test-only mutants.
public struct TransactionEnvironment {
    public var gateway: String
    public var observer: ClusterObserver?
    public var faults: TwoPCFaultInjector?
    public var mutants: TwoPCMutants

    public init(gateway: String = "gateway", observer: ClusterObserver? = nil, faults: TwoPCFaultInjector? = nil, mutants: TwoPCMutants = []) {
        self.gateway = gateway
        self.observer = observer
        self.faults = faults
        self.mutants = mutants
    }

    func fire(_ point: TwoPCFaultPoint) -> TwoPCFaultAction? {
        guard let action = faults?.fire(point, gateway: gateway) else { return nil }
        observer?.mark(.twoPCFaultPoint)
        return action
    }
}
