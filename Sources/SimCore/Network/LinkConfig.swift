/// How messages travel on a link.
public enum Transport: String, Sendable, Equatable, CaseIterable {
    /// Each message on its own, as UDP: it can be lost, duplicated or reordered.
    case datagram
    /// A TCP connection: messages arrive once and in order. A lost one is retransmitted (it
    /// arrives late and holds up those behind it); across a partition messages wait and arrive
    /// after the heal, unless either end restarted meanwhile (its connections died with it).
    case stream
}

/// The behaviour of a directed link between two processes.
public struct LinkConfig: Sendable, Equatable {
    /// Delay distribution of a message.
    public var latency: LatencyModel
    /// Datagrams or a stream (TCP): what loss, duplication, reordering and partitions do.
    public var transport: Transport
    /// Probability that a message is lost (on a stream: that a transmission is, and must be
    /// repeated after the retransmission timeout).
    public var drop: Double
    /// Probability that a datagram is delivered twice (the copy has its own delay).
    public var duplicate: Double
    /// Probability that a datagram leaves the link's FIFO order and gets an extra delay, so later
    /// messages may overtake it. Links are FIFO otherwise.
    public var reorder: Double

    public init(latency: LatencyModel, transport: Transport = .datagram, drop: Double = 0, duplicate: Double = 0, reorder: Double = 0) {
        self.latency = latency
        self.transport = transport
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
