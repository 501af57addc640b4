/// The kernel's cold record of one process: identity, durable state, how to rebuild it, its logic
/// stream and what waits for it while paused. The hot fields (status, incarnation, handler) live
/// in the kernel's parallel arrays.
struct ProcessHost<Message: SimMessage> {
    let name: String
    /// The current instance and its dispatcher, which owns it (the kernel's handler table only
    /// borrows the dispatcher).
    var instance: (any SimProcess<Message>)?
    var dispatcher: ProcessDispatcher<Message>?
    let durable: any DurableState
    /// Builds a fresh instance from the durable state (on start and restart).
    let make: () -> any SimProcess<Message>
    /// The process's own random stream for its logic (re-derived per incarnation).
    var random: RandomStream
    /// Events that reached the process while it was paused, in arrival order.
    var deferred: [EventBody<Message>] = []
}
