import Foundation
import SQLSyntax

extension ClusterInvariants {
    /// Every row lives on the shard its primary vindex maps it to: for each table of a sharded
    /// keyspace whose primary vindex this simulator computes (hash, xxhash, numeric, ...), the
    /// keyspace id of each row on each final primary lies in that shard's key range. A row
    /// elsewhere is invisible to routed queries (Vitess would never find it).
    public static func routing(_ cluster: Cluster) -> [InvariantFinding] {
        var findings: [InvariantFinding] = []
        for keyspace in cluster.spec.keyspaces where keyspace.sharded {
            guard let json = keyspace.vschema, let vschema = try? VSchemaLoader.load(Data(json.utf8), keyspace: keyspace.name),
                  let ks = vschema.keyspaces[keyspace.name] else { continue }
            for tableName in ks.tables.keys.sorted() {
                let table = ks.tables[tableName]!
                guard let primary = table.columnVindexes.first, primary.columns.count == 1,
                      let function = ks.vindexes[primary.vindex]?.kind.function else { continue }
                let column = primary.columns[0].lowercased()
                var misplaced: [String] = []
                for shard in cluster.shards where shard.keyspace == keyspace.name {
                    guard let alias = cluster.primary(of: shard), let storage = cluster.storage(of: alias),
                          let columns = storage.catalog.table(tableName)?.columns.map({ $0.name.lowercased() }),
                          let index = columns.firstIndex(of: column), let rows = try? storage.rows(of: tableName) else { continue }
                    for row in rows {
                        guard !row[index].isNull, let id = function.keyspaceID(VindexValue(row[index])), !shard.range.contains(id) else { continue }
                        misplaced.append("\(tableName).\(column) = \(row[index]) (keyspace id \(id.map { String(format: "%02x", $0) }.joined())) is on shard \(shard.name)")
                    }
                }
                if !misplaced.isEmpty {
                    findings.append(InvariantFinding(
                        invariant: "routing",
                        message: "\(misplaced.count) row(s) of \(keyspace.name).\(tableName) are not on the shard their \(primary.vindex) vindex maps them to",
                        details: Array(misplaced.prefix(5))))
                }
            }
        }
        return findings
    }
}
