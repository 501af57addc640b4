import Foundation
import Testing

/// `simrun fuzz`: seeds run in parallel give the runs `simrun run` gives; failing seeds come out as
/// scenario files that replay them exactly; shards split a range.
@Suite struct FuzzCommandTests {
    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("vtsim-fuzz-\(getpid())-\(name)")
    }

    static func results(_ file: URL) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
        return object?["runs"] as? [[String: Any]] ?? []
    }

    @Test func parallelSeedsGiveTheRunsOfSimrunRun() throws {
        let json = Self.temporary("runs.json")
        defer { try? FileManager.default.removeItem(at: json) }
        let result = try Simrun.run(["fuzz", "scenarios/kernel-swarm.yaml", "--seeds", "3..8", "--jobs", "2", "--json", json.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("6 as expected, 0 not"))
        let runs = try Self.results(json)
        #expect(runs.compactMap { $0["seed"] as? Int } == Array(3...8))
        for seed in [4, 7] {
            let alone = try Simrun.json(["run", "scenarios/kernel-swarm.yaml", "--seed", "\(seed)"])
            #expect(runs.first { $0["seed"] as? Int == seed }?["fingerprint"] as? String == alone["fingerprint"] as? String)
        }
    }

    @Test func aFailingSeedBecomesAFileThatReplaysIt() throws {
        let scenario = Self.temporary("mutant.yaml")
        let out = Self.temporary("out")
        let json = Self.temporary("mutant.json")
        let junit = Self.temporary("mutant.xml")
        defer { for url in [scenario, out, json, junit] { try? FileManager.default.removeItem(at: url) } }
        // A mutant echo answers wrongly: `delivery` fires though the file expects a pass.
        try """
            # A mutant nobody expected.
            name: wrong-reply
            duration: 2s
            processes:
              - {name: e, kind: echo, mutant: wrong_reply}
              - {name: p, kind: ping, target: e}
            """.write(to: scenario, atomically: true, encoding: .utf8)
        let result = try Simrun.run(["fuzz", scenario.path, "--seeds", "10..13", "--shard", "1/2", "--out", out.path,
                                     "--json", json.path, "--junit", junit.path])
        #expect(result.status == 1)
        // Shard 1 of 2 keeps every second seed from the second.
        let runs = try Self.results(json)
        #expect(runs.compactMap { $0["seed"] as? Int } == [11, 13])
        let replay = out.appendingPathComponent("wrong-reply-seed-13.yaml")
        #expect(result.stdout.contains("seed 13: violation: delivery (expected pass)  replay: simrun run \(replay.path)"))
        // Under it, why: the first violation's checker and message.
        #expect(result.stdout.contains("seed 13: violation: delivery (expected pass)  replay: simrun run \(replay.path)\n    delivery: "))
        let replayed = try Simrun.json(["run", replay.path])
        #expect(replayed["seed"] as? Int == 13)
        #expect(replayed["fingerprint"] as? String == runs.last?["fingerprint"] as? String)
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.contains("tests=\"2\" failures=\"2\"") && xml.contains("<failure message=\"violation: delivery (expected pass)\"/>"))
    }

    @Test func badRangesAndShardsAreRefused() throws {
        #expect(try Simrun.run(["fuzz", "scenarios/kernel-swarm.yaml", "--seeds", "8..3"]).status == 2)
        #expect(try Simrun.run(["fuzz", "scenarios/kernel-swarm.yaml", "--seeds", "1..3", "--shard", "2/2"]).status == 2)
        #expect(try Simrun.run(["fuzz", "scenarios/kernel-swarm.yaml", "--seeds", "1..3", "--jobs", "0"]).status == 2)
    }

    @Test func shardsMergeIntoOneSweep() throws {
        let files = (0..<2).map { Self.temporary("shard-\($0).json") }
        let merged = Self.temporary("merged.json")
        defer { for url in files + [merged] { try? FileManager.default.removeItem(at: url) } }
        for (i, file) in files.enumerated() {
            let result = try Simrun.run(["fuzz", "scenarios/kernel-swarm.yaml", "--seeds", "1..5", "--shard", "\(i)/2", "--jobs", "1", "--json", file.path])
            #expect(result.status == 0)
        }
        let result = try Simrun.run(["merge", files[0].path, files[1].path, "--json", merged.path])
        #expect(result.status == 0 && result.stdout.contains("merged 2 files: 5 seeds of kernel-swarm, 5 as expected, 0 not"), "\(result.stdout)")
        #expect(try Self.results(merged).compactMap { $0["seed"] as? Int } == [1, 2, 3, 4, 5])
        // The same shard twice is refused: its seeds would count twice.
        #expect(try Simrun.run(["merge", files[0].path, files[0].path]).status == 2)
    }
}
