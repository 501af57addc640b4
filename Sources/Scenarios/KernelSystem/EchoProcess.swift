import SimCore

/// What an echo keeps across crashes: how many pings it has answered.
public final class EchoStore: DurableState {
    public var answered = 0
    public init() {}
}

/// Answers every ping with a pong carrying the same sequence number.
final class EchoProcess: SimProcess {
    let store: EchoStore
    /// Test-only defect: answer with a sequence number nobody sent.
    let wrongReply: Bool

    init(store: EchoStore, wrongReply: Bool) {
        self.store = store
        self.wrongReply = wrongReply
    }

    func receive(_ message: KernelMessage, from sender: ProcessID, _ context: ProcessContext<KernelMessage>) {
        guard case .ping(let seq) = message else { return }
        store.answered += 1
        context.send(.pong(seq: wrongReply ? seq + 1_000_000 : seq), to: sender)
    }
}
