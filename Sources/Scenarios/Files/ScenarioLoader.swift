import Foundation
import SimCluster
import SimCore

/// Reads and validates scenario files (YAML). Every problem is a `ScenarioError` naming
/// `file:line:column`; a loaded scenario refers only to things that exist.
public enum ScenarioLoader {
    static let topLevelFields = [
        "name", "description", "seed", "duration", "heal", "liveness_bound", "quiesce", "budget", "network", "processes",
        "cluster", "workload", "faults", "random_faults", "checks", "exercises", "expect",
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
            network: try parseNetwork(fields["network"], cluster: fields["cluster"] != nil),
            system: .kernel([]),
            faults: [],
            randomFaults: nil,
            checks: [],
            expect: try fields["expect"].map(parseExpect) ?? .pass)

        if let q = fields["quiesce"] {
            guard fields["cluster"] != nil else { throw q.error("'quiesce' goes with 'cluster'") }
            scenario.quiesce = try q.duration()
        }
        switch (fields["processes"], fields["cluster"]) {
        case (let processes?, nil):
            if let workload = fields["workload"] { throw workload.error("'workload' goes with 'cluster'; ping processes need none") }
            scenario.system = .kernel(try parseProcesses(processes))
        case (nil, let cluster?):
            var spec = try parseCluster(cluster, file: file)
            if fields["network"] != nil { spec.network = scenario.network.defaultLink }
            let workloads = try fields["workload"].map { try parseWorkload($0, spec: spec) } ?? []
            scenario.system = .cluster(ClusterScenario(spec: spec, workloads: workloads))
        case (_?, _?):
            throw root.error("a scenario runs either 'processes' or a 'cluster', not both")
        case (nil, nil):
            throw root.error("the scenario needs 'processes' or 'cluster' (the system to run)")
        }
        let names = Set(scenario.system.processNames)
        for link in scenario.network.links {
            for endpoint in [link.from, link.to] where !names.contains(endpoint) {
                throw try (fields.required("network")).error("link names '\(endpoint)', which is not a process of the scenario")
            }
        }
        if let faults = fields["faults"] {
            scenario.faults = try faults.sequence().enumerated().map { index, item in
                var fault = try parseTimedFault(item, names: names, system: scenario.system, duration: duration, healAt: healAt)
                // A permanent partition needs a name so that the final heal can leave it alone.
                if fault.permanent, case .fault(.partition(nil, let a, let b, let oneWay)) = fault.action {
                    fault.action = .fault(.partition(name: "permanent-\(index + 1)", sideA: a, sideB: b, oneWay: oneWay))
                }
                return fault
            }
        }
        if let random = fields["random_faults"] {
            scenario.randomFaults = try parseRandomFaults(random, names: names)
        }
        let known = CheckerRegistry.checkNames(for: scenario.system)
        if let checks = fields["checks"] {
            scenario.checks = try checks.list().map { value in
                let check = try value.string()
                guard known.contains(check) else {
                    let suggestion = YAMLValue.closest(check, in: known).map { " (did you mean '\($0)'?)" } ?? ""
                    throw value.error("unknown check '\(check)'\(suggestion); checks of this system: \(known.joined(separator: ", "))")
                }
                return check
            }
        }
        if let exercises = fields["exercises"] {
            guard case .cluster = scenario.system else { throw exercises.error("'exercises' names cluster mechanisms; this scenario runs no cluster") }
            let marks = ClusterMark.allCases.map(\.rawValue)
            scenario.exercises = try exercises.list().map { value in
                let name = try value.string()
                guard let mark = ClusterMark(rawValue: name) else {
                    let suggestion = YAMLValue.closest(name, in: marks).map { " (did you mean '\($0)'?)" } ?? ""
                    throw value.error("unknown mechanism '\(name)'\(suggestion); known: \(marks.joined(separator: ", "))")
                }
                return mark
            }
        }
        let verdicts = known + ["budget"] + (scenario.exercises.isEmpty ? [] : ["coverage"])
        if case .violation(let checker?) = scenario.expect, !verdicts.contains(checker) {
            throw try fields.required("expect").error("unknown checker '\(checker)' in 'expect'; known: \(verdicts.joined(separator: ", "))")
        }
        return scenario
    }

    // MARK: Sections

    /// The network section; a cluster's links are streams (Vitess talks over TCP).
    static func parseNetwork(_ value: YAMLValue?, cluster: Bool) throws -> NetworkSpec {
        var base = LinkConfig.reliable
        if cluster { base.transport = .stream }
        guard let value else { return NetworkSpec(defaultLink: base) }
        let fields = try value.fields(allowed: ["latency", "transport", "drop", "duplicate", "reorder", "links"])
        var spec = NetworkSpec(defaultLink: try parseLink(fields, base: base, cluster: cluster))
        if let links = fields["links"] {
            spec.links = try links.sequence().map { item in
                let f = try item.fields(allowed: ["from", "to", "both_ways", "latency", "transport", "drop", "duplicate", "reorder"])
                return LinkOverride(
                    from: try f.required("from").string(), to: try f.required("to").string(),
                    config: try parseLink(f, base: spec.defaultLink, cluster: cluster), bothWays: try f["both_ways"]?.bool() ?? false)
            }
        }
        return spec
    }

    static func parseLink(_ fields: Fields, base: LinkConfig, cluster: Bool) throws -> LinkConfig {
        var link = base
        if let transport = fields["transport"] {
            let word = try transport.string()
            guard let value = Transport(rawValue: word) else {
                throw transport.error("'transport' must be \(Transport.allCases.map(\.rawValue).joined(separator: " or ")), not '\(word)'")
            }
            guard !cluster || value == .stream else {
                throw transport.error("a cluster's processes talk over TCP: 'transport' must be stream")
            }
            link.transport = value
        }
        if let latency = fields["latency"] { link.latency = try latency.latency() }
        if let drop = fields["drop"] { link.drop = try drop.probability() }
        if let duplicate = fields["duplicate"] { link.duplicate = try duplicate.probability() }
        if let reorder = fields["reorder"] { link.reorder = try reorder.probability() }
        return link
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
