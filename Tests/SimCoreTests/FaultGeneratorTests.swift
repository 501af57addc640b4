import SimCore
import Testing

@Suite struct FaultGeneratorTests {
    func system(seed: UInt64, mix: FaultMix, stop: Int64 = 20) -> (Simulation<TestMessage>, FaultGenerator<TestMessage>, [ProcessID]) {
        let simulation = makeSimulation(seed: seed, link: LinkConfig(latency: .fixed(.milliseconds(1))))
        var ids: [ProcessID] = []
        for i in 0..<5 {
            ids.append(simulation.addProcess(named: "n\(i)", durable: Counter()) { CountingProcess(durable: $0, log: Log()) })
        }
        let client = simulation.addProcess(named: "client") { Recorder(log: Log()) }
        _ = client
        let generator = FaultGenerator(simulation: simulation, mix: mix, targets: ids, start: .zero,
                                       stop: SimTime(nanoseconds: stop * 1_000_000_000))
        generator.install()
        return (simulation, generator, ids)
    }

    static var everything: FaultMix {
        FaultMix(FaultKind.allCases.map {
            ($0, FaultRate(meanInterval: .milliseconds(300), minDuration: .milliseconds(50), maxDuration: .seconds(1)))
        })
    }

    @Test func everyKindStrikesOnlyTargetsAndEverythingHealsAtTheStop() {
        let (simulation, generator, ids) = system(seed: 3, mix: Self.everything)
        simulation.run(until: SimTime(nanoseconds: 25_000_000_000))
        let kinds = Set(generator.injections.map(\.kind))
        #expect(kinds == Set(FaultKind.allCases.map(\.rawValue)))
        for injection in generator.injections {
            for target in injection.fault?.targets ?? [] { #expect(ids.contains(target)) }
            #expect(injection.time < SimTime(nanoseconds: 20_000_000_000))
        }
        for id in ids {
            #expect(simulation.status(of: id) == .running)
            #expect(simulation.network.perturbation(of: id).isNone)
        }
        #expect(simulation.network.partitions.isEmpty)
        #expect(simulation.recentEvents.contains { $0.detail == "faults stopped" })
    }

    @Test func aTargetHasAtMostOneLifecycleFaultAtATime() {
        let (simulation, generator, ids) = system(seed: 4, mix: Self.everything)
        simulation.run(until: SimTime(nanoseconds: 25_000_000_000))
        for id in ids {
            let downs = generator.injections.filter {
                guard let fault = $0.fault, fault.subject == id else { return false }
                if case .crash = fault { return true }
                if case .pause = fault { return true }
                return false
            }.sorted { $0.time < $1.time }
            for (earlier, later) in zip(downs, downs.dropFirst()) { #expect(earlier.healedAt <= later.time) }
        }
    }

    @Test func sameSeedSameFaultsDifferentSeedDifferent() {
        let (s1, g1, _) = system(seed: 8, mix: Self.everything)
        s1.run()
        let (s2, g2, _) = system(seed: 8, mix: Self.everything)
        s2.run()
        #expect(g1.injections == g2.injections)
        #expect(s1.fingerprint == s2.fingerprint)
        let (s3, g3, _) = system(seed: 9, mix: Self.everything)
        s3.run()
        #expect(g3.injections != g1.injections)
    }

    @Test func swarmSwitchesKindsOnAndOffPerSeed() {
        var mixes: [FaultMix] = []
        for seed in 0..<40 as Range<UInt64> {
            var random = RandomStreams(rootSeed: seed).stream("swarm")
            mixes.append(FaultMix.swarm(&random))
        }
        let sizes = mixes.map(\.entries.count)
        #expect(sizes.min()! < 3 && sizes.max()! > 6)
        for kind in FaultKind.allCases {
            let on = mixes.filter { $0.rate(of: kind) != nil }.count
            #expect(on > 5 && on < 35, "\(kind) on in \(on) of 40 mixes")
        }
        var again = RandomStreams(rootSeed: 7).stream("swarm")
        #expect(FaultMix.swarm(&again) == mixes[7])
    }

    @Test func customFaultsStrikeAndHeal() {
        var healed = 0
        var struck = 0
        let simulation = makeSimulation(seed: 2)
        let generator = FaultGenerator(
            simulation: simulation, mix: FaultMix(), targets: [], start: .zero, stop: SimTime(nanoseconds: 10_000_000_000),
            custom: [.init(name: "prepare_fails", rate: FaultRate(meanInterval: .seconds(1), minDuration: .milliseconds(100),
                                                                   maxDuration: .milliseconds(200))) { _, _ in
                struck += 1
                return { healed += 1 }
            }])
        generator.install()
        simulation.run()
        #expect(struck > 3)
        #expect(healed == struck)
        #expect(generator.injections.allSatisfy { $0.kind == "prepare_fails" })
    }
}
