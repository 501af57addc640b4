import SimCore
import SQLSyntax

/// A client that runs a workload's transactions through a gateway, one after the other, and
/// records each as ok, fail or unknown. Its steps:
///
///     connect     SET transaction_mode on a new connection     failure → new connection, retry
///     begin       BEGIN                                        failure → rollback → fail
///     statement   each micro-op's statements in order          failure → rollback → fail
///     commit      COMMIT                                       ok → ok; failure → warnings; timeout → unknown
///     warnings    SHOW WARNINGS after a failed commit          a 2PC warning that it rolled back before
///                                                              the decision → fail; otherwise unknown
///     rollback    ROLLBACK after a failure                     unanswered → the connection is closed
///
/// A timed-out statement before COMMIT is a failure: the client closes the connection (the gateway
/// rolls the session back) and never commits it. Nothing is retried inside a transaction.
final class TransactionClient: SimProcess {
    enum Step {
        case connect
        case begin
        case statement(op: Int, index: Int)
        case commit
        case warnings
        case rollback
    }

    let number: Int
    let workload: any TransactionWorkload
    let settings: TransactionClientSettings
    let history: TransactionHistory
    // Unchecked exclusivity: one thread runs a simulation and no access to these properties
    // overlaps another; the runtime checks cost 7% of a run.
    @exclusivity(unchecked) var calls = PendingCalls<Step>()
    @exclusivity(unchecked) var connected = false
    /// The answers to the current micro-op's statements so far.
    @exclusivity(unchecked) var answers: [QueryResult] = []
    /// The statements of the operation running now (made once per operation).
    @exclusivity(unchecked) var opStatements: [String] = []

    init(number: Int, workload: any TransactionWorkload, settings: TransactionClientSettings, history: TransactionHistory) {
        self.number = number
        self.workload = workload
        self.settings = settings
        self.history = history
    }

    var connection: Int { history.connections }

    func start(_ context: ProcessContext<ClusterMessage>) {
        // A restart may find a session the old instance left open: never reuse it.
        if !history.records.isEmpty || history.connections > 0 { reconnect(context) }
        context.setTimer(after: settings.interval, .timer(.clientTick))
    }

    func timerFired(_ message: ClusterMessage, _ context: ProcessContext<ClusterMessage>) {
        receive(message, from: context.id, context)
    }

    func receive(_ message: ClusterMessage, from sender: ProcessID, _ context: ProcessContext<ClusterMessage>) {
        switch message {
        case .timer(.clientTick):
            next(context)
        case .timer(.rpcTimeout(let id)):
            guard let step = calls.expire(id) else { return }
            timedOut(step, context)
        case .gatewayResult(let id, let result):
            guard let step = calls.finish(id, context) else { return }
            answered(step, result, context)
        default:
            break
        }
    }

    /// Finds the gateway by name once.
    @exclusivity(unchecked) var gatewayLookup = ProcessLookup()

    func gatewayNode(_ context: ProcessContext<ClusterMessage>) -> ProcessID? {
        gatewayLookup.id(of: settings.gateway, in: context)
    }

    func send(_ sql: String, _ step: Step, _ context: ProcessContext<ClusterMessage>) {
        guard let gate = gatewayNode(context) else { return }
        let id = calls.start(step, timeout: settings.timeout, context)
        context.send(.gatewayQuery(id: id, sql: sql, connection: connection), to: gate)
    }

    /// Starts the next transaction (or connects first).
    func next(_ context: ProcessContext<ClusterMessage>) {
        guard calls.isEmpty else { return }
        if let count = settings.count, history.records.count >= count { return }
        guard connected else { return send("SET transaction_mode = '\(settings.mode)'", .connect, context) }
        let sequence = history.records.count
        let ops = context.random { random in workload.nextTransaction(client: number, sequence: sequence, random: &random) }
        history.invoked(TransactionRecord(client: number, index: sequence, invoked: context.now, ops: ops))
        send("BEGIN", .begin, context)
    }

    func answered(_ step: Step, _ result: Result<QueryResult, MySQLError>, _ context: ProcessContext<ClusterMessage>) {
        switch (step, result) {
        case (.connect, .success):
            connected = true
            next(context)
        case (.connect, .failure):
            reconnect(context)
            pause(context)
        case (.begin, .success):
            runStatement(op: 0, index: 0, context)
        case (.statement(let op, let index), .success(let answer)):
            answers.append(answer)
            let current = history.records[history.records.count - 1].ops[op]
            if index + 1 < opStatements.count { return runStatement(op: op, index: index + 1, context) }
            do {
                let done = try workload.completed(current, results: answers)
                history.update { $0.ops[op] = done }
            } catch {
                history.update { $0.defect = "\(error)" }
                return rollBack(because: "the answer could not be read: \(error)", context)
            }
            runStatement(op: op + 1, index: 0, context)
        case (.begin, .failure(let error)), (.statement, .failure(let error)):
            rollBack(because: error.message, context)
        case (.commit, .success):
            finish(.ok, error: nil, context)
        case (.commit, .failure(let error)):
            history.update { $0.error = error.message }
            send("SHOW WARNINGS", .warnings, context)
        case (.warnings, .success(let answer)):
            // Vitess's warning 302 says what becomes of a 2PC commit that failed part way.
            let messages = answer.rows.filter { $0.count >= 3 && $0[1] == .integer(302) }.compactMap { row -> String? in
                if case .text(let message) = row[2] { message } else { nil }
            }
            // It names the phase: before the decision the transaction rolled back for certain.
            // Any other failed commit may have committed (a lost answer, a partial MULTI commit).
            let rolledBack = !messages.isEmpty && !messages.contains { $0.contains("will be committed") }
            finish(rolledBack ? .fail : .unknown, error: history.records.last?.error, context)
        case (.warnings, .failure):
            finish(.unknown, error: history.records.last?.error, context)
        case (.rollback, let result):
            if case .failure = result { reconnect(context) }
            finish(.fail, error: history.records.last?.error, context)
        }
    }

    func timedOut(_ step: Step, _ context: ProcessContext<ClusterMessage>) {
        // The session's state is unknown: close it (the gateway rolls back) and never reuse it.
        reconnect(context)
        switch step {
        case .connect: pause(context)
        case .begin, .statement, .rollback: finish(.fail, error: "timeout", context)
        case .commit: finish(.unknown, error: "commit timed out", context)
        case .warnings: finish(.unknown, error: history.records.last?.error, context)
        }
    }

    func runStatement(op: Int, index: Int, _ context: ProcessContext<ClusterMessage>) {
        if index == 0 { answers = [] }
        let ops = history.records[history.records.count - 1].ops
        guard op < ops.count else {
            let now = context.now
            history.update { $0.commitInvoked = now }
            return send("COMMIT", .commit, context)
        }
        if index == 0 { opStatements = workload.statements(for: ops[op]) }
        send(opStatements[index], .statement(op: op, index: index), context)
    }

    func rollBack(because error: String, _ context: ProcessContext<ClusterMessage>) {
        history.update { $0.error = error }
        send("ROLLBACK", .rollback, context)
    }

    func finish(_ outcome: OperationOutcome, error: String?, _ context: ProcessContext<ClusterMessage>) {
        let now = context.now
        history.update {
            $0.outcome = outcome
            $0.completed = now
            $0.error = outcome == .ok ? nil : error
        }
        pause(context)
    }

    func pause(_ context: ProcessContext<ClusterMessage>) {
        context.setTimer(after: settings.interval, .timer(.clientTick))
    }

    /// Closes the current connection and moves to a new one.
    func reconnect(_ context: ProcessContext<ClusterMessage>) {
        if let gate = context.process(named: settings.gateway) { context.send(.gatewayClose(connection: connection), to: gate) }
        history.connections += 1
        connected = false
    }
}

extension Cluster {
    /// Adds a client called `name` (number `number`) that runs `workload`'s transactions.
    @discardableResult
    public func addTransactionClient(named name: String, number: Int, workload: any TransactionWorkload, settings: TransactionClientSettings,
                                     history: TransactionHistory) -> ProcessID {
        simulation.addProcess(named: name, durable: history) {
            TransactionClient(number: number, workload: workload, settings: settings, history: $0)
        }
    }
}
