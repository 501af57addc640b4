import Foundation

/// A VSchema that cannot be loaded: where (a path into the JSON) and why.
public struct VSchemaError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Reads Vitess's VSchema JSON: a whole `SrvVSchema` (`{"keyspaces": {...}, "routing_rules": ...}`),
/// a map of keyspace names to keyspace VSchemas, or one keyspace's VSchema (with `name`).
public enum VSchemaLoader {
    public static func load(_ data: Data, keyspace single: String? = nil) throws -> VSchema {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw VSchemaError(path: "", message: "not JSON: \(error.localizedDescription)")
        }
        guard let root = object as? [String: Any] else { throw VSchemaError(path: "", message: "expected a JSON object") }
        var schema = VSchema()
        var keyspaces: [String: Any]
        if let single {
            keyspaces = [single: root]
        } else if let list = root["keyspaces"] {
            guard let map = list as? [String: Any] else { throw VSchemaError(path: "keyspaces", message: "expected an object") }
            keyspaces = map
            for key in root.keys.sorted() where key != "keyspaces" {
                try notice(key, root[key], path: "", into: &schema)
            }
        } else {
            keyspaces = root
        }
        for name in keyspaces.keys.sorted() {
            guard let body = keyspaces[name] as? [String: Any] else {
                throw VSchemaError(path: "keyspaces.\(name)", message: "expected an object")
            }
            schema.keyspaces[name] = try keyspace(name, body, path: "keyspaces.\(name)", notices: &schema.notices)
        }
        return schema
    }

    /// Top-level features not acted on: noted by name when they hold anything.
    static func notice(_ key: String, _ value: Any?, path: String, into schema: inout VSchema) throws {
        let empty: Bool
        switch value {
        case let object as [String: Any]: empty = object.isEmpty || (object["rules"] as? [Any])?.isEmpty == true
        case let list as [Any]: empty = list.isEmpty
        case nil: empty = true
        default: empty = false
        }
        if !empty { schema.notices.append("\(key) are not supported and not applied") }
    }

    /// A field by its proto name or its JSON (lower camel case) name: Vitess writes both.
    static func field(_ object: [String: Any], _ snake: String) -> Any? {
        if let value = object[snake] { return value }
        let parts = snake.split(separator: "_")
        let camel = parts.first.map(String.init)! + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return object[camel]
    }

    static func keyspace(_ name: String, _ body: [String: Any], path: String, notices: inout [String]) throws -> KeyspaceVSchema {
        let known: Set = ["sharded", "vindexes", "tables", "require_explicit_routing", "requireExplicitRouting", "foreign_key_mode",
                          "foreignKeyMode", "multi_tenant_spec", "multiTenantSpec", "cross_tablet"]
        for key in body.keys.sorted() where !known.contains(key) {
            throw VSchemaError(path: "\(path).\(key)", message: "unknown keyspace field '\(key)'")
        }
        if let mode = field(body, "foreign_key_mode") as? String, mode != "unmanaged", mode != "disallow" {
            notices.append("keyspace \(name): foreignKeyMode '\(mode)' is not supported (foreign keys are not managed)")
        }
        if field(body, "multi_tenant_spec") != nil { notices.append("keyspace \(name): multi_tenant_spec is not supported") }
        if field(body, "require_explicit_routing") as? Bool == true { notices.append("keyspace \(name): require_explicit_routing is not supported") }
        let sharded = body["sharded"] as? Bool ?? false
        var vindexes: [String: VindexDefinition] = [:]
        let vindexObjects = body["vindexes"] as? [String: Any] ?? [:]
        for vname in vindexObjects.keys.sorted() {
            let vpath = "\(path).vindexes.\(vname)"
            guard let v = vindexObjects[vname] as? [String: Any], let type = v["type"] as? String else {
                throw VSchemaError(path: vpath, message: "a vindex needs a 'type'")
            }
            var params: [String: String] = [:]
            for (key, value) in (v["params"] as? [String: Any] ?? [:]) { params[key] = "\(value)" }
            guard let kind = VindexKind.named(type, params: params) else {
                throw VSchemaError(path: "\(vpath).type", message: "vindex type '\(type)' not found")
            }
            if !kind.canMap {
                notices.append("keyspace \(name): vindex \(vname) of type \(type) can be planned with but not computed (queries that need its values are refused)")
            }
            vindexes[vname] = VindexDefinition(name: vname, kind: kind, params: params, owner: v["owner"] as? String)
        }
        var tables: [String: TableVSchema] = [:]
        let tableObjects = body["tables"] as? [String: Any] ?? [:]
        for tname in tableObjects.keys.sorted() {
            let tpath = "\(path).tables.\(tname)"
            let t = tableObjects[tname] as? [String: Any] ?? [:]
            let typeName = t["type"] as? String ?? ""
            guard let kind = TableVSchema.Kind(rawValue: typeName) else {
                throw VSchemaError(path: "\(tpath).type", message: "unknown table type '\(typeName)'")
            }
            var columnVindexes: [ColumnVindex] = []
            for (i, entry) in (field(t, "column_vindexes") as? [[String: Any]] ?? []).enumerated() {
                let cpath = "\(tpath).column_vindexes[\(i)]"
                guard let vindex = entry["name"] as? String else { throw VSchemaError(path: cpath, message: "a column vindex needs a 'name'") }
                guard vindexes[vindex] != nil else { throw VSchemaError(path: cpath, message: "vindex \(vindex) not found") }
                let columns = (entry["columns"] as? [String]) ?? (entry["column"] as? String).map { [$0] } ?? []
                guard !columns.isEmpty else { throw VSchemaError(path: cpath, message: "a column vindex needs 'column' or 'columns'") }
                columnVindexes.append(ColumnVindex(columns: columns, vindex: vindex))
            }
            if sharded && kind == .normal && columnVindexes.isEmpty && t["pinned"] == nil {
                throw VSchemaError(path: tpath, message: "missing primary col vindex for table: \(tname)")
            }
            if let first = columnVindexes.first, let primary = vindexes[first.vindex], !primary.kind.isUnique {
                throw VSchemaError(path: "\(tpath).column_vindexes[0]", message: "primary vindex \(first.vindex) is not Unique for table \(tname)")
            }
            var autoIncrement: (String, String)?
            if let auto = field(t, "auto_increment") as? [String: Any], let column = auto["column"] as? String, let sequence = auto["sequence"] as? String {
                autoIncrement = (column, sequence)
            }
            let columns = (t["columns"] as? [[String: Any]] ?? []).compactMap { c -> (String, String)? in
                guard let n = c["name"] as? String else { return nil }
                return (n, c["type"] as? String ?? "")
            }
            var pinned: [UInt8]?
            if let pin = t["pinned"] as? String {
                guard let bytes = KeyRange.hex(Substring(pin)) else { throw VSchemaError(path: "\(tpath).pinned", message: "pinned '\(pin)' is not hex") }
                pinned = bytes
            }
            tables[tname] = TableVSchema(
                name: tname, kind: kind, columnVindexes: columnVindexes, autoIncrement: autoIncrement, columns: columns,
                columnListAuthoritative: field(t, "column_list_authoritative") as? Bool ?? false, pinned: pinned, source: t["source"] as? String)
        }
        return KeyspaceVSchema(name: name, sharded: sharded, vindexes: vindexes, tables: tables)
    }
}
