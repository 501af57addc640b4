/// The kinds of fault the random generator injects; each is switched on or off per seed.
public enum FaultKind: String, CaseIterable, Sendable, Comparable {
    /// A symmetric partition between a random group of targets and the rest.
    case partition
    /// A one-way partition: one group cannot reach the other, the other way works.
    case partitionOneWay = "partition_one_way"
    /// A target crashes and restarts after the fault's duration.
    case crash
    /// A crash that also loses the target's last unsynced writes.
    case storageLoss = "storage_loss"
    /// A target stops running for a while.
    case pause
    /// Every link of a target slows down.
    case clog
    /// Every link of a target loses messages.
    case loss
    /// Every link of a target duplicates messages.
    case duplicate
    /// Every link of a target reorders messages.
    case reorder

    public static func < (a: FaultKind, b: FaultKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Faults that take a process down; at most one per target at a time.
    var isLifecycle: Bool { self == .crash || self == .storageLoss || self == .pause }
    /// Faults that perturb a process's links; at most one per target at a time.
    var isLinkPerturbation: Bool { self == .clog || self == .loss || self == .duplicate || self == .reorder }
}
