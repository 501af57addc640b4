import SimCluster
import SimCore

extension ScenarioLoader {
    static let faultActions = ["partition", "heal", "crash", "restart", "pause", "resume", "clog", "unclog", "degrade", "restore"]
    static let clusterActions = ["crash_host", "restart_host", "reparent", "twopc_fault"]

    static func parseTimedFault(_ item: YAMLValue, names: Set<String>, system: SystemSpec, duration: SimDuration,
                                healAt: SimDuration?) throws -> TimedFault {
        let f = try item.fields(allowed: ["at", "permanent"] + faultActions + clusterActions)
        let atValue = try f.required("at")
        let at = try atValue.duration()
        guard at <= duration else { throw atValue.error("the fault at \(at) comes after the end of the run (\(duration))") }
        if let healAt, at > healAt {
            throw atValue.error("the fault at \(at) comes after the heal at \(healAt); move it earlier, or move 'heal'")
        }
        let actions = f.entries.filter { $0.key != "at" && $0.key != "permanent" }
        guard actions.count == 1, let (key, value) = actions.first else {
            throw item.error("a fault needs 'at' and exactly one of: \((faultActions + clusterActions).joined(separator: ", "))")
        }
        func process(_ v: YAMLValue) throws -> String {
            let name = try v.string()
            guard names.contains(name) else {
                let suggestion = YAMLValue.closest(name, in: names.sorted()).map { " (did you mean '\($0)'?)" } ?? ""
                throw v.error("'\(name)' is not a process of the scenario\(suggestion)")
            }
            return name
        }
        func processes(_ v: YAMLValue) throws -> [String] {
            let list = try v.list().map(process)
            guard !list.isEmpty else { throw v.error("\(v.name) must name at least one process") }
            return list
        }
        var layout: ClusterLayout?
        if case .cluster(let cluster) = system { layout = ClusterLayout(cluster.spec) }
        func host(_ v: YAMLValue) throws -> String {
            guard let layout else { throw v.error("'\(key)' needs a cluster scenario") }
            let alias = try v.string()
            guard layout.tablets.contains(where: { $0.alias == alias }) else {
                let suggestion = YAMLValue.closest(alias, in: layout.tablets.map(\.alias)).map { " (did you mean '\($0)'?)" } ?? ""
                throw v.error("'\(alias)' is not a tablet of the cluster\(suggestion)")
            }
            return alias
        }
        let action: ScenarioAction
        switch key {
        case "partition":
            let p = try value.fields(allowed: ["name", "a", "b", "one_way"])
            let a = try processes(try p.required("a"))
            let b = try processes(try p.required("b"))
            if let both = Set(a).intersection(b).sorted().first {
                throw value.error("'\(both)' is on both sides of the partition")
            }
            action = .fault(.partition(name: try p["name"]?.string(), sideA: a, sideB: b, oneWay: try p["one_way"]?.bool() ?? false))
        case "heal":
            let text = try value.string()
            action = .fault(.heal(name: text == "all" ? nil : text))
        case "crash":
            if value.isMapping {
                let c = try value.fields(allowed: ["process", "lose_unsynced"])
                action = .fault(.crash(try process(try c.required("process")),
                                       losingUnsynced: Int(try c["lose_unsynced"]?.int(in: 0...1_000_000) ?? 0)))
            } else {
                action = .fault(.crash(try process(value), losingUnsynced: 0))
            }
        case "restart": action = .fault(.restart(try process(value)))
        case "pause": action = .fault(.pause(try process(value)))
        case "resume": action = .fault(.resume(try process(value)))
        case "clog":
            let c = try value.fields(allowed: ["process", "delay"])
            action = .fault(.clog(try process(try c.required("process")), extraDelay: try c.required("delay").duration()))
        case "unclog": action = .fault(.unclog(try process(value)))
        case "degrade":
            let d = try value.fields(allowed: ["process", "drop", "duplicate", "reorder"])
            action = .fault(.degrade(try process(try d.required("process")), drop: try d["drop"]?.probability() ?? 0,
                                     duplicate: try d["duplicate"]?.probability() ?? 0, reorder: try d["reorder"]?.probability() ?? 0))
        case "restore": action = .fault(.restore(try process(value)))
        case "crash_host":
            if value.isMapping {
                let c = try value.fields(allowed: ["host", "lose_unsynced"])
                action = .crashHost(try host(try c.required("host")), losingUnsynced: Int(try c["lose_unsynced"]?.int(in: 0...1_000_000) ?? 0))
            } else {
                action = .crashHost(try host(value), losingUnsynced: 0)
            }
        case "restart_host": action = .restartHost(try host(value))
        case "reparent":
            guard let layout else { throw value.error("'reparent' needs a cluster scenario") }
            let r = try value.fields(allowed: ["kind", "keyspace", "shard", "new_primary"])
            let kindValue = try r.required("kind")
            guard let kind = ReparentRequest.Kind(rawValue: try kindValue.string().uppercased()) else {
                throw kindValue.error("'kind' must be PRS (planned) or ERS (emergency)")
            }
            let keyspace = try r.required("keyspace").string()
            let shardValue = try r.required("shard")
            let shard = try shardValue.string()
            guard layout.tablets.contains(where: { $0.keyspace == keyspace && $0.shard == shard }) else {
                throw shardValue.error("the cluster has no shard \(keyspace)/\(shard)")
            }
            var newPrimary: String?
            if let np = r["new_primary"] {
                let alias = try host(np)
                guard layout.tablets.contains(where: { $0.alias == alias && $0.keyspace == keyspace && $0.shard == shard }) else {
                    throw np.error("'\(alias)' is not a tablet of \(keyspace)/\(shard)")
                }
                newPrimary = alias
            }
            action = .reparent(ReparentRequest(kind: kind, keyspace: keyspace, shard: shard, newPrimary: newPrimary))
        case "twopc_fault":
            guard let layout else { throw value.error("'twopc_fault' needs a cluster scenario") }
            let t = try value.fields(allowed: ["point", "gateway", "action", "count"])
            let pointValue = try t.required("point")
            guard let point = TwoPCFaultPoint(name: try pointValue.string()) else {
                throw pointValue.error("unknown fault point '\(try pointValue.string())'; known: TRCreated_FailNow, RMPrepare_<shard>_FailNow, RMPrepared_FailNow, MMCommitted_FailNow, RMCommit_<shard>_FailNow")
            }
            switch point {
            case .prepare(let shard), .commitPrepared(let shard):
                guard layout.tablets.contains(where: { $0.shard == shard }) else { throw pointValue.error("the cluster has no shard '\(shard)'") }
            default: break
            }
            var gateway: String?
            if let g = t["gateway"] {
                let name = try g.string()
                guard layout.gateways.contains(name) else {
                    throw g.error("'\(name)' is not a gateway of the cluster (it has \(layout.gateways.joined(separator: ", ").nonEmpty ?? "none"))")
                }
                gateway = name
            }
            var faultAction = TwoPCFaultAction.fail
            if let a = t["action"] {
                guard let parsed = TwoPCFaultAction(rawValue: try a.string()) else { throw a.error("'action' must be fail or stall") }
                faultAction = parsed
            }
            action = .twoPCFault(point, gateway: gateway, action: faultAction, count: Int(try t["count"]?.int(in: 1...1_000_000) ?? 1))
        default:
            preconditionFailure("unreachable: keys were checked")
        }
        let permanent = try f["permanent"]?.bool() ?? false
        if permanent {
            switch action {
            case .fault(.partition), .fault(.crash), .fault(.pause), .fault(.clog), .fault(.degrade), .crashHost: break
            default: throw try f.required("permanent").error("only a partition, crash, crash_host, pause, clog or degrade can be permanent")
            }
        }
        return TimedFault(at: at, action: action, permanent: permanent, location: item.location)
    }

    static func parseRandomFaults(_ value: YAMLValue, names: Set<String>) throws -> RandomFaultSpec {
        let f = try value.fields(allowed: ["swarm", "kinds", "targets", "start", "twopc_points"])
        var twoPCPoints: RandomTwoPCPoints?
        if let t = f["twopc_points"] {
            let tf = try t.fields(allowed: ["every", "stall"])
            let everyValue = try tf.required("every")
            let every = try everyValue.duration()
            guard every.nanoseconds > 0 else { throw everyValue.error("'every' must be longer than 0s") }
            twoPCPoints = RandomTwoPCPoints(every: every, stall: try tf["stall"]?.probability() ?? 0.25)
        }
        var mix: RandomFaultSpec.Mix
        switch (f["swarm"], f["kinds"]) {
        case (let swarm?, nil):
            if swarm.isSequence {
                mix = .swarm(try swarm.sequence().map { try faultKind($0) })
            } else {
                guard try swarm.bool() else { throw swarm.error("'swarm: false' turns nothing on; give 'kinds' instead") }
                mix = .swarm(FaultKind.allCases)
            }
        case (nil, let kinds?):
            var explicit = FaultMix()
            for (key, rateValue) in try kinds.mapping(allowed: FaultKind.allCases.map(\.rawValue)) {
                let r = try rateValue.fields(allowed: ["every", "lasting"])
                let everyValue = try r.required("every")
                let every = try everyValue.duration()
                guard every.nanoseconds > 0 else { throw everyValue.error("'every' must be longer than 0s") }
                let (shortest, longest) = try r.required("lasting").durationRange()
                explicit.set(FaultKind(rawValue: key)!, FaultRate(meanInterval: every, minDuration: shortest, maxDuration: longest))
            }
            mix = .explicit(explicit)
        case (_?, _?):
            throw value.error("'random_faults' takes either 'swarm' or 'kinds', not both")
        case (nil, nil):
            guard twoPCPoints != nil else { throw value.error("'random_faults' needs 'swarm: true', 'kinds' or 'twopc_points'") }
            mix = .explicit(FaultMix())
        }
        var targets: [String]?
        if let t = f["targets"] {
            targets = try t.list().map { v in
                let name = try v.string()
                guard names.contains(name) else { throw v.error("'\(name)' is not a process of the scenario") }
                return name
            }
        }
        return RandomFaultSpec(mix: mix, targets: targets, start: try f["start"]?.duration() ?? .zero, twoPCPoints: twoPCPoints)
    }

    static func faultKind(_ value: YAMLValue) throws -> FaultKind {
        let word = try value.string()
        guard let kind = FaultKind(rawValue: word) else {
            throw value.error("unknown fault kind '\(word)'; known kinds: \(FaultKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }
}
