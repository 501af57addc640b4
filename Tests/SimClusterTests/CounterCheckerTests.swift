import SimCluster
import SimCore
import Testing

/// Jepsen's counter checker: reads and final values must lie within what the increments allow.
@Suite struct CounterCheckerTests {
    static func t(_ c: Int, _ i: Int, _ outcome: OperationOutcome, from: Int64, to: Int64, _ op: MicroOp) -> TransactionRecord {
        var record = TransactionRecord(client: c, index: i, invoked: SimTime(nanoseconds: from), ops: [op])
        record.outcome = outcome
        record.completed = SimTime(nanoseconds: to)
        return record
    }

    static let history = [
        t(1, 0, .ok, from: 0, to: 10, .increment(key: 1, by: 2)),
        t(2, 0, .unknown, from: 5, to: 40, .increment(key: 1, by: 3)),
        t(3, 0, .fail, from: 6, to: 12, .increment(key: 1, by: 100)),
        t(4, 0, .ok, from: 20, to: 30, .readCounter(key: 1, value: 5)),
    ]

    @Test func readsAndFinalValuesWithinBoundsPass() {
        #expect(CounterChecker().check(RunHistory(transactions: Self.history), finalValues: [1: 5]).isEmpty)
        #expect(CounterChecker().check(RunHistory(transactions: Self.history), finalValues: [1: 2]).isEmpty, "the unknown one may not have committed")
    }

    @Test func aLostIncrementIsCaught() {
        var history = Self.history
        history[3].ops = [.readCounter(key: 1, value: 0)]  // misses the increment acknowledged at 10
        let findings = CounterChecker().check(RunHistory(transactions: history), finalValues: [1: 1])
        #expect(findings.map(\.message) == ["client-4#0 read counter 1 as 0, outside 2...5 (what the increments before it allow)",
                                            "counter 1 ends at 1, outside 2...5 (committed, plus maybe-committed increments)"])
    }

    @Test func aFailedIncrementThatCountedIsCaught() {
        var history = Self.history
        history[3].ops = [.readCounter(key: 1, value: 105)]
        #expect(CounterChecker().check(RunHistory(transactions: history), finalValues: [1: 105]).count == 2)
    }
}
