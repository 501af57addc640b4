/// The payload of a scheduled event, kept in the kernel's side table (the queue holds only keys).
@usableFromInline
enum EventBody<Message: SimMessage> {
    /// A message arriving at `to` (addressed to incarnation `incarnation`).
    case deliver(Message, from: ProcessID, to: ProcessID, incarnation: UInt32, sentAt: SimTime)
    /// A timer of `process` firing.
    case timer(Message, process: ProcessID, incarnation: UInt32)
    /// A process (re)starting.
    case start(ProcessID, incarnation: UInt32)
    /// A fault taking effect.
    case fault(Fault)
    /// Harness code to run at this time (scenario steps, checkers, fault generators).
    case action(() -> Void)
    /// A free slot.
    case empty
}
