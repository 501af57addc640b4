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
    /// A statement's answer or timeout came after its connection was lent out again (a late
    /// ROLLBACK of a killed transaction); it was ignored rather than close the new session.
    case tabletStaleWorkIgnored = "tablet.stale_work_ignored"
    case vtorcDeadPrimary = "vtorc.dead_primary"
    case vtorcFixReadOnlyPrimary = "vtorc.fix_read_only_primary"
    /// A gateway sent one statement to several shards and merged their answers.
    case gatewayScatter = "gateway.scatter"
    /// A gateway found a shard's primary changed (after a failure or timeout).
    case gatewayPrimaryChanged = "gateway.primary_changed"
    /// A gateway began buffering a shard's primary requests (a failover was detected).
    case gatewayBufferStarted = "gateway.buffer_started"
    /// A gateway held a request during a failover.
    case gatewayBuffered = "gateway.buffered"
    /// A failover ended and the gateway retried the requests it held.
    case gatewayBufferDrained = "gateway.buffer_drained"
    /// A buffered request was evicted to make room (it failed).
    case gatewayBufferEvicted = "gateway.buffer_evicted"
    /// A buffered request waited its whole window and went again as it was.
    case gatewayBufferWindowExpired = "gateway.buffer_window_expired"
    /// A resource manager prepared a transaction (its redo log is written).
    case twoPCPrepared = "twopc.prepared"
    /// A metadata manager recorded the COMMIT decision with its own writes.
    case twoPCDecidedCommit = "twopc.decided_commit"
    /// A resource manager committed a prepared transaction.
    case twoPCCommitPrepared = "twopc.commit_prepared"
    /// CommitPrepared for a transaction already committed (a duplicate or a retry): answered OK.
    case twoPCCommitPreparedAgain = "twopc.commit_prepared_again"
    /// A resource manager rolled a prepared transaction back.
    case twoPCRollbackPrepared = "twopc.rollback_prepared"
    /// A tablet prepared transactions again from its redo log before accepting writes.
    case twoPCRedoReplayed = "twopc.redo_replayed"
    /// A demotion rolled back prepared transactions after every other write had stopped.
    case twoPCDemotionReleasedPrepared = "twopc.demotion_released_prepared"
    /// A tablet's watcher found distributed transactions older than the abandon age.
    case twoPCUnresolvedReported = "twopc.unresolved_reported"
    /// A gateway's resolver finished a transaction whose record said COMMIT.
    case twoPCResolvedCommit = "twopc.resolved_commit"
    /// A gateway's resolver rolled back a transaction whose record said PREPARE or ROLLBACK.
    case twoPCResolvedRollback = "twopc.resolved_rollback"
    /// A gateway committed a distributed transaction through every phase.
    case twoPCCommitted = "twopc.committed"
    /// A coordinator rolled a distributed transaction back after a failure before the decision.
    case twoPCRolledBack = "twopc.rolled_back"
    /// A coordinator left a decided (or undecided) transaction to the resolver.
    case twoPCLeftToResolver = "twopc.left_to_resolver"
    /// A 2PC fault point fired.
    case twoPCFaultPoint = "twopc.fault_point"
    /// A statement gave up waiting for row locks (innodb_lock_wait_timeout): how deadlocks
    /// across shards end, since each MySQL sees only its own half.
    case mysqlLockWaitTimeout = "mysql.lock_wait_timeout"
    /// A semi-sync primary waited longer than its timeout for an acknowledgement and went on
    /// asynchronously (MySQL's fallback).
    case mysqlSemiSyncFallback = "mysql.semi_sync_fallback"
    /// A MULTI commit failed after some shards had committed (a partial commit).
    case multiPartialCommit = "multi.partial_commit"
    /// A read-your-writes client read its own acknowledged write back from the primary.
    case readOwnWrite = "ryw.read_own_write"
    /// A replica read missed a write its session had just made (replicas may lag).
    case staleReplicaRead = "ryw.stale_replica_read"

    public static func < (a: ClusterMark, b: ClusterMark) -> Bool { a.rawValue < b.rawValue }
}
