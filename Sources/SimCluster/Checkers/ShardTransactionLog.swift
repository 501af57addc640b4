import SimCore
import SQLiteKit

/// What a shard's final primary says about distributed transactions, read from its binlog and
/// its sidecar tables: the decisions its records took (metadata manager), the parts it prepared
/// and how each ended (resource manager), and what is still open.
struct ShardTransactionLog {
    /// The record's last move out of PREPARE, by DTID (COMMIT or ROLLBACK).
    var decisions: [String: DistributedTransactionState] = [:]
    /// DTIDs whose redo log was written here (prepared).
    var prepared: Set<String> = []
    /// DTIDs whose redo log went, and whether its transaction carried data changes (a commit)
    /// or not (a rollback, or a commit of a part that changed nothing).
    var ended: [String: Bool] = [:]
    /// DTIDs with a redo log still here (prepared, undecided here), with when it was written.
    var pendingRedo: [String: SimTime] = [:]
    /// DTIDs with a record still here, with when it was created.
    var pendingRecords: [String: SimTime] = [:]
    /// The GTID of the transaction that committed each DTID's part here.
    var commitGTIDs: [String: GTID] = [:]

    init(storage: MySQLStorage) {
        for entry in storage.binlog {
            guard case .rows(let changes) = entry.event else { continue }
            let hasData = changes.contains { !$0.table.hasPrefix(TwoPCSidecar.prefix) }
            for change in changes {
                switch (change.table, change.kind) {
                case ("_vt_dt_state", .update):
                    guard let dtid = change.new.first?.text, let state = change.new[1].integer,
                          let decided = DistributedTransactionState(rawValue: Int(state)) else { continue }
                    decisions[dtid] = decided
                    if decided == .commit { commitGTIDs[dtid] = entry.gtid }
                case ("_vt_redo_state", .insert):
                    if let dtid = change.new.first?.text { prepared.insert(dtid) }
                case ("_vt_redo_state", .delete):
                    guard let dtid = change.old.first?.text else { continue }
                    ended[dtid] = hasData
                    if hasData { commitGTIDs[dtid] = entry.gtid }
                default:
                    continue
                }
            }
        }
        // Columns: dtid, state, time_created (and the redo message).
        for row in (try? storage.rows(of: "_vt_redo_state")) ?? [] {
            pendingRedo[row[0].description] = SimTime(nanoseconds: row[2].integer ?? 0)
        }
        for row in (try? storage.rows(of: "_vt_dt_state")) ?? [] {
            pendingRecords[row[0].description] = SimTime(nanoseconds: row[2].integer ?? 0)
        }
    }
}
