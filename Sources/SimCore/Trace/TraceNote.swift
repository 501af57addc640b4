/// The words and fields of a trace event that carries more than a message: a state name, a drop
/// reason, a fault's parameters. Kept apart from `TraceRecord` so that the records of the hot
/// event kinds (deliveries, timers) stay plain data.
public struct TraceNote: Sendable, Equatable {
    /// A short word: the state name, the drop reason, the fault name.
    public var detail: String
    /// Further named values.
    public var fields: TraceFields

    @inlinable public init(detail: String = "", fields: TraceFields = TraceFields()) {
        self.detail = detail
        self.fields = fields
    }

    public func fingerprint(into hasher: inout TraceHasher) {
        hasher.combine(detail)
        fields.fingerprint(into: &hasher)
    }
}
