import DequeModule

/// The most recent trace records of a run, kept for failure reports (bounded; the oldest go
/// first). Notes of the kept records are held beside them, by record number.
public struct TraceRing<Message: SimMessage> {
    @usableFromInline var storage: ContiguousArray<TraceRecord<Message>> = []
    @usableFromInline var next = 0
    /// Notes of kept records, oldest first, with the number of the record they belong to.
    @usableFromInline var notes: Deque<(number: Int, note: TraceNote)> = []
    public let capacity: Int

    public init(capacity: Int) {
        precondition(capacity >= 0, "negative ring capacity")
        self.capacity = capacity
        storage.reserveCapacity(capacity)
    }

    /// Keeps `record`, the `number`-th of the run (numbers increase by one per record).
    @inlinable public mutating func append(_ record: TraceRecord<Message>, number: Int) {
        if capacity == 0 { return }
        if storage.count < capacity {
            storage.append(record)
        } else {
            storage[next] = record
        }
        advance(past: number)
    }

    /// Keeps the record these parts make, the `number`-th of the run, writing over the oldest
    /// kept record field by field (assigning a whole record costs more for big messages).
    @inlinable public mutating func append(
        time: SimTime, kind: TraceKind, process: ProcessID, peer: ProcessID, sentAt: SimTime,
        message: borrowing Message?, number: Int
    ) {
        if capacity == 0 { return }
        if storage.count < capacity {
            storage.append(TraceRecord(time: time, kind: kind, process: process, peer: peer, sentAt: sentAt, message: copy message))
        } else {
            storage[next].time = time
            storage[next].kind = kind
            storage[next].process = process
            storage[next].peer = peer
            storage[next].sentAt = sentAt
            storage[next].message = copy message
        }
        advance(past: number)
    }

    /// Moves to the next slot after keeping record `number`; notes of records no longer kept go.
    @inlinable mutating func advance(past number: Int) {
        next += 1
        if next == capacity { next = 0 }
        if let first = notes.first, first.number <= number - capacity { dropStaleNotes(before: number - capacity) }
    }

    /// Keeps the note of the record numbered `number` (appended just before).
    public mutating func append(note: TraceNote, number: Int) {
        guard capacity > 0 else { return }
        notes.append((number, note))
    }

    @usableFromInline mutating func dropStaleNotes(before oldest: Int) {
        while let first = notes.first, first.number <= oldest { notes.removeFirst() }
    }

    /// The kept records with their notes, oldest first; `lastNumber` is the newest record's number.
    public func entries(lastNumber: Int) -> [(record: TraceRecord<Message>, note: TraceNote?)] {
        let ordered = storage.count < capacity ? Array(storage) : Array(storage[next...] + storage[..<next])
        let firstNumber = lastNumber - ordered.count + 1
        var noteIndex = notes.startIndex
        var result: [(record: TraceRecord<Message>, note: TraceNote?)] = []
        result.reserveCapacity(ordered.count)
        for (offset, record) in ordered.enumerated() {
            let number = firstNumber + offset
            while noteIndex < notes.endIndex && notes[noteIndex].number < number { noteIndex += 1 }
            var note: TraceNote?
            if noteIndex < notes.endIndex && notes[noteIndex].number == number { note = notes[noteIndex].note }
            result.append((record, note))
        }
        return result
    }
}
