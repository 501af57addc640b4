import SimCore
import SQLSyntax

extension VTTablet {
    /// One statement of the tablet's own on `connection` (privileged when it opens, as Vitess's
    /// dba connections). `then` gets nil when the node did not answer in time; the connection is
    /// then closed, since its state is unknown.
    /// With `reconnecting`, a connection the node no longer knows (it restarted: "gone away",
    /// nothing ran) is opened again and the statement sent once more, as Vitess's pools do; only
    /// safe for a statement that starts its connection's work.
    func runInternal(_ sql: String, _ bindings: [SQLValue] = [], on connection: Int, reconnecting: Bool = false,
                     _ context: ProcessContext<ClusterMessage>,
                     then: @escaping (Result<QueryResult, MySQLError>, ProcessContext<ClusterMessage>) -> Void) {
        guard let node = mysqldNode(context) else { return then(.failure(.serverGone), context) }
        let request = calls.start(.internalQuery({ [unowned self] result, context in
            guard let result else {
                self.close(connection, context)
                return then(.failure(MySQLError(code: 1317, sqlState: "70100", message: "no answer from the node in time")), context)
            }
            if case .failure(let error) = result, error.code == 2006 || error.code == 2013 {
                self.openedConnections.remove(connection)
                if error.code == 2006 && reconnecting {
                    return self.runInternal(sql, bindings, on: connection, context, then: then)
                }
            }
            then(result, context)
        }), timeout: configuration.queryTimeout, context)
        let opening = openedConnections.insert(connection).inserted
        context.send(.mysqlQuery(connection: connection, request: request, sql: sql, bindings: bindings, opening: opening, privileged: true), to: node)
    }

    /// Statements in order on `connection`, stopping at the first failure. `reconnecting` when
    /// they begin the connection's work (a BEGIN, or reads): never on a transaction left open.
    func runInternal(_ statements: [(String, [SQLValue])], on connection: Int, reconnecting: Bool = false,
                     _ context: ProcessContext<ClusterMessage>,
                     then: @escaping (Result<[QueryResult], MySQLError>, ProcessContext<ClusterMessage>) -> Void) {
        var results: [QueryResult] = []
        func step(_ i: Int, _ context: ProcessContext<ClusterMessage>) {
            guard i < statements.count else { return then(.success(results), context) }
            runInternal(statements[i].0, statements[i].1, on: connection, reconnecting: reconnecting && i == 0, context) { result, context in
                switch result {
                case .success(let r):
                    results.append(r)
                    step(i + 1, context)
                case .failure(let error):
                    then(.failure(error), context)
                }
            }
        }
        step(0, context)
    }

    /// Runs `statements` in a transaction of their own on a dba connection, which goes back to
    /// the pool afterwards (closed when something failed: the node rolls back what was open).
    func inOwnTransaction(_ statements: [(String, [SQLValue])], _ context: ProcessContext<ClusterMessage>,
                          then: @escaping (Result<[QueryResult], MySQLError>, ProcessContext<ClusterMessage>) -> Void) {
        withDBAConnection(context, then: then) { [unowned self] connection, context, finish in
            self.runInternal([("BEGIN", [])] + statements + [("COMMIT", [])], on: connection, reconnecting: true, context) { result, context in
                finish(result.map { Array($0.dropFirst().dropLast()) }, context)
            }
        }
    }

    /// Lends a dba connection to `body`, which calls `finish` once; `then` gets its result.
    func withDBAConnection<T>(_ context: ProcessContext<ClusterMessage>,
                              then: @escaping (Result<T, MySQLError>, ProcessContext<ClusterMessage>) -> Void,
                              body: (Int, ProcessContext<ClusterMessage>, @escaping (Result<T, MySQLError>, ProcessContext<ClusterMessage>) -> Void) -> Void) {
        guard let connection = freeDBAConnections.popLast() else {
            return then(.failure(MySQLError(code: 1040, sqlState: "08004", message: "Too many connections: the tablet's dba pool is exhausted")), context)
        }
        body(connection, context) { [unowned self] result, context in
            if case .failure = result { self.close(connection, context) }
            self.releaseDBA(connection)
            then(result, context)
        }
    }

    func releaseDBA(_ connection: Int) {
        if !freeDBAConnections.contains(connection) { freeDBAConnections.append(connection) }
    }

    /// Closes a connection: the node ends its session and rolls back what it left open.
    func close(_ connection: Int, _ context: ProcessContext<ClusterMessage>) {
        if let node = mysqldNode(context) { context.send(.mysqlClose(connection: connection), to: node) }
        openedConnections.remove(connection)
    }
}
