import SimCluster
import SimCore
import Testing

/// Elle's list-append checker on hand-made histories: each anomaly is found (with the cycle it
/// prints), and histories without one pass.
@Suite struct ListAppendCheckerTests {
    /// A transaction of client `c`: `ops` in Elle's shorthand, e.g. `[a(1, 10), r(1, [10])]`.
    static func t(_ c: Int, _ i: Int, _ ops: [MicroOp]) -> TransactionRecord { t(c, i, .ok, ops) }
    static func t(_ c: Int, _ i: Int, _ outcome: OperationOutcome, _ ops: [MicroOp]) -> TransactionRecord {
        var record = TransactionRecord(client: c, index: i, invoked: SimTime(nanoseconds: Int64(i) * 1000), ops: ops)
        record.outcome = outcome
        return record
    }
    static func a(_ k: Int64, _ v: Int64) -> MicroOp { .append(key: k, value: v) }
    static func r(_ k: Int64, _ vs: [Int64]) -> MicroOp { .read(key: k, values: vs) }

    func kinds(_ txns: [TransactionRecord], model: ConsistencyModel = .serializable) -> [Anomaly.Kind] {
        ListAppendChecker(model: model).check(RunHistory(transactions: txns)).forbidden(by: model).map(\.kind)
    }

    @Test func aSerialHistoryHasNoAnomaly() {
        let history = [
            Self.t(1, 0, [Self.a(1, 10), Self.a(2, 20)]),
            Self.t(2, 0, [Self.r(1, [10]), Self.a(1, 11)]),
            Self.t(1, 1, [Self.r(1, [10, 11]), Self.r(2, [20])]),
            Self.t(2, 1, .fail, [Self.a(2, 21)]),
            Self.t(3, 0, [Self.r(2, [20])]),
        ]
        let report = ListAppendChecker().check(RunHistory(transactions: history))
        #expect(report.anomalies.isEmpty, "\(report.anomalies)")
        #expect(report.edges >= 4 && report.committed == 4)
    }

    @Test func anUnknownCommitThatWasReadCountsAsCommitted() {
        let history = [Self.t(1, 0, .unknown, [Self.a(1, 10)]), Self.t(2, 0, [Self.r(1, [10])])]
        #expect(kinds(history).isEmpty)
    }

    @Test func g0WriteCycle() {
        // T1 appends before T2 on key 1 and after it on key 2.
        let history = [
            Self.t(1, 0, [Self.a(1, 10), Self.a(2, 21)]),
            Self.t(2, 0, [Self.a(1, 11), Self.a(2, 20)]),
            Self.t(3, 0, [Self.r(1, [10, 11]), Self.r(2, [20, 21])]),
        ]
        let report = ListAppendChecker().check(RunHistory(transactions: history))
        let g0 = report.anomalies.first { $0.kind == .g0 }
        #expect(g0 != nil, "\(report.anomalies)")
        #expect(g0?.summary.contains("client-1#0") == true && g0?.summary.contains("client-2#0") == true)
        #expect(g0?.details.contains { $0.contains("-ww->") } == true)
    }

    @Test func g1aReadOfAFailedWrite() {
        #expect(kinds([Self.t(1, 0, .fail, [Self.a(1, 10)]), Self.t(2, 0, [Self.r(1, [10])])]) == [.g1a])
    }

    @Test func g1bIntermediateRead() {
        let history = [Self.t(1, 0, [Self.a(1, 10), Self.a(1, 11)]), Self.t(2, 0, [Self.r(1, [10])]), Self.t(3, 0, [Self.r(1, [10, 11])])]
        #expect(kinds(history).contains(.g1b))
    }

    @Test func g1cCircularInformationFlow() {
        // Each reads the other's write.
        let history = [
            Self.t(1, 0, [Self.a(1, 10), Self.r(2, [20])]),
            Self.t(2, 0, [Self.a(2, 20), Self.r(1, [10])]),
        ]
        #expect(kinds(history).contains(.g1c))
    }

    @Test func gSingleReadSkew() {
        // T2 reads key 1 before T1's append but key 2 after it.
        let history = [
            Self.t(1, 0, [Self.a(1, 10), Self.a(2, 20)]),
            Self.t(2, 0, [Self.r(1, []), Self.r(2, [20])]),
            Self.t(3, 0, [Self.r(1, [10])]),
        ]
        let found = kinds(history)
        #expect(found.contains(.gSingle), "\(found)")
        #expect(kinds(history, model: .readCommitted).isEmpty, "read committed allows read skew")
    }

    @Test func g2WriteSkew() {
        // Each reads the key the other appends to, missing the other's append.
        let history = [
            Self.t(1, 0, [Self.r(1, []), Self.a(2, 20)]),
            Self.t(2, 0, [Self.r(2, []), Self.a(1, 10)]),
            Self.t(3, 0, [Self.r(1, [10]), Self.r(2, [20])]),
        ]
        let found = kinds(history)
        #expect(found.contains(.g2) && !found.contains(.gSingle), "\(found)")
    }

    @Test func lostUpdate() {
        let history = [
            Self.t(1, 0, [Self.r(1, []), Self.a(1, 10)]),
            Self.t(2, 0, [Self.r(1, []), Self.a(1, 11)]),
            Self.t(3, 0, [Self.r(1, [10, 11])]),
        ]
        #expect(kinds(history).contains(.lostUpdate))
    }

    @Test func internalInconsistency() {
        #expect(kinds([Self.t(1, 0, [Self.a(1, 10), Self.r(1, [])])]) == [.internal])
        // A second read that drops what the first saw contradicts it under any model.
        let shrinking = [Self.t(1, 0, [Self.a(1, 10)]), Self.t(2, 0, [Self.r(1, [10]), Self.r(1, [])])]
        #expect(kinds(shrinking, model: .readCommitted).contains(.internal))
    }

    @Test func nonRepeatableReadIsAllowedUnderReadCommittedOnly() {
        let history = [Self.t(1, 0, [Self.a(1, 10)]), Self.t(2, 0, [Self.r(1, []), Self.a(2, 20), Self.r(1, [10])])]
        #expect(kinds(history).contains(.nonRepeatableRead))
        #expect(kinds(history, model: .readCommitted).isEmpty)
    }

    @Test func incompatibleOrderAndGarbage() {
        let history = [
            Self.t(1, 0, [Self.a(1, 10)]), Self.t(2, 0, [Self.a(1, 11)]),
            Self.t(3, 0, [Self.r(1, [10, 11])]), Self.t(4, 0, [Self.r(1, [11, 10])]),
            Self.t(5, 0, [Self.r(2, [99])]),
        ]
        let found = kinds(history)
        #expect(found.contains(.incompatibleOrder) && found.contains(.garbage), "\(found)")
    }

    /// A long serializable history of many clients checks fast and clean (linear when acyclic).
    @Test func aLongSerialHistoryIsClean() {
        var random = RandomStream(rootSeed: 7, label: "history")
        var lists: [Int64: [Int64]] = [:]
        var history: [TransactionRecord] = []
        for i in 0..<5_000 {
            var ops: [MicroOp] = []
            for j in 0..<random.int(in: 1..<5) {
                let key = Int64(random.int(in: 1..<20))
                if random.chance(0.5) {
                    ops.append(.read(key: key, values: lists[key] ?? []))
                } else {
                    let value = Int64(i * 10 + j)
                    lists[key, default: []].append(value)
                    ops.append(.append(key: key, value: value))
                }
            }
            history.append(Self.t(i % 10 + 1, i / 10, ops))
        }
        let report = ListAppendChecker().check(RunHistory(transactions: history))
        #expect(report.anomalies.isEmpty && report.edges > 5_000, "\(report.anomalies.prefix(2)), \(report.edges) edges")
    }
}
