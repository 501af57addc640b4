/// Calls one process's handlers for the kernel.
///
/// The kernel holds dispatchers unretained and calls them through a guaranteed reference, and a
/// dispatcher calls its concrete process type statically: this avoids the retain and release that
/// calling through a stored `any SimProcess` costs on every event. Built once per instance, by
/// opening the existential the process factory returns.
@usableFromInline
class ProcessDispatcher<Message: SimMessage> {
    @usableFromInline init() {}
    @usableFromInline func start(_ context: ProcessContext<Message>) { preconditionFailure("abstract") }
    @usableFromInline func receive(_ message: Message, from sender: ProcessID, _ context: ProcessContext<Message>) {
        preconditionFailure("abstract")
    }
    @usableFromInline func timerFired(_ message: Message, _ context: ProcessContext<Message>) {
        preconditionFailure("abstract")
    }

    /// A dispatcher for `process`, whose concrete type is opened from the existential.
    static func make(for process: any SimProcess<Message>) -> ProcessDispatcher<Message> {
        func open<P: SimProcess>(_ p: P) -> ProcessDispatcher<Message> where P.Message == Message {
            TypedProcessDispatcher(p)
        }
        return open(process)
    }
}

/// The dispatcher of a process of concrete type `P`; owns the process instance.
@usableFromInline
final class TypedProcessDispatcher<P: SimProcess>: ProcessDispatcher<P.Message> {
    @usableFromInline let process: P

    @usableFromInline init(_ process: P) {
        self.process = process
    }

    @inlinable override func start(_ context: ProcessContext<P.Message>) { process.start(context) }
    @inlinable override func receive(_ message: P.Message, from sender: ProcessID, _ context: ProcessContext<P.Message>) {
        process.receive(message, from: sender, context)
    }
    @inlinable override func timerFired(_ message: P.Message, _ context: ProcessContext<P.Message>) {
        process.timerFired(message, context)
    }
}
