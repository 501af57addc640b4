/// One trace event as the kernel records it: plain data, cheap to store, rendered on demand.
public struct TraceRecord<Message: SimMessage> {
    /// When the event happened.
    public var time: SimTime
    public var kind: TraceKind
    /// The process the event happened to (receiver, crashed process, ...), or `.none`.
    public var process: ProcessID
    /// The other side: the sender of a delivered or dropped message, or `.none`.
    public var peer: ProcessID
    /// When a delivered or dropped message was sent.
    public var sentAt: SimTime
    /// The message or timer payload, if any.
    public var message: Message?

    @inlinable public init(
        time: SimTime, kind: TraceKind, process: ProcessID, peer: ProcessID = .none,
        sentAt: SimTime = .zero, message: Message? = nil
    ) {
        self.time = time
        self.kind = kind
        self.process = process
        self.peer = peer
        self.sentAt = sentAt
        self.message = message
    }

    /// Folds the record's canonical encoding into `hasher`: a header word (kind, process, peer,
    /// whether a message and a note follow), the time, the send time of a message, the message.
    /// The note, if any, follows (see `TraceRecorder`).
    @inlinable public func fingerprint(into hasher: inout TraceHasher, hasNote: Bool) {
        Self.fingerprint(time: time, kind: kind, process: process, peer: peer, sentAt: sentAt, message: message,
                         hasNote: hasNote, into: &hasher)
    }

    /// `fingerprint(into:hasNote:)` of the record these parts make, without making it: the kernel
    /// folds every event in, and copying a message into a record costs more than hashing it.
    @inlinable public static func fingerprint(
        time: SimTime, kind: TraceKind, process: ProcessID, peer: ProcessID, sentAt: SimTime,
        message: borrowing Message?, hasNote: Bool, into hasher: inout TraceHasher
    ) {
        let hasMessage = message != nil
        let flags: UInt64 = (hasMessage ? 1 << 62 : 0) | (hasNote ? 1 << 63 : 0)
        hasher.combine(UInt64(kind.rawValue) | process.traceCode << 8 | peer.traceCode << 36 | flags)
        hasher.combine(UInt64(bitPattern: time.nanoseconds))
        if hasMessage {
            hasher.combine(UInt64(bitPattern: sentAt.nanoseconds))
            message?.fingerprint(into: &hasher)
        }
    }

    /// The record with process names resolved and the message expanded into fields.
    public func rendered(note: TraceNote?, names: (ProcessID) -> String) -> TraceEvent {
        var messageFields = TraceFields()
        message?.traceFields(into: &messageFields)
        return TraceEvent(
            time: time, kind: kind,
            process: process.isNone ? nil : names(process),
            peer: peer.isNone ? nil : names(peer),
            sentAt: (kind == .deliver || kind == .drop) ? sentAt : nil,
            messageName: message?.traceName, messageFields: messageFields,
            detail: note?.detail ?? "", fields: note?.fields ?? TraceFields())
    }
}
