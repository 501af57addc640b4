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
        /// The anomalies the model forbids.
        public func forbidden(by model: ConsistencyModel) -> [Anomaly] { anomalies.filter { model.forbids($0.kind) } }
    }

    struct Write {
        let txn: Int
        /// The write's place among the transaction's appends to the key (last one: final).
        let final: Bool
    }

    struct Read {
        let txn: Int
        let values: [Int64]
    }

    public func check(_ history: RunHistory) -> Report {
        let txns = history.transactions
        var report = Report()
        report.transactions = txns.count
        report.committed = txns.count { $0.finalOutcome == .ok }
        var writes: [Int64: [Int64: Write]] = [:]
        for (t, record) in txns.enumerated() {
            var lastAppend: [Int64: Int64] = [:]
            for op in record.ops { if case .append(let k, let v) = op { lastAppend[k] = v } }
            for op in record.ops {
                guard case .append(let k, let v) = op else { continue }
                if let other = writes[k]?[v] {
                    report.anomalies.append(Anomaly(kind: .garbage, summary: "value \(v) was appended to key \(k) twice",
                                                    details: [txns[other.txn].line, record.line]))
                }
                writes[k, default: [:]][v] = Write(txn: t, final: lastAppend[k] == v)
            }
        }
        // Reads of committed transactions, per key, in history order; internal consistency first.
        var reads: [Int64: [Read]] = [:]
        for (t, record) in txns.enumerated() where record.finalOutcome == .ok {
            report.anomalies += internalAnomalies(record)
            for op in record.ops {
                guard case .read(let k, let values?) = op else { continue }
                reads[k, default: []].append(Read(txn: t, values: values))
                report.anomalies += readAnomalies(key: k, values: values, reader: t, txns: txns, writes: writes[k] ?? [:])
            }
        }
        // Each key's version order is its longest read; every other read must be a prefix of it.
        var graph = DependencyGraph(nodes: txns.count)
        let excluded = Set(txns.indices.filter { txns[$0].finalOutcome == .fail })
        for key in reads.keys.sorted() {
            let keyReads = reads[key]!
            let order = keyReads.max { $0.values.count < $1.values.count || ($0.values.count == $1.values.count && $0.txn > $1.txn) }!.values
            var consistent = true
            for read in keyReads where !order.starts(with: read.values) {
                consistent = false
                let longest = keyReads.first { $0.values == order }!
                report.anomalies.append(Anomaly(
                    kind: .incompatibleOrder, summary: "reads of key \(key) disagree on the order of its values",
                    details: ["\(txns[read.txn].name) read \(Self.list(read.values))", "\(txns[longest.txn].name) read \(Self.list(order))"]))
                break
            }
            guard consistent else { continue }
            let keyWrites = writes[key] ?? [:]
            func writer(_ value: Int64) -> Int? {
                guard let t = keyWrites[value]?.txn, !excluded.contains(t) else { return nil }
                return t
            }
            for (a, b) in zip(order, order.dropFirst()) {
                if let from = writer(a), let to = writer(b) { graph.add(from, to, .ww, key: key, value: b) }
            }
            for read in keyReads {
                if let last = read.values.last, let from = writer(last) { graph.add(from, read.txn, .wr, key: key, value: last) }
                if read.values.count < order.count, let to = writer(order[read.values.count]) {
                    graph.add(read.txn, to, .rw, key: key, value: order[read.values.count])
                }
            }
            report.anomalies += lostUpdates(key: key, txns: txns)
        }
        report.edges = graph.edges.reduce(0) { $0 + $1.count }
        report.anomalies += cycles(graph, txns: txns)
        report.anomalies.sort { $0.kind < $1.kind }
        return report
    }

    /// A transaction's reads must agree with what it read and appended before.
    func internalAnomalies(_ record: TransactionRecord) -> [Anomaly] {
        var known: [Int64: [Int64]] = [:]
        var appended: [Int64: [Int64]] = [:]
        for op in record.ops {
            switch op {
            case .append(let k, let v):
                if known[k] != nil { known[k]!.append(v) } else { appended[k, default: []].append(v) }
            case .read(let k, let values?):
                let expected = known[k]
                let suffix = appended[k] ?? []
                if let expected, expected != values {
                    return [Anomaly(kind: .internal, summary: "\(record.name) read key \(k) as \(Self.list(values)) after it had seen or made \(Self.list(expected))",
                                    details: [record.line])]
                }
                if expected == nil && !values.reversed().starts(with: suffix.reversed()) {
                    return [Anomaly(kind: .internal, summary: "\(record.name) read key \(k) as \(Self.list(values)), without its own appends \(Self.list(suffix)) at the end",
                                    details: [record.line])]
                }
                known[k] = values
                appended[k] = nil
            default:
                break
            }
        }
        return []
    }

    /// Values a committed read may not see: unwritten, repeated, failed (G1a) or intermediate (G1b).
    func readAnomalies(key: Int64, values: [Int64], reader: Int, txns: [TransactionRecord], writes: [Int64: Write]) -> [Anomaly] {
        var anomalies: [Anomaly] = []
        var seen = Set<Int64>()
        for value in values {
            guard seen.insert(value).inserted else {
                anomalies.append(Anomaly(kind: .garbage, summary: "\(txns[reader].name) read value \(value) twice in key \(key)", details: [txns[reader].line]))
                continue
            }
            guard let write = writes[value] else {
                anomalies.append(Anomaly(kind: .garbage, summary: "\(txns[reader].name) read value \(value) in key \(key), which no transaction appended",
                                         details: [txns[reader].line]))
                continue
            }
            if txns[write.txn].finalOutcome == .fail {
                anomalies.append(Anomaly(
                    kind: .g1a, summary: "\(txns[reader].name) read value \(value) of key \(key), appended by \(txns[write.txn].name), which failed",
                    details: [txns[reader].line, txns[write.txn].line]))
            }
        }
        if let last = values.last, let write = writes[last], write.txn != reader, !write.final {
            anomalies.append(Anomaly(
                kind: .g1b, summary: "\(txns[reader].name) read key \(key) ending in \(last), an intermediate append of \(txns[write.txn].name)",
                details: [txns[reader].line, txns[write.txn].line]))
        }
        return anomalies
    }

    /// Two committed transactions that read the same version of `key` and then both appended to it.
    func lostUpdates(key: Int64, txns: [TransactionRecord]) -> [Anomaly] {
        var byVersion: [Int: [Int]] = [:]
        for (t, record) in txns.enumerated() where record.finalOutcome == .ok {
            var readLength: Int?
            for op in record.ops {
                if case .read(let k, let values?) = op, k == key, readLength == nil { readLength = values.count }
                if case .append(let k, _) = op, k == key {
                    if let readLength { byVersion[readLength, default: []].append(t) }
                    break
                }
            }
        }
        return byVersion.keys.sorted().compactMap { length in
            let group = byVersion[length]!
            guard group.count > 1 else { return nil }
            return Anomaly(kind: .lostUpdate,
                           summary: "\(group.map { txns[$0].name }.joined(separator: ", ")) all read key \(key) at its version \(length) and appended to it",
                           details: group.map { txns[$0].line })
        }
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
