/// Stream (TCP) links: retransmission instead of loss, waiting out partitions.
extension Simulation {
    /// Linux's minimum retransmission timeout; each further loss of the same segment doubles it.
    @inlinable static var minimumRTO: SimDuration { .milliseconds(200) }

    /// The extra delay of a stream message whose transmissions are lost with probability `drop`
    /// (at least one was): retransmitted after 200ms, then 400ms, then 800ms; the third
    /// retransmission gets through (so a link recovers within 1.4s of the loss ending, where
    /// TCP's unbounded backoff could stall a connection for much longer).
    @inlinable func retransmissionDelay(drop: Double, sender: Int) -> SimDuration {
        var rto = Self.minimumRTO
        var delay = rto
        var attempts = 1
        while attempts < 3 && sendRandom[sender].chance(drop) {
            rto = rto * 2
            delay = delay + rto
            attempts += 1
        }
        return delay
    }

    /// Keeps a stream message until its link is no longer cut.
    @usableFromInline func hold(_ message: Message, from: ProcessID, to: ProcessID, receiverIncarnation: UInt32, sentAt: SimTime,
                                inFlight: Bool = false) {
        held.hold(.init(message: message, receiverIncarnation: receiverIncarnation,
                        senderIncarnation: incarnations[Int(from.index)], sentAt: sentAt), from: from, to: to, inFlight: inFlight)
        record(.hold, to, peer: from, sentAt: sentAt, message: message, note: Self.partitionNote)
    }

    /// Whether messages from `from` to `to` must wait behind others held on their link.
    @inlinable func mustQueueBehindHeld(from: ProcessID, to: ProcessID) -> Bool {
        !held.isEmpty && held.isHolding(from: from, to: to)
    }

    /// After a heal: every held link that is open again delivers what it holds, in order, at the
    /// next retransmission; messages of a sender that restarted meanwhile are gone. Messages
    /// still in flight on the link, sent after the held ones, wait behind them until then.
    func releaseHeld() {
        guard !held.isEmpty else { return }
        for (from, to, messages) in held.release(where: { !net.partitions.isCut(from: $0, to: $1) }) {
            let link = net.link(from: from, to: to)
            let s = Int(from.index)
            var list: [Releasing] = []
            for m in messages {
                guard m.senderIncarnation == incarnations[s] else {
                    record(.drop, to, peer: from, sentAt: m.sentAt, message: m.message, note: Self.downNote)
                    continue
                }
                list.append(Releasing(message: m.message, incarnation: m.receiverIncarnation, sentAt: m.sentAt))
            }
            guard !list.isEmpty else { continue }
            let key = NetworkState.key(from, to)
            if releasing[key] != nil {
                // A release of this link is already waiting: these join it in sending order.
                for m in list { insertReleasing(m, key: key) }
                continue
            }
            var at = now + Self.minimumRTO + link.latency.sample(&sendRandom[s])
            let last = net.lastDelivery[from, to]
            if at.nanoseconds < last { at = SimTime(nanoseconds: last) }
            net.lastDelivery[from, to] = at.nanoseconds
            releasing[key] = list
            schedule(at: at) { [unowned self] in self.deliverReleased(key, from: from, to: to) }
        }
    }

    /// Puts a message in a waiting release in sending order (after those sent at the same time).
    @usableFromInline func insertReleasing(_ m: Releasing, key: UInt64) {
        let index = releasing[key]!.firstIndex { $0.sentAt > m.sentAt } ?? releasing[key]!.count
        releasing[key]!.insert(m, at: index)
    }

    /// The retransmission of a release: its messages, and those that queued behind them, in order.
    func deliverReleased(_ key: UInt64, from: ProcessID, to: ProcessID) {
        guard let list = releasing.removeValue(forKey: key) else { return }
        for m in list {
            _ = deliver(m.message, from: from, to: to, incarnation: m.incarnation, sentAt: m.sentAt)
        }
    }
}
