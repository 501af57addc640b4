import Foundation
import Testing

/// CI's fuzz step: a few hundred seeds of the swarm profile `ci` must all hold every invariant,
/// and a sample of them, run again in another process, must give the same fingerprints.
@Suite struct CIFuzzTests {
    @Test func ciProfileSeedsPassAndReplayInAnotherProcess() throws {
        let all = FuzzCommandTests.temporary("ci-all.json")
        let sample = FuzzCommandTests.temporary("ci-sample.json")
        let out = FuzzCommandTests.temporary("ci-failures")
        defer { for url in [all, sample, out] { try? FileManager.default.removeItem(at: url) } }
        let sweep = try Simrun.run(["fuzz", "--profile", "ci", "--seeds", "1..300", "--jobs", "2", "--json", all.path, "--out", out.path])
        #expect(sweep.status == 0, "\(sweep.stdout.suffix(2_000))")
        #expect(sweep.stdout.contains("300 as expected, 0 not"))
        // Every tenth seed again, alone, in a second process.
        let again = try Simrun.run(["fuzz", "--profile", "ci", "--seeds", "1..300", "--shard", "4/10", "--jobs", "1", "--json", sample.path])
        #expect(again.status == 0)
        let first = Dictionary(uniqueKeysWithValues: try FuzzCommandTests.results(all).compactMap { run in
            (run["seed"] as? Int).map { ($0, run["fingerprint"] as? String ?? "") }
        })
        let second = try FuzzCommandTests.results(sample)
        #expect(second.count == 30)
        for run in second {
            let seed = run["seed"] as? Int ?? -1
            #expect(run["fingerprint"] as? String == first[seed], "seed \(seed) ran differently in another process")
        }
    }
}

/// CI's MariaDB oracle seeds: list-append, random CRUD and bank runs whose committed work,
/// replayed into a real MariaDB that simrun starts, answers every committed read as the cluster did.
@Suite struct MariaDBOracleSeedsTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/mariadbd")))
    func listAppendSeedsAgreeWithMariaDB() throws {
        let json = FuzzCommandTests.temporary("mariadb.json")
        defer { try? FileManager.default.removeItem(at: json) }
        let result = try Simrun.run(["fuzz", "scenarios/list-append-twopc-partitions.yaml", "--seeds", "1..4", "--jobs", "2",
                                     "--oracle", "mariadb", "--json", json.path, "--shrink", "0"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr.suffix(1_000))")
        #expect(try FuzzCommandTests.results(json).count == 4)
    }

    /// Random CRUD and bank histories replayed in commit order into a real MariaDB: every
    /// locking read and the final tables agree with the cluster.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/mariadbd")),
          arguments: ["crud-random-faults", "bank-random-faults"])
    func commitOrderSeedsAgreeWithMariaDB(scenario: String) throws {
        let json = FuzzCommandTests.temporary("mariadb-\(scenario).json")
        defer { try? FileManager.default.removeItem(at: json) }
        let result = try Simrun.run(["fuzz", "scenarios/\(scenario).yaml", "--seeds", "1..2", "--jobs", "2",
                                     "--oracle", "mariadb", "--json", json.path, "--shrink", "0"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr.suffix(1_000))")
        #expect(try FuzzCommandTests.results(json).count == 2)
    }
}
