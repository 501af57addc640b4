import SimCore
import SQLSyntax

extension GatewayExecutor {
    static let transactionColumns = ["dtid", "state", "created", "participants"]

    /// `SHOW UNRESOLVED TRANSACTIONS [FOR keyspace]`: the records of distributed transactions
    /// still on their metadata managers (every keyspace when none is given or selected).
    func showUnresolvedTransactions(keyspace: String?, cursor: any VCursor, _ done: @escaping Completion) {
        let keyspaces = keyspace.map { [$0] } ?? vschema.keyspaceNames
        var queries: [ShardQuery] = []
        do {
            for k in keyspaces {
                for shard in try cursor.shardMap(for: k).shards {
                    queries.append(ShardQuery(keyspace: k, shard: shard.name, sql: "", transaction: .twoPC(.unresolvedTransactions(abandonAge: .zero))))
                }
            }
        } catch {
            return done(.failure(error))
        }
        cursor.execute(queries) { results in
            var rows: [[SQLValue]] = []
            for result in results {
                switch result {
                case .failure(let error): return done(.failure(error))
                case .success(let r):
                    guard case .transactions(let records)? = r.twoPC else { continue }
                    rows += records.map(Self.row)
                }
            }
            done(.success(QueryResult(columns: Self.transactionColumns, rows: rows)))
        }
    }

    /// `SHOW TRANSACTION STATUS FOR 'dtid'`: the record on the metadata manager the DTID names.
    func showTransactionStatus(_ dtid: String, cursor: any VCursor, _ done: @escaping Completion) {
        let parts = dtid.split(separator: ":").map(String.init)
        guard parts.count == 3, Int(parts[2]) != nil else {
            return done(.failure(MySQLError(code: 1105, sqlState: "HY000", message: "invalid parts in dtid: \(dtid)")))
        }
        cursor.execute([ShardQuery(keyspace: parts[0], shard: parts[1], sql: "", transaction: .twoPC(.readTransaction(dtid: dtid)))]) { results in
            done(results[0].map { r in
                guard case .transactions(let records)? = r.twoPC else { return QueryResult(columns: Self.transactionColumns) }
                return QueryResult(columns: Self.transactionColumns, rows: records.map(Self.row))
            })
        }
    }

    static func row(_ record: TransactionMetadata) -> [SQLValue] {
        [.text(record.dtid), .text(record.state.description), .text(SimTime(nanoseconds: record.timeCreated).description),
         .text(record.participants.map { "\($0.keyspace):\($0.shard)" }.joined(separator: ","))]
    }
}
