/// A process id found by name and kept for the next call with the same name: a handler that
/// sends to one peer on every event skips the kernel's name table (ids never change in a run).
public struct ProcessLookup: Sendable {
    private var last: (name: String, id: ProcessID)?

    public init() {}

    /// The id of the process called `name`, if there is one.
    public mutating func id<Message: SimMessage>(of name: String, in context: ProcessContext<Message>) -> ProcessID? {
        if let last, last.name == name { return last.id }
        guard let id = context.process(named: name) else { return nil }
        last = (name, id)
        return id
    }
}
