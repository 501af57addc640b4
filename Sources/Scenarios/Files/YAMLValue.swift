import SimCore
import Yams

/// A node of a parsed YAML document with its place in the file, and typed readers that turn any
/// mismatch into a `ScenarioError` at that place.
public struct YAMLValue {
    let node: Node
    let file: String
    /// What the value is, for messages (`network.latency`, `faults[2].at`).
    public let path: String

    init(node: Node, file: String, path: String) {
        self.node = node
        self.file = file
        self.path = path
    }

    /// Parses `text` (the contents of `file`) into its root value.
    public static func parse(_ text: String, file: String) throws -> YAMLValue {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ScenarioError(at: SourceLocation(file: file, line: 1, column: 1), "the file is empty")
            }
            return YAMLValue(node: node, file: file, path: "")
        } catch let error as YamlError {
            throw ScenarioError.fromYAML(error, file: file)
        }
    }

    public var location: SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    var name: String { path.isEmpty ? "the document" : "'\(path)'" }

    /// An error at this value.
    public func error(_ message: String) -> ScenarioError { ScenarioError(at: location, message) }

    func child(_ node: Node, _ suffix: String) -> YAMLValue {
        YAMLValue(node: node, file: file, path: path.isEmpty ? suffix : (suffix.hasPrefix("[") ? path + suffix : path + "." + suffix))
    }

    // MARK: Shapes

    public var isMapping: Bool { node.mapping != nil }
    public var isSequence: Bool { node.sequence != nil }
    public var isNull: Bool { node.scalar.map { $0.string == "null" || $0.string == "~" || ($0.string.isEmpty && $0.style == .plain) } ?? false }

    /// The entries of a mapping, in file order; keys must be in `allowed` (when given).
    public func mapping(allowed: [String]? = nil) throws -> [(key: String, value: YAMLValue)] {
        guard let mapping = node.mapping else { throw error("\(name) must be a mapping of fields") }
        var result: [(key: String, value: YAMLValue)] = []
        var seen: Set<String> = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.scalar?.string else {
                throw YAMLValue(node: keyNode, file: file, path: path).error("a key in \(name) must be a plain word")
            }
            let keyValue = YAMLValue(node: keyNode, file: file, path: path)
            if let allowed, !allowed.contains(key) {
                let suggestion = Self.closest(key, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                throw keyValue.error("unknown field '\(key)' in \(name)\(suggestion); expected one of: \(allowed.joined(separator: ", "))")
            }
            guard seen.insert(key).inserted else { throw keyValue.error("field '\(key)' appears twice in \(name)") }
            result.append((key, child(valueNode, key)))
        }
        return result
    }

    /// A mapping read as named fields.
    public func fields(allowed: [String]) throws -> Fields {
        Fields(owner: self, entries: try mapping(allowed: allowed))
    }

    /// The items of a sequence.
    public func sequence() throws -> [YAMLValue] {
        guard let sequence = node.sequence else { throw error("\(name) must be a list") }
        return sequence.enumerated().map { child($0.element, "[\($0.offset)]") }
    }

    /// The items of a sequence, or a single value as a list of one.
    public func list() throws -> [YAMLValue] {
        node.sequence != nil ? try sequence() : [self]
    }

    // MARK: Scalars

    public func string() throws -> String {
        guard let scalar = node.scalar else { throw error("\(name) must be a single value, not a \(shapeName)") }
        return scalar.string
    }

    public func int(in range: ClosedRange<Int64> = Int64.min...Int64.max) throws -> Int64 {
        let text = try string()
        guard let value = Int64(text.replacingUnderscores()) else { throw error("\(name) must be a whole number, not '\(text)'") }
        guard range.contains(value) else { throw error("\(name) must be in \(range.lowerBound)...\(range.upperBound), not \(value)") }
        return value
    }

    public func uint64() throws -> UInt64 {
        let text = try string()
        guard let value = UInt64(text.replacingUnderscores()) else { throw error("\(name) must be a whole number ≥ 0, not '\(text)'") }
        return value
    }

    /// A probability in 0...1.
    public func probability() throws -> Double {
        let text = try string()
        guard let value = Double(text), value >= 0, value <= 1 else {
            throw error("\(name) must be a probability between 0 and 1, not '\(text)'")
        }
        return value
    }

    public func bool() throws -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("\(name) must be true or false")
        }
    }

    /// A duration such as `250ms`, `2s`, `1m30s`; never negative.
    public func duration() throws -> SimDuration {
        let text = try string()
        guard let value = SimDuration(parsing: text) else {
            throw error("\(name) must be a duration such as 250ms, 2s or 1m30s, not '\(text)'")
        }
        guard value.nanoseconds >= 0 else { throw error("\(name) must not be negative") }
        return value
    }

    /// A latency model: `2ms`, `1ms..5ms` or `longtail 1ms 3ms 1s`.
    public func latency() throws -> LatencyModel {
        let text = try string()
        guard let value = LatencyModel(parsing: text) else {
            throw error("\(name) must be a latency such as 2ms, 1ms..5ms or 'longtail 1ms 3ms 1s' (min median max), not '\(text)'")
        }
        return value
    }

    /// A duration range `min..max`, or one duration for both.
    public func durationRange() throws -> (SimDuration, SimDuration) {
        let text = try string()
        if let model = LatencyModel(parsing: text) {
            switch model {
            case .fixed(let d): return (d, d)
            case .uniform(let lower, let upper): return (lower, upper)
            case .longTail: break
            }
        }
        throw error("\(name) must be a duration or a range such as 100ms..2s, not '\(text)'")
    }

    var shapeName: String { node.mapping != nil ? "mapping" : (node.sequence != nil ? "list" : "value") }

    /// The allowed word closest to `word` (edit distance ≤ 2), for "did you mean".
    static func closest(_ word: String, in candidates: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var previous = Array(0...b.count)
            for (i, x) in a.enumerated() {
                var current = [i + 1]
                for (j, y) in b.enumerated() {
                    current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
                }
                previous = current
            }
            return previous[b.count]
        }
        let scored = candidates.map { ($0, distance(Array(word), Array($0))) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }
}

/// The fields of a mapping, looked up by name; required ones throw at the mapping when missing.
public struct Fields {
    public let owner: YAMLValue
    public let entries: [(key: String, value: YAMLValue)]

    public subscript(key: String) -> YAMLValue? { entries.first { $0.key == key }?.value }

    public func required(_ key: String) throws -> YAMLValue {
        guard let value = self[key] else { throw owner.error("\(owner.name) needs the field '\(key)'") }
        return value
    }

    public var keys: [String] { entries.map(\.key) }
}

extension ScenarioError {
    static func fromYAML(_ error: YamlError, file: String) -> ScenarioError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let extra = context.map { " (\($0.text))" } ?? ""
            return ScenarioError(at: SourceLocation(file: file, line: mark.line, column: mark.column),
                                 "malformed YAML: \(problem)\(extra)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ScenarioError(at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                                 "the mapping that starts here has the key\(duplicates.count > 1 ? "s" : "") \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) twice")
        case .reader(let problem, _, _, _):
            return ScenarioError(at: SourceLocation(file: file, line: 1, column: 1), "unreadable text: \(problem)")
        default:
            return ScenarioError(at: SourceLocation(file: file, line: 1, column: 1), "malformed YAML: \(error)")
        }
    }
}

extension String {
    func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
