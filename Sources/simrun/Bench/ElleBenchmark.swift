import Foundation
import SimCluster
import SimCore

/// The list-append checker's throughput on a long serializable history made by a serial
/// execution: clients' transactions of 1-4 micro-ops over a rotating set of keys (each key
/// retired after a number of appends, as Elle's generator does, so lists stay short), with some
/// transactions failed and some unknown.
struct ElleBenchmark {
    let transactions: Int
    let activeKeys: Int
    let appendsPerKey: Int
    let seed: UInt64

    func history() -> RunHistory {
        var random = RandomStream(rootSeed: seed, label: "elle-bench")
        var lists: [Int64: [Int64]] = [:]
        var active = (1...activeKeys).map(Int64.init)
        var nextKey = Int64(activeKeys + 1)
        var records: [TransactionRecord] = []
        records.reserveCapacity(transactions)
        var nextValue: Int64 = 1
        for i in 0..<transactions {
            let outcome: OperationOutcome = random.chance(0.05) ? .fail : (random.chance(0.03) ? .unknown : .ok)
            // An unknown transaction committed or not, as a whole.
            let applies = outcome == .ok || (outcome == .unknown && random.chance(0.5))
            var ops: [MicroOp] = []
            for _ in 0..<random.int(in: 1..<5) {
                let slot = random.int(in: 0..<activeKeys)
                let key = active[slot]
                if random.chance(0.5) {
                    ops.append(.read(key: key, values: lists[key] ?? []))
                } else {
                    ops.append(.append(key: key, value: nextValue))
                    if applies {
                        lists[key, default: []].append(nextValue)
                        if lists[key]!.count >= appendsPerKey {
                            active[slot] = nextKey
                            nextKey += 1
                        }
                    }
                    nextValue += 1
                }
            }
            var record = TransactionRecord(client: i % 32 + 1, index: i / 32, invoked: SimTime(nanoseconds: Int64(i) * 1_000), ops: ops)
            record.outcome = outcome
            if outcome == .fail { record.ops = record.ops.map { if case .read(let k, _) = $0 { .read(key: k, values: nil) } else { $0 } } }
            records.append(record)
        }
        return RunHistory(transactions: records)
    }

    /// Checks the history `repetitions` times; the best time counts.
    func measure(repetitions: Int) -> (seconds: Double, report: ListAppendChecker.Report) {
        let history = history()
        var best = Double.infinity
        var report = ListAppendChecker.Report()
        for _ in 0..<repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            report = ListAppendChecker().check(history)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return (best, report)
    }
}
