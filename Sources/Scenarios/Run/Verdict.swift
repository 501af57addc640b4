/// The outcome of a run: every checked invariant held, or these ones broke.
public enum Verdict: Sendable, Equatable, CustomStringConvertible {
    case pass
    case violation([Violation])

    public var violations: [Violation] {
        if case .violation(let list) = self { list } else { [] }
    }

    /// `pass`, or `violation: CHECKER` for the first broken invariant.
    public var description: String {
        switch self {
        case .pass: "pass"
        case .violation(let list): "violation: " + (list.first?.checker ?? "unknown")
        }
    }

    /// Whether this verdict is the one `expected` states. A run that missed a mechanism it
    /// exercises (`coverage`) matches only an expectation of exactly that: whatever else it
    /// found, it did not test what it is about.
    public func matches(_ expected: ExpectedVerdict) -> Bool {
        if case .violation(let list) = self, list.contains(where: { $0.checker == "coverage" }), expected != .violation("coverage") {
            return false
        }
        return switch (self, expected) {
        case (.pass, .pass): true
        case (.violation, .violation(nil)): true
        case (.violation(let list), .violation(let checker?)): list.contains { $0.checker == checker }
        default: false
        }
    }
}
