import SQLSyntax

/// The columns of each table, in table order, as the gateway knows them (Vitess learns them by
/// schema tracking; here from the DDL it ran and the VSchema's authoritative column lists). The
/// planner needs them to expand `*` and to tell which table an unqualified column belongs to.
public struct SchemaColumns: Sendable {
    /// Lowercased table name → column names (lowercased), in order.
    public private(set) var tables: [String: [String]] = [:]

    public init() {}

    public init(vschema: VSchema) {
        for keyspace in vschema.keyspaceNames {
            for (name, table) in vschema.keyspaces[keyspace]?.tables ?? [:] where table.columnListAuthoritative && !table.columns.isEmpty {
                tables[name.lowercased()] = table.columns.map { $0.name.lowercased() }
            }
        }
    }

    public func columns(of table: String) -> [String]? { tables[table.lowercased()] }

    public mutating func set(_ table: String, columns: [String]) { tables[table.lowercased()] = columns.map { $0.lowercased() } }

    public mutating func remove(_ table: String) { tables[table.lowercased()] = nil }

    /// Learns what a DDL statement does to the tables' columns.
    public mutating func apply(_ statement: SQLStatement) {
        switch statement {
        case .createTable(let create): set(create.table.name, columns: create.columns.map(\.name))
        case .dropTable(let drop): for table in drop.tables { remove(table.name) }
        default: break
        }
    }
}
