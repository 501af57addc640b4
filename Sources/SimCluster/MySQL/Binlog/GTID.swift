/// A global transaction id: the server that first committed the transaction and its sequence
/// number there (MySQL's `server_uuid:N`, with the server id standing for the uuid).
public struct GTID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let server: UInt32
    public let sequence: Int64

    public init(server: UInt32, sequence: Int64) {
        self.server = server
        self.sequence = sequence
    }

    public var description: String { "\(server):\(sequence)" }

    public static func < (a: GTID, b: GTID) -> Bool { (a.server, a.sequence) < (b.server, b.sequence) }
}
