import SimCore

/// VTOrc: watches every shard's primary and recovers it. A primary that stays unreachable for
/// the detection delay, while no replica is connected to it any more, is dead: VTOrc runs an
/// emergency reparent. A primary whose MySQL node came back read-only is made writable again
/// (UndoDemotePrimary). It also runs planned and emergency reparents on request, as vtctld does.
final class Orchestrator: SimProcess {
    struct ShardInfo {
        let keyspace: String
        let shard: String
        let tablets: [String]
        let durability: DurabilityPolicy
        var key: String { "\(keyspace)/\(shard)" }
    }

    enum Continuation {
        case manager((ManagerReply?, ProcessContext<ClusterMessage>) -> Void)
        case topo((TopoReply?, ProcessContext<ClusterMessage>) -> Void)
    }

    let configuration: OrchestratorConfiguration
    let shards: [ShardInfo]
    let observer: ClusterObserver?
    var calls = PendingCalls<Continuation>()
    var unreachableSince: [String: SimTime] = [:]
    /// The reparent running on each shard (one at a time).
    var running: [String: Reparent] = [:]
    /// Requests waiting for their shard's reparent to finish.
    var queued: [(id: Int, client: ProcessID, request: ReparentRequest)] = []
    let rpcTimeout: SimDuration = .seconds(1)

    init(configuration: OrchestratorConfiguration, shards: [ShardInfo], observer: ClusterObserver?) {
        self.configuration = configuration
        self.shards = shards
        self.observer = observer
    }

    func start(_ context: ProcessContext<ClusterMessage>) {
        context.setTimer(after: configuration.pollInterval, .timer(.orchestratorPoll))
    }

    /// Timers arrive as messages to this process itself.
    func timerFired(_ message: ClusterMessage, _ context: ProcessContext<ClusterMessage>) {
        receive(message, from: context.id, context)
    }

    func receive(_ message: ClusterMessage, from sender: ProcessID, _ context: ProcessContext<ClusterMessage>) {
        switch message {
        case .managerReply(let id, let reply):
            if case .manager(let then)? = calls.finish(id, context) { then(reply, context) }
        case .topoReply(let id, let reply):
            if case .topo(let then)? = calls.finish(id, context) { then(reply, context) }
        case .reparentRequest(let id, let request):
            queued.append((id, sender, request))
            startQueued(context)
        case .timer(.orchestratorPoll):
            poll(context)
            context.setTimer(after: configuration.pollInterval, .timer(.orchestratorPoll))
        case .timer(.rpcTimeout(let id)):
            switch calls.expire(id) {
            case .manager(let then)?: then(nil, context)
            case .topo(let then)?: then(nil, context)
            case nil: break
            }
        default:
            break
        }
    }

    func manager(_ alias: String, _ request: ManagerRequest, _ context: ProcessContext<ClusterMessage>, timeout: SimDuration? = nil,
                 then: @escaping (ManagerReply?, ProcessContext<ClusterMessage>) -> Void) {
        guard let tablet = context.process(named: alias) else { return then(nil, context) }
        let id = calls.start(.manager(then), timeout: timeout ?? rpcTimeout, context)
        context.send(.managerRequest(id: id, request: request), to: tablet)
    }

    func topo(_ request: TopoRequest, _ context: ProcessContext<ClusterMessage>,
              then: @escaping (TopoReply?, ProcessContext<ClusterMessage>) -> Void) {
        guard let topo = context.process(named: "topo") else { return then(nil, context) }
        let id = calls.start(.topo(then), timeout: rpcTimeout, context)
        context.send(.topoRequest(id: id, request: request), to: topo)
    }

    // MARK: Detection

    func poll(_ context: ProcessContext<ClusterMessage>) {
        for shard in shards where running[shard.key] == nil {
            topo(.get(TopoPath.shard(shard.keyspace, shard.shard)), context) { [unowned self] reply, context in
                guard case .value(.shard(let record)?, _)? = reply, let primary = record.primary else { return }
                self.manager(primary, .status, context) { [unowned self] reply, context in
                    self.analyze(shard, primary: primary, reply: reply, context)
                }
            }
        }
    }

    func analyze(_ shard: ShardInfo, primary: String, reply: ManagerReply?, _ context: ProcessContext<ClusterMessage>) {
        guard running[shard.key] == nil else { return }
        if case .status(let status)? = reply, let mysql = status.mysql {
            unreachableSince[shard.key] = nil
            if status.type == .primary && mysql.readOnly && configuration.automaticRecovery {
                // PrimaryIsReadOnly: the node restarted; the tablet takes writes again.
                observer?.mark(.vtorcFixReadOnlyPrimary)
                context.trace(state: "fix_primary", fields(shard, ["primary": primary]))
                manager(primary, .undoDemotePrimary, context) { _, _ in }
            }
            return
        }
        let since = unreachableSince[shard.key] ?? context.now
        unreachableSince[shard.key] = since
        guard context.now - since >= configuration.detectionDelay, configuration.automaticRecovery else { return }
        // DeadPrimary only if no replica still hears from it (otherwise only VTOrc is cut off).
        let replicas = shard.tablets.filter { $0 != primary }
        var answers = 0
        var connected = 0
        for replica in replicas {
            manager(replica, .status, context) { [unowned self] reply, context in
                answers += 1
                if case .status(let s)? = reply, s.mysql?.sourceConnected == true { connected += 1 }
                guard answers == replicas.count, self.running[shard.key] == nil else { return }
                if connected == 0 {
                    self.observer?.mark(.vtorcDeadPrimary)
                    context.trace(state: "dead_primary", self.fields(shard, ["primary": primary]))
                    self.unreachableSince[shard.key] = nil
                    self.begin(Reparent(kind: .emergency, shard: shard, requestedPrimary: nil, orchestrator: self, requester: nil), context)
                }
            }
        }
    }

    func fields(_ shard: ShardInfo, _ extra: [String: String]) -> TraceFields {
        var f = TraceFields()
        f.add("shard", shard.key)
        for key in extra.keys.sorted() { f.add(key, extra[key]!) }
        return f
    }

    // MARK: Reparents

    func startQueued(_ context: ProcessContext<ClusterMessage>) {
        var index = 0
        while index < queued.count {
            let (id, client, request) = queued[index]
            guard let shard = shards.first(where: { $0.keyspace == request.keyspace && $0.shard == request.shard }) else {
                context.send(.reparentReply(id: id, result: .failure(ReparentError("no shard \(request.keyspace)/\(request.shard)"))), to: client)
                queued.remove(at: index)
                continue
            }
            guard running[shard.key] == nil else { index += 1; continue }
            queued.remove(at: index)
            begin(Reparent(kind: request.kind, shard: shard, requestedPrimary: request.newPrimary, orchestrator: self,
                           requester: (id, client)), context)
        }
    }

    func begin(_ reparent: Reparent, _ context: ProcessContext<ClusterMessage>) {
        running[reparent.shard.key] = reparent
        reparent.advance(context)
    }

    /// A reparent ended: report it, free the shard, start what waits.
    func finished(_ reparent: Reparent, _ result: Result<String, ReparentError>, _ context: ProcessContext<ClusterMessage>) {
        running[reparent.shard.key] = nil
        var f = fields(reparent.shard, ["kind": reparent.kind.rawValue])
        switch result {
        case .success(let primary):
            f.add("primary", primary)
            observer?.mark(reparent.kind == .emergency ? .ersCompleted : .prsCompleted)
        case .failure(let error):
            f.add("error", error.message)
            observer?.mark(reparent.kind == .emergency ? .ersFailed : .prsFailed)
        }
        context.trace(state: "reparent_done", f)
        if let (id, client) = reparent.requester { context.send(.reparentReply(id: id, result: result), to: client) }
        startQueued(context)
    }
}
