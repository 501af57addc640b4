import Foundation
import SimCluster
import SQLSyntax
import Testing

/// Vitess's planner corpus, single-step routing cases: the planner must never choose another
/// variant or keyspace than Vitess; what it does not plan yet it refuses by name.
@Suite struct PlannerCorpusTests {
    struct Tally {
        var agree = 0
        var disagree: [String] = []
        var unsupported = 0
        var reasons: [String: Int] = [:]
        var total: Int { agree + disagree.count + unsupported }
    }

    static let files = ["filter_cases.json", "select_cases.json", "dml_cases.json", "reference_cases.json", "aggr_cases.json"]

    static func run(_ file: String) throws -> Tally {
        let url = VSchemaLoaderTests.conformance.appendingPathComponent("planbuilder/\(file)")
        let cases = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]])
        let planner = SingleRoutePlanner(vschema: VindexPredicateTests.schema, defaultKeyspace: "user")
        var tally = Tally()
        for entry in cases {
            guard let query = entry["query"] as? String, let plan = entry["plan"] as? [String: Any],
                  let instructions = plan["Instructions"] as? [String: Any], instructions["Inputs"] == nil,
                  let op = instructions["OperatorType"] as? String, ["Route", "Insert", "Update", "Delete"].contains(op),
                  let variant = instructions["Variant"] as? String,
                  let keyspace = (instructions["Keyspace"] as? [String: Any])?["Name"] as? String else { continue }
            let statement: SQLStatement
            do { statement = try SQLParser.parse(query) } catch {
                tally.unsupported += 1
                tally.reasons["parser: \(error.message.prefix(40))", default: 0] += 1
                continue
            }
            let route: SingleRoute
            do { route = try planner.plan(statement) } catch {
                tally.unsupported += 1
                tally.reasons[error.message, default: 0] += 1
                continue
            }
            if route.operator.rawValue == op && route.variant == variant && route.keyspace == keyspace {
                tally.agree += 1
            } else {
                tally.disagree.append("\(query) → ours \(route.operator.rawValue)/\(route.variant)/\(route.keyspace), Vitess \(op)/\(variant)/\(keyspace)")
            }
        }
        return tally
    }

    @Test(arguments: files)
    func agreementOnSingleRouteCases(file: String) throws {
        let tally = try Self.run(file)
        print("planner corpus \(file): \(tally.agree) agree, \(tally.disagree.count) disagree, \(tally.unsupported) unsupported of \(tally.total)")
        for (reason, count) in tally.reasons.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }).prefix(6) { print("  \(count) × \(reason)") }
        #expect(tally.total > 0)
        #expect(tally.agree > 0)
        // Never another route than Vitess's: what is not planned exactly is refused by name.
        #expect(tally.disagree.isEmpty, "\(tally.disagree.prefix(10))")
    }

    /// Every query of the corpus (errors included) goes through the full planner: each one is
    /// planned or refused with an error, none crashes it.
    @Test func theQueryPlannerPlansOrRefusesEveryCorpusQuery() throws {
        let planner = QueryPlanner(vschema: VindexPredicateTests.schema, schema: SchemaColumns(vschema: VindexPredicateTests.schema),
                                   defaultKeyspace: "user")
        var planned = 0
        var refused = 0
        for file in ["filter_cases.json", "select_cases.json", "dml_cases.json", "reference_cases.json", "aggr_cases.json",
                     "unsharded_cases.json", "transaction_cases.json", "vindex_func_cases.json"] {
            let url = VSchemaLoaderTests.conformance.appendingPathComponent("planbuilder/\(file)")
            guard let data = try? Data(contentsOf: url),
                  let cases = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { continue }
            for entry in cases {
                guard let query = entry["query"] as? String, let statement = try? SQLParser.parse(query) else { continue }
                do {
                    _ = try planner.plan(statement)
                    planned += 1
                } catch {
                    #expect(!error.message.isEmpty)
                    refused += 1
                }
            }
        }
        #expect(planned > 300 && planned + refused > 500, "planned \(planned), refused \(refused)")
    }
}
