import SimCore

/// What a run of a scenario produced: the verdict against the expectation, the identity of the run
/// (seed, fingerprint) and the recent trace for explanations.
public struct RunReport: Sendable {
    public let scenarioName: String
    public let file: String
    public let seed: UInt64
    public let verdict: Verdict
    public let expected: ExpectedVerdict
    public let fingerprint: UInt64
    public let events: Int
    public let virtualTime: SimTime
    public let outcome: RunOutcome
    public let checks: [String]
    /// The most recent trace events, oldest first.
    public let recentEvents: [TraceEvent]

    /// Whether the verdict is the one the scenario expects.
    public var asExpected: Bool { verdict.matches(expected) }
}
