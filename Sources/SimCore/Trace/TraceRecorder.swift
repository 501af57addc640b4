/// Records a run's trace: the running fingerprint over every event, the ring of recent events and,
/// when a sink is attached, the rendered stream.
///
/// Canonical encoding of one event (the words folded into the fingerprint, see `TraceHasher`):
/// the header word (kind in bits 0-7, process code in 8-35, peer code in 36-61, bit 62 set when a
/// message follows, bit 63 when a note follows), the time in ns, then for a message its send time
/// and its own encoding, then for a note its detail string and its fields.
public struct TraceRecorder<Message: SimMessage> {
    @usableFromInline var hasher: TraceHasher
    @usableFromInline var recorded = 0
    @usableFromInline var ring: TraceRing<Message>
    @usableFromInline var sink: (any TraceSink)?

    public init(ringCapacity: Int, seed: UInt64) {
        hasher = TraceHasher(seed: seed)
        ring = TraceRing(capacity: ringCapacity)
    }

    /// Events recorded so far.
    public var count: Int { recorded }

    /// The fingerprint of the events so far.
    public var fingerprint: UInt64 { hasher.value }

    /// The most recent events with their notes, oldest first.
    public var recent: [(record: TraceRecord<Message>, note: TraceNote?)] { ring.entries(lastNumber: recorded) }

    /// Records an event without a note (deliveries, timers): its parts are hashed and kept as they
    /// are, and a record is made only for a sink (copying a message into a record costs more
    /// than hashing it).
    @inlinable mutating func record(
        time: SimTime, kind: TraceKind, process: ProcessID, peer: ProcessID, sentAt: SimTime,
        message: borrowing Message?, names: (ProcessID) -> String
    ) {
        recorded &+= 1
        TraceRecord.fingerprint(time: time, kind: kind, process: process, peer: peer, sentAt: sentAt, message: message,
                                hasNote: false, into: &hasher)
        ring.append(time: time, kind: kind, process: process, peer: peer, sentAt: sentAt, message: message, number: recorded)
        if let sink {
            let record = TraceRecord(time: time, kind: kind, process: process, peer: peer, sentAt: sentAt, message: copy message)
            sink.write(record.rendered(note: nil, names: names))
        }
    }

    mutating func record(_ record: TraceRecord<Message>, note: TraceNote, names: (ProcessID) -> String) {
        recorded &+= 1
        record.fingerprint(into: &hasher, hasNote: true)
        note.fingerprint(into: &hasher)
        ring.append(record, number: recorded)
        ring.append(note: note, number: recorded)
        if let sink { sink.write(record.rendered(note: note, names: names)) }
    }
}
