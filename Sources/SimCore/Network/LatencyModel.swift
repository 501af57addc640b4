/// How long a message takes on a link.
public enum LatencyModel: Sendable, Equatable, CustomStringConvertible {
    /// Always the same delay.
    case fixed(SimDuration)
    /// Uniform in `min...max`.
    case uniform(min: SimDuration, max: SimDuration)
    /// Heavy-tailed: `min + (median - min) * (1/u - 1)` for u uniform in (0, 1], capped at `max`.
    /// Half the messages take less than `median`; P(delay > min + (median-min)·t) = 1/(1+t), a
    /// Pareto tail of index 1, computed with one correctly rounded division so every machine agrees.
    case longTail(min: SimDuration, median: SimDuration, max: SimDuration)

    /// Draws one delay.
    @inlinable public func sample(_ rng: inout RandomStream) -> SimDuration {
        switch self {
        case .fixed(let d):
            return d
        case .uniform(let lower, let upper):
            return rng.duration(in: lower, upper)
        case .longTail(let lower, let median, let upper):
            let u = Double((rng.next() >> 11) + 1) * 0x1.0p-53  // (0, 1]
            let factor = 1.0 / u - 1.0
            let spread = Double(median.nanoseconds - lower.nanoseconds)
            let extra = spread * factor
            let cap = Double(upper.nanoseconds - lower.nanoseconds)
            let ns = extra >= cap ? upper.nanoseconds - lower.nanoseconds : Int64(extra)
            return SimDuration(nanoseconds: lower.nanoseconds + ns)
        }
    }

    /// The smallest delay the model can give.
    public var minimum: SimDuration {
        switch self {
        case .fixed(let d): d
        case .uniform(let lower, _): lower
        case .longTail(let lower, _, _): lower
        }
    }

    /// The form scenario files use: `2ms`, `1ms..5ms`, `longtail 1ms 3ms 1s`.
    public var description: String {
        switch self {
        case .fixed(let d): "\(d)"
        case .uniform(let lower, let upper): "\(lower)..\(upper)"
        case .longTail(let lower, let median, let upper): "longtail \(lower) \(median) \(upper)"
        }
    }

    /// Parses the forms of `description`; nil when malformed or inconsistent.
    public init?(parsing text: String) {
        let trimmed = text.trimmingSpaces()
        let words = trimmed.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if words.first == "longtail" {
            guard words.count == 4,
                  let lower = SimDuration(parsing: words[1]), let median = SimDuration(parsing: words[2]),
                  let upper = SimDuration(parsing: words[3]),
                  lower.nanoseconds >= 0, lower <= median, median <= upper else { return nil }
            self = .longTail(min: lower, median: median, max: upper)
        } else if trimmed.contains("..") {
            let bounds = trimmed.split(separator: ".", omittingEmptySubsequences: false)
            // "1ms..5ms" splits as ["1ms", "", "5ms"]; a decimal bound ("1.5ms..2ms") is rejoined.
            let joined = bounds.map(String.init)
            guard let gap = joined.firstIndex(of: ""), gap > 0, gap + 1 < joined.count,
                  let lower = SimDuration(parsing: joined[..<gap].joined(separator: ".")),
                  let upper = SimDuration(parsing: joined[(gap + 1)...].joined(separator: ".")),
                  lower.nanoseconds >= 0, lower <= upper else { return nil }
            self = .uniform(min: lower, max: upper)
        } else {
            guard let d = SimDuration(parsing: trimmed), d.nanoseconds >= 0 else { return nil }
            self = .fixed(d)
        }
    }
}
