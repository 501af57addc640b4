import Foundation
import Testing

/// Runs the built `simrun` binary as a separate process, as users and CI do.
enum Simrun {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `simrun` built beside this test binary.
    static var executable: URL {
        let here = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let beside = here.appendingPathComponent("simrun")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return root.appendingPathComponent(".build/debug/simrun")
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = root
        // Standard error goes to a file: reading two pipes one after the other would block for
        // ever once the unread one fills up.
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errFile) }
        let err = try FileHandle(forWritingTo: errFile)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try err.close()
        let stderr = (try? Data(contentsOf: errFile)) ?? Data()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try run(arguments + ["--json"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return object as? [String: Any] ?? [:]
    }
}

@Suite struct SimrunProcessTests {
    @Test func sameSeedInTwoProcessesGivesTheSameFingerprint() throws {
        for file in ["scenarios/kernel-smoke.yaml", "scenarios/kernel-swarm.yaml", "scenarios/primary-crash-ers.yaml", "scenarios/cluster-swarm.yaml",
                     "scenarios/gateway-scatter-during-failover.yaml", "scenarios/twopc-participant-crash-after-prepare.yaml",
                     "scenarios/twopc-mm-partition-during-startcommit.yaml", "scenarios/gateway-buffers-during-planned-reparent.yaml"] {
            let first = try Simrun.json(["run", file, "--seed", "11"])
            let second = try Simrun.json(["run", file, "--seed", "11"])
            let other = try Simrun.json(["run", file, "--seed", "12"])
            let fingerprint = try #require(first["fingerprint"] as? String)
            #expect(fingerprint.count == 16)
            #expect(second["fingerprint"] as? String == fingerprint)
            #expect(second["events"] as? Int == first["events"] as? Int)
            #expect(other["fingerprint"] as? String != fingerprint)
        }
    }

    @Test func jsonHasTheRequiredFields() throws {
        let object = try Simrun.json(["run", "scenarios/kernel-smoke.yaml"])
        #expect(object["verdict"] as? String == "pass")
        #expect(object["seed"] as? Int == 1)
        #expect((object["events"] as? Int ?? 0) > 100)
        #expect(object["virtual_time_ns"] as? Int == 20_000_000_000)
        #expect(object["replay"] as? String == "simrun run scenarios/kernel-smoke.yaml --seed 1")
    }

    @Test func textOutputNamesVerdictSeedFingerprintAndReplay() throws {
        let result = try Simrun.run(["run", "scenarios/kernel-smoke.yaml", "--seed", "4"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("verdict      pass (as expected)"))
        #expect(result.stdout.contains("seed         4"))
        #expect(result.stdout.contains("fingerprint  "))
        #expect(result.stdout.contains("replay       simrun run scenarios/kernel-smoke.yaml --seed 4"))
    }

    @Test func exitStatusFollowsTheExpectation() throws {
        // Expected violations found: 0.
        #expect(try Simrun.run(["run", "scenarios/kernel-stuck-partition.yaml"]).status == 0)
        // A violation nobody expected: 1.
        let text = """
            duration: 2s
            processes:
              - {name: e, kind: echo, mutant: wrong_reply}
              - {name: p, kind: ping, target: e}
            """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vtsim-unexpected-\(getpid()).yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Simrun.run(["run", file.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("violation of delivery"))
    }

    @Test func malformedFileExitsTwoWithItsPlace() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vtsim-bad-\(getpid()).yaml")
        try "duration: 5s\nprocesses:\n  - {name: e, kind: echo, colour: red}\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Simrun.run(["run", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file.path):3:27: error: unknown field 'colour'"), "\(result.stderr)")
    }

    @Test func badFlagsAndMissingFilesExitTwo() throws {
        #expect(try Simrun.run(["run", "scenarios/kernel-smoke.yaml", "--seed", "minus-one"]).status == 2)
        #expect(try Simrun.run(["run", "no-such-file.yaml"]).status == 2)
        #expect(try Simrun.run(["explode"]).status == 2)
        #expect(try Simrun.run(["run"]).status == 2)
    }

    @Test func helpAndVersion() throws {
        let version = try Simrun.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("vtsim "))
        let help = try Simrun.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("run"))
        #expect(help.stdout.contains("bench"))
    }

    @Test func traceFileHoldsOneJSONObjectPerEvent() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vtsim-trace-\(getpid()).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        let object = try Simrun.json(["run", "scenarios/kernel-smoke.yaml", "--trace", file.path])
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= object["events"] as? Int ?? .max)
        for line in lines.prefix(200) {
            let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(event?["t"] is Int)
            #expect(event?["kind"] is String)
        }
        #expect(lines.contains { $0.contains(#""kind":"partition""#) })
    }

    @Test func benchTransactionsPrintsItsFigures() throws {
        let result = try Simrun.run(["bench", "transactions", "--clients", "2", "--transfers", "5"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("MULTI   committed 10, failed 0") && result.stdout.contains("TWOPC   committed 10, failed 0"), "\(result.stdout)")
        #expect(result.stdout.contains("TWOPC / MULTI: commit p50"))
    }

    @Test func benchKernelPrintsItsFigures() throws {
        let result = try Simrun.run(["bench", "kernel", "--events", "20000", "--repetitions", "1"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("M events/s"))
        #expect(result.stdout.contains("ratio"))
    }

    @Test func benchElleChecksACleanHistory() throws {
        let result = try Simrun.run(["bench", "elle", "--transactions", "20000", "--repetitions", "1"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("transactions/s") && result.stdout.contains(", 0 anomalies"), "\(result.stdout)")
    }

    @Test func benchBankMeasuresPacedAndSaturatingLoad() throws {
        let result = try Simrun.run(["bench", "bank", "--seconds", "4"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("paced: 4 clients, 500ms between transactions") && $0.hasSuffix("money conserved") }, "\(result.stdout)")
        #expect(lines.contains { $0.hasPrefix("saturating: 6 clients") && $0.hasSuffix("money conserved") && !$0.contains(" 0.0 2PC commits") },
                "\(result.stdout)")
    }

    @Test func benchClusterAnswersItsQueries() throws {
        let result = try Simrun.run(["bench", "cluster", "--shards", "4", "--queries", "2000", "--clients", "8", "--gateways", "1"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("cluster benchmark: 4 shards") && result.stdout.contains("peak memory"), "\(result.stdout)")
    }
}
