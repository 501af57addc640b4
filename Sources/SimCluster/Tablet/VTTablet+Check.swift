import SimCore

extension VTTablet {
    /// The periodic check: the MySQL node's health and role, the shard record in the topology,
    /// and fencing: a primary that sees a newer primary in the record stops accepting writes and
    /// rejoins as a replica, or is drained when it has transactions the new primary lacks.
    func check(_ context: ProcessContext<ClusterMessage>) {
        admin(.status, context) { [unowned self] answer, context in
            let wasHealthy = self.mysqlHealthy
            guard case .status(let status)? = answer else {
                self.mysqlHealthy = false
                if wasHealthy { context.trace(state: "mysql_unreachable") }
                self.broadcastHealth(context)
                return
            }
            self.mysqlHealthy = true
            self.note(status, context)
            if self.type == .primary && !self.demoting {
                // A node that restarted comes back read-only; VTOrc makes it writable again.
                self.writable = !status.readOnly
            }
            if !wasHealthy { self.broadcastHealth(context) }
        }
        guard !fencing else { return }
        topo(.get(TopoPath.shard(configuration.keyspace, configuration.shard)), context) { [unowned self] reply, context in
            guard case .value(.shard(let record)?, _)? = reply else { return }
            self.reconcile(with: record, context)
        }
        broadcastHealth(context)
    }

    /// Takes in a status of the node: a new start time means it restarted since the last one,
    /// and everything the tablet had open on it is gone (noticed at the first status seen, so
    /// before anything the tablet does on the new incarnation).
    func note(_ status: MySQLStatus, _ context: ProcessContext<ClusterMessage>) {
        if let previous = lastStatus, previous.startedAt != status.startedAt { mysqlRestarted(context) }
        lastStatus = status
    }

    func reconcile(with record: ShardRecord, _ context: ProcessContext<ClusterMessage>) {
        let me = configuration.alias
        if record.primary == me {
            if type == .primary {
                if record.primaryTermStart > term { term = record.primaryTermStart }
                return
            }
            guard type != .drained, !fencing else { return }
            fencing = true
            takePrimaryRole(context)
            return
        }
        guard let primary = record.primary, type != .drained, !fencing else { return }
        if type == .primary {
            // Another tablet holds the shard now: stop writing at once, then rejoin or drain.
            writable = false
            fencing = true
            observer?.mark(.tabletFenced)
            context.trace(state: "fenced")
            // Statements still running must fail, not complete when the rejoin switches
            // primary-side semi-sync off (which releases commits waiting for an ack).
            _ = killQueriesInFlight(reason: "killed: \(configuration.alias) is no longer the primary", context)
            rollbackAll(context)
            releasePreparedForDemotion(context)
            admin(.setReadOnly(true, term: nil), context) { [unowned self] _, context in
                self.admin(.setSuperReadOnly(true), context) { _, _ in }
                self.rejoin(primary, context)
            }
            return
        }
        // An emergency reparent stopped replication here to compare positions: restarting it
        // toward the old primary now would take in what the new primary may not have (errant
        // transactions). Vitess's replication manager leaves it stopped likewise.
        if let until = replicationStoppedForReparentUntil, context.now < until { return }
        replicationStoppedForReparentUntil = nil
        let wantsAcks = configuration.durability == .semiSync && type == .replica
        if !replicationConfigured || lastStatus?.replicationSource != TabletConfiguration.mysqldName(primary)
            || lastStatus?.replicationRunning == false || (lastStatus.map { $0.semiSyncReplica != wantsAcks } ?? false) {
            fencing = true
            rejoin(primary, context)
        }
    }

    /// The record names this tablet while it is not the primary (at start, or after a restart):
    /// it takes the role under the shard lock, as every reparent does, and only if the record
    /// still names it then (a reparent may have been under way: it held the lock and moved the
    /// shard on).
    func takePrimaryRole(_ context: ProcessContext<ClusterMessage>) {
        let lock = TopoPath.shardLock(configuration.keyspace, configuration.shard)
        let owner = "\(configuration.alias)-takeover"
        topo(.lock(lock, owner: owner, lease: .seconds(30)), context) { [unowned self] reply, context in
            guard case .done? = reply else {
                self.fencing = false
                return
            }
            let unlock: (ProcessContext<ClusterMessage>) -> Void = { [unowned self] context in
                self.topo(.unlock(lock, owner: owner), context) { _, _ in }
                self.fencing = false
            }
            self.topo(.get(TopoPath.shard(self.configuration.keyspace, self.configuration.shard)), context) { [unowned self] reply, context in
                guard case .value(.shard(let record)?, _)? = reply, record.primary == self.configuration.alias else { return unlock(context) }
                self.promote(term: record.primaryTermStart, context) { _, _, context in unlock(context) }
            }
        }
    }

    /// Replicates from `primary` unless this tablet has errant transactions (GTIDs the primary
    /// does not have), in which case it is drained: replicating would fail or diverge.
    func rejoin(_ primary: String, _ context: ProcessContext<ClusterMessage>) {
        manager(primary, .status, context) { [unowned self] reply, context in
            guard case .status(let theirs)? = reply, let theirExecuted = theirs.mysql?.executed,
                  let mine = self.lastStatus?.executed else {
                self.fencing = false
                return
            }
            // An emergency reparent stopped replication meanwhile: it decides where this tablet
            // replicates from.
            if let until = self.replicationStoppedForReparentUntil, context.now < until {
                self.fencing = false
                return
            }
            let errant = mine.subtracting(theirExecuted)
            if !errant.isEmpty {
                self.observer?.mark(.tabletDrainedErrant)
                var fields = TraceFields()
                fields.add("errant", errant.description)
                context.trace(state: "errant_gtids", fields)
                self.setType(.drained, context)
                self.writable = false
                self.fencing = false
                return
            }
            // A tablet with data of its own that joins here is returning (a fenced or restarted
            // old primary, a replica back from a crash); a fresh one at start-up has none.
            let returning = !mine.isEmpty
            self.repoint(to: primary, context) { [unowned self] ok, _ in
                self.fencing = false
                guard ok else { return }
                self.replicationConfigured = true
                if returning { self.observer?.mark(.tabletRejoined) }
            }
        }
    }
}
