/// Elle's checker for list-append histories (Kingsbury and Alvaro, VLDB 2020). Every value is
/// appended once, so a read of a list names the transactions that wrote each element and the
/// order of a key's versions; from them come write-write, write-read and read-write dependencies
/// between committed transactions, and cycles among them are Adya's anomalies. Transactions whose
/// outcome is unknown count as committed when something read their writes (and cannot be placed
/// otherwise); failed ones must never be seen.
public struct ListAppendChecker: Sendable {
    public var model: ConsistencyModel
    /// At most this many cycles are reported per anomaly kind.
    public var cyclesPerKind = 3

    public init(model: ConsistencyModel = .serializable) { self.model = model }

    /// What the checker made of a history.
    public struct Report: Sendable {
        public var anomalies: [Anomaly] = []
        public var transactions = 0
        public var committed = 0
        public var edges = 0

        public init() {}

        /// The anomalies the model forbids.
        public func forbidden(by model: ConsistencyModel) -> [Anomaly] { anomalies.filter { model.forbids($0.kind) } }
    }

    struct Write {
        let txn: Int
        /// Whether it is the transaction's last append to the key (an earlier one is intermediate).
        let final: Bool
    }

    struct Read {
        let txn: Int
        let values: [Int64]
    }

    /// A value appended to a key (values are unique per key).
    struct Element: Hashable {
        let key: Int64
        let value: Int64
    }

    public func check(_ history: RunHistory) -> Report {
        let txns = history.transactions
        var report = Report()
        report.transactions = txns.count
        report.committed = txns.count { $0.finalOutcome == .ok }
        var writes: [Element: Write] = [:]
        writes.reserveCapacity(txns.count * 2)
        for (t, record) in txns.enumerated() {
            let ops = record.ops
            for (i, op) in ops.enumerated() {
                guard case .append(let k, let v) = op else { continue }
                let final = !ops[(i + 1)...].contains { if case .append(k, _) = $0 { true } else { false } }
                if let other = writes.updateValue(Write(txn: t, final: final), forKey: Element(key: k, value: v)) {
                    report.anomalies.append(Anomaly(kind: .garbage, summary: "value \(v) was appended to key \(k) twice",
                                                    details: [txns[other.txn].line, record.line]))
                }
            }
        }
        // Reads of committed transactions, per key, in history order; internal consistency first.
        var reads: [Int64: [Read]] = [:]
        for (t, record) in txns.enumerated() where record.finalOutcome == .ok {
            if Self.touchesAKeyTwice(record.ops) { report.anomalies += internalAnomalies(record) }
            for op in record.ops {
                guard case .read(let k, let values?) = op else { continue }
                reads[k, default: []].append(Read(txn: t, values: values))
            }
        }
        // Each key's version order is its longest read; every other read must be a prefix of it.
        var graph = DependencyGraph(nodes: txns.count)
        for key in reads.keys.sorted() {
            let keyReads = reads[key]!
            let longest = keyReads.max { $0.values.count < $1.values.count || ($0.values.count == $1.values.count && $0.txn > $1.txn) }!
            let order = longest.values
            if let read = keyReads.first(where: { !order.starts(with: $0.values) }) {
                report.anomalies.append(Anomaly(
                    kind: .incompatibleOrder, summary: "reads of key \(key) disagree on the order of its values",
                    details: ["\(txns[read.txn].name) read \(Self.list(read.values))", "\(txns[longest.txn].name) read \(Self.list(order))"]))
                continue
            }
            // Every value any read saw is in the order: check each once, and find its writer.
            var writers = [Int?](repeating: nil, count: order.count)
            var finals = [Bool](repeating: true, count: order.count)
            var seen = Set<Int64>(minimumCapacity: order.count)
            for (i, value) in order.enumerated() {
                guard seen.insert(value).inserted else {
                    report.anomalies.append(Anomaly(kind: .garbage, summary: "\(txns[longest.txn].name) read value \(value) twice in key \(key)",
                                                    details: [txns[longest.txn].line]))
                    continue
                }
                guard let write = writes[Element(key: key, value: value)] else {
                    report.anomalies.append(Anomaly(kind: .garbage, summary: "\(txns[longest.txn].name) read value \(value) in key \(key), which no transaction appended",
                                                    details: [txns[longest.txn].line]))
                    continue
                }
                finals[i] = write.final
                if txns[write.txn].finalOutcome == .fail {
                    let reader = keyReads.first { $0.values.count > i }!.txn
                    report.anomalies.append(Anomaly(
                        kind: .g1a, summary: "\(txns[reader].name) read value \(value) of key \(key), appended by \(txns[write.txn].name), which failed",
                        details: [txns[reader].line, txns[write.txn].line]))
                } else {
                    writers[i] = write.txn
                }
            }
            for i in order.indices.dropLast() {
                if let from = writers[i], let to = writers[i + 1] { graph.add(from, to, .ww, key: key, value: order[i + 1]) }
            }
            for read in keyReads {
                let m = read.values.count
                if m > 0 {
                    if let from = writers[m - 1] {
                        graph.add(from, read.txn, .wr, key: key, value: order[m - 1])
                        if !finals[m - 1] && from != read.txn {
                            report.anomalies.append(Anomaly(
                                kind: .g1b, summary: "\(txns[read.txn].name) read key \(key) ending in \(order[m - 1]), an intermediate append of \(txns[from].name)",
                                details: [txns[read.txn].line, txns[from].line]))
                        }
                    }
                }
                if m < order.count, let to = writers[m] { graph.add(read.txn, to, .rw, key: key, value: order[m]) }
            }
        }
        report.anomalies += lostUpdates(txns)
        report.edges = graph.edges.reduce(0) { $0 + $1.count }
        report.anomalies += cycles(graph, txns: txns)
        report.anomalies.sort { $0.kind < $1.kind }
        return report
    }

    /// Whether some key is read or appended more than once (only then can a transaction
    /// contradict itself).
    static func touchesAKeyTwice(_ ops: [MicroOp]) -> Bool {
        var keys: [Int64] = []
        for op in ops {
            let key: Int64
            switch op {
            case .append(let k, _), .read(let k, _): key = k
            default: continue
            }
            if keys.contains(key) { return true }
            keys.append(key)
        }
        return false
    }

    /// A transaction's reads must agree with what it read and appended before: a later read of a
    /// key extends the earlier one (versions only grow) and ends with the transaction's own
    /// appends since. Under serializability it is exactly the earlier read plus those appends;
    /// read committed lets other transactions' appends come between (a non-repeatable read).
    func internalAnomalies(_ record: TransactionRecord) -> [Anomaly] {
        var known: [Int64: [Int64]] = [:]
        var mine: [Int64: [Int64]] = [:]
        var anomalies: [Anomaly] = []
        for op in record.ops {
            switch op {
            case .append(let k, let v):
                mine[k, default: []].append(v)
            case .read(let k, let values?):
                let own = mine[k] ?? []
                if let before = known[k], !values.starts(with: before) {
                    anomalies.append(Anomaly(kind: .internal, summary: "\(record.name) read key \(k) as \(Self.list(values)) after reading \(Self.list(before))",
                                             details: [record.line]))
                } else if !values.reversed().starts(with: own.reversed()) {
                    anomalies.append(Anomaly(kind: .internal, summary: "\(record.name) read key \(k) as \(Self.list(values)), without its own appends \(Self.list(own)) at the end",
                                             details: [record.line]))
                } else if let before = known[k], values != before + own {
                    anomalies.append(Anomaly(kind: .nonRepeatableRead,
                                             summary: "\(record.name) read key \(k) twice and saw other transactions' appends the second time",
                                             details: [record.line]))
                }
                known[k] = values
                mine[k] = nil
            default:
                break
            }
        }
        return anomalies
    }

    /// Two committed transactions that read the same version of a key and then both appended to it.
    func lostUpdates(_ txns: [TransactionRecord]) -> [Anomaly] {
        // Per key, per version read (its length), the transactions that read it and then appended.
        var byKey: [Int64: [Int: [Int]]] = [:]
        for (t, record) in txns.enumerated() where record.finalOutcome == .ok {
            var readLength: [Int64: Int] = [:]
            var appended = Set<Int64>()
            for op in record.ops {
                switch op {
                case .read(let k, let values?) where readLength[k] == nil && !appended.contains(k):
                    readLength[k] = values.count
                case .append(let k, _) where !appended.contains(k):
                    appended.insert(k)
                    if let length = readLength[k] { byKey[k, default: [:]][length, default: []].append(t) }
                default:
                    break
                }
            }
        }
        var anomalies: [Anomaly] = []
        for key in byKey.keys.sorted() {
            let versions = byKey[key]!
            for length in versions.keys.sorted() {
                let group = versions[length]!
                guard group.count > 1 else { continue }
                anomalies.append(Anomaly(
                    kind: .lostUpdate,
                    summary: "\(group.map { txns[$0].name }.joined(separator: ", ")) all read key \(key) at its version \(length) and appended to it",
                    details: group.map { txns[$0].line }))
            }
        }
        return anomalies
    }

    /// The shortest cycles of each kind, inside each strongly connected component.
    func cycles(_ graph: DependencyGraph, txns: [TransactionRecord]) -> [Anomaly] {
        var found: [Anomaly.Kind: [Anomaly]] = [:]
        for component in graph.cyclicComponents() {
            let members = Set(component)
            let searches: [(Anomaly.Kind, start: (DependencyGraph.EdgeKind) -> Bool, back: (DependencyGraph.EdgeKind) -> Bool)] = [
                (.g0, { $0 == .ww }, { $0 == .ww }),
                (.g1c, { $0 == .wr }, { $0 != .rw }),
                (.gSingle, { $0 == .rw }, { $0 != .rw }),
                (.g2, { $0 == .rw }, { _ in true }),
            ]
            var componentHasCycle = false
            for (kind, startKind, back) in searches {
                // A component already explained by a stronger anomaly is not reported again as G2.
                if kind == .g2 && componentHasCycle { continue }
                guard (found[kind]?.count ?? 0) < cyclesPerKind else { continue }
                var best: [(from: Int, edge: DependencyGraph.Edge)]?
                var tried = 0
                search: for v in component {
                    for edge in graph.edges[v] where startKind(edge.kind) && members.contains(edge.to) {
                        tried += 1
                        if tried > 256 { break search }
                        if let cycle = graph.cycle(through: v, edge, within: members, using: back), best.map({ cycle.count < $0.count }) ?? true {
                            best = cycle
                            if cycle.count == 2 { break search }
                        }
                    }
                }
                if let best {
                    componentHasCycle = true
                    found[kind, default: []].append(explain(kind, best, txns: txns))
                }
            }
        }
        return found.keys.sorted().flatMap { found[$0]! }
    }

    func explain(_ kind: Anomaly.Kind, _ cycle: [(from: Int, edge: DependencyGraph.Edge)], txns: [TransactionRecord]) -> Anomaly {
        var summary = txns[cycle[0].from].name
        var details: [String] = []
        for (from, edge) in cycle {
            summary += " -\(edge.kind)(key \(edge.key))-> \(txns[edge.to].name)"
            let a = txns[from].name, b = txns[edge.to].name
            let value = edge.value.map(String.init) ?? "?"
            switch edge.kind {
            case .ww: details.append("\(a) -ww-> \(b): \(b) appended \(value) to key \(edge.key) right after a value \(a) appended")
            case .wr: details.append("\(a) -wr-> \(b): \(b) read key \(edge.key) ending in \(value), which \(a) appended")
            case .rw: details.append("\(a) -rw-> \(b): \(a) read key \(edge.key) without \(value), which \(b) appended next")
            }
        }
        let involved = Set(cycle.map(\.from))
        details += involved.sorted().map { txns[$0].line }
        return Anomaly(kind: kind, summary: "\(kind.rawValue) cycle: " + summary, details: details)
    }

    static func list(_ values: [Int64]) -> String { "[" + values.map(String.init).joined(separator: " ") + "]" }
}
