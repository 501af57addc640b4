import Foundation
import SimCluster
import SQLSyntax
import Testing

/// Vindex selection on one sharded table, checked against cases of Vitess's planner corpus.
@Suite struct VindexPredicateTests {
    static let schema: VSchema = {
        let file = VSchemaLoaderTests.conformance.appendingPathComponent("planbuilder/vschemas/schema.json")
        return try! VSchemaLoader.load(try! Data(contentsOf: file))
    }()

    func route(_ sql: String) throws -> VindexRoute {
        guard case .select(.select(let select)) = try SQLParser.parse(sql), let reference = select.from.first,
              case .table(let name, let alias) = reference else { throw TestError.notASingleTableSelect(sql) }
        let keyspace = try #require(Self.schema.keyspaces["user"])
        let table = try #require(keyspace.tables[name.name])
        return VindexPredicates(keyspace: keyspace, table: table, qualifiers: [alias ?? name.name]).route(for: select.whereClause)
    }

    enum TestError: Error { case notASingleTableSelect(String) }

    func values(_ route: VindexRoute) -> [String] { route.values.map { SQLPrinter().print($0) } }

    @Test func equalityOnTheHashVindexIsEqualUnique() throws {
        let r = try route("select id from user where user.id = 5")
        #expect(r.variant == .equalUnique && r.vindex == "user_index" && values(r) == ["5"])
        let q = try route("select * from user where (id = 4) AND (name ='abc') limit 5")
        #expect(q.variant == .equalUnique && values(q) == ["4"])
        let t = try route("select id from user where (id, name) = (34, 'apa')")
        #expect(t.variant == .equalUnique && values(t) == ["34"])
        let s = try route("select count(1) from user where id = 'abc'")
        #expect(s.variant == .equalUnique && values(s) == ["'abc'"])
    }

    @Test func equalitiesCarryValuesToVindexColumns() throws {
        let r = try route("select id from user where user.id = user.col and user.col = 5")
        #expect(r.variant == .equalUnique && r.vindex == "user_index" && values(r) == ["5"])
        // Texts are not carried: MySQL compares a number and a text as numbers, not transitively.
        let t = try route("select id from user where user.id = user.col and user.col = '5abc'")
        #expect(t.variant == .scatter)
    }

    @Test func listsAndOrsOfEqualitiesAreIN() throws {
        let r = try route("select col from user where id = 1 or id = 2")
        #expect(r.variant == .in && r.vindex == "user_index" && values(r) == ["1", "2"])
        let q = try route("select id from user where (id = 5 and name ='foo') or (id = 12 and name = 'bar')")
        #expect(q.variant == .in && values(q) == ["5", "12"])
        let l = try route("select id from user where id in (18446744073709551616, 1)")
        #expect(l.variant == .in && values(l).count == 2)
    }

    @Test func rangesScatterAndNullComparisonsGoNowhere() throws {
        #expect(try route("select id from user where user.id > 5").variant == .scatter)
        #expect(try route("select id from user").variant == .scatter)
        #expect(try route("select id from user where someColumn = null").variant == .none)
        // The other side of a join condition is not a value.
        #expect(try route("select id from user where id = col").variant == .scatter)
    }

    @Test func aNonUniqueLookupGivesEqualAndLosesToTheHashVindex() throws {
        let r = try route("select id from user where name = 'abc'")
        #expect(r.variant == .equal && r.vindex == "name_user_map")
        let both = try route("select id from user where name = 'abc' and id = 3")
        #expect(both.variant == .equalUnique && both.vindex == "user_index")
    }
}
