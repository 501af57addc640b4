/// A message (or timer payload) that processes of a run exchange.
///
/// A run is single-threaded, so messages need not be `Sendable`. They describe themselves for the
/// trace; `fingerprint(into:)` has a default built from the description, and hot message types
/// override it with a direct encoding of their contents.
public protocol SimMessage {
    /// A short name for the trace, such as `ping` or `prepare`.
    var traceName: String { get }
    /// The message's contents as named fields, for the trace.
    func traceFields(into fields: inout TraceFields)
    /// Folds the message's canonical encoding into the run's fingerprint.
    func fingerprint(into hasher: inout TraceHasher)
}

extension SimMessage {
    public func traceFields(into fields: inout TraceFields) {}

    public func fingerprint(into hasher: inout TraceHasher) {
        hasher.combine(traceName)
        var fields = TraceFields()
        traceFields(into: &fields)
        fields.fingerprint(into: &hasher)
    }
}
