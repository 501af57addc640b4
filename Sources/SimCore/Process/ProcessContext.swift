/// What a process handler may do: read the clock, send, set and cancel timers, draw random
/// numbers from its own stream, and record state changes in the trace.
///
/// Valid only during the callback it is passed to; do not keep it.
public struct ProcessContext<Message: SimMessage> {
    /// Unretained: the kernel outlives every callback, and retaining it per event is measurable.
    @usableFromInline let kernel: Unmanaged<Simulation<Message>>
    /// The process being run.
    public let id: ProcessID

    @inlinable init(simulation: Simulation<Message>, id: ProcessID) {
        self.kernel = Unmanaged.passUnretained(simulation)
        self.id = id
    }

    @inlinable var simulation: Simulation<Message> { kernel.takeUnretainedValue() }

    /// The current virtual time.
    @inlinable public var now: SimTime { simulation.now }

    /// This process's name.
    public var name: String { simulation.name(of: id) }

    /// Sends `message` to `destination` over the network.
    @inlinable public func send(_ message: Message, to destination: ProcessID) {
        kernel._withUnsafeGuaranteedRef { $0.send(message, from: id, to: destination) }
    }

    /// Delivers `message` back to this process after `delay` (never lost; gone if it crashes).
    @inlinable @discardableResult
    public func setTimer(after delay: SimDuration, _ message: Message) -> TimerHandle {
        kernel._withUnsafeGuaranteedRef { $0.setTimer(for: id, after: delay, message) }
    }

    /// Cancels a pending timer; a timer that already fired or was cancelled is left alone.
    @inlinable public func cancelTimer(_ handle: TimerHandle) {
        simulation.cancelTimer(handle)
    }

    /// Runs `body` with this process's random stream (derived from the run seed, the process name
    /// and its incarnation).
    public func random<T>(_ body: (inout RandomStream) -> T) -> T {
        simulation.withProcessRandom(id, body)
    }

    /// Records a state change of this process (a role, a term, a counter) in the trace.
    public func trace(state: String, _ fields: TraceFields = TraceFields()) {
        simulation.recordState(of: id, state, fields)
    }

    /// The id of the process called `name`.
    public func process(named name: String) -> ProcessID? { simulation.processID(named: name) }
}
