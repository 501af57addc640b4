/// The lifecycle of a process. Transitions (all made by faults, see `Simulation.apply`):
///
///     running --crash--> crashed --restart--> running
///     running --pause--> paused  --resume-->  running
///     paused  --crash--> crashed
///     running --restart--> (crash, then restart) running
public enum ProcessStatus: String, Sendable, Equatable {
    /// Handles events as they come.
    case running
    /// Handles nothing; events that reach it wait and run, in order, when it resumes.
    case paused
    /// Gone: its volatile state, its timers and messages in flight to it are lost.
    case crashed
}
