/// An anomaly an Elle-style checker finds in a history, with the explanation a person can follow.
public struct Anomaly: Sendable, Equatable {
    /// Adya's and Elle's names for what went wrong.
    public enum Kind: String, Sendable, CaseIterable, Comparable {
        /// A cycle of write-write dependencies.
        case g0 = "G0"
        /// A committed read saw a value that a failed transaction wrote.
        case g1a = "G1a"
        /// A committed read saw a value that its writer later overwrote in the same transaction.
        case g1b = "G1b"
        /// A cycle of write-write and write-read dependencies.
        case g1c = "G1c"
        /// A cycle with exactly one read-write anti-dependency (read skew).
        case gSingle = "G-single"
        /// A cycle with several anti-dependencies (write skew and kin).
        case g2 = "G2"
        /// Two committed transactions read the same version of a key and both appended to it.
        case lostUpdate = "lost-update"
        /// A transaction's reads disagree with its own earlier reads and writes.
        case `internal` = "internal"
        /// A transaction read a key twice and the second read saw other transactions' writes.
        case nonRepeatableRead = "non-repeatable-read"
        /// Two reads of a key that are not prefixes of one another: no single order of versions.
        case incompatibleOrder = "incompatible-order"
        /// A read saw a value nobody wrote, or the same value twice.
        case garbage = "garbage"

        public static func < (a: Kind, b: Kind) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public let kind: Kind
    /// One line: the transactions and dependencies involved.
    public let summary: String
    /// The operations involved and why each dependency holds, one per line.
    public let details: [String]

    public init(kind: Kind, summary: String, details: [String]) {
        self.kind = kind
        self.summary = summary
        self.details = details
    }
}

/// The consistency model a history is checked against: which anomalies it forbids.
public enum ConsistencyModel: String, Sendable, CaseIterable {
    /// No dirty reads or writes: G0, G1a, G1b, G1c (and reads inconsistent with the transaction's
    /// own writes) are forbidden; read skew, write skew, lost updates and non-repeatable reads are not.
    case readCommitted = "read_committed"
    /// Every anomaly is forbidden.
    case serializable

    public func forbids(_ kind: Anomaly.Kind) -> Bool {
        switch self {
        case .serializable: true
        case .readCommitted: ![.gSingle, .g2, .lostUpdate, .nonRepeatableRead].contains(kind)
        }
    }
}
