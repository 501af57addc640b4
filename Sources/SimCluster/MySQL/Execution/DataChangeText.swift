extension String {
    /// Whether this statement text changes data (INSERT, UPDATE, DELETE, REPLACE): what a tablet
    /// records for a transaction's redo log, and what tells a gateway a shard session wrote.
    var isDataChange: Bool {
        let head = drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "(" }.prefix(7).uppercased()
        return ["INSERT", "UPDATE", "DELETE", "REPLACE"].contains { head.hasPrefix($0) }
    }
}
