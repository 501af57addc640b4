import ArgumentParser
import Foundation
import SimCore

/// `simrun merge A.json B.json ...`: combines the JSON results of `simrun fuzz` shards (a sweep
/// split over machines with `--shard i/n`) into one summary.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the --json results of fuzz shards into one summary; exit 1 if any seed was not as expected.")

    @Argument(help: "The JSON files `simrun fuzz --json` wrote.")
    var files: [String]

    @Option(help: "Write the combined results as JSON to this file.")
    var json: String?

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one results file") }
    }

    func run() throws {
        var scenario: String?
        var runs: [[String: Any]] = []
        var seconds = 0.0
        for file in files {
            guard let data = FileManager.default.contents(atPath: file),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let name = object["scenario"] as? String, let items = object["runs"] as? [[String: Any]] else {
                throw ValidationError("\(file): not the JSON results of simrun fuzz")
            }
            if let scenario, scenario != name { throw ValidationError("\(file): results of \(name), the others are of \(scenario)") }
            scenario = name
            runs += items
            seconds = max(seconds, object["seconds"] as? Double ?? 0)
        }
        runs.sort { ($0["seed"] as? Int ?? 0) < ($1["seed"] as? Int ?? 0) }
        let seeds = runs.compactMap { $0["seed"] as? Int }
        if let duplicate = zip(seeds, seeds.dropFirst()).first(where: { $0 == $1 })?.0 {
            throw ValidationError("seed \(duplicate) appears in more than one file")
        }
        let failed = runs.filter { ($0["as_expected"] as? Bool) == false }
        print("merged \(files.count) files: \(runs.count) seeds of \(scenario ?? "?"), \(runs.count - failed.count) as expected, \(failed.count) not")
        for run in failed {
            print("  seed \(run["seed"] as? Int ?? 0): \(run["verdict"] as? String ?? "?") (expected \(run["expected"] as? String ?? "?"))"
                  + ((run["replay"] as? String).map { "  replay: \($0)" } ?? ""))
        }
        if let json {
            var object = JSONObject()
            object.add("scenario", scenario ?? "")
            object.add("seeds", runs.count)
            object.add("as_expected", runs.count - failed.count)
            object.add("seconds", seconds)
            let data = try JSONSerialization.data(withJSONObject: runs, options: [.sortedKeys])
            object.add("runs", json: String(decoding: data, as: UTF8.self))
            try (object.text + "\n").write(toFile: json, atomically: true, encoding: .utf8)
        }
        if !failed.isEmpty { throw ExitCode(1) }
    }
}
