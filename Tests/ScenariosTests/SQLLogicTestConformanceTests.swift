import Foundation
import Scenarios
import Testing

/// SQLite's sqllogictest records (as MySQL runs them) through four shards behind the gateway:
/// no wrong result, and the pass rate of one node. `simrun slt` runs the whole corpus.
@Suite struct SQLLogicTestConformanceTests {
    static let folder = Paths.conformance.appendingPathComponent("sqllogictest")

    func run(_ names: [String], shards: Int) throws -> (SQLLogicTestTally, [String: Int]) {
        var total = SQLLogicTestTally()
        var operators: [String: Int] = [:]
        for name in names {
            let url = Self.folder.appendingPathComponent(name)
            let file = try SQLLogicTestFile(path: url.path, text: String(contentsOf: url, encoding: .utf8))
            if shards == 0 {
                total.merge(SQLLogicTestRunner().run(file, on: try StandaloneTarget()))
            } else {
                let target = try ShardedTarget(shards: shards, shardable: ShardedTarget.shardableTables(in: file))
                total.merge(SQLLogicTestRunner().run(file, on: target))
                operators.merge(target.operatorCounts, uniquingKeysWith: +)
            }
        }
        return (total, operators)
    }

    static let files = ["select1.test", "evidence/in1.test", "evidence/in2.test", "evidence/slt_lang_aggfunc.test",
                        "evidence/slt_lang_replace.test", "evidence/slt_lang_update.test"]

    @Test func fourShardsAnswerAsOneNode() throws {
        let (sharded, operators) = try run(Self.files, shards: 4)
        let (single, _) = try run(Self.files, shards: 0)
        #expect(sharded.wrong == 0, "\(sharded.failures.filter { $0.outcome == .wrong }.prefix(3))")
        #expect(sharded.executed == single.executed && sharded.executed > 1_200)
        #expect(sharded.passed == single.passed, "\(sharded.failures.prefix(3))")
        // The mechanisms the corpus exercises: merges, aggregates, subqueries both ways, joins.
        for name in ["Route", "Aggregate", "Sort", "UncorrelatedSubquery", "CorrelatedSubquery", "Insert"] {
            #expect(operators[name, default: 0] > 0, "\(name) never ran: \(operators)")
        }
    }

    @Test func randomSelectsThroughShards() throws {
        let (sharded, operators) = try run(["random/select/slt_good_0.test"], shards: 3)
        #expect(sharded.wrong == 0, "\(sharded.failures.filter { $0.outcome == .wrong }.prefix(3))")
        #expect(sharded.passed > 9_900)
        #expect(operators["Join", default: 0] > 100 && operators["Distinct", default: 0] > 100)
    }

    /// A runner that cannot tell a wrong result from a right one would pass anything.
    @Test func aWrongResultIsCaught() throws {
        let text = """
            statement ok
            CREATE TABLE t(a INTEGER, b INTEGER)

            statement ok
            INSERT INTO t VALUES(1, 2), (3, 4)

            query I rowsort
            SELECT a FROM t
            ----
            1
            4

            query I nosort
            SELECT a + b FROM t ORDER BY 1
            ----
            2 values hashing to 0123456789abcdef0123456789abcdef

            statement error
            SELECT a FROM t
            """
        let file = try SQLLogicTestFile(path: "inline.test", text: text)
        let tally = SQLLogicTestRunner().run(file, on: try ShardedTarget(shards: 2, shardable: ["t"]))
        #expect(tally.wrong == 3 && tally.passed == 2)
    }
}
