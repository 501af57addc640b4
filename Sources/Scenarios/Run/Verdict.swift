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

    /// Whether this verdict is the one `expected` states.
    public func matches(_ expected: ExpectedVerdict) -> Bool {
        switch (self, expected) {
        case (.pass, .pass): true
        case (.violation, .violation(nil)): true
        case (.violation(let list), .violation(let checker?)): list.contains { $0.checker == checker }
        default: false
        }
    }
}
