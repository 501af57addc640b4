/// The role a tablet serves, as Vitess's `topodata.TabletType` names them.
public enum TabletType: String, Sendable, CaseIterable, Comparable {
    /// Accepts writes; one per shard.
    case primary = "PRIMARY"
    /// Replicates from the primary; serves reads; may be promoted.
    case replica = "REPLICA"
    /// Replicates from the primary; serves analytics reads; never promoted.
    case rdonly = "RDONLY"
    /// Taken out of serving (by an operator or after errant transactions).
    case drained = "DRAINED"

    /// Parses Vitess's names, case-insensitively (`primary`, `REPLICA`, `rdonly`; `master` as an alias).
    public init?(parsing text: String) {
        let upper = text.uppercased()
        if upper == "MASTER" { self = .primary; return }
        self.init(rawValue: upper)
    }

    public static func < (a: TabletType, b: TabletType) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
