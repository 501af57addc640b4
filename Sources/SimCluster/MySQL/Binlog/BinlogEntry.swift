import SimCore

/// One committed transaction in a node's binlog: its GTID, when it committed, and what it did.
public struct BinlogEntry: Sendable, Equatable {
    public enum Event: Sendable, Equatable {
        /// Row changes, in the order they happened.
        case rows([RowChange])
        /// A schema change, as MySQL text (statement-based, as MySQL logs DDL).
        case statement(String)
    }

    public let gtid: GTID
    public let committedAt: SimTime
    public let event: Event

    public init(gtid: GTID, committedAt: SimTime, event: Event) {
        self.gtid = gtid
        self.committedAt = committedAt
        self.event = event
    }
}
