import SimCore
import SQLSyntax

/// A MySQL server as a process: it serves client connections (its tablet, test clients), streams
/// its binlog to replicas and replicates from its source, and obeys its tablet's admin commands.
/// Its data, binlog and GTIDs are in its `MySQLStorage` and survive crashes; connections, open
/// transactions, locks and replication connections do not. It restarts read-only.
final class MySQLNode: SimProcess {
    let storage: MySQLStorage
    let configuration: MySQLNodeConfiguration
    let shard: String
    let observer: ClusterObserver?
    // Unchecked exclusivity: one thread runs a simulation and no access to these properties
    // overlaps another; the runtime checks cost 7% of a run.
    @exclusivity(unchecked) var engine: MySQLEngine!

    @exclusivity(unchecked) var sessions: [UInt64: Int] = [:]
    @exclusivity(unchecked) var nextSession = 1
    /// Requests in progress: who asked, on which connection, with which request id.
    @exclusivity(unchecked) var tokens: [Int: (client: ProcessID, connection: Int, request: Int, session: Int)] = [:]
    /// A connection runs one statement at a time, as MySQL's protocol does: the token of the
    /// statement each session is running (waiting for locks or a semi-sync ack), and the
    /// statements that arrived meanwhile, in order.
    @exclusivity(unchecked) var running: [Int: Int] = [:]
    @exclusivity(unchecked) var queued: [Int: [QueuedStatement]] = [:]

    struct QueuedStatement {
        let client: ProcessID
        let connection: Int
        let request: Int
        let sql: String
        let bindings: [SQLValue]
    }
    @exclusivity(unchecked) var nextToken = 1
    @exclusivity(unchecked) var lockTimers: [Int: TimerHandle] = [:]
    /// The primary term set by the tablet when it made this node writable.
    @exclusivity(unchecked) var primaryTerm: SimTime?

    /// Replicas streaming from this node: where each stream has reached in the binlog.
    @exclusivity(unchecked) var streams: [(replica: ProcessID, stream: Int, sent: Int, semiSync: Bool)] = []
    @exclusivity(unchecked) var heartbeatRunning = false
    @exclusivity(unchecked) var semiSyncTimer: TimerHandle?

    /// Replication from a source: the stream in use, when the source was last heard from.
    @exclusivity(unchecked) var replicating = false
    @exclusivity(unchecked) var semiSyncReplica = false
    var stream: Int {
        get { storage.lastReplicationStream }
        set { storage.lastReplicationStream = newValue }
    }
    @exclusivity(unchecked) var lastHeard = SimTime.zero
    @exclusivity(unchecked) var lastConnectAttempt = SimTime.zero
    @exclusivity(unchecked) var replicationError: String?
    /// Finds the replication source by name once per source.
    @exclusivity(unchecked) var sourceLookup = ProcessLookup()
    @exclusivity(unchecked) var lastSourceCommit = SimTime.zero
    @exclusivity(unchecked) var applyScheduled = false
    @exclusivity(unchecked) var positionWaits: [(request: Int, client: ProcessID, set: GTIDSet, timer: TimerHandle)] = []

    init(storage: MySQLStorage, configuration: MySQLNodeConfiguration, shard: String, observer: ClusterObserver?) {
        self.storage = storage
        self.configuration = configuration
        self.shard = shard
        self.observer = observer
    }

    /// When this process started.
    @exclusivity(unchecked) var startedAt = SimTime.zero

    func start(_ context: ProcessContext<ClusterMessage>) {
        startedAt = context.now
        do {
            engine = try MySQLEngine(storage: storage, random: context.random { $0.derived("rand") })
        } catch {
            preconditionFailure("MySQL node \(context.name) cannot recover its storage: \(error) (binlog \(storage.binlog.count) entries, \(storage.appliedCount) applied)")
        }
        engine.readOnly = true
        context.trace(state: "read_only")
        if storage.replicationSource != nil {
            replicating = true
            connect(context)
        }
        context.setTimer(after: configuration.heartbeat, .timer(.replicationConnect))
        if let interval = configuration.syncInterval {
            storage.syncEveryCommit = false
            context.setTimer(after: interval, .timer(.binlogSync))
        }
    }

    // MARK: Messages

    /// Timers arrive as messages to this process itself.
    func timerFired(_ message: ClusterMessage, _ context: ProcessContext<ClusterMessage>) {
        receive(message, from: context.id, context)
    }

    func receive(_ message: ClusterMessage, from sender: ProcessID, _ context: ProcessContext<ClusterMessage>) {
        switch message {
        case .mysqlQuery(let connection, let request, let sql, let bindings, let opening, let privileged):
            let key = UInt64(UInt32(bitPattern: sender.index)) << 32 | UInt64(UInt32(truncatingIfNeeded: connection))
            let session: Int
            if let existing = sessions[key], opening {
                // The client opened this connection number afresh (it restarted): the old
                // session is gone, as a reset TCP connection would end it.
                queued[existing] = nil
                running[existing] = nil
                deliver(engine.closeSession(existing), context)
                sessions[key] = nil
            }
            if let existing = sessions[key] {
                session = existing
            } else if !opening {
                context.send(.mysqlResult(connection: connection, request: request, result: .failure(.serverGone)), to: sender)
                return
            } else {
                session = nextSession
                nextSession += 1
                sessions[key] = session
                engine.openSession(session, privileged: privileged)
            }
            let statement = QueuedStatement(client: sender, connection: connection, request: request, sql: sql, bindings: bindings)
            if running[session] != nil {
                queued[session, default: []].append(statement)
                return
            }
            run(statement, session: session, context)
            afterCommits(context)
        case .mysqlClose(let connection):
            let key = UInt64(UInt32(bitPattern: sender.index)) << 32 | UInt64(UInt32(truncatingIfNeeded: connection))
            guard let session = sessions.removeValue(forKey: key) else { return }
            // KILL CONNECTION: a statement waiting for locks is interrupted; one waiting for a
            // semi-sync ack stays in the binlog and completes into nothing.
            queued[session] = nil
            running[session] = nil
            deliver(engine.closeSession(session), context)
            afterCommits(context)
        case .mysqlAdmin(let request, let command):
            admin(command, request: request, from: sender, context)
        case .binlogDump(let id, let have, let semiSync):
            streams.removeAll { $0.replica == sender }
            let extra = have.subtracting(storage.binlogged)
            guard extra.isEmpty else {
                // Replicating would diverge: MySQL refuses with error 1236.
                let message = "Got fatal error 1236 from source when reading data from binary log: the replica has more GTIDs than the source has (\(extra))"
                context.send(.binlogError(stream: id, message: message), to: sender)
                return
            }
            var sent = 0
            let missing = storage.binlog.filter { !have.contains($0.gtid) }
            sent = storage.binlog.count
            streams.append((sender, id, sent, semiSync))
            context.send(.binlogEvents(stream: id, entries: missing), to: sender)
            if semiSync {
                deliver(engine.acknowledge(covering: have, now: context.now), context)
                afterCommits(context)
            }
            if !heartbeatRunning {
                heartbeatRunning = true
                context.setTimer(after: configuration.heartbeat, .timer(.replicationHeartbeat))
            }
        case .binlogEvents(let id, let entries):
            receiveEvents(entries, stream: id, from: sender, context)
        case .binlogError(let id, let message):
            guard replicating, id == stream, replicationError == nil else { return }
            replicationError = message
            context.trace(state: "replication_error")
        case .binlogAck(let id, let gtid):
            guard streams.contains(where: { $0.replica == sender && $0.stream == id }) else { return }
            if !engine.semiSyncPrimary && semiSyncFellBack {
                // A replica caught up: semi-sync switches back on, as MySQL does.
                semiSyncFellBack = false
                deliver(engine.setSemiSync(true, now: context.now), context)
            }
            deliver(engine.acknowledge(upTo: gtid, now: context.now), context)
            afterCommits(context)
        case .timer(let timer):
            fired(timer, context)
        default:
            break
        }
    }

    @exclusivity(unchecked) var semiSyncFellBack = false

    func fired(_ timer: ClusterTimer, _ context: ProcessContext<ClusterMessage>) {
        switch timer {
        case .lockWait(let token):
            lockTimers[token] = nil
            let completions = engine.lockWaitTimedOut(token: token, now: context.now)
            if completions.contains(where: { if case .failure(let e) = $0.result { e.code == 1205 } else { false } }) {
                observer?.mark(.mysqlLockWaitTimeout)
            }
            deliver(completions, context)
            afterCommits(context)
        case .semiSyncTimeout:
            semiSyncTimer = nil
            guard engine.isAwaitingAck else { return }
            semiSyncFellBack = true
            observer?.mark(.mysqlSemiSyncFallback)
            context.trace(state: "semi_sync_fallback")
            deliver(engine.setSemiSync(false, now: context.now), context)
            afterCommits(context)
        case .replicationHeartbeat:
            for s in streams { context.send(.binlogEvents(stream: s.stream, entries: []), to: s.replica) }
            context.setTimer(after: configuration.heartbeat, .timer(.replicationHeartbeat))
        case .replicationConnect:
            if replicating && context.now - lastHeard > configuration.heartbeat * 3
                && context.now - lastConnectAttempt >= configuration.heartbeat * 2 {
                connect(context)
            }
            context.setTimer(after: configuration.heartbeat, .timer(.replicationConnect))
        case .applyRelay:
            applyScheduled = false
            applyRelay(context)
        case .binlogSync:
            storage.sync()
            if let interval = configuration.syncInterval { context.setTimer(after: interval, .timer(.binlogSync)) }
        case .rpcTimeout(let id):
            if let index = positionWaits.firstIndex(where: { $0.request == id }) {
                let wait = positionWaits.remove(at: index)
                context.send(.mysqlAdminReply(request: wait.request, reply: .failed("timed out waiting for \(wait.set)")), to: wait.client)
            }
        default:
            break
        }
    }

    /// Sends results to the clients that asked, cancelling their lock-wait timers, and records
    /// client commits for the checkers.
    /// Runs one statement of `session` now.
    func run(_ statement: QueuedStatement, session: Int, _ context: ProcessContext<ClusterMessage>) {
        let token = nextToken
        nextToken += 1
        tokens[token] = (statement.client, statement.connection, statement.request, session)
        running[session] = token
        let completions = engine.execute(statement.sql, bindings: statement.bindings, session: session, token: token, now: context.now)
        if engine.waitingTokens.contains(token) {
            lockTimers[token] = context.setTimer(after: configuration.lockWaitTimeout, .timer(.lockWait(token: token)))
        }
        deliver(completions, context)
    }

    /// Sends the results of finished statements; their sessions take their next statement.
    func deliver(_ completions: [MySQLCompletion], _ context: ProcessContext<ClusterMessage>) {
        var freed: [Int] = []
        for completion in completions {
            if let timer = lockTimers.removeValue(forKey: completion.token) { context.cancelTimer(timer) }
            guard let origin = tokens.removeValue(forKey: completion.token) else { continue }
            // A commit counts as accepted when it completes for a live connection: one released
            // after its connection was killed reaches no client.
            if case .success(let result) = completion.result, let gtid = result.gtid, engine.hasSession(origin.session) {
                observer?.nodeCommitted(node: context.name, shard: shard, gtid: gtid, term: primaryTerm, time: context.now)
            }
            context.send(.mysqlResult(connection: origin.connection, request: origin.request, result: completion.result), to: origin.client)
            if running[origin.session] == completion.token {
                running[origin.session] = nil
                freed.append(origin.session)
            }
        }
        for session in freed {
            guard running[session] == nil, var waiting = queued[session], !waiting.isEmpty else { continue }
            let next = waiting.removeFirst()
            queued[session] = waiting.isEmpty ? nil : waiting
            run(next, session: session, context)
        }
    }

    /// After anything that may have grown the binlog: stream it, and time semi-sync waits.
    func afterCommits(_ context: ProcessContext<ClusterMessage>) {
        for i in streams.indices where streams[i].sent < storage.binlog.count {
            let entries = Array(storage.binlog[streams[i].sent...])
            streams[i].sent = storage.binlog.count
            context.send(.binlogEvents(stream: streams[i].stream, entries: entries), to: streams[i].replica)
        }
        if let timeout = configuration.semiSyncTimeout, semiSyncTimer == nil, engine.isAwaitingAck,
           let gtid = storage.binlog.last?.gtid {
            semiSyncTimer = context.setTimer(after: timeout, .timer(.semiSyncTimeout(gtid: gtid)))
        } else if !engine.isAwaitingAck, let timer = semiSyncTimer {
            context.cancelTimer(timer)
            semiSyncTimer = nil
        }
        checkPositionWaits(context)
    }

    // MARK: Replication (replica side)

    /// The replication source's process id (looked up once per source name).
    func sourceNode(_ context: ProcessContext<ClusterMessage>) -> ProcessID? {
        guard let source = storage.replicationSource else { return nil }
        return sourceLookup.id(of: source, in: context)
    }

    func connect(_ context: ProcessContext<ClusterMessage>) {
        guard let id = sourceNode(context) else { return }
        stream += 1
        lastConnectAttempt = context.now
        if lastHeard == .zero { lastHeard = context.now }
        context.send(.binlogDump(stream: stream, have: storage.binlogged.union(storage.retrieved), semiSync: semiSyncReplica), to: id)
    }

    func receiveEvents(_ entries: [BinlogEntry], stream id: Int, from sender: ProcessID, _ context: ProcessContext<ClusterMessage>) {
        guard replicating, id == stream, let source = sourceNode(context), source == sender else { return }
        lastHeard = context.now
        var last: GTID?
        for entry in entries where !storage.retrieved.contains(entry.gtid) && !storage.binlogged.contains(entry.gtid) {
            storage.receive(entry)
            lastSourceCommit = max(lastSourceCommit, entry.committedAt)
            last = entry.gtid
        }
        // A semi-sync replica acknowledges what it has received (written to its relay log).
        if semiSyncReplica, let last { context.send(.binlogAck(stream: id, gtid: last), to: sender) }
        scheduleApply(context)
    }

    func scheduleApply(_ context: ProcessContext<ClusterMessage>) {
        guard !applyScheduled, !storage.relayLog.isEmpty, replicationError == nil else { return }
        applyScheduled = true
        context.setTimer(after: configuration.applyDelay, .timer(.applyRelay))
    }

    /// The SQL thread: applies received transactions in order. It keeps running after the IO
    /// thread stops, so that ERS can wait for the relay log to drain.
    func applyRelay(_ context: ProcessContext<ClusterMessage>) {
        var applied = 0
        while let entry = storage.relayLog.first, replicationError == nil {
            do {
                try storage.applyReplicated(entry)
                storage.relayLog.removeFirst()
                applied += 1
            } catch {
                replicationError = "error applying \(entry.gtid): \(error)"
                context.trace(state: "replication_error")
            }
            if configuration.applyDelay > .zero { break }
        }
        if applied > 0 { afterCommits(context) }
        scheduleApply(context)
    }

    func checkPositionWaits(_ context: ProcessContext<ClusterMessage>) {
        positionWaits.removeAll { wait in
            guard storage.executed.isSuperset(of: wait.set) else { return false }
            context.cancelTimer(wait.timer)
            context.send(.mysqlAdminReply(request: wait.request, reply: .done), to: wait.client)
            return true
        }
    }

    // MARK: Admin

    @exclusivity(unchecked) var lastHeardRecently = false

    var status: MySQLStatus {
        MySQLStatus(
            serverID: storage.serverID, executed: storage.binlogged, retrieved: storage.retrieved, readOnly: engine.readOnly,
            semiSyncPrimary: engine.semiSyncPrimary, semiSyncReplica: semiSyncReplica, replicationSource: storage.replicationSource,
            replicationRunning: replicating && replicationError == nil,
            sourceConnected: replicating && lastHeardRecently, replicationError: replicationError,
            relayPending: storage.relayLog.count, lag: .zero, awaitingAck: engine.tokensAwaitingAck.count, startedAt: startedAt)
    }

    func admin(_ command: MySQLAdminCommand, request: Int, from sender: ProcessID, _ context: ProcessContext<ClusterMessage>) {
        var reply = MySQLAdminReply.done
        switch command {
        case .status:
            lastHeardRecently = context.now - lastHeard <= configuration.heartbeat * 3
            var s = status
            if replicating && !storage.relayLog.isEmpty { s.lag = context.now - (storage.relayLog.first?.committedAt ?? context.now) }
            reply = .status(s)
        case .setSuperReadOnly(let on):
            engine.superReadOnly = on
        case .setReadOnly(let readOnly, let term):
            engine.readOnly = readOnly
            if !readOnly { engine.superReadOnly = false }
            primaryTerm = readOnly ? nil : term
            context.trace(state: readOnly ? "read_only" : "read_write")
        case .setSemiSync(let primary, let replica):
            semiSyncReplica = replica
            semiSyncFellBack = false
            deliver(engine.setSemiSync(primary, now: context.now), context)
            afterCommits(context)
        case .startReplication(let source):
            guard source != context.name else { reply = .failed("a node cannot replicate from itself"); break }
            if storage.replicationSource != source { replicationError = nil }
            storage.replicationSource = source
            replicating = true
            connect(context)
            context.trace(state: "replicating")
        case .stopReplication:
            replicating = false
            stream += 1
            context.trace(state: "replication_stopped")
        case .resetReplication:
            replicating = false
            stream += 1
            storage.replicationSource = nil
            storage.discardRelayLog()
        case .waitForPosition(let set, let timeout):
            if storage.executed.isSuperset(of: set) { break }
            let timer = context.setTimer(after: timeout, .timer(.rpcTimeout(id: request)))
            positionWaits.append((request, sender, set, timer))
            return
        }
        context.send(.mysqlAdminReply(request: request, reply: reply), to: sender)
    }
}
