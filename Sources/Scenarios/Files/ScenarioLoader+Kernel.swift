import SimCore

extension ScenarioLoader {
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
}
