import SimCluster
import SimCore
import SQLSyntax
import Testing

/// A node's engine with a few helpers for running statements from several sessions.
final class EngineHarness {
    let storage: MySQLStorage
    let engine: MySQLEngine
    var nextToken = 1
    var now = SimTime.zero
    /// Completions of statements that waited, by token.
    var late: [Int: Result<QueryResult, MySQLError>] = [:]

    init(serverID: UInt32 = 101, schema: String = "") throws {
        storage = try MySQLStorage(serverID: serverID)
        if !schema.isEmpty { try storage.bootstrap(schema) }
        engine = try MySQLEngine(storage: storage, random: RandomStream(rootSeed: 1, label: "rand"))
        engine.readOnly = false
        for session in 1...4 { engine.openSession(session) }
    }

    /// Runs `sql`; returns its result, or nil when it waits (its token is then `lastToken`).
    @discardableResult
    func run(_ sql: String, session: Int = 1, bindings: [SQLValue] = []) -> Result<QueryResult, MySQLError>? {
        let token = nextToken
        nextToken += 1
        var own: Result<QueryResult, MySQLError>?
        for completion in engine.execute(sql, bindings: bindings, session: session, token: token, now: now) {
            if completion.token == token { own = completion.result } else { late[completion.token] = completion.result }
        }
        return own
    }

    var lastToken: Int { nextToken - 1 }

    @discardableResult
    func ok(_ sql: String, session: Int = 1) throws -> QueryResult {
        guard let result = run(sql, session: session) else { throw HarnessError.waited(sql) }
        return try result.get()
    }

    func rows(_ sql: String, session: Int = 1) throws -> [[SQLValue]] { try ok(sql, session: session).rows }

    func error(_ sql: String, session: Int = 1) -> MySQLError? {
        guard case .failure(let error)? = run(sql, session: session) else { return nil }
        return error
    }

    func timeout(_ token: Int) {
        for completion in engine.lockWaitTimedOut(token: token, now: now) { late[completion.token] = completion.result }
    }
}

enum HarnessError: Error { case waited(String) }
