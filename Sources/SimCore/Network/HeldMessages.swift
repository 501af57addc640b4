/// Stream messages waiting for a partition to heal, per link, in the order they were sent.
@usableFromInline struct HeldMessages<Message: SimMessage> {
    @usableFromInline struct Held {
        let message: Message
        let receiverIncarnation: UInt32
        let senderIncarnation: UInt32
        let sentAt: SimTime

        @usableFromInline init(message: Message, receiverIncarnation: UInt32, senderIncarnation: UInt32, sentAt: SimTime) {
            self.message = message
            self.receiverIncarnation = receiverIncarnation
            self.senderIncarnation = senderIncarnation
            self.sentAt = sentAt
        }
    }

    @usableFromInline init() {}

    /// By link (`from << 32 | to`); iterated in key order only.
    @usableFromInline private(set) var links: [UInt64: [Held]] = [:]

    @usableFromInline var isEmpty: Bool { links.isEmpty }

    @usableFromInline func isHolding(from: ProcessID, to: ProcessID) -> Bool { links[NetworkState.key(from, to)] != nil }

    /// Keeps a message: one just sent goes last; one cut while in flight goes before those
    /// sent after it (the link stays FIFO). In-flight messages are cut in their delivery order,
    /// so one sent in the same instant as a held one goes after it.
    @usableFromInline mutating func hold(_ held: Held, from: ProcessID, to: ProcessID, inFlight: Bool) {
        let key = NetworkState.key(from, to)
        guard inFlight, let queue = links[key], let index = queue.firstIndex(where: { $0.sentAt > held.sentAt }) else {
            links[key, default: []].append(held)
            return
        }
        links[key]!.insert(held, at: index)
    }

    /// Takes the messages of every link `isOpen` says is open again, links in key order.
    mutating func release(where isOpen: (ProcessID, ProcessID) -> Bool) -> [(from: ProcessID, to: ProcessID, held: [Held])] {
        var released: [(ProcessID, ProcessID, [Held])] = []
        for key in links.keys.sorted() {
            let from = ProcessID(index: Int32(truncatingIfNeeded: key >> 32))
            let to = ProcessID(index: Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
            guard isOpen(from, to), let held = links.removeValue(forKey: key) else { continue }
            released.append((from, to, held))
        }
        return released
    }
}
