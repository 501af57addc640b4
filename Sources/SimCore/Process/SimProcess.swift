/// A process of a run: a single-threaded state machine that reacts to a delivered message or a
/// fired timer and may send messages and set timers in response.
///
/// An instance holds only volatile state. Whatever must survive a crash lives in the process's
/// `DurableState`, which the kernel keeps and hands to the new instance built on restart.
public protocol SimProcess<Message>: AnyObject {
    associatedtype Message: SimMessage
    /// Called when the process starts and after every restart.
    func start(_ context: ProcessContext<Message>)
    /// A message from `sender` arrived.
    func receive(_ message: Message, from sender: ProcessID, _ context: ProcessContext<Message>)
    /// A timer this process set has fired.
    func timerFired(_ message: Message, _ context: ProcessContext<Message>)
}

extension SimProcess {
    public func start(_ context: ProcessContext<Message>) {}
    public func timerFired(_ message: Message, _ context: ProcessContext<Message>) {}
}
