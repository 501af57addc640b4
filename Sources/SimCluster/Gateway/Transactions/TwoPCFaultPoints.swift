import SimCore

/// The points of the coordinator where a scenario can make a distributed commit fail, named
/// after Vitess's `DebugTwoPc` hooks in `tx_conn.go`: after CreateTransaction
/// (`TRCreated_FailNow`), at one shard's Prepare (`RMPrepare_<shard>_FailNow`), after every
/// Prepare (`RMPrepared_FailNow`), after the metadata manager's commit (`MMCommitted_FailNow`),
/// at one shard's CommitPrepared (`RMCommit_<shard>_FailNow`).
public enum TwoPCFaultPoint: Sendable, Equatable, CustomStringConvertible {
    case transactionCreated
    case prepare(shard: String)
    case allPrepared
    case metadataManagerCommitted
    case commitPrepared(shard: String)

    /// Parses Vitess's hook name.
    public init?(name: String) {
        switch name {
        case "TRCreated_FailNow": self = .transactionCreated
        case "RMPrepared_FailNow": self = .allPrepared
        case "MMCommitted_FailNow": self = .metadataManagerCommitted
        default:
            let parts = name.split(separator: "_", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[2] == "FailNow", !parts[1].isEmpty else { return nil }
            switch parts[0] {
            case "RMPrepare": self = .prepare(shard: String(parts[1]))
            case "RMCommit": self = .commitPrepared(shard: String(parts[1]))
            default: return nil
            }
        }
    }

    public var description: String {
        switch self {
        case .transactionCreated: "TRCreated_FailNow"
        case .prepare(let shard): "RMPrepare_\(shard)_FailNow"
        case .allPrepared: "RMPrepared_FailNow"
        case .metadataManagerCommitted: "MMCommitted_FailNow"
        case .commitPrepared(let shard): "RMCommit_\(shard)_FailNow"
        }
    }
}

/// What happens when a fault point fires.
public enum TwoPCFaultAction: String, Sendable, Equatable {
    /// The commit fails there with an error, as Vitess's hooks make it (the coordinator's error
    /// handling for the phase runs).
    case fail
    /// The coordinator stops there and never answers, as if its gateway had died.
    case stall
}

/// The armed fault points of a run, shared by its gateways (a scenario arms them at virtual
/// times; each fires for its next `count` distributed commits that reach it).
public final class TwoPCFaultInjector {
    struct Armed {
        let point: TwoPCFaultPoint
        let gateway: String?
        let action: TwoPCFaultAction
        var remaining: Int
    }

    var armed: [Armed] = []
    /// Every firing, in order (`point@gateway`), for tests and reports.
    public private(set) var fired: [String] = []

    public init() {}

    public func arm(_ point: TwoPCFaultPoint, gateway: String? = nil, action: TwoPCFaultAction = .fail, count: Int = 1) {
        armed.append(Armed(point: point, gateway: gateway, action: action, remaining: count))
    }

    /// The action if `point` is armed for `gateway` (using up one firing).
    func fire(_ point: TwoPCFaultPoint, gateway: String) -> TwoPCFaultAction? {
        guard let i = armed.firstIndex(where: { $0.point == point && $0.remaining > 0 && ($0.gateway == nil || $0.gateway == gateway) }) else {
            return nil
        }
        armed[i].remaining -= 1
        fired.append("\(point)@\(gateway)")
        return armed[i].action
    }
}
