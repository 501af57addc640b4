/// Receives every rendered trace event of a run as it happens (for JSON Lines output and reports).
public protocol TraceSink: AnyObject {
    func write(_ event: TraceEvent)
}

/// Collects rendered events in memory (tests, reports).
public final class TraceCollector: TraceSink {
    public private(set) var events: [TraceEvent] = []
    public init() {}
    public func write(_ event: TraceEvent) { events.append(event) }
}
