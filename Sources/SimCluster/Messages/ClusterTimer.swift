import SimCore

/// The timers of the cluster's processes.
public enum ClusterTimer: Sendable, Equatable {
    /// A statement waited too long for row locks (innodb_lock_wait_timeout).
    case lockWait(token: Int)
    /// Commits waited too long for a semi-sync ack.
    case semiSyncTimeout(gtid: GTID)
    /// A replica (re)connects to its source.
    case replicationConnect
    /// A source tells its replicas it is alive.
    case replicationHeartbeat
    /// A replica applies what it received.
    case applyRelay
    /// The periodic binlog sync (when not every commit syncs).
    case binlogSync
    /// An RPC got no answer in time.
    case rpcTimeout(id: Int)
    /// A tablet checks its MySQL node and the topology.
    case tabletCheck
    /// A tablet streams its health.
    case healthBroadcast
    /// A tablet looks for transactions past the transaction timeout.
    case transactionKiller
    /// A tablet counts its distributed transactions older than the abandon age.
    case unresolvedWatcher
    /// A request buffered during a failover reached the end of its window.
    case bufferWindow(entry: Int)
    /// A shard's failover has been buffered for the longest allowed (it started at `since`).
    case bufferFailoverLimit(shard: String, since: SimTime)
    /// A gateway lists the tablets and subscribes to their health again.
    case gatewayHealthRefresh
    /// A queued request waited too long for a pool connection.
    case poolTimeout(request: Int)
    /// VTOrc polls the tablets.
    case orchestratorPoll
    /// A client's next step.
    case clientTick
    /// A watch is renewed.
    case watchRenew
    /// A demotion checks whether the open transactions have finished.
    case demotionCheck(request: Int)

    var name: String {
        switch self {
        case .lockWait: "lock_wait_timeout"
        case .semiSyncTimeout: "semi_sync_timeout"
        case .replicationConnect: "replication_connect"
        case .replicationHeartbeat: "replication_heartbeat"
        case .applyRelay: "apply_relay"
        case .binlogSync: "binlog_sync"
        case .rpcTimeout: "rpc_timeout"
        case .tabletCheck: "tablet_check"
        case .healthBroadcast: "health_broadcast"
        case .transactionKiller: "transaction_killer"
        case .unresolvedWatcher: "unresolved_watcher"
        case .bufferWindow: "buffer_window"
        case .bufferFailoverLimit: "buffer_failover_limit"
        case .gatewayHealthRefresh: "gateway_health_refresh"
        case .poolTimeout: "pool_timeout"
        case .orchestratorPoll: "orchestrator_poll"
        case .clientTick: "client_tick"
        case .watchRenew: "watch_renew"
        case .demotionCheck: "demotion_check"
        }
    }
}
