/// The names a cluster's processes get, computed from its spec alone (so that scenario files can
/// be checked before anything runs): tablets `cell-uid` with uids from 101 in keyspace, shard and
/// tablet order (the primary first), spread over the cells in turn; each tablet's MySQL node
/// `alias-mysqld`; `topo`, `vtorc`, `gate-1`...
public struct ClusterLayout: Sendable {
    public struct TabletSlot: Sendable, Equatable {
        public let alias: String
        public let cell: String
        public let uid: UInt32
        public let keyspace: String
        public let shard: String
        public let type: TabletType
    }

    public let tablets: [TabletSlot]
    public let gateways: [String]
    public let orchestrator: String?

    public init(_ spec: ClusterSpec) {
        var tablets: [TabletSlot] = []
        var uid: UInt32 = 101
        var cellIndex = 0
        for keyspace in spec.keyspaces {
            for shard in keyspace.shards {
                let types = [TabletType.primary] + Array(repeating: .replica, count: keyspace.replicas)
                    + Array(repeating: .rdonly, count: keyspace.rdonly)
                for type in types {
                    let cell = spec.cells[cellIndex % spec.cells.count]
                    cellIndex += 1
                    tablets.append(TabletSlot(alias: TabletAlias(cell: cell, uid: uid).description, cell: cell, uid: uid,
                                              keyspace: keyspace.name, shard: shard, type: type))
                    uid += 1
                }
            }
        }
        self.tablets = tablets
        gateways = (0..<spec.gateways).map { "gate-\($0 + 1)" }
        orchestrator = spec.orchestrator.enabled ? "vtorc" : nil
    }

    /// Every process name of the cluster (clients excluded).
    public var processNames: [String] {
        ["topo"] + tablets.flatMap { [$0.alias, TabletConfiguration.mysqldName($0.alias)] } + gateways + (orchestrator.map { [$0] } ?? [])
    }
}
