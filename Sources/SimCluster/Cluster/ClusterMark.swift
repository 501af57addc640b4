/// A mechanism of the cluster that ran (a coverage mark, as TigerBeetle's): tests and scenario
/// files (`exercises:`) state which ones a run must reach, so that a green run cannot be vacuous.
public enum ClusterMark: String, CaseIterable, Sendable, Comparable {
    case ersCompleted = "ers.completed"
    case ersFailed = "ers.failed"
    case ersRefusedErrant = "ers.refused_errant"
    case ersSplitBrain = "ers.split_brain"
    case ersNotEnoughAckers = "ers.not_enough_ackers"
    case prsCompleted = "prs.completed"
    case prsFailed = "prs.failed"
    case tabletPromoted = "tablet.promoted"
    case tabletFenced = "tablet.fenced"
    case tabletRejoined = "tablet.rejoined"
    case tabletDrainedErrant = "tablet.drained_errant"
    case tabletUndoDemote = "tablet.undo_demote"
    case tabletDemotionKilledTransactions = "tablet.demotion_killed_transactions"
    case tabletDemotionKilledQueries = "tablet.demotion_killed_queries"
    case tabletTransactionKilled = "tablet.transaction_killed"
    case vtorcDeadPrimary = "vtorc.dead_primary"
    case vtorcFixReadOnlyPrimary = "vtorc.fix_read_only_primary"
    /// A gateway sent one statement to several shards and merged their answers.
    case gatewayScatter = "gateway.scatter"
    /// A gateway found a shard's primary changed (after a failure or timeout).
    case gatewayPrimaryChanged = "gateway.primary_changed"

    public static func < (a: ClusterMark, b: ClusterMark) -> Bool { a.rawValue < b.rawValue }
}
