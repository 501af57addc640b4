/// Deliberate bugs in the atomic-commit code, switched on only by tests and scenario files that
/// prove the checkers catch them (a checker that cannot fail is a defect).
public struct TwoPCMutants: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The coordinator goes on to StartCommit even when a Prepare failed.
    public static let commitBeforeAllPrepared = TwoPCMutants(rawValue: 1 << 0)
    /// The resolver rolls back transactions whose record says COMMIT.
    public static let resolverRollsBackCommits = TwoPCMutants(rawValue: 1 << 1)
    /// A promoted tablet does not replay its redo log.
    public static let promotionSkipsRedo = TwoPCMutants(rawValue: 1 << 2)
    /// A participant releases its row locks once prepared (it re-runs the statements at commit).
    public static let forgetsLocksAfterPrepare = TwoPCMutants(rawValue: 1 << 3)

    /// The names scenario files use.
    public static let names: [(String, TwoPCMutants)] = [
        ("commit_before_all_prepared", .commitBeforeAllPrepared),
        ("resolver_rolls_back_commits", .resolverRollsBackCommits),
        ("promotion_skips_redo", .promotionSkipsRedo),
        ("forgets_locks_after_prepare", .forgetsLocksAfterPrepare),
    ]
}
