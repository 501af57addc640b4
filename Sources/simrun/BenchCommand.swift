import ArgumentParser
import Foundation

/// `simrun bench`: performance figures, printed for people.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure performance (build with -c release for meaningful figures).",
        subcommands: [KernelBenchCommand.self, NodeBenchCommand.self, GatewayBenchCommand.self, TransactionBenchCommand.self,
                      ElleBenchCommand.self, ClusterScaleBenchCommand.self, BankAccelerationBenchCommand.self])
}

/// `simrun bench elle`: the list-append checker's transactions per second.
struct ElleBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "elle",
        abstract: "Transactions per second of the Elle-style list-append checker on a long serializable history.")

    @Option(help: "Transactions in the history.")
    var transactions = 500_000

    @Option(help: "Keys in use at a time.")
    var keys = 64

    @Option(help: "Appends after which a key is retired.")
    var appendsPerKey = 64

    @Option(help: "Checks of the history; the best counts.")
    var repetitions = 3

    func validate() throws {
        guard transactions > 0, keys > 0, appendsPerKey > 0, repetitions > 0 else { throw ValidationError("every option must be positive") }
    }

    func run() throws {
        #if DEBUG
        print("warning: this is a debug build; use `swift run -c release simrun bench elle` for real figures")
        #endif
        let bench = ElleBenchmark(transactions: transactions, activeKeys: keys, appendsPerKey: appendsPerKey, seed: 1)
        let (seconds, report) = bench.measure(repetitions: repetitions)
        print("elle benchmark: \(transactions) transactions (\(report.committed) ok), \(keys) keys in use, \(appendsPerKey) appends per key, best of \(repetitions)")
        for anomaly in report.anomalies.prefix(3) { print("  \(anomaly.kind.rawValue): \(anomaly.summary)"); for d in anomaly.details.prefix(4) { print("    \(d.prefix(300))") } }
        print("checked in \(fixed(seconds, 3)) s: \(Int(Double(transactions) / seconds)) transactions/s (target ≥ 200000), \(report.edges) dependency edges, \(report.anomalies.count) anomalies")
    }
}

/// `simrun bench bank`: virtual seconds per wall second on the bank workload.
struct BankAccelerationBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bank",
        abstract: "Time acceleration (virtual seconds per wall second) of the bank workload on 4 shards × 3 tablets: idle, at paced and at saturating load.")

    @Option(help: "Virtual seconds each run simulates.")
    var seconds = 60

    @Option(help: "Clients of the paced run.")
    var clients = 4

    @Option(help: "Pause between a paced client's transactions (a duration: 500ms, 1s).")
    var interval = "500ms"

    @Option(help: "Run only this load: idle, paced or saturating (default: all three), e.g. to profile one.")
    var load: String?

    /// The loads, idle first: the cluster's own background is the ceiling every load starts from.
    var loads: [(label: String, clients: Int, pause: String)] {
        [("idle", 0, "-"), ("paced", clients, interval), ("saturating", 6, "20ms")]
    }

    func validate() throws {
        guard seconds > 0, clients > 0 else { throw ValidationError("--seconds and --clients must be positive") }
        if let load, !loads.contains(where: { $0.label == load }) {
            throw ValidationError("--load must be one of \(loads.map(\.label).joined(separator: ", ")), not '\(load)'")
        }
    }

    func run() throws {
        #if DEBUG
        print("warning: this is a debug build; use `swift run -c release simrun bench bank` for real figures")
        #endif
        print("bank benchmark: 4 shards × 3 tablets (semi-sync), 1 gateway, TWOPC transfers between 16 accounts, \(seconds) s of virtual time")
        for (label, count, pause) in loads where load == nil || load == label {
            let f = try BankAccelerationBenchmark(clients: count, interval: pause, seconds: seconds, seed: 1).run()
            let acceleration = f.virtualSeconds / f.wallSeconds
            let described = count == 0 ? "no clients (health checks, heartbeats, polling only)" : "\(count) clients, \(pause) between transactions"
            let outcome = count == 0 ? (f.asExpected ? "" : "; RUN FAILED") : "; \(f.asExpected ? "money conserved" : "BANK CHECK FAILED")"
            print("\(label): \(described): \(Int(f.virtualSeconds.rounded())) s virtual in \(fixed(f.wallSeconds, 2)) s wall = "
                  + "\(Int(acceleration))× (target ≥ 1000); \(Int(Double(f.events) / f.virtualSeconds)) events and \(fixed(Double(f.transfers) / f.virtualSeconds, 1)) "
                  + "2PC commits per virtual second\(outcome)")
        }
    }
}

/// `simrun bench cluster`: a big cluster serving many queries: wall time and peak memory.
struct ClusterScaleBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Wall time and peak memory of a big cluster (shards × 3 tablets) serving point inserts and selects through gateways.")

    @Option(help: "Shards (each a primary and two semi-sync replicas).")
    var shards = 64

    @Option(help: "Queries to answer in all.")
    var queries = 1_000_000

    @Option(help: "Clients, each sending queries back to back.")
    var clients = 256

    @Option(help: "Gateways.")
    var gateways = 4

    func validate() throws {
        guard shards > 0, queries > 0, clients > 0, gateways > 0 else { throw ValidationError("every option must be positive") }
    }

    func run() throws {
        #if DEBUG
        print("warning: this is a debug build; use `swift run -c release simrun bench cluster` for real figures")
        #endif
        let f = try ClusterScaleBenchmark(shards: shards, queries: queries, clients: clients, gateways: gateways, seed: 1).run()
        print("cluster benchmark: \(shards) shards × 3 tablets, \(gateways) gateways, \(clients) clients, \(queries) queries (inserts and point selects)")
        print("built in \(fixed(f.setupSeconds, 2)) s; answered \(f.answered) (\(f.failed) failed or timed out) in \(fixed(f.wallSeconds, 1)) s wall "
              + "(target ≤ 60 s), \(Int(Double(f.answered) / f.wallSeconds)) queries/s")
        print("\(f.events) events over \(fixed(f.virtualSeconds, 1)) s of virtual time; peak memory \(Int(f.peakMegabytes)) MB (target ≤ 512 MB)")
    }
}

/// `simrun bench kernel`: the kernel's events per second against a bare swift-collections `Heap`.
struct KernelBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Events per second of the kernel and of a bare Heap on the same events, and their time ratio.")

    @Option(help: "Events per measured run.")
    var events = 10_000_000

    @Option(help: "Runs of each, interleaved; the best of each counts.")
    var repetitions = 5

    @Option(help: "Processes passing tokens around a ring.")
    var processes = 100

    @Option(help: "Tokens each process starts with (processes × tokens events are pending).")
    var tokens = 10

    func validate() throws {
        guard events > 0, repetitions > 0, processes > 1, tokens > 0 else {
            throw ValidationError("--events, --repetitions and --tokens must be positive, --processes at least 2")
        }
    }

    func run() throws {
        #if DEBUG
        print("warning: this is a debug build; use `swift run -c release simrun bench kernel` for real figures")
        #endif
        let bench = KernelBenchmark(events: events, processes: processes, tokensPerProcess: tokens, repetitions: repetitions)
        let figures = bench.measure()
        func line(_ name: String, _ seconds: Double, _ note: String) -> String {
            let rate = Double(events) / seconds
            return "\(name)  \(fixed(rate / 1e6, 2)) M events/s  (\(fixed(seconds * 1e9 / Double(events), 1)) ns/event, \(note))"
        }
        print("kernel benchmark: \(events) events, \(processes * tokens) pending, best of \(repetitions) interleaved runs")
        print(line("kernel", figures.kernelSeconds, "typed messages over the network model, trace fingerprint and ring on"))
        print(line("heap  ", figures.heapSeconds, "bare swift-collections Heap push/pop of the same events"))
        print("ratio   \(fixed(figures.ratio, 3))  (kernel time / heap time; target ≤ 1.0)")
        print("fingerprint of the kernel run: \(String(figures.fingerprint, radix: 16))")
    }
}

func fixed(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = "\(rounded)"
    if let dot = text.firstIndex(of: ".") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    } else if digits > 0 {
        text += "." + String(repeating: "0", count: digits)
    }
    return text
}

/// `simrun bench node`: a statement through a MySQL node against the same statement on SQLite.
struct NodeBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Cost per statement through a MySQL node versus the same statements straight on SQLite.")

    @Option(help: "Statements of each kind per measured run.")
    var statements = 20_000

    @Option(help: "Runs of each, interleaved; the best of each counts.")
    var repetitions = 3

    func validate() throws {
        guard statements > 0, repetitions > 0 else { throw ValidationError("--statements and --repetitions must be positive") }
    }

    func run() throws {
        #if DEBUG
        print("warning: this is a debug build; use `swift run -c release simrun bench node` for real figures")
        #endif
        let figures = try NodeBenchmark(statements: statements, repetitions: repetitions).measure()
        print("node benchmark: \(statements) statements of each kind (autocommit; the transaction kind runs BEGIN, two updates, COMMIT), best of \(repetitions) interleaved runs")
        for f in figures {
            let node = f.nodeSeconds * 1e6 / Double(statements)
            let sqlite = f.sqliteSeconds * 1e6 / Double(statements)
            print("\(f.name.padding(12))  node \(fixed(node, 2)) us  sqlite \(fixed(sqlite, 2)) us  ratio \(fixed(f.ratio, 2))")
        }
        print("target: ratio <= 2 (the node parses MySQL, translates, captures rows, takes locks and writes a binlog)")
    }
}

/// `simrun bench gateway`: queries through the gateway and its shards against SQLite alone.
struct GatewayBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Point and scatter queries through the gateway over in-process shards versus the same texts on one SQLite database.")

    @Option(help: "Rows in the table.")
    var rows = 10_000

    @Option(help: "Queries of each kind per measured run.")
    var queries = 5_000

    @Option(help: "Shards of the keyspace.")
    var shards = 4

    @Option(help: "Runs of each, interleaved; the best of each counts.")
    var repetitions = 3

    func validate() throws {
        guard rows > 0, queries > 0, repetitions > 0, shards > 0, shards <= 256 else {
            throw ValidationError("--rows, --queries and --repetitions must be positive, --shards between 1 and 256")
        }
    }

    func run() throws {
        #if DEBUG
        print("warning: this is a debug build; use `swift run -c release simrun bench gateway` for real figures")
        #endif
        let figures = try GatewayBenchmark(rows: rows, queries: queries, shards: shards, repetitions: repetitions).measure()
        print("gateway benchmark: \(rows) rows over \(shards) shards, \(queries) queries of each kind, best of \(repetitions) interleaved runs")
        for f in figures {
            let g = Double(queries) / f.gatewaySeconds
            let s = Double(queries) / f.sqliteSeconds
            print("\(f.name.padding(20))  gateway \(Int(g.rounded())) q/s  sqlite \(Int(s.rounded())) q/s  time ratio \(fixed(f.ratio, 2))")
        }
        print("(the gateway parses, plans, routes, runs each shard's MySQL node and merges; SQLite runs the text alone)")
    }
}

/// `simrun bench transactions`: MULTI against TWOPC transfers through a simulated gateway.
struct TransactionBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transactions",
        abstract: "Transfers between two shards as MULTI and as TWOPC transactions: commit latency in virtual time, and wall time.")

    @Option(help: "Clients, each moving money between its own two accounts (one per shard).")
    var clients = 8

    @Option(help: "Transfers per client.")
    var transfers = 200

    @Option(help: "The seed of both runs.")
    var seed: UInt64 = 1

    func validate() throws {
        guard clients > 0, transfers > 0 else { throw ValidationError("--clients and --transfers must be positive") }
    }

    func run() throws {
        #if DEBUG
        print("warning: this is a debug build; use `swift run -c release simrun bench transactions` for real figures")
        #endif
        let figures = try TransactionBenchmark(clients: clients, transfers: transfers, seed: seed).measure()
        print("transactions benchmark: \(clients) clients × \(transfers) transfers across shards -80 and 80-, semi-sync, seed \(seed)")
        for f in figures {
            let perVirtual = Double(f.committed) / max(f.virtualSeconds, 1e-9)
            let perWall = Double(f.committed) / max(f.wallSeconds, 1e-9)
            print("\(f.mode.padding(6))  committed \(f.committed), failed \(f.failed)  commit p50 \(f.p50) p99 \(f.p99)  "
                  + "\(Int(perVirtual.rounded())) tx per virtual s  \(Int(perWall.rounded())) tx per wall s  (\(f.events) events, \(fixed(f.wallSeconds, 2)) s)")
        }
        if figures.count == 2, figures[0].p50.nanoseconds > 0, figures[0].wallSeconds > 0 {
            print("TWOPC / MULTI: commit p50 \(fixed(Double(figures[1].p50.nanoseconds) / Double(figures[0].p50.nanoseconds), 2))x, "
                  + "wall time per committed transaction \(fixed((figures[1].wallSeconds / Double(max(figures[1].committed, 1))) / (figures[0].wallSeconds / Double(max(figures[0].committed, 1))), 2))x")
        }
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
