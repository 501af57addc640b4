import Foundation
import SimCore
import Yams

/// Shrinks a failing scenario file: removes faults, clients, workload rounds, gateways, replicas
/// and shards while the run at the same seed still breaks the same checker, and returns the
/// smallest file it found, in the scenario format, which replays that violation.
///
/// It works on the file's YAML, never on the loaded model, so every candidate is a file a person
/// could have written and the loader validates it (a candidate that no longer loads is skipped).
/// Random faults are first written out as the timeline of faults the run injected (each fault with
/// its heal, one unit), so that they can be removed one by one.
public struct ScenarioShrinker {
    /// The file the scenario came from (relative `schema_file` paths resolve against it).
    public let path: String
    public let seed: UInt64
    /// The most runs to spend.
    public var maxRuns = 400
    /// Stop after this much wall time (outside the runs: the runs themselves stay deterministic).
    public var timeLimit: Double?
    /// Told of each reduction kept.
    public var progress: ((String) -> Void)?

    public init(path: String, seed: UInt64) {
        self.path = path
        self.seed = seed
    }

    /// What shrinking found.
    public struct Result: Sendable {
        /// The checker whose violation was kept.
        public let checker: String
        public let text: String
        /// The reductions kept, in order.
        public let steps: [String]
        public let runs: Int
        public let originalFaults: Int
        public let faults: Int
        public let report: RunReport
    }

    public enum ShrinkError: Error, CustomStringConvertible {
        case notAViolation(String)
        case notYAML
        public var description: String {
            switch self {
            case .notAViolation(let verdict): "the run at this seed does not break an invariant (\(verdict)); nothing to shrink"
            case .notYAML: "the file is not a YAML mapping"
            }
        }
    }

    /// A timeline entry and the entries that belong with it (a fault and its heal).
    struct Unit {
        var nodes: [Node]
        var at: SimDuration
    }

    /// The state being shrunk: the document without its timeline, and the timeline's units.
    struct Candidate {
        var root: Node.Mapping
        var units: [Unit]

        func text() throws -> String {
            var root = root
            let entries = units.flatMap { unit in unit.nodes.map { (Self.time(of: $0) ?? unit.at, $0) } }
            // Stable by time: entries at one time keep the order they had.
            let sorted = entries.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element.1)
            if sorted.isEmpty { root["faults"] = nil } else { root["faults"] = .sequence(Node.Sequence(sorted)) }
            return try Yams.serialize(node: .mapping(root), width: 120)
        }

        static func time(of entry: Node) -> SimDuration? { entry["at"]?.string.flatMap(SimDuration.init(parsing:)) }
    }

    public func shrink(text original: String, checker requested: String? = nil) throws -> Result {
        let started = DispatchTime.now().uptimeNanoseconds
        var runs = 0
        func outOfBudget() -> Bool {
            if runs >= maxRuns { return true }
            guard let timeLimit else { return false }
            return Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 > timeLimit
        }
        func run(_ text: String) -> RunReport? {
            guard let scenario = try? ScenarioLoader.parse(text, file: path) else { return nil }
            runs += 1
            return ScenarioRunner.run(scenario, seed: seed)
        }
        guard let first = run(original) else {
            _ = try ScenarioLoader.parse(original, file: path)  // throws the loader's own error
            throw ShrinkError.notYAML
        }
        guard case .violation(let violations) = first.verdict,
              let checker = requested ?? violations.first(where: { $0.checker != "coverage" })?.checker ?? violations.first?.checker else {
            throw ShrinkError.notAViolation(first.verdict.description)
        }
        func breaks(_ report: RunReport?) -> Bool {
            guard case .violation(let found)? = report?.verdict else { return false }
            return found.contains { $0.checker == checker }
        }
        guard breaks(first) else { throw ShrinkError.notAViolation("no violation of \(checker): \(first.verdict)") }
        guard case .mapping(var root)? = try Yams.compose(yaml: original) else { throw ShrinkError.notYAML }
        root["seed"] = Node(String(seed))
        var best = Candidate(root: root, units: [])
        for entry in root["faults"]?.sequence ?? [] {
            best.units.append(Unit(nodes: [entry], at: Candidate.time(of: entry) ?? .zero))
        }
        let originalFaults = best.units.count
        var bestReport = first
        var steps: [String] = []
        /// Keeps `candidate` if it still breaks the checker.
        func attempt(_ candidate: Candidate, _ what: String) -> Bool {
            guard !outOfBudget(), let text = try? candidate.text(), let report = run(text), breaks(report) else { return false }
            best = candidate
            bestReport = report
            steps.append(what)
            progress?(what)
            return true
        }
        // Random faults become the timeline of what this run injected.
        if best.root["random_faults"] != nil {
            var written = best
            written.root["random_faults"] = nil
            written.units += first.randomFaultUnits.map { unit in Unit(nodes: unit.map(TimelineWriter.node), at: unit[0].at) }
            _ = attempt(written, "wrote the \(first.randomFaultUnits.count) random faults as a timeline")
        }
        var changed = true
        while changed && !outOfBudget() {
            changed = false
            // Timeline units, by halves, then quarters, ... then one at a time (ddmin's complements).
            var chunk = max(1, best.units.count / 2)
            while chunk >= 1 && !best.units.isEmpty && !outOfBudget() {
                var start = 0
                while start < best.units.count && !outOfBudget() {
                    var candidate = best
                    let end = min(start + chunk, candidate.units.count)
                    candidate.units.removeSubrange(start..<end)
                    let removed = end - start
                    if attempt(candidate, removed == 1 ? "removed the fault at \(best.units[start].at)" : "removed \(removed) faults") {
                        changed = true
                    } else {
                        start += chunk
                    }
                }
                chunk /= 2
            }
            // Each reduction is one step from the current best: after one is kept, the next are
            // drawn again from it (else a later one would undo an earlier).
            var reduced = true
            while reduced && !outOfBudget() {
                reduced = false
                for reduction in reductions(best) where !outOfBudget() {
                    if attempt(reduction.candidate, reduction.what) {
                        changed = true
                        reduced = true
                        break
                    }
                }
            }
        }
        let header = "# Shrunk by `simrun shrink` from \((path as NSString).lastPathComponent), seed \(seed): the violation of \(checker)\n"
            + "# persists with \(best.units.count) of \(originalFaults + first.randomFaultUnits.count) faults after \(steps.count) reductions (comments were not kept).\n"
        return Result(checker: checker, text: header + (try best.text()), steps: steps, runs: runs, originalFaults: originalFaults + first.randomFaultUnits.count,
                      faults: best.units.count, report: bestReport)
    }

    /// Smaller versions of the system and workload, each one step from `candidate`.
    func reductions(_ candidate: Candidate) -> [(candidate: Candidate, what: String)] {
        var out: [(Candidate, String)] = []
        func put(_ value: Node, at path: [Node], _ what: String) {
            var c = candidate
            guard let updated = Self.setting(.mapping(c.root), path: path, to: value), case .mapping(let root) = updated else { return }
            c.root = root
            out.append((c, what))
        }
        func set(_ value: Int, at path: [Node], _ what: String) { put(Node(String(value)), at: path, what) }
        // Workload: fewer clients, rounds, transactions, keys, statements per transaction, tables.
        for (i, entry) in (candidate.root["workload"]?.sequence ?? []).enumerated() {
            guard case .mapping(let m) = entry, let (kindNode, body) = m.first, let kind = kindNode.string else { continue }
            let base = [Node("workload"), Node(String(i)), kindNode]
            for field in ["clients", "repeat", "count", "keys", "accounts"] {
                guard let value = body[field]?.int, value > (["keys", "accounts"].contains(field) ? 2 : 1) else { continue }
                let smaller = field == "clients" ? value - 1 : value / 2
                set(smaller, at: base + [Node(field)], "workload \(i + 1) (\(kind)): \(field) \(value) → \(smaller)")
            }
            if let ops = body["ops"]?.string, let range = ops.range(of: ".."), ops[..<range.lowerBound] != ops[range.upperBound...] {
                let low = String(ops[..<range.lowerBound])
                put(Node("\(low)..\(low)"), at: base + [Node("ops")], "workload \(i + 1) (\(kind)): ops \(ops) → \(low)..\(low)")
            }
            if let tables = body["tables"]?.sequence, tables.count > 1 {
                for (j, table) in tables.enumerated() {
                    var rest = tables
                    rest.remove(at: j)
                    put(.sequence(Node.Sequence(Array(rest), Tag(.seq), .flow)), at: base + [Node("tables")],
                        "workload \(i + 1) (\(kind)): without table \(table.string ?? "?")")
                }
            }
        }
        // Cluster: fewer gateways, replicas, read-only tablets and shards.
        if let gateways = candidate.root["cluster"]?["gateways"]?.int, gateways > 1 {
            set(gateways - 1, at: [Node("cluster"), Node("gateways")], "gateways \(gateways) → \(gateways - 1)")
        }
        for (i, keyspace) in (candidate.root["cluster"]?["keyspaces"]?.sequence ?? []).enumerated() {
            let name = keyspace["name"]?.string ?? "\(i + 1)"
            let path = [Node("cluster"), Node("keyspaces"), Node(String(i))]
            if let replicas = keyspace["replicas"]?.int, replicas > 0 {
                set(replicas - 1, at: path + [Node("replicas")], "keyspace \(name): replicas \(replicas) → \(replicas - 1)")
            }
            if let rdonly = keyspace["rdonly"]?.int, rdonly > 0 { set(0, at: path + [Node("rdonly")], "keyspace \(name): rdonly \(rdonly) → 0") }
            if let shards = keyspace["shards"]?.int, shards > 1 {
                set(shards / 2, at: path + [Node("shards")], "keyspace \(name): shards \(shards) → \(shards / 2)")
            }
        }
        return out
    }

    /// `node` with the value at `path` (mapping keys, sequence indices as strings) replaced.
    static func setting(_ node: Node, path: [Node], to value: Node) -> Node? {
        guard let key = path.first else { return value }
        switch node {
        case .mapping(var m):
            guard let child = m[key], let updated = setting(child, path: Array(path.dropFirst()), to: value) else { return nil }
            m[key] = updated
            return .mapping(m)
        case .sequence(var s):
            guard let index = key.int, s.indices.contains(index), let updated = setting(s[index], path: Array(path.dropFirst()), to: value) else { return nil }
            s[index] = updated
            return .sequence(s)
        default:
            return nil
        }
    }
}
