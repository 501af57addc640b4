/// The tables of a node, by name. MySQL table names are case-sensitive here (as on Linux), but
/// SQLite's are not, so two names that differ only in case are refused.
public struct Catalog: Sendable, Equatable {
    private var tables: [String: TableSchema] = [:]
    private var profiles: [String: TableWriteProfile] = [:]
    /// Bumped on every schema change, so that cached translations go stale.
    public private(set) var version = 0

    public init() {}

    public func table(_ name: String) -> TableSchema? { tables[name] }

    func writeProfile(_ name: String) -> TableWriteProfile? { profiles[name] }

    /// Table names, sorted.
    public var names: [String] { tables.keys.sorted() }

    /// The existing table whose name equals `name` but for case, if any.
    public func caseClash(_ name: String) -> String? {
        let lower = name.lowercased()
        return tables.keys.sorted().first { $0.lowercased() == lower && $0 != name }
    }

    mutating func add(_ table: TableSchema) {
        tables[table.name] = table
        profiles[table.name] = TableWriteProfile(table)
        version += 1
    }

    mutating func remove(_ name: String) {
        tables[name] = nil
        profiles[name] = nil
        version += 1
    }

    mutating func update(_ table: TableSchema) {
        tables[table.name] = table
        profiles[table.name] = TableWriteProfile(table)
        version += 1
    }
}
