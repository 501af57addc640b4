import ArgumentParser
import Dispatch
import Foundation
import Scenarios
import SimCore
import Synchronization

/// `simrun fuzz FILE --seeds A..B`: runs a scenario over many seeds (each seed draws its own random
/// faults, and a swarm scenario its own fault mix), in parallel across seeds, and reports every
/// seed whose verdict is not the expected one with a scenario file that replays it exactly.
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Run a scenario over a range of seeds; write a replayable scenario file for each failing seed.",
        discussion: """
            Each seed is an independent run; --jobs runs that many at once (runs never share \
            state). --shard i/n keeps every n-th seed of the range from the i-th (0-based), so \
            that machines can split one sweep. Exit status 1 when any seed's verdict differs from \
            the expected one.
            """)

    @Argument(help: "The scenario file (YAML); leave it out with --profile.")
    var file: String?

    @Option(help: "Instead of a file, swarm over whole scenarios: each seed draws its cluster shape, workloads, transaction mode and faults (ci or deep).")
    var profile: SwarmProfile?

    @Option(help: "Start no new seed after this many seconds of wall time.")
    var timeLimit: Double?

    @Option(help: "The standalone database of the oracle check: sqlite, mariadb or socket:PATH.")
    var oracle: OracleOption?

    @Option(help: "The seeds, inclusive: A..B.")
    var seeds: SeedRange

    @Option(help: "Runs at once (default: the machine's cores).")
    var jobs: Int?

    @Option(help: "This job's part of the seeds: i/n.")
    var shard: FuzzShard = FuzzShard(index: 0, count: 1)

    @Option(help: "Where to write a scenario file for each failing seed.")
    var out: String = "fuzz-failures"

    @Option(help: "Write the results as JSON to this file.")
    var json: String?

    @Option(help: "Write the results as JUnit XML to this file.")
    var junit: String?

    @Option(help: "Shrink the first N failing seeds' scenarios (0: none).")
    var shrink = 3

    @Option(help: "Seconds of wall time each shrink may take.")
    var shrinkTime = 60.0

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if (file == nil) == (profile == nil) { throw ValidationError("give a scenario file or --profile, not both") }
    }

    func run() throws {
        // Each seed's scenario: the file's, or the one the swarm profile draws for it.
        let fileScenario = try file.map { try ScenarioLoader.load(path: $0) }
        let fileText = try file.map { try String(contentsOfFile: $0, encoding: .utf8) }
        let name = fileScenario?.name ?? "swarm-\(profile!.rawValue)"
        let mine = seeds.values.enumerated().filter { $0.offset % shard.count == shard.index }.map(\.element)
        let workers = min(max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount), max(1, mine.count))
        let started = Date()
        let deadline = timeLimit.map { started.addingTimeInterval($0) }
        let progress = FuzzProgress(total: mine.count, live: isatty(1) != 0)
        let profile = self.profile
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while deadline.map({ Date() < $0 }) ?? true, let (index, seed) = progress.next(mine) {
                var scenario: Scenario
                if let fileScenario {
                    scenario = fileScenario
                } else {
                    do {
                        scenario = try ScenarioLoader.parse(profile!.scenario(seed: seed), file: "swarm-\(profile!.rawValue)-\(seed).yaml")
                    } catch {
                        preconditionFailure("the swarm profile wrote a scenario its own loader refuses (seed \(seed)): \(error)")
                    }
                }
                if let oracle { scenario.oracle = oracle.choice }
                let report = ScenarioRunner.run(scenario, seed: seed, sink: nil)
                progress.finished(index, FuzzResult(report))
            }
        }
        progress.end()
        let results = progress.results
        let seconds = Date().timeIntervalSince(started)
        var failures: [(FuzzResult, String)] = []
        for result in results where !result.asExpected {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let path = (out as NSString).appendingPathComponent("\(name)-seed-\(result.seed).yaml")
            let text = fileText.map { Self.withSeed($0, result.seed) } ?? profile!.scenario(seed: result.seed)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            failures.append((result, path))
        }
        let skipped = mine.count - results.count
        if skipped > 0 { print("time limit: \(skipped) seeds not started") }
        print("fuzz \(name): \(results.count) seeds (\(seeds)\(shard.count > 1 ? ", shard \(shard)" : "")) in \(fixed(seconds, 1)) s, "
              + "\(fixed(Double(results.count) / max(seconds, 1e-9), 1)) seeds/s with \(workers) jobs")
        print("\(results.count - failures.count) as expected, \(failures.count) not")
        for (result, path) in failures {
            print("  seed \(result.seed): \(result.verdict) (expected \(result.expected))  replay: simrun run \(shellQuoted(path))")
            if let first = result.firstViolation { print("    \(first.prefix(300))") }
        }
        // Each failure's smallest form, as `simrun shrink` makes it (violations only: a seed that
        // passed where a violation was expected has nothing to shrink).
        for (result, path) in failures.filter({ $0.0.isViolation }).prefix(shrink) {
            var shrinker = ScenarioShrinker(path: path, seed: result.seed)
            shrinker.timeLimit = shrinkTime
            let written = try String(contentsOfFile: path, encoding: .utf8)
            guard let shrunk = try? shrinker.shrink(text: written) else { continue }
            let target = String(path.dropLast(5)) + "-shrunk.yaml"
            try shrunk.text.write(toFile: target, atomically: true, encoding: .utf8)
            print("  seed \(result.seed) shrunk: \(shrunk.checker) with \(shrunk.faults) of \(shrunk.originalFaults) faults, \(shrunk.steps.count) reductions  "
                  + "replay: simrun run \(shellQuoted(target))")
        }
        if let json { try Self.json(results, scenario: name, failures: failures, seconds: seconds).write(toFile: json, atomically: true, encoding: .utf8) }
        if let junit { try Self.junit(results, scenario: name, seconds: seconds).write(toFile: junit, atomically: true, encoding: .utf8) }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    /// The scenario text with its `seed:` line set to `seed` (added when it has none), so that the
    /// file replays this run.
    static func withSeed(_ text: String, _ seed: UInt64) -> String {
        var lines = text.components(separatedBy: "\n")
        if let i = lines.firstIndex(where: { $0.hasPrefix("seed:") }) {
            lines[i] = "seed: \(seed)"
        } else {
            let at = lines.firstIndex { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? 0
            lines.insert("seed: \(seed)", at: at)
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ results: [FuzzResult], scenario: String, failures: [(FuzzResult, String)], seconds: Double) -> String {
        var object = JSONObject()
        object.add("scenario", scenario)
        object.add("seeds", results.count)
        object.add("as_expected", results.filter(\.asExpected).count)
        object.add("seconds", seconds)
        let runs = results.map { r -> String in
            var item = JSONObject()
            item.add("seed", r.seed)
            item.add("verdict", r.verdict)
            item.add("expected", r.expected)
            item.add("as_expected", r.asExpected)
            item.add("fingerprint", r.fingerprint)
            item.add("events", r.events)
            if let path = failures.first(where: { $0.0.seed == r.seed })?.1 { item.add("replay", "simrun run \(shellQuoted(path))") }
            return item.text
        }
        object.add("runs", json: "[" + runs.joined(separator: ",") + "]")
        return object.text + "\n"
    }

    static func junit(_ results: [FuzzResult], scenario: String, seconds: Double) -> String {
        func escaped(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                     "<testsuite name=\"\(escaped(scenario))\" tests=\"\(results.count)\" failures=\"\(results.filter { !$0.asExpected }.count)\" time=\"\(fixed(seconds, 3))\">"]
        for r in results {
            lines.append("  <testcase classname=\"\(escaped(scenario))\" name=\"seed \(r.seed)\">")
            if !r.asExpected {
                lines.append("    <failure message=\"\(escaped("\(r.verdict) (expected \(r.expected))"))\"/>")
            }
            lines.append("  </testcase>")
        }
        lines.append("</testsuite>")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// What the fuzzer keeps of one seed's run.
struct FuzzResult: Sendable {
    let seed: UInt64
    let verdict: String
    let expected: String
    let asExpected: Bool
    /// Whether an invariant broke (rather than a violation expected and not found).
    let isViolation: Bool
    let fingerprint: String
    let events: Int
    /// The first violation's checker and message, so that a failed sweep says why.
    let firstViolation: String?

    init(_ report: RunReport) {
        seed = report.seed
        isViolation = !report.verdict.violations.isEmpty
        verdict = report.verdict.description
        expected = report.expected.description
        asExpected = report.asExpected
        fingerprint = formatFingerprint(report.fingerprint)
        events = report.events
        firstViolation = report.verdict.violations.first.map { "\($0.checker): \($0.message)" }
    }
}

/// The seeds still to run and the results so far, shared by the workers; prints progress.
final class FuzzProgress: Sendable {
    struct State {
        var next = 0
        var results: [Int: FuzzResult] = [:]
        var failures = 0
    }

    let total: Int
    let live: Bool
    let state = Mutex(State())

    init(total: Int, live: Bool) {
        self.total = total
        self.live = live
    }

    func next(_ seeds: [UInt64]) -> (Int, UInt64)? {
        state.withLock { s in
            guard s.next < seeds.count else { return nil }
            defer { s.next += 1 }
            return (s.next, seeds[s.next])
        }
    }

    func finished(_ index: Int, _ result: FuzzResult) {
        let (done, failures) = state.withLock { s in
            s.results[index] = result
            if !result.asExpected { s.failures += 1 }
            return (s.results.count, s.failures)
        }
        // A bar on a terminal; otherwise a line at every tenth of the way.
        if live {
            let width = 30
            let filled = done * width / max(total, 1)
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) seeds, \(failures) not as expected".utf8))
        } else if done == total || done % max(1, total / 10) == 0 {
            FileHandle.standardError.write(Data("\(done)/\(total) seeds, \(failures) not as expected\n".utf8))
        }
    }

    func end() {
        if live { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// The results in seed order.
    var results: [FuzzResult] {
        state.withLock { s in s.results.keys.sorted().map { s.results[$0]! } }
    }
}

extension SwarmProfile: ExpressibleByArgument {}

/// `A..B`: an inclusive range of seeds.
struct SeedRange: ExpressibleByArgument, CustomStringConvertible {
    let first: UInt64
    let last: UInt64

    init?(argument: String) {
        let parts = argument.components(separatedBy: "..")
        guard parts.count == 2, let a = UInt64(parts[0]), let b = UInt64(parts[1]), a <= b else { return nil }
        first = a
        last = b
    }

    var values: [UInt64] { Array(first...last) }
    var description: String { "\(first)..\(last)" }
}

/// `i/n`: the i-th (0-based) of n parts.
struct FuzzShard: ExpressibleByArgument, CustomStringConvertible {
    let index: Int
    let count: Int

    init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    init?(argument: String) {
        let parts = argument.components(separatedBy: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n > 0, i >= 0, i < n else { return nil }
        index = i
        count = n
    }

    var description: String { "\(index)/\(count)" }
}
