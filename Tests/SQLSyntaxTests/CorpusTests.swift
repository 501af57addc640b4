import Foundation
import Scenarios
import SQLSyntax
import Testing

/// The parser against real statements: SQLite's sqllogictest files (as MySQL runs them) and the
/// Vitess planner and vtexplain corpora, read in place from shared/conformance.
enum Corpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let conformance = root.deletingLastPathComponent().appendingPathComponent("shared/conformance")

    static func files(under folder: String, suffix: String) -> [URL] {
        let base = conformance.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.path.hasSuffix(suffix) }.sorted { $0.path < $1.path }
    }

    /// Every statement the MySQL engine runs in the sqllogictest files.
    static func sqlLogicTestStatements() throws -> [(where: String, sql: String)] {
        var result: [(String, String)] = []
        for url in files(under: "sqllogictest", suffix: ".test") {
            let file = try SQLLogicTestFile(path: url.path, text: String(contentsOf: url, encoding: .utf8))
            for record in file.records where record.applies(to: "mysql") {
                if record.kind == .halt { break }
                switch record.kind {
                case .statement(let expectsError) where !expectsError: result.append(("\(url.lastPathComponent):\(record.line)", record.sql))
                case .query: result.append(("\(url.lastPathComponent):\(record.line)", record.sql))
                default: break
                }
            }
        }
        return result
    }

    /// The `query` of every Vitess planner case that is not an expected error, and every
    /// statement of the vtexplain inputs.
    static func vitessStatements() throws -> [(where: String, sql: String)] {
        var result: [(String, String)] = []
        for url in files(under: "vitess/planbuilder", suffix: "_cases.json") {
            let cases = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]] ?? []
            for (i, c) in cases.enumerated() where !(c["plan"] is String) {
                if let query = c["query"] as? String { result.append(("\(url.lastPathComponent)#\(i)", query)) }
            }
        }
        for url in files(under: "vitess/vtexplain", suffix: "-queries.sql") {
            for (i, sql) in try SQLScript.statements(String(contentsOf: url, encoding: .utf8)).enumerated() {
                result.append(("\(url.lastPathComponent)#\(i)", sql))
            }
        }
        return result
    }
}

@Suite struct CorpusTests {
    /// Every sqllogictest statement MySQL runs parses, and its printed form parses back to the same tree.
    @Test func sqlLogicTestStatementsParseAndRoundTrip() throws {
        let statements = try Corpus.sqlLogicTestStatements()
        #expect(statements.count > 50_000)
        var failures: [String] = []
        for (place, sql) in statements {
            do {
                let statement = try SQLParser.parse(sql)
                let printed = SQLPrinter().print(statement)
                let again = try SQLParser.parse(printed)
                if again != statement { failures.append("\(place): round trip changed the tree: \(sql) => \(printed)") }
            } catch {
                failures.append("\(place): \(error): \(sql)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(15).joined(separator: "\n"))")
    }

    /// The Vitess corpora parse, except statements whose constructs are refused by name.
    @Test func vitessStatementsParseOrAreRefusedByName() throws {
        let statements = try Corpus.vitessStatements()
        #expect(statements.count > 500)
        var failures: [String] = []
        var refused = 0
        for (place, sql) in statements {
            do {
                let statement = try SQLParser.parse(sql)
                let printed = SQLPrinter().print(statement)
                if try SQLParser.parse(printed) != statement { failures.append("\(place): round trip: \(sql) => \(printed)") }
            } catch {
                if error.unsupported { refused += 1 } else { failures.append("\(place): \(error): \(sql)") }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures (\(refused) refused), first: \(failures.prefix(25).joined(separator: "\n"))")
    }
}
