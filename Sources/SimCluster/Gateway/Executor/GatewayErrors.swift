extension MySQLError {
    /// A construct the gateway does not plan, as Vitess says it (VT12001).
    public static func vtUnsupported(_ what: String) -> MySQLError {
        MySQLError(code: 1235, sqlState: "42000", message: "VT12001: unsupported: \(what)")
    }

    /// A planning error of the gateway (VT12001 refusals keep their code).
    public init(_ error: PlanError) {
        if error.message.hasPrefix("VT12001") {
            self.init(code: 1235, sqlState: "42000", message: error.message)
        } else {
            self.init(code: 1105, sqlState: "HY000", message: error.message)
        }
    }

    /// A destination that reaches no shard.
    public init(_ error: DestinationError) {
        self.init(code: 1105, sqlState: "HY000", message: error.description)
    }

    /// Whether the statement was refused as unsupported (by the gateway or a node), rather
    /// than failing as MySQL would.
    public var isUnsupported: Bool { code == 1235 || message.contains("VT12001") }
}
