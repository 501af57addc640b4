import SimCluster
import SimCore
import SQLSyntax

/// A standalone, unsharded MySQL that the oracle replays committed work into.
public protocol OracleDatabase: AnyObject {
    /// A short name for messages (`sqlite`, `mariadb 10.11.19`).
    var name: String { get }
    /// Runs statements in order on one connection; each answer in order (a statement that
    /// fails answers its error and the rest still run).
    func run(_ statements: [String]) throws -> [Result<QueryResult, MySQLError>]
    /// Back to the schema alone, for another replay.
    func reset() throws
}

/// Which standalone database the oracle uses.
public enum OracleChoice: Sendable, Equatable {
    /// The embedded MySQL node (MySQL's semantics on SQLite): nothing to install.
    case sqlite
    /// A real MariaDB server that simrun starts on a private data directory and port.
    case mariadb
    /// A running MySQL or MariaDB server reached through its unix socket (user root, no password).
    case mariadbSocket(String)
}

/// The embedded oracle: one MySQL node engine of the simulator's own, unreplicated.
public final class SQLiteOracle: OracleDatabase {
    public let name = "sqlite"
    let schema: String
    var engine: MySQLEngine
    var token = 0

    public init(schema: String) throws {
        self.schema = schema
        engine = try Self.engine(schema: schema)
    }

    static func engine(schema: String) throws -> MySQLEngine {
        let storage = try MySQLStorage(serverID: 1)
        if !schema.isEmpty { try storage.bootstrap(schema) }
        let engine = try MySQLEngine(storage: storage, random: RandomStream(rootSeed: 1, label: "oracle"))
        engine.readOnly = false
        engine.openSession(1)
        return engine
    }

    public func reset() throws { engine = try Self.engine(schema: schema) }

    public func run(_ statements: [String]) throws -> [Result<QueryResult, MySQLError>] {
        statements.map { sql in
            token += 1
            // One connection and no other: nothing ever waits for a lock.
            let completions = engine.execute(sql, bindings: [], session: 1, token: token, now: .zero)
            return completions.first { $0.token == token }?.result ?? .failure(.unknown("the oracle's statement did not complete: \(sql)"))
        }
    }
}
