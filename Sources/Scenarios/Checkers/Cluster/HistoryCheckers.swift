import Foundation
import SimCluster
import SimCore
import SQLSyntax

/// Elle's list-append checker on each list-append workload's history: no anomaly its
/// consistency model forbids, and no answer the clients could not read.
public struct ListAppendScenarioChecker: ClusterChecker {
    public let name = "list_append"
    public init() {}

    public func check(_ run: ClusterRunView) -> [Violation] {
        var violations: [Violation] = []
        let groups = run.histories { kind -> (ConsistencyModel, table: String)? in
            if case .listAppend(let generator, _, let model) = kind { (model, generator.table) } else { nil }
        }
        for (model, history) in groups {
            violations += history.defects(checker: name)
            let report = ListAppendChecker(model: model).check(history)
            for anomaly in report.forbidden(by: model) {
                violations.append(Violation(checker: name, message: "\(anomaly.kind.rawValue), forbidden under \(model.rawValue): \(anomaly.summary)",
                                            details: anomaly.details))
            }
        }
        return violations
    }
}

/// Jepsen's bank checker on each bank workload: committed reads (locking ones) sum to zero and
/// the final balances on the shards' primaries are what the committed transfers made.
public struct BankScenarioChecker: ClusterChecker {
    public let name = "bank"
    public init() {}

    public func check(_ run: ClusterRunView) -> [Violation] {
        var violations: [Violation] = []
        let groups = run.histories { kind -> (BankWorkload, table: String)? in
            if case .bank(let bank, _) = kind { (bank, bank.table) } else { nil }
        }
        for (bank, history) in groups {
            violations += history.defects(checker: name)
            let balances: [Int64: Int64]
            do {
                balances = try Self.finalBalances(bank, cluster: run.cluster)
            } catch {
                violations.append(Violation(checker: name, message: "the final balances could not be read: \(error)"))
                continue
            }
            for finding in BankChecker(checkReads: bank.lockingReads).check(history, finalBalances: balances) {
                violations.append(Violation(checker: name, message: finding.message, details: finding.details))
            }
        }
        return violations
    }

    /// Every account's balance on the primaries of the shards holding the table.
    static func finalBalances(_ bank: BankWorkload, cluster: Cluster) throws -> [Int64: Int64] {
        var balances: [Int64: Int64] = [:]
        for row in try cluster.primaryRows(of: bank.table, columns: [bank.idColumn, bank.balanceColumn]) {
            guard let account = row[0].integer, let amount = row[1].integer else { continue }
            balances[account, default: 0] += amount
        }
        return balances
    }
}

extension Cluster {
    /// The rows of `table` on every shard's primary (the final data), with `columns` in order;
    /// shards without the table or a primary give none.
    func primaryRows(of table: String, columns wanted: [String]) throws -> [[SQLValue]] {
        var rows: [[SQLValue]] = []
        for shard in shards {
            guard let primary = primary(of: shard), let storage = storage(of: primary),
                  let columns = storage.catalog.table(table)?.columns.map({ $0.name.lowercased() }) else { continue }
            let positions = wanted.compactMap { columns.firstIndex(of: $0) }
            guard positions.count == wanted.count else { continue }
            rows += try storage.rows(of: table).map { row in positions.map { row[$0] } }
        }
        return rows
    }
}

/// The standalone-MySQL oracle on each generated transactional workload: the committed
/// transactions replayed in a serial order into one unsharded database (the embedded node, or a
/// real MariaDB) answer every committed read as the cluster did and end with the same tables.
/// List-append histories are ordered by what the lists show; bank, counter and random CRUD
/// histories by when their clients sent COMMIT.
public struct OracleChecker: ClusterChecker {
    public let name = "oracle"
    public init() {}

    public func check(_ run: ClusterRunView) -> [Violation] {
        var violations: [Violation] = []
        let lists = run.histories { kind -> (ListAppendWorkload, table: String)? in
            if case .listAppend(let generator, _, _) = kind { (generator, generator.table) } else { nil }
        }
        for (generator, history) in lists {
            do {
                let database = try Self.database(run, tables: [generator.table])
                defer { (database as? MariaDBOracle)?.stop() }
                let outcome = try ListAppendOracle(workload: generator).check(history, finalLists: try Self.finalLists(generator, cluster: run.cluster),
                                                                             on: database)
                violations += outcome.findings.prefix(20).map { Violation(checker: name, message: $0.message, details: $0.details) }
                run.notes.add(name, "\(generator.table): replayed \(outcome.replayed) transactions into \(database.name), compared \(outcome.comparedReads) reads and the final lists")
            } catch {
                violations.append(Violation(checker: name, message: "the oracle could not run: \(error)"))
            }
        }
        let serial = run.histories { kind -> (SerialReplayOracle, table: String)? in
            switch kind {
            case .bank(let bank, _):
                (SerialReplayOracle(workload: bank, tables: [.init(name: bank.table, columns: [bank.idColumn, bank.balanceColumn])]), bank.table)
            case .counter(let counter, _):
                (SerialReplayOracle(workload: counter, tables: [.init(name: counter.table, columns: ["k", "n"])]), counter.table)
            case .crud(let crud, _):
                (SerialReplayOracle(workload: crud, tables: crud.tables.map { .init(name: $0.name, columns: $0.columns.map(\.name)) }),
                 crud.tables.map(\.name).joined(separator: ","))
            case .listAppend, .writer, .script, .readYourWrites:
                nil
            }
        }
        for (oracle, history) in serial {
            if oracle.workload is CrudWorkload { violations += history.defects(checker: name) }
            do {
                let database = try Self.database(run, tables: oracle.tables.map(\.name))
                defer { (database as? MariaDBOracle)?.stop() }
                var finalRows: [String: [[SQLValue]]] = [:]
                for table in oracle.tables { finalRows[table.name] = try run.cluster.primaryRows(of: table.name, columns: table.columns) }
                let outcome = try oracle.check(history, finalRows: finalRows, on: database)
                violations += outcome.findings.prefix(20).map { Violation(checker: name, message: $0.message, details: $0.details) }
                let tables = oracle.tables.map(\.name).joined(separator: ", ")
                run.notes.add(name, "\(tables): replayed \(outcome.replayed) transactions in commit order into \(database.name) (\(outcome.attempts) "
                              + "replay\(outcome.attempts == 1 ? "" : "s") for \(outcome.unknownTried) unknown outcomes), compared \(outcome.comparedReads) "
                              + "reads and \(outcome.comparedRows) final rows" + (outcome.inconclusive.map { "; inconclusive: \($0)" } ?? ""))
            } catch {
                violations.append(Violation(checker: name, message: "the oracle could not run: \(error)"))
            }
        }
        violations += checkScript(run)
        return violations
    }

    /// A script of one session: replayed statement by statement (see `ScriptOracle`).
    func checkScript(_ run: ClusterRunView) -> [Violation] {
        guard !run.gatewayClients.isEmpty else { return [] }
        guard run.gatewayClients.count == 1, let (client, history) = run.gatewayClients.first else {
            run.notes.add(name, "scripts not compared: \(run.gatewayClients.count) sessions ran at once, so the order of their statements is not known")
            return []
        }
        let names = ScriptOracle.writtenTables(history.entries)
        let definitions = run.cluster.spec.tableDefinitions
        let tables = names.compactMap { name in
            definitions.first { $0.table.name.lowercased() == name.lowercased() }.map { SerialReplayOracle.Table(name: $0.table.name, columns: $0.columns.map(\.name)) }
        }
        do {
            let database = try Self.database(run, tables: tables.map(\.name))
            defer { (database as? MariaDBOracle)?.stop() }
            var finalRows: [String: [[SQLValue]]] = [:]
            for table in tables { finalRows[table.name] = try run.cluster.primaryRows(of: table.name, columns: table.columns.map { $0.lowercased() }) }
            let outcome = try ScriptOracle(tables: tables).check(history.entries, finalRows: finalRows, on: database)
            run.notes.add(name, "\(client)'s script: replayed \(outcome.replayed) units into \(database.name) (\(outcome.attempts) replay\(outcome.attempts == 1 ? "" : "s") for "
                          + "\(outcome.unknownTried) of unknown outcome), compared \(outcome.comparedReads) reads and \(outcome.comparedRows) final rows"
                          + (outcome.inconclusive.map { "; inconclusive: \($0)" } ?? ""))
            return outcome.findings.prefix(20).map { Violation(checker: name, message: $0.message, details: $0.details) }
        } catch {
            return [Violation(checker: name, message: "the oracle could not run on the script: \(error)")]
        }
    }

    /// A fresh standalone database with the schemas of the keyspaces that define `tables`.
    static func database(_ run: ClusterRunView, tables: [String]) throws -> any OracleDatabase {
        let schema = run.cluster.spec.keyspaces.filter { keyspace in
            let defined = keyspace.tableDefinitions.map { $0.table.name.lowercased() }
            return tables.contains { defined.contains($0.lowercased()) }
        }.map(\.schema).joined(separator: "\n")
        return switch run.scenario.oracle {
        case .sqlite: try SQLiteOracle(schema: schema)
        case .mariadb: try MariaDBOracle.start(schema: schema)
        case .mariadbSocket(let socket): try MariaDBOracle(socket: socket, schema: schema)
        }
    }

    /// Each key's list on the primaries of the shards holding the table.
    static func finalLists(_ workload: ListAppendWorkload, cluster: Cluster) throws -> [Int64: [Int64]] {
        var lists: [Int64: [Int64]] = [:]
        for row in try cluster.primaryRows(of: workload.table, columns: [workload.keyColumn, workload.valueColumn]) {
            guard let key = row[0].integer else { continue }
            let text: String = if case .text(let t) = row[1] { t } else { "" }
            lists[key] = text.split(separator: " ").compactMap { Int64($0) }
        }
        return lists
    }
}

/// Read-your-writes on the primary: a session that wrote a row (acknowledged) reads it back from
/// the primary. Replica reads may be stale (Vitess promises nothing else), but never wrong.
public struct ReadYourWritesChecker: ClusterChecker {
    public let name = "read_your_writes"
    public init() {}

    public func check(_ run: ClusterRunView) -> [Violation] {
        var violations: [Violation] = []
        for (client, history) in run.readYourWrites {
            for record in history.records where record.acknowledged == true {
                if case .some(let value) = record.primaryRead, value != record.id {
                    violations.append(Violation(
                        checker: name,
                        message: "\(client) wrote row \(record.id) (acknowledged at \(record.written)) and read \(value.map(String.init) ?? "no row") back from the primary",
                        details: []))
                }
                if case .some(let value?) = record.replicaRead, value != record.id {
                    violations.append(Violation(checker: name, message: "\(client) read row \(record.id) from a replica as \(value)", details: []))
                }
            }
        }
        return violations
    }
}

/// Jepsen's counter checker on each counter workload: every committed read, and each final
/// counter on the primaries, lies within what the increments around it allow.
public struct CounterScenarioChecker: ClusterChecker {
    public let name = "counter"
    public init() {}

    public func check(_ run: ClusterRunView) -> [Violation] {
        var violations: [Violation] = []
        let groups = run.histories { kind -> (CounterWorkload, table: String)? in
            if case .counter(let counter, _) = kind { (counter, counter.table) } else { nil }
        }
        for (counter, history) in groups {
            let table = counter.table
            violations += history.defects(checker: name)
            var finals: [Int64: Int64] = [:]
            do {
                for row in try run.cluster.primaryRows(of: table, columns: ["k", "n"]) {
                    if let k = row[0].integer, let n = row[1].integer { finals[k, default: 0] += n }
                }
            } catch {
                violations.append(Violation(checker: name, message: "the final counters could not be read: \(error)"))
                continue
            }
            for finding in CounterChecker().check(history, finalValues: finals) {
                violations.append(Violation(checker: name, message: finding.message, details: finding.details))
            }
        }
        return violations
    }
}

extension RunHistory {
    /// Answers a client could not read (the cluster answered something no MySQL would), as
    /// violations of `checker`.
    func defects(checker: String) -> [Violation] {
        transactions.compactMap { record in
            record.defect.map { Violation(checker: checker, message: "\(record.name) got an answer it could not read: \($0)", details: [record.line]) }
        }
    }
}
