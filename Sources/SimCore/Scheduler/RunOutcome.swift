/// Why a call to `Simulation.run` returned.
public enum RunOutcome: String, Sendable, Equatable {
    /// No event is left to run.
    case quiescent
    /// The next event lies after the requested time; the clock stands at that time.
    case deadlineReached = "deadline"
    /// The stop condition became true.
    case conditionMet = "condition"
    /// The run's event budget is spent: a reported outcome, so no run can loop forever.
    case budgetExhausted = "budget_exhausted"
}
