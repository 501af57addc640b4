/// Vitess's VSchema: per keyspace, whether it is sharded, its vindexes and its tables with their
/// column vindexes (`go/vt/vtgate/vindexes/vschema.go`, loaded from Vitess's own JSON).
public struct VSchema: Sendable {
    public var keyspaces: [String: KeyspaceVSchema]
    /// Features of the JSON this simulator does not act on, by name (never ignored silently).
    public var notices: [String]

    public init(keyspaces: [String: KeyspaceVSchema] = [:], notices: [String] = []) {
        self.keyspaces = keyspaces
        self.notices = notices
    }

    /// Keyspace names, sorted.
    public var keyspaceNames: [String] { keyspaces.keys.sorted() }
}

/// One keyspace of a VSchema.
public struct KeyspaceVSchema: Sendable {
    public var name: String
    public var sharded: Bool
    public var vindexes: [String: VindexDefinition]
    public var tables: [String: TableVSchema]

    public init(name: String, sharded: Bool, vindexes: [String: VindexDefinition] = [:], tables: [String: TableVSchema] = [:]) {
        self.name = name
        self.sharded = sharded
        self.vindexes = vindexes
        self.tables = tables
    }
}

/// A named vindex of a keyspace.
public struct VindexDefinition: Sendable {
    public var name: String
    public var kind: VindexKind
    public var params: [String: String]
    /// The table whose writes maintain a lookup vindex.
    public var owner: String?

    public init(name: String, kind: VindexKind, params: [String: String] = [:], owner: String? = nil) {
        self.name = name
        self.kind = kind
        self.params = params
        self.owner = owner
    }
}

/// A table of a keyspace.
public struct TableVSchema: Sendable {
    public enum Kind: String, Sendable { case normal = "", reference, sequence }

    public var name: String
    public var kind: Kind
    /// The first is the primary vindex, which decides where rows live.
    public var columnVindexes: [ColumnVindex]
    public var autoIncrement: (column: String, sequence: String)?
    public var columns: [(name: String, type: String)]
    public var columnListAuthoritative: Bool
    /// A pinned table lives in the shard holding this keyspace id.
    public var pinned: [UInt8]?
    /// A reference table's source table in another keyspace (`keyspace.table`).
    public var source: String?

    public init(name: String, kind: Kind = .normal, columnVindexes: [ColumnVindex] = [], autoIncrement: (column: String, sequence: String)? = nil,
                columns: [(name: String, type: String)] = [], columnListAuthoritative: Bool = false, pinned: [UInt8]? = nil, source: String? = nil) {
        self.name = name
        self.kind = kind
        self.columnVindexes = columnVindexes
        self.autoIncrement = autoIncrement
        self.columns = columns
        self.columnListAuthoritative = columnListAuthoritative
        self.pinned = pinned
        self.source = source
    }
}

/// A vindex applied to one or more columns of a table.
public struct ColumnVindex: Sendable {
    public var columns: [String]
    public var vindex: String

    public init(columns: [String], vindex: String) {
        self.columns = columns
        self.vindex = vindex
    }
}
