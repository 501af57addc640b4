extension String {
    /// Whether this statement text changes data (INSERT, UPDATE, DELETE, REPLACE): what a tablet
    /// records for a transaction's redo log, and what tells a gateway a shard session wrote.
    var isDataChange: Bool {
        let head = uppercasedHead(7)
        return Self.dataChangeHeads.contains { head.starts(with: $0) }
    }

    static let dataChangeHeads: [[UInt8]] = ["INSERT", "UPDATE", "DELETE", "REPLACE"].map { Array($0.utf8) }

    /// The first `count` bytes of the statement past any leading space or parenthesis, ASCII
    /// letters upper-cased: enough to tell a statement's kind without parsing it (bytes, since
    /// this runs for every statement).
    func uppercasedHead(_ count: Int) -> [UInt8] {
        var head: [UInt8] = []
        head.reserveCapacity(count)
        for byte in utf8 {
            if head.isEmpty && (byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x28) { continue }
            head.append(byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte)
            if head.count == count { break }
        }
        return head
    }
}
