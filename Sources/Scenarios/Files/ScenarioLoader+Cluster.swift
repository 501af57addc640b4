import Foundation
import SimCluster
import SimCore
import SQLSyntax

extension ScenarioLoader {
    static func parseCluster(_ value: YAMLValue, file: String) throws -> ClusterSpec {
        let f = try value.fields(allowed: ["cells", "keyspaces", "gateways", "gateway_buffer", "orchestrator", "mysql", "tablet", "mutants"])
        let keyspacesValue = try f.required("keyspaces")
        var keyspaces: [KeyspaceSpec] = []
        for item in try keyspacesValue.sequence() {
            let keyspace = try parseKeyspace(item, file: file)
            if keyspaces.contains(where: { $0.name == keyspace.name }) { throw item.error("two keyspaces are called '\(keyspace.name)'") }
            keyspaces.append(keyspace)
        }
        guard !keyspaces.isEmpty else { throw keyspacesValue.error("a cluster needs at least one keyspace") }
        var spec = ClusterSpec(keyspaces: keyspaces)
        if let cells = f["cells"] {
            spec.cells = try cells.list().map { try $0.string() }
            guard !spec.cells.isEmpty else { throw cells.error("'cells' must name at least one cell") }
            for cell in spec.cells where !cell.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                throw cells.error("cell name '\(cell)' must use letters, digits and '_'")
            }
        }
        if let g = f["gateways"] {
            spec.gateways = Int(try g.int(in: 0...16))
        }
        if let b = f["gateway_buffer"] {
            // `true` for Vitess's defaults, or the settings to change.
            var buffer = FailoverBufferConfiguration()
            if b.isMapping {
                let bf = try b.fields(allowed: ["window", "size", "max_failover_duration", "min_time_between_failovers"])
                if let v = bf["window"] { buffer.window = try positive(v) }
                if let v = bf["size"] { buffer.size = Int(try v.int(in: 1...1_000_000)) }
                if let v = bf["max_failover_duration"] { buffer.maxFailoverDuration = try positive(v) }
                if let v = bf["min_time_between_failovers"] { buffer.minTimeBetweenFailovers = try v.duration() }
                spec.gatewayBuffer = buffer
            } else if try b.bool() {
                spec.gatewayBuffer = buffer
            }
        }
        if let o = f["orchestrator"] {
            let of = try o.fields(allowed: ["enabled", "automatic_recovery", "poll_interval", "detection_delay"])
            if let v = of["enabled"] { spec.orchestrator.enabled = try v.bool() }
            if let v = of["automatic_recovery"] { spec.orchestrator.automaticRecovery = try v.bool() }
            if let v = of["poll_interval"] { spec.orchestrator.pollInterval = try positive(v) }
            if let v = of["detection_delay"] { spec.orchestrator.detectionDelay = try v.duration() }
        }
        if let m = f["mysql"] {
            let mf = try m.fields(allowed: ["lock_wait_timeout", "semi_sync_timeout", "apply_delay", "heartbeat", "sync_interval"])
            if let v = mf["lock_wait_timeout"] { spec.mysql.lockWaitTimeout = try positive(v) }
            if let v = mf["semi_sync_timeout"] { spec.mysql.semiSyncTimeout = try v.string() == "never" ? nil : try positive(v) }
            if let v = mf["apply_delay"] { spec.mysql.applyDelay = try v.duration() }
            if let v = mf["heartbeat"] { spec.mysql.heartbeat = try positive(v) }
            if let v = mf["sync_interval"] { spec.mysql.syncInterval = try v.string() == "every_commit" ? nil : try positive(v) }
        }
        if let t = f["tablet"] {
            let tf = try t.fields(allowed: ["pool_size", "transaction_pool_size", "query_timeout", "transaction_timeout", "check_interval",
                                            "twopc_abandon_age"])
            if let v = tf["twopc_abandon_age"] { spec.tablet.twoPCAbandonAge = try v.string() == "disabled" ? nil : try positive(v) }
            if let v = tf["pool_size"] { spec.tablet.poolSize = Int(try v.int(in: 1...10_000)) }
            if let v = tf["transaction_pool_size"] { spec.tablet.transactionPoolSize = Int(try v.int(in: 1...10_000)) }
            if let v = tf["query_timeout"] { spec.tablet.queryTimeout = try positive(v) }
            if let v = tf["transaction_timeout"] { spec.tablet.transactionTimeout = try positive(v) }
            if let v = tf["check_interval"] { spec.tablet.checkInterval = try positive(v) }
        }
        if let m = f["mutants"] {
            // Deliberate atomic-commit bugs, for scenarios that prove a checker catches them.
            for item in try m.list() {
                let name = try item.string()
                guard let mutant = TwoPCMutants.names.first(where: { $0.0 == name })?.1 else {
                    throw item.error("unknown mutant '\(name)'; known: \(TwoPCMutants.names.map(\.0).joined(separator: ", "))")
                }
                spec.mutants.insert(mutant)
            }
        }
        return spec
    }

    static func positive(_ value: YAMLValue) throws -> SimDuration {
        let d = try value.duration()
        guard d.nanoseconds > 0 else { throw value.error("\(value.name) must be longer than 0s") }
        return d
    }

    static func parseKeyspace(_ item: YAMLValue, file: String) throws -> KeyspaceSpec {
        let f = try item.fields(allowed: ["name", "shards", "replicas", "rdonly", "durability", "schema", "schema_file", "vschema", "vschema_file"])
        let nameValue = try f.required("name")
        let name = try nameValue.string()
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw nameValue.error("keyspace name '\(name)' must use letters, digits and '_'")
        }
        var shards = ["0"]
        if let s = f["shards"] {
            if s.isSequence {
                shards = try s.sequence().map { try $0.string() }
            } else if let count = Int(try s.string()) {
                guard count >= 1 && count <= 256 else { throw s.error("'shards' must be between 1 and 256") }
                shards = KeyRange.evenShardNames(count)
            } else {
                shards = try s.string().split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            }
            try checkCoverage(shards, at: s)
        }
        var keyspace = KeyspaceSpec(name: name, shards: shards)
        if let v = f["replicas"] { keyspace.replicas = Int(try v.int(in: 0...20)) }
        if let v = f["rdonly"] { keyspace.rdonly = Int(try v.int(in: 0...20)) }
        if let v = f["durability"] {
            let word = try v.string()
            guard let policy = DurabilityPolicy(rawValue: word) else {
                throw v.error("unknown durability policy '\(word)'; known: \(DurabilityPolicy.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            keyspace.durability = policy
        }
        if keyspace.durability == .semiSync && keyspace.replicas < 1 {
            throw item.error("durability semi_sync needs at least one replica to acknowledge commits")
        }
        let (schema, schemaValue) = try text(f, inline: "schema", file: "schema_file", relativeTo: file)
        if let schema, let schemaValue {
            do {
                for statement in try SQLParser.parseScript(schema) where !statement.isDDL && !statement.isDML {
                    throw schemaValue.error("the schema may hold only CREATE, DROP and INSERT statements, not '\(SQLPrinter().print(statement))'")
                }
            } catch let error as SQLSyntaxError {
                let line = schema.utf8.prefix(error.offset).filter { $0 == 0x0A }.count + 1
                throw schemaValue.error("schema line \(line): \(error)")
            }
            keyspace.schema = schema
        }
        keyspace.vschema = try text(f, inline: "vschema", file: "vschema_file", relativeTo: file).text
        return keyspace
    }

    /// A text given inline or as a file path (relative to the scenario file).
    static func text(_ f: Fields, inline: String, file key: String, relativeTo scenario: String) throws -> (text: String?, value: YAMLValue?) {
        switch (f[inline], f[key]) {
        case (let v?, nil): return (try v.string(), v)
        case (nil, let v?):
            let path = try v.string()
            let resolved = path.hasPrefix("/") ? path : ((scenario as NSString).deletingLastPathComponent as NSString).appendingPathComponent(path)
            guard let data = FileManager.default.contents(atPath: resolved), let text = String(data: data, encoding: .utf8) else {
                throw v.error("cannot read '\(path)'")
            }
            return (text, v)
        case (_?, _?): throw f.owner.error("give either '\(inline)' or '\(key)', not both")
        case (nil, nil): return (nil, nil)
        }
    }

    /// Shards must be valid names that cover the key space once (Vitess serves nothing else).
    static func checkCoverage(_ shards: [String], at value: YAMLValue) throws {
        guard !shards.isEmpty else { throw value.error("'shards' must name at least one shard") }
        var ranges: [KeyRange] = []
        for name in shards {
            guard let range = KeyRange(shardName: name) else { throw value.error("'\(name)' is not a valid shard name (such as -80, 40-80, 80- or 0)") }
            ranges.append(range)
        }
        if shards.count == 1 {
            guard ranges[0].isFull else { throw value.error("a single shard must cover the whole key space (name it 0 or -)") }
            return
        }
        let sorted = ranges.sorted { $0.start.lexicographicallyPrecedes($1.start) }
        guard sorted.first?.start.isEmpty == true, sorted.last?.end.isEmpty == true else {
            throw value.error("the shards do not cover the whole key space")
        }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.end != b.start {
            throw value.error("shards \(a) and \(b) leave a gap or overlap")
        }
    }

    static func parseWorkload(_ value: YAMLValue, spec: ClusterSpec) throws -> [WorkloadSpec] {
        var workloads: [WorkloadSpec] = []
        for item in try value.sequence() {
            let entries = try item.mapping(allowed: ["writer", "script", "list_append", "bank", "counter", "crud", "read_your_writes"])
            guard entries.count == 1, let (key, body) = entries.first else { throw item.error("a workload entry names exactly one workload") }
            switch key {
            case "writer":
                let f = try body.fields(allowed: ["keyspace", "shard", "table", "clients", "interval"])
                let keyspaceValue = try f.required("keyspace")
                let keyspaceName = try keyspaceValue.string()
                guard let keyspace = spec.keyspaces.first(where: { $0.name == keyspaceName }) else {
                    throw keyspaceValue.error("the cluster has no keyspace '\(keyspaceName)'")
                }
                let shardValue = try f.required("shard")
                let shard = try shardValue.string()
                guard keyspace.shards.contains(shard) else { throw shardValue.error("keyspace \(keyspaceName) has no shard '\(shard)'") }
                let tableValue = try f.required("table")
                let table = try tableValue.string()
                guard let definition = keyspace.tableDefinitions.first(where: { $0.table.name == table }) else {
                    throw tableValue.error("the schema of \(keyspaceName) has no table '\(table)'")
                }
                // The writer inserts (id, v): a numeric id of its own and a text.
                for column in ["id", "v"] where !definition.columns.contains(where: { $0.name.lowercased() == column }) {
                    throw tableValue.error("a writer's table needs columns 'id' and 'v'; '\(table)' has no '\(column)'")
                }
                workloads.append(WorkloadSpec(
                    kind: .writer(keyspace: keyspaceName, shard: shard, table: table),
                    clients: Int(try f["clients"]?.int(in: 1...1000) ?? 1),
                    interval: try f["interval"].map(positive) ?? .milliseconds(50)))
            case "script":
                let f = try body.fields(allowed: ["gateway", "statements", "repeat", "clients", "interval", "timeout"])
                let gateway = try f["gateway"]?.string() ?? "gate-1"
                guard ClusterLayout(spec).gateways.contains(gateway) else {
                    throw (f["gateway"] ?? body).error("the cluster has no gateway '\(gateway)' (set 'gateways' in the cluster)")
                }
                let statementsValue = try f.required("statements")
                var statements: [String] = []
                if statementsValue.isSequence {
                    statements = try statementsValue.sequence().map { try $0.string() }
                } else {
                    do { statements = try SQLScript.statements(try statementsValue.string()) } catch {
                        throw statementsValue.error("statements: \(error)")
                    }
                }
                guard !statements.isEmpty else { throw statementsValue.error("a script needs at least one statement") }
                // `repeat: N` runs the statements N times, `{i}` standing for the round (1...N).
                if let r = f["repeat"] {
                    let rounds = Int(try r.int(in: 1...100_000))
                    let once = statements
                    statements = (1...rounds).flatMap { i in once.map { $0.replacingOccurrences(of: "{i}", with: String(i)) } }
                }
                workloads.append(WorkloadSpec(
                    kind: .script(gateway: gateway, statements: statements, timeout: try f["timeout"].map(positive) ?? .seconds(5)),
                    clients: Int(try f["clients"]?.int(in: 1...1000) ?? 1),
                    interval: try f["interval"].map(positive) ?? .milliseconds(20)))
            case "list_append":
                let f = try body.fields(allowed: transactionFields + ["keys", "ops", "read_fraction", "locking_reads", "table", "consistency"])
                var workload = ListAppendWorkload()
                if let v = f["table"] { workload.table = try v.string() }
                try requireColumns(["k", "v"], of: workload.table, at: f["table"] ?? body, spec: spec)
                if let v = f["keys"] { workload.keys = Int(try v.int(in: 1...1_000_000)) }
                if let v = f["ops"] {
                    let (low, high) = try intRange(v, in: 1...16)
                    workload.opsPerTransaction = low...high
                }
                if let v = f["read_fraction"] { workload.readFraction = try v.probability() }
                if let v = f["locking_reads"] { workload.lockingReads = try v.bool() }
                var model: ConsistencyModel = workload.lockingReads ? .serializable : .readCommitted
                if let v = f["consistency"] {
                    let word = try v.string()
                    guard let m = ConsistencyModel(rawValue: word) else {
                        throw v.error("unknown consistency model '\(word)'; known: \(ConsistencyModel.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    model = m
                }
                let (settings, clients) = try transactionSettings(f, at: body, spec: spec)
                workloads.append(WorkloadSpec(kind: .listAppend(workload, settings, model: model), clients: clients, interval: settings.interval))
            case "bank":
                let f = try body.fields(allowed: transactionFields + ["accounts", "max_amount", "read_fraction", "locking_reads", "table"])
                var workload = BankWorkload()
                if let v = f["table"] { workload.table = try v.string() }
                try requireColumns(["id", "balance"], of: workload.table, at: f["table"] ?? body, spec: spec)
                if let v = f["accounts"] { workload.accounts = Int(try v.int(in: 2...1_000_000)) }
                if let v = f["max_amount"] { workload.maxAmount = try v.int(in: 1...1_000_000) }
                if let v = f["read_fraction"] { workload.readFraction = try v.probability() }
                if let v = f["locking_reads"] { workload.lockingReads = try v.bool() }
                let (settings, clients) = try transactionSettings(f, at: body, spec: spec)
                workloads.append(WorkloadSpec(kind: .bank(workload, settings), clients: clients, interval: settings.interval))
            case "counter":
                let f = try body.fields(allowed: transactionFields + ["keys", "read_fraction", "max_increment", "table"])
                var workload = CounterWorkload()
                if let v = f["table"] { workload.table = try v.string() }
                try requireColumns(["k", "n"], of: workload.table, at: f["table"] ?? body, spec: spec)
                if let v = f["keys"] { workload.keys = Int(try v.int(in: 1...1_000_000)) }
                if let v = f["read_fraction"] { workload.readFraction = try v.probability() }
                if let v = f["max_increment"] { workload.maxIncrement = try v.int(in: 1...1_000_000) }
                let (settings, clients) = try transactionSettings(f, at: body, spec: spec)
                workloads.append(WorkloadSpec(kind: .counter(workload, settings), clients: clients, interval: settings.interval))
            case "crud":
                let f = try body.fields(allowed: transactionFields + ["tables", "keys", "ops", "read_fraction", "locking_reads", "keys_follow_shards"])
                let (settings, clients) = try transactionSettings(f, at: body, spec: spec)
                let eligible = crudTables(spec)
                var tables: [CrudTable] = []
                if let v = f["tables"] {
                    for item in try v.sequence() {
                        let name = try item.string()
                        guard let found = eligible.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                            throw item.error("no keyspace's schema has a table '\(name)'")
                        }
                        switch found.table {
                        case .success(let table): tables.append(table)
                        case .failure(let why): throw item.error("random CRUD cannot use it: \(why)")
                        }
                    }
                } else {
                    tables = eligible.compactMap { try? $0.table.get() }
                }
                guard !tables.isEmpty else {
                    throw body.error("no table can take random CRUD (each needs a primary key; see docs/scenarios.md)")
                }
                var workload = CrudWorkload(tables: tables)
                if let v = f["keys"] { workload.keys = Int(try v.int(in: 1...100_000)) }
                if let v = f["ops"] {
                    let (low, high) = try intRange(v, in: 1...100)
                    workload.opsPerTransaction = low...high
                }
                if let v = f["read_fraction"] { workload.readFraction = try v.probability() }
                if let v = f["locking_reads"] { workload.lockingReads = try v.bool() }
                if let v = f["keys_follow_shards"] { workload.keysFollowShards = try v.bool() }
                workloads.append(WorkloadSpec(kind: .crud(workload, settings), clients: clients, interval: settings.interval))
            case "read_your_writes":
                let f = try body.fields(allowed: ["gateway", "keyspace", "table", "clients", "interval", "timeout"])
                let gateway = try f["gateway"]?.string() ?? "gate-1"
                guard ClusterLayout(spec).gateways.contains(gateway) else {
                    throw (f["gateway"] ?? body).error("the cluster has no gateway '\(gateway)' (set 'gateways' in the cluster)")
                }
                let keyspaceValue = try f.required("keyspace")
                let keyspace = try keyspaceValue.string()
                guard let keyspaceSpec = spec.keyspaces.first(where: { $0.name == keyspace }) else {
                    throw keyspaceValue.error("the cluster has no keyspace '\(keyspace)'")
                }
                guard keyspaceSpec.replicas + keyspaceSpec.rdonly > 0 else { throw keyspaceValue.error("keyspace \(keyspace) has no replica to read from") }
                let table = try f["table"]?.string() ?? "ryw"
                try requireColumns(["id", "v"], of: table, at: f["table"] ?? body, spec: spec)
                workloads.append(WorkloadSpec(
                    kind: .readYourWrites(gateway: gateway, keyspace: keyspace, table: table, timeout: try f["timeout"].map(positive) ?? .seconds(5)),
                    clients: Int(try f["clients"]?.int(in: 1...1000) ?? 1),
                    interval: try f["interval"].map(positive) ?? .milliseconds(20)))
            default:
                preconditionFailure("keys were checked")
            }
        }
        return workloads
    }

    /// Fields every generated transaction workload takes.
    static let transactionFields = ["gateway", "clients", "mode", "interval", "timeout", "count"]

    static func transactionSettings(_ f: Fields, at body: YAMLValue, spec: ClusterSpec) throws -> (TransactionClientSettings, clients: Int) {
        var settings = TransactionClientSettings()
        if let v = f["gateway"] { settings.gateway = try v.string() }
        guard ClusterLayout(spec).gateways.contains(settings.gateway) else {
            throw (f["gateway"] ?? body).error("the cluster has no gateway '\(settings.gateway)' (set 'gateways' in the cluster)")
        }
        if let v = f["mode"] {
            let mode = try v.string().uppercased()
            guard ["SINGLE", "MULTI", "TWOPC"].contains(mode) else { throw v.error("transaction mode must be SINGLE, MULTI or TWOPC, not '\(mode)'") }
            settings.mode = mode
        }
        if let v = f["interval"] { settings.interval = try positive(v) }
        if let v = f["timeout"] { settings.timeout = try positive(v) }
        if let v = f["count"] { settings.count = Int(try v.int(in: 1...10_000_000)) }
        return (settings, Int(try f["clients"]?.int(in: 1...1000) ?? 1))
    }

    /// `3`, or `1..4`: a range of integers within `bounds`.
    static func intRange(_ value: YAMLValue, in bounds: ClosedRange<Int64>) throws -> (Int, Int) {
        let text = try value.string()
        let parts = text.components(separatedBy: "..")
        guard parts.count <= 2, let low = Int64(parts[0].trimmingCharacters(in: .whitespaces)),
              let high = Int64((parts.count == 2 ? parts[1] : parts[0]).trimmingCharacters(in: .whitespaces)) else {
            throw value.error("\(value.name) must be a number or a range such as 1..4, not '\(text)'")
        }
        guard bounds.contains(low), bounds.contains(high), low <= high else {
            throw value.error("\(value.name) must lie within \(bounds.lowerBound)..\(bounds.upperBound), low to high")
        }
        return (Int(low), Int(high))
    }

    /// The tables random CRUD may use: every table of a keyspace's schema except sequences,
    /// reference tables and the backing tables of lookup vindexes (the gateway writes those), each with its CRUD view
    /// or why it cannot take part.
    static func crudTables(_ spec: ClusterSpec) -> [(name: String, table: Result<CrudTable, CrudTable.Unsupported>)] {
        var found: [(name: String, table: Result<CrudTable, CrudTable.Unsupported>)] = []
        for keyspace in spec.keyspaces {
            let vschema = keyspace.vschema.flatMap { try? VSchemaLoader.load(Data($0.utf8), keyspace: keyspace.name) }?.keyspaces[keyspace.name]
            let lookups = Set((vschema?.vindexes.values ?? [:].values).compactMap { $0.params["table"]?.split(separator: ".").last.map { String($0).lowercased() } })
            for definition in keyspace.tableDefinitions {
                let name = definition.table.name
                let table = vschema?.tables.first { $0.key.lowercased() == name.lowercased() }?.value
                if lookups.contains(name.lowercased()) || table?.kind == .sequence || table?.kind == .reference { continue }
                if keyspace.sharded && table == nil { continue }
                let vindexColumns = table?.columnVindexes.flatMap(\.columns) ?? []
                let primary = table?.columnVindexes.first?.columns ?? []
                found.append((name, Result { () throws(CrudTable.Unsupported) in
                    try CrudTable(definition: definition, vindexColumns: vindexColumns, primaryVindexColumns: primary)
                }))
            }
        }
        return found
    }

    /// A generated workload's table must exist in some keyspace with the columns it uses.
    static func requireColumns(_ columns: [String], of table: String, at value: YAMLValue, spec: ClusterSpec) throws {
        guard let definition = spec.tableDefinitions.first(where: { $0.table.name == table }) else {
            throw value.error("no keyspace's schema has a table '\(table)'")
        }
        for column in columns where !definition.columns.contains(where: { $0.name.lowercased() == column }) {
            throw value.error("the workload's table needs columns \(columns.joined(separator: ", ")); '\(table)' has no '\(column)'")
        }
    }
}
