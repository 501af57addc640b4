import SimCore

/// One planned (PRS) or emergency (ERS) reparent of a shard, as Vitess's reparentutil runs it.
///
/// Phases, each a step of RPCs whose answers choose the next:
///
///     lockShard → readShard ─┬─ ERS: stopReplication → waitRelayLogs → promote → publish → repoint → unlock
///                            └─ PRS: catchUp → demoteOld → catchUpFinal → promote → publish → repoint → unlock
///     any failure → (PRS after demotion: undoDemote) → unlock → failed
///
/// ERS follows the rules of `emergency_reparenter.go` and its design doc: revoke the old primary
/// (prove no reachable tablet can still acknowledge its writes), refuse candidates with errant
/// GTIDs, never promote with received-but-unapplied transactions, pick the candidate whose
/// position is at least every other's (else: split brain, no promotion), and refuse a winner
/// without enough reachable semi-sync ackers.
final class Reparent {
    enum Phase: String {
        case lockShard, readShard
        case stopReplication, waitRelayLogs
        case catchUp, demoteOld, catchUpFinal
        case promote, publish, repoint, unlock
        case done
    }

    let kind: ReparentRequest.Kind
    let shard: Orchestrator.ShardInfo
    let requestedPrimary: String?
    unowned let orchestrator: Orchestrator
    let requester: (id: Int, client: ProcessID)?
    private(set) var phase = Phase.lockShard
    var lockOwner: String { "vtorc-\(kind.rawValue)-\(shard.key)" }

    var record: ShardRecord?
    var recordVersion = 0
    var oldPrimary: String?
    var oldPrimaryDemoted = false
    var statuses: [String: TabletStatus] = [:]
    var candidate: String?
    var primaryPosition = GTIDSet()
    var failure: ReparentError?
    var result: String?

    init(kind: ReparentRequest.Kind, shard: Orchestrator.ShardInfo, requestedPrimary: String?, orchestrator: Orchestrator,
         requester: (id: Int, client: ProcessID)?) {
        self.kind = kind
        self.shard = shard
        self.requestedPrimary = requestedPrimary
        self.orchestrator = orchestrator
        self.requester = requester
    }

    func move(to next: Phase, _ context: ProcessContext<ClusterMessage>) {
        phase = next
        var fields = TraceFields()
        fields.add("shard", shard.key)
        fields.add("phase", next.rawValue)
        context.trace(state: kind == .emergency ? "ers" : "prs", fields)
        advance(context)
    }

    func fail(_ message: String, _ context: ProcessContext<ClusterMessage>) {
        failure = ReparentError(message)
        if kind == .planned && oldPrimaryDemoted, let old = oldPrimary {
            // Give the shard its primary back.
            orchestrator.manager(old, .undoDemotePrimary, context) { [unowned self] _, context in self.move(to: .unlock, context) }
            return
        }
        move(to: .unlock, context)
    }

    /// Runs the current phase.
    func advance(_ context: ProcessContext<ClusterMessage>) {
        switch phase {
        case .lockShard:
            orchestrator.topo(.lock(TopoPath.shardLock(shard.keyspace, shard.shard), owner: lockOwner, lease: .seconds(30)), context) { [unowned self] reply, context in
                guard case .done? = reply else {
                    self.failure = ReparentError("could not lock shard \(self.shard.key)")
                    self.phase = .done
                    self.orchestrator.finished(self, .failure(self.failure!), context)
                    return
                }
                self.move(to: .readShard, context)
            }
        case .readShard:
            orchestrator.topo(.get(TopoPath.shard(shard.keyspace, shard.shard)), context) { [unowned self] reply, context in
                guard case .value(.shard(let record)?, let version)? = reply else { return self.fail("cannot read the shard record", context) }
                self.record = record
                self.recordVersion = version
                self.oldPrimary = record.primary
                self.move(to: self.kind == .emergency ? .stopReplication : .catchUp, context)
            }
        case .stopReplication:
            stopReplication(context)
        case .waitRelayLogs:
            waitRelayLogs(context)
        case .catchUp:
            plannedCatchUp(context)
        case .demoteOld:
            guard let old = oldPrimary else { return fail("the shard has no primary to demote", context) }
            orchestrator.manager(old, .demotePrimary, context, timeout: .seconds(5)) { [unowned self] reply, context in
                guard case .status(let status)? = reply, let position = status.mysql?.executed else {
                    return self.fail("could not demote \(old)", context)
                }
                self.oldPrimaryDemoted = true
                self.primaryPosition = position
                self.move(to: .catchUpFinal, context)
            }
        case .catchUpFinal:
            guard let candidate else { return fail("no candidate", context) }
            orchestrator.manager(candidate, .waitForPosition(primaryPosition, timeout: .seconds(5)), context, timeout: .seconds(6)) { [unowned self] reply, context in
                guard reply == .done else { return self.fail("\(candidate) did not catch up with the demoted primary", context) }
                self.move(to: .promote, context)
            }
        case .promote:
            guard let candidate else { return fail("no candidate", context) }
            let term = context.now
            orchestrator.manager(candidate, .promoteReplica(term: term), context, timeout: .seconds(15)) { [unowned self] reply, context in
                guard case .status? = reply else { return self.fail("promotion of \(candidate) failed", context) }
                self.record?.primary = candidate
                self.record?.primaryTermStart = term
                self.move(to: .publish, context)
            }
        case .publish:
            guard let record else { return fail("no shard record", context) }
            orchestrator.topo(.update(TopoPath.shard(shard.keyspace, shard.shard), .shard(record), expected: recordVersion), context) { [unowned self] reply, context in
                guard case .done? = reply else { return self.fail("could not publish the new primary", context) }
                self.result = record.primary
                self.move(to: .repoint, context)
            }
        case .repoint:
            guard let primary = candidate else { return fail("no candidate", context) }
            let others = shard.tablets.filter { $0 != primary && (kind == .planned || $0 != oldPrimary || statuses[$0] != nil) }
            var pending = others.count
            if pending == 0 { return move(to: .unlock, context) }
            for tablet in others {
                let request: ManagerRequest = errantTablets.contains(tablet) ? .changeType(.drained) : .setReplicationSource(primary: primary)
                if errantTablets.contains(tablet) { orchestrator.observer?.mark(.tabletDrainedErrant) }
                orchestrator.manager(tablet, request, context) { [unowned self] _, context in
                    pending -= 1
                    if pending == 0 { self.move(to: .unlock, context) }
                }
            }
        case .unlock:
            orchestrator.topo(.unlock(TopoPath.shardLock(shard.keyspace, shard.shard), owner: lockOwner), context) { [unowned self] _, context in
                self.phase = .done
                if let failure = self.failure {
                    self.orchestrator.finished(self, .failure(failure), context)
                } else {
                    self.orchestrator.finished(self, .success(self.result ?? ""), context)
                }
            }
        case .done:
            break
        }
    }

    // MARK: ERS

    /// Stops replication everywhere (and demotes the old primary if it answers), then checks
    /// revocation, errant GTIDs and the candidates.
    func stopReplication(_ context: ProcessContext<ClusterMessage>) {
        let tablets = shard.tablets
        var pending = tablets.count
        func collected(_ context: ProcessContext<ClusterMessage>) {
            pending -= 1
            guard pending == 0 else { return }
            chooseEmergencyCandidate(context)
        }
        for tablet in tablets {
            if tablet == oldPrimary {
                orchestrator.manager(tablet, .demotePrimary, context, timeout: .seconds(2)) { [unowned self] reply, context in
                    if case .status = reply { self.oldPrimaryDemoted = true }
                    collected(context)
                }
            } else {
                orchestrator.manager(tablet, .stopReplicationAndGetStatus, context) { [unowned self] reply, context in
                    if case .status(let status)? = reply, status.mysql != nil { self.statuses[tablet] = status }
                    collected(context)
                }
            }
        }
    }

    func chooseEmergencyCandidate(_ context: ProcessContext<ClusterMessage>) {
        // Revocation: under semi-sync the old primary must not be able to get an ack from a
        // replica we could not stop.
        let ackers = shard.durability.semiSyncAckers
        let replicas = shard.tablets.filter { $0 != oldPrimary }
        let unstopped = replicas.filter { statuses[$0] == nil }.count
        if ackers > 0 && !oldPrimaryDemoted && unstopped >= ackers {
            return fail("could not revoke the old primary: \(unstopped) replica(s) unreachable may still acknowledge its writes", context)
        }
        // Candidates: reachable replicas (RDONLY and DRAINED tablets are never promoted).
        var candidates = statuses.keys.sorted().filter { statuses[$0]?.type == .replica }
        guard !candidates.isEmpty else { return fail("no reachable replica to promote", context) }
        // Errant GTIDs: transactions a candidate has that came from no primary of the shard
        // (they were written to the replica itself). Such a candidate is refused.
        candidates.removeAll { alias in
            guard let mysql = statuses[alias]?.mysql else { return true }
            let others = statuses.filter { $0.key != alias }.compactMap { $0.value.mysql?.combined }.reduce(GTIDSet()) { $0.union($1) }
            let own = mysql.combined.subtracting(others)
            let errant = own.servers.contains { $0.server == mysql.serverID }
            if errant {
                errantTablets.append(alias)
                orchestrator.observer?.mark(.ersRefusedErrant)
                var f = TraceFields()
                f.add("tablet", alias)
                f.add("errant", own.description)
                context.trace(state: "ers_errant_candidate", f)
            }
            return errant
        }
        guard !candidates.isEmpty else { return fail("every candidate has errant GTIDs", context) }
        self.candidates = candidates
        move(to: .waitRelayLogs, context)
    }

    var candidates: [String] = []
    /// Replicas refused for errant GTIDs: drained instead of repointed (VTOrc's recovery of
    /// ErrantGTIDDetected), since replicating would diverge or fail.
    var errantTablets: [String] = []

    /// Waits for every candidate to apply what it received, then picks the most advanced.
    func waitRelayLogs(_ context: ProcessContext<ClusterMessage>) {
        var pending = candidates.count
        var applied: [String] = []
        for alias in candidates {
            let position = statuses[alias]?.mysql?.retrieved ?? GTIDSet()
            orchestrator.manager(alias, .waitForPosition(position, timeout: .seconds(5)), context, timeout: .seconds(6)) { [unowned self] reply, context in
                if reply == .done { applied.append(alias) }
                pending -= 1
                guard pending == 0 else { return }
                self.pickMostAdvanced(applied.sorted(), context)
            }
        }
    }

    func pickMostAdvanced(_ ready: [String], _ context: ProcessContext<ClusterMessage>) {
        guard !ready.isEmpty else { return fail("no candidate applied its relay log", context) }
        func position(_ alias: String) -> GTIDSet { statuses[alias]?.mysql?.combined ?? GTIDSet() }
        // The winner's position must include every other candidate's (else: split brain).
        guard let winner = ready.first(where: { w in ready.allSatisfy { position(w).isSuperset(of: position($0)) } }) else {
            orchestrator.observer?.mark(.ersSplitBrain)
            return fail("split brain detected between servers: no candidate has every other's transactions", context)
        }
        var chosen = winner
        if let requested = requestedPrimary {
            guard ready.contains(requested), position(requested).isSuperset(of: position(winner)) else {
                return fail("requested primary \(requested) is not the most advanced candidate", context)
            }
            chosen = requested
        }
        // Forward progress: the new primary needs enough replicas to acknowledge its writes.
        let ackers = shard.durability.semiSyncAckers
        let otherReplicas = statuses.filter { $0.key != chosen && $0.value.type == .replica }.count
        if otherReplicas < ackers {
            orchestrator.observer?.mark(.ersNotEnoughAckers)
            return fail("\(chosen) would have \(otherReplicas) reachable semi-sync acker(s), \(ackers) needed", context)
        }
        candidate = chosen
        move(to: .promote, context)
    }

    // MARK: PRS

    /// Chooses the candidate (requested, or the most advanced replica) and waits for it to catch
    /// up with the current primary before the demotion.
    func plannedCatchUp(_ context: ProcessContext<ClusterMessage>) {
        guard let old = oldPrimary else { return fail("the shard has no primary", context) }
        orchestrator.manager(old, .status, context) { [unowned self] reply, context in
            guard case .status(let primaryStatus)? = reply, let position = primaryStatus.mysql?.executed else {
                return self.fail("primary \(old) is not reachable (use an emergency reparent)", context)
            }
            let replicas = self.shard.tablets.filter { $0 != old }
            var pending = replicas.count
            for tablet in replicas {
                self.orchestrator.manager(tablet, .status, context) { [unowned self] reply, context in
                    if case .status(let s)? = reply, s.mysql != nil { self.statuses[tablet] = s }
                    pending -= 1
                    guard pending == 0 else { return }
                    let eligible = self.statuses.keys.sorted().filter { self.statuses[$0]?.type == .replica }
                    let chosen = self.requestedPrimary ?? eligible.max { a, b in
                        (self.statuses[a]?.mysql?.executed.count ?? 0) < (self.statuses[b]?.mysql?.executed.count ?? 0)
                    }
                    guard let chosen, chosen != old, eligible.contains(chosen) else {
                        return self.fail("no eligible replica to promote", context)
                    }
                    self.candidate = chosen
                    self.orchestrator.manager(chosen, .waitForPosition(position, timeout: .seconds(5)), context, timeout: .seconds(6)) { [unowned self] reply, context in
                        guard reply == .done else { return self.fail("\(chosen) did not catch up", context) }
                        self.move(to: .demoteOld, context)
                    }
                }
            }
        }
    }
}
