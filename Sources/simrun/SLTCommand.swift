import ArgumentParser
import Foundation
import Scenarios

/// `simrun slt FILE...`: runs sqllogictest files through a sharded cluster (or one node).
struct SLTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slt",
        abstract: "Run sqllogictest files as engine 'mysql' through a sharded keyspace behind the gateway.",
        discussion: """
            Each table is sharded by hash on its first column (a reference table where the file \
            writes rows that column cannot place). --shards 0 runs the same files on one \
            unsharded node: the ceiling. Ends with 'N passed, N failed, N skipped'; failed records \
            are split into wrong results, unsupported constructs and other errors. Exit status 1 \
            when any result is wrong.
            """)

    @Argument(help: "sqllogictest files, or folders to search for *.test files.")
    var paths: [String]

    @Option(help: "Shards of the keyspace; 0 for one unsharded node.")
    var shards = 4

    @Option(help: "Write the totals and the failures kept per file as JSON to this file.")
    var json: String?

    @Option(help: "Failures of each kind listed per file.")
    var show = 3

    @Option(help: "List the records that take longer than this many seconds (wall clock).")
    var slow: Double?

    func validate() throws {
        guard shards >= 0 && shards <= 256 else { throw ValidationError("--shards must be between 0 and 256") }
    }

    func files() throws -> [String] {
        var found: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ScenarioError(at: SourceLocation(file: path, line: 0, column: 0), "no such file or folder")
            }
            if isDirectory.boolValue {
                let walker = FileManager.default.enumerator(atPath: path)
                while let entry = walker?.nextObject() as? String {
                    if entry.hasSuffix(".test") { found.append((path as NSString).appendingPathComponent(entry)) }
                }
            } else {
                found.append(path)
            }
        }
        return found.sorted()
    }

    func run() throws {
        var total = SQLLogicTestTally()
        var runner = SQLLogicTestRunner()
        runner.keptFailures = max(show, 20)
        if let slow {
            // Wall-clock timing of records, outside any simulated run.
            let clock = ContinuousClock()
            var started = clock.now
            runner.observe = { record, before in
                if before { started = clock.now; return }
                let elapsed = clock.now - started
                if elapsed > .milliseconds(Int64(slow * 1000)) {
                    say("  slow: line \(record.line) took \(elapsed): \(record.sql.replacingOccurrences(of: "\n", with: " ").prefix(200))")
                }
            }
        }
        for path in try files() {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let file = try SQLLogicTestFile(path: path, text: text)
            let target: any SQLTarget = shards == 0
                ? try StandaloneTarget()
                : try ShardedTarget(shards: shards, shardable: ShardedTarget.shardableTables(in: file))
            let tally = runner.run(file, on: target)
            total.merge(tally)
            say("\(path): \(tally.passed) passed, \(tally.wrong) wrong, \(tally.unsupported) unsupported, \(tally.error) errors, \(tally.skipped) skipped")
            for kind in [SQLLogicTestOutcome.wrong, .unsupported, .error] {
                for failure in tally.failures.filter({ $0.outcome == kind }).prefix(show) {
                    let sql = failure.sql.replacingOccurrences(of: "\n", with: " ")
                    say("  \(kind.rawValue) at line \(failure.line): \(sql.prefix(160))")
                    say("    \(failure.detail.prefix(200))")
                }
            }
        }
        let rate = total.executed == 0 ? 0 : Double(total.passed) * 100 / Double(total.executed)
        say("wrong \(total.wrong), unsupported \(total.unsupported), errors \(total.error); pass rate \(fixed(rate, 2))% of \(total.executed) executed (\(shards == 0 ? "one node" : "\(shards) shards"))")
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(total).write(to: URL(fileURLWithPath: json))
        }
        say("\(total.passed) passed, \(total.failed) failed, \(total.skipped) skipped")
        if total.wrong > 0 { throw ExitCode(1) }
    }
}

/// Writes a line to standard output at once (progress over long runs is not held in a buffer).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
