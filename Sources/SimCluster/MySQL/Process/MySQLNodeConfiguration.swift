import SimCore

/// Settings of a MySQL node.
public struct MySQLNodeConfiguration: Sendable {
    /// innodb_lock_wait_timeout.
    public var lockWaitTimeout: SimDuration = .seconds(50)
    /// How long a commit waits for a semi-sync ack before semi-sync falls back to asynchronous
    /// (rpl_semi_sync_master_timeout); nil waits for ever, as Vitess configures it.
    public var semiSyncTimeout: SimDuration?
    /// How long a replica takes to apply one transaction.
    public var applyDelay: SimDuration = .zero
    /// How often a source tells its replicas it is alive, and how long a replica waits before
    /// it reconnects.
    public var heartbeat: SimDuration = .milliseconds(500)
    /// Sync the binlog at this interval instead of at every commit (storage faults then lose the
    /// commits since the last sync).
    public var syncInterval: SimDuration?

    public init() {}
}
