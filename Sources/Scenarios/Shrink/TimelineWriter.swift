import SimCluster
import SimCore
import Yams

/// Writes timeline steps in the scenario file's own syntax (the `faults` section), so that the
/// fuzzer and the shrinker can turn a run's random faults into a file that replays them.
enum TimelineWriter {
    static func node(_ step: TimedFault) -> Node {
        var pairs: [(Node, Node)] = [(scalar("at"), scalar(step.at.description))]
        pairs.append(action(step.action))
        if step.permanent { pairs.append((scalar("permanent"), scalar("true"))) }
        return .mapping(Node.Mapping(pairs, .implicit, .flow))
    }

    static func action(_ action: ScenarioAction) -> (Node, Node) {
        switch action {
        case .fault(let fault):
            switch fault {
            case .partition(let name, let a, let b, let oneWay):
                var pairs: [(Node, Node)] = []
                if let name { pairs.append((scalar("name"), scalar(name))) }
                pairs.append((scalar("a"), list(a)))
                pairs.append((scalar("b"), list(b)))
                if oneWay { pairs.append((scalar("one_way"), scalar("true"))) }
                return (scalar("partition"), map(pairs))
            case .heal(let name): return (scalar("heal"), scalar(name ?? "all"))
            case .crash(let p, let losing):
                if losing == 0 { return (scalar("crash"), scalar(p)) }
                return (scalar("crash"), map([(scalar("process"), scalar(p)), (scalar("lose_unsynced"), scalar("\(losing)"))]))
            case .restart(let p): return (scalar("restart"), scalar(p))
            case .pause(let p): return (scalar("pause"), scalar(p))
            case .resume(let p): return (scalar("resume"), scalar(p))
            case .clog(let p, let delay): return (scalar("clog"), map([(scalar("process"), scalar(p)), (scalar("delay"), scalar(delay.description))]))
            case .unclog(let p): return (scalar("unclog"), scalar(p))
            case .degrade(let p, let drop, let duplicate, let reorder):
                var pairs: [(Node, Node)] = [(scalar("process"), scalar(p))]
                if drop > 0 { pairs.append((scalar("drop"), scalar("\(drop)"))) }
                if duplicate > 0 { pairs.append((scalar("duplicate"), scalar("\(duplicate)"))) }
                if reorder > 0 { pairs.append((scalar("reorder"), scalar("\(reorder)"))) }
                return (scalar("degrade"), map(pairs))
            case .restore(let p): return (scalar("restore"), scalar(p))
            }
        case .crashHost(let alias, let losing):
            if losing == 0 { return (scalar("crash_host"), scalar(alias)) }
            return (scalar("crash_host"), map([(scalar("host"), scalar(alias)), (scalar("lose_unsynced"), scalar("\(losing)"))]))
        case .restartHost(let alias): return (scalar("restart_host"), scalar(alias))
        case .reparent(let request):
            var pairs: [(Node, Node)] = [(scalar("kind"), scalar(request.kind.rawValue)), (scalar("keyspace"), scalar(request.keyspace)),
                                         (scalar("shard"), scalar(request.shard))]
            if let primary = request.newPrimary { pairs.append((scalar("new_primary"), scalar(primary))) }
            return (scalar("reparent"), map(pairs))
        case .twoPCFault(let point, let gateway, let faultAction, let count):
            var pairs: [(Node, Node)] = [(scalar("point"), scalar(point.description))]
            if let gateway { pairs.append((scalar("gateway"), scalar(gateway))) }
            pairs.append((scalar("action"), scalar(faultAction.rawValue)))
            if count != 1 { pairs.append((scalar("count"), scalar("\(count)"))) }
            return (scalar("twopc_fault"), map(pairs))
        }
    }

    /// A plain scalar, quoted when YAML would read it as something else (a shard name `-80`).
    static func scalar(_ text: String) -> Node {
        let plain = !text.isEmpty && text.first != "-" && !text.contains(": ") && !text.contains("#") && text.first != "{" && text.first != "["
        return .scalar(Node.Scalar(text, .implicit, plain ? .plain : .doubleQuoted))
    }

    static func list(_ items: [String]) -> Node { .sequence(Node.Sequence(items.map(scalar), .implicit, .flow)) }

    static func map(_ pairs: [(Node, Node)]) -> Node { .mapping(Node.Mapping(pairs, .implicit, .flow)) }
}
