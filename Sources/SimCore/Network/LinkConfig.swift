/// The behaviour of a directed link between two processes.
public struct LinkConfig: Sendable, Equatable {
    /// Delay distribution of a message.
    public var latency: LatencyModel
    /// Probability that a message is lost.
    public var drop: Double
    /// Probability that a message is delivered twice (the copy has its own delay).
    public var duplicate: Double
    /// Probability that a message leaves the link's FIFO order and gets an extra delay, so later
    /// messages may overtake it. Links are FIFO otherwise, as TCP connections are.
    public var reorder: Double

    public init(latency: LatencyModel, drop: Double = 0, duplicate: Double = 0, reorder: Double = 0) {
        self.latency = latency
        self.drop = drop
        self.duplicate = duplicate
        self.reorder = reorder
    }

    /// 1ms fixed, nothing lost, duplicated or reordered.
    public static let reliable = LinkConfig(latency: .fixed(.milliseconds(1)))

    @inlinable var isPerfect: Bool { drop <= 0 && duplicate <= 0 && reorder <= 0 }
}

/// A fault's effect on every link to or from one process: extra delay (a clog), extra loss,
/// duplication or reordering. Zero when the process is unperturbed.
public struct LinkPerturbation: Sendable, Equatable {
    public var extraDelay: SimDuration = .zero
    public var drop: Double = 0
    public var duplicate: Double = 0
    public var reorder: Double = 0

    public init(extraDelay: SimDuration = .zero, drop: Double = 0, duplicate: Double = 0, reorder: Double = 0) {
        self.extraDelay = extraDelay
        self.drop = drop
        self.duplicate = duplicate
        self.reorder = reorder
    }

    public static let none = LinkPerturbation()

    public var isNone: Bool { self == .none }
}
