/// The tables a tablet keeps its part of distributed transactions in (Vitess's `_vt` sidecar
/// tables `dt_state`, `dt_participant`, `redo_state` and `redo_statement`). They live in the
/// node's own data with a `_vt_` prefix, so they replicate and survive crashes as any table does;
/// the node hides them from `SHOW TABLES`.
enum TwoPCSidecar {
    static let prefix = "_vt_"

    static let schema = """
        CREATE TABLE _vt_dt_state (dtid varchar(512) NOT NULL, state bigint NOT NULL, time_created bigint NOT NULL, PRIMARY KEY (dtid));
        CREATE TABLE _vt_dt_participant (dtid varchar(512) NOT NULL, id bigint NOT NULL, keyspace varchar(256) NOT NULL, shard varchar(256) NOT NULL, PRIMARY KEY (dtid, id));
        CREATE TABLE _vt_redo_state (dtid varchar(512) NOT NULL, state bigint NOT NULL, time_created bigint NOT NULL, message text, PRIMARY KEY (dtid));
        CREATE TABLE _vt_redo_statement (dtid varchar(512) NOT NULL, id bigint NOT NULL, statement text NOT NULL, PRIMARY KEY (dtid, id));
        """

    /// `redo_state.state` values (Vitess's `RedoStateFailed`, `RedoStatePrepared`).
    static let redoFailed: Int64 = 0
    static let redoPrepared: Int64 = 1

    static let insertState = "INSERT INTO _vt_dt_state (dtid, state, time_created) VALUES (?, ?, ?)"
    static let insertParticipant = "INSERT INTO _vt_dt_participant (dtid, id, keyspace, shard) VALUES (?, ?, ?, ?)"
    /// Only ever out of PREPARE: a second decision cannot overwrite the first.
    static let transition = "UPDATE _vt_dt_state SET state = ? WHERE dtid = ? AND state = 1"
    static let deleteState = "DELETE FROM _vt_dt_state WHERE dtid = ?"
    static let deleteParticipants = "DELETE FROM _vt_dt_participant WHERE dtid = ?"
    static let readState = "SELECT state, time_created FROM _vt_dt_state WHERE dtid = ?"
    static let readParticipants = "SELECT keyspace, shard FROM _vt_dt_participant WHERE dtid = ? ORDER BY id"
    /// COMMIT records first, so that the resolver finishes decided work before it rolls back.
    static let readUnresolved = """
        SELECT t.dtid, t.state, t.time_created, p.keyspace, p.shard FROM _vt_dt_state t \
        JOIN _vt_dt_participant p ON t.dtid = p.dtid WHERE t.time_created < ? ORDER BY t.state DESC, t.dtid, p.id
        """
    static let countUnresolved = "SELECT COUNT(*) FROM _vt_dt_state WHERE time_created < ?"

    static let insertRedoState = "INSERT INTO _vt_redo_state (dtid, state, time_created, message) VALUES (?, ?, ?, NULL)"
    static let insertRedoStatement = "INSERT INTO _vt_redo_statement (dtid, id, statement) VALUES (?, ?, ?)"
    static let deleteRedoState = "DELETE FROM _vt_redo_state WHERE dtid = ?"
    static let deleteRedoStatements = "DELETE FROM _vt_redo_statement WHERE dtid = ?"
    static let markRedoFailed = "UPDATE _vt_redo_state SET state = 0, message = ? WHERE dtid = ?"
    static let readRedoStates = "SELECT dtid, state FROM _vt_redo_state ORDER BY dtid"
    static let readRedoStatements = "SELECT dtid, statement FROM _vt_redo_statement ORDER BY dtid, id"
    static let countRedo = "SELECT COUNT(*) FROM _vt_redo_state WHERE time_created < ?"
}
