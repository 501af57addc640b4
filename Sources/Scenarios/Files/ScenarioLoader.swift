import Foundation
import SimCore

/// Reads and validates scenario files (YAML). Every problem is a `ScenarioError` naming
/// `file:line:column`; a loaded scenario refers only to things that exist.
public enum ScenarioLoader {
    static let topLevelFields = [
        "name", "description", "seed", "duration", "heal", "liveness_bound", "budget", "network", "processes",
        "faults", "random_faults", "checks", "expect",
    ]

    /// Loads the scenario in `path`.
    public static func load(path: String) throws -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw ScenarioError(file: path, exists ? (isDirectory.boolValue ? "is a directory, not a scenario file" : "cannot be read")
                                                   : "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(file: path, "is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses scenario text; `file` names it in messages.
    public static func parse(_ text: String, file: String) throws -> Scenario {
        let root = try YAMLValue.parse(text, file: file)
        let fields = try root.fields(allowed: topLevelFields)
        let name = try fields["name"]?.string() ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let duration = try fields.required("duration").duration()
        guard duration.nanoseconds > 0 else { throw try fields.required("duration").error("'duration' must be longer than 0s") }

        var healAt: SimDuration? = SimDuration(nanoseconds: duration.nanoseconds / 5 * 4)
        if let heal = fields["heal"] {
            let text = try heal.string()
            if text == "never" {
                healAt = nil
            } else {
                let at = try heal.duration()
                guard at <= duration else { throw heal.error("the heal at \(at) comes after the end of the run (\(duration))") }
                healAt = at
            }
        }

        var scenario = Scenario(
            file: file, name: name,
            description: try fields["description"]?.string() ?? "",
            seed: try fields["seed"]?.uint64() ?? 1,
            duration: duration,
            healAt: healAt,
            livenessBound: try fields["liveness_bound"]?.duration() ?? .seconds(2),
            budget: Int(try fields["budget"]?.int(in: 1...Int64(Int32.max) * 16) ?? 20_000_000),
            network: try fields["network"].map(parseNetwork) ?? NetworkSpec(),
            processes: [],
            faults: [],
            randomFaults: nil,
            checks: [],
            expect: try fields["expect"].map(parseExpect) ?? .pass)

        guard let processes = fields["processes"] else {
            throw root.error("the scenario needs 'processes' (the system to run)")
        }
        scenario.processes = try parseProcesses(processes)
        let names = Set(scenario.processes.map(\.name))
        for link in scenario.network.links {
            for endpoint in [link.from, link.to] where !names.contains(endpoint) {
                throw try (fields.required("network")).error("link names '\(endpoint)', which is not a process of the scenario")
            }
        }
        if let faults = fields["faults"] {
            scenario.faults = try faults.sequence().enumerated().map { index, item in
                var fault = try parseTimedFault(item, names: names, duration: duration, healAt: healAt)
                // A permanent partition needs a name so that the final heal can leave it alone.
                if fault.permanent, case .partition(nil, let a, let b, let oneWay) = fault.action {
                    fault.action = .partition(name: "permanent-\(index + 1)", sideA: a, sideB: b, oneWay: oneWay)
                }
                return fault
            }
        }
        if let random = fields["random_faults"] {
            scenario.randomFaults = try parseRandomFaults(random, names: names)
        }
        if let checks = fields["checks"] {
            scenario.checks = try checks.list().map { value in
                let check = try value.string()
                guard CheckerRegistry.names.contains(check) else {
                    let suggestion = YAMLValue.closest(check, in: CheckerRegistry.names).map { " (did you mean '\($0)'?)" } ?? ""
                    throw value.error("unknown check '\(check)'\(suggestion); known checks: \(CheckerRegistry.names.joined(separator: ", "))")
                }
                return check
            }
        }
        if case .violation(let checker?) = scenario.expect, !CheckerRegistry.verdictNames.contains(checker) {
            throw try fields.required("expect").error("unknown checker '\(checker)' in 'expect'; known: \(CheckerRegistry.verdictNames.joined(separator: ", "))")
        }
        return scenario
    }

    // MARK: Sections

    static func parseNetwork(_ value: YAMLValue) throws -> NetworkSpec {
        let fields = try value.fields(allowed: ["latency", "drop", "duplicate", "reorder", "links"])
        var spec = NetworkSpec(defaultLink: try parseLink(fields, base: .reliable))
        if let links = fields["links"] {
            spec.links = try links.sequence().map { item in
                let f = try item.fields(allowed: ["from", "to", "both_ways", "latency", "drop", "duplicate", "reorder"])
                return LinkOverride(
                    from: try f.required("from").string(), to: try f.required("to").string(),
                    config: try parseLink(f, base: spec.defaultLink), bothWays: try f["both_ways"]?.bool() ?? false)
            }
        }
        return spec
    }

    static func parseLink(_ fields: Fields, base: LinkConfig) throws -> LinkConfig {
        var link = base
        if let latency = fields["latency"] { link.latency = try latency.latency() }
        if let drop = fields["drop"] { link.drop = try drop.probability() }
        if let duplicate = fields["duplicate"] { link.duplicate = try duplicate.probability() }
        if let reorder = fields["reorder"] { link.reorder = try reorder.probability() }
        return link
    }

    static func parseProcesses(_ value: YAMLValue) throws -> [ProcessSpec] {
        var specs: [ProcessSpec] = []
        var seen: Set<String> = []
        let items = try value.sequence()
        guard !items.isEmpty else { throw value.error("'processes' must list at least one process") }
        for item in items {
            let f = try item.fields(allowed: ["name", "kind", "target", "interval", "count", "mutant"])
            let nameValue = try f.required("name")
            let name = try nameValue.string()
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw nameValue.error("process name '\(name)' must use letters, digits, '-' and '_'")
            }
            guard seen.insert(name).inserted else { throw nameValue.error("two processes are called '\(name)'") }
            let kindValue = try f.required("kind")
            guard let kind = ProcessSpec.Kind(rawValue: try kindValue.string()) else {
                throw kindValue.error("unknown process kind '\(try kindValue.string())'; known kinds: \(ProcessSpec.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var spec = ProcessSpec(name: name, kind: kind, target: nil, interval: .milliseconds(100), count: nil, mutant: nil)
            if let interval = f["interval"] {
                spec.interval = try interval.duration()
                guard spec.interval.nanoseconds > 0 else { throw interval.error("'interval' must be longer than 0s") }
            }
            if let count = f["count"] { spec.count = Int(try count.int(in: 0...1_000_000_000)) }
            if let mutant = f["mutant"] {
                let word = try mutant.string()
                guard word == "wrong_reply", kind == .echo else {
                    throw mutant.error("unknown mutant '\(word)' for a \(kind.rawValue) process; an echo knows 'wrong_reply'")
                }
                spec.mutant = word
            }
            switch kind {
            case .ping:
                spec.target = try f.required("target").string()
            case .echo:
                if let target = f["target"] { throw target.error("an echo process has no 'target'") }
            }
            specs.append(spec)
        }
        let byName = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0) })
        for (item, spec) in zip(items, specs) where spec.kind == .ping {
            let target = try item.fields(allowed: ["name", "kind", "target", "interval", "count", "mutant"]).required("target")
            guard let echo = byName[spec.target ?? ""] else {
                throw target.error("'\(spec.target ?? "")' is not a process of the scenario")
            }
            guard echo.kind == .echo else { throw target.error("a ping process must target an echo process, and '\(echo.name)' is a \(echo.kind.rawValue)") }
        }
        return specs
    }

    static let faultActions = ["partition", "heal", "crash", "restart", "pause", "resume", "clog", "unclog", "degrade", "restore"]

    static func parseTimedFault(_ item: YAMLValue, names: Set<String>, duration: SimDuration, healAt: SimDuration?) throws -> TimedFault {
        let f = try item.fields(allowed: ["at", "permanent"] + faultActions)
        let atValue = try f.required("at")
        let at = try atValue.duration()
        guard at <= duration else { throw atValue.error("the fault at \(at) comes after the end of the run (\(duration))") }
        if let healAt, at > healAt {
            throw atValue.error("the fault at \(at) comes after the heal at \(healAt); move it earlier, or move 'heal'")
        }
        let actions = f.entries.filter { $0.key != "at" && $0.key != "permanent" }
        guard actions.count == 1, let (key, value) = actions.first else {
            throw item.error("a fault needs 'at' and exactly one of: \(faultActions.joined(separator: ", "))")
        }
        func process(_ v: YAMLValue) throws -> String {
            let name = try v.string()
            guard names.contains(name) else { throw v.error("'\(name)' is not a process of the scenario") }
            return name
        }
        func processes(_ v: YAMLValue) throws -> [String] {
            let list = try v.list().map(process)
            guard !list.isEmpty else { throw v.error("\(v.name) must name at least one process") }
            return list
        }
        let action: FaultAction<String>
        switch key {
        case "partition":
            let p = try value.fields(allowed: ["name", "a", "b", "one_way"])
            let a = try processes(try p.required("a"))
            let b = try processes(try p.required("b"))
            if let both = Set(a).intersection(b).sorted().first {
                throw value.error("'\(both)' is on both sides of the partition")
            }
            action = .partition(name: try p["name"]?.string(), sideA: a, sideB: b, oneWay: try p["one_way"]?.bool() ?? false)
        case "heal":
            let text = try value.string()
            action = .heal(name: text == "all" ? nil : text)
        case "crash":
            if value.isMapping {
                let c = try value.fields(allowed: ["process", "lose_unsynced"])
                action = .crash(try process(try c.required("process")),
                                losingUnsynced: Int(try c["lose_unsynced"]?.int(in: 0...1_000_000) ?? 0))
            } else {
                action = .crash(try process(value), losingUnsynced: 0)
            }
        case "restart": action = .restart(try process(value))
        case "pause": action = .pause(try process(value))
        case "resume": action = .resume(try process(value))
        case "clog":
            let c = try value.fields(allowed: ["process", "delay"])
            action = .clog(try process(try c.required("process")), extraDelay: try c.required("delay").duration())
        case "unclog": action = .unclog(try process(value))
        case "degrade":
            let d = try value.fields(allowed: ["process", "drop", "duplicate", "reorder"])
            action = .degrade(try process(try d.required("process")), drop: try d["drop"]?.probability() ?? 0,
                              duplicate: try d["duplicate"]?.probability() ?? 0, reorder: try d["reorder"]?.probability() ?? 0)
        case "restore": action = .restore(try process(value))
        default:
            preconditionFailure("unreachable: keys were checked")
        }
        let permanent = try f["permanent"]?.bool() ?? false
        if permanent {
            switch action {
            case .partition, .crash, .pause, .clog, .degrade: break
            default: throw try f.required("permanent").error("only a partition, crash, pause, clog or degrade can be permanent")
            }
        }
        return TimedFault(at: at, action: action, permanent: permanent, location: item.location)
    }

    static func parseRandomFaults(_ value: YAMLValue, names: Set<String>) throws -> RandomFaultSpec {
        let f = try value.fields(allowed: ["swarm", "kinds", "targets", "start"])
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
            throw value.error("'random_faults' needs 'swarm: true' or 'kinds'")
        }
        var targets: [String]?
        if let t = f["targets"] {
            targets = try t.list().map { v in
                let name = try v.string()
                guard names.contains(name) else { throw v.error("'\(name)' is not a process of the scenario") }
                return name
            }
        }
        return RandomFaultSpec(mix: mix, targets: targets, start: try f["start"]?.duration() ?? .zero)
    }

    static func faultKind(_ value: YAMLValue) throws -> FaultKind {
        let word = try value.string()
        guard let kind = FaultKind(rawValue: word) else {
            throw value.error("unknown fault kind '\(word)'; known kinds: \(FaultKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }

    static func parseExpect(_ value: YAMLValue) throws -> ExpectedVerdict {
        if value.isMapping {
            let f = try value.fields(allowed: ["violation"])
            return .violation(try f.required("violation").string())
        }
        let text = try value.string().trimmingCharacters(in: .whitespaces)
        if text == "pass" { return .pass }
        if text == "violation" { return .violation(nil) }
        if text.hasPrefix("violation:") {
            let checker = text.dropFirst("violation:".count).trimmingCharacters(in: .whitespaces)
            return .violation(checker.isEmpty ? nil : checker)
        }
        throw value.error("'expect' must be 'pass', 'violation' or 'violation: CHECKER', not '\(text)'")
    }
}
