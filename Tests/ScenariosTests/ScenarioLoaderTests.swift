import Scenarios
import SimCore
import Testing

@Suite struct ScenarioLoaderTests {
    static let minimal = """
        duration: 5s
        processes:
          - {name: echo-1, kind: echo}
          - {name: ping-1, kind: ping, target: echo-1}
        """

    func error(_ text: String) -> ScenarioError? { loaderError(text) }

    @Test func loadsAMinimalScenarioWithDefaults() throws {
        let scenario = try ScenarioLoader.parse(Self.minimal, file: "dir/minimal.yaml")
        #expect(scenario.name == "minimal")
        #expect(scenario.seed == 1)
        #expect(scenario.duration == .seconds(5))
        #expect(scenario.healAt == .seconds(4))
        #expect(scenario.expect == .pass)
        guard case .kernel(let processes) = scenario.system else { Issue.record("not a kernel system"); return }
        #expect(processes.map(\.name) == ["echo-1", "ping-1"])
        #expect(processes[1].target == "echo-1")
        #expect(scenario.network.defaultLink == .reliable)
    }

    @Test func readsEveryFaultForm() throws {
        let scenario = try ScenarioLoader.parse(Self.minimal + """

            heal: 4s
            faults:
              - {at: 1s, partition: {name: p, a: [echo-1], b: [ping-1], one_way: true}}
              - {at: 1s, heal: p}
              - {at: 1s, heal: all}
              - {at: 2s, crash: echo-1}
              - {at: 2s, crash: {process: echo-1, lose_unsynced: 3}}
              - {at: 2s, restart: echo-1}
              - {at: 2s, pause: ping-1}
              - {at: 2s, resume: ping-1}
              - {at: 3s, clog: {process: echo-1, delay: 250ms}}
              - {at: 3s, unclog: echo-1}
              - {at: 3s, degrade: {process: echo-1, drop: 0.5, reorder: 0.1}}
              - {at: 3s, restore: echo-1}
              - {at: 3s, partition: {a: [echo-1], b: [ping-1]}, permanent: true}
            """, file: "s.yaml")
        #expect(scenario.faults.map(\.action) == ([
            .partition(name: "p", sideA: ["echo-1"], sideB: ["ping-1"], oneWay: true), .heal(name: "p"), .heal(name: nil),
            .crash("echo-1", losingUnsynced: 0), .crash("echo-1", losingUnsynced: 3), .restart("echo-1"),
            .pause("ping-1"), .resume("ping-1"), .clog("echo-1", extraDelay: .milliseconds(250)), .unclog("echo-1"),
            .degrade("echo-1", drop: 0.5, duplicate: 0, reorder: 0.1), .restore("echo-1"),
            .partition(name: "permanent-13", sideA: ["echo-1"], sideB: ["ping-1"], oneWay: false),
        ] as [FaultAction<String>]).map { ScenarioAction.fault($0) })
        #expect(scenario.faults.last?.permanent == true)
        #expect(scenario.faults[3].location == SourceLocation(file: "s.yaml", line: 10, column: 5))
    }

    @Test(arguments: [
        ("duration: 5s\nprocesses:\n  - {name: e, kind: echo}\nbogus: 1\n", 4, 1, "unknown field 'bogus'"),
        ("duration: 5s\nprocesses:\n  - {name: e, kind: echo}\nseeds: 1\n", 4, 1, "did you mean 'seed'?"),
        ("duration: five\nprocesses: []\n", 1, 11, "'duration' must be a duration"),
        ("processes:\n  - {name: e, kind: echo}\n", 1, 1, "needs the field 'duration'"),
        ("duration: 5s\n", 1, 1, "needs 'processes' or 'cluster'"),
        ("duration: 5s\nprocesses:\n  - {name: e, kind: echo}\n  - {name: e, kind: echo}\n", 4, 12, "two processes are called 'e'"),
        ("duration: 5s\nprocesses:\n  - {name: e, kind: robot}\n", 3, 21, "unknown process kind 'robot'"),
        ("duration: 5s\nprocesses:\n  - {name: p, kind: ping, target: q}\n", 3, 35, "'q' is not a process"),
        ("duration: 5s\nprocesses:\n  - {name: p, kind: ping}\n", 3, 5, "needs the field 'target'"),
        ("duration: 5s\nprocesses:\n  - {name: e, kind: echo}\nfaults:\n  - {at: 9s, crash: e}\n", 5, 10, "after the end of the run"),
        ("duration: 5s\nheal: 2s\nprocesses:\n  - {name: e, kind: echo}\nfaults:\n  - {at: 3s, crash: e}\n", 6, 10, "comes after the heal"),
        ("duration: 5s\nprocesses:\n  - {name: e, kind: echo}\nfaults:\n  - {at: 1s}\n", 5, 5, "exactly one of"),
        ("duration: 5s\nprocesses:\n  - {name: e, kind: echo}\nfaults:\n  - {at: 1s, crash: e, pause: e}\n", 5, 5, "exactly one of"),
        ("duration: 5s\nprocesses:\n  - {name: e, kind: echo}\nnetwork: {drop: 1.5}\n", 4, 17, "probability"),
        ("duration: 5s\nprocesses:\n  - {name: e, kind: echo}\nnetwork: {latency: 5ms..1ms}\n", 4, 20, "latency"),
        ("duration: 5s\nprocesses:\n  - {name: e, kind: echo}\nchecks: [delivry]\n", 4, 10, "did you mean 'delivery'?"),
        ("duration: 5s\nprocesses:\n  - {name: e, kind: echo}\nchecks: [durability]\n", 4, 10, "checks of this system: delivery, liveness"),
        ("duration: 5s\nprocesses:\n  - {name: e, kind: echo}\nexpect: maybe\n", 4, 9, "'expect' must be"),
        ("duration: 5s\nprocesses:\n  - {name: e, kind: echo}\nexpect: 'violation: nonsense'\n", 4, 9, "unknown checker 'nonsense'"),
        ("duration: 5s\nprocesses:\n  - {name: e, kind: echo}\nrandom_faults: {kinds: {meteor: {every: 1s, lasting: 1s}}}\n", 4, 25, "unknown field 'meteor'"),
        ("duration: 5s\nprocesses:\n  - {name: e, kind: echo}\nrandom_faults: {swarm: [crash, flood]}\n", 4, 32, "unknown fault kind 'flood'"),
        ("duration: 5s\nprocesses:\n  - {name: e, kind: echo}\nfaults:\n  - {at: 1s, restart: e, permanent: true}\n", 5, 37, "can be permanent"),
        ("duration: 5s\nprocesses: [\n", 3, 1, "malformed YAML"),
        ("duration: 5s\nduration: 6s\nprocesses: []\n", 1, 1, "has the key 'duration' twice"),
        ("", 1, 1, "empty"),
    ])
    func badFilesNameTheirPlace(text: String, line: Int, column: Int, message: String) {
        let error = error(text)
        #expect(error != nil, "accepted: \(text)")
        guard let error else { return }
        #expect(error.location?.line == line && error.location?.column == column, "\(error)")
        #expect(error.message.contains(message), "\(error)")
        #expect(error.description.hasPrefix("s.yaml:\(line):\(column): error: "))
    }

    @Test func missingFileIsReported() {
        #expect(throws: ScenarioError(file: "/no/such/file.yaml", "no such file")) {
            try ScenarioLoader.load(path: "/no/such/file.yaml")
        }
    }
}
