/// What the planner needs to know of a vindex type: its cost (the cheapest usable vindex wins),
/// whether a value maps to at most one keyspace id, whether it needs a lookup table, and whether
/// this simulator can compute it (`go/vt/vtgate/vindexes`, each type's Cost and IsUnique).
public struct VindexKind: Sendable, Hashable {
    public let typeName: String
    public let cost: Int
    public let isUnique: Bool
    /// Maps through a lookup table in the cluster.
    public let isLookup: Bool
    /// The function computing keyspace ids, for the functional types implemented here.
    public let function: FunctionalVindex?

    /// Whether values can be mapped to shards here (otherwise the planner may still plan with
    /// it, and execution refuses by name).
    public var canMap: Bool { function != nil }

    /// The kind of vindex type `name` with `params`, or nil for a type Vitess does not know.
    public static func named(_ name: String, params: [String: String]) -> VindexKind? {
        func kind(_ cost: Int, unique: Bool, lookup: Bool = false, _ function: FunctionalVindex? = nil) -> VindexKind {
            VindexKind(typeName: name, cost: cost, isUnique: unique, isLookup: lookup, function: function)
        }
        switch name {
        case "hash": return kind(1, unique: true, .hash)
        case "xxhash": return kind(1, unique: true, .xxhash)
        case "numeric": return kind(0, unique: true, .numeric)
        case "binary": return kind(0, unique: true, .binary)
        case "reverse_bits": return kind(1, unique: true, .reverseBits)
        case "binary_md5": return kind(1, unique: true, .binaryMD5)
        case "unicode_loose_md5": return kind(1, unique: true, .unicodeLooseMD5)
        case "unicode_loose_xxhash": return kind(1, unique: true, .unicodeLooseXXHash)
        case "numeric_static_map", "cfc",
             "region_experimental", "region_json":
            return kind(1, unique: true)
        case "null": return kind(100, unique: true)
        case "lookup", "lookup_hash", "consistent_lookup", "lookup_unicodeloosemd5_hash":
            return kind(20, unique: false, lookup: true)
        case "lookup_unique", "lookup_hash_unique", "consistent_lookup_unique", "lookup_unicodeloosemd5_hash_unique":
            return kind(10, unique: true, lookup: true)
        case "lookup_cost":
            // A test vindex of Vitess's: a non-unique lookup whose cost is a parameter.
            return kind(params["cost"].flatMap(Int.init) ?? 5, unique: false, lookup: true)
        case "multicol":
            // The sum of its column vindexes' costs (hash for each column unless named).
            let count = params["column_count"].flatMap(Int.init) ?? 1
            let named = (params["column_vindex"] ?? "").split(separator: ",", omittingEmptySubsequences: false)
                .map { String($0.filter { $0 != " " }) }
            let cost = (0..<count).reduce(0) { total, i in
                let type = i < named.count && !named[i].isEmpty ? named[i] : "hash"
                return total + (VindexKind.named(type, params: [:])?.cost ?? 1)
            }
            return kind(cost, unique: true)
        case "hash_test":
            // The planner tests' stand-in for hash.
            return kind(1, unique: true)
        default:
            return nil
        }
    }
}
