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
    /// How often each mechanism ran (coverage marks such as `ers.completed`), sorted by name.
    public let marks: [(name: String, count: Int)]
    /// The random faults the run injected, as timeline steps, one unit per fault (the fault and
    /// its heal), in injection order: what a scenario without `random_faults` needs to replay them.
    public var randomFaultUnits: [[TimedFault]] = []
    /// What the checkers examined, one line each (`oracle: replayed 212 transactions, ...`).
    public var notes: [String] = []

    public init(scenarioName: String, file: String, seed: UInt64, verdict: Verdict, expected: ExpectedVerdict, fingerprint: UInt64,
                events: Int, virtualTime: SimTime, outcome: RunOutcome, checks: [String], recentEvents: [TraceEvent],
                marks: [(name: String, count: Int)] = []) {
        self.scenarioName = scenarioName
        self.file = file
        self.seed = seed
        self.verdict = verdict
        self.expected = expected
        self.fingerprint = fingerprint
        self.events = events
        self.virtualTime = virtualTime
        self.outcome = outcome
        self.checks = checks
        self.recentEvents = recentEvents
        self.marks = marks
    }

    /// Whether the verdict is the one the scenario expects.
    public var asExpected: Bool { verdict.matches(expected) }
}
